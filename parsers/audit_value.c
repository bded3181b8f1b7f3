/* Decoding of audit field values; see audit_value.h. */
#include "config.h"

#include <string.h>

#include "audit_value.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
is_hex_string(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n % 2 != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (hexval((unsigned char)s[i]) < 0)
			return 0;
	return 1;
}

int
hex_decode(const char *s, size_t n, unsigned char *out)
{
	size_t i;

	if (!is_hex_string(s, n))
		return -1;
	for (i = 0; i < n; i += 2)
		out[i / 2] = (unsigned char)(hexval((unsigned char)s[i]) << 4 |
		    hexval((unsigned char)s[i + 1]));
	return 0;
}

static int
is_absent(const char *raw)
{
	if (raw == NULL)
		return 1;
	switch (raw[0]) {
	case '(':
		return strcmp(raw, "(null)") == 0;
	case '?':
		return raw[1] == '\0';
	default:
		return 0;
	}
}

struct sv
audit_value_plain(const char *raw)
{
	size_t n;

	if (is_absent(raw))
		return SV_NULL;
	n = strlen(raw);
	if (n >= 2 && raw[0] == '"' && raw[n - 1] == '"')
		return (struct sv){ raw + 1, n - 2 };
	return (struct sv){ raw, n };
}

struct sv
audit_value_decode(const char *raw, struct arena *arena)
{
	size_t n;
	unsigned char *out;

	if (is_absent(raw))
		return SV_NULL;
	n = strlen(raw);
	if (n >= 2 && raw[0] == '"' && raw[n - 1] == '"')
		return (struct sv){ raw + 1, n - 2 };
	if (!is_hex_string(raw, n) || (out = arena_alloc(arena, n / 2 + 1)) == NULL)
		return (struct sv){ raw, n };
	hex_decode(raw, n, out);
	out[n / 2] = '\0';
	return (struct sv){ (const char *)out, n / 2 };
}

/* Records libauparse mishandles, made safe; see auparse_quirks.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auparse_quirks.h"

#define ENRICHED_SEPARATOR	'\x1d'

/* Where libauparse stops reading fields of its own. */
static size_t
fields_end(const char *line, size_t len)
{
	const char *sep = memchr(line, ENRICHED_SEPARATOR, len);

	return sep != NULL ? (size_t)(sep - line) : len;
}

/*
 * If the token at p (up to end) is a field libauparse names "cwd", the
 * offset in it just past "cwd" (where a number goes); else 0.
 */
static size_t
cwd_name_end(const char *p, const char *end)
{
	const char *name = p;

	if ((size_t)(end - name) >= 5 && memcmp(name, "msg='", 5) == 0)
		name += 5;
	if (name < end && *name == '(')
		name++;
	if ((size_t)(end - name) < 4 || memcmp(name, "cwd=", 4) != 0)
		return 0;
	return (size_t)(name - p) + 3;
}

/* Digits of n. */
static size_t
digits(size_t n)
{
	size_t d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/*
 * Call fn for every cwd field of the line, in order, with the offset of
 * the end of its name; returns how many there are.
 */
static size_t
each_cwd_field(const char *line, size_t len,
    void (*fn)(void *, size_t, size_t), void *arg)
{
	const char *p = line, *end = line + fields_end(line, len);
	size_t n = 0, at;

	while (p < end) {
		if ((at = cwd_name_end(p, end)) > 0) {
			n++;
			if (fn != NULL)
				fn(arg, n, (size_t)(p - line) + at);
		}
		if ((p = memchr(p, ' ', (size_t)(end - p))) == NULL)
			break;
		p++;
	}
	return n;
}

size_t
cwd_fields_growth(const char *line, size_t len, size_t *fields)
{
	size_t n, k, growth = 0;

	*fields = n = each_cwd_field(line, len, NULL, NULL);
	for (k = 2; k <= n; k++)
		growth += digits(k);
	return growth;
}

struct rename {
	const char	*line;
	char		*out;
	size_t		 copied;	/* of line */
	size_t		 written;	/* to out */
};

static void
rename_field(void *arg, size_t nth, size_t name_end)
{
	struct rename *r = arg;
	char num[24];
	int n;

	if (nth < 2)
		return;
	memcpy(r->out + r->written, r->line + r->copied, name_end - r->copied);
	r->written += name_end - r->copied;
	r->copied = name_end;
	n = snprintf(num, sizeof(num), "%zu", nth);
	memcpy(r->out + r->written, num, (size_t)n);
	r->written += (size_t)n;
}

size_t
cwd_fields_rename(const char *line, size_t len, char *out)
{
	struct rename r = { line, out, 0, 0 };

	(void)each_cwd_field(line, len, rename_field, &r);
	memcpy(out + r.written, line + r.copied, len - r.copied);
	return r.written + len - r.copied;
}

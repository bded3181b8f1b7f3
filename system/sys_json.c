/*
 * Strings in state files; see sys_json.h.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../common/errbuf.h"
#include "sys_json.h"

static int
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n;

	while (left > 0) {
		if ((n = utf8_sequence_length(p, left)) == 0)
			return 0;
		p += n;
		left -= n;
	}
	return 1;
}

void
sys_json_write_str(struct jw *w, const char *key, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, len = strlen(s);
	char *digits;

	if (valid_utf8(s)) {
		jw_cstring(w, key, s);
		return;
	}
	jw_object_open(w, key);
	if ((digits = malloc(2 * len + 1)) == NULL) {
		/* Sticky, as the writer's own failures: the save fails. */
		w->failed = 1;
	} else {
		for (i = 0; i < len; i++) {
			digits[2 * i] = hex[(unsigned char)s[i] >> 4];
			digits[2 * i + 1] = hex[(unsigned char)s[i] & 0xf];
		}
		jw_string(w, "hex", digits, 2 * len);
		free(digits);
	}
	jw_object_close(w);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* {"hex": "..."}: the bytes of a string that is not UTF-8, no NUL. */
static int
read_hex(json_object *v, char **out, const char **why)
{
	json_object *h;
	const char *text;
	size_t len, i;
	int hi, lo;

	if (!json_object_object_get_ex(v, "hex", &h) ||
	    !json_object_is_type(h, json_type_string) ||
	    json_object_object_length(v) != 1) {
		*why = "not a string";
		return -1;
	}
	text = json_object_get_string(h);
	if ((len = strlen(text)) % 2 != 0) {
		*why = "odd number of hex digits";
		return -1;
	}
	if ((*out = malloc(len / 2 + 1)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	for (i = 0; i < len; i += 2) {
		if ((hi = hex_value(text[i])) == -1 ||
		    (lo = hex_value(text[i + 1])) == -1 ||
		    (hi == 0 && lo == 0)) {
			free(*out);
			*out = NULL;
			*why = "not hex digits";
			return -1;
		}
		(*out)[i / 2] = (char)(hi << 4 | lo);
	}
	(*out)[len / 2] = '\0';
	return 0;
}

int
sys_json_read_str(json_object *v, char **out, const char **why)
{
	const char *text;
	int len;

	*out = NULL;
	if (json_object_is_type(v, json_type_object))
		return read_hex(v, out, why);
	if (!json_object_is_type(v, json_type_string)) {
		*why = "not a string";
		return -1;
	}
	text = json_object_get_string(v);
	len = json_object_get_string_len(v);
	/* "\u0000" would cut the string short: refuse it. */
	if (len < 0 || strlen(text) != (size_t)len) {
		*why = "holds a NUL character";
		return -1;
	}
	if ((*out = strdup(text)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

json_object *
sys_json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *root;

	if (len > INT_MAX - 1) {
		seterr(err, errlen, "too large");
		return NULL;
	}
	if ((tok = json_tokener_new()) == NULL) {
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	if ((root = json_tokener_parse_ex(tok, text, (int)len)) == NULL)
		seterr(err, errlen, "not JSON (at byte %zu: %s)",
		    json_tokener_get_parse_end(tok),
		    json_tokener_error_desc(json_tokener_get_error(tok)));
	json_tokener_free(tok);
	return root;
}

int
sys_json_get_int(json_object *o, const char *key, long long min,
    long long max, long long *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	errno = 0;
	*out = json_object_get_int64(v);
	return errno != 0 || *out < min || *out > max ? -1 : 0;
}

int
sys_json_state_header(json_object *root, long long version,
    const char *array_key, time_t *state_sent, json_object **arr, char *err,
    size_t errlen)
{
	long long n;

	if (!json_object_is_type(root, json_type_object)) {
		seterr(err, errlen, "not an object");
		return -1;
	}
	if (sys_json_get_int(root, "version", 0, INT_MAX, &n) == -1 ||
	    n != version) {
		seterr(err, errlen, "version: not one this version reads");
		return -1;
	}
	if (sys_json_get_int(root, "state_sent", 0, LLONG_MAX, &n) == -1) {
		seterr(err, errlen, "state_sent: missing or out of range");
		return -1;
	}
	*state_sent = (time_t)n;
	if (!json_object_object_get_ex(root, array_key, arr) ||
	    !json_object_is_type(*arr, json_type_array)) {
		seterr(err, errlen, "%s: missing or not an array", array_key);
		return -1;
	}
	return 0;
}

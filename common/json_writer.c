/* A streaming JSON writer into a growing buffer; see json_writer.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json_writer.h"
#include "numfmt.h"

static const char hexdigits[] = "0123456789ABCDEF";

void
jw_init(struct jw *w)
{
	memset(w, 0, sizeof(*w));
	buf_init(&w->out, JW_MAX_BYTES);
}

void
jw_release(struct jw *w)
{
	buf_release(&w->out);
	jw_init(w);
}

void
jw_reset(struct jw *w)
{
	struct buf out = w->out;

	jw_init(w);
	w->out = out;
	buf_reset(&w->out);
}

void
jw_begin_document(struct jw *w)
{
	w->depth = 0;
	w->need_comma[0] = 0;
	w->nescaped = 0;
}

int
jw_failed(const struct jw *w)
{
	return w->failed;
}

void
jw_rewind(struct jw *w, size_t mark)
{
	buf_truncate(&w->out, mark);
	w->failed = 0;
}

char *
jw_take(struct jw *w, size_t *lenp)
{
	char *p;

	if ((p = buf_take(&w->out, lenp)) == NULL)
		return NULL;
	jw_init(w);
	return p;
}

/* Room for more bytes, or a sticky failure. */
static inline int
reserve(struct jw *w, size_t more)
{
	if (w->failed)
		return -1;
	if (buf_reserve(&w->out, more) == -1) {
		w->failed = 1;
		return -1;
	}
	return 0;
}

void
jw_append(struct jw *w, const char *s, size_t n)
{
	if (w->failed)
		return;
	if (buf_append(&w->out, s, n) == -1)
		w->failed = 1;
}

static inline void
put_char(struct jw *w, char c)
{
	if (reserve(w, 1) == -1)
		return;
	w->out.p[w->out.len++] = c;
}

size_t
utf8_sequence_length(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		if (n >= 2 && (s[1] & 0xC0) == 0x80)
			return 2;
		return 0;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)		/* overlong */
			return 0;
		if (c == 0xED && s[1] >= 0xA0)		/* surrogate */
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 ||
		    (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)		/* overlong */
			return 0;
		if (c == 0xF4 && s[1] >= 0x90)		/* above U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

static int
is_valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, seq;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((seq = utf8_sequence_length(s + i, n - i)) == 0)
			return 0;
		i += seq;
	}
	return 1;
}

static void
remember_escaped(struct jw *w, const char *key)
{
	int i;

	if (w->nescaped >= JW_MAX_ESCAPED)
		return;
	for (i = 0; i < w->depth; i++)
		w->escaped[w->nescaped][i] = w->keys[i];
	w->escaped[w->nescaped][w->depth] = key;
	w->escaped_depth[w->nescaped] = w->depth + 1;
	w->nescaped++;
}

/* The length of s written by put_escaped. */
static size_t
escaped_length(const unsigned char *s, size_t n, int recover)
{
	size_t i = 0, len = 0, seq;

	while (i < n) {
		if (s[i] >= 0x80) {
			if ((seq = utf8_sequence_length(s + i, n - i)) != 0) {
				len += seq;
				i += seq;
			} else {
				len += 5;
				i++;
			}
			continue;
		}
		if (s[i] == '\\')
			len += recover ? 4 : 2;
		else if (s[i] == '"' || s[i] == '\n' || s[i] == '\t' ||
		    s[i] == '\r')
			len += 2;
		else if (s[i] < 0x20)
			len += 6;
		else
			len++;
		i++;
	}
	return len;
}

/*
 * Room for s escaped: worst case every byte becomes 6 characters; when
 * that would pass the bound, room for exactly what will be written.
 */
static int
reserve_escaped(struct jw *w, const unsigned char *s, size_t n, int recover)
{
	if (w->failed)
		return -1;
	if (n <= (size_t)-1 / 6 && buf_reserve(&w->out, n * 6) == 0)
		return 0;
	if (buf_reserve(&w->out, escaped_length(s, n, recover)) == 0)
		return 0;
	w->failed = 1;
	return -1;
}

/* Bytes copied as they are: ASCII from space on, but quote and backslash. */
static const unsigned char plain_byte[256] = {
	[0x20 ... 0x21] = 1,		/* '"' is 0x22 */
	[0x23 ... 0x5b] = 1,		/* '\\' is 0x5c */
	[0x5d ... 0x7f] = 1,
};

/* Keys up to this long take the fast path of begin_value. */
#define KEY_FAST_MAX	64

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* Nonzero when some byte of x is zero (the classic bit trick). */
static inline uint64_t
has_zero_byte(uint64_t x)
{
	return (x - ONES) & ~x & HIGHS;
}

/*
 * Nonzero when some byte of x needs attention: below 0x20, 0x80 or more,
 * '"' or '\\'.  Eight bytes are tested at once; nearly every value is
 * plain ASCII, so this is where the time of writing a document goes.
 */
static inline uint64_t
word_needs_escape(uint64_t x)
{
	return (x & HIGHS) | ((x - 0x20 * ONES) & ~x & HIGHS) |
	    has_zero_byte(x ^ ('"' * ONES)) | has_zero_byte(x ^ ('\\' * ONES));
}

/*
 * Copies the leading run of s[i..n) that needs no escaping to out (room
 * for n - i bytes) while looking for its end, eight bytes at a time;
 * returns the index where the run ends.
 */
static inline size_t
copy_plain_run(char *out, const unsigned char *s, size_t i, size_t n)
{
	uint64_t x;

	while (n - i >= 8) {
		memcpy(&x, s + i, 8);
		if (word_needs_escape(x))
			break;
		memcpy(out, &x, 8);
		out += 8;
		i += 8;
	}
	while (i < n && plain_byte[s[i]])
		*out++ = (char)s[i++];
	return i;
}

/* The length of key, or (size_t)-1 when it needs escaping. */
static inline size_t
plain_key_length(const char *key)
{
	const unsigned char *s = (const unsigned char *)key;
	size_t i = 0;

	while (plain_byte[s[i]])
		i++;
	return s[i] == '\0' ? i : (size_t)-1;
}

/*
 * Writes s as a JSON string body (no quotes); see the header for the rules.
 * Nearly every value is plain ASCII: that is one pass of table look-ups
 * and a copy.  Only a byte of 0x80 or more makes it check the whole value
 * for UTF-8, and an invalid one writes it again in recovery mode.
 */
static void
put_escaped(struct jw *w, const char *key, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t start = w->out.len, i = 0, run, seq;
	int recover = 0, checked = 0;
	char esc[6];

	if (reserve_escaped(w, s, n, 0) == -1)
		return;
	while (i < n) {
		/* Copy the longest run of bytes that need no attention. */
		run = copy_plain_run(w->out.p + w->out.len, s, i, n);
		w->out.len += run - i;
		if ((i = run) >= n)
			break;
		if (s[i] >= 0x80 && !checked) {
			checked = 1;
			if (!is_valid_utf8(s + i, n - i)) {
				/* Again from the start, backslashes doubled. */
				recover = 1;
				remember_escaped(w, key);
				w->out.len = start;
				if (reserve_escaped(w, s, n, 1) == -1)
					return;
				i = 0;
				continue;
			}
		}
		if (s[i] >= 0x80) {
			if ((seq = utf8_sequence_length(s + i, n - i)) != 0) {
				memcpy(w->out.p + w->out.len, s + i, seq);
				w->out.len += seq;
				i += seq;
			} else {
				/* Only reached in recover mode. */
				memcpy(w->out.p + w->out.len, "\\\\x", 3);
				w->out.p[w->out.len + 3] = hexdigits[s[i] >> 4];
				w->out.p[w->out.len + 4] = hexdigits[s[i] & 0xF];
				w->out.len += 5;
				i++;
			}
			continue;
		}
		switch (s[i]) {
		case '"':  memcpy(esc, "\\\"", 2); run = 2; break;
		case '\\':
			if (recover) {
				memcpy(esc, "\\\\\\\\", 4);
				run = 4;
			} else {
				memcpy(esc, "\\\\", 2);
				run = 2;
			}
			break;
		case '\n': memcpy(esc, "\\n", 2); run = 2; break;
		case '\t': memcpy(esc, "\\t", 2); run = 2; break;
		case '\r': memcpy(esc, "\\r", 2); run = 2; break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hexdigits[s[i] >> 4];
			esc[5] = hexdigits[s[i] & 0xF];
			run = 6;
			break;
		}
		memcpy(w->out.p + w->out.len, esc, run);
		w->out.len += run;
		i++;
	}
}

/*
 * Comma and key before a new member or element.  Nearly every key is a
 * short plain name and the buffer has room: then the key is copied while
 * it is checked, in one pass, and nothing else is looked at.
 */
static void
begin_value(struct jw *w, const char *key)
{
	const unsigned char *k = (const unsigned char *)key;
	size_t n, end, i;
	int comma = 0;
	char *out;

	if (w->depth > 0) {
		comma = w->need_comma[w->depth - 1];
		w->need_comma[w->depth - 1] = 1;
	}
	if (key != NULL && !w->failed &&
	    w->out.cap - w->out.len >= KEY_FAST_MAX + 4) {
		out = w->out.p + w->out.len;
		out[0] = ',';
		out += comma;
		out[0] = '"';
		for (i = 0; i < KEY_FAST_MAX && plain_byte[k[i]]; i++)
			out[i + 1] = (char)k[i];
		if (k[i] == '\0') {
			out[i + 1] = '"';
			out[i + 2] = ':';
			w->out.len += (size_t)comma + i + 3;
			return;
		}
	}
	if (comma)
		put_char(w, ',');
	if (key == NULL)
		return;
	/* Keys are nearly always plain ASCII names: copied as they are. */
	if ((n = plain_key_length(key)) == (size_t)-1) {
		n = strlen(key);
		put_char(w, '"');
		put_escaped(w, key, key, n);
		jw_append(w, "\":", 2);
		return;
	}
	if (reserve(w, n + 3) == -1)
		return;
	end = w->out.len;
	w->out.p[end] = '"';
	memcpy(w->out.p + end + 1, key, n);
	w->out.p[end + n + 1] = '"';
	w->out.p[end + n + 2] = ':';
	w->out.len = end + n + 3;
}

static void
open_container(struct jw *w, const char *key, char c)
{
	begin_value(w, key);
	put_char(w, c);
	if (w->depth >= JW_MAX_DEPTH) {
		w->failed = 1;
		return;
	}
	w->keys[w->depth] = key;
	w->need_comma[w->depth] = 0;
	w->depth++;
}

static void
close_container(struct jw *w, char c)
{
	put_char(w, c);
	if (w->depth > 0)
		w->depth--;
}

void
jw_object_open(struct jw *w, const char *key)
{
	open_container(w, key, '{');
}

void
jw_object_close(struct jw *w)
{
	close_container(w, '}');
}

void
jw_array_open(struct jw *w, const char *key)
{
	open_container(w, key, '[');
}

void
jw_array_close(struct jw *w)
{
	close_container(w, ']');
}

void
jw_string(struct jw *w, const char *key, const char *s, size_t n)
{
	begin_value(w, key);
	put_char(w, '"');
	put_escaped(w, key, s, n);
	put_char(w, '"');
}

void
jw_cstring(struct jw *w, const char *key, const char *s)
{
	jw_string(w, key, s, strlen(s));
}

void
jw_int(struct jw *w, const char *key, long long v)
{
	char num[24];
	size_t n = format_long(num, v);

	begin_value(w, key);
	jw_append(w, num, n);
}

void
jw_uint(struct jw *w, const char *key, unsigned long long v)
{
	char num[24];
	size_t n = format_ulong(num, v);

	begin_value(w, key);
	jw_append(w, num, n);
}

void
jw_bool(struct jw *w, const char *key, int v)
{
	begin_value(w, key);
	if (v)
		jw_append(w, "true", 4);
	else
		jw_append(w, "false", 5);
}

void
jw_raw(struct jw *w, const char *key, const char *json, size_t n)
{
	begin_value(w, key);
	jw_append(w, json, n);
}

int
jw_escaped_count(const struct jw *w)
{
	return w->nescaped;
}

void
jw_escaped_path(const struct jw *w, int i, char *buf, size_t size)
{
	size_t len = 0;
	int d;

	buf[0] = '\0';
	/* Array elements have no key of their own: the path names the array. */
	for (d = 0; d < w->escaped_depth[i] && len + 1 < size; d++) {
		const char *k = w->escaped[i][d];

		if (k == NULL)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    len ? "." : "", k);
		if (len >= size)
			break;
	}
}

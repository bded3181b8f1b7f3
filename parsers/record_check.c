/* A first look at raw audit record lines; see record_check.h. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "record_check.h"

/*
 * 9999-12-31T23:59:59Z.  A later second has no four-digit year, which is
 * all an ISO 8601 @timestamp (and Elasticsearch's date field) allows: such
 * a record, made up or corrupt, is refused here rather than written with
 * a timestamp nothing can read.
 */
#define LAST_SECOND	253402300799UL

static int
is_type_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '[' || c == ']';
}

/*
 * Parses digits; returns the position after them, or NULL if none or if
 * the number does not fit an unsigned long.
 */
static const char *
parse_digits(const char *p, const char *end, unsigned long *value)
{
	unsigned long v = 0, d;
	const char *start = p;

	while (p < end && *p >= '0' && *p <= '9') {
		d = (unsigned long)(*p - '0');
		if (v >= ULONG_MAX / 10 &&
		    (v > ULONG_MAX / 10 || d > ULONG_MAX % 10))
			return NULL;
		v = v * 10 + d;
		p++;
	}
	if (p == start)
		return NULL;
	*value = v;
	return p;
}

/* "msg=audit(SEC.MS:SERIAL):" starting at p. */
static enum record_verdict
parse_stamp(const char *p, const char *end, struct record_header *hdr)
{
	unsigned long sec, ms, serial;

	p += strlen("msg=audit(");
	if ((p = parse_digits(p, end, &sec)) == NULL || p >= end || *p != '.')
		return RECORD_BAD_TIMESTAMP;
	if ((p = parse_digits(p + 1, end, &ms)) == NULL || p >= end ||
	    *p != ':')
		return RECORD_BAD_TIMESTAMP;
	if ((p = parse_digits(p + 1, end, &serial)) == NULL ||
	    end - p < 2 || p[0] != ')' || p[1] != ':')
		return RECORD_BAD_TIMESTAMP;
	if (ms > 999 || sec > LAST_SECOND)
		return RECORD_BAD_TIMESTAMP;
	hdr->serial = serial;
	hdr->has_serial = 1;
	return RECORD_OK;
}

enum record_verdict
record_check(const char *line, size_t len, size_t max_len,
    struct record_header *hdr)
{
	const char *p = line, *end = line + len;
	size_t n = 0;
	enum record_verdict v;

	memset(hdr, 0, sizeof(*hdr));
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return RECORD_EMPTY;
	/* Records forwarded from other hosts start with node=NAME. */
	if (end - p > 5 && memcmp(p, "node=", 5) == 0) {
		while (p < end && *p != ' ')
			p++;
		while (p < end && *p == ' ')
			p++;
	}
	if (end - p < 5 || memcmp(p, "type=", 5) != 0)
		return RECORD_NO_TYPE;
	for (p += 5; p < end && is_type_char(*p) && n + 1 < sizeof(hdr->type);
	    p++)
		hdr->type[n++] = *p;
	hdr->type[n] = '\0';
	if (n == 0)
		return RECORD_NO_TYPE;

	/*
	 * libauparse takes the timestamp from the word after type=, found
	 * by spaces, whatever it says; so the header must be that word, or
	 * the timestamp checked here would not be the one auparse uses.
	 */
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	if ((size_t)(end - p) < strlen("msg=audit(") ||
	    memcmp(p, "msg=audit(", strlen("msg=audit(")) != 0)
		return RECORD_NO_HEADER;
	if ((v = parse_stamp(p, end, hdr)) != RECORD_OK)
		return v;
	if (len > max_len)
		return RECORD_TOO_LONG;
	if (memchr(line, '\0', len) != NULL)
		return RECORD_NUL_BYTE;
	return RECORD_OK;
}

const char *
record_verdict_text(enum record_verdict v)
{
	switch (v) {
	case RECORD_OK:			return "ok";
	case RECORD_EMPTY:		return "empty line";
	case RECORD_NO_TYPE:		return "no type= at the start";
	case RECORD_NO_HEADER:		return "no msg=audit( header";
	case RECORD_BAD_TIMESTAMP:	return "unparsable msg=audit(SEC.MS:SERIAL) timestamp";
	case RECORD_NUL_BYTE:		return "NUL byte inside the record";
	case RECORD_TOO_LONG:		return "record longer than input.max_record_size";
	}
	return "unknown";
}

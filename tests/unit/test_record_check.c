/* Unit tests for the first look at raw record lines (record_check.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/record_check.h"
#include "helpers.h"

#define MAX_LEN	8192

static enum record_verdict
check(const char *line, struct record_header *hdr)
{
	return record_check(line, strlen(line), MAX_LEN, hdr);
}

/* A line, its verdict, and the header as far as record_check got. */
struct line_case {
	const char		*name;
	const char		*line;
	enum record_verdict	 verdict;
	const char		*type;
	int			 has_serial;
	unsigned long		 serial;
};

static const struct line_case line_cases[] = {
	{ "good record",
	    "type=SYSCALL msg=audit(1795300644.202:289): "
	    "arch=c000003e syscall=257 success=yes exit=5",
	    RECORD_OK, "SYSCALL", 1, 289 },
	{ "good record without fields",
	    "type=EOE msg=audit(1795300644.202:289):",
	    RECORD_OK, "EOE", 1, 289 },
	{ "good record with node prefix",
	    "node=web-01.example.org type=CWD "
	    "msg=audit(1795300644.202:4294967296): cwd=\"/root\"",
	    RECORD_OK, "CWD", 1, 4294967296UL },
	{ "good record with enriched tail",
	    "type=LOGIN msg=audit(1795300644.246:327): "
	    "pid=5910 uid=0 old-auid=4294967295 auid=1501 tty=(none) "
	    "old-ses=4294967295 ses=1 res=1\x1dUID=\"root\" "
	    "OLD-AUID=\"unset\" AUID=\"alice\"",
	    RECORD_OK, "LOGIN", 1, 327 },
	{ "unknown numeric type accepted",
	    "type=UNKNOWN[1334] msg=audit(1.000:7): x=1",
	    RECORD_OK, "UNKNOWN[1334]", 1, 7 },
	{ "leading blanks skipped",
	    " \ttype=EOE msg=audit(1.5:2):",
	    RECORD_OK, "EOE", 1, 2 },
	{ "empty line",
	    "",
	    RECORD_EMPTY, "", 0, 0 },
	{ "blank line",
	    "   \t ",
	    RECORD_EMPTY, "", 0, 0 },
	{ "no type",
	    "hello world",
	    RECORD_NO_TYPE, "", 0, 0 },
	{ "type after the header",
	    "msg=audit(1.000:1): type=SYSCALL",
	    RECORD_NO_TYPE, "", 0, 0 },
	{ "empty type",
	    "type= msg=audit(1.000:1):",
	    RECORD_NO_TYPE, "", 0, 0 },
	{ "node alone",
	    "node=host",
	    RECORD_NO_TYPE, "", 0, 0 },
	/* The type is already known and can be reported. */
	{ "no header",
	    "type=SYSCALL arch=c000003e syscall=59",
	    RECORD_NO_HEADER, "SYSCALL", 0, 0 },
	{ "header without audit",
	    "type=SYSCALL msg=(1.000:1):",
	    RECORD_NO_HEADER, "SYSCALL", 0, 0 },
	{ "timestamp of letters",
	    "type=SYSCALL msg=audit(abc.def:12): x=1",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	{ "letter in the milliseconds",
	    "type=SYSCALL msg=audit(1795300644.2x2:12):",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	{ "letter in the serial",
	    "type=SYSCALL msg=audit(1795300644.202:1a):",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	{ "no serial",
	    "type=SYSCALL msg=audit(1795300644.202): x=1",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	{ "empty serial",
	    "type=SYSCALL msg=audit(1795300644.202:): x=1",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	{ "no milliseconds",
	    "type=SYSCALL msg=audit(1795300644:12): x=1",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	{ "no seconds",
	    "type=SYSCALL msg=audit(.202:12): x=1",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	/* Cut after the serial: no "):" */
	{ "cut after the serial",
	    "type=SYSCALL msg=audit(1795300644.202:12",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	{ "cut after the parenthesis",
	    "type=SYSCALL msg=audit(1795300644.202:12)",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	{ "milliseconds above 999",
	    "type=SYSCALL msg=audit(1795300644.1000:12):",
	    RECORD_BAD_TIMESTAMP, "SYSCALL", 0, 0 },
	{ "milliseconds 999",
	    "type=SYSCALL msg=audit(1795300644.999:12):",
	    RECORD_OK, "SYSCALL", 1, 12 },
};

static void
test_line(void **state)
{
	const struct line_case *c = *state;
	struct record_header hdr;

	assert_int_equal(check(c->line, &hdr), c->verdict);
	assert_string_equal(hdr.type, c->type);
	assert_int_equal(hdr.has_serial, c->has_serial);
	assert_int_equal(hdr.serial, c->serial);
}

/* A second past 9999-12-31T23:59:59Z has no ISO 8601 @timestamp. */
static void
test_bad_timestamp_past_year_9999(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=SYSCALL msg=audit(253402300799.999:12):",
	    &hdr), RECORD_OK);
	assert_int_equal(check("type=SYSCALL msg=audit(253402300800.000:12):",
	    &hdr), RECORD_BAD_TIMESTAMP);
	assert_int_equal(check("type=PATH msg=audit(17953001795300644.230:305):"
	    " item=0", &hdr), RECORD_BAD_TIMESTAMP);
}

/* A number too large for an unsigned long does not wrap around. */
static void
test_bad_timestamp_overflow(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.202:"
	    "18446744073709551615):", &hdr), RECORD_OK);
	assert_true(hdr.serial == 18446744073709551615UL);
	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.202:"
	    "18446744073709551616):", &hdr), RECORD_BAD_TIMESTAMP);
	assert_int_equal(check("type=SYSCALL msg=audit(99999999999999999999999"
	    ".000:5):", &hdr), RECORD_BAD_TIMESTAMP);
}

static void
test_nul_byte(void **state)
{
	static const char line[] =
	    "type=PATH msg=audit(1.000:5): name=\"a\0b\"";
	struct record_header hdr;

	assert_int_equal(record_check(line, sizeof(line) - 1, MAX_LEN, &hdr),
	    RECORD_NUL_BYTE);
	assert_string_equal(hdr.type, "PATH");
	assert_int_equal(hdr.serial, 5);
}

static void
test_too_long(void **state)
{
	struct record_header hdr;
	size_t len = MAX_LEN + 1;
	char *line = malloc(len + 1);
	int n;

	assert_non_null(line);
	n = snprintf(line, len + 1, "type=EXECVE msg=audit(1.000:9): a0=");
	memset(line + n, 'A', len - (size_t)n);
	line[len] = '\0';
	assert_int_equal(record_check(line, len, MAX_LEN, &hdr),
	    RECORD_TOO_LONG);
	/* Known by name and serial, so the rejection can say which record. */
	assert_string_equal(hdr.type, "EXECVE");
	assert_true(hdr.has_serial);
	assert_int_equal(hdr.serial, 9);
	/* Exactly max_len is fine. */
	assert_int_equal(record_check(line, MAX_LEN, MAX_LEN, &hdr),
	    RECORD_OK);
	free(line);
}

/*
 * libauparse reads the timestamp from the word after type=, whatever it
 * is: a msg=audit( further on (a line glued to another one) is not the
 * header, or the timestamp checked would not be the one auparse uses.
 */
static void
test_header_must_follow_type(void **state)
{
	struct record_header hdr;
	char line[1200];
	int n;

	n = snprintf(line, sizeof(line), "type=SYSCALL ");
	memset(line + n, 'x', 600);
	snprintf(line + n + 600, sizeof(line) - (size_t)n - 600,
	    " msg=audit(1.000:1):");
	assert_int_equal(check(line, &hdr), RECORD_NO_HEADER);
	assert_int_equal(check("type=SYSCALL x msg=audit(1.000:1):", &hdr),
	    RECORD_NO_HEADER);
	assert_int_equal(check("type=PATH msg=\x1dudit(17953001795300644.230:"
	    "305): item=0 rdetype=SYSCALL msg=audit(1795300644.202:289): x=1",
	    &hdr), RECORD_NO_HEADER);
	assert_int_equal(check("type=SYSCALL   msg=audit(1.000:1): x=1", &hdr),
	    RECORD_OK);
	assert_int_equal(hdr.serial, 1);
}

static void
test_verdict_texts(void **state)
{
	assert_string_equal(record_verdict_text(RECORD_OK), "ok");
	assert_string_equal(record_verdict_text(RECORD_NUL_BYTE),
	    "NUL byte inside the record");
	assert_string_equal(record_verdict_text(RECORD_TOO_LONG),
	    "record longer than input.max_record_size");
	assert_string_equal(record_verdict_text(RECORD_BAD_TIMESTAMP),
	    "unparsable msg=audit(SEC.MS:SERIAL) timestamp");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		CASES(test_line, line_cases),
		cmocka_unit_test(test_bad_timestamp_past_year_9999),
		cmocka_unit_test(test_bad_timestamp_overflow),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_header_must_follow_type),
		cmocka_unit_test(test_verdict_texts),
	};

	return run_group(tests, NULL, NULL);
}

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

#define MAX_LEN	8192

static enum record_verdict
check(const char *line, struct record_header *hdr)
{
	return record_check(line, strlen(line), MAX_LEN, hdr);
}

static void
test_good_record(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.202:289): "
	    "arch=c000003e syscall=257 success=yes exit=5", &hdr), RECORD_OK);
	assert_string_equal(hdr.type, "SYSCALL");
	assert_true(hdr.has_serial);
	assert_int_equal(hdr.serial, 289);
}

static void
test_good_record_without_fields(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=EOE msg=audit(1795300644.202:289):",
	    &hdr), RECORD_OK);
	assert_string_equal(hdr.type, "EOE");
	assert_int_equal(hdr.serial, 289);
}

static void
test_good_record_with_node_prefix(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("node=web-01.example.org type=CWD "
	    "msg=audit(1795300644.202:4294967296): cwd=\"/root\"", &hdr),
	    RECORD_OK);
	assert_string_equal(hdr.type, "CWD");
	assert_int_equal(hdr.serial, 4294967296UL);
}

static void
test_good_record_with_enriched_tail(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=LOGIN msg=audit(1795300644.246:327): "
	    "pid=5910 uid=0 old-auid=4294967295 auid=1501 tty=(none) "
	    "old-ses=4294967295 ses=1 res=1\x1dUID=\"root\" "
	    "OLD-AUID=\"unset\" AUID=\"alice\"", &hdr), RECORD_OK);
	assert_string_equal(hdr.type, "LOGIN");
	assert_int_equal(hdr.serial, 327);
}

static void
test_unknown_numeric_type_accepted(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=UNKNOWN[1334] msg=audit(1.000:7): x=1",
	    &hdr), RECORD_OK);
	assert_string_equal(hdr.type, "UNKNOWN[1334]");
	assert_int_equal(hdr.serial, 7);
}

static void
test_leading_blanks_skipped(void **state)
{
	struct record_header hdr;

	assert_int_equal(check(" \ttype=EOE msg=audit(1.5:2):", &hdr),
	    RECORD_OK);
	assert_string_equal(hdr.type, "EOE");
}

static void
test_blank_lines_are_empty(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("", &hdr), RECORD_EMPTY);
	assert_int_equal(check("   \t ", &hdr), RECORD_EMPTY);
	assert_string_equal(hdr.type, "");
	assert_false(hdr.has_serial);
}

static void
test_no_type(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("hello world", &hdr), RECORD_NO_TYPE);
	assert_int_equal(check("msg=audit(1.000:1): type=SYSCALL", &hdr),
	    RECORD_NO_TYPE);
	assert_int_equal(check("type= msg=audit(1.000:1):", &hdr),
	    RECORD_NO_TYPE);
	assert_int_equal(check("node=host", &hdr), RECORD_NO_TYPE);
	assert_string_equal(hdr.type, "");
	assert_false(hdr.has_serial);
}

static void
test_no_header(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=SYSCALL arch=c000003e syscall=59", &hdr),
	    RECORD_NO_HEADER);
	/* The type is already known and can be reported. */
	assert_string_equal(hdr.type, "SYSCALL");
	assert_false(hdr.has_serial);
	assert_int_equal(check("type=SYSCALL msg=(1.000:1):", &hdr),
	    RECORD_NO_HEADER);
}

static void
test_bad_timestamp_letters(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=SYSCALL msg=audit(abc.def:12): x=1",
	    &hdr), RECORD_BAD_TIMESTAMP);
	assert_string_equal(hdr.type, "SYSCALL");
	assert_false(hdr.has_serial);
	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.2x2:12):",
	    &hdr), RECORD_BAD_TIMESTAMP);
	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.202:1a):",
	    &hdr), RECORD_BAD_TIMESTAMP);
}

static void
test_bad_timestamp_missing_serial(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.202): x=1",
	    &hdr), RECORD_BAD_TIMESTAMP);
	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.202:): x=1",
	    &hdr), RECORD_BAD_TIMESTAMP);
	assert_false(hdr.has_serial);
}

static void
test_bad_timestamp_missing_parts(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=SYSCALL msg=audit(1795300644:12): x=1",
	    &hdr), RECORD_BAD_TIMESTAMP);
	assert_int_equal(check("type=SYSCALL msg=audit(.202:12): x=1",
	    &hdr), RECORD_BAD_TIMESTAMP);
	/* Cut after the serial: no "):" */
	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.202:12",
	    &hdr), RECORD_BAD_TIMESTAMP);
	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.202:12)",
	    &hdr), RECORD_BAD_TIMESTAMP);
}

static void
test_bad_timestamp_milliseconds_above_999(void **state)
{
	struct record_header hdr;

	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.1000:12):",
	    &hdr), RECORD_BAD_TIMESTAMP);
	assert_false(hdr.has_serial);
	assert_int_equal(check("type=SYSCALL msg=audit(1795300644.999:12):",
	    &hdr), RECORD_OK);
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
		cmocka_unit_test(test_good_record),
		cmocka_unit_test(test_good_record_without_fields),
		cmocka_unit_test(test_good_record_with_node_prefix),
		cmocka_unit_test(test_good_record_with_enriched_tail),
		cmocka_unit_test(test_unknown_numeric_type_accepted),
		cmocka_unit_test(test_leading_blanks_skipped),
		cmocka_unit_test(test_blank_lines_are_empty),
		cmocka_unit_test(test_no_type),
		cmocka_unit_test(test_no_header),
		cmocka_unit_test(test_bad_timestamp_letters),
		cmocka_unit_test(test_bad_timestamp_missing_serial),
		cmocka_unit_test(test_bad_timestamp_missing_parts),
		cmocka_unit_test(test_bad_timestamp_milliseconds_above_999),
		cmocka_unit_test(test_bad_timestamp_past_year_9999),
		cmocka_unit_test(test_bad_timestamp_overflow),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_header_must_follow_type),
		cmocka_unit_test(test_verdict_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Netlink audit messages as auditd's text lines (parsers/kernel_record.h):
 * the type's name, unknown types, control messages, a trailing NUL or
 * newline, a newline inside a user message, and a line cut short.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/kernel_record.h"

#define PAYLOAD "audit(1700000000.123:42): arch=c000003e syscall=59"

static void
test_known_type(void **state)
{
	char line[256];
	size_t n;

	(void)state;
	n = kernel_record_format(line, sizeof(line), 1300, PAYLOAD,
	    strlen(PAYLOAD));
	assert_string_equal(line, "type=SYSCALL msg=" PAYLOAD);
	assert_int_equal(n, strlen(line));
}

static void
test_unknown_type(void **state)
{
	char line[256];

	(void)state;
	kernel_record_format(line, sizeof(line), 1999, PAYLOAD,
	    strlen(PAYLOAD));
	assert_string_equal(line, "type=UNKNOWN[1999] msg=" PAYLOAD);
}

static void
test_control_message_is_no_record(void **state)
{
	char line[64] = "x";

	(void)state;
	assert_int_equal(kernel_record_format(line, sizeof(line), 1000,
	    PAYLOAD, strlen(PAYLOAD)), 0);
	assert_string_equal(line, "");
	assert_int_equal(kernel_record_format(line, sizeof(line), 1300,
	    "\n", 1), 0);
}

static void
test_trailing_and_inner_breaks(void **state)
{
	static const char user[] = "audit(1.2:3): msg='a\nb'\n\0";
	char line[256];

	(void)state;
	kernel_record_format(line, sizeof(line), 1107, user, sizeof(user) - 1);
	assert_string_equal(line, "type=USER_AVC msg=audit(1.2:3): msg='a b'");
}

static void
test_cut_short(void **state)
{
	char line[24];
	size_t n;

	(void)state;
	n = kernel_record_format(line, sizeof(line), 1300, PAYLOAD,
	    strlen(PAYLOAD));
	assert_int_equal(n, strlen("type=SYSCALL msg=") + strlen(PAYLOAD));
	assert_int_equal(strlen(line), sizeof(line) - 1);
	assert_string_equal(line, "type=SYSCALL msg=audit(");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_type),
		cmocka_unit_test(test_unknown_type),
		cmocka_unit_test(test_control_message_is_no_record),
		cmocka_unit_test(test_trailing_and_inner_breaks),
		cmocka_unit_test(test_cut_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The bounded byte buffer: limits, failures that leave content, reuse. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

static void
test_empty_buffer_allocates_nothing(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_null(b.p);
	buf_release(&b);
}

static void
test_append_up_to_max(void **state)
{
	struct buf b = BUF_INITIALIZER(10);

	(void)state;
	assert_int_equal(buf_append(&b, "01234", 5), 0);
	assert_int_equal(buf_append_str(&b, "56789"), 0);
	assert_int_equal(b.len, 10);
	assert_true(b.cap <= 10);
	assert_string_equal(buf_cstr(&b), "0123456789");
	/* Not even one byte more. */
	errno = 0;
	assert_int_equal(buf_append(&b, "x", 1), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(buf_append(&b, "", 0), 0);
	buf_release(&b);
}

static void
test_failed_append_leaves_content(void **state)
{
	struct buf b = BUF_INITIALIZER(8);

	(void)state;
	assert_int_equal(buf_append(&b, "abc", 3), 0);
	assert_int_equal(buf_append(&b, "defghi", 6), -1);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.p, "abc", 3);
	assert_int_equal(buf_reserve(&b, 6), -1);
	assert_int_equal(buf_reserve(&b, 5), 0);
	assert_int_equal(b.len, 3);
	/* A size that would wrap around is refused, not granted. */
	assert_int_equal(buf_reserve(&b, (size_t)-1), -1);
	assert_int_equal(buf_append(&b, "de", 2), 0);
	assert_string_equal(buf_cstr(&b), "abcde");
	buf_release(&b);
}

static void
test_growth_past_first_allocation(void **state)
{
	struct buf b = BUF_INITIALIZER(1024 * 1024);
	static char chunk[64 * 1024];
	size_t i;

	(void)state;
	memset(chunk, 'z', sizeof(chunk));
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_append(&b, chunk, 1000), 0);
	assert_int_equal(b.len, 1000 * 1000);
	assert_true(b.cap >= b.len && b.cap <= b.max);
	assert_int_equal(b.p[b.len - 1], 'z');
	/* Doubling stops at the maximum, which can be filled exactly. */
	assert_int_equal(buf_reserve(&b, b.max - b.len), 0);
	assert_int_equal(b.cap, b.max);
	assert_int_equal(buf_append(&b, chunk, b.max - b.len - 1), 0);
	assert_int_equal(buf_append(&b, chunk, 2), -1);
	assert_int_equal(buf_append(&b, chunk, 1), 0);
	assert_int_equal(b.len, b.max);
	buf_release(&b);
}

static void
test_reset_keeps_allocation(void **state)
{
	struct buf b = BUF_INITIALIZER(100);
	char *p;
	size_t cap;

	(void)state;
	assert_int_equal(buf_append_str(&b, "hello"), 0);
	p = b.p;
	cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_ptr_equal(b.p, p);
	assert_int_equal(b.cap, cap);
	assert_int_equal(b.max, 100);
	assert_int_equal(buf_append_str(&b, "again"), 0);
	assert_string_equal(buf_cstr(&b), "again");
	buf_truncate(&b, 2);
	assert_string_equal(buf_cstr(&b), "ag");
	buf_truncate(&b, 50);		/* never lengthens */
	assert_int_equal(b.len, 2);
	buf_release(&b);
	assert_null(b.p);
	assert_int_equal(b.max, 100);
}

static void
test_appendf(void **state)
{
	struct buf b = BUF_INITIALIZER(4096 * 4);
	char big[5000];
	size_t i;

	(void)state;
	assert_int_equal(buf_appendf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(buf_cstr(&b), "42-x");
	/* Text longer than the room left: grown and formatted again. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 3; i++)
		assert_int_equal(buf_appendf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 4 + 3 * (sizeof(big) + 1));
	assert_int_equal(b.p[4], '[');
	assert_int_equal(b.p[b.len - 1], ']');
	buf_release(&b);
}

static void
test_appendf_never_truncates(void **state)
{
	struct buf b = BUF_INITIALIZER(10);

	(void)state;
	assert_int_equal(buf_appendf(&b, "%s", "abcdef"), 0);
	errno = 0;
	assert_int_equal(buf_appendf(&b, "%s", "ghijk"), -1);
	assert_int_equal(errno, EMSGSIZE);
	/* Nothing of the text that did not fit, and still terminated. */
	assert_int_equal(b.len, 6);
	assert_string_equal(b.p, "abcdef");
	assert_int_equal(buf_appendf(&b, "%s", "ghij"), 0);
	assert_string_equal(buf_cstr(&b), "abcdefghij");
	buf_release(&b);
}

static void
test_take_hands_over(void **state)
{
	struct buf b = BUF_INITIALIZER(64);
	size_t len;
	char *p;

	(void)state;
	assert_int_equal(buf_append(&b, "doc\n", 4), 0);
	p = buf_take(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 4);
	assert_string_equal(p, "doc\n");
	free(p);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 64);
	/* An empty buffer gives an empty string, never NULL. */
	p = buf_take(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_buffer_allocates_nothing),
		cmocka_unit_test(test_append_up_to_max),
		cmocka_unit_test(test_failed_append_leaves_content),
		cmocka_unit_test(test_growth_past_first_allocation),
		cmocka_unit_test(test_reset_keeps_allocation),
		cmocka_unit_test(test_appendf),
		cmocka_unit_test(test_appendf_never_truncates),
		cmocka_unit_test(test_take_hands_over),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

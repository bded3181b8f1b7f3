/* Unit tests for audit value decoding (parsers/audit_value.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/arena.h"
#include "parsers/audit_value.h"

static int
setup_arena(void **state)
{
	static struct arena arena;

	arena_init(&arena, 1024);
	*state = &arena;
	return 0;
}

static int
teardown_arena(void **state)
{
	arena_release(*state);
	return 0;
}

/* v must be present and hold exactly the bytes want[0..n). */
static void
assert_sv_bytes(struct sv v, const char *want, size_t n)
{
	assert_non_null(v.p);
	assert_int_equal(v.n, n);
	assert_memory_equal(v.p, want, n);
}

static void
test_decode_quoted_strips_quotes(void **state)
{
	const char *raw = "\"abc\"";
	struct sv v = audit_value_decode(raw, *state);

	assert_sv_bytes(v, "abc", 3);
	/* Quoted values are not copied: they point into the raw text. */
	assert_ptr_equal(v.p, raw + 1);
}

static void
test_decode_empty_quoted_is_present_and_empty(void **state)
{
	struct sv v = audit_value_decode("\"\"", *state);

	assert_non_null(v.p);
	assert_int_equal(v.n, 0);
}

static void
test_decode_hex_upper_case(void **state)
{
	struct sv v = audit_value_decode("414243", *state);

	assert_sv_bytes(v, "ABC", 3);
	/* Decoded into the arena and NUL-terminated there. */
	assert_int_equal(v.p[3], '\0');
}

static void
test_decode_hex_with_nul_and_high_bytes(void **state)
{
	struct sv v = audit_value_decode("6C73002D6CFF", *state);

	assert_sv_bytes(v, "ls\0-l\xFF", 6);
}

static void
test_decode_hex_lower_case(void **state)
{
	struct sv v = audit_value_decode("2f746d70", *state);

	assert_sv_bytes(v, "/tmp", 4);
}

static void
test_decode_odd_length_hex_stays_raw(void **state)
{
	const char *raw = "41424";
	struct sv v = audit_value_decode(raw, *state);

	assert_ptr_equal(v.p, raw);
	assert_int_equal(v.n, 5);
}

static void
test_decode_non_hex_stays_raw(void **state)
{
	const char *raw = "4142XY";
	struct sv v = audit_value_decode(raw, *state);

	assert_ptr_equal(v.p, raw);
	assert_int_equal(v.n, 6);

	raw = "x86_64";
	v = audit_value_decode(raw, *state);
	assert_ptr_equal(v.p, raw);
	assert_int_equal(v.n, 6);
}

static void
test_decode_lone_quote_stays_raw(void **state)
{
	const char *raw = "\"";
	struct sv v = audit_value_decode(raw, *state);

	assert_ptr_equal(v.p, raw);
	assert_int_equal(v.n, 1);
}

static void
test_decode_absent_values(void **state)
{
	assert_null(audit_value_decode("(null)", *state).p);
	assert_null(audit_value_decode("?", *state).p);
	assert_null(audit_value_decode(NULL, *state).p);
	assert_false(sv_present(audit_value_decode("(null)", *state)));
}

static void
test_decode_quoted_null_is_a_value(void **state)
{
	/* A file really named "(null)" is written in quotes. */
	struct sv v = audit_value_decode("\"(null)\"", *state);

	assert_sv_bytes(v, "(null)", 6);
}

static void
test_decode_empty_string_is_present(void **state)
{
	const char *raw = "";
	struct sv v = audit_value_decode(raw, *state);

	assert_ptr_equal(v.p, raw);
	assert_int_equal(v.n, 0);
}

static void
test_plain_strips_quotes_only(void **state)
{
	assert_sv_bytes(audit_value_plain("\"sshd\""), "sshd", 4);
	/* Hex-looking plain values are not decoded. */
	assert_sv_bytes(audit_value_plain("414243"), "414243", 6);
	assert_sv_bytes(audit_value_plain("x86_64"), "x86_64", 6);
	assert_sv_bytes(audit_value_plain("\"\""), "", 0);
}

static void
test_plain_absent_values(void **state)
{
	assert_null(audit_value_plain("(null)").p);
	assert_null(audit_value_plain("?").p);
	assert_null(audit_value_plain(NULL).p);
}

static void
test_hex_decode_even_length(void **state)
{
	unsigned char out[4];

	memset(out, 0x55, sizeof(out));
	assert_int_equal(hex_decode("00fFA0", 6, out), 0);
	assert_memory_equal(out, "\x00\xFF\xA0", 3);
	/* Writes exactly n/2 bytes. */
	assert_int_equal(out[3], 0x55);
}

static void
test_hex_decode_uses_only_n_characters(void **state)
{
	unsigned char out[2];

	assert_int_equal(hex_decode("4142ZZ", 4, out), 0);
	assert_memory_equal(out, "AB", 2);
}

static void
test_hex_decode_rejects_bad_input(void **state)
{
	unsigned char out[8];

	assert_int_equal(hex_decode("414", 3, out), -1);
	assert_int_equal(hex_decode("41G2", 4, out), -1);
	assert_int_equal(hex_decode("41 2", 4, out), -1);
	assert_int_equal(hex_decode("", 0, out), -1);
}

static void
test_is_hex_string(void **state)
{
	assert_true(is_hex_string("DEADbeef", 8));
	assert_false(is_hex_string("DEADbee", 7));
	assert_false(is_hex_string("-1", 2));
	assert_false(is_hex_string("", 0));
}

static void
test_sv_helpers(void **state)
{
	struct sv v = sv_from("abc");

	assert_int_equal(v.n, 3);
	assert_true(sv_eq(v, "abc"));
	assert_false(sv_eq(v, "ab"));
	assert_false(sv_eq(v, "abcd"));
	assert_false(sv_eq(SV_NULL, ""));
	assert_null(sv_from(NULL).p);
	assert_true(sv_eq((struct sv){ "", 0 }, ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_decode_quoted_strips_quotes,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(
		    test_decode_empty_quoted_is_present_and_empty,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_decode_hex_upper_case,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(
		    test_decode_hex_with_nul_and_high_bytes,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_decode_hex_lower_case,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(
		    test_decode_odd_length_hex_stays_raw,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_decode_non_hex_stays_raw,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_decode_lone_quote_stays_raw,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_decode_absent_values,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(
		    test_decode_quoted_null_is_a_value,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(
		    test_decode_empty_string_is_present,
		    setup_arena, teardown_arena),
		cmocka_unit_test(test_plain_strips_quotes_only),
		cmocka_unit_test(test_plain_absent_values),
		cmocka_unit_test(test_hex_decode_even_length),
		cmocka_unit_test(test_hex_decode_uses_only_n_characters),
		cmocka_unit_test(test_hex_decode_rejects_bad_input),
		cmocka_unit_test(test_is_hex_string),
		cmocka_unit_test(test_sv_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

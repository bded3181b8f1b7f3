/* Unit tests for audit value decoding (parsers/audit_value.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/arena.h"
#include "parsers/audit_value.h"
#include "helpers.h"

/* An arena for each case, which setup_arena keeps with it. */
struct fixture {
	struct arena	 arena;
	const void	*arg;		/* the case */
};

static int
setup_arena(void **state)
{
	static struct fixture f;

	f.arg = *state;
	arena_init(&f.arena, 1024);
	*state = &f;
	return 0;
}

static int
teardown_arena(void **state)
{
	struct fixture *f = *state;

	arena_release(&f->arena);
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

/*
 * A raw value and what audit_value_decode makes of it: the bytes, where
 * they are (at raw + at, or, when at is COPIED, decoded into the arena and
 * NUL-terminated there), or NULL for an absent value.
 */
#define COPIED	(-1)
static const struct decode_case {
	const char	*name;
	const char	*raw;
	const char	*want;
	size_t		 len;
	int		 at;
} decode_cases[] = {
	/* Quoted values are not copied: they point into the raw text. */
	{ "quoted strips quotes", "\"abc\"", "abc", 3, 1 },
	{ "empty quoted is present and empty", "\"\"", "", 0, 1 },
	{ "hex upper case", "414243", "ABC", 3, COPIED },
	{ "hex with NUL and high bytes", "6C73002D6CFF", "ls\0-l\xFF", 6,
	    COPIED },
	{ "hex lower case", "2f746d70", "/tmp", 4, COPIED },
	{ "odd length hex stays raw", "41424", "41424", 5, 0 },
	{ "non hex stays raw", "4142XY", "4142XY", 6, 0 },
	{ "word stays raw", "x86_64", "x86_64", 6, 0 },
	{ "lone quote stays raw", "\"", "\"", 1, 0 },
	{ "(null) is absent", "(null)", NULL, 0, 0 },
	{ "? is absent", "?", NULL, 0, 0 },
	{ "NULL is absent", NULL, NULL, 0, 0 },
	/* A file really named "(null)" is written in quotes. */
	{ "quoted (null) is a value", "\"(null)\"", "(null)", 6, 1 },
	{ "empty string is present", "", "", 0, 0 },
};

static void
test_decode(void **state)
{
	struct fixture *f = *state;
	const struct decode_case *c = f->arg;
	struct sv v = audit_value_decode(c->raw, &f->arena);

	if (c->want == NULL) {
		assert_null(v.p);
		assert_false(sv_present(v));
		return;
	}
	assert_sv_bytes(v, c->want, c->len);
	if (c->at == COPIED)
		assert_int_equal(v.p[c->len], '\0');
	else
		assert_ptr_equal(v.p, c->raw + c->at);
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
		CASES_SETUP(test_decode, decode_cases, setup_arena,
		    teardown_arena),
		cmocka_unit_test(test_plain_strips_quotes_only),
		cmocka_unit_test(test_plain_absent_values),
		cmocka_unit_test(test_hex_decode_even_length),
		cmocka_unit_test(test_hex_decode_uses_only_n_characters),
		cmocka_unit_test(test_hex_decode_rejects_bad_input),
		cmocka_unit_test(test_is_hex_string),
		cmocka_unit_test(test_sv_helpers),
	};

	return run_group(tests, NULL, NULL);
}

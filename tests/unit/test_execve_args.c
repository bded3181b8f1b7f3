/*
 * Unit tests for the argv rebuilt from EXECVE records
 * (parsers/execve_args.h).  Field values are given as auparse hands them
 * over: quoted text keeps its quotes, hex is upper-case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/arena.h"
#include "parsers/execve_args.h"

struct fixture {
	struct arena		arena;
	struct execve_args	args;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	arena_init(&f->arena, 4096);
	execve_args_init(&f->args);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	arena_release(&f->arena);
	free(f);
	return 0;
}

/* Feeds "name=value" pairs of one EXECVE record; NULL ends the list. */
static void
feed_record(struct fixture *f, ...)
{
	const char *name, *value;
	va_list ap;

	va_start(ap, f);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		assert_int_equal(execve_args_field(&f->args, &f->arena, name,
		    value), 0);
	}
	va_end(ap);
}

static void
assert_arg(const struct execve_args *a, size_t i, const char *want,
    size_t n)
{
	assert_true(i < a->count);
	assert_non_null(a->argv[i].p);
	assert_int_equal(a->argv[i].n, n);
	assert_memory_equal(a->argv[i].p, want, n);
}

#define assert_arg_str(a, i, s)	assert_arg((a), (i), (s), strlen(s))

static void
test_init_has_no_arguments(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->args.count, 0);
	assert_int_equal(f->args.argc, -1);
	assert_false(f->args.present);
}

static void
test_plain_quoted_and_hex_arguments(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "argc", "3", "a0", "\"ls\"", "a1", "\"-l\"",
	    "a2", "2F746D702F6120622E747874", NULL);
	execve_args_finish(&f->args);
	assert_true(f->args.present);
	assert_int_equal(f->args.argc, 3);
	assert_int_equal(f->args.count, 3);
	assert_arg_str(&f->args, 0, "ls");
	assert_arg_str(&f->args, 1, "-l");
	assert_arg_str(&f->args, 2, "/tmp/a b.txt");
}

static void
test_hex_argument_keeps_newline_and_high_bytes(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "argc", "2", "a0", "\"echo\"", "a1", "610A62C3A9FF",
	    NULL);
	assert_arg(&f->args, 1, "a\nb\xC3\xA9\xFF", 6);
}

static void
test_empty_argument_is_kept(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "argc", "3", "a0", "\"printf\"", "a1", "\"\"",
	    "a2", "\"x\"", NULL);
	assert_int_equal(f->args.count, 3);
	assert_arg_str(&f->args, 0, "printf");
	assert_arg(&f->args, 1, "", 0);
	assert_arg_str(&f->args, 2, "x");
}

static void
test_null_argument_is_an_empty_argument(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "argc", "2", "a0", "\"prog\"", "a1", "(null)", NULL);
	assert_int_equal(f->args.count, 2);
	assert_arg(&f->args, 1, "", 0);
}

static void
test_split_argument_quoted_pieces(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "argc", "3", "a0", "\"echo\"", "a1_len", "10",
	    "a1[0]", "\"abcde\"", "a1[1]", "\"fghij\"", "a2", "\"end\"", NULL);
	execve_args_finish(&f->args);
	assert_int_equal(f->args.count, 3);
	assert_arg_str(&f->args, 0, "echo");
	assert_arg_str(&f->args, 1, "abcdefghij");
	assert_arg_str(&f->args, 2, "end");
}

static void
test_split_argument_hex_pieces(void **state)
{
	struct fixture *f = *state;

	/* "a b\n" then "c d": hex because of the space and newline. */
	feed_record(f, "argc", "2", "a0", "\"sh\"", "a1_len", "7",
	    "a1[0]", "6120620A", "a1[1]", "632064", NULL);
	execve_args_finish(&f->args);
	assert_int_equal(f->args.count, 2);
	assert_arg(&f->args, 1, "a b\nc d", 7);
}

static void
test_split_argument_mixed_pieces(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "argc", "2", "a0", "\"x\"", "a1_len", "6",
	    "a1[0]", "\"abc\"", "a1[1]", "0A0B0C", NULL);
	assert_arg(&f->args, 1, "abc\n\x0B\x0C", 6);
}

static void
test_split_argument_longer_than_announced(void **state)
{
	struct fixture *f = *state;
	char piece[702], want[1400];

	/* aN_len is only a hint: more bytes than it says are still kept. */
	memset(piece, 'q', sizeof(piece));
	piece[0] = '"';
	piece[sizeof(piece) - 2] = '"';
	piece[sizeof(piece) - 1] = '\0';
	feed_record(f, "argc", "2", "a0", "\"x\"", "a1_len", "4",
	    "a1[0]", piece, "a1[1]", piece, NULL);
	memset(want, 'q', sizeof(want));
	assert_arg(&f->args, 1, want, 1398);
}

static void
test_split_argument_across_records(void **state)
{
	struct fixture *f = *state;

	/* Three EXECVE records of one exec, the second argument in 3 pieces. */
	feed_record(f, "argc", "4", "a0", "\"cmd\"", "a1_len", "12",
	    "a1[0]", "\"0123\"", NULL);
	feed_record(f, "a1[1]", "\"4567\"", NULL);
	feed_record(f, "a1[2]", "\"89AB\"", "a2", "\"-v\"", "a3", "\"\"",
	    NULL);
	execve_args_finish(&f->args);
	assert_int_equal(f->args.argc, 4);
	assert_int_equal(f->args.count, 4);
	assert_arg_str(&f->args, 0, "cmd");
	assert_arg_str(&f->args, 1, "0123456789AB");
	assert_arg_str(&f->args, 2, "-v");
	assert_arg(&f->args, 3, "", 0);
}

static void
test_plain_arguments_across_records(void **state)
{
	struct fixture *f = *state;
	/* Quoted values are not copied: like auparse's, they must last. */
	static char names[40][8], values[40][16];
	char want[16];
	size_t i;

	/* 40 arguments, fed one field at a time; indexes pass 16 and 32. */
	feed_record(f, "argc", "40", NULL);
	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "a%zu", i);
		snprintf(values[i], sizeof(values[i]), "\"arg%zu\"", i);
		feed_record(f, names[i], values[i], NULL);
	}
	execve_args_finish(&f->args);
	assert_int_equal(f->args.count, 40);
	for (i = 0; i < 40; i++) {
		snprintf(want, sizeof(want), "arg%zu", i);
		assert_arg_str(&f->args, i, want);
	}
}

static void
test_two_split_arguments_in_a_row(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "argc", "3", "a0", "\"x\"",
	    "a1_len", "4", "a1[0]", "\"ab\"", "a1[1]", "\"cd\"",
	    "a2_len", "4", "a2[0]", "\"ef\"", "a2[1]", "\"gh\"", NULL);
	execve_args_finish(&f->args);
	assert_arg_str(&f->args, 1, "abcd");
	assert_arg_str(&f->args, 2, "efgh");
}

static void
test_piece_without_len_starts_argument(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "a0", "\"x\"", "a1[0]", "\"ab\"", "a1[1]", "\"cd\"",
	    NULL);
	assert_int_equal(f->args.count, 2);
	assert_arg_str(&f->args, 1, "abcd");
	/* No argc field: the count alone tells how many were seen. */
	assert_int_equal(f->args.argc, -1);
}

static void
test_other_fields_are_not_arguments(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(execve_args_field(&f->args, &f->arena, "arch",
	    "c000003e"), 1);
	assert_int_equal(execve_args_field(&f->args, &f->arena, "a1x",
	    "\"y\""), 1);
	assert_int_equal(execve_args_field(&f->args, &f->arena, "node",
	    "host"), 1);
	assert_int_equal(f->args.count, 0);
}

static void
test_argc_counts_without_arguments(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "argc", "2000", NULL);
	assert_true(f->args.present);
	assert_int_equal(f->args.argc, 2000);
	assert_int_equal(f->args.count, 0);
}

static void
test_index_beyond_limit_is_not_kept(void **state)
{
	struct fixture *f = *state;
	char name[32];

	snprintf(name, sizeof(name), "a%u", EXECVE_MAX_ARGS);
	feed_record(f, "a0", "\"x\"", name, "\"y\"", NULL);
	assert_int_equal(f->args.count, 1);
}

/*
 * An empty piece of an argument announced without a length leaves
 * nothing to copy and no buffer to copy into (undefined behaviour before,
 * reported by UBSan in fuzz_decoders): the argument is empty.
 */
static void
test_empty_piece_without_len(void **state)
{
	struct fixture *f = *state;

	feed_record(f, "argc", "2", "a0", "\"echo\"", "a1[1]", "", NULL);
	assert_int_equal(f->args.count, 2);
	assert_arg_str(&f->args, 0, "echo");
	assert_arg(&f->args, 1, "", 0);
	feed_record(f, "a1[2]", "\"x\"", NULL);
	assert_arg_str(&f->args, 1, "x");
}

int
main(void)
{
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_init_has_no_arguments),
		T(test_plain_quoted_and_hex_arguments),
		T(test_hex_argument_keeps_newline_and_high_bytes),
		T(test_empty_argument_is_kept),
		T(test_null_argument_is_an_empty_argument),
		T(test_split_argument_quoted_pieces),
		T(test_split_argument_hex_pieces),
		T(test_split_argument_mixed_pieces),
		T(test_split_argument_longer_than_announced),
		T(test_split_argument_across_records),
		T(test_plain_arguments_across_records),
		T(test_two_split_arguments_in_a_row),
		T(test_piece_without_len_starts_argument),
		T(test_other_fields_are_not_arguments),
		T(test_argc_counts_without_arguments),
		T(test_index_beyond_limit_is_not_kept),
		T(test_empty_piece_without_len),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Cutting the input into record lines (parsers/line_split.h): lines that
 * straddle chunks, a last line without its newline, and lines past the
 * size limit handed on cut short with their true length.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "parsers/line_split.h"

/* What the splitter handed on: "len/full_len:text|" for each line. */
struct seen {
	char	 text[512];
	size_t	 len;
};

static void
record(void *ctx, const char *line, size_t len, size_t full_len)
{
	struct seen *s = ctx;

	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
	    "%zu/%zu:%.*s|", len, full_len, (int)len, line);
}

/* Feeds text in chunks of n bytes (0: whole), then ends the source. */
static void
split(const char *text, size_t n, size_t max_len, struct seen *s)
{
	struct line_split ls;
	size_t len = strlen(text), off, take;

	memset(s, 0, sizeof(*s));
	line_split_init(&ls, max_len, record, s);
	for (off = 0; off < len; off += take) {
		take = n == 0 || n > len - off ? len - off : n;
		line_split_feed(&ls, text + off, take);
	}
	line_split_finish(&ls);
	line_split_release(&ls);
}

static void
test_whole_lines(void **state)
{
	struct seen s;

	(void)state;
	split("ab\n\ncd\n", 0, 100, &s);
	assert_string_equal(s.text, "2/2:ab|0/0:|2/2:cd|");
}

static void
test_any_chunk_size_gives_the_same_lines(void **state)
{
	const char *text = "type=A msg=1\ntype=B msg=22\n\ntype=C\n";
	struct seen whole, s;
	size_t n;

	(void)state;
	split(text, 0, 100, &whole);
	for (n = 1; n <= strlen(text); n++) {
		split(text, n, 100, &s);
		assert_string_equal(s.text, whole.text);
	}
}

static void
test_last_line_without_newline(void **state)
{
	struct seen s;

	(void)state;
	split("ab\ncd", 0, 100, &s);
	assert_string_equal(s.text, "2/2:ab|2/2:cd|");
	split("ab\ncd", 1, 100, &s);
	assert_string_equal(s.text, "2/2:ab|2/2:cd|");
}

/*
 * A line within one chunk is handed on whole (the reassembly measures
 * it); one that straddles chunks is kept up to max_len + 1 bytes.
 */
static void
test_long_lines_cut_with_their_length(void **state)
{
	struct seen s;

	(void)state;
	split("abcdefgh\nxy\n", 0, 4, &s);
	assert_string_equal(s.text, "8/8:abcdefgh|2/2:xy|");
	split("abcdefgh\nxy\n", 3, 4, &s);
	assert_string_equal(s.text, "5/8:abcde|2/2:xy|");
	split("abcdefgh", 2, 4, &s);
	assert_string_equal(s.text, "5/8:abcde|");
}

/* A new limit applies to what comes next; the line in progress is kept. */
static void
test_limit_changed_between_chunks(void **state)
{
	struct line_split ls;
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	line_split_init(&ls, 100, record, &s);
	line_split_feed(&ls, "abcdef", 6);
	line_split_set_max(&ls, 2);
	line_split_feed(&ls, "gh\n", 3);
	line_split_feed(&ls, "ijkl", 4);
	line_split_feed(&ls, "m\n", 2);
	line_split_release(&ls);
	assert_string_equal(s.text, "6/8:abcdef|3/5:ijk|");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_lines),
		cmocka_unit_test(test_any_chunk_size_gives_the_same_lines),
		cmocka_unit_test(test_last_line_without_newline),
		cmocka_unit_test(test_long_lines_cut_with_their_length),
		cmocka_unit_test(test_limit_changed_between_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

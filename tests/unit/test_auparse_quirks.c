/*
 * Unit tests for the records made safe before libauparse reads them
 * (parsers/auparse_quirks.h): a CWD record's second and later cwd fields,
 * as libauparse splits fields, are renamed cwd2, cwd3, ...; everything
 * else stays byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parsers/auparse_quirks.h"
#include "helpers.h"

#define HEAD	"type=CWD msg=audit(1700000000.000:7): "

static const struct quirk_case {
	const char	*name;
	const char	*line;
	size_t		 fields;
	const char	*want;		/* NULL: left as it is */
} quirk_cases[] = {
	{ "one cwd", HEAD "cwd=\"/root\"", 1, NULL },
	{ "none", HEAD "item=0", 0, NULL },
	{ "msg=audit( inside the value", HEAD "cwd=/tmp/msg=audit(1:2):", 1,
	    NULL },
	{ "cwd= inside another value", HEAD "cwd=/a x=cwd=/b", 1, NULL },
	{ "cwd= inside the value", HEAD "cwd=/a/cwd=/b", 1, NULL },
	{ "a longer name", HEAD "cwd=/a oldcwd=/b", 1, NULL },
	{ "two", HEAD "cwd=\"/tmp\" cwd=\"/x\"", 2,
	    HEAD "cwd=\"/tmp\" cwd2=\"/x\"" },
	{ "three", HEAD "cwd=/a cwd=/b cwd=/c", 3,
	    HEAD "cwd=/a cwd2=/b cwd3=/c" },
	{ "behind msg='", HEAD "cwd=/a msg='cwd=/b'", 2,
	    HEAD "cwd=/a msg='cwd2=/b'" },
	{ "behind a parenthesis", HEAD "cwd=/a (cwd=/b", 2,
	    HEAD "cwd=/a (cwd2=/b" },
	{ "behind msg=' and a parenthesis", HEAD "cwd=/a msg='(cwd=/b'", 2,
	    HEAD "cwd=/a msg='(cwd2=/b'" },
	{ "two spaces", HEAD "cwd=/a  cwd=/b", 2, HEAD "cwd=/a  cwd2=/b" },
	{ "a tab is no separator", HEAD "cwd=/a\tcwd=/b", 1, NULL },
	{ "after the ENRICHED separator", HEAD "cwd=/a\x1d" "cwd=/b", 1,
	    NULL },
	{ "before and after it", HEAD "cwd=/a cwd=/b\x1d" "cwd=/c", 2,
	    HEAD "cwd=/a cwd2=/b\x1d" "cwd=/c" },
	{ "at the very end", HEAD "cwd=/a cwd=", 2, HEAD "cwd=/a cwd2=" },
	{ "cut short", HEAD "cwd=/a cwd", 1, NULL },
};

static void
test_quirk(void **state)
{
	const struct quirk_case *c = *state;
	size_t len = strlen(c->line), fields, growth, n;
	char *out;

	growth = cwd_fields_growth(c->line, len, &fields);
	assert_int_equal(fields, c->fields);
	if (c->want == NULL) {
		assert_int_equal(growth, 0);
		return;
	}
	assert_int_equal(growth, strlen(c->want) - len);
	assert_non_null(out = malloc(len + growth + 1));
	n = cwd_fields_rename(c->line, len, out);
	out[n] = '\0';
	assert_int_equal(n, len + growth);
	assert_string_equal(out, c->want);
	free(out);
}

/* Twelve fields: numbers of two digits grow the line by two each. */
static void
test_many_fields(void **state)
{
	char line[512], want[512], *out;
	size_t len, fields, growth, n;
	int i;

	(void)state;
	strcpy(line, HEAD "cwd=/0");
	strcpy(want, line);
	for (i = 2; i <= 12; i++) {
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
		    " cwd=/%d", i);
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
		    " cwd%d=/%d", i, i);
	}
	len = strlen(line);
	growth = cwd_fields_growth(line, len, &fields);
	assert_int_equal(fields, 12);
	assert_int_equal(growth, 8 * 1 + 3 * 2);
	assert_non_null(out = malloc(len + growth + 1));
	n = cwd_fields_rename(line, len, out);
	out[n] = '\0';
	assert_string_equal(out, want);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		CASES(test_quirk, quirk_cases),
		cmocka_unit_test(test_many_fields),
	};

	return run_group(tests, NULL, NULL);
}

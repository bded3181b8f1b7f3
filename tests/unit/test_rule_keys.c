/*
 * Unit tests for the rule key table (parsers/rule_keys.h): parsing the
 * keys.tsv format, refusing bad lines with FILE:LINE, the lookup, and
 * the rule object written for an event's keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_writer.h"
#include "parsers/rule_keys.h"

#define ROW(k)	k "\tSet\tID-" k "\tName of " k "\thttps://example.org/" k "\n"

static struct rule_keys *
parse(const char *text, char *err, size_t errlen)
{
	return rule_keys_parse(text, strlen(text), "keys.tsv", err, errlen);
}

static void
expect_error(const char *text, const char *want)
{
	char err[256] = "";
	struct rule_keys *t = parse(text, err, sizeof(err));

	if (t != NULL)
		fail_msg("accepted: %s", text);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", err, want);
}

/* The document text rule_keys_write() gives for keys. */
static char *
written(const struct rule_keys *t, const char *keys, size_t n)
{
	struct jw w;
	char *out;
	size_t len;

	jw_init(&w);
	jw_object_open(&w, NULL);
	rule_keys_write(t, &w, keys, n);
	jw_object_close(&w);
	assert_false(jw_failed(&w));
	out = jw_take(&w, &len);
	jw_release(&w);
	return out;
}

static void
test_parse_and_find(void **state)
{
	char err[256];
	struct rule_keys *t;
	const struct rule_info *ri;

	(void)state;
	t = parse("# comment\n\n" ROW("b") ROW("a") "c\tS\tI\tN\tR\r\n", err,
	    sizeof(err));
	assert_non_null(t);
	assert_int_equal(rule_keys_count(t), 3);
	ri = rule_keys_find(t, "a", 1);
	assert_non_null(ri);
	assert_string_equal(ri->ruleset, "Set");
	assert_string_equal(ri->id, "ID-a");
	assert_string_equal(ri->name, "Name of a");
	assert_string_equal(ri->reference, "https://example.org/a");
	/* CRLF line: the carriage return is not part of the reference */
	assert_string_equal(rule_keys_find(t, "c", 1)->reference, "R");
	/* lengths are exact: neither a prefix nor a longer key matches */
	assert_null(rule_keys_find(t, "ab", 2));
	assert_non_null(rule_keys_find(t, "ab", 1));
	assert_null(rule_keys_find(t, "", 0));
	assert_null(rule_keys_find(t, "a\0", 2));
	assert_null(rule_keys_find(NULL, "a", 1));
	rule_keys_free(t);
}

static void
test_bad_lines(void **state)
{
	static const char rest[] = "\tS\tI\tN\tR\n";
	char big[RULE_KEYS_MAX_KEY + 1 + sizeof(rest)];

	(void)state;
	expect_error(ROW("a") "b\tS\tI\tN\n", "keys.tsv:2: 4 field(s)");
	expect_error("a\tS\tI\tN\tR\tX\n", "keys.tsv:1: more than 5 fields");
	expect_error("a\t\tI\tN\tR\n", "keys.tsv:1: empty ruleset");
	expect_error("a b\tS\tI\tN\tR\n", "has a space");
	expect_error("a\tS\x02\tI\tN\tR\n", "control byte 0x02");
	expect_error(ROW("a") ROW("a"), "key 'a' is listed twice");
	{
		static const char nul[] = "a\tS\0\tI\tN\tR\n";
		char err[256] = "";

		assert_null(rule_keys_parse(nul, sizeof(nul) - 1, "keys.tsv",
		    err, sizeof(err)));
		assert_non_null(strstr(err, "keys.tsv: has a NUL byte"));
	}
	memset(big, 'k', sizeof(big));
	memcpy(big + RULE_KEYS_MAX_KEY + 1, rest, sizeof(rest));
	expect_error(big, "key longer than 256 bytes");
}

static void
test_file_limits(void **state)
{
	char err[256] = "";
	char *text;
	size_t len = (size_t)RULE_KEYS_MAX_FILE + 1;

	(void)state;
	assert_non_null(text = malloc(len));
	memset(text, '#', len);
	assert_null(rule_keys_parse(text, len, "big.tsv", err, sizeof(err)));
	assert_non_null(strstr(err, "big.tsv: larger than"));
	free(text);
	assert_null(rule_keys_load("/nonexistent/keys.tsv", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/keys.tsv: No such file"));
	assert_null(rule_keys_load("/", err, sizeof(err)));
	assert_non_null(strstr(err, "not a regular file"));
}

static void
test_write(void **state)
{
	char err[256];
	struct rule_keys *t;
	char *s;

	(void)state;
	assert_non_null(t = parse(ROW("a") ROW("b"), err, sizeof(err)));
	s = written(t, "b", 1);
	assert_string_equal(s, "{\"rule\":{\"ruleset\":\"Set\",\"id\":\"ID-b\","
	    "\"name\":\"Name of b\",\"reference\":\"https://example.org/b\"}}");
	free(s);
	/* several keys: the first one the table knows */
	s = written(t, "x\001b\001a", 5);
	assert_non_null(strstr(s, "\"id\":\"ID-b\""));
	free(s);
	/* "key=value": the value is the key */
	s = written(t, "key=a", 5);
	assert_non_null(strstr(s, "\"id\":\"ID-a\""));
	free(s);
	/* unknown keys, an empty key list, no table: nothing */
	s = written(t, "x\001y", 3);
	assert_string_equal(s, "{}");
	free(s);
	s = written(t, "\001\001", 2);
	assert_string_equal(s, "{}");
	free(s);
	s = written(NULL, "a", 1);
	assert_string_equal(s, "{}");
	free(s);
	rule_keys_free(t);
}

/* The table shipped in rules.d parses, and every profile's key is in it. */
static void
test_shipped_table(void **state)
{
	char err[512], path[4096];
	const char *srcdir = getenv("srcdir");
	struct rule_keys *t;

	(void)state;
	snprintf(path, sizeof(path), "%s/rules.d/keys.tsv",
	    srcdir != NULL ? srcdir : ".");
	t = rule_keys_load(path, err, sizeof(err));
	if (t == NULL)
		fail_msg("%s", err);
	assert_non_null(rule_keys_find(t, "stig-RHEL-09-654010", 19));
	assert_non_null(rule_keys_find(t, "cis-6.2.3.6", 11));
	assert_non_null(rule_keys_find(t, "pci-10.2.1.2", 12));
	assert_non_null(rule_keys_find(t, "ospp-create-failed", 18));
	rule_keys_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_find),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_file_limits),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_shipped_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

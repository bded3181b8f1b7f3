/*
 * Unit tests for the streaming JSON writer (parsers/json_writer.h).
 *
 * Every document is compared byte for byte with the expected text and also
 * parsed back with json-c, so a writer that produces invalid JSON fails even
 * where the expected text was written wrongly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <json.h>
#include <stdio.h>
#include <string.h>

#include "common/json_writer.h"

/* The buffer as a NUL-terminated string (the writer does not add one). */
static const char *
text_of(struct jw *w)
{
	jw_append(w, "", 1);
	assert_false(jw_failed(w));
	jw_rewind(w, jw_len(w) - 1);
	return jw_data(w);
}

/* Parses the whole buffer as one JSON value; fails the test if invalid. */
static json_object *
parse_all(struct jw *w)
{
	const char *text = text_of(w);
	struct json_tokener *tok = json_tokener_new();
	json_object *obj;

	assert_non_null(tok);
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)jw_len(w));
	if (json_tokener_get_error(tok) != json_tokener_success)
		fail_msg("not valid JSON: %s: %s",
		    json_tokener_error_desc(json_tokener_get_error(tok)), text);
	/* Nothing may follow the value. */
	assert_int_equal(json_tokener_get_parse_end(tok), jw_len(w));
	json_tokener_free(tok);
	return obj;
}

/* Writes {"v": s[0..n)} and returns the text. */
static const char *
write_value(struct jw *w, const char *s, size_t n)
{
	jw_init(w);
	jw_object_open(w, NULL);
	jw_string(w, "v", s, n);
	jw_object_close(w);
	return text_of(w);
}

/* The parsed value of {"v": ...} must be exactly want[0..wantlen). */
static void
assert_parsed_value(struct jw *w, const char *want, size_t wantlen)
{
	json_object *obj = parse_all(w), *v;

	assert_true(json_object_object_get_ex(obj, "v", &v));
	assert_true(json_object_is_type(v, json_type_string));
	assert_int_equal(json_object_get_string_len(v), wantlen);
	assert_memory_equal(json_object_get_string(v), want, wantlen);
	json_object_put(obj);
}

static void
test_empty_object_and_array(void **state)
{
	struct jw w;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_array_open(&w, "a");
	jw_array_close(&w);
	jw_object_open(&w, "o");
	jw_object_close(&w);
	jw_object_close(&w);
	assert_string_equal(text_of(&w), "{\"a\":[],\"o\":{}}");
	json_object_put(parse_all(&w));
	jw_release(&w);
}

static void
test_commas_between_members_and_elements(void **state)
{
	struct jw w;
	json_object *obj, *v;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_cstring(&w, "s", "x");
	jw_int(&w, "i", -42);
	jw_uint(&w, "u", 18446744073709551615ULL);
	jw_bool(&w, "t", 1);
	jw_bool(&w, "f", 0);
	jw_array_open(&w, "arr");
	jw_int(&w, NULL, 1);
	jw_cstring(&w, NULL, "two");
	jw_object_open(&w, NULL);
	jw_int(&w, "k", 3);
	jw_object_close(&w);
	jw_array_open(&w, NULL);
	jw_array_close(&w);
	jw_array_close(&w);
	jw_raw(&w, "raw", "[true,null]", 11);
	jw_object_close(&w);
	assert_string_equal(text_of(&w),
	    "{\"s\":\"x\",\"i\":-42,\"u\":18446744073709551615,\"t\":true,"
	    "\"f\":false,\"arr\":[1,\"two\",{\"k\":3},[]],"
	    "\"raw\":[true,null]}");
	obj = parse_all(&w);
	assert_true(json_object_object_get_ex(obj, "i", &v));
	assert_int_equal(json_object_get_int64(v), -42);
	assert_true(json_object_object_get_ex(obj, "arr", &v));
	assert_int_equal(json_object_array_length(v), 4);
	json_object_put(obj);
	jw_release(&w);
}

static void
test_int_extremes(void **state)
{
	struct jw w;

	jw_init(&w);
	jw_array_open(&w, NULL);
	jw_int(&w, NULL, INT64_MIN);
	jw_int(&w, NULL, 0);
	jw_uint(&w, NULL, 0);
	jw_array_close(&w);
	assert_string_equal(text_of(&w), "[-9223372036854775808,0,0]");
	jw_release(&w);
}

static void
test_documents_one_after_another(void **state)
{
	struct jw w;

	jw_init(&w);
	jw_begin_document(&w);
	jw_object_open(&w, NULL);
	jw_int(&w, "n", 1);
	jw_object_close(&w);
	jw_append(&w, "\n", 1);
	jw_begin_document(&w);
	jw_object_open(&w, NULL);
	jw_int(&w, "n", 2);
	jw_object_close(&w);
	jw_append(&w, "\n", 1);
	/* No comma may leak from the first document into the second. */
	assert_string_equal(text_of(&w), "{\"n\":1}\n{\"n\":2}\n");
	jw_release(&w);
}

static void
test_reset_forgets_content(void **state)
{
	struct jw w;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_cstring(&w, "a", "b");
	jw_reset(&w);
	assert_int_equal(jw_len(&w), 0);
	jw_object_open(&w, NULL);
	jw_cstring(&w, "c", "d");
	jw_object_close(&w);
	assert_string_equal(text_of(&w), "{\"c\":\"d\"}");
	jw_release(&w);
}

static void
test_escapes_quote_and_backslash(void **state)
{
	static const char in[] = "say \"hi\" C:\\dir";
	struct jw w;

	assert_string_equal(write_value(&w, in, strlen(in)),
	    "{\"v\":\"say \\\"hi\\\" C:\\\\dir\"}");
	assert_parsed_value(&w, in, strlen(in));
	assert_int_equal(jw_escaped_count(&w), 0);
	jw_release(&w);
}

static void
test_escapes_control_characters(void **state)
{
	static const char in[] = "a\nb\tc\rd\001e\037f\177";
	struct jw w;

	assert_string_equal(write_value(&w, in, strlen(in)),
	    "{\"v\":\"a\\nb\\tc\\rd\\u0001e\\u001Ff\177\"}");
	assert_parsed_value(&w, in, strlen(in));
	assert_int_equal(jw_escaped_count(&w), 0);
	jw_release(&w);
}

static void
test_nul_byte_inside_value(void **state)
{
	static const char in[] = "a\0b";
	struct jw w;

	assert_string_equal(write_value(&w, in, 3), "{\"v\":\"a\\u0000b\"}");
	jw_release(&w);
}

static void
test_valid_utf8_passes_through(void **state)
{
	/* 2, 3 and 4 byte sequences: é, €, U+10348, and U+10FFFF. */
	static const char in[] =
	    "caf\xC3\xA9 \xE2\x82\xAC \xF0\x90\x8D\x88 \xF4\x8F\xBF\xBF";
	struct jw w;
	char want[128];

	snprintf(want, sizeof(want), "{\"v\":\"%s\"}", in);
	assert_string_equal(write_value(&w, in, strlen(in)), want);
	assert_parsed_value(&w, in, strlen(in));
	assert_int_equal(jw_escaped_count(&w), 0);
	jw_release(&w);
}

static void
test_invalid_byte_becomes_backslash_x(void **state)
{
	static const char in[] = "ab\xFF" "c";
	struct jw w;

	assert_string_equal(write_value(&w, in, strlen(in)),
	    "{\"v\":\"ab\\\\xFFc\"}");
	/* The value, once parsed, holds the four characters \xFF. */
	assert_parsed_value(&w, "ab\\xFFc", 7);
	assert_int_equal(jw_escaped_count(&w), 1);
	jw_release(&w);
}

static void
test_backslash_doubled_only_when_value_has_invalid_bytes(void **state)
{
	static const char in[] = "\\x41\xFE";
	struct jw w;

	/*
	 * The literal text \x41 must stay distinguishable from an escaped
	 * byte: its backslash is doubled, and the parsed value is \\x41\xFE.
	 */
	assert_string_equal(write_value(&w, in, strlen(in)),
	    "{\"v\":\"\\\\\\\\x41\\\\xFE\"}");
	assert_parsed_value(&w, "\\\\x41\\xFE", 9);
	jw_release(&w);

	/* The same backslash in a valid value is written once. */
	assert_string_equal(write_value(&w, "\\x41", 4),
	    "{\"v\":\"\\\\x41\"}");
	assert_parsed_value(&w, "\\x41", 4);
	assert_int_equal(jw_escaped_count(&w), 0);
	jw_release(&w);
}

static void
test_valid_sequences_kept_in_invalid_value(void **state)
{
	/* é stays as is; the lone continuation byte and the cut € do not. */
	static const char in[] = "\xC3\xA9\x80-\xE2\x82";
	struct jw w;

	assert_string_equal(write_value(&w, in, strlen(in)),
	    "{\"v\":\"\xC3\xA9\\\\x80-\\\\xE2\\\\x82\"}");
	assert_parsed_value(&w, "\xC3\xA9\\x80-\\xE2\\x82", 15);
	jw_release(&w);
}

static void
test_control_chars_in_invalid_value(void **state)
{
	static const char in[] = "\"\n\xC0";
	struct jw w;

	assert_string_equal(write_value(&w, in, strlen(in)),
	    "{\"v\":\"\\\"\\n\\\\xC0\"}");
	assert_parsed_value(&w, "\"\n\\xC0", 6);
	jw_release(&w);
}

static void
test_escaped_path_names_nested_field(void **state)
{
	struct jw w;
	char path[64];

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_object_open(&w, "process");
	jw_cstring(&w, "name", "ok");
	jw_array_open(&w, "args");
	jw_cstring(&w, NULL, "fine");
	jw_cstring(&w, NULL, "bad\xFF");
	jw_array_close(&w);
	jw_cstring(&w, "title", "also\xFE");
	jw_object_close(&w);
	jw_object_open(&w, "file");
	jw_cstring(&w, "path", "/tmp/\x80");
	jw_object_close(&w);
	jw_object_close(&w);
	json_object_put(parse_all(&w));

	assert_int_equal(jw_escaped_count(&w), 3);
	jw_escaped_path(&w, 0, path, sizeof(path));
	assert_string_equal(path, "process.args");
	jw_escaped_path(&w, 1, path, sizeof(path));
	assert_string_equal(path, "process.title");
	jw_escaped_path(&w, 2, path, sizeof(path));
	assert_string_equal(path, "file.path");
	jw_release(&w);
}

static void
test_escaped_path_truncated_to_buffer(void **state)
{
	struct jw w;
	char path[10];

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_object_open(&w, "process");
	jw_cstring(&w, "executable", "\xFF");
	jw_object_close(&w);
	jw_object_close(&w);
	jw_escaped_path(&w, 0, path, sizeof(path));
	/* Cut short but still NUL-terminated. */
	assert_string_equal(path, "process.e");
	jw_release(&w);
}

static void
test_escaped_fields_forgotten_by_next_document(void **state)
{
	struct jw w;

	jw_init(&w);
	jw_begin_document(&w);
	jw_object_open(&w, NULL);
	jw_cstring(&w, "a", "\xFF");
	jw_object_close(&w);
	assert_int_equal(jw_escaped_count(&w), 1);
	jw_begin_document(&w);
	jw_object_open(&w, NULL);
	jw_cstring(&w, "a", "ok");
	jw_object_close(&w);
	assert_int_equal(jw_escaped_count(&w), 0);
	jw_release(&w);
}

static void
test_utf8_sequence_length_accepts_valid(void **state)
{
	assert_int_equal(utf8_sequence_length((const unsigned char *)"A", 1), 1);
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xC2\x80", 2), 2);	/* U+0080 */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xDF\xBF", 2), 2);	/* U+07FF */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xE0\xA0\x80", 3), 3);	/* U+0800 */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xED\x9F\xBF", 3), 3);	/* U+D7FF */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xEE\x80\x80", 3), 3);	/* U+E000 */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xF0\x90\x80\x80", 4), 4);	/* U+10000 */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xF4\x8F\xBF\xBF", 4), 4);	/* U+10FFFF */
}

static void
test_utf8_sequence_length_rejects_overlong(void **state)
{
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xC0\xAF", 2), 0);		/* '/' */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xC1\xBF", 2), 0);
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xE0\x80\xAF", 3), 0);
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xE0\x9F\xBF", 3), 0);
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xF0\x80\x80\xAF", 4), 0);
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xF0\x8F\xBF\xBF", 4), 0);
}

static void
test_utf8_sequence_length_rejects_surrogates_and_beyond(void **state)
{
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xED\xA0\x80", 3), 0);	/* U+D800 */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xED\xBF\xBF", 3), 0);	/* U+DFFF */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xF4\x90\x80\x80", 4), 0);	/* U+110000 */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xF5\x80\x80\x80", 4), 0);
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xFF", 1), 0);
}

static void
test_utf8_sequence_length_rejects_cut_and_bad_continuation(void **state)
{
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\x80", 1), 0);		/* lone */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xC3", 1), 0);		/* cut */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xE2\x82\xAC", 2), 0);	/* n too small */
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xF0\x90\x8D\x88", 3), 0);
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xC3\x41", 2), 0);
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xE2\x82\x41", 3), 0);
	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)"\xF0\x90\x8D\xC0", 4), 0);
}

static void
test_overlong_value_written_as_escaped_bytes(void **state)
{
	/* An overlong '/' must not reach the output as a raw byte pair. */
	static const char in[] = "\xC0\xAF";
	struct jw w;

	assert_string_equal(write_value(&w, in, 2),
	    "{\"v\":\"\\\\xC0\\\\xAF\"}");
	assert_parsed_value(&w, "\\xC0\\xAF", 8);
	jw_release(&w);
}

static void
test_large_value_grows_buffer(void **state)
{
	static char in[200000];
	struct jw w;
	json_object *obj, *v;

	memset(in, '"', sizeof(in));
	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_string(&w, "v", in, sizeof(in));
	jw_object_close(&w);
	/* {"v":" + 2 characters per quote + "} */
	assert_int_equal(jw_len(&w), 6 + 2 * sizeof(in) + 2);
	obj = parse_all(&w);
	assert_true(json_object_object_get_ex(obj, "v", &v));
	assert_int_equal(json_object_get_string_len(v), sizeof(in));
	json_object_put(obj);
	jw_release(&w);
}

/* Past the bound the writer fails, as when out of memory. */
static void
test_bound_is_a_failure(void **state)
{
	struct jw w;

	(void)state;
	jw_init(&w);
	assert_int_equal(w.out.max, JW_MAX_BYTES);
	w.out.max = 24;
	jw_object_open(&w, NULL);
	/* 6 bytes of worst-case room per byte would not fit: exact does. */
	jw_string(&w, "k", "0123456789", 10);
	assert_false(jw_failed(&w));
	jw_string(&w, "l", "0123456789", 10);
	assert_true(jw_failed(&w));
	/* A failure is sticky until the half-written part is dropped. */
	jw_object_close(&w);
	assert_true(jw_failed(&w));
	jw_rewind(&w, 1);
	assert_false(jw_failed(&w));
	assert_int_equal(jw_len(&w), 1);
	jw_release(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_object_and_array),
		cmocka_unit_test(test_commas_between_members_and_elements),
		cmocka_unit_test(test_int_extremes),
		cmocka_unit_test(test_documents_one_after_another),
		cmocka_unit_test(test_reset_forgets_content),
		cmocka_unit_test(test_escapes_quote_and_backslash),
		cmocka_unit_test(test_escapes_control_characters),
		cmocka_unit_test(test_nul_byte_inside_value),
		cmocka_unit_test(test_valid_utf8_passes_through),
		cmocka_unit_test(test_invalid_byte_becomes_backslash_x),
		cmocka_unit_test(
		    test_backslash_doubled_only_when_value_has_invalid_bytes),
		cmocka_unit_test(test_valid_sequences_kept_in_invalid_value),
		cmocka_unit_test(test_control_chars_in_invalid_value),
		cmocka_unit_test(test_escaped_path_names_nested_field),
		cmocka_unit_test(test_escaped_path_truncated_to_buffer),
		cmocka_unit_test(test_escaped_fields_forgotten_by_next_document),
		cmocka_unit_test(test_utf8_sequence_length_accepts_valid),
		cmocka_unit_test(test_utf8_sequence_length_rejects_overlong),
		cmocka_unit_test(
		    test_utf8_sequence_length_rejects_surrogates_and_beyond),
		cmocka_unit_test(
		    test_utf8_sequence_length_rejects_cut_and_bad_continuation),
		cmocka_unit_test(test_overlong_value_written_as_escaped_bytes),
		cmocka_unit_test(test_large_value_grows_buffer),
		cmocka_unit_test(test_bound_is_a_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

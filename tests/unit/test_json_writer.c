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
#include "helpers.h"

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

/* A string and its length, for the tables below. */
#define BYTES(s)	(s), sizeof(s) - 1

/*
 * A value written as {"v": ...}: how many fields had bytes escaped (0 or
 * this one), the text written, and what json-c parses back when that is
 * not the value itself.
 */
static const struct value_case {
	const char	*name;
	const char	*in;
	size_t		 inlen;
	size_t		 escaped;
	const char	*text;
	const char	*parsed;	/* NULL: in */
	size_t		 parsedlen;
} value_cases[] = {
	{ "escapes quote and backslash", BYTES("say \"hi\" C:\\dir"), 0,
	    "{\"v\":\"say \\\"hi\\\" C:\\\\dir\"}", NULL, 0 },
	{ "escapes control characters", BYTES("a\nb\tc\rd\001e\037f\177"), 0,
	    "{\"v\":\"a\\nb\\tc\\rd\\u0001e\\u001Ff\177\"}", NULL, 0 },
	{ "NUL byte inside value", BYTES("a\0b"), 0,
	    "{\"v\":\"a\\u0000b\"}", NULL, 0 },
	/* 2, 3 and 4 byte sequences: é, €, U+10348, and U+10FFFF. */
	{ "valid UTF-8 passes through",
	    BYTES("caf\xC3\xA9 \xE2\x82\xAC \xF0\x90\x8D\x88 \xF4\x8F\xBF\xBF"),
	    0, "{\"v\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x90\x8D\x88 "
	    "\xF4\x8F\xBF\xBF\"}", NULL, 0 },
	/* The value, once parsed, holds the four characters \xFF. */
	{ "invalid byte becomes backslash x", BYTES("ab\xFF" "c"), 1,
	    "{\"v\":\"ab\\\\xFFc\"}", BYTES("ab\\xFFc") },
	/*
	 * The literal text \x41 must stay distinguishable from an escaped
	 * byte: its backslash is doubled, and the parsed value is \\x41\xFE.
	 */
	{ "backslash doubled when the value has invalid bytes",
	    BYTES("\\x41\xFE"), 1,
	    "{\"v\":\"\\\\\\\\x41\\\\xFE\"}", BYTES("\\\\x41\\xFE") },
	/* The same backslash in a valid value is written once. */
	{ "backslash once in a valid value", BYTES("\\x41"), 0,
	    "{\"v\":\"\\\\x41\"}", NULL, 0 },
	/* é stays as is; the lone continuation byte and the cut € do not. */
	{ "valid sequences kept in an invalid value",
	    BYTES("\xC3\xA9\x80-\xE2\x82"), 1,
	    "{\"v\":\"\xC3\xA9\\\\x80-\\\\xE2\\\\x82\"}",
	    BYTES("\xC3\xA9\\x80-\\xE2\\x82") },
	{ "control characters in an invalid value", BYTES("\"\n\xC0"), 1,
	    "{\"v\":\"\\\"\\n\\\\xC0\"}", BYTES("\"\n\\xC0") },
	/* An overlong '/' must not reach the output as a raw byte pair. */
	{ "overlong value written as escaped bytes", BYTES("\xC0\xAF"), 1,
	    "{\"v\":\"\\\\xC0\\\\xAF\"}", BYTES("\\xC0\\xAF") },
};

static void
test_value(void **state)
{
	const struct value_case *c = *state;
	struct jw w;

	assert_string_equal(write_value(&w, c->in, c->inlen), c->text);
	if (c->parsed == NULL)
		assert_parsed_value(&w, c->in, c->inlen);
	else
		assert_parsed_value(&w, c->parsed, c->parsedlen);
	assert_int_equal(jw_escaped_count(&w), c->escaped);
	jw_release(&w);
}

/*
 * The path of escaped field i, written into size bytes, is want; not a
 * byte is written past them.
 */
static void
assert_escaped_path(struct jw *w, size_t i, size_t size, const char *want)
{
	char path[65];
	size_t k;

	assert_true(size < sizeof(path));
	memset(path, '#', sizeof(path));
	jw_escaped_path(w, i, path, size);
	assert_string_equal(path, want);
	for (k = size; k < sizeof(path); k++)
		assert_int_equal(path[k], '#');
}

static void
test_escaped_path_names_nested_field(void **state)
{
	struct jw w;

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
	assert_escaped_path(&w, 0, 64, "process.args");
	assert_escaped_path(&w, 1, 64, "process.title");
	assert_escaped_path(&w, 2, 64, "file.path");
	jw_release(&w);
}

static void
test_escaped_path_truncated_to_buffer(void **state)
{
	struct jw w;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_object_open(&w, "process");
	jw_cstring(&w, "executable", "\xFF");
	jw_object_close(&w);
	jw_object_close(&w);
	/* Cut short but still NUL-terminated. */
	assert_escaped_path(&w, 0, 10, "process.e");
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

/* utf8_sequence_length(bytes, n): a valid sequence's length, else 0. */
static const struct utf8_case {
	const char	*name;
	const char	*bytes;
	size_t		 n;
	size_t		 want;
} utf8_cases[] = {
	{ "A", "A", 1, 1 },
	{ "U+0080", "\xC2\x80", 2, 2 },
	{ "U+07FF", "\xDF\xBF", 2, 2 },
	{ "U+0800", "\xE0\xA0\x80", 3, 3 },
	{ "U+D7FF", "\xED\x9F\xBF", 3, 3 },
	{ "U+E000", "\xEE\x80\x80", 3, 3 },
	{ "U+10000", "\xF0\x90\x80\x80", 4, 4 },
	{ "U+10FFFF", "\xF4\x8F\xBF\xBF", 4, 4 },
	{ "overlong '/' in 2 bytes", "\xC0\xAF", 2, 0 },
	{ "overlong U+007F", "\xC1\xBF", 2, 0 },
	{ "overlong '/' in 3 bytes", "\xE0\x80\xAF", 3, 0 },
	{ "overlong U+07FF", "\xE0\x9F\xBF", 3, 0 },
	{ "overlong '/' in 4 bytes", "\xF0\x80\x80\xAF", 4, 0 },
	{ "overlong U+FFFF", "\xF0\x8F\xBF\xBF", 4, 0 },
	{ "surrogate U+D800", "\xED\xA0\x80", 3, 0 },
	{ "surrogate U+DFFF", "\xED\xBF\xBF", 3, 0 },
	{ "U+110000", "\xF4\x90\x80\x80", 4, 0 },
	{ "lead byte 0xF5", "\xF5\x80\x80\x80", 4, 0 },
	{ "byte 0xFF", "\xFF", 1, 0 },
	{ "lone continuation byte", "\x80", 1, 0 },
	{ "cut 2-byte sequence", "\xC3", 1, 0 },
	{ "3-byte sequence, n 2", "\xE2\x82\xAC", 2, 0 },
	{ "4-byte sequence, n 3", "\xF0\x90\x8D\x88", 3, 0 },
	{ "bad 2nd byte of 2", "\xC3\x41", 2, 0 },
	{ "bad 3rd byte of 3", "\xE2\x82\x41", 3, 0 },
	{ "bad 4th byte of 4", "\xF0\x90\x8D\xC0", 4, 0 },
};

static void
test_utf8_sequence_length(void **state)
{
	const struct utf8_case *c = *state;

	assert_int_equal(utf8_sequence_length(
	    (const unsigned char *)c->bytes, c->n), c->want);
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

/*
 * Plain bytes are looked at eight at a time: every byte that needs
 * escaping must be found at every position of such a word, in values of
 * every length around it, next to bytes that only look like it (0x1F and
 * 0x20, 0x21 and 0x23, 0x5B and 0x5D, 0x7F).
 */
static void
test_escape_found_at_every_position(void **state)
{
	static const char specials[] = { '"', '\\', '\n', '\x01', '\x1f' };
	static const char *const escaped[] = { "\\\"", "\\\\", "\\n",
	    "\\u0001", "\\u001F" };
	static const char filler[] = " !#[]~\x7f";
	char value[40], expected[80];
	size_t len, at, k, i, e;
	struct jw w;

	(void)state;
	for (len = 1; len <= 24; len++)
		for (at = 0; at < len; at++)
			for (k = 0; k < sizeof(specials); k++) {
				for (i = 0; i < len; i++)
					value[i] = filler[i % (sizeof(filler) - 1)];
				value[at] = specials[k];
				e = 0;
				expected[e++] = '"';
				for (i = 0; i < len; i++) {
					if (i == at) {
						memcpy(expected + e, escaped[k],
						    strlen(escaped[k]));
						e += strlen(escaped[k]);
					} else
						expected[e++] = value[i];
				}
				expected[e++] = '"';
				expected[e] = '\0';
				jw_init(&w);
				jw_string(&w, NULL, value, len);
				assert_string_equal(text_of(&w), expected);
				jw_release(&w);
			}
}

/*
 * Keys are copied while they are checked: plain keys of every length
 * around the fast path's limit, and keys with a byte to escape before,
 * at and after it, must come out the same as the slow path writes them.
 */
static void
test_keys_of_every_length(void **state)
{
	char key[160], expected[400];
	size_t len, at, i, e;
	struct jw w;

	(void)state;
	for (len = 1; len < 100; len++)
		for (at = 0; at <= len; at += (len > 8 ? 7 : 1)) {
			/* at == len: a plain key */
			for (i = 0; i < len; i++)
				key[i] = (char)('a' + i % 26);
			if (at < len)
				key[at] = '"';
			key[len] = '\0';
			e = (size_t)snprintf(expected, sizeof(expected),
			    "{\"x\":1,\"");
			for (i = 0; i < len; i++) {
				if (key[i] == '"')
					expected[e++] = '\\';
				expected[e++] = key[i];
			}
			memcpy(expected + e, "\":2}", 5);
			jw_init(&w);
			jw_object_open(&w, NULL);
			jw_int(&w, "x", 1);
			jw_int(&w, key, 2);
			jw_object_close(&w);
			assert_string_equal(text_of(&w), expected);
			jw_release(&w);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_of_every_length),
		cmocka_unit_test(test_escape_found_at_every_position),
		cmocka_unit_test(test_empty_object_and_array),
		cmocka_unit_test(test_commas_between_members_and_elements),
		cmocka_unit_test(test_int_extremes),
		cmocka_unit_test(test_documents_one_after_another),
		cmocka_unit_test(test_reset_forgets_content),
		CASES(test_value, value_cases),
		cmocka_unit_test(test_escaped_path_names_nested_field),
		cmocka_unit_test(test_escaped_path_truncated_to_buffer),
		cmocka_unit_test(test_escaped_fields_forgotten_by_next_document),
		CASES(test_utf8_sequence_length, utf8_cases),
		cmocka_unit_test(test_large_value_grows_buffer),
		cmocka_unit_test(test_bound_is_a_failure),
	};

	return run_group(tests, NULL, NULL);
}

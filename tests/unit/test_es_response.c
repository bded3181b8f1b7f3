/*
 * Unit tests for reading Elasticsearch's answers as hostile input
 * (outputs/es_response.h): strict whole-body parsing, typed members,
 * printable texts, error reasons, the GET / check, and the answers that
 * setup and test output read (templates, policies, acknowledgements, the
 * index of a created document).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "outputs/es_client.h"
#include "outputs/es_response.h"

#define DIGEST_A	"0123456789abcdef0123456789abcdef" \
			"0123456789abcdef0123456789abcdef"

/* A literal with NUL bytes in it, and its length. */
#define WITH_NUL(s)	s, sizeof(s) - 1
/* A string and its length. */
#define TEXT(s)		s, strlen(s)

static void
test_json_parse(void **state)
{
	json_object *o;
	char err[256];

	(void)state;
	/* A number at the very end is complete. */
	assert_int_equal(es_json_parse("123", 3, 10, &o, err, sizeof(err)), 0);
	assert_true(json_object_is_type(o, json_type_int));
	json_object_put(o);
	assert_int_equal(es_json_parse("[1] \n", 5, 10, &o, err, sizeof(err)), 0);
	json_object_put(o);
	assert_int_equal(es_json_parse("12", 1, 10, &o, err, sizeof(err)), 0);
	assert_int_equal(json_object_get_int(o), 1);
	json_object_put(o);
	assert_int_equal(es_json_parse("{\"a\":[1,", 8, 10, &o, err, sizeof(err)),
	    -1);
	assert_null(o);
	assert_non_null(strstr(err, "cut short"));
	assert_int_equal(es_json_parse("nul", 3, 10, &o, err, sizeof(err)), -1);
	assert_int_equal(es_json_parse("null", 4, 10, &o, err, sizeof(err)), -1);
	assert_string_equal(err, "the body is null");
	assert_int_equal(es_json_parse("{'a':1,}", 8, 10, &o, err, sizeof(err)),
	    -1);
	assert_int_equal(es_json_parse("[1,2,3]", 7, 3, &o, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "the body holds more than 3 JSON values");
	assert_int_equal(es_json_parse("[1,2,3]", 7, 4, &o, err, sizeof(err)),
	    0);
	json_object_put(o);
	/* Escaped NUL in a string is JSON; a raw one is not. */
	assert_int_equal(es_json_parse(WITH_NUL("[\"a\\u0000b\"]"), 10, &o, err,
	    sizeof(err)), 0);
	json_object_put(o);
	assert_int_equal(es_json_parse(WITH_NUL("[\"a\0b\"]"), 10, &o, err,
	    sizeof(err)), -1);
	assert_int_equal(es_json_parse("[\"\xc3\x28\"]", 6, 10, &o, err,
	    sizeof(err)), -1);
}

static void
test_json_get(void **state)
{
	json_object *root, *v;
	char err[64];

	(void)state;
	assert_int_equal(es_json_parse(TEXT("{\"s\":\"x\",\"n\":null,\"i\":1}"), 50,
	    &root, err, sizeof(err)), 0);
	assert_int_equal(es_json_get(root, "s", json_type_string, &v), 1);
	assert_string_equal(json_object_get_string(v), "x");
	assert_int_equal(es_json_get(root, "missing", json_type_string, &v), 0);
	assert_null(v);
	assert_int_equal(es_json_get(root, "n", json_type_string, &v), -1);
	assert_null(v);
	assert_string_equal(es_json_type_name(v), "null");
	assert_int_equal(es_json_get(root, "i", json_type_string, &v), -1);
	assert_string_equal(es_json_type_name(v), "an integer");
	/* Not an object: the same as a member of the wrong type. */
	assert_int_equal(es_json_get(v, "s", json_type_string, &v), -1);
	assert_int_equal(es_json_get(NULL, "s", json_type_string, &v), -1);
	json_object_put(root);
}

static void
assert_printable(const char *in, size_t n, size_t size, const char *want)
{
	char out[128];

	assert_true(size <= sizeof(out));
	es_printable(out, size, in, n);
	assert_string_equal(out, want);
}

static void
test_printable(void **state)
{
	(void)state;
	assert_printable("plain text", 10, 128, "plain text");
	assert_printable(TEXT("a\nb\rc\td\x1b[0m\x7f"), 128,
	    "a\\x0ab\\x0dc\\x09d\\x1b[0m\\x7f");
	assert_printable(WITH_NUL("x\0y"), 128, "x\\x00y");
	/* UTF-8 kept; C1 controls, overlong forms, surrogates, bad bytes not. */
	assert_printable("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, 128,
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	assert_printable("\xc2\x9b" "1m", 4, 128, "\\xc2\\x9b1m");
	assert_printable("\xc0\xaf\xe0\x80\xaf", 5, 128,
	    "\\xc0\\xaf\\xe0\\x80\\xaf");
	assert_printable("\xed\xa0\x80", 3, 128, "\\xed\\xa0\\x80");
	assert_printable("\xf4\x90\x80\x80", 4, 128, "\\xf4\\x90\\x80\\x80");
	assert_printable("\xe2\x82", 2, 128, "\\xe2\\x82");
	assert_printable("\xff\xfe", 2, 128, "\\xff\\xfe");
	/* Cut whole: neither half a character nor half an escape. */
	assert_printable("ab\xe2\x82\xac", 5, 5, "ab");
	assert_printable("ab\xe2\x82\xac", 5, 6, "ab\xe2\x82\xac");
	assert_printable("ab\n", 3, 6, "ab");
	assert_printable("ab\n", 3, 7, "ab\\x0a");
	assert_printable("abc", 3, 1, "");
}

static void
assert_reason(const char *body, size_t len, const char *want)
{
	char buf[256];

	es_error_reason(body, len, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void
test_error_reason(void **state)
{
	char big[600], buf[256];

	(void)state;
	assert_reason(TEXT(""), "(empty body)");
	assert_reason(TEXT("{\"error\":{\"root_cause\":[],\"type\":\"t\",\"reason\":"
	    "\"the reason\"},\"status\":400}"), "the reason");
	assert_reason(TEXT("{\"error\":{\"type\":\"only_type\"}}"), "only_type");
	assert_reason(TEXT("{\"error\":\"plain text\",\"status\":406}"), "plain text");
	/* Of the wrong type: the body itself, printable. */
	assert_reason(TEXT("{\"error\":{\"reason\":5}}"), "{\"error\":{\"reason\":5}}");
	assert_reason(TEXT("{\"error\":null}"), "{\"error\":null}");
	assert_reason(TEXT("[1]"), "[1]");
	assert_reason(TEXT("{\"error\":{\"reason\":\"a\\nb\\u001b\"}}"), "a\\x0ab\\x1b");
	assert_reason(TEXT("<h1>Bad\x1b[2J Gateway</h1>\n"),
	    "<h1>Bad\\x1b[2J Gateway</h1>\\x0a");
	/* The start of a body that is not JSON: 200 bytes. */
	memset(big, 'z', sizeof(big));
	es_error_reason(big, sizeof(big), buf, sizeof(buf));
	assert_int_equal(strlen(buf), 200);
}

/* es_cluster_answer for a GET / answer; the body is copied. */
static int
cluster(long status, int product, const char *body, char *found,
    char *err)
{
	static char copy[4096];
	struct es_response r;

	snprintf(copy, sizeof(copy), "%s", body);
	r.status = status;
	r.body = copy;
	r.len = strlen(copy);
	r.elastic_product = product;
	found[0] = err[0] = '\0';
	return es_cluster_answer(&r, NULL, found, 256, err, 512);
}

#define ES8	"{\"name\":\"n\",\"cluster_name\":\"prod\",\"version\":{\"number\":" \
		"\"8.15.0\",\"build_flavor\":\"default\"},\"tagline\":\"You Know, " \
		"for Search\"}"
#define ES7(number, flavor, tagline) "{\"cluster_name\":\"old\",\"version\":" \
		"{\"number\":" number ",\"build_flavor\":" flavor "},\"tagline\":" \
		tagline "}"
#define TAG	"\"You Know, for Search\""

/* The answers that must be taken, and what they are taken for. */
static void
test_cluster_supported(void **state)
{
	char found[256], err[512];

	(void)state;
	assert_int_equal(cluster(200, 1, ES8, found, err), 0);
	assert_string_equal(found, "Elasticsearch 8.15.0 (cluster prod)");
	assert_int_equal(cluster(200, 1, "{\"version\":{\"number\":"
	    "\"9.0.0-beta1\"}}", found, err), 0);
	assert_string_equal(found, "Elasticsearch 9.0.0-beta1 (cluster unnamed)");
	/* With the header, the fields it makes unneeded are not looked at. */
	assert_int_equal(cluster(200, 1, ES7("\"7.17.23\"", "null", "null"),
	    found, err), 0);
	/* 7.0 to 7.13 answer without the header. */
	assert_int_equal(cluster(200, 0, ES7("\"7.10.2\"", "\"default\"", TAG),
	    found, err), 0);
	assert_string_equal(found, "Elasticsearch 7.10.2 (cluster old)");
	assert_int_equal(cluster(200, 0, ES7("\"7.0.0\"", "\"default\"", TAG),
	    found, err), 0);
	/* A cluster name of the wrong type or with control characters. */
	assert_int_equal(cluster(200, 1, "{\"cluster_name\":5,\"version\":"
	    "{\"number\":\"8.1.0\"}}", found, err), 0);
	assert_string_equal(found, "Elasticsearch 8.1.0 (cluster unnamed)");
	assert_int_equal(cluster(200, 1, "{\"cluster_name\":\"a\\nb\",\"version\":"
	    "{\"number\":\"8.1.0\"}}", found, err), 0);
	assert_string_equal(found, "Elasticsearch 8.1.0 (cluster a\\x0ab)");
}

static void
assert_refused(long status, int product, const char *body, const char *want)
{
	char found[256], err[512];

	if (cluster(status, product, body, found, err) != -1)
		fail_msg("taken: %s (%s)", body, found);
	if (strstr(err, want) == NULL)
		fail_msg("%s: \"%s\" does not say \"%s\"", body, err, want);
}

/* tagline null without the header, and every other GET / that is wrong. */
static void
test_cluster_refused(void **state)
{
	(void)state;
	/* The reproducer: 7.x, no X-Elastic-Product, "tagline": null. */
	assert_refused(200, 0, ES7("\"7.10.2\"", "\"default\"", "null"),
	    "not Elasticsearch: GET / answered HTTP 200 without the "
	    "X-Elastic-Product: Elasticsearch header (its tagline is null, not "
	    "a string)");
	assert_refused(200, 0, ES7("\"7.10.2\"", "\"default\"", "5"),
	    "tagline is an integer");
	assert_refused(200, 0, ES7("\"7.10.2\"", "\"default\"", "[]"),
	    "tagline is an array");
	assert_refused(200, 0, "{\"version\":{\"number\":\"7.10.2\","
	    "\"build_flavor\":\"default\"}}", "it has no tagline");
	assert_refused(200, 0, ES7("\"7.10.2\"", "\"default\"",
	    "\"You Know, for Search\\u0000\""), "its tagline is not");
	assert_refused(200, 0, ES7("\"7.10.2\"", "\"default\"",
	    "\"The OpenSearch Project: https://opensearch.org/\""),
	    "its tagline is not");
	assert_refused(200, 0, ES7("\"7.10.2\"", "\"oss\"", TAG),
	    "build_flavor is not \"default\"");
	assert_refused(200, 0, ES7("\"7.10.2\"", "null", TAG),
	    "build_flavor is null, not a string");
	assert_refused(200, 0, "{\"version\":{\"number\":\"7.10.2\"},"
	    "\"tagline\":" TAG "}", "it has no version.build_flavor");
	assert_refused(200, 0, ES7("\"7.14.0\"", "\"default\"", TAG),
	    "only 7.0 to 7.13 answer without it");
	assert_refused(200, 0, ES7("\"8.15.0\"", "\"default\"", TAG),
	    "it says version 8.15");
	assert_refused(200, 0, "{\"name\":\"x\",\"version\":\"1.0\"}",
	    "its version is a string, not an object");
	assert_refused(404, 0, "<html>404</html>", "not Elasticsearch: GET / "
	    "answered HTTP 404 without the X-Elastic-Product");
	assert_refused(200, 0, "<html>hello</html>", "not Elasticsearch");
	/* With the header, version.number must be a version. */
	assert_refused(200, 1, "{}", "not what Elasticsearch sends: it has no "
	    "version");
	assert_refused(200, 1, "{\"version\":null}", "its version is null");
	assert_refused(200, 1, "{\"version\":[]}", "its version is an array");
	assert_refused(200, 1, "{\"version\":{}}", "it has no version.number");
	assert_refused(200, 1, "{\"version\":{\"number\":null}}",
	    "its version.number is null, not a string");
	assert_refused(200, 1, "{\"version\":{\"number\":8}}",
	    "its version.number is an integer");
	assert_refused(200, 1, "{\"version\":{\"number\":8.15}}",
	    "is a number with a fraction");
	assert_refused(200, 1, "{\"version\":{\"number\":\"8\"}}",
	    "its version.number \"8\" is not a version");
	assert_refused(200, 1, "{\"version\":{\"number\":\"\"}}",
	    "is not a version");
	assert_refused(200, 1, "{\"version\":{\"number\":\"8.x\"}}",
	    "is not a version");
	assert_refused(200, 1, "{\"version\":{\"number\":\"banana\"}}",
	    "is not a version");
	assert_refused(200, 1, "{\"version\":{\"number\":\"8.15.0 \\u001b[31m\"}}",
	    "\"8.15.0 \\x1b[31m\" is not a version");
	assert_refused(200, 1, "{\"version\":{\"number\":\"8.15.0\\u0000\"}}",
	    "is not a version");
	assert_refused(200, 1, "{\"version\":{\"number\":\"800000.1.0\"}}",
	    "is not a version");
	assert_refused(200, 1, "{\"version\":{\"number\":\"6.8.23\"}}",
	    "Elasticsearch 6.8.23 is not supported (7.x, 8.x or 9.x)");
	assert_refused(200, 1, "{\"version\":{\"number\":\"10.0.0\"}}",
	    "Elasticsearch 10.0.0 is not supported");
	assert_refused(200, 1, "[1]", "it is an array, not an object");
	assert_refused(200, 1, "null", "the body is null");
	assert_refused(200, 1, "", "the body is empty");
	assert_refused(200, 1, "{\"version\":{\"number\":\"8.15.0\"}",
	    "cut short");
	assert_refused(503, 1, "{\"error\":{\"reason\":\"no master\"}}",
	    "GET / answered HTTP 503: no master");
}

static int
template_digest(const char *body, char *out, char *err)
{
	return es_template_digest(body, strlen(body), "logs-x", out, err, 256);
}

/* GET _index_template/NAME answers, the [1] of the reproducer first. */
static void
test_template_digest(void **state)
{
	char out[ES_DIGEST_LEN + 1], err[256];

	(void)state;
	assert_int_equal(template_digest("[1]", out, err), -1);
	assert_string_equal(out, "");
	assert_non_null(strstr(err, "an array, not an object"));
	assert_int_equal(template_digest("1", out, err), -1);
	assert_int_equal(template_digest("{}", out, err), -1);
	assert_int_equal(template_digest("{\"index_templates\":{}}", out, err), -1);
	assert_non_null(strstr(err, "index_templates is an object, not an array"));
	assert_int_equal(template_digest("{\"index_templates\":null}", out, err), -1);
	assert_int_equal(template_digest("{\"index_templates\":[1]}", out, err), -1);
	assert_non_null(strstr(err, "index_templates[0] is not an object"));
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":5}]}",
	    out, err), -1);
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":"
	    "\"logs-x\",\"index_template\":[]}]}", out, err), -1);
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":"
	    "\"logs-x\",\"index_template\":{\"_meta\":\"x\"}}]}", out, err), -1);
	assert_non_null(strstr(err, "_meta is a string, not an object"));
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":"
	    "\"logs-x\",\"index_template\":{\"_meta\":{\"digest\":5}}}]}", out,
	    err), -1);
	assert_non_null(strstr(err, "_meta.digest is an integer"));
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":"
	    "\"logs-x\",\"index_template\":{\"_meta\":{\"digest\":\"abc\"}}}]}",
	    out, err), -1);
	assert_non_null(strstr(err, "not a SHA-256 in hex"));
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":"
	    "\"logs-x\",\"index_template\":{\"_meta\":{\"digest\":\""
	    DIGEST_A "0\"}}}]}", out, err), -1);
	/* None there, none of that name, none in _meta: not installed. */
	assert_int_equal(template_digest("{\"index_templates\":[]}", out, err), 0);
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":"
	    "\"other\",\"index_template\":{\"_meta\":{\"digest\":\"" DIGEST_A
	    "\"}}}]}", out, err), 0);
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":"
	    "\"logs-x\",\"index_template\":{}}]}", out, err), 0);
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":"
	    "\"logs-x\",\"index_template\":{\"_meta\":{\"version\":\"1\"}}}]}",
	    out, err), 0);
	assert_string_equal(out, "");
	assert_int_equal(template_digest("{\"index_templates\":[{\"name\":"
	    "\"other\",\"index_template\":{}},{\"name\":\"logs-x\","
	    "\"index_template\":{\"_meta\":{\"digest\":\"" DIGEST_A "\"}}}]}",
	    out, err), 1);
	assert_string_equal(out, DIGEST_A);
}

static int
policy_digest(const char *body, char *out, char *err)
{
	return es_policy_digest(body, strlen(body), "audisp-ecs", out, err, 256);
}

static void
test_policy_digest(void **state)
{
	char out[ES_DIGEST_LEN + 1], err[256];

	(void)state;
	assert_int_equal(policy_digest("[1]", out, err), -1);
	assert_int_equal(policy_digest("{\"audisp-ecs\":[]}", out, err), -1);
	assert_non_null(strstr(err, "its audisp-ecs is an array, not an object"));
	assert_int_equal(policy_digest("{\"audisp-ecs\":null}", out, err), -1);
	assert_int_equal(policy_digest("{\"audisp-ecs\":{}}", out, err), -1);
	assert_non_null(strstr(err, "no policy object"));
	assert_int_equal(policy_digest("{\"audisp-ecs\":{\"policy\":1}}", out,
	    err), -1);
	assert_int_equal(policy_digest("{\"audisp-ecs\":{\"policy\":{\"_meta\":"
	    "[]}}}", out, err), -1);
	assert_int_equal(policy_digest("{}", out, err), 0);
	assert_int_equal(policy_digest("{\"other\":{\"policy\":{}}}", out, err), 0);
	assert_int_equal(policy_digest("{\"audisp-ecs\":{\"version\":3,"
	    "\"policy\":{\"phases\":{}}}}", out, err), 0);
	assert_int_equal(policy_digest("{\"audisp-ecs\":{\"policy\":{\"_meta\":"
	    "{\"digest\":\"" DIGEST_A "\"}}}}", out, err), 1);
	assert_string_equal(out, DIGEST_A);
}

static void
test_acknowledged(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(es_acknowledged(TEXT("{\"acknowledged\":true}"), err,
	    sizeof(err)), 0);
	assert_int_equal(es_acknowledged(TEXT("{\"acknowledged\":false}"), err,
	    sizeof(err)), -1);
	assert_string_equal(err, "not acknowledged");
	assert_int_equal(es_acknowledged(TEXT("{\"acknowledged\":\"true\"}"), err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "a string, not a boolean"));
	assert_int_equal(es_acknowledged(TEXT("{}"), err, sizeof(err)), -1);
	assert_int_equal(es_acknowledged(TEXT("[true]"), err, sizeof(err)), -1);
	assert_int_equal(es_acknowledged(TEXT(""), err, sizeof(err)), -1);
}

static void
test_created_index(void **state)
{
	char index[16], err[256];

	(void)state;
	assert_int_equal(es_created_index(TEXT("{\"_index\":\".ds-x-1\",\"result\":"
	    "\"created\"}"), index, sizeof(index), err, sizeof(err)), 0);
	assert_string_equal(index, ".ds-x-1");
	assert_int_equal(es_created_index(TEXT("{\"_index\":null}"), index,
	    sizeof(index), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "its _index is null, not a string"));
	assert_int_equal(es_created_index(TEXT("{\"_index\":{\"a\":1}}"), index,
	    sizeof(index), err, sizeof(err)), -1);
	assert_int_equal(es_created_index(TEXT("{\"_index\":\"\"}"), index,
	    sizeof(index), err, sizeof(err)), -1);
	assert_int_equal(es_created_index(TEXT("{\"_index\":\"a\\u0000b\"}"), index,
	    sizeof(index), err, sizeof(err)), -1);
	assert_int_equal(es_created_index(TEXT("{\"_index\":\"0123456789abcdef\"}"),
	    index, sizeof(index), err, sizeof(err)), -1);
	assert_int_equal(es_created_index(TEXT("{\"_index\":\"..\"}"), index,
	    sizeof(index), err, sizeof(err)), -1);
	assert_int_equal(es_created_index(TEXT("{\"_index\":\".\"}"), index,
	    sizeof(index), err, sizeof(err)), -1);
	assert_int_equal(es_created_index(TEXT("{\"_index\":\"a/b\"}"), index,
	    sizeof(index), err, sizeof(err)), -1);
	assert_int_equal(es_created_index(TEXT("{\"_index\":\"a?b\"}"), index,
	    sizeof(index), err, sizeof(err)), -1);
	assert_int_equal(es_created_index(TEXT("{\"_index\":\"...x\"}"), index,
	    sizeof(index), err, sizeof(err)), 0);
	assert_int_equal(es_created_index(TEXT("{}"), index, sizeof(index), err,
	    sizeof(err)), -1);
	assert_int_equal(es_created_index(TEXT("[]"), index, sizeof(index), err,
	    sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parse),
		cmocka_unit_test(test_json_get),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_error_reason),
		cmocka_unit_test(test_cluster_supported),
		cmocka_unit_test(test_cluster_refused),
		cmocka_unit_test(test_template_digest),
		cmocka_unit_test(test_policy_digest),
		cmocka_unit_test(test_acknowledged),
		cmocka_unit_test(test_created_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for telling OpenSearch from Elasticsearch in the answer to
 * GET / (es_cluster_answer: version.distribution, the versions taken,
 * every member of the wrong type) and for reading OpenSearch's Index
 * State Management answers (outputs/es_ism.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "outputs/es_client.h"
#include "outputs/es_ism.h"
#include "outputs/es_response.h"

#define DIGEST_A	"0123456789abcdef0123456789abcdef" \
			"0123456789abcdef0123456789abcdef"
#define TEXT(s)		s, strlen(s)

/* What OpenSearch answers GET / with, version and distribution given. */
#define OS(number, distribution) "{\"name\":\"n1\",\"cluster_name\":" \
		"\"os\",\"version\":{\"distribution\":" distribution \
		",\"number\":" number ",\"build_type\":\"tar\"},\"tagline\":" \
		"\"The OpenSearch Project: https://opensearch.org/\"}"

/* es_cluster_answer for a GET / answer; the body is copied. */
static int
cluster(long status, int product, const char *body, struct es_engine *e,
    char *found, char *err)
{
	static char copy[4096];
	struct es_response r;

	snprintf(copy, sizeof(copy), "%s", body);
	r.status = status;
	r.body = copy;
	r.len = strlen(copy);
	r.elastic_product = product;
	found[0] = err[0] = '\0';
	e->kind = ES_ENGINE_ELASTICSEARCH;
	e->major = e->minor = -1;
	return es_cluster_answer(&r, e, found, 256, err, 512);
}

static void
assert_engine(const char *body, enum es_engine_kind kind, int major,
    int minor, const char *want)
{
	char found[256], err[512];
	struct es_engine e;

	if (cluster(200, 0, body, &e, found, err) != 0)
		fail_msg("refused: %s (%s)", body, err);
	assert_string_equal(found, want);
	assert_int_equal(e.kind, kind);
	assert_int_equal(e.major, major);
	assert_int_equal(e.minor, minor);
}

/* OpenSearch 1.x to 3.x, and one that answers as 7.10.2. */
static void
test_opensearch_taken(void **state)
{
	char found[256], err[512];
	struct es_engine e;

	(void)state;
	assert_engine(OS("\"2.19.6\"", "\"opensearch\""), ES_ENGINE_OPENSEARCH,
	    2, 19, "OpenSearch 2.19.6 (cluster os)");
	assert_engine(OS("\"1.3.20\"", "\"opensearch\""), ES_ENGINE_OPENSEARCH,
	    1, 3, "OpenSearch 1.3.20 (cluster os)");
	assert_engine(OS("\"3.0.0-alpha1\"", "\"opensearch\""),
	    ES_ENGINE_OPENSEARCH, 3, 0, "OpenSearch 3.0.0-alpha1 (cluster os)");
	/* compatibility.override_main_response_version: its own unknown. */
	assert_engine(OS("\"7.10.2\"", "\"opensearch\""), ES_ENGINE_OPENSEARCH,
	    0, 0, "OpenSearch answering as 7.10.2 for compatibility "
	    "(cluster os)");
	/* No cluster name; the header (a proxy's) changes nothing. */
	assert_int_equal(cluster(200, 1, "{\"version\":{\"distribution\":"
	    "\"opensearch\",\"number\":\"2.11.0\"}}", &e, found, err), 0);
	assert_string_equal(found, "OpenSearch 2.11.0 (cluster unnamed)");
	assert_int_equal(e.kind, ES_ENGINE_OPENSEARCH);
	/* Elasticsearch is still told as such, with its version. */
	assert_engine("{\"cluster_name\":\"old\",\"version\":{\"number\":"
	    "\"7.10.2\",\"build_flavor\":\"default\"},\"tagline\":\"You Know, "
	    "for Search\"}", ES_ENGINE_ELASTICSEARCH, 7, 10,
	    "Elasticsearch 7.10.2 (cluster old)");
	/* A NULL engine is allowed. */
	{
		struct es_response r = { 200, NULL, 0, 0 };
		char body[] = OS("\"2.19.6\"", "\"opensearch\"");

		r.body = body;
		r.len = strlen(body);
		assert_int_equal(es_cluster_answer(&r, NULL, found,
		    sizeof(found), err, sizeof(err)), 0);
	}
}

static void
assert_refused(long status, const char *body, const char *want)
{
	char found[256], err[512];
	struct es_engine e;

	if (cluster(status, 0, body, &e, found, err) != -1)
		fail_msg("taken: %s (%s)", body, found);
	if (strstr(err, want) == NULL)
		fail_msg("%s: \"%s\" does not say \"%s\"", body, err, want);
}

/* Every distribution and version that is not one we take, by name. */
static void
test_opensearch_refused(void **state)
{
	(void)state;
	assert_refused(200, OS("\"4.0.0\"", "\"opensearch\""),
	    "OpenSearch 4.0.0 is not supported (1.x, 2.x or 3.x)");
	assert_refused(200, OS("\"0.9.0\"", "\"opensearch\""),
	    "OpenSearch 0.9.0 is not supported");
	assert_refused(200, OS("\"7.17.0\"", "\"opensearch\""),
	    "OpenSearch 7.17.0 is not supported");
	assert_refused(200, OS("\"2.x\"", "\"opensearch\""),
	    "not what OpenSearch sends: its version.number \"2.x\" is not a "
	    "version");
	assert_refused(200, OS("2.19", "\"opensearch\""),
	    "not what OpenSearch sends: its version.number is a number");
	assert_refused(200, OS("null", "\"opensearch\""),
	    "its version.number is null, not a string");
	assert_refused(200, "{\"version\":{\"distribution\":\"opensearch\"}}",
	    "not what OpenSearch sends: it has no version.number");
	assert_refused(200, OS("\"2.19.6\"", "\"OpenSearch\""),
	    "neither Elasticsearch's nor OpenSearch's: its "
	    "version.distribution \"OpenSearch\" is not \"opensearch\"");
	assert_refused(200, OS("\"2.19.6\"", "\"opensearch\\u0000\""),
	    "version.distribution \"opensearch\\x00\" is not");
	assert_refused(200, OS("\"2.19.6\"", "\"elasticsearch\""),
	    "is not \"opensearch\"");
	assert_refused(200, OS("\"2.19.6\"", "\"open\\nsearch\""),
	    "version.distribution \"open\\x0asearch\"");
	assert_refused(200, OS("\"2.19.6\"", "null"),
	    "its version.distribution is null, not a string");
	assert_refused(200, OS("\"2.19.6\"", "1"),
	    "its version.distribution is an integer, not a string");
	assert_refused(200, OS("\"2.19.6\"", "true"),
	    "its version.distribution is a boolean, not a string");
	assert_refused(200, OS("\"2.19.6\"", "[\"opensearch\"]"),
	    "its version.distribution is an array, not a string");
	assert_refused(200, OS("\"2.19.6\"", "{}"),
	    "its version.distribution is an object, not a string");
	/* Not 200, no header: nothing to tell it by. */
	assert_refused(503, OS("\"2.19.6\"", "\"opensearch\""),
	    "not Elasticsearch: GET / answered HTTP 503");
	/* Cut short, or a version that is no object. */
	assert_refused(200, "{\"version\":{\"distribution\":\"opensearch\"",
	    "not Elasticsearch");
	assert_refused(200, "{\"version\":\"2.19.6\",\"distribution\":"
	    "\"opensearch\"}", "its version is a string, not an object");
}

static int
ism_state(const char *body, struct es_ism_state *st, char *err)
{
	err[0] = '\0';
	return es_ism_policy_state(TEXT(body), st, err, 512);
}

#define ISM(seq, term, description) "{\"_id\":\"audisp-ecs\",\"_version\":3," \
		"\"_seq_no\":" seq ",\"_primary_term\":" term ",\"policy\":" \
		"{\"policy_id\":\"audisp-ecs\",\"description\":" description \
		",\"default_state\":\"hot\",\"states\":[]}}"

static void
test_ism_state(void **state)
{
	struct es_ism_state st;
	char err[512];

	(void)state;
	assert_int_equal(ism_state(ISM("12", "2", "\"Managed (digest "
	    DIGEST_A ")\""), &st, err), 1);
	assert_string_equal(st.digest, DIGEST_A);
	assert_int_equal(st.seq_no, 12);
	assert_int_equal(st.primary_term, 2);
	/* A policy someone else wrote: no digest, still replaceable. */
	assert_int_equal(ism_state(ISM("0", "1", "\"hand made\""), &st, err),
	    0);
	assert_string_equal(st.digest, "");
	assert_int_equal(ism_state("{\"_seq_no\":0,\"_primary_term\":1,"
	    "\"policy\":{}}", &st, err), 0);
	/* A digest that is not at the very end, or not lower-case hex. */
	assert_int_equal(ism_state(ISM("0", "1", "\"x (digest " DIGEST_A
	    ") \""), &st, err), 0);
	assert_int_equal(ism_state(ISM("0", "1", "\"x (digest "
	    "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"
	    ")\""), &st, err), 0);
	assert_int_equal(ism_state(ISM("0", "1", "\"(digest " DIGEST_A
	    ")\""), &st, err), 0);
	assert_int_equal(ism_state(ISM("0", "1", "\"\""), &st, err), 0);
}

static void
assert_ism_bad(const char *body, const char *want)
{
	struct es_ism_state st;
	char err[512];

	if (ism_state(body, &st, err) != -1)
		fail_msg("taken: %s", body);
	if (strstr(err, want) == NULL)
		fail_msg("%s: \"%s\" does not say \"%s\"", body, err, want);
	assert_string_equal(st.digest, "");
}

static void
test_ism_state_refused(void **state)
{
	(void)state;
	assert_ism_bad("", "empty");
	assert_ism_bad("[]", "it is an array, not an object");
	assert_ism_bad("{\"_primary_term\":1,\"policy\":{}}",
	    "it has no _seq_no");
	assert_ism_bad("{\"_seq_no\":\"1\",\"_primary_term\":1,\"policy\":{}}",
	    "its _seq_no is a string, not an integer");
	assert_ism_bad("{\"_seq_no\":1.5,\"_primary_term\":1,\"policy\":{}}",
	    "its _seq_no is a number with a fraction");
	assert_ism_bad("{\"_seq_no\":-1,\"_primary_term\":1,\"policy\":{}}",
	    "its _seq_no is below 0");
	assert_ism_bad("{\"_seq_no\":1,\"policy\":{}}",
	    "it has no _primary_term");
	assert_ism_bad("{\"_seq_no\":1,\"_primary_term\":0,\"policy\":{}}",
	    "its _primary_term is below 1");
	assert_ism_bad("{\"_seq_no\":1,\"_primary_term\":null,\"policy\":{}}",
	    "its _primary_term is null");
	assert_ism_bad("{\"_seq_no\":1,\"_primary_term\":1}",
	    "it has no policy");
	assert_ism_bad("{\"_seq_no\":1,\"_primary_term\":1,\"policy\":[]}",
	    "its policy is an array, not an object");
	assert_ism_bad(ISM("1", "1", "5"),
	    "its policy.description is an integer, not a string");
	assert_ism_bad(ISM("1", "1", "{}"),
	    "its policy.description is an object");
}

static void
test_ism_written(void **state)
{
	char err[512];

	(void)state;
	assert_int_equal(es_ism_policy_written(TEXT("{\"_id\":\"audisp-ecs\","
	    "\"_version\":1,\"_primary_term\":1,\"_seq_no\":0,\"policy\":{"
	    "\"policy\":{}}}"), err, sizeof(err)), 0);
	assert_int_equal(es_ism_policy_written(TEXT("{\"acknowledged\":true}"),
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "it has no _id string"));
	assert_int_equal(es_ism_policy_written(TEXT("{\"_id\":1,\"policy\":"
	    "{}}"), err, sizeof(err)), -1);
	assert_int_equal(es_ism_policy_written(TEXT("{\"_id\":\"a\",\"policy\":"
	    "null}"), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "it has no policy object"));
	assert_int_equal(es_ism_policy_written(TEXT("{\"_id\":\"a\""), err,
	    sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opensearch_taken),
		cmocka_unit_test(test_opensearch_refused),
		cmocka_unit_test(test_ism_state),
		cmocka_unit_test(test_ism_state_refused),
		cmocka_unit_test(test_ism_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for the Elasticsearch bulk body and response
 * (outputs/es_bulk.h): the _id of a document, the create action lines,
 * what a response says about each item, and hostile responses (items
 * that are not objects or have members of the wrong type, bodies cut
 * short or not JSON, too many values): never a crash, never "indexed".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "outputs/es_bulk.h"
#include "outputs/es_retry.h"

static struct sv
sv_of(const char *s)
{
	return (struct sv){ s, strlen(s) };
}

static void
test_id_from_event_id(void **state)
{
	const char *doc = "{\"@timestamp\":\"x\",\"process\":{\"id\":\"no\"},"
	    "\"event\":{\"kind\":\"event\",\"nested\":{\"id\":\"no\"},"
	    "\"id\":\"3f2a-11\",\"module\":\"auditd\"},\"id\":\"no\"}";
	char id[ES_ID_MAX];

	(void)state;
	es_document_id(doc, strlen(doc), id);
	assert_string_equal(id, "3f2a-11");
}

static void
test_id_skips_strings_and_arrays(void **state)
{
	const char *doc = "{\"message\":\"a \\\"event\\\":{\\\"id\\\":\\\"x\\\"}\","
	    "\"tags\":[\"{\",\"}\",[1,{\"id\":2}]],\"n\":-1.5e3,\"t\":true,"
	    "\"event\" : { \"id\" : \"good\" } }";
	char id[ES_ID_MAX];

	(void)state;
	es_document_id(doc, strlen(doc), id);
	assert_string_equal(id, "good");
}

/* Without a usable event.id: SHA-256 of the document, the same each time. */
static void
test_id_fallback_is_content_hash(void **state)
{
	const char *a = "{\"event\":{\"action\":\"x\"}}";
	const char *b = "{\"event\":{\"id\":\"has\\\"quote\"}}";
	char ia[ES_ID_MAX], ia2[ES_ID_MAX], ib[ES_ID_MAX];

	(void)state;
	es_document_id(a, strlen(a), ia);
	es_document_id(a, strlen(a), ia2);
	es_document_id(b, strlen(b), ib);
	assert_int_equal(strlen(ia), 64);
	assert_string_equal(ia, ia2);
	assert_int_equal(strlen(ib), 64);
	assert_string_not_equal(ia, ib);
	/* echo -n '{"event":{"action":"x"}}' | sha256sum */
	assert_string_equal(ia,
	    "daa7e8e9ab3e45587c4fa1c9cd1a63ae63482dce8fc1e97ea5adf368f85cfe42");
}

static void
test_bulk_body(void **state)
{
	struct buf b = BUF_INITIALIZER(ES_BODY_MAX);

	(void)state;
	assert_int_equal(es_bulk_add(&b, sv_of("{\"event\":{\"id\":\"a1\"}}")), 0);
	assert_int_equal(es_bulk_add(&b, sv_of("{\"event\":{\"id\":\"b2\"},\"x\":1}")), 0);
	assert_string_equal(buf_cstr(&b),
	    "{\"create\":{\"_id\":\"a1\"}}\n{\"event\":{\"id\":\"a1\"}}\n"
	    "{\"create\":{\"_id\":\"b2\"}}\n{\"event\":{\"id\":\"b2\"},\"x\":1}\n");
	buf_release(&b);
}

static void
test_parse_no_errors(void **state)
{
	const char *r = "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
	    "{\"create\":{\"status\":201}}]}";
	struct es_item_result res[2];
	char err[128];

	(void)state;
	assert_int_equal(es_bulk_parse(r, strlen(r), 2, res, err, sizeof(err)), 0);
	assert_int_equal(res[0].outcome, ES_ITEM_DONE);
	assert_int_equal(res[1].outcome, ES_ITEM_DONE);
}

static void
test_parse_item_outcomes(void **state)
{
	const char *r = "{\"errors\":true,\"items\":["
	    "{\"create\":{\"status\":201}},"
	    "{\"create\":{\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\",\"reason\":\"exists\"}}},"
	    "{\"create\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"busy\"}}},"
	    "{\"create\":{\"status\":503,\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"down\"}}},"
	    "{\"create\":{\"status\":400,\"error\":{\"type\":\"document_parsing_exception\",\"reason\":\"failed to parse field [x]\","
	    "\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":\"For input string\"}}}}]}";
	struct es_item_result res[5];
	char err[128];

	(void)state;
	assert_int_equal(es_bulk_parse(r, strlen(r), 5, res, err, sizeof(err)), 0);
	assert_int_equal(res[0].outcome, ES_ITEM_DONE);
	assert_int_equal(res[1].outcome, ES_ITEM_DONE);
	assert_int_equal(res[1].status, 409);
	assert_int_equal(res[2].outcome, ES_ITEM_RETRY);
	assert_int_equal(res[3].outcome, ES_ITEM_RETRY);
	assert_int_equal(res[4].outcome, ES_ITEM_REJECTED);
	assert_string_equal(res[4].error, "document_parsing_exception: failed "
	    "to parse field [x]; For input string");
}

static void
test_parse_bad_responses(void **state)
{
	const char *short_items = "{\"errors\":true,\"items\":[{\"create\":{\"status\":201}}]}";
	const char *no_status = "{\"errors\":true,\"items\":[{\"create\":{}}]}";
	struct es_item_result res[2];
	char err[128];

	(void)state;
	assert_int_equal(es_bulk_parse("<html>", 6, 1, res, err, sizeof(err)), -1);
	assert_int_equal(es_bulk_parse(short_items, strlen(short_items), 2, res,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "one item per document"));
	/* An item without a status: that document is sent again. */
	assert_int_equal(es_bulk_parse(no_status, strlen(no_status), 1, res,
	    err, sizeof(err)), 0);
	assert_int_equal(res[0].outcome, ES_ITEM_MALFORMED);
	assert_string_equal(res[0].error, "bulk response item 0: it has no status");
}

/* Item statuses to outcomes, at the edges of each range. */
static void
test_item_outcome_of(void **state)
{
	(void)state;
	assert_int_equal(es_item_outcome_of(200), ES_ITEM_DONE);
	assert_int_equal(es_item_outcome_of(201), ES_ITEM_DONE);
	assert_int_equal(es_item_outcome_of(299), ES_ITEM_DONE);
	assert_int_equal(es_item_outcome_of(409), ES_ITEM_DONE);
	assert_int_equal(es_item_outcome_of(429), ES_ITEM_RETRY);
	assert_int_equal(es_item_outcome_of(500), ES_ITEM_RETRY);
	assert_int_equal(es_item_outcome_of(503), ES_ITEM_RETRY);
	assert_int_equal(es_item_outcome_of(599), ES_ITEM_RETRY);
	assert_int_equal(es_item_outcome_of(199), ES_ITEM_REJECTED);
	assert_int_equal(es_item_outcome_of(300), ES_ITEM_REJECTED);
	assert_int_equal(es_item_outcome_of(400), ES_ITEM_REJECTED);
	assert_int_equal(es_item_outcome_of(404), ES_ITEM_REJECTED);
	assert_int_equal(es_item_outcome_of(408), ES_ITEM_REJECTED);
	assert_int_equal(es_item_outcome_of(413), ES_ITEM_REJECTED);
	assert_int_equal(es_item_outcome_of(428), ES_ITEM_REJECTED);
	assert_int_equal(es_item_outcome_of(499), ES_ITEM_REJECTED);
}

/*
 * errors:false is not enough: without one item per document nothing is
 * taken as indexed (the whole request is sent again).
 */
static void
test_parse_errors_false_needs_items(void **state)
{
	static const char *const bodies[] = {
		"{\"errors\":false}",
		"{\"took\":1,\"errors\":false,\"items\":[]}",
		"{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201}}]}",
		"{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201}},{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201}}]}",
	};
	struct es_item_result res[3];
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(es_bulk_parse(bodies[i], strlen(bodies[i]), 3,
		    res, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "one item per document (3 sent"));
	}
}

/* Whatever the action's name, and however much of the error is there. */
static void
test_parse_item_errors(void **state)
{
	const char *r = "{\"errors\":true,\"items\":["
	    "{\"index\":{\"status\":200}},"
	    "{\"create\":{\"status\":404,\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index\"}}},"
	    "{\"create\":{\"status\":400,\"error\":{}}},"
	    "{\"create\":{\"status\":400}},"
	    "{\"create\":{\"status\":400,\"error\":{\"type\":\"t\",\"reason\":\"r\",\"caused_by\":{\"type\":\"only\"}}}}]}";
	struct es_item_result res[5];
	char err[128];

	(void)state;
	assert_int_equal(es_bulk_parse(r, strlen(r), 5, res, err, sizeof(err)), 0);
	assert_int_equal(res[0].outcome, ES_ITEM_DONE);
	assert_int_equal(res[0].status, 200);
	assert_string_equal(res[0].error, "");
	assert_int_equal(res[1].outcome, ES_ITEM_REJECTED);
	assert_int_equal(res[1].status, 404);
	assert_string_equal(res[1].error,
	    "index_not_found_exception: no such index");
	assert_string_equal(res[2].error, "error: no reason given");
	assert_int_equal(res[3].outcome, ES_ITEM_REJECTED);
	assert_string_equal(res[3].error, "");
	assert_string_equal(res[4].error, "t: r");
}

/* A long reason is cut to the result's buffer, still NUL-terminated. */
static void
test_parse_long_reason(void **state)
{
	char r[2048], reason[1024];
	struct es_item_result res[1];
	char err[128];

	(void)state;
	memset(reason, 'a', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	snprintf(r, sizeof(r), "{\"errors\":true,\"items\":[{\"create\":"
	    "{\"status\":400,\"error\":{\"type\":\"t\",\"reason\":\"%s\"}}}]}",
	    reason);
	assert_int_equal(es_bulk_parse(r, strlen(r), 1, res, err, sizeof(err)), 0);
	assert_int_equal(strlen(res[0].error), sizeof(res[0].error) - 1);
	assert_memory_equal(res[0].error, "t: aaa", 6);
}

static void
test_parse_items_not_array(void **state)
{
	const char *no_items = "{\"errors\":true}";
	const char *object = "{\"errors\":true,\"items\":{\"create\":{\"status\":201}}}";
	struct es_item_result res[1];
	char err[128];

	(void)state;
	assert_int_equal(es_bulk_parse(no_items, strlen(no_items), 1, res, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "one item per document"));
	assert_int_equal(es_bulk_parse(object, strlen(object), 1, res, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "one item per document"));
}

/*
 * The answer of a request whose every document was indexed is read
 * without json-c: in every form Elasticsearch writes it, and nothing that
 * merely looks like it.
 */
static void
test_parse_all_indexed_forms(void **state)
{
	static const char *const taken[] = {
		"{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201}}]}",
		"{\"took\":3,\"errors\":false,\"items\":[{\"index\":{\"status\":200}},"
		    "{\"update\":{\"status\":299}}]}",
		" {\n  \"took\" : 0 ,\r\n \"errors\" :false, \"items\":[ {\"delete\""
		    ":{ \"status\" : 200 } } ,{ \"create\":{\"status\":201}}\t] }\n",
		/* Not the short form: json-c reads them. */
		"{\"errors\":true,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201}}]}",
		"{\"errors\":false,\"took\":1,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"_id\":\"x\",\"status\":201}}]}",
		"{\"took\":-1,\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201}}]}",
	};
	static const struct {
		const char *body;
		enum es_item_outcome second;	/* or -1: the request fails */
	} other[] = {
		/* JSON forbids leading zeros. */
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":0201}}]}", -1 },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":2010}}]}", ES_ITEM_MALFORMED },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201.5}}]}", ES_ITEM_MALFORMED },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":503}}]}", ES_ITEM_RETRY },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"created\":{\"status\":201}}]}", ES_ITEM_MALFORMED },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201}}]}}", -1 },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201}},]}", -1 },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}}]}", -1 },
		{ "{\"errors\":falsey,\"items\":[{\"create\":{\"status\":201}},"
		    "{\"create\":{\"status\":201}}]}", -1 },
	};
	struct es_item_result res[2];
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
		memset(res, 'x', sizeof(res));
		if (es_bulk_parse(taken[i], strlen(taken[i]), 2, res, err,
		    sizeof(err)) != 0)
			fail_msg("%s: %s", taken[i], err);
		assert_int_equal(res[0].outcome, ES_ITEM_DONE);
		assert_int_equal(res[1].outcome, ES_ITEM_DONE);
		assert_true(res[1].status >= 200 && res[1].status < 300);
		assert_string_equal(res[1].error, "");
	}
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		int rc = es_bulk_parse(other[i].body, strlen(other[i].body), 2,
		    res, err, sizeof(err));

		if ((int)other[i].second == -1) {
			if (rc != -1)
				fail_msg("%s: taken", other[i].body);
			continue;
		}
		if (rc != 0 || res[1].outcome != other[i].second)
			fail_msg("%s: rc %d, outcome %d", other[i].body, rc,
			    res[1].outcome);
		assert_int_equal(res[0].outcome, ES_ITEM_DONE);
	}
}

/*
 * Hostile bodies: a bulk response from a broken proxy or anything else
 * that answers in Elasticsearch's place.  Each must either fail the
 * whole request or mark the item malformed: never crash, never "done".
 */

/* One item's answer inside a response that is otherwise right. */
static enum es_item_outcome
one_item(const char *item, struct es_item_result *res)
{
	char r[1024], err[256];

	snprintf(r, sizeof(r), "{\"errors\":true,\"items\":[%s]}", item);
	memset(res, 'x', sizeof(*res));
	assert_int_equal(es_bulk_parse(r, strlen(r), 1, res, err, sizeof(err)),
	    0);
	return res->outcome;
}

/* item is malformed, and the message says why. */
static void
assert_malformed(const char *item, const char *why)
{
	struct es_item_result res;

	if (one_item(item, &res) != ES_ITEM_MALFORMED)
		fail_msg("%s: outcome %d, status %d", item, res.outcome,
		    res.status);
	assert_int_equal(res.status, 0);
	if (strstr(res.error, why) == NULL)
		fail_msg("%s: \"%s\" does not say \"%s\"", item, res.error, why);
}

/* items entries that are not objects: null, 1, "x", [] (and more). */
static void
test_items_not_objects(void **state)
{
	(void)state;
	assert_malformed("null", "item 0: it is null, not an object");
	assert_malformed("1", "it is an integer, not an object");
	assert_malformed("\"x\"", "it is a string, not an object");
	assert_malformed("[]", "it is an array, not an object");
	assert_malformed("[{\"create\":{\"status\":201}}]", "an array");
	assert_malformed("true", "a boolean");
	assert_malformed("1.5", "a number with a fraction");
	assert_malformed("{}", "it has 0 members, not one action");
	assert_malformed("{\"create\":{\"status\":201},\"index\":{\"status\":201}}",
	    "it has 2 members");
	assert_malformed("{\"frobnicate\":{\"status\":201}}",
	    "its action is not create, index, update or delete");
}

/* The action's value, status, error, reason of the wrong type. */
static void
test_item_members_wrong_type(void **state)
{
	(void)state;
	assert_malformed("{\"create\":null}", "its create is null, not an object");
	assert_malformed("{\"create\":1}", "its create is an integer");
	assert_malformed("{\"create\":\"x\"}", "its create is a string");
	assert_malformed("{\"create\":[]}", "its create is an array");
	assert_malformed("{\"create\":{\"status\":\"201\"}}",
	    "its status is a string, not an integer");
	assert_malformed("{\"create\":{\"status\":201.0}}",
	    "its status is a number with a fraction");
	assert_malformed("{\"create\":{\"status\":2.01e2}}", "fraction or exponent");
	assert_malformed("{\"create\":{\"status\":null}}", "its status is null");
	assert_malformed("{\"create\":{\"status\":true}}", "its status is a boolean");
	assert_malformed("{\"create\":{\"status\":{}}}", "its status is an object");
	assert_malformed("{\"create\":{\"status\":[201]}}", "its status is an array");
	assert_malformed("{\"create\":{\"status\":0}}", "status 0 is not an HTTP status");
	assert_malformed("{\"create\":{\"status\":99}}", "status 99 is not");
	assert_malformed("{\"create\":{\"status\":600}}", "status 600 is not");
	assert_malformed("{\"create\":{\"status\":-201}}", "status -201 is not");
	assert_malformed("{\"create\":{\"status\":99999999999999999999}}",
	    "is not an HTTP status");
	assert_malformed("{\"create\":{\"status\":201,\"error\":\"x\"}}",
	    "error is a string, not an object");
	assert_malformed("{\"create\":{\"status\":400,\"error\":null}}",
	    "error is null, not an object");
	assert_malformed("{\"create\":{\"status\":400,\"error\":[]}}",
	    "error is an array");
	assert_malformed("{\"create\":{\"status\":400,\"error\":1}}",
	    "error is an integer");
	assert_malformed("{\"create\":{\"status\":400,\"error\":{\"type\":1}}}",
	    "error.type is an integer, not a string");
	assert_malformed("{\"create\":{\"status\":400,\"error\":{\"type\":\"t\","
	    "\"reason\":null}}}", "error.reason is null, not a string");
	assert_malformed("{\"create\":{\"status\":400,\"error\":{\"reason\":{}}}}",
	    "error.reason is an object");
	assert_malformed("{\"create\":{\"status\":400,\"error\":{\"reason\":[\"r\"]}}}",
	    "error.reason is an array");
	assert_malformed("{\"create\":{\"status\":400,\"error\":{\"caused_by\":\"x\"}}}",
	    "error.caused_by is a string, not an object");
	assert_malformed("{\"create\":{\"status\":400,\"error\":{\"caused_by\":"
	    "{\"reason\":5}}}}", "error.caused_by.reason is an integer");
}

/* A malformed item is never done, and never counted against the document. */
static void
test_malformed_is_retried(void **state)
{
	const char *r = "{\"errors\":false,\"items\":["
	    "{\"create\":{\"status\":201}},null,"
	    "{\"create\":{\"status\":\"201\"}},"
	    "{\"create\":{\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\"}}}]}";
	struct es_item_result res[4];
	char err[128];
	int attempts = 0;

	(void)state;
	assert_int_equal(es_bulk_parse(r, strlen(r), 4, res, err, sizeof(err)), 0);
	assert_int_equal(res[0].outcome, ES_ITEM_DONE);
	assert_int_equal(res[1].outcome, ES_ITEM_MALFORMED);
	assert_string_equal(res[1].error,
	    "bulk response item 1: it is null, not an object");
	assert_int_equal(res[2].outcome, ES_ITEM_MALFORMED);
	assert_non_null(strstr(res[2].error, "item 2: "));
	assert_int_equal(res[3].outcome, ES_ITEM_DONE);
	/* Not even max_retries 0 makes it non-indexable. */
	assert_int_equal(es_item_fate(&res[1], &attempts, 0), ES_FATE_RETRY);
	assert_int_equal(es_item_fate(&res[1], &attempts, 0), ES_FATE_RETRY);
	assert_int_equal(attempts, 0);
}

/* The truncated body of the reproducer, and every other cut. */
static void
test_truncated_responses(void **state)
{
	const char *cut = "{\"took\":1,\"errors\":false";
	const char *full = "{\"took\":1,\"errors\":false,\"items\":["
	    "{\"create\":{\"status\":201}},{\"create\":{\"status\":201}}]}";
	struct es_item_result res[2];
	char err[256];
	size_t k;

	(void)state;
	assert_int_equal(es_bulk_parse(cut, strlen(cut), 2, res, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "cut short"));
	for (k = 0; k < strlen(full); k++)
		if (es_bulk_parse(full, k, 2, res, err, sizeof(err)) != -1)
			fail_msg("taken when cut after %zu bytes", k);
	assert_int_equal(es_bulk_parse(full, strlen(full), 2, res, err,
	    sizeof(err)), 0);
}

/* A literal with NUL bytes in it, and its length. */
#define WITH_NUL(s)	s, sizeof(s) - 1

/* Whole bodies that are not what Elasticsearch sends. */
static void
test_bodies_not_bulk_responses(void **state)
{
	static const struct {
		const char *body;
		size_t len;	/* 0: strlen */
		const char *why;
	} cases[] = {
		{ "", 0, "empty" },
		{ " \r\n\t ", 0, "only white space" },
		{ "null", 0, "null" },
		{ "1", 0, "an integer, not an object" },
		{ "\"x\"", 0, "not an object" },
		{ "[]", 0, "not an object" },
		{ "[{\"errors\":false,\"items\":[{\"create\":{\"status\":201}}]}]", 0,
		    "not an object" },
		{ "{\"items\":[{\"create\":{\"status\":201}}]}", 0, "it has no \"errors\"" },
		{ "{\"errors\":\"false\",\"items\":[{\"create\":{\"status\":201}}]}", 0,
		    "\"errors\" is a string, not a boolean" },
		{ "{\"errors\":null,\"items\":[{\"create\":{\"status\":201}}]}", 0,
		    "\"errors\" is null, not a boolean" },
		{ "{\"errors\":false,\"items\":null}", 0, "one item per document" },
		{ "{\"errors\":false,\"items\":\"x\"}", 0, "one item per document" },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}}]}x", 0,
		    "not JSON" },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}}]}{}", 0,
		    "not JSON" },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}},]}", 0,
		    "not JSON" },
		/* A NUL: json-c must not stop there and call it a whole body. */
		{ WITH_NUL("{\"errors\":false,\"items\":[{\"create\":{\"status\":201}}]}"
		    "\0junk"), "goes on after its JSON value, at byte 52" },
		{ WITH_NUL("{\"errors\":false,\"items\":[{\"create\":{\"status\":201}}]"
		    "\0}"), "not JSON (at byte 51" },
		{ WITH_NUL("{\"errors\":false,\"items\":[{\"create\":{\"status\":201,"
		    "\"error\":{\"reason\":\"a\0b\"}}}]}"), "not JSON" },
		{ "{\"errors\":false,\"items\":[{\"create\":{\"status\":201,"
		    "\"error\":{\"reason\":\"\xff\"}}}]}", 0, "not JSON" },
		{ "<html><body>502 Bad Gateway</body></html>", 0, "not JSON" },
	};
	struct es_item_result res[1];
	char err[256];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].body);
		if (es_bulk_parse(cases[i].body, len, 1, res, err,
		    sizeof(err)) != -1)
			fail_msg("case %zu taken", i);
		if (strstr(err, cases[i].why) == NULL)
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err,
			    cases[i].why);
	}
}

/* More JSON values than a response for n documents can hold, or too deep. */
static void
test_response_bounds(void **state)
{
	size_t n = 2, i, limit = (n + 1) * ES_BULK_VALUES_PER_ITEM;
	struct es_item_result res[2];
	struct buf b = BUF_INITIALIZER(1 << 20);
	char err[256];

	(void)state;
	/* A padding member with limit tiny values: past the bound. */
	buf_append_str(&b, "{\"errors\":false,\"pad\":[0");
	for (i = 0; i < limit; i++)
		buf_append_str(&b, ",0");
	buf_append_str(&b, "],\"items\":[{\"create\":{\"status\":201}},"
	    "{\"create\":{\"status\":201}}]}");
	assert_int_equal(es_bulk_parse(b.p, b.len, n, res, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 192 JSON values"));
	/* Commas inside strings are no values. */
	buf_reset(&b);
	buf_append_str(&b, "{\"errors\":true,\"items\":[{\"create\":{\"status\":400,"
	    "\"error\":{\"reason\":\"");
	for (i = 0; i < limit; i++)
		buf_append_str(&b, ",:[{\\\"");
	buf_append_str(&b, "\"}}},{\"create\":{\"status\":201}}]}");
	assert_int_equal(es_bulk_parse(b.p, b.len, n, res, err, sizeof(err)), 0);
	assert_int_equal(res[0].outcome, ES_ITEM_REJECTED);
	/* Nested deeper than json-c's limit: refused, not recursed into. */
	buf_reset(&b);
	buf_append_str(&b, "{\"errors\":true,\"items\":[{\"create\":{\"status\":400,"
	    "\"error\":{\"caused_by\":");
	for (i = 0; i < 40; i++)
		buf_append_str(&b, "[");
	for (i = 0; i < 40; i++)
		buf_append_str(&b, "]");
	buf_append_str(&b, "}}},{\"create\":{\"status\":201}}]}");
	assert_int_equal(es_bulk_parse(b.p, b.len, n, res, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not JSON"));
	buf_release(&b);
}

/* What the server says goes to logs and dead letters printable only. */
static void
test_item_error_printable(void **state)
{
	struct es_item_result res;

	(void)state;
	assert_int_equal(one_item("{\"create\":{\"status\":400,\"error\":{"
	    "\"type\":\"t\\u001b[31m\",\"reason\":\"line\\nforged: x\\u0000y\","
	    "\"caused_by\":{\"reason\":\"\xc2\x85\xe2\x82\xac\"}}}}", &res),
	    ES_ITEM_REJECTED);
	assert_string_equal(res.error,
	    "t\\x1b[31m: line\\x0aforged: x\\x00y; \\xc2\\x85\xe2\x82\xac");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_from_event_id),
		cmocka_unit_test(test_id_skips_strings_and_arrays),
		cmocka_unit_test(test_id_fallback_is_content_hash),
		cmocka_unit_test(test_bulk_body),
		cmocka_unit_test(test_parse_no_errors),
		cmocka_unit_test(test_parse_item_outcomes),
		cmocka_unit_test(test_parse_bad_responses),
		cmocka_unit_test(test_item_outcome_of),
		cmocka_unit_test(test_parse_errors_false_needs_items),
		cmocka_unit_test(test_parse_item_errors),
		cmocka_unit_test(test_parse_long_reason),
		cmocka_unit_test(test_parse_items_not_array),
		cmocka_unit_test(test_parse_all_indexed_forms),
		cmocka_unit_test(test_items_not_objects),
		cmocka_unit_test(test_item_members_wrong_type),
		cmocka_unit_test(test_malformed_is_retried),
		cmocka_unit_test(test_truncated_responses),
		cmocka_unit_test(test_bodies_not_bulk_responses),
		cmocka_unit_test(test_response_bounds),
		cmocka_unit_test(test_item_error_printable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

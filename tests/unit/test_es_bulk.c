/*
 * Unit tests for the Elasticsearch bulk body and response
 * (outputs/es_bulk.h): the _id of a document, the create action lines,
 * and what a response says about each item.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "outputs/es_bulk.h"

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
	assert_int_equal(es_bulk_parse(no_status, strlen(no_status), 1, res,
	    err, sizeof(err)), -1);
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

/* errors:false: every document done, the items not even looked at. */
static void
test_parse_no_errors_skips_items(void **state)
{
	const char *r = "{\"errors\":false}";
	struct es_item_result res[3];
	char err[128];
	size_t i;

	(void)state;
	memset(res, 'x', sizeof(res));
	assert_int_equal(es_bulk_parse(r, strlen(r), 3, res, err, sizeof(err)), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(res[i].outcome, ES_ITEM_DONE);
		assert_int_equal(res[i].status, 201);
		assert_string_equal(res[i].error, "");
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
		cmocka_unit_test(test_parse_no_errors_skips_items),
		cmocka_unit_test(test_parse_item_errors),
		cmocka_unit_test(test_parse_long_reason),
		cmocka_unit_test(test_parse_items_not_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

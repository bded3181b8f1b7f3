/*
 * Unit tests for the Elasticsearch output's split and retry decisions
 * (outputs/es_retry.h): halving a batch the cluster refuses as a whole,
 * and the fate of each item of a bulk answer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "outputs/es_retry.h"
#include "helpers.h"

#define MAX_SENT	64

/*
 * A pretend cluster: a request of more than limit documents, or with the
 * document poison in it, is answered 413; anything else is taken.
 */
struct cluster {
	size_t	 limit;
	size_t	 poison;	/* (size_t)-1: none */
	size_t	 sent[MAX_SENT][2];	/* start and size of each request */
	size_t	 nsent;
	int	 indexed[MAX_SENT];	/* times each document was taken */
	int	 rejected[MAX_SENT];
};

/* What es_publisher.c's send_set and split_set do with the decisions. */
static void
send_batch(struct cluster *c, size_t start, size_t n)
{
	size_t i, first = 0;
	long status = 200;

	assert_true(c->nsent < MAX_SENT);
	c->sent[c->nsent][0] = start;
	c->sent[c->nsent][1] = n;
	c->nsent++;
	if (n > c->limit || (c->poison >= start && c->poison < start + n))
		status = 413;
	switch (es_request_action(status, n, &first)) {
	case ES_REQUEST_ITEMS:
		for (i = start; i < start + n; i++)
			c->indexed[i]++;
		break;
	case ES_REQUEST_SPLIT:
		assert_true(first >= 1 && first < n);
		send_batch(c, start, first);
		send_batch(c, start + first, n - first);
		break;
	case ES_REQUEST_REJECT:
		assert_int_equal(n, 1);
		c->rejected[start]++;
		break;
	case ES_REQUEST_FAILED:
		fail_msg("413 must not fail the request");
	}
}

/* The requests sent, written "start+size" and space-separated. */
static void
assert_sent(const struct cluster *c, const char *want)
{
	char got[MAX_SENT * 12] = "";
	size_t i, len = 0;

	for (i = 0; i < c->nsent; i++) {
		len += (size_t)snprintf(got + len, sizeof(got) - len,
		    "%s%zu+%zu", i > 0 ? " " : "", c->sent[i][0],
		    c->sent[i][1]);
		assert_true(len < sizeof(got));
	}
	assert_string_equal(got, want);
}

static struct es_item_result
item(int status)
{
	struct es_item_result r;

	memset(&r, 0, sizeof(r));
	r.status = status;
	r.outcome = es_item_outcome_of(status);
	return r;
}

static void
test_request_statuses(void **state)
{
	const long failed[] = { 201, 204, 401, 403, 404, 408, 429, 500, 502,
	    503, 504, 0 };
	size_t i, first = 99;

	(void)state;
	assert_int_equal(es_request_action(200, 5, &first), ES_REQUEST_ITEMS);
	assert_int_equal(es_request_action(200, 1, &first), ES_REQUEST_ITEMS);
	assert_int_equal(first, 99);
	for (i = 0; i < sizeof(failed) / sizeof(failed[0]); i++) {
		assert_int_equal(es_request_action(failed[i], 5, &first),
		    ES_REQUEST_FAILED);
		assert_int_equal(es_request_action(failed[i], 1, &first),
		    ES_REQUEST_FAILED);
	}
	assert_int_equal(first, 99);
	assert_int_equal(es_request_action(413, 1, &first), ES_REQUEST_REJECT);
	assert_int_equal(es_request_action(400, 1, &first), ES_REQUEST_REJECT);
	assert_int_equal(first, 99);
	assert_int_equal(es_request_action(413, 2, &first), ES_REQUEST_SPLIT);
	assert_int_equal(first, 1);
	assert_int_equal(es_request_action(400, 2, &first), ES_REQUEST_SPLIT);
	assert_int_equal(first, 1);
}

/* Halves are exact: the smaller first, no document lost or doubled. */
static void
test_split_halves(void **state)
{
	const size_t sizes[] = { 2, 3, 4, 5, 6, 7, 8, 9, 50, 51, 1000, 1001,
	    4095, 4096 };
	size_t i, n, first;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		n = sizes[i];
		first = 0;
		assert_int_equal(es_request_action(413, n, &first),
		    ES_REQUEST_SPLIT);
		assert_int_equal(first, n / 2);
		assert_true(n - first == first || n - first == first + 1);
	}
}

/*
 * A batch sent to a cluster that takes at most limit documents at once
 * and refuses the one at poison even alone: the requests it makes, and
 * every document indexed once, but the poison rejected once.
 */
static const struct split_case {
	const char	*name;
	size_t		 limit;
	size_t		 poison;	/* NONE: none */
	size_t		 n;
	const char	*sent;		/* as assert_sent */
} split_cases[] = {
#define NONE	((size_t)-1)
	/* A cluster taking one document at a time: 7 singles. */
	{ "split down to one", 1, NONE, 7,
	    "0+7 0+3 0+1 1+2 1+1 2+1 3+4 3+2 3+1 4+1 5+2 5+1 6+1" },
	/* Only the halves that do not fit are split again. */
	{ "split to limit", 2, NONE, 11,
	    "0+11 0+5 0+2 2+3 2+1 3+2 5+6 5+3 5+1 6+2 8+3 8+1 9+2" },
	/* A document too large even alone is non-indexable. */
	{ "split isolates too large", 5, 3, 5,
	    "0+5 0+2 2+3 2+1 3+2 3+1 4+1" },
	{ "single too large", 1, 0, 1, "0+1" },
#undef NONE
};

static void
test_split(void **state)
{
	const struct split_case *sc = *state;
	struct cluster c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.limit = sc->limit;
	c.poison = sc->poison;
	send_batch(&c, 0, sc->n);
	assert_sent(&c, sc->sent);
	for (i = 0; i < sc->n; i++) {
		assert_int_equal(c.indexed[i], i == sc->poison ? 0 : 1);
		assert_int_equal(c.rejected[i], i == sc->poison ? 1 : 0);
	}
}

/*
 * Each of n statuses has that fate, with max_retries and with no limit
 * (-1), and no attempt is counted.
 */
static void
assert_fate_uncounted(const int *statuses, size_t n, int max_retries,
    enum es_item_fate fate)
{
	struct es_item_result r;
	size_t i;
	int attempts = 0;

	for (i = 0; i < n; i++) {
		r = item(statuses[i]);
		assert_int_equal(es_item_fate(&r, &attempts, max_retries),
		    fate);
		assert_int_equal(es_item_fate(&r, &attempts, -1), fate);
	}
	assert_int_equal(attempts, 0);
}

/* status is to be sent again, times times in a row, and never counted. */
static void
assert_retried_uncounted(int status, int max_retries, int times)
{
	struct es_item_result r = item(status);
	int attempts = 0, i;

	for (i = 0; i < times; i++)
		assert_int_equal(es_item_fate(&r, &attempts, max_retries),
		    ES_FATE_RETRY);
	assert_int_equal(attempts, 0);
}

/* 2xx and 409 (indexed by an earlier attempt) are done, never counted. */
static void
test_item_done(void **state)
{
	const int done[] = { 200, 201, 202, 299, 409 };

	(void)state;
	assert_fate_uncounted(done, N_ELEMENTS(done), 0, ES_FATE_DONE);
}

/* Other 4xx go to the non_indexable_policy at once, whatever max_retries. */
static void
test_item_non_indexable(void **state)
{
	const int refused[] = { 400, 401, 403, 404, 408, 413, 428, 499, 300,
	    100 };

	(void)state;
	assert_fate_uncounted(refused, N_ELEMENTS(refused), 3,
	    ES_FATE_NON_INDEXABLE);
}

/* A 5xx document is sent again max_retries times, then given up. */
static void
test_item_5xx_max_retries(void **state)
{
	struct es_item_result r = item(503);
	int attempts = 0, i;

	(void)state;
	for (i = 1; i <= 3; i++) {
		assert_int_equal(es_item_fate(&r, &attempts, 3),
		    ES_FATE_RETRY);
		assert_int_equal(attempts, i);
	}
	assert_int_equal(es_item_fate(&r, &attempts, 3),
	    ES_FATE_NON_INDEXABLE);
	assert_int_equal(attempts, 4);

	attempts = 0;
	r = item(500);
	assert_int_equal(es_item_fate(&r, &attempts, 0),
	    ES_FATE_NON_INDEXABLE);
	assert_int_equal(attempts, 1);
}

/* 429 is the cluster asking for patience: sent again, never counted. */
static void
test_item_429_unlimited(void **state)
{
	(void)state;
	assert_retried_uncounted(429, 0, 1000);
}

/* max_retries = -1: a 5xx document is sent again for ever. */
static void
test_item_5xx_unlimited(void **state)
{
	(void)state;
	assert_retried_uncounted(500, -1, 100000);
}

/*
 * Failures count per document, across rounds, and 429 in between does
 * not reset them.
 */
static void
test_item_attempts_per_document(void **state)
{
	struct es_item_result e503 = item(503), e429 = item(429);
	struct es_item_result e201 = item(201);
	int a = 0, b = 0;

	(void)state;
	assert_int_equal(es_item_fate(&e503, &a, 2), ES_FATE_RETRY);
	assert_int_equal(es_item_fate(&e503, &b, 2), ES_FATE_RETRY);
	assert_int_equal(es_item_fate(&e429, &a, 2), ES_FATE_RETRY);
	assert_int_equal(es_item_fate(&e201, &b, 2), ES_FATE_DONE);
	assert_int_equal(es_item_fate(&e503, &a, 2), ES_FATE_RETRY);
	assert_int_equal(a, 2);
	assert_int_equal(b, 1);
	assert_int_equal(es_item_fate(&e429, &a, 2), ES_FATE_RETRY);
	assert_int_equal(es_item_fate(&e503, &a, 2), ES_FATE_NON_INDEXABLE);
	assert_int_equal(a, 3);
	assert_int_equal(b, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_statuses),
		cmocka_unit_test(test_split_halves),
		CASES(test_split, split_cases),
		cmocka_unit_test(test_item_done),
		cmocka_unit_test(test_item_non_indexable),
		cmocka_unit_test(test_item_5xx_max_retries),
		cmocka_unit_test(test_item_429_unlimited),
		cmocka_unit_test(test_item_5xx_unlimited),
		cmocka_unit_test(test_item_attempts_per_document),
	};

	return run_group(tests, NULL, NULL);
}

/* Unit tests for the bounded blocking FIFO (common/bqueue.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "common/bqueue.h"
#include "call_probe.h"
#include "helpers.h"

static int items[8];

/* One bq_push or bq_pop in another thread, which may block. */
struct helper {
	struct call_probe probe;
	struct bqueue	*q;
	void		*item;		/* to push, or popped */
	size_t		 weight;
};

static int
call_push(void *arg)
{
	struct helper *h = arg;

	return bq_push(h->q, h->item, h->weight);
}

static int
call_pop(void *arg)
{
	struct helper *h = arg;
	void *item = NULL;
	enum bq_status status;

	status = bq_pop(h->q, &item, -1);
	h->item = item;
	return (int)status;
}

/* Start the call and return once it is about to enter the queue. */
static void
helper_start(struct helper *h, int (*call)(void *), struct bqueue *q,
    void *item, size_t weight)
{
	h->q = q;
	h->item = item;
	h->weight = weight;
	probe_start(&h->probe, call, h);
}

/* Start the call and check that it blocks. */
static void
helper_start_blocked(struct helper *h, int (*call)(void *), struct bqueue *q,
    void *item, size_t weight)
{
	helper_start(h, call, q, item, weight);
	probe_assert_blocked(&h->probe);
}

/* The call returns, and returns rc. */
static void
helper_finish(struct helper *h, int rc)
{
	probe_finish(&h->probe);
	assert_int_equal(h->probe.rc, rc);
}

/* Pops with a generous timeout and checks what came out. */
static void
assert_pop(struct bqueue *q, void *want)
{
	void *item = NULL;

	assert_int_equal(bq_pop(q, &item, 5000), BQ_ITEM);
	assert_ptr_equal(item, want);
}

static void
test_fifo_order(void **state)
{
	struct bqueue *q = bq_new(100);
	void *item;
	int i;

	assert_non_null(q);
	for (i = 0; i < 5; i++)
		assert_int_equal(bq_push(q, &items[i], 1), 0);
	assert_int_equal(bq_count(q), 5);
	for (i = 0; i < 5; i++)
		assert_pop(q, &items[i]);
	assert_int_equal(bq_count(q), 0);
	assert_int_equal(bq_pop(q, &item, 0), BQ_TIMEOUT);
	bq_free(q, NULL);
}

static void
test_pop_timeout(void **state)
{
	struct bqueue *q = bq_new(10);
	struct timespec start;
	void *item = &items[0];
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_int_equal(bq_pop(q, &item, 150), BQ_TIMEOUT);
	ms = elapsed_ms(&start);
	assert_true(ms >= 140);
	assert_true(ms < 3000);
	/* Nothing was handed out. */
	assert_ptr_equal(item, &items[0]);
	bq_free(q, NULL);
}

static void
test_pop_without_wait_on_empty_queue(void **state)
{
	struct bqueue *q = bq_new(10);
	struct timespec start;
	void *item;

	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_int_equal(bq_pop(q, &item, 0), BQ_TIMEOUT);
	assert_true(elapsed_ms(&start) < 100);
	bq_free(q, NULL);
}

static void
test_weight_bound_blocks_pusher_until_pop(void **state)
{
	struct bqueue *q = bq_new(10);
	struct helper p;

	assert_int_equal(bq_push(q, &items[0], 6), 0);
	assert_int_equal(bq_push(q, &items[1], 4), 0);	/* exactly full */
	helper_start(&p, call_push, q, &items[2], 1);
	assert_int_equal(bq_count(q), 2);
	probe_assert_blocked(&p.probe);
	assert_int_equal(bq_count(q), 2);

	/* Popping 6 units makes room: the pusher goes on. */
	assert_pop(q, &items[0]);
	helper_finish(&p, 0);
	assert_int_equal(bq_count(q), 2);
	assert_pop(q, &items[1]);
	assert_pop(q, &items[2]);
	bq_free(q, NULL);
}

/* bq_try_push never waits: a full queue says so and keeps nothing. */
static void
test_try_push_refuses_when_full(void **state)
{
	struct bqueue *q = bq_new(10);

	assert_int_equal(bq_try_push(q, &items[0], 6), 0);
	assert_int_equal(bq_try_push(q, &items[1], 5), 1);
	assert_int_equal(bq_count(q), 1);
	assert_int_equal(bq_try_push(q, &items[1], 4), 0);	/* exactly full */
	assert_pop(q, &items[0]);
	assert_pop(q, &items[1]);
	/* Empty, an item heavier than the bound still goes in. */
	assert_int_equal(bq_try_push(q, &items[2], 11), 0);
	bq_close(q);
	assert_int_equal(bq_try_push(q, &items[3], 1), -1);
	assert_pop(q, &items[2]);
	bq_free(q, NULL);
}

static void
test_pusher_waits_until_enough_room(void **state)
{
	struct bqueue *q = bq_new(10);
	struct helper p;

	assert_int_equal(bq_push(q, &items[0], 2), 0);
	assert_int_equal(bq_push(q, &items[1], 7), 0);
	helper_start_blocked(&p, call_push, q, &items[2], 5);	/* 9 + 5 > 10 */
	assert_int_equal(bq_count(q), 2);
	assert_pop(q, &items[0]);		/* 7 + 5 still > 10 */
	probe_assert_blocked(&p.probe);
	assert_int_equal(bq_count(q), 1);
	assert_pop(q, &items[1]);		/* 0 + 5 fits */
	helper_finish(&p, 0);
	assert_pop(q, &items[2]);
	bq_free(q, NULL);
}

static void
test_oversize_item_accepted_when_empty(void **state)
{
	struct bqueue *q = bq_new(10);
	struct helper p;

	assert_int_equal(bq_push(q, &items[0], 1000), 0);
	assert_int_equal(bq_count(q), 1);
	/* But nothing may join it until it is gone. */
	helper_start_blocked(&p, call_push, q, &items[1], 1);
	assert_int_equal(bq_count(q), 1);
	assert_pop(q, &items[0]);
	helper_finish(&p, 0);
	assert_pop(q, &items[1]);
	bq_free(q, NULL);
}

static void
test_close_drains_then_reports_closed(void **state)
{
	struct bqueue *q = bq_new(10);
	void *item;

	assert_int_equal(bq_push(q, &items[0], 1), 0);
	assert_int_equal(bq_push(q, &items[1], 1), 0);
	bq_close(q);
	assert_int_equal(bq_push(q, &items[2], 1), -1);
	assert_pop(q, &items[0]);
	assert_pop(q, &items[1]);
	assert_int_equal(bq_pop(q, &item, 0), BQ_CLOSED);
	assert_int_equal(bq_pop(q, &item, 100), BQ_CLOSED);
	assert_int_equal(bq_pop(q, &item, -1), BQ_CLOSED);
	bq_free(q, NULL);
}

static void
test_close_wakes_waiting_popper(void **state)
{
	struct bqueue *q = bq_new(10);
	struct helper p;

	helper_start_blocked(&p, call_pop, q, NULL, 0);
	bq_close(q);
	helper_finish(&p, BQ_CLOSED);
	assert_null(p.item);
	bq_free(q, NULL);
}

static void
test_close_fails_blocked_pusher(void **state)
{
	struct bqueue *q = bq_new(1);
	struct helper p;

	assert_int_equal(bq_push(q, &items[0], 1), 0);
	helper_start_blocked(&p, call_push, q, &items[1], 1);
	assert_int_equal(bq_count(q), 1);
	bq_close(q);
	helper_finish(&p, -1);
	/* The refused item never entered the queue. */
	assert_int_equal(bq_count(q), 1);
	bq_free(q, NULL);
}

static void
test_waiting_pop_gets_item_pushed_later(void **state)
{
	struct bqueue *q = bq_new(10);
	struct helper p;

	helper_start_blocked(&p, call_pop, q, NULL, 0);
	assert_int_equal(bq_push(q, &items[5], 1), 0);
	helper_finish(&p, BQ_ITEM);
	assert_ptr_equal(p.item, &items[5]);
	assert_int_equal(bq_count(q), 0);
	bq_free(q, NULL);
}

static int freed;

static void
count_free(void *item)
{
	freed += *(int *)item;
}

static void
test_free_hands_left_items_to_callback(void **state)
{
	struct bqueue *q = bq_new(10);
	int a = 1, b = 10;

	assert_int_equal(bq_push(q, &a, 1), 0);
	assert_int_equal(bq_push(q, &b, 1), 0);
	freed = 0;
	bq_free(q, count_free);
	assert_int_equal(freed, 11);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_order),
		cmocka_unit_test(test_pop_timeout),
		cmocka_unit_test(test_pop_without_wait_on_empty_queue),
		cmocka_unit_test(test_weight_bound_blocks_pusher_until_pop),
		cmocka_unit_test(test_try_push_refuses_when_full),
		cmocka_unit_test(test_pusher_waits_until_enough_room),
		cmocka_unit_test(test_oversize_item_accepted_when_empty),
		cmocka_unit_test(test_close_drains_then_reports_closed),
		cmocka_unit_test(test_close_wakes_waiting_popper),
		cmocka_unit_test(test_close_fails_blocked_pusher),
		cmocka_unit_test(test_waiting_pop_gets_item_pushed_later),
		cmocka_unit_test(test_free_hands_left_items_to_callback),
	};

	/* A queue that wrongly blocks for ever must fail the test, not hang. */
	alarm(60);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

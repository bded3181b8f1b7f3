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

/*
 * Threads are ordered by signals, never by sleeping: a helper thread says
 * "started" just before it calls into the queue and "done" just after.
 * A blocked call is shown by waiting a while for "done" and not getting it;
 * that wait can only make a test pass wrongly if the queue is slow, never
 * fail it wrongly, and the other waits are bounded only to catch a hang.
 */
#define HANG_MS		10000	/* longer than this is a hang */
#define BLOCKED_MS	200	/* long enough to see a call not return */

static int items[8];

/* One bq_push or bq_pop in another thread, which may block. */
struct helper {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 changed;
	int		 started;
	int		 done;
	struct bqueue	*q;
	void		*item;		/* to push, or popped */
	size_t		 weight;
	int		 rc;		/* bq_push's, or bq_pop's status */
};

static void
helper_set(struct helper *h, int *flag)
{
	pthread_mutex_lock(&h->lock);
	*flag = 1;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

static void *
push_thread(void *arg)
{
	struct helper *h = arg;
	int rc;

	helper_set(h, &h->started);
	rc = bq_push(h->q, h->item, h->weight);
	h->rc = rc;
	helper_set(h, &h->done);
	return NULL;
}

static void *
pop_thread(void *arg)
{
	struct helper *h = arg;
	void *item = NULL;
	enum bq_status status;

	helper_set(h, &h->started);
	status = bq_pop(h->q, &item, -1);
	h->item = item;
	h->rc = (int)status;
	helper_set(h, &h->done);
	return NULL;
}

/* Wait until *flag is set or ms have passed; returns the flag. */
static int
helper_wait(struct helper *h, int *flag, long ms)
{
	struct timespec deadline;
	int set;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&h->lock);
	while (!*flag && pthread_cond_timedwait(&h->changed, &h->lock,
	    &deadline) != ETIMEDOUT)
		;
	set = *flag;
	pthread_mutex_unlock(&h->lock);
	return set;
}

/* Start the thread and return once it is about to call into the queue. */
static void
helper_start(struct helper *h, void *(*fn)(void *), struct bqueue *q,
    void *item, size_t weight)
{
	pthread_condattr_t attr;

	h->q = q;
	h->item = item;
	h->weight = weight;
	h->rc = -2;
	h->started = h->done = 0;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&h->changed, &attr);
	pthread_condattr_destroy(&attr);
	assert_int_equal(pthread_create(&h->thread, NULL, fn, h), 0);
	assert_true(helper_wait(h, &h->started, HANG_MS));
}

/* The helper has started its call and it has not returned. */
static void
assert_blocked(struct helper *h)
{
	assert_true(h->started);
	assert_false(helper_wait(h, &h->done, BLOCKED_MS));
}

/* Once unblocked, the call returns: join and check it did. */
static void
helper_finish(struct helper *h)
{
	assert_true(helper_wait(h, &h->done, HANG_MS));
	assert_int_equal(pthread_join(h->thread, NULL), 0);
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->changed);
}

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
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
	helper_start(&p, push_thread, q, &items[2], 1);
	assert_int_equal(bq_count(q), 2);
	assert_blocked(&p);
	assert_int_equal(bq_count(q), 2);

	/* Popping 6 units makes room: the pusher goes on. */
	assert_pop(q, &items[0]);
	helper_finish(&p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(bq_count(q), 2);
	assert_pop(q, &items[1]);
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
	helper_start(&p, push_thread, q, &items[2], 5);	/* 9 + 5 > 10 */
	assert_blocked(&p);
	assert_int_equal(bq_count(q), 2);
	assert_pop(q, &items[0]);		/* 7 + 5 still > 10 */
	assert_blocked(&p);
	assert_int_equal(bq_count(q), 1);
	assert_pop(q, &items[1]);		/* 0 + 5 fits */
	helper_finish(&p);
	assert_int_equal(p.rc, 0);
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
	helper_start(&p, push_thread, q, &items[1], 1);
	assert_blocked(&p);
	assert_int_equal(bq_count(q), 1);
	assert_pop(q, &items[0]);
	helper_finish(&p);
	assert_int_equal(p.rc, 0);
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

	helper_start(&p, pop_thread, q, NULL, 0);
	assert_blocked(&p);
	bq_close(q);
	helper_finish(&p);
	assert_int_equal(p.rc, BQ_CLOSED);
	assert_null(p.item);
	bq_free(q, NULL);
}

static void
test_close_fails_blocked_pusher(void **state)
{
	struct bqueue *q = bq_new(1);
	struct helper p;

	assert_int_equal(bq_push(q, &items[0], 1), 0);
	helper_start(&p, push_thread, q, &items[1], 1);
	assert_blocked(&p);
	assert_int_equal(bq_count(q), 1);
	bq_close(q);
	helper_finish(&p);
	assert_int_equal(p.rc, -1);
	/* The refused item never entered the queue. */
	assert_int_equal(bq_count(q), 1);
	bq_free(q, NULL);
}

static void
test_waiting_pop_gets_item_pushed_later(void **state)
{
	struct bqueue *q = bq_new(10);
	struct helper p;

	helper_start(&p, pop_thread, q, NULL, 0);
	assert_blocked(&p);
	assert_int_equal(bq_push(q, &items[5], 1), 0);
	helper_finish(&p);
	assert_int_equal(p.rc, BQ_ITEM);
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

/* Unit tests for the bounded blocking FIFO (plugin/bqueue.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "common/bqueue.h"

static int items[8];

/* A push of one item from another thread, which may block. */
struct pusher {
	pthread_t	 thread;
	struct bqueue	*q;
	void		*item;
	size_t		 weight;
	atomic_int	 done;
	int		 rc;
};

static void *
push_thread(void *arg)
{
	struct pusher *p = arg;

	p->rc = bq_push(p->q, p->item, p->weight);
	atomic_store(&p->done, 1);
	return NULL;
}

static void
start_push(struct pusher *p, struct bqueue *q, void *item, size_t weight)
{
	p->q = q;
	p->item = item;
	p->weight = weight;
	p->rc = -2;
	atomic_init(&p->done, 0);
	assert_int_equal(pthread_create(&p->thread, NULL, push_thread, p), 0);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
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
	struct pusher p;

	assert_int_equal(bq_push(q, &items[0], 6), 0);
	assert_int_equal(bq_push(q, &items[1], 4), 0);	/* exactly full */
	start_push(&p, q, &items[2], 1);
	sleep_ms(200);
	assert_false(atomic_load(&p.done));
	assert_int_equal(bq_count(q), 2);

	/* Popping 6 units makes room: the pusher goes on. */
	assert_pop(q, &items[0]);
	assert_int_equal(pthread_join(p.thread, NULL), 0);
	assert_true(atomic_load(&p.done));
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
	struct pusher p;

	assert_int_equal(bq_push(q, &items[0], 2), 0);
	assert_int_equal(bq_push(q, &items[1], 7), 0);
	start_push(&p, q, &items[2], 5);	/* 9 + 5 > 10 */
	sleep_ms(100);
	assert_false(atomic_load(&p.done));
	assert_pop(q, &items[0]);		/* 7 + 5 still > 10 */
	sleep_ms(100);
	assert_false(atomic_load(&p.done));
	assert_pop(q, &items[1]);		/* 0 + 5 fits */
	assert_int_equal(pthread_join(p.thread, NULL), 0);
	assert_int_equal(p.rc, 0);
	assert_pop(q, &items[2]);
	bq_free(q, NULL);
}

static void
test_oversize_item_accepted_when_empty(void **state)
{
	struct bqueue *q = bq_new(10);
	struct pusher p;

	assert_int_equal(bq_push(q, &items[0], 1000), 0);
	assert_int_equal(bq_count(q), 1);
	/* But nothing may join it until it is gone. */
	start_push(&p, q, &items[1], 1);
	sleep_ms(100);
	assert_false(atomic_load(&p.done));
	assert_pop(q, &items[0]);
	assert_int_equal(pthread_join(p.thread, NULL), 0);
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

static void *
pop_forever_thread(void *arg)
{
	static enum bq_status status;
	void *item;

	status = bq_pop(arg, &item, -1);
	return &status;
}

static void
test_close_wakes_waiting_popper(void **state)
{
	struct bqueue *q = bq_new(10);
	pthread_t t;
	void *result;

	assert_int_equal(pthread_create(&t, NULL, pop_forever_thread, q), 0);
	sleep_ms(100);
	bq_close(q);
	assert_int_equal(pthread_join(t, &result), 0);
	assert_int_equal(*(enum bq_status *)result, BQ_CLOSED);
	bq_free(q, NULL);
}

static void
test_close_fails_blocked_pusher(void **state)
{
	struct bqueue *q = bq_new(1);
	struct pusher p;

	assert_int_equal(bq_push(q, &items[0], 1), 0);
	start_push(&p, q, &items[1], 1);
	sleep_ms(100);
	assert_false(atomic_load(&p.done));
	bq_close(q);
	assert_int_equal(pthread_join(p.thread, NULL), 0);
	assert_int_equal(p.rc, -1);
	/* The refused item never entered the queue. */
	assert_int_equal(bq_count(q), 1);
	bq_free(q, NULL);
}

static void *
push_later_thread(void *arg)
{
	sleep_ms(100);
	bq_push(arg, &items[5], 1);
	return NULL;
}

static void
test_waiting_pop_gets_item_pushed_later(void **state)
{
	struct bqueue *q = bq_new(10);
	pthread_t t;
	void *item = NULL;

	assert_int_equal(pthread_create(&t, NULL, push_later_thread, q), 0);
	assert_int_equal(bq_pop(q, &item, -1), BQ_ITEM);
	assert_ptr_equal(item, &items[5]);
	assert_int_equal(pthread_join(t, NULL), 0);
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

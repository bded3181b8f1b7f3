/*
 * One call that may block, made on a thread of its own, for the unit tests
 * of the queues.  Threads are ordered by signals, never by sleeping: the
 * thread says "started" just before the call and "done" just after.  A
 * blocked call is shown by waiting a while for "done" and not getting it;
 * that wait can only make a test pass wrongly if the code is slow, never
 * fail it wrongly, and the other waits are bounded only to catch a hang.
 *
 * Include after cmocka.h; every function is static to the test program.
 */
#ifndef AUDISP_ECS_CALL_PROBE_H
#define AUDISP_ECS_CALL_PROBE_H

#include <errno.h>
#include <pthread.h>
#include <time.h>

#define HANG_MS		10000	/* longer than this is a hang */
#define BLOCKED_MS	200	/* long enough to see a call not return */

struct call_probe {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 changed;
	int		 started;
	int		 done;
	int		(*call)(void *arg);
	void		*arg;
	int		 rc;		/* what call returned */
};

static void
probe_set(struct call_probe *p, int *flag)
{
	pthread_mutex_lock(&p->lock);
	*flag = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

static void *
probe_main(void *arg)
{
	struct call_probe *p = arg;
	int rc;

	probe_set(p, &p->started);
	rc = p->call(p->arg);
	p->rc = rc;
	probe_set(p, &p->done);
	return NULL;
}

/* Wait until *flag is set or ms have passed; returns the flag. */
static int
probe_wait(struct call_probe *p, int *flag, long ms)
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
	pthread_mutex_lock(&p->lock);
	while (!*flag && pthread_cond_timedwait(&p->changed, &p->lock,
	    &deadline) != ETIMEDOUT)
		;
	set = *flag;
	pthread_mutex_unlock(&p->lock);
	return set;
}

/* Start the thread; returns once it is about to make the call. */
static void
probe_start(struct call_probe *p, int (*call)(void *), void *arg)
{
	pthread_condattr_t attr;

	p->call = call;
	p->arg = arg;
	p->rc = -2;
	p->started = p->done = 0;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->changed, &attr);
	pthread_condattr_destroy(&attr);
	assert_int_equal(pthread_create(&p->thread, NULL, probe_main, p), 0);
	assert_true(probe_wait(p, &p->started, HANG_MS));
}

/* The call has started and has not returned. */
static void
probe_assert_blocked(struct call_probe *p)
{
	assert_true(p->started);
	assert_false(probe_wait(p, &p->done, BLOCKED_MS));
}

/* Once unblocked, the call returns: join and check it did. */
static void
probe_finish(struct call_probe *p)
{
	assert_true(probe_wait(p, &p->done, HANG_MS));
	assert_int_equal(pthread_join(p->thread, NULL), 0);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->changed);
}

#endif

/*
 * The monotonic clock in the two forms the threads need: milliseconds for
 * intervals, and an absolute deadline for pthread_cond_timedwait on
 * condition variables set to CLOCK_MONOTONIC.
 */
#ifndef AUDISP_ECS_TIMEUTIL_H
#define AUDISP_ECS_TIMEUTIL_H

#include <time.h>

static inline long
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static inline void
deadline_after_ms(struct timespec *deadline, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += ms / 1000;
	deadline->tv_nsec += (ms % 1000) * 1000000L;
	if (deadline->tv_nsec >= 1000000000L) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000L;
	}
}

#endif

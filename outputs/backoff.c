/* Backoff between attempts; see backoff.h. */
#include "config.h"

#include <sys/random.h>
#include <time.h>

#include "../common/timeutil.h"
#include "backoff.h"

unsigned int
random_below(unsigned int n)
{
	unsigned int r = 0;

	if (n == 0 || getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		return 0;
	return r % n;
}

long
backoff_jittered(long b)
{
	return b / 2 + (long)random_below((unsigned int)(b / 2 + 1));
}

void
backoff_sleep(struct spool *sp, long ms)
{
	long end = monotonic_ms() + ms;
	struct timespec step = { 0, 50 * 1000000L };

	while (monotonic_ms() < end && !spool_finished(sp))
		nanosleep(&step, NULL);
}

long
backoff_next(long b, long max)
{
	return b * 2 > max ? max : b * 2;
}

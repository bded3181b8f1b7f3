/*
 * Waiting between attempts, shared by the network outputs' workers:
 * exponential backoff with jitter (so that a fleet does not reconnect in
 * step) that ends early when the spool says the work is over.
 */
#ifndef AUDISP_ECS_BACKOFF_H
#define AUDISP_ECS_BACKOFF_H

#include "spool.h"

/* A random number below n (0 when n is 0 or no randomness is at hand). */
unsigned int	random_below(unsigned int n);
/* A value in [b/2, b]. */
long		backoff_jittered(long b);
/* Sleeps up to ms, less when the spool is finished meanwhile. */
void		backoff_sleep(struct spool *, long ms);
/* The next backoff after b: doubled, at most max. */
long		backoff_next(long b, long max);

#endif

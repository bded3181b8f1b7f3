/*
 * The worker threads of a network output, shared by the Logstash and the
 * Elasticsearch publishers: starting them, spreading them over the hosts,
 * the backoff between attempts, interrupting them and joining them.
 *
 * DESIGN
 * With loadbalance every host gets per_host workers of its own, pinned to
 * it; without, per_host workers each start at a random host (so that a
 * fleet spreads out) and move on to the next one when an attempt fails.
 * A worker publishes the connection it uses (pool_worker_set_conn), so
 * that worker_pool_abort() can interrupt it from another thread; one
 * published after the abort is interrupted at once.  The workers run
 * until they return, which they do once the spool is finished (closed and
 * drained, or aborted).  The pool knows nothing of the protocols: the
 * connection is an opaque pointer with an interrupt and a close function.
 */
#ifndef AUDISP_ECS_WORKER_POOL_H
#define AUDISP_ECS_WORKER_POOL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "spool.h"

struct worker_pool;

/* What the pool keeps of one worker. */
struct pool_worker {
	struct worker_pool *pool;
	void		*owner;		/* worker_pool_start's owner */
	size_t		 index;		/* 0 .. worker_pool_count() - 1 */
	size_t		 host;		/* the host in use, an index */
	int		 pinned;	/* loadbalance: never changes host */
	pthread_t	 thread;
	/* The connection in use; written under the lock by the worker. */
	pthread_mutex_t	 conn_lock;
	void		*conn;
};

struct worker_pool_config {
	const char	*name;		/* "logstash": for messages */
	struct spool	*sp;		/* must outlive the pool */
	size_t		 nhosts;	/* at least 1 */
	size_t		 per_host;	/* workers per host with loadbalance */
	int		 loadbalance;
	long		 backoff_max_ms;
	/* The thread of a worker. */
	void		 (*run)(struct pool_worker *);
	/* Makes a call blocked on conn return now; from any thread. */
	void		 (*interrupt)(void *conn);
	/* Closes and frees conn. */
	void		 (*close)(void *conn);
};

/* How many workers worker_pool_start() starts for cfg. */
size_t		 worker_pool_count(const struct worker_pool_config *cfg);
/*
 * Starts the workers; each sees owner in its struct pool_worker.  The
 * owner's own state for worker i must be ready before the call.  NULL
 * when out of memory.
 */
struct worker_pool *worker_pool_start(const struct worker_pool_config *cfg,
		    void *owner, char *err, size_t errlen);
/*
 * Stop now: the spool stops handing out documents and the connections in
 * use are interrupted, so the workers return soon; what they held stays
 * in the spool.
 */
void		 worker_pool_abort(struct worker_pool *);
/* 1 once worker_pool_abort() was called; any thread. */
int		 worker_pool_aborted(struct worker_pool *);
/* Waits for every worker to return, closes what they left, frees. */
void		 worker_pool_join(struct worker_pool *);

/*
 * In a worker: replaces its connection with conn (NULL: none), closing
 * the one before.  A conn published after the abort is interrupted.
 */
void		 pool_worker_set_conn(struct pool_worker *, void *conn);
/* In a worker: its connection, NULL when it has none. */
void		*pool_worker_conn(const struct pool_worker *);
/*
 * In a worker, after a failure: moves on to the next host (unless
 * pinned), waits the jittered *backoff (less if the spool finishes
 * meanwhile) and doubles *backoff up to backoff_max_ms.
 */
void		 pool_worker_backoff(struct pool_worker *, long *backoff);

#endif

/* The worker threads of a network output; see worker_pool.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "../common/log.h"
#include "backoff.h"
#include "worker_pool.h"

struct worker_pool {
	struct worker_pool_config cfg;
	struct pool_worker *workers;
	size_t		 nworkers;
	atomic_int	 aborted;
};

size_t
worker_pool_count(const struct worker_pool_config *cfg)
{
	size_t per_host = cfg->per_host > 0 ? cfg->per_host : 1;

	return cfg->loadbalance ? per_host * cfg->nhosts : per_host;
}

static void *
worker_thread(void *arg)
{
	struct pool_worker *pw = arg;

	pw->pool->cfg.run(pw);
	return NULL;
}

struct worker_pool *
worker_pool_start(const struct worker_pool_config *cfg, void *owner,
    char *err, size_t errlen)
{
	struct worker_pool *pool;
	size_t i;

	if (cfg->nhosts == 0) {
		snprintf(err, errlen, "no hosts");
		return NULL;
	}
	if ((pool = calloc(1, sizeof(*pool))) == NULL)
		goto oom;
	pool->cfg = *cfg;
	pool->nworkers = worker_pool_count(cfg);
	atomic_init(&pool->aborted, 0);
	if ((pool->workers = calloc(pool->nworkers, sizeof(*pool->workers))) ==
	    NULL)
		goto oom;
	for (i = 0; i < pool->nworkers; i++) {
		struct pool_worker *pw = &pool->workers[i];

		pw->pool = pool;
		pw->owner = owner;
		pw->index = i;
		pw->pinned = cfg->loadbalance;
		/* Failover starts at a random host, so fleets spread out. */
		pw->host = cfg->loadbalance ? i % cfg->nhosts :
		    random_below((unsigned int)cfg->nhosts);
		pthread_mutex_init(&pw->conn_lock, NULL);
	}
	for (i = 0; i < pool->nworkers; i++)
		if (pthread_create(&pool->workers[i].thread, NULL,
		    worker_thread, &pool->workers[i]) != 0)
			fatalx("cannot start the %s workers", cfg->name);
	return pool;
oom:
	free(pool);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void
worker_pool_abort(struct worker_pool *pool)
{
	size_t i;

	atomic_store(&pool->aborted, 1);
	spool_abort(pool->cfg.sp);
	for (i = 0; i < pool->nworkers; i++) {
		struct pool_worker *pw = &pool->workers[i];

		pthread_mutex_lock(&pw->conn_lock);
		if (pw->conn != NULL)
			pool->cfg.interrupt(pw->conn);
		pthread_mutex_unlock(&pw->conn_lock);
	}
}

int
worker_pool_aborted(struct worker_pool *pool)
{
	return atomic_load(&pool->aborted);
}

void
worker_pool_join(struct worker_pool *pool)
{
	size_t i;

	for (i = 0; i < pool->nworkers; i++) {
		struct pool_worker *pw = &pool->workers[i];

		pthread_join(pw->thread, NULL);
		if (pw->conn != NULL)
			pool->cfg.close(pw->conn);
		pthread_mutex_destroy(&pw->conn_lock);
	}
	free(pool->workers);
	free(pool);
}

void
pool_worker_set_conn(struct pool_worker *pw, void *conn)
{
	struct worker_pool *pool = pw->pool;

	/* Under the lock: an abort must never interrupt a closed one. */
	pthread_mutex_lock(&pw->conn_lock);
	if (pw->conn != NULL)
		pool->cfg.close(pw->conn);
	pw->conn = conn;
	if (conn != NULL && worker_pool_aborted(pool))
		pool->cfg.interrupt(conn);
	pthread_mutex_unlock(&pw->conn_lock);
}

void *
pool_worker_conn(const struct pool_worker *pw)
{
	/* Only the worker writes it: its own read needs no lock. */
	return pw->conn;
}

void
pool_worker_backoff(struct pool_worker *pw, long *backoff)
{
	struct worker_pool *pool = pw->pool;

	if (!pw->pinned)
		pw->host = (pw->host + 1) % pool->cfg.nhosts;
	backoff_sleep(pool->cfg.sp, backoff_jittered(*backoff));
	*backoff = backoff_next(*backoff, pool->cfg.backoff_max_ms);
}

/*
 * The Logstash output: worker threads that take documents from the spool,
 * send them over Lumberjack v2 connections and acknowledge them back.
 *
 * DESIGN
 * Each worker owns one connection at a time.  With loadbalance, every host
 * gets `worker` workers of its own; without, `worker` workers each use one
 * host and move to the next (from a random start) when it fails.  A worker
 * takes up to bulk_max_size * pipelining documents, sends them as windows
 * of at most bulk_max_size, keeps up to `pipelining` windows in flight, and
 * acknowledges the ticket to the spool only when every window is
 * acknowledged.  On any failure the documents not acknowledged go back to
 * the spool for any worker to send again, and the worker reconnects after
 * an exponential backoff with jitter between backoff.init and backoff.max
 * (the first reconnect after a long-idle connection broke is immediate:
 * Logstash closes idle connections).  A server flooding keepalives (see
 * lumberjack.h) is treated as failed: counted, logged once in a while,
 * and backed off from.  Connections older than ttl are replaced between
 * batches.
 */
#ifndef AUDISP_ECS_PUBLISHER_H
#define AUDISP_ECS_PUBLISHER_H

#include <stddef.h>
#include <stdint.h>

#include "lumberjack.h"
#include "spool.h"

struct publisher_config {
	char	**hosts;		/* "host:port", "[v6]:port" or "host" */
	size_t	  nhosts;
	int	  loadbalance;
	int	  workers;		/* per host with loadbalance */
	size_t	  bulk_max_size;	/* documents per window */
	int	  pipelining;		/* windows in flight per connection */
	long	  backoff_init_ms;
	long	  backoff_max_ms;
	long	  ttl_ms;		/* 0: connections live until they fail */
	struct lj_config lj;
};

/* Counters of a network output's workers (Logstash or Elasticsearch). */
struct publisher_stats {
	uint64_t	published;	/* documents acknowledged */
	uint64_t	windows;	/* windows (bulk requests) acknowledged */
	uint64_t	retries;	/* tickets sent again after a failure */
	uint64_t	connects;
	uint64_t	connect_failures;
	/* Logstash only: connections closed for flooding keepalives. */
	uint64_t	ack_floods;
	/* Elasticsearch only: */
	uint64_t	conflicts;	/* 409: indexed by an earlier attempt */
	uint64_t	item_retries;	/* documents sent again after 429/5xx */
	uint64_t	dead_lettered;	/* non-indexable, to the dead letter */
	uint64_t	non_indexable_dropped;	/* non-indexable, dropped */
};

struct publisher;

/* Start the workers on sp (which must outlive the publisher). */
struct publisher *publisher_start(struct spool *sp,
		    const struct publisher_config *, char *err, size_t errlen);
/*
 * Stop now (the shutdown deadline passed): the spool stops handing out
 * documents and connections in use are interrupted, so the workers return
 * at once; what they held stays in the spool for the next start.
 */
void		 publisher_abort(struct publisher *);
/*
 * Wait for the workers: they stop once the spool is closed and drained,
 * or after publisher_abort().  Frees the publisher.
 */
void		 publisher_join(struct publisher *);
void		 publisher_get_stats(struct publisher *, struct publisher_stats *);
/* Split "host:port" / "[addr]:port" / "host" (port 5044). */
int		 parse_host_port(const char *spec, char *host, size_t hostlen,
		    char *port, size_t portlen);

#endif

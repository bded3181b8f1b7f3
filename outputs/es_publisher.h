/*
 * The Elasticsearch output's workers: documents from the spool into the
 * _bulk API of one or more hosts.
 *
 * DESIGN
 * A worker takes up to bulk_max_size documents from the spool (waiting up
 * to flush_interval for that many), sends them in one bulk request (gzip
 * when compression_level > 0) and looks at what became of each:
 *   - 2xx and 409 (already indexed: an earlier attempt got through) are
 *     done;
 *   - 429 and 5xx are sent again, only those documents, after a backoff;
 *     a document failing with 5xx more than max_retries times is treated
 *     as non-indexable (429 is the cluster asking for patience: never);
 *   - other 4xx are non-indexable: es_dead_letter.h.
 * The spool ticket is acknowledged once every document is settled.  When
 * the request as a whole fails, the answer decides:
 *   - 413 (too large): the batch is split in halves, recursively; a single
 *     document that still does not fit is non-indexable;
 *   - 400: likewise split, to isolate the document the cluster cannot read;
 *   - 429, 5xx, a transport error, 401/403 (credentials can be fixed and
 *     SIGHUP'd), anything else: the whole ticket goes back to the spool for
 *     any worker, and this one waits (exponential backoff with jitter) and,
 *     without loadbalance, moves on to the next host.  Documents of the
 *     ticket that were indexed meanwhile answer 409 next time (within
 *     one backing index: a data stream that rolled over in between
 *     takes them again).
 * Before its first request to a host, a worker checks with GET / that the
 * host is Elasticsearch (X-Elastic-Product) 7.x, 8.x or 9.x.
 * With loadbalance every host gets `worker` workers of its own; without,
 * `worker` workers start at a random host and fail over in turn.
 */
#ifndef AUDISP_ECS_ES_PUBLISHER_H
#define AUDISP_ECS_ES_PUBLISHER_H

#include "publisher.h"
#include "spool.h"

struct es_output_config;
struct es_client;
struct es_publisher;

/* Starts the workers on sp; cfg and sp must outlive the publisher. */
struct es_publisher *es_publisher_start(struct spool *sp,
		    const struct es_output_config *cfg, char *err,
		    size_t errlen);
/* As publisher_abort(): stop now, what is held stays in the spool. */
void		 es_publisher_abort(struct es_publisher *);
/* Waits for the workers (see publisher_join()); frees the publisher. */
void		 es_publisher_join(struct es_publisher *);
void		 es_publisher_get_stats(struct es_publisher *,
		    struct publisher_stats *);

/*
 * GET /: is the host behind c Elasticsearch or OpenSearch, and which
 * version?  0 with "Elasticsearch 8.15.0 (cluster NAME)" in found (and
 * the engine in *engine unless it is NULL), or -1 with err.
 */
struct es_engine;
int		 es_check_cluster(struct es_client *c, const char *auth_name,
		    struct es_engine *engine, char *found, size_t foundlen,
		    char *err, size_t errlen);

#endif

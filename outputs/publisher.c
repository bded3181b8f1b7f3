/* The Logstash output's workers; see publisher.h. */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/log.h"
#include "../common/timeutil.h"
#include "publisher.h"
#include "worker_pool.h"

#define DEFAULT_PORT	"5044"
#define TAKE_WAIT_MS	1000
/* A connection idle this long may have been closed by Logstash. */
#define IDLE_MS		30000
/* A server flooding keepalives is reported once per this many seconds. */
#define FLOOD_LOG_S	300

struct publisher;

struct worker {
	struct publisher *pub;
	struct pool_worker *pw;		/* its thread, host and connection */
	struct ratelimit errors;
	struct ratelimit floods;
};

struct publisher {
	struct spool	*sp;
	struct publisher_config cfg;
	struct worker_pool *pool;
	struct worker	*workers;
	atomic_ullong	 published, windows, retries, connects, failures;
	atomic_ullong	 ack_floods;
};

int
parse_host_port(const char *spec, char *host, size_t hostlen, char *port,
    size_t portlen)
{
	const char *colon, *end;
	size_t n;

	if (spec[0] == '[') {
		if ((end = strchr(spec, ']')) == NULL)
			return -1;
		n = (size_t)(end - spec - 1);
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && colon == NULL)
			return -1;
		spec++;
	} else {
		colon = strrchr(spec, ':');
		/* More than one colon without brackets: a bare IPv6 address. */
		if (colon != NULL && strchr(spec, ':') != colon)
			colon = NULL;
		n = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	}
	if (n == 0 || n >= hostlen)
		return -1;
	memcpy(host, spec, n);
	host[n] = '\0';
	snprintf(port, portlen, "%s", colon != NULL && colon[1] != '\0' ?
	    colon + 1 : DEFAULT_PORT);
	return 0;
}

static const char *
host_name(const struct worker *w)
{
	return w->pub->cfg.hosts[w->pw->host];
}

static struct lj_conn *
connect_host(struct worker *w, char *err, size_t errlen)
{
	struct publisher *pub = w->pub;
	char host[256], port[16];
	struct lj_conn *conn;

	if (parse_host_port(host_name(w), host, sizeof(host), port,
	    sizeof(port)) == -1) {
		snprintf(err, errlen, "bad host \"%s\"", host_name(w));
		return NULL;
	}
	conn = lj_connect(host, port, &pub->cfg.lj, err, errlen);
	if (conn != NULL) {
		atomic_fetch_add(&pub->connects, 1);
		log_info("logstash: connected to %s", host_name(w));
	} else
		atomic_fetch_add(&pub->failures, 1);
	return conn;
}

/*
 * Send the ticket's documents from t->done on, as windows with up to
 * `pipelining` in flight; t->done follows the acknowledgements.  0 when
 * everything is acknowledged.
 */
static int
send_ticket(struct worker *w, struct lj_conn *conn, struct spool_ticket *t,
    char *err, size_t errlen)
{
	struct publisher *pub = w->pub;
	size_t ndocs, next, acked, sizes[64], head = 0, count = 0, n;
	int depth = pub->cfg.pipelining > 0 ? pub->cfg.pipelining : 1, rc = 0;
	struct sv *docs;

	if (depth > 64)
		depth = 64;
	if ((docs = spool_ticket_docs(t, &ndocs)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	next = t->done;
	while (rc == 0 && (next < ndocs || count > 0)) {
		while (count < (size_t)depth && next < ndocs) {
			n = ndocs - next < pub->cfg.bulk_max_size ?
			    ndocs - next : pub->cfg.bulk_max_size;
			if (lj_send_window(conn, docs + next, n, err,
			    errlen) == -1) {
				rc = -1;
				break;
			}
			sizes[(head + count++) % 64] = n;
			next += n;
		}
		if (rc == -1 || count == 0)
			break;
		if (lj_wait_window(conn, &acked, err, errlen) == -1) {
			t->done += acked;
			rc = -1;
			break;
		}
		t->done += sizes[head];
		head = (head + 1) % 64;
		count--;
		atomic_fetch_add(&pub->windows, 1);
	}
	free(docs);
	return rc;
}

static void
close_conn(struct worker *w, struct lj_conn **conn)
{
	pool_worker_set_conn(w->pw, NULL);
	*conn = NULL;
}

/*
 * A ticket failed on conn: what was acknowledged is counted, the rest
 * goes back to the spool, and the connection is closed.  1 when the
 * worker is to back off before it connects again: not when a connection
 * idle for long broke (Logstash closes those), always when the server
 * flooded keepalives.
 */
static int
ticket_failed(struct worker *w, struct lj_conn **conn, struct spool_ticket *t,
    size_t before, const char *err, int idle_failure)
{
	struct publisher *pub = w->pub;
	int flood = lj_ack_flood(*conn);

	atomic_fetch_add(&pub->published, t->done - before);
	atomic_fetch_add(&pub->retries, 1);
	if (flood) {
		atomic_fetch_add(&pub->ack_floods, 1);
		log_ratelimited(&w->floods, "logstash %s: %s; closing the "
		    "connection and backing off, %zu of %zu documents will be "
		    "sent again", host_name(w), err, t->ndocs - t->done,
		    t->ndocs);
	} else
		log_ratelimited(&w->errors, "logstash %s: %s; %zu of %zu "
		    "documents will be sent again", host_name(w), err,
		    t->ndocs - t->done, t->ndocs);
	spool_retry(pub->sp, t);
	close_conn(w, conn);
	return flood || !idle_failure;
}

static void
worker_main(struct pool_worker *pw)
{
	struct publisher *pub = pw->owner;
	struct worker *w = &pub->workers[pw->index];
	struct lj_conn *conn = NULL;
	struct spool_ticket *t;
	long backoff = pub->cfg.backoff_init_ms, connected_at = 0, last_use = 0;
	char err[512];
	int idle_failure;
	size_t before;

	w->pw = pw;
	while (!spool_finished(pub->sp)) {
		if (conn == NULL) {
			if ((conn = connect_host(w, err, sizeof(err))) == NULL) {
				log_ratelimited(&w->errors, "logstash: %s", err);
				pool_worker_backoff(pw, &backoff);
				continue;
			}
			connected_at = last_use = monotonic_ms();
			pool_worker_set_conn(pw, conn);
		}
		if ((t = spool_take(pub->sp, pub->cfg.bulk_max_size *
		    (size_t)(pub->cfg.pipelining > 0 ? pub->cfg.pipelining : 1),
		    TAKE_WAIT_MS)) == NULL)
			continue;
		idle_failure = monotonic_ms() - last_use > IDLE_MS;
		before = t->done;	/* a retried ticket may be half done */
		if (send_ticket(w, conn, t, err, sizeof(err)) == 0) {
			atomic_fetch_add(&pub->published, t->ndocs - before);
			spool_ack(pub->sp, t);
			backoff = pub->cfg.backoff_init_ms;
			last_use = monotonic_ms();
		} else {
			if (ticket_failed(w, &conn, t, before, err,
			    idle_failure))
				pool_worker_backoff(pw, &backoff);
			continue;
		}
		if (pub->cfg.ttl_ms > 0 && monotonic_ms() - connected_at >
		    pub->cfg.ttl_ms)
			close_conn(w, &conn);
	}
	close_conn(w, &conn);
}

static void
interrupt_conn(void *conn)
{
	lj_interrupt(conn);
}

static void
close_lj_conn(void *conn)
{
	lj_close(conn);
}

struct publisher *
publisher_start(struct spool *sp, const struct publisher_config *cfg,
    char *err, size_t errlen)
{
	struct worker_pool_config pc = {
		.name = "logstash",
		.sp = sp,
		.nhosts = cfg->nhosts,
		.per_host = cfg->workers > 0 ? (size_t)cfg->workers : 1,
		.loadbalance = cfg->loadbalance,
		.backoff_max_ms = cfg->backoff_max_ms,
		.run = worker_main,
		.interrupt = interrupt_conn,
		.close = close_lj_conn,
	};
	struct publisher *pub;
	size_t i, n = worker_pool_count(&pc);

	if ((pub = calloc(1, sizeof(*pub))) == NULL ||
	    (pub->workers = calloc(n, sizeof(*pub->workers))) == NULL) {
		free(pub);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pub->sp = sp;
	pub->cfg = *cfg;
	for (i = 0; i < n; i++) {
		pub->workers[i].pub = pub;
		pub->workers[i].errors = (struct ratelimit)RATELIMIT_INIT(30, 3);
		pub->workers[i].floods =
		    (struct ratelimit)RATELIMIT_INIT(FLOOD_LOG_S, 1);
	}
	if ((pub->pool = worker_pool_start(&pc, pub, err, errlen)) == NULL) {
		free(pub->workers);
		free(pub);
		return NULL;
	}
	return pub;
}

void
publisher_abort(struct publisher *pub)
{
	worker_pool_abort(pub->pool);
}

void
publisher_join(struct publisher *pub)
{
	worker_pool_join(pub->pool);
	free(pub->workers);
	free(pub);
}

void
publisher_get_stats(struct publisher *pub, struct publisher_stats *s)
{
	s->published = atomic_load(&pub->published);
	s->windows = atomic_load(&pub->windows);
	s->retries = atomic_load(&pub->retries);
	s->connects = atomic_load(&pub->connects);
	s->connect_failures = atomic_load(&pub->failures);
	s->ack_floods = atomic_load(&pub->ack_floods);
}

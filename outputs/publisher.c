/* The Logstash output's workers; see publisher.h. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/log.h"
#include "../common/timeutil.h"
#include "backoff.h"
#include "publisher.h"

#define DEFAULT_PORT	"5044"
#define TAKE_WAIT_MS	1000
/* A connection idle this long may have been closed by Logstash. */
#define IDLE_MS		30000

struct publisher;

struct worker {
	struct publisher *pub;
	pthread_t	 thread;
	/* The connection in use, for publisher_abort() to interrupt. */
	_Atomic(struct lj_conn *) conn;
	pthread_mutex_t	 conn_lock;
	size_t		 host;		/* current host index */
	int		 pinned;	/* loadbalance: never changes host */
	struct ratelimit errors;
};

struct publisher {
	struct spool	*sp;
	struct publisher_config cfg;
	struct worker	*workers;
	size_t		 nworkers;
	atomic_ullong	 published, windows, retries, connects, failures;
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

static void
next_backoff(struct worker *w, long *backoff)
{
	struct publisher *pub = w->pub;

	if (!w->pinned)
		w->host = (w->host + 1) % pub->cfg.nhosts;
	backoff_sleep(pub->sp, backoff_jittered(*backoff));
	*backoff = backoff_next(*backoff, pub->cfg.backoff_max_ms);
}

static struct lj_conn *
connect_host(struct worker *w, char *err, size_t errlen)
{
	struct publisher *pub = w->pub;
	char host[256], port[16];
	struct lj_conn *conn;

	if (parse_host_port(pub->cfg.hosts[w->host], host, sizeof(host), port,
	    sizeof(port)) == -1) {
		snprintf(err, errlen, "bad host \"%s\"", pub->cfg.hosts[w->host]);
		return NULL;
	}
	conn = lj_connect(host, port, &pub->cfg.lj, err, errlen);
	if (conn != NULL) {
		atomic_fetch_add(&pub->connects, 1);
		log_info("logstash: connected to %s", pub->cfg.hosts[w->host]);
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
	pthread_mutex_lock(&w->conn_lock);
	atomic_store(&w->conn, NULL);
	if (*conn != NULL)
		lj_close(*conn);
	*conn = NULL;
	pthread_mutex_unlock(&w->conn_lock);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct publisher *pub = w->pub;
	struct lj_conn *conn = NULL;
	struct spool_ticket *t;
	long backoff = pub->cfg.backoff_init_ms, connected_at = 0, last_use = 0;
	char err[512];
	int idle_failure;
	size_t before;

	while (!spool_finished(pub->sp)) {
		if (conn == NULL) {
			if ((conn = connect_host(w, err, sizeof(err))) == NULL) {
				log_ratelimited(&w->errors, "logstash: %s", err);
				next_backoff(w, &backoff);
				continue;
			}
			connected_at = last_use = monotonic_ms();
			atomic_store(&w->conn, conn);
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
			atomic_fetch_add(&pub->published, t->done - before);
			atomic_fetch_add(&pub->retries, 1);
			log_ratelimited(&w->errors, "logstash %s: %s; %zu of %zu "
			    "documents will be sent again",
			    pub->cfg.hosts[w->host], err, t->ndocs - t->done,
			    t->ndocs);
			spool_retry(pub->sp, t);
			close_conn(w, &conn);
			if (!idle_failure)
				next_backoff(w, &backoff);
			continue;
		}
		if (pub->cfg.ttl_ms > 0 && monotonic_ms() - connected_at >
		    pub->cfg.ttl_ms)
			close_conn(w, &conn);
	}
	close_conn(w, &conn);
	return NULL;
}

struct publisher *
publisher_start(struct spool *sp, const struct publisher_config *cfg,
    char *err, size_t errlen)
{
	struct publisher *pub;
	size_t i, per_host = cfg->workers > 0 ? (size_t)cfg->workers : 1;

	if (cfg->nhosts == 0) {
		snprintf(err, errlen, "no hosts");
		return NULL;
	}
	if ((pub = calloc(1, sizeof(*pub))) == NULL)
		goto oom;
	pub->sp = sp;
	pub->cfg = *cfg;
	pub->nworkers = cfg->loadbalance ? per_host * cfg->nhosts : per_host;
	if ((pub->workers = calloc(pub->nworkers, sizeof(*pub->workers))) ==
	    NULL)
		goto oom;
	for (i = 0; i < pub->nworkers; i++) {
		struct worker *w = &pub->workers[i];

		w->pub = pub;
		pthread_mutex_init(&w->conn_lock, NULL);
		w->errors = (struct ratelimit)RATELIMIT_INIT(30, 3);
		w->pinned = cfg->loadbalance;
		/* Failover starts at a random host, so fleets spread out. */
		w->host = cfg->loadbalance ? i % cfg->nhosts :
		    random_below((unsigned int)cfg->nhosts);
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
			fatalx("cannot start the logstash workers");
	}
	return pub;
oom:
	if (pub != NULL)
		free(pub->workers);
	free(pub);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void
publisher_abort(struct publisher *pub)
{
	struct lj_conn *conn;
	size_t i;

	spool_abort(pub->sp);
	for (i = 0; i < pub->nworkers; i++) {
		struct worker *w = &pub->workers[i];

		pthread_mutex_lock(&w->conn_lock);
		if ((conn = atomic_load(&w->conn)) != NULL)
			lj_interrupt(conn);
		pthread_mutex_unlock(&w->conn_lock);
	}
}

void
publisher_join(struct publisher *pub)
{
	size_t i;

	for (i = 0; i < pub->nworkers; i++) {
		pthread_join(pub->workers[i].thread, NULL);
		pthread_mutex_destroy(&pub->workers[i].conn_lock);
	}
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
}

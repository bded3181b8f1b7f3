/* The Elasticsearch output's workers; see es_publisher.h. */
#include "config.h"

#include <errno.h>
#include <libdeflate.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output_conf.h"
#include "../common/log.h"
#include "../common/timeutil.h"
#include "backoff.h"
#include "../common/errbuf.h"
#include "es_bulk.h"
#include "es_client.h"
#include "es_dead_letter.h"
#include "es_publisher.h"
#include "es_response.h"
#include "es_retry.h"
#include "worker_pool.h"

#define TAKE_WAIT_MS	1000
#define FLUSH_STEP_MS	5

/* How a ticket (or part of it) fared. */
enum send_result {
	SEND_SETTLED,		/* every document is done or dead-lettered */
	SEND_FAILED,		/* the request failed: back to the spool */
	SEND_ABORTED,		/* shutting down now */
};

/* A non-indexable document, until the ticket's policy step. */
struct rejected {
	size_t	 doc;		/* index into the round's documents */
	int	 status;
	char	 error[256];
};

/*
 * One set of documents sent until each is settled: the ticket's, or the
 * dead letters made of its rejected ones.
 */
struct round {
	const char	*path;		/* the bulk URL path */
	const struct sv	*docs;
	int		*attempts;	/* 5xx failures per document */
	struct rejected	*rejected;
	size_t		 nrejected, rejected_cap;
};

struct es_publisher;

struct es_worker {
	struct es_publisher *pub;
	struct pool_worker *pw;		/* its thread, host and client */
	long		 last_send;
	struct buf	 body;
	struct buf	 gz;
	struct libdeflate_compressor *zc;
	struct es_item_result *results;
	size_t		 results_cap;
	size_t		 ticket_drops;	/* dropped by the policy */
	struct ratelimit errors;
	struct ratelimit item_errors;
};

struct es_publisher {
	struct spool	*sp;
	const struct es_output_config *cfg;
	struct es_client_settings *settings;
	struct dead_letter_file *dead_letter_file;
	char		*bulk_path;
	char		*dead_letter_path;
	struct worker_pool *pool;
	struct es_worker *workers;
	size_t		 nworkers;
	atomic_ullong	 published, requests, retries, connects, failures;
	atomic_ullong	 conflicts, item_retries, dead_lettered, dropped;
};

/* One "&name=value" of output.elasticsearch.parameters. */
static int
append_parameter(struct buf *b, const char *item)
{
	const char *eq = strchr(item, '=');

	return buf_append(b, "&", 1) == -1 ||
	    buf_append(b, item, (size_t)(eq - item + 1)) == -1 ||
	    es_append_escaped(b, eq + 1) == -1 ? -1 : 0;
}

/*
 * "/INDEX/_bulk?filter_path=...[&pipeline=...]&parameters", the index
 * escaped; NULL when out of memory.
 */
static char *
es_bulk_path(const struct es_output_config *cfg, const char *index,
    int with_pipeline)
{
	struct buf b = BUF_INITIALIZER(ES_PATH_MAX);
	size_t i;
	int failed;

	failed = buf_append(&b, "/", 1) == -1 ||
	    es_append_escaped(&b, index) == -1 ||
	    buf_append(&b, "/_bulk?" ES_BULK_FILTER,
	    strlen("/_bulk?" ES_BULK_FILTER)) == -1;
	if (!failed && with_pipeline && cfg->pipeline != NULL)
		failed = buf_append(&b, "&pipeline=", 10) == -1 ||
		    es_append_escaped(&b, cfg->pipeline) == -1;
	for (i = 0; !failed && i < cfg->parameters.count; i++)
		failed = append_parameter(&b, cfg->parameters.items[i]);
	if (failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_take(&b, NULL);
}

/* The reason in an Elasticsearch error body, or the start of the body. */
static void
error_of(const struct es_response *r, char *buf, size_t size)
{
	es_error_reason(r->body, r->len, buf, size);
}

int
es_check_cluster(struct es_client *c, const char *auth_name,
    struct es_engine *engine, char *found, size_t foundlen, char *err,
    size_t errlen)
{
	struct es_response r;

	if (es_client_request(c, "GET", "/", NULL, 0, NULL, 0, &r, err,
	    errlen) == -1)
		return -1;
	if (r.status == 401 || r.status == 403) {
		error_of(&r, found, foundlen);
		seterr(err, errlen, "authentication with %s failed (HTTP %ld): "
		    "%s", auth_name, r.status, found);
		return -1;
	}
	return es_cluster_answer(&r, engine, found, foundlen, err, errlen);
}

static const char *
host_name(const struct es_worker *w)
{
	return w->pub->cfg->hosts.items[w->pw->host];
}

static int
aborted(const struct es_worker *w)
{
	/* pub->pool is set only once every worker has started. */
	return worker_pool_aborted(w->pw->pool);
}

/* The worker's client, NULL when it has none. */
static struct es_client *
client_of(const struct es_worker *w)
{
	return pool_worker_conn(w->pw);
}

/* Replaces the client (freeing the one before); an abort interrupts it. */
static void
set_client(struct es_worker *w, struct es_client *c)
{
	pool_worker_set_conn(w->pw, c);
}

/* A connection to the current host, checked to be Elasticsearch. */
static int
connect_host(struct es_worker *w)
{
	struct es_publisher *pub = w->pub;
	char err[512], found[256];
	struct es_client *c;

	if ((c = es_client_new(pub->settings, host_name(w), err,
	    sizeof(err))) == NULL) {
		log_ratelimited(&w->errors, "elasticsearch %s: %s",
		    host_name(w), err);
		atomic_fetch_add(&pub->failures, 1);
		return -1;
	}
	/* Published first, so that an abort can interrupt the check too. */
	set_client(w, c);
	if (es_check_cluster(c, es_client_auth_name(pub->settings), NULL,
	    found, sizeof(found), err, sizeof(err)) == -1) {
		if (!aborted(w))
			log_ratelimited(&w->errors, "elasticsearch %s: %s",
			    host_name(w), err);
		set_client(w, NULL);
		atomic_fetch_add(&pub->failures, 1);
		return -1;
	}
	atomic_fetch_add(&pub->connects, 1);
	log_info("elasticsearch: %s is %s", es_client_url(c), found);
	return 0;
}

/*
 * The request body of docs[idx[0..n)], gzip-compressed when configured.
 * 0, -1 when out of memory, -2 when larger than a request may be.
 */
static int
build_body(struct es_worker *w, const struct sv *docs, const size_t *idx,
    size_t n, const char **body, size_t *len)
{
	size_t i, bound;

	buf_reset(&w->body);
	for (i = 0; i < n; i++)
		if (es_bulk_add(&w->body, docs[idx[i]]) == -1)
			return errno == EMSGSIZE ? -2 : -1;
	*body = w->body.p;
	*len = w->body.len;
	if (w->pub->cfg->compression_level == 0)
		return 0;
	if (w->zc == NULL && (w->zc = libdeflate_alloc_compressor(
	    (int)w->pub->cfg->compression_level)) == NULL)
		return -1;
	bound = libdeflate_gzip_compress_bound(w->zc, w->body.len);
	buf_reset(&w->gz);
	if (buf_reserve(&w->gz, bound) == -1)
		return errno == EMSGSIZE ? -2 : -1;
	if ((*len = libdeflate_gzip_compress(w->zc, w->body.p, w->body.len,
	    w->gz.p, bound)) == 0)
		return -1;
	*body = w->gz.p;
	return 0;
}

static int
reject(struct round *rd, size_t doc, int status, const char *error)
{
	struct rejected *r;

	if (rd->nrejected == rd->rejected_cap) {
		size_t cap = rd->rejected_cap ? rd->rejected_cap * 2 : 16;

		if ((r = realloc(rd->rejected, cap * sizeof(*r))) == NULL)
			return -1;
		rd->rejected = r;
		rd->rejected_cap = cap;
	}
	r = &rd->rejected[rd->nrejected++];
	r->doc = doc;
	r->status = status;
	snprintf(r->error, sizeof(r->error), "%s", error);
	return 0;
}

static int
ensure_results(struct es_worker *w, size_t n)
{
	struct es_item_result *grown;

	if (n <= w->results_cap)
		return 0;
	if ((grown = realloc(w->results, n * sizeof(*grown))) == NULL)
		return -1;
	w->results = grown;
	w->results_cap = n;
	return 0;
}

static enum send_result send_set(struct es_worker *, struct round *,
    size_t *idx, size_t n);

/* 413 or 400: the halves on their own, to find what does not fit. */
static enum send_result
split_set(struct es_worker *w, struct round *rd, size_t *idx, size_t n,
    enum es_request_action act, size_t first, int status, const char *why)
{
	enum send_result r;

	if (act == ES_REQUEST_REJECT)
		return reject(rd, idx[0], status, why) == -1 ? SEND_FAILED :
		    SEND_SETTLED;
	log_debug("elasticsearch %s: HTTP %d for %zu documents; sending them "
	    "in halves", host_name(w), status, n);
	if ((r = send_set(w, rd, idx, first)) != SEND_SETTLED)
		return r;
	return send_set(w, rd, idx + first, n - first);
}

/*
 * What the items of a 200 answer say: done, rejected, or kept in idx for
 * another round (the count returned).
 */
static size_t
settle_items(struct es_worker *w, struct round *rd, size_t *idx, size_t n)
{
	struct es_publisher *pub = w->pub;
	const struct es_item_result *r;
	size_t i, keep = 0;
	char why[320];

	for (i = 0; i < n; i++) {
		r = &w->results[i];
		switch (es_item_fate(r, &rd->attempts[idx[i]],
		    pub->cfg->max_retries)) {
		case ES_FATE_DONE:
			if (r->status == 409)
				atomic_fetch_add(&pub->conflicts, 1);
			continue;
		case ES_FATE_RETRY:
			if (r->outcome == ES_ITEM_MALFORMED)
				log_ratelimited(&w->item_errors,
				    "elasticsearch %s: %s; sending that "
				    "document again", host_name(w), r->error);
			idx[keep++] = idx[i];
			continue;
		case ES_FATE_NON_INDEXABLE:
			break;
		}
		snprintf(why, sizeof(why), "%s%s", r->outcome == ES_ITEM_RETRY ?
		    "failed on every retry: " : "", r->error[0] ? r->error :
		    "no reason given");
		if (reject(rd, idx[i], r->status, why) == -1)
			idx[keep++] = idx[i];	/* out of memory: try again */
	}
	return keep;
}

static enum send_result
request_failed(struct es_worker *w, const struct es_response *r)
{
	char reason[256];

	error_of(r, reason, sizeof(reason));
	if (r->status == 401 || r->status == 403)
		log_ratelimited(&w->errors, "elasticsearch %s: authentication "
		    "with %s refused (HTTP %ld): %s", host_name(w),
		    es_client_auth_name(w->pub->settings), r->status, reason);
	else
		log_ratelimited(&w->errors, "elasticsearch %s: bulk request "
		    "failed with HTTP %ld: %s", host_name(w), r->status,
		    reason);
	return SEND_FAILED;
}

/* Sends docs[idx[0..n)] until each is settled; idx is reordered. */
static enum send_result
send_set(struct es_worker *w, struct round *rd, size_t *idx, size_t n)
{
	struct es_publisher *pub = w->pub;
	long backoff = pub->cfg->backoff_init_ms;
	enum es_request_action act;
	struct es_response r;
	const char *body, *why;
	size_t len, first = 0;
	char err[512], reason[256];
	int built;

	while (n > 0) {
		if (aborted(w))
			return SEND_ABORTED;
		if ((built = build_body(w, rd->docs, idx, n, &body, &len)) ==
		    -2) {
			/* As if the cluster had answered 413. */
			act = es_request_action(413, n, &first);
			return split_set(w, rd, idx, n, act, first, 413,
			    "larger than the largest request body (2 GiB)");
		}
		if (built == -1 || ensure_results(w, n) == -1) {
			log_ratelimited(&w->errors, "elasticsearch: out of "
			    "memory");
			return SEND_FAILED;
		}
		atomic_fetch_add(&pub->requests, 1);
		w->last_send = monotonic_ms();
		if (es_client_request(client_of(w), "POST", rd->path, body, len,
		    "application/x-ndjson", pub->cfg->compression_level > 0,
		    &r, err, sizeof(err)) == -1) {
			if (!aborted(w))
				log_ratelimited(&w->errors, "elasticsearch %s: "
				    "%s", host_name(w), err);
			set_client(w, NULL);
			return aborted(w) ? SEND_ABORTED : SEND_FAILED;
		}
		if ((act = es_request_action(r.status, n, &first)) ==
		    ES_REQUEST_FAILED)
			return request_failed(w, &r);
		if (act != ES_REQUEST_ITEMS) {
			why = "larger than the cluster takes in one request "
			    "(http.max_content_length)";
			if (r.status == 400) {
				error_of(&r, reason, sizeof(reason));
				why = reason;
			}
			return split_set(w, rd, idx, n, act, first,
			    (int)r.status, why);
		}
		if (es_bulk_parse(r.body, r.len, n, w->results, err,
		    sizeof(err)) == -1) {
			log_ratelimited(&w->errors, "elasticsearch %s: %s",
			    host_name(w), err);
			return SEND_FAILED;
		}
		if ((n = settle_items(w, rd, idx, n)) == 0)
			break;
		atomic_fetch_add(&pub->item_retries, n);
		log_ratelimited(&w->item_errors, "elasticsearch %s: %zu "
		    "documents refused for now (HTTP 429 or 5xx, or a "
		    "malformed answer); sending only those again",
		    host_name(w), n);
		backoff_sleep(pub->sp, backoff_jittered(backoff));
		backoff = backoff_next(backoff, pub->cfg->backoff_max_ms);
	}
	return SEND_SETTLED;
}

static void
count_drop(struct es_worker *w, const struct rejected *r)
{
	atomic_fetch_add(&w->pub->dropped, 1);
	w->ticket_drops++;
	log_ratelimited(&w->item_errors, "elasticsearch: a document cannot "
	    "be indexed (HTTP %d: %s); dropped as non_indexable_policy says",
	    r->status, r->error);
}

/* Into the dead-letter file; counted as dropped when even that fails. */
static void
to_dead_letter_file(struct es_worker *w, const struct sv *doc,
    const struct rejected *r)
{
	struct es_publisher *pub = w->pub;

	if (dead_letter_file_write(pub->dead_letter_file, *doc, r->status,
	    r->error, pub->cfg->index) == 0) {
		atomic_fetch_add(&pub->dead_lettered, 1);
		log_ratelimited(&w->item_errors, "elasticsearch: a document "
		    "cannot be indexed (HTTP %d: %s); written to %s",
		    r->status, r->error, pub->cfg->dead_letter_file);
	} else
		count_drop(w, r);
}

/* A round over docs[0..n): all of them, each with no failure yet. */
static size_t *
round_init(struct round *rd, const char *path, const struct sv *docs,
    size_t n)
{
	size_t *idx, i;

	memset(rd, 0, sizeof(*rd));
	rd->path = path;
	rd->docs = docs;
	if ((idx = calloc(n + 1, sizeof(*idx))) == NULL ||
	    (rd->attempts = calloc(n + 1, sizeof(*rd->attempts))) == NULL) {
		free(idx);
		return NULL;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	return idx;
}

static void
round_free(struct round *rd)
{
	free(rd->attempts);
	free(rd->rejected);
}

/*
 * The dead-letter documents of the rejected ones into dead_letter_index;
 * those it refuses in turn go to the dead-letter file.
 */
static enum send_result
to_dead_letter_index(struct es_worker *w, const struct round *orig)
{
	struct es_publisher *pub = w->pub;
	struct buf letters = BUF_INITIALIZER(ES_BODY_MAX);
	const struct rejected *own = orig->rejected, *again;
	size_t i, nletters = 0, *idx = NULL;
	struct sv *letter_docs = NULL;
	enum send_result r = SEND_FAILED;
	struct spool_ticket t = { 0 };
	struct round rd = { 0 };

	for (i = 0; i < orig->nrejected; i++)
		if (dead_letter_document(&letters, orig->docs[own[i].doc],
		    own[i].status, own[i].error, pub->cfg->index) == -1)
			goto out;
	t.buf = letters.p;
	t.len = letters.len;
	t.ndocs = orig->nrejected;
	if ((letter_docs = spool_ticket_docs(&t, &nletters)) == NULL ||
	    (idx = round_init(&rd, pub->dead_letter_path, letter_docs,
	    nletters)) == NULL)
		goto out;
	r = send_set(w, &rd, idx, nletters);
	again = rd.rejected;
	for (i = 0; r == SEND_SETTLED && i < rd.nrejected; i++)
		to_dead_letter_file(w, &orig->docs[own[again[i].doc].doc],
		    &again[i]);
	if (r == SEND_SETTLED)
		atomic_fetch_add(&pub->dead_lettered,
		    orig->nrejected - rd.nrejected);
out:
	round_free(&rd);
	free(idx);
	free(letter_docs);
	buf_release(&letters);
	return r;
}

/* non_indexable_policy for the documents rejected while sending a ticket. */
static enum send_result
apply_policy(struct es_worker *w, const struct round *rd)
{
	size_t i;

	if (rd->nrejected == 0)
		return SEND_SETTLED;
	switch (w->pub->cfg->non_indexable_policy) {
	case NON_INDEXABLE_DEAD_LETTER_INDEX:
		return to_dead_letter_index(w, rd);
	case NON_INDEXABLE_DEAD_LETTER_FILE:
		for (i = 0; i < rd->nrejected; i++)
			to_dead_letter_file(w, &rd->docs[rd->rejected[i].doc],
			    &rd->rejected[i]);
		return SEND_SETTLED;
	default:
		for (i = 0; i < rd->nrejected; i++)
			count_drop(w, &rd->rejected[i]);
		return SEND_SETTLED;
	}
}

static enum send_result
send_ticket(struct es_worker *w, struct spool_ticket *t)
{
	size_t bulk = (size_t)w->pub->cfg->bulk_max_size, n = 0, i, step;
	size_t *idx = NULL;
	enum send_result r = SEND_FAILED;
	struct round rd = { 0 };
	struct sv *docs;

	if ((docs = spool_ticket_docs(t, &n)) == NULL ||
	    (idx = round_init(&rd, w->pub->bulk_path, docs, n)) == NULL) {
		log_ratelimited(&w->errors, "elasticsearch: out of memory");
		goto out;
	}
	w->ticket_drops = 0;
	/* A ticket holds whole spool records: it may exceed bulk_max_size. */
	for (i = 0, r = SEND_SETTLED; r == SEND_SETTLED && i < n; i += step) {
		step = n - i < bulk ? n - i : bulk;
		r = send_set(w, &rd, idx + i, step);
	}
	if (r == SEND_SETTLED)
		r = apply_policy(w, &rd);
out:
	round_free(&rd);
	free(idx);
	free(docs);
	return r;
}

/*
 * flush_interval: while fewer than bulk_max_size documents wait, hold the
 * next request back until flush_interval after the previous one, so a
 * trickle of events does not become a trickle of requests.
 */
static void
wait_for_batch(struct es_worker *w)
{
	struct es_publisher *pub = w->pub;
	struct timespec step = { 0, FLUSH_STEP_MS * 1000000L };

	while (monotonic_ms() - w->last_send < pub->cfg->flush_interval_ms &&
	    spool_ready(pub->sp) < (size_t)pub->cfg->bulk_max_size &&
	    !spool_input_closed(pub->sp))
		nanosleep(&step, NULL);
}

static void
worker_main(struct pool_worker *pw)
{
	struct es_publisher *pub = pw->owner;
	struct es_worker *w = &pub->workers[pw->index];
	long backoff = pub->cfg->backoff_init_ms;
	struct spool_ticket *t;
	enum send_result r;

	w->pw = pw;
	while (!spool_finished(pub->sp)) {
		if (client_of(w) == NULL && connect_host(w) == -1) {
			pool_worker_backoff(pw, &backoff);
			continue;
		}
		wait_for_batch(w);
		if ((t = spool_take(pub->sp, (size_t)pub->cfg->bulk_max_size,
		    TAKE_WAIT_MS)) == NULL)
			continue;
		if ((r = send_ticket(w, t)) == SEND_SETTLED) {
			atomic_fetch_add(&pub->published,
			    t->ndocs - w->ticket_drops);
			spool_ack(pub->sp, t);
			backoff = pub->cfg->backoff_init_ms;
			continue;
		}
		spool_retry(pub->sp, t);
		if (r == SEND_ABORTED)
			break;
		atomic_fetch_add(&pub->retries, 1);
		pool_worker_backoff(pw, &backoff);
		if (!pw->pinned)
			set_client(w, NULL);	/* next host */
	}
	set_client(w, NULL);
}

static void
interrupt_client(void *c)
{
	es_client_interrupt(c);
}

static void
free_client(void *c)
{
	es_client_free(c);
}

static void
worker_free(struct es_worker *w)
{
	buf_release(&w->body);
	buf_release(&w->gz);
	if (w->zc != NULL)
		libdeflate_free_compressor(w->zc);
	free(w->results);
}

static void
publisher_free(struct es_publisher *pub)
{
	size_t i;

	if (pub == NULL)
		return;
	for (i = 0; pub->workers != NULL && i < pub->nworkers; i++)
		worker_free(&pub->workers[i]);
	free(pub->workers);
	es_client_settings_free(pub->settings);
	dead_letter_file_free(pub->dead_letter_file);
	free(pub->bulk_path);
	free(pub->dead_letter_path);
	free(pub);
}

struct es_publisher *
es_publisher_start(struct spool *sp, const struct es_output_config *cfg,
    char *err, size_t errlen)
{
	struct worker_pool_config pc = {
		.name = "elasticsearch",
		.sp = sp,
		.nhosts = cfg->hosts.count,
		.per_host = (size_t)cfg->worker,
		.loadbalance = cfg->loadbalance,
		.backoff_max_ms = cfg->backoff_max_ms,
		.run = worker_main,
		.interrupt = interrupt_client,
		.close = free_client,
	};
	struct es_publisher *pub;
	size_t i;

	if ((pub = calloc(1, sizeof(*pub))) == NULL)
		goto oom;
	pub->sp = sp;
	pub->cfg = cfg;
	if ((pub->settings = es_client_settings_new(cfg, err, errlen)) ==
	    NULL) {
		publisher_free(pub);
		return NULL;
	}
	pub->nworkers = worker_pool_count(&pc);
	if ((pub->dead_letter_file = dead_letter_file_new(
	    cfg->dead_letter_file)) == NULL ||
	    (pub->bulk_path = es_bulk_path(cfg, cfg->index, 1)) == NULL ||
	    /* Not through the pipeline: it may be why they were refused. */
	    (pub->dead_letter_path = es_bulk_path(cfg,
	    cfg->dead_letter_index, 0)) == NULL ||
	    (pub->workers = calloc(pub->nworkers, sizeof(*pub->workers))) ==
	    NULL)
		goto oom;
	for (i = 0; i < pub->nworkers; i++) {
		struct es_worker *w = &pub->workers[i];

		w->pub = pub;
		buf_init(&w->body, ES_BODY_MAX);
		buf_init(&w->gz, ES_BODY_MAX);
		w->errors = (struct ratelimit)RATELIMIT_INIT(30, 3);
		w->item_errors = (struct ratelimit)RATELIMIT_INIT(30, 3);
	}
	if ((pub->pool = worker_pool_start(&pc, pub, err, errlen)) == NULL) {
		publisher_free(pub);
		return NULL;
	}
	return pub;
oom:
	publisher_free(pub);
	seterr(err, errlen, "out of memory");
	return NULL;
}

void
es_publisher_abort(struct es_publisher *pub)
{
	worker_pool_abort(pub->pool);
}

void
es_publisher_join(struct es_publisher *pub)
{
	worker_pool_join(pub->pool);
	publisher_free(pub);
}

void
es_publisher_get_stats(struct es_publisher *pub, struct publisher_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->published = atomic_load(&pub->published);
	s->windows = atomic_load(&pub->requests);
	s->retries = atomic_load(&pub->retries);
	s->connects = atomic_load(&pub->connects);
	s->connect_failures = atomic_load(&pub->failures);
	s->conflicts = atomic_load(&pub->conflicts);
	s->item_retries = atomic_load(&pub->item_retries);
	s->dead_lettered = atomic_load(&pub->dead_lettered);
	s->non_indexable_dropped = atomic_load(&pub->dropped);
}

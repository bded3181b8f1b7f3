/* Wiring, start and stop of the pipeline's stages; see pipeline.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "../common/log.h"
#include "pipeline_internal.h"
#include "../common/timeutil.h"

#define GIVE_UP_GRACE_MS	400

void
doc_item_free(void *arg)
{
	struct doc_item *item = arg;

	if (item == NULL)
		return;
	free(item->batch.buf);
	config_free(item->cfg);
	free(item);
}

void
pipeline_stage_done(struct pipeline *p)
{
	pthread_mutex_lock(&p->done_lock);
	atomic_fetch_sub(&p->stages_running, 1);
	pthread_cond_broadcast(&p->done_cond);
	pthread_mutex_unlock(&p->done_lock);
}

static void
pipeline_free(struct pipeline *p)
{
	bq_free(p->docs, doc_item_free);
	config_free(p->reload);
	pthread_mutex_destroy(&p->reload_lock);
	if (p->wake[0] != -1)
		close(p->wake[0]);
	if (p->wake[1] != -1)
		close(p->wake[1]);
	pthread_mutex_destroy(&p->done_lock);
	pthread_cond_destroy(&p->done_cond);
	config_free(p->cfg);
	who_table_free(p->who);
	free(p);
}

static struct pipeline *
start(struct config *cfg, int live, char *const paths[], int npaths,
    int fim_once)
{
	struct pipeline *p;
	pthread_condattr_t attr;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		config_free(cfg);
		return NULL;
	}
	p->cfg = cfg;
	p->live = live;
	p->paths = paths;
	p->npaths = npaths;
	p->fim_once = fim_once;
	p->wake[0] = p->wake[1] = -1;
	p->overrun_rl = (struct ratelimit)RATELIMIT_INIT(10, 1);
	pthread_mutex_init(&p->done_lock, NULL);
	pthread_mutex_init(&p->reload_lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->done_cond, &attr);
	pthread_condattr_destroy(&attr);
	p->docs = bq_new((size_t)cfg->queue_events);
	if (p->docs == NULL ||
	    pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("cannot set up the pipeline");
		pipeline_free(p);
		return NULL;
	}
	/* Before the parser runs: it stops FIM before closing the queue. */
	fim_stage_start(p, cfg);
	system_stage_start(p, cfg);
	atomic_store(&p->stages_running, 2);
	if (pthread_create(&p->output_thread, NULL, output_main, p) != 0 ||
	    pthread_create(&p->parser_thread, NULL, parse_main, p) != 0)
		fatalx("cannot start the pipeline's threads");
	return p;
}

struct pipeline *
pipeline_start(struct config *cfg, int live, char *const paths[], int npaths)
{
	return start(cfg, live, paths, npaths, 0);
}

struct pipeline *
pipeline_start_fim_scan(struct config *cfg)
{
	static char *const no_records[] = { "/dev/null" };

	return start(cfg, 0, no_records, 1, 1);
}

void
pipeline_stop_input(struct pipeline *p)
{
	atomic_store(&p->stop_input, 1);
	/* A one-shot scan is the input: it stops where it is. */
	if (p->fim_once)
		atomic_store(&p->fim_interrupt, 1);
	/* The pipe is non-blocking: one byte is enough to wake poll. */
	if (write(p->wake[1], "x", 1) == -1 && errno != EAGAIN)
		log_warn("cannot wake the parser");
}

/*
 * The parser takes the new settings at its next look at the flags: records
 * it has read by then are written with the old ones.  A reload it has not
 * taken yet is simply replaced.
 */
int
pipeline_reload(struct pipeline *p, struct config *cfg)
{
	struct config *old;

	pthread_mutex_lock(&p->reload_lock);
	old = p->reload;
	p->reload = cfg;
	pthread_mutex_unlock(&p->reload_lock);
	config_free(old);
	if (write(p->wake[1], "r", 1) == -1 && errno != EAGAIN)
		log_warn("cannot wake the parser");
	return 0;
}

void
pipeline_post_status(struct pipeline *p, const struct audit_status_report *st,
    unsigned long lost_rise, int document)
{
	pthread_mutex_lock(&p->reload_lock);
	p->status_lost_rise += lost_rise;
	if (document || lost_rise > 0) {
		p->status = *st;
		p->status_document |= document;
	}
	pthread_mutex_unlock(&p->reload_lock);
	if (lost_rise > 0)
		atomic_fetch_add(&p->kernel_lost, lost_rise);
	if ((document || lost_rise > 0) && write(p->wake[1], "s", 1) == -1 &&
	    errno != EAGAIN)
		log_warn("cannot wake the parser");
}

int
pipeline_take_status(struct pipeline *p, struct audit_status_report *st,
    unsigned long *lost_rise)
{
	int document;

	pthread_mutex_lock(&p->reload_lock);
	*st = p->status;
	*lost_rise = p->status_lost_rise;
	document = p->status_document;
	p->status_lost_rise = 0;
	p->status_document = 0;
	pthread_mutex_unlock(&p->reload_lock);
	return document;
}

struct config *
pipeline_take_reload(struct pipeline *p)
{
	struct config *cfg;

	pthread_mutex_lock(&p->reload_lock);
	cfg = p->reload;
	p->reload = NULL;
	pthread_mutex_unlock(&p->reload_lock);
	return cfg;
}

int
pipeline_finished(struct pipeline *p)
{
	return atomic_load(&p->stages_running) == 0;
}

int
pipeline_input_done(struct pipeline *p)
{
	return atomic_load(&p->input_done);
}

void
pipeline_get_stats(struct pipeline *p, struct pipeline_stats *s)
{
	s->bytes_in = atomic_load(&p->bytes_in);
	s->input_errors = atomic_load(&p->input_errors);
	s->records = atomic_load(&p->records);
	s->rejected = atomic_load(&p->rejected);
	s->events = atomic_load(&p->events);
	s->lost = atomic_load(&p->lost);
	s->filtered = atomic_load(&p->filtered);
	s->backfilled = atomic_load(&p->backfilled);
	s->late_dropped = atomic_load(&p->late_dropped);
	s->written = atomic_load(&p->written);
	s->dropped = atomic_load(&p->dropped) + atomic_load(&p->parser_dropped);
	s->write_errors = atomic_load(&p->write_errors);
	s->unstored = atomic_load(&p->unstored);
	s->spooled = atomic_load(&p->spooled);
	s->retries = atomic_load(&p->retries);
	s->es_conflicts = atomic_load(&p->es_conflicts);
	s->es_item_retries = atomic_load(&p->es_item_retries);
	s->dead_lettered = atomic_load(&p->dead_lettered);
	s->ack_floods = atomic_load(&p->ack_floods);
	s->netlink_overruns = atomic_load(&p->netlink_overruns);
	s->unix_connects = atomic_load(&p->unix_connects);
	s->kernel_lost = atomic_load(&p->kernel_lost);
	s->fim_scanned = atomic_load(&p->fim_counters.scanned);
	s->fim_hashed = atomic_load(&p->fim_counters.hashed);
	s->fim_bytes_hashed = atomic_load(&p->fim_counters.bytes_hashed);
	s->fim_changes = atomic_load(&p->fim_counters.changes);
	s->fim_overflows = atomic_load(&p->fim_counters.overflows);
	s->fim_errors = atomic_load(&p->fim_counters.errors);
	s->fim_failed = atomic_load(&p->fim_failed);
	s->input_ended = atomic_load(&p->input_complete);
}

/* Wait for the stages until the deadline; 0 if they all finished. */
static int
wait_stages(struct pipeline *p, const struct timespec *deadline)
{
	int rc = 0;

	pthread_mutex_lock(&p->done_lock);
	while (atomic_load(&p->stages_running) > 0 && rc == 0)
		rc = pthread_cond_timedwait(&p->done_cond, &p->done_lock,
		    deadline);
	pthread_mutex_unlock(&p->done_lock);
	return atomic_load(&p->stages_running) > 0 ? -1 : 0;
}

int
pipeline_finish(struct pipeline *p, int timeout_ms, struct pipeline_stats *s)
{
	struct timespec deadline;
	int lost;

	deadline_after_ms(&deadline, timeout_ms);
	if (wait_stages(p, &deadline) == -1) {
		log_warnx("outputs did not finish in time; giving up on what "
		    "they still hold (spooled documents stay for the next "
		    "start)");
		atomic_store(&p->give_up, 1);
		/*
		 * A worker may still be in a connect that its timeout bounds,
		 * not ours: do not wait for it.  The process is about to end;
		 * the spool on disk is consistent at every moment.
		 */
		deadline_after_ms(&deadline, GIVE_UP_GRACE_MS);
		if (wait_stages(p, &deadline) == -1) {
			pipeline_get_stats(p, s);
			return -1;
		}
	}
	pthread_join(p->parser_thread, NULL);
	pthread_join(p->output_thread, NULL);
	pipeline_get_stats(p, s);
	lost = s->dropped > 0 || s->unstored > 0;
	pipeline_free(p);
	return lost ? -1 : 0;
}

/*
 * Starting, running and stopping the FIM threads; see fim.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/bqueue.h"
#include "../common/log.h"
#include "../common/timeutil.h"
#include "fim.h"
#include "watcher.h"

#define JOB_QUEUE_JOBS	64

struct fim_job {
	int			 start;		/* the scan at start */
	int			 overflow;	/* a rescan after lost events */
	size_t			 n;
	struct fim_target	*targets;
};

struct fim {
	struct fim_config	*cfg;
	char			*data_dir;
	struct fim_hooks	 hooks;
	struct fim_counters	*counters;
	atomic_int		*stop;		/* own_stop, or the caller's */
	atomic_int		 own_stop;
	atomic_int		 completed;	/* the one-shot scan ran to its end */
	atomic_int		 rescan_queued;	/* and not yet started */
	struct bqueue		*jobs;
	struct watcher		*watcher;
	int			 wake[2];
	pthread_t		 worker_thread, watcher_thread;
	int			 has_watcher;
	int			 once;
};

static void
job_free(void *arg)
{
	struct fim_job *job = arg;

	if (job == NULL)
		return;
	fim_targets_free(job->targets, job->n);
	free(job);
}

/* A job for every configured root. */
static struct fim_job *
roots_job(const struct fim_config *cfg, int start, int overflow)
{
	struct fim_job *job;
	size_t i;

	if ((job = calloc(1, sizeof(*job))) == NULL ||
	    (job->targets = calloc(cfg->paths.count,
	    sizeof(*job->targets))) == NULL) {
		free(job);
		return NULL;
	}
	job->start = start;
	job->overflow = overflow;
	for (i = 0; i < cfg->paths.count; i++)
		if ((job->targets[job->n].path =
		    strdup(cfg->paths.items[i])) != NULL)
			job->n++;
	return job;
}

static int
push_job(struct fim *f, struct fim_job *job)
{
	if (job == NULL || bq_push(f->jobs, job, 1) == -1) {
		job_free(job);
		return -1;
	}
	return 0;
}

/* Long enough for the other half of a rename to be checked. */
static long
hold_ms(const struct fim *f)
{
	return 2 * f->cfg->quiet_period_ms + 200;
}

static void
run_job(struct fim *f, struct scanner *sc, struct fim_job *job)
{
	size_t i;
	char message[256];

	/* From now on, lost events need another rescan. */
	if (job->overflow)
		atomic_store(&f->rescan_queued, 0);
	if (job->overflow)
		for (i = 0; i < job->n; i++) {
			snprintf(message, sizeof(message), "file change "
			    "events were lost (queue overflow): rescanning "
			    "%s", job->targets[i].path);
			scanner_notice(sc, "rescan", job->targets[i].path,
			    message);
		}
	/* Scans of whole roots see both names of a move at once. */
	if (scanner_run(sc, job->targets, job->n, job->start, job->start ||
	    job->overflow ? 0 : hold_ms(f)) == 0 && f->once)
		atomic_store(&f->completed, 1);
}

static void *
worker_main(void *arg)
{
	struct fim *f = arg;
	struct scanner *sc;
	enum bq_status st;
	void *item;
	long wait;

	sc = scanner_new(f->cfg, f->data_dir, &f->hooks, f->counters,
	    f->stop, fim_hash_threads(f->cfg, f->once));
	if (sc == NULL)
		log_warnx("fim: cannot start (see above); no file integrity "
		    "monitoring");
	for (;;) {
		wait = sc != NULL ? scanner_hold_wait_ms(sc) : -1;
		st = bq_pop(f->jobs, &item, wait > INT32_MAX ? -1 : (int)wait);
		if (st == BQ_CLOSED)
			break;
		if (st == BQ_TIMEOUT) {
			/* Deletions whose new name never came. */
			if (!atomic_load(f->stop))
				(void)scanner_run(sc, NULL, 0, 0, 0);
			continue;
		}
		if (sc != NULL && !atomic_load(f->stop))
			run_job(f, sc, item);
		job_free(item);
	}
	scanner_free(sc);
	return NULL;
}

static void
push_due(struct fim *f, struct coalescer *c)
{
	struct fim_job *job;
	size_t n;
	struct fim_target *targets = coalesce_take_due(c, monotonic_ms(), &n);

	if (targets == NULL)
		return;
	if ((job = calloc(1, sizeof(*job))) == NULL) {
		fim_targets_free(targets, n);
		return;
	}
	job->targets = targets;
	job->n = n;
	push_job(f, job);
}

static void
rescan(struct fim *f, struct coalescer *c, const char *why)
{
	atomic_fetch_add(&f->counters->overflows, 1);
	coalesce_clear(c);
	/* A rescan still waiting to start covers these losses too. */
	if (atomic_exchange(&f->rescan_queued, 1)) {
		log_debug("fim: %s: a rescan is already queued", why);
		return;
	}
	log_warnx("fim: %s: rescanning every watched path", why);
	if (push_job(f, roots_job(f->cfg, 0, 1)) == -1)
		atomic_store(&f->rescan_queued, 0);
}

static void *
watcher_main(void *arg)
{
	struct fim *f = arg;
	struct coalescer *c = coalesce_new(f->cfg->quiet_period_ms);
	struct pollfd pfd[2];
	struct watch_result r;
	long wait;
	char drain[64];

	if (c == NULL) {
		log_warnx("fim: out of memory: changes are not watched");
		return NULL;
	}
	pfd[0].fd = watcher_fd(f->watcher);
	pfd[0].events = POLLIN;
	pfd[1].fd = f->wake[0];
	pfd[1].events = POLLIN;
	while (!atomic_load(f->stop)) {
		wait = coalesce_wait_ms(c, monotonic_ms());
		if (poll(pfd, 2, wait > INT32_MAX ? -1 : (int)wait) == -1 &&
		    errno != EINTR)
			break;
		if (pfd[1].revents & POLLIN)
			while (read(f->wake[0], drain, sizeof(drain)) > 0)
				;
		if (pfd[0].revents & POLLIN) {
			memset(&r, 0, sizeof(r));
			watcher_read(f->watcher, c, monotonic_ms(), &r);
			if (r.overflow)
				rescan(f, c, "the kernel's event queue "
				    "overflowed");
			else if (r.too_many)
				rescan(f, c, "too many files changed at once");
		}
		push_due(f, c);
	}
	coalesce_free(c);
	return NULL;
}

static void
fim_free(struct fim *f)
{
	bq_free(f->jobs, job_free);
	watcher_free(f->watcher);
	if (f->wake[0] != -1)
		close(f->wake[0]);
	if (f->wake[1] != -1)
		close(f->wake[1]);
	fim_config_free(f->cfg);
	free(f->data_dir);
	free(f);
}

struct fim *
fim_start(const struct fim_config *cfg, const char *data_dir,
    const struct fim_hooks *hooks, struct fim_counters *counters, int once,
    atomic_int *stop)
{
	struct fim *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	atomic_init(&f->own_stop, 0);
	f->stop = stop != NULL ? stop : &f->own_stop;
	f->counters = counters;
	f->wake[0] = f->wake[1] = -1;
	f->hooks = *hooks;
	f->once = once;
	if ((f->cfg = fim_config_dup(cfg)) == NULL ||
	    (f->data_dir = strdup(data_dir)) == NULL ||
	    (f->jobs = bq_new(JOB_QUEUE_JOBS)) == NULL ||
	    pipe2(f->wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warnx("fim: cannot start: out of resources");
		fim_free(f);
		return NULL;
	}
	/* Watch first: what changes during the scan is checked after it. */
	if (!once && (f->watcher = watcher_new(f->cfg)) == NULL)
		log_warnx("fim: no watcher: changes are found only by scans");
	if (once || f->cfg->scan_at_start)
		push_job(f, roots_job(f->cfg, 1, 0));
	if (once)
		bq_close(f->jobs);
	if (pthread_create(&f->worker_thread, NULL, worker_main, f) != 0)
		fatalx("fim: cannot start the worker thread");
	if (f->watcher != NULL) {
		if (pthread_create(&f->watcher_thread, NULL, watcher_main,
		    f) != 0)
			fatalx("fim: cannot start the watcher thread");
		f->has_watcher = 1;
	}
	return f;
}

void
fim_stop(struct fim *f)
{
	if (f == NULL)
		return;
	atomic_store(f->stop, 1);
	bq_close(f->jobs);
	if (write(f->wake[1], "x", 1) == -1 && errno != EAGAIN)
		log_warn("fim: cannot wake the watcher");
	if (f->has_watcher)
		pthread_join(f->watcher_thread, NULL);
	pthread_join(f->worker_thread, NULL);
	fim_free(f);
}

int
fim_wait(struct fim *f)
{
	int completed;

	pthread_join(f->worker_thread, NULL);
	completed = atomic_load(&f->completed);
	fim_free(f);
	return completed ? 0 : -1;
}

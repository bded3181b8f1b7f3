/*
 * The fim-scan verb: one file integrity scan of the configured paths,
 * like aide --check (or --init on the first run), then exit.
 *
 * The scan compares the disk with the baseline in fim.state_path, writes
 * a document for every difference (or the initial_scan state documents)
 * to the configured output, stdout when none, and updates the baseline.
 * Exit status: 0 when the scan completed and every document was written.
 * SIGTERM or SIGINT interrupts the scan: the documents of what it checked
 * are written, the baseline keeps what it checked (the next fim-scan
 * checks the rest) and the exit status is 1.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "conf.h"
#include "daemon.h"
#include "../common/log.h"
#include "pipeline.h"
#include "pipeline_internal.h"
#include "signals.h"

#define STOP_TIMEOUT_MS	4500

/*
 * The handled signals are taken by a thread of their own, so the main
 * thread can sleep until the pipeline's last stage is done (no polling:
 * a scan of a few files ends as soon as its documents are written).
 */
struct sig_waiter {
	struct pipeline	*p;
	sigset_t	 set;
	atomic_int	 done;		/* the main thread no longer waits */
	atomic_int	 interrupted;
};

static void *
sig_main(void *arg)
{
	struct sig_waiter *w = arg;
	int sig;

	for (;;) {
		if (sigwait(&w->set, &sig) != 0 || atomic_load(&w->done))
			return NULL;
		if (sig != SIGTERM && sig != SIGINT)
			continue;
		pipeline_stop_input(w->p);
		pthread_mutex_lock(&w->p->done_lock);
		atomic_store(&w->interrupted, 1);
		pthread_cond_broadcast(&w->p->done_cond);
		pthread_mutex_unlock(&w->p->done_lock);
		return NULL;
	}
}

/* Until every stage is done or a signal asks to stop; 1 for a signal. */
static int
wait_finished_or_signal(struct pipeline *p, const sigset_t *handled)
{
	struct sig_waiter w;
	pthread_t thread;

	w.p = p;
	w.set = *handled;
	atomic_init(&w.done, 0);
	atomic_init(&w.interrupted, 0);
	if (pthread_create(&thread, NULL, sig_main, &w) != 0)
		fatalx("fim-scan: cannot start the signal thread");
	pthread_mutex_lock(&p->done_lock);
	while (atomic_load(&p->stages_running) > 0 &&
	    !atomic_load(&w.interrupted))
		pthread_cond_wait(&p->done_cond, &p->done_lock);
	pthread_mutex_unlock(&p->done_lock);
	atomic_store(&w.done, 1);
	/* Blocked everywhere: only the signal thread's sigwait() takes it. */
	pthread_kill(thread, SIGUSR1);
	pthread_join(thread, NULL);
	return atomic_load(&w.interrupted);
}

int
fim_scan_main(const char *config_path)
{
	struct config *cfg;
	struct pipeline *p;
	struct pipeline_stats s;
	sigset_t handled;
	int rc, interrupted;

	signals_reset_inherited();
	log_init("audisp-ecs", 1);
	if ((cfg = config_load(config_path, stderr)) == NULL)
		return 1;
	if (cfg->fim == NULL) {
		fprintf(stderr, "audisp-ecs: fim-scan: %s has no fim section\n",
		    cfg->source ? cfg->source : "the configuration");
		config_free(cfg);
		return 1;
	}
	log_set_level((enum log_level)cfg->log_level);
	signals_block_handled(&handled);
	if ((p = pipeline_start_fim_scan(cfg)) == NULL)
		return 1;
	interrupted = wait_finished_or_signal(p, &handled);
	rc = pipeline_finish(p, STOP_TIMEOUT_MS, &s);
	fprintf(stderr, "audisp-ecs: fim-scan: %llu files, %llu hashed "
	    "(%llu bytes), %llu changes, %llu unreadable\n", s.fim_scanned,
	    s.fim_hashed, s.fim_bytes_hashed, s.fim_changes, s.fim_errors);
	if (interrupted && s.fim_failed)
		fprintf(stderr, "audisp-ecs: fim-scan: scan interrupted: the "
		    "baseline holds what was checked; the next fim-scan "
		    "checks the rest\n");
	return rc == 0 && !s.fim_failed ? 0 : 1;
}

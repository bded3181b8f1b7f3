/*
 * The scanner's jobs: each path of a job walked, checked and searched for
 * what is gone, then the job's changes settled and committed; see
 * scanner.h, and scanner_internal.h for the other parts.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../common/timeutil.h"
#include "baseline.h"
#include "hash_pool.h"
#include "moves.h"
#include "scanner_internal.h"
#include "who_recent.h"

/* How long fanotify's author of a path outlives the hold of its job. */
#define WHO_GRACE_MS	2000

struct scanner *
scanner_new(const struct fim_config *cfg, const char *data_dir,
    const struct fim_hooks *hooks, struct fim_counters *counters,
    const atomic_int *stop, unsigned hash_threads)
{
	struct scanner *sc;

	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return NULL;
	sc->cfg = cfg;
	sc->hooks = *hooks;
	sc->counters = counters;
	sc->stop = stop;
	jw_init(&sc->w);
	if (fim_doc_writer_init(&sc->writer, data_dir) == -1 ||
	    (sc->recent = who_recent_new()) == NULL ||
	    (sc->moves = moves_new()) == NULL ||
	    (sc->base = baseline_open(cfg->state_path)) == NULL ||
	    (cfg->hash_mask != 0 && (sc->pool = hash_pool_new(hash_threads,
	    cfg, counters, stop)) == NULL)) {
		scanner_free(sc);
		return NULL;
	}
	return sc;
}

void
scanner_free(struct scanner *sc)
{
	if (sc == NULL)
		return;
	/* Before the baseline: a job still out is dropped unrecorded. */
	hash_pool_free(sc->pool);
	baseline_close(sc->base);
	who_recent_free(sc->recent);
	fim_doc_writer_release(&sc->writer);
	jw_release(&sc->w);
	seen_set_clear(&sc->seen);
	moves_free(sc->moves);
	free(sc);
}

/* One path of a job: walk it, then note what under it is gone. */
static void
run_path(struct scanner *sc, const char *job_path, int start)
{
	char path[PATH_MAX];
	struct file_state root_state;
	size_t len = strlen(job_path);
	dev_t dev;

	if (len >= sizeof(path) || (sc->root = fim_config_root_of(sc->cfg,
	    job_path)) == NULL ||
	    !fim_config_in_scope(sc->cfg, sc->root, job_path))
		return;
	memcpy(path, job_path, len + 1);
	if (!scanner_walk_device(sc, path, &dev))
		return;
	sc->initial = start && strcmp(job_path, sc->root) == 0 &&
	    baseline_get(sc->base, sc->root, &root_state) == 0;
	scanner_visit(sc, path, len, dev);
	/* Every file of the walk concluded before what is missing. */
	scanner_collect(sc, 1);
	/* A first walk cut short: the next scan of the root is a first too. */
	if (sc->initial && atomic_load(sc->stop))
		baseline_del(sc->base, sc->root);
	sc->initial = 0;
	if (!atomic_load(sc->stop))
		scanner_find_missing(sc, job_path);
}

/* fanotify's authors of this job's paths, for as long as they may count. */
static void
remember_authors(struct scanner *sc, const struct fim_target *targets,
    size_t n, long hold_ms)
{
	long now = monotonic_ms();
	size_t i;

	for (i = 0; i < n; i++)
		if (targets[i].who != NULL)
			who_recent_put(sc->recent, targets[i].path,
			    targets[i].who, now, now + hold_ms + WHO_GRACE_MS);
}

int
scanner_run(struct scanner *sc, const struct fim_target *targets, size_t n,
    int start, long hold_ms)
{
	size_t i;

	remember_authors(sc, targets, n, hold_ms);
	for (i = 0; i < n && !atomic_load(sc->stop); i++)
		run_path(sc, targets[i].path, start);
	/* What was seen is consistent; what was not stays known. */
	if (atomic_load(sc->stop))
		moves_forget_missing(sc->moves);
	scanner_reconcile(sc, hold_ms);
	scanner_commit(sc);
	baseline_sync(sc->base);
	seen_set_clear(&sc->seen);
	return atomic_load(sc->stop) ? -1 : 0;
}

long
scanner_hold_wait_ms(const struct scanner *sc)
{
	return moves_hold_wait_ms(sc->moves, monotonic_ms());
}

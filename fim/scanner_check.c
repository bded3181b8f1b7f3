/*
 * One file against the baseline: what it is now beside what the baseline
 * knew, reported and recorded.  A regular file whose contents must be
 * read goes to the hashing threads first (hash_pool.h) and is concluded
 * here when it comes back; anything else is concluded at once.  A path
 * the baseline did not know is new (moves.h), unless it is under a root
 * seen for the first time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "baseline.h"
#include "hash_pool.h"
#include "moves.h"
#include "scanner_internal.h"

/*
 * A directory's size, times and link count change with every entry made
 * or removed in it, which is reported for the entry itself; what is the
 * directory's own is who owns it and who may use it.
 */
#define DIR_OWN_ATTRS	((1u << FIM_ATTR_INODE) | (1u << FIM_ATTR_MODE) | \
			 (1u << FIM_ATTR_UID) | (1u << FIM_ATTR_GID) | \
			 (1u << FIM_ATTR_ACL) | (1u << FIM_ATTR_XATTRS))

/*
 * The rest of a file's check, once its state is complete: what it is
 * now against what the baseline knew (old, when known).  initial: under
 * a root seen for the first time.
 */
static void
conclude(struct scanner *sc, const char *path, const struct file_state *old,
    int known, int initial, const struct file_state *now)
{
	struct fim_changes changes;

	seen_set_add(&sc->seen, path);
	if (!known) {
		/* Initial state needs no pairing with moves: report now. */
		if (initial && sc->cfg->initial_scan == FIM_INITIAL_STATE)
			scanner_document(sc, path, now, FIM_ACT_INITIAL_SCAN,
			    NULL);
		else if (!initial && moves_add_new(sc->moves, path, now) == -1)
			log_warnx("fim: out of memory: %s not reported", path);
		baseline_put(sc->base, path, now);
	} else if (!file_state_same(old, now)) {
		memset(&changes, 0, sizeof(changes));
		if (fim_compare(old, now, S_ISDIR(now->mode) ?
		    sc->cfg->attr_mask & DIR_OWN_ATTRS : sc->cfg->attr_mask,
		    &changes) > 0)
			scanner_document(sc, path, now, changes.actions,
			    &changes);
		baseline_put(sc->base, path, now);
	}
	scanner_maybe_commit(sc);
}

/* A job back from the hashing threads. */
static void
conclude_job(struct scanner *sc, struct hash_job *job)
{
	if (!job->gone)		/* gone meanwhile: not seen */
		conclude(sc, job->path, &job->old, job->known, job->initial,
		    &job->now);
	free(job);
}

void
scanner_collect(struct scanner *sc, int wait)
{
	struct hash_job *job;

	if (sc->pool == NULL)
		return;
	while ((job = hash_pool_take(sc->pool, wait)) != NULL)
		conclude_job(sc, job);
}

/* Hand a regular file to the hashing threads; wait for room if needed. */
static void
hash_later(struct scanner *sc, const char *path, const struct file_state *old,
    int known, const struct file_state *now)
{
	struct hash_job *job;

	if ((job = hash_job_new(path)) == NULL) {
		log_warnx("fim: out of memory: %s not checked", path);
		return;
	}
	job->now = *now;
	if (known)
		job->old = *old;
	job->known = known;
	job->initial = sc->initial;
	scanner_collect(sc, 0);
	while (hash_pool_inflight(sc->pool) >= hash_pool_depth(sc->pool))
		conclude_job(sc, hash_pool_take(sc->pool, 1));
	hash_pool_put(sc->pool, job);
}

/* The baseline's hashes still hold when nothing about the content moved. */
static int
hashes_reusable(const struct file_state *old, const struct file_state *now,
    unsigned mask)
{
	return old->hashes.mask == mask && !(old->flags & FS_UNREADABLE) &&
	    old->dev == now->dev && old->ino == now->ino &&
	    old->size == now->size && old->mtime_ns == now->mtime_ns &&
	    old->ctime_ns == now->ctime_ns;
}

void
scanner_check_entry(struct scanner *sc, const char *path,
    const struct stat *st)
{
	struct file_state old, now;
	unsigned mask = sc->cfg->attr_mask;
	int known;

	atomic_fetch_add(&sc->counters->scanned, 1);
	if ((known = baseline_get(sc->base, path, &old)) == -1)
		return;
	file_state_from_stat(&now, st);
	if (S_ISREG(st->st_mode) && sc->pool != NULL) {
		if (!known || !hashes_reusable(&old, &now,
		    sc->cfg->hash_mask)) {
			hash_later(sc, path, &old, known, &now);
			return;
		}
		now.hashes = old.hashes;
	}
	file_state_read_xattrs(&now, path, mask & (1u << FIM_ATTR_ACL),
	    mask & (1u << FIM_ATTR_XATTRS));
	conclude(sc, path, &old, known, sc->initial, &now);
}

/*
 * After a job's walk: baseline entries it did not see are missing; a
 * missing entry whose device, inode and mtime turned up at a new path is
 * reported moved, one not found anywhere deleted, and new paths left
 * over created.  A missing entry may be held (hold_ms) for its new name
 * to come in a later job (a directory checked while a file in it is
 * being renamed); the lists are moves.h's.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "../common/timeutil.h"
#include "baseline.h"
#include "moves.h"
#include "scanner_internal.h"

/* What baseline_under() hands collect_missing(). */
struct missing_search {
	struct scanner	*sc;
	const char	*under;		/* the job path searched */
};

static void
collect_missing(void *arg, const char *path, const struct file_state *fs)
{
	struct missing_search *ms = arg;

	/* A long key's range may hold a neighbour with the same prefix. */
	if (strcmp(path, ms->under) != 0 && !fim_path_under(path, ms->under))
		return;
	if (seen_set_has(&ms->sc->seen, path))
		return;
	moves_add_missing(ms->sc->moves, path, fs);
}

void
scanner_find_missing(struct scanner *sc, const char *job_path)
{
	struct missing_search ms = { sc, job_path };

	baseline_under(sc->base, job_path, collect_missing, &ms);
}

/* from (old, as the baseline knew it) is now to: one document, moved. */
static void
report_moved(struct scanner *sc, const char *from, const struct file_state *old,
    struct new_path *to)
{
	struct fim_changes changes;
	struct file_state now;

	if (baseline_get(sc->base, to->path, &now) != 1)
		return;
	memset(&changes, 0, sizeof(changes));
	fim_changes_add_paths(&changes, from, to->path);
	(void)fim_compare(old, &now, sc->cfg->attr_mask, &changes);
	changes.actions |= FIM_ACT_MOVED;
	scanner_document(sc, to->path, &now, changes.actions, &changes);
	to->moved = 1;
}

/* What moves_settle_held() hands settle(). */
struct settle_ctx {
	struct scanner	*sc;
	long		 now_ms;
};

/*
 * A held entry is settled (1): moved, deleted, or back where it was;
 * or still waits for its new name (0).
 */
static int
settle(void *arg, const struct missing_path *m)
{
	struct settle_ctx *ctx = arg;
	struct scanner *sc = ctx->sc;
	struct file_state old;
	struct new_path *to;
	struct stat st;

	if (seen_set_has(&sc->seen, m->path) ||
	    baseline_get(sc->base, m->path, &old) != 1)
		return 1;
	if ((to = moves_new_name_of(sc->moves, m)) != NULL)
		report_moved(sc, m->path, &old, to);
	else if (m->until_ms > ctx->now_ms)
		return 0;
	else if (lstat(m->path, &st) == 0)
		return 1;	/* back again: the next event checks it */
	else
		scanner_document(sc, m->path, &old, FIM_ACT_DELETED, NULL);
	baseline_del(sc->base, m->path);
	return 1;
}

/* settle(), then a commit when enough has gathered. */
static int
settle_and_commit(void *arg, const struct missing_path *m)
{
	struct settle_ctx *ctx = arg;
	int settled = settle(arg, m);

	scanner_maybe_commit(ctx->sc);
	return settled;
}

/* A new path no move explained was created. */
static void
report_created(void *arg, const struct new_path *e)
{
	struct scanner *sc = arg;
	struct file_state now;

	if (!e->moved && baseline_get(sc->base, e->path, &now) == 1)
		scanner_document(sc, e->path, &now, FIM_ACT_CREATED, NULL);
	scanner_maybe_commit(sc);
}

/*
 * Missing entries are moves or deletions; news left over are creations.
 * hold_ms > 0 keeps a missing entry that long for its new name to show
 * up (a directory checked while a file in it is being renamed).
 */
void
scanner_reconcile(struct scanner *sc, long hold_ms)
{
	struct settle_ctx ctx = { sc, monotonic_ms() };

	moves_hold_missing(sc->moves, ctx.now_ms + hold_ms);
	moves_settle_held(sc->moves, settle_and_commit, &ctx);
	moves_drain_new(sc->moves, report_created, sc);
}

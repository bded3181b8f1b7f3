/*
 * A job's new and missing paths, and the missing ones held for their new
 * name; see moves.h.  Plain arrays grown by doubling and searched
 * linearly: they hold what changed in a job, not the whole tree.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "moves.h"

#define NEW_FIRST_CAP		256
#define MISSING_FIRST_CAP	64

struct moves {
	struct new_path		*news;
	size_t			 nnews, capnews;
	struct missing_path	*missing;
	size_t			 nmissing, capmissing;
	/* Missing after a live job: deleted, or one half of a move whose
	 * other half comes in a later job. */
	struct missing_path	*held;
	size_t			 nheld, capheld;
};

/*
 * Room for one more element in *arr (n used of *cap, each size bytes),
 * doubling from first_cap: 0, or -1 with *arr unchanged.
 */
static int
reserve_one(void **arr, size_t n, size_t *cap, size_t first_cap, size_t size)
{
	size_t newcap;
	void *p;

	if (n < *cap)
		return 0;
	newcap = *cap ? *cap * 2 : first_cap;
	if ((p = realloc(*arr, newcap * size)) == NULL)
		return -1;
	*arr = p;
	*cap = newcap;
	return 0;
}

struct moves *
moves_new(void)
{
	return calloc(1, sizeof(struct moves));
}

void
moves_free(struct moves *mv)
{
	if (mv == NULL)
		return;
	while (mv->nnews > 0)
		free(mv->news[--mv->nnews].path);
	free(mv->news);
	moves_forget_missing(mv);
	free(mv->missing);
	while (mv->nheld > 0)
		free(mv->held[--mv->nheld].path);
	free(mv->held);
	free(mv);
}

int
moves_add_new(struct moves *mv, const char *path, const struct file_state *fs)
{
	struct new_path *e;

	if (reserve_one((void **)&mv->news, mv->nnews, &mv->capnews,
	    NEW_FIRST_CAP, sizeof(*e)) == -1)
		return -1;
	e = &mv->news[mv->nnews];
	if ((e->path = strdup(path)) == NULL)
		return -1;
	e->dev = fs->dev;
	e->ino = fs->ino;
	e->mtime_ns = fs->mtime_ns;
	e->moved = 0;
	mv->nnews++;
	return 0;
}

void
moves_add_missing(struct moves *mv, const char *path,
    const struct file_state *fs)
{
	struct missing_path *e;

	if (reserve_one((void **)&mv->missing, mv->nmissing, &mv->capmissing,
	    MISSING_FIRST_CAP, sizeof(*e)) == -1)
		return;
	e = &mv->missing[mv->nmissing];
	if ((e->path = strdup(path)) == NULL)
		return;
	e->dev = fs->dev;
	e->ino = fs->ino;
	e->mtime_ns = fs->mtime_ns;
	mv->nmissing++;
}

void
moves_forget_missing(struct moves *mv)
{
	size_t i;

	for (i = 0; i < mv->nmissing; i++)
		free(mv->missing[i].path);
	mv->nmissing = 0;
}

/* Hold m (its path now the held list's), or free its path. */
static void
hold(struct moves *mv, struct missing_path *m, long until_ms)
{
	size_t i;

	for (i = 0; i < mv->nheld; i++)
		if (strcmp(mv->held[i].path, m->path) == 0) {
			free(m->path);
			return;
		}
	if (reserve_one((void **)&mv->held, mv->nheld, &mv->capheld,
	    MISSING_FIRST_CAP, sizeof(*m)) == -1) {
		free(m->path);
		return;
	}
	m->until_ms = until_ms;
	mv->held[mv->nheld++] = *m;
}

void
moves_hold_missing(struct moves *mv, long until_ms)
{
	size_t i;

	for (i = 0; i < mv->nmissing; i++)
		hold(mv, &mv->missing[i], until_ms);
	mv->nmissing = 0;
}

struct new_path *
moves_new_name_of(struct moves *mv, const struct missing_path *m)
{
	size_t i;

	for (i = 0; i < mv->nnews; i++)
		if (!mv->news[i].moved && mv->news[i].dev == m->dev &&
		    mv->news[i].ino == m->ino &&
		    mv->news[i].mtime_ns == m->mtime_ns)
			return &mv->news[i];
	return NULL;
}

void
moves_settle_held(struct moves *mv,
    int (*settle)(void *ctx, const struct missing_path *), void *ctx)
{
	size_t i, kept = 0;

	for (i = 0; i < mv->nheld; i++) {
		if (settle(ctx, &mv->held[i]))
			free(mv->held[i].path);
		else
			mv->held[kept++] = mv->held[i];
	}
	mv->nheld = kept;
}

void
moves_drain_new(struct moves *mv,
    void (*fn)(void *ctx, const struct new_path *), void *ctx)
{
	size_t i;

	for (i = 0; i < mv->nnews; i++) {
		fn(ctx, &mv->news[i]);
		free(mv->news[i].path);
	}
	mv->nnews = 0;
}

long
moves_hold_wait_ms(const struct moves *mv, long now_ms)
{
	long next = -1;
	size_t i;

	for (i = 0; i < mv->nheld; i++)
		if (next == -1 || mv->held[i].until_ms < next)
			next = mv->held[i].until_ms;
	if (next == -1)
		return -1;
	return next > now_ms ? next - now_ms : 0;
}

/*
 * Coalescing: many events about a path become one check of it.
 *
 * Each path waiting to be checked has a due time.  A write-and-close makes
 * it due almost at once (after a short settle, so that the rename an editor
 * does right after joins the same check); any other event (a write without
 * close, a chmod, a create) makes it due once the path has been quiet for
 * the quiet period.  A path written without pause is still checked after
 * a bounded delay.  Owned by the watcher thread.
 */
#ifndef AUDISP_ECS_COALESCE_H
#define AUDISP_ECS_COALESCE_H

#include <stddef.h>

#include "fim_who.h"

struct coalescer;

/* A path to check, and who changed it last if the watcher knows. */
struct fim_target {
	char		*path;
	struct fim_who	*who;		/* NULL: unknown */
};

struct coalescer *coalesce_new(long quiet_ms);
void	coalesce_free(struct coalescer *);
/*
 * closed: the event was a close after writing.  who (may be NULL) is the
 * process behind the event; the last one known is kept.
 */
int	coalesce_add(struct coalescer *, const char *path, int closed,
	    long now_ms, const struct fim_who *who);
/* Milliseconds until the next path is due, -1 when none waits. */
long	coalesce_wait_ms(const struct coalescer *, long now_ms);
/*
 * The paths due by now_ms (a malloc'd array of *n targets, each path and
 * who malloc'd), removed from the coalescer; NULL when none is due.
 */
struct fim_target *coalesce_take_due(struct coalescer *, long now_ms,
	    size_t *n);
/* Free n targets and the array. */
void	fim_targets_free(struct fim_target *, size_t n);
/* Forget everything (a full rescan is coming). */
void	coalesce_clear(struct coalescer *);
size_t	coalesce_count(const struct coalescer *);

#endif

/*
 * The paths one job has seen, so that the baseline entries under its
 * paths the walk did not see can be told apart as missing (scanner.h).
 *
 * Paths are kept as 64-bit hashes, not strings, because a scan of a whole
 * tree sees millions of them; a collision (unlikely at 64 bits) would only
 * make a gone file look seen for this job.  Owned by the worker thread.
 * A zeroed struct is an empty set.
 */
#ifndef AUDISP_ECS_SEEN_SET_H
#define AUDISP_ECS_SEEN_SET_H

#include <stddef.h>
#include <stdint.h>

struct seen_set {
	uint64_t	*slots;		/* open addressing, 0 = empty */
	size_t		 cap, count;
};

/*
 * Remember path.  Without memory it is left out and looks missing, which
 * reconciliation undoes when it finds the file still there.
 */
void	seen_set_add(struct seen_set *, const char *path);
/* 1 when path was added since the last clear, else 0. */
int	seen_set_has(const struct seen_set *, const char *path);
/* Forget every path and free the slots; the set is empty again. */
void	seen_set_clear(struct seen_set *);

#endif

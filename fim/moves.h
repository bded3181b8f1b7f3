/*
 * The bookkeeping that turns a deletion and a creation into a move: the
 * paths a job found new, the baseline entries it found missing, and the
 * missing ones held for a while for their new name (scanner.h, DESIGN).
 *
 * Only lists and matching live here; deciding and reporting is the
 * scanner's (scanner_reconcile.c).  Owned by the worker thread.  Every
 * entry owns its path (malloc'd), freed when the entry is let go.
 */
#ifndef AUDISP_ECS_MOVES_H
#define AUDISP_ECS_MOVES_H

#include <stdint.h>

#include "file_state.h"

/* A path first seen in this job: created, or the new name of a move. */
struct new_path {
	uint64_t	 dev, ino;
	int64_t		 mtime_ns;
	char		*path;
	int		 moved;		/* set once reported as a move */
};

/* A baseline entry the job did not find: deleted, or moved away. */
struct missing_path {
	uint64_t	 dev, ino;
	int64_t		 mtime_ns;
	char		*path;
	long		 until_ms;	/* held for a new name until then */
};

struct moves;

/* NULL when out of memory. */
struct moves	*moves_new(void);
/* Frees every list and path; NULL is fine. */
void		 moves_free(struct moves *);

/* path (state fs) is new in this job: 0, or -1 when out of memory. */
int		 moves_add_new(struct moves *, const char *path,
		    const struct file_state *fs);
/* path (as the baseline knew it) is missing; left out without memory. */
void		 moves_add_missing(struct moves *, const char *path,
		    const struct file_state *fs);
/* Let go of this job's missing paths (a job stopped part way). */
void		 moves_forget_missing(struct moves *);
/*
 * Hold this job's missing paths until until_ms, each unless its path is
 * held already (or without memory); none is missing afterwards.
 */
void		 moves_hold_missing(struct moves *, long until_ms);

/*
 * The new name of a missing path: a new path not yet moved with the same
 * device, inode and mtime, which a rename keeps (a deleted file's inode
 * number is soon given to the next file created).  NULL when none.
 */
struct new_path	*moves_new_name_of(struct moves *,
		    const struct missing_path *);

/*
 * settle() each held path in order: 1 lets it go (its path freed), 0
 * keeps it held.  settle may look up new names meanwhile.
 */
void		 moves_settle_held(struct moves *,
		    int (*settle)(void *ctx, const struct missing_path *),
		    void *ctx);
/* Hand each new path of this job to fn in order, then let them all go. */
void		 moves_drain_new(struct moves *,
		    void (*fn)(void *ctx, const struct new_path *), void *ctx);
/* Milliseconds from now_ms until a held path is due, -1 when none. */
long		 moves_hold_wait_ms(const struct moves *, long now_ms);

#endif

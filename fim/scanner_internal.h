/*
 * The scanner's own parts, shared by its files and no one else; see
 * scanner.h for what it does.
 *
 *   scanner.c            jobs: each path of a job in turn, then settling
 *   scanner_walk.c       the walk below a path, within scope and mount
 *   scanner_check.c      one file against the baseline, hashed if needed
 *   scanner_reconcile.c  missing and new paths into moves, deletions and
 *                        creations (the lists themselves: moves.h)
 *   scanner_report.c     documents to the sink, then baseline commits
 *
 * All of it runs on the FIM worker thread.
 */
#ifndef AUDISP_ECS_SCANNER_INTERNAL_H
#define AUDISP_ECS_SCANNER_INTERNAL_H

#include <sys/stat.h>
#include <sys/types.h>
#include <stddef.h>

#include "compare.h"
#include "scanner.h"
#include "seen_set.h"

struct baseline;
struct hash_pool;
struct moves;
struct who_recent;

struct scanner {
	const struct fim_config	*cfg;
	struct fim_hooks	 hooks;
	struct fim_counters	*counters;
	const atomic_int	*stop;
	struct baseline		*base;
	struct hash_pool	*pool;		/* NULL: nothing is hashed */
	struct fim_doc_writer	 writer;
	struct jw		 w;		/* documents not yet emitted */
	size_t			 ndocs;		/* how many are in w */
	struct seen_set		 seen;		/* this job's paths */
	struct who_recent	*recent;	/* fanotify's authors */
	struct moves		*moves;		/* new, missing, held paths */
	int			 initial;	/* walking an unseen root */
	const char		*root;		/* the configured root walked */
};

/* scanner_walk.c */
/*
 * Where the walk of path (a job path below or at sc->root) starts: 1 with
 * *dev the device it stays on, or 0 when path is on another file system
 * than its root, where the scan of the root does not go.  path is
 * restored before returning.
 */
int	scanner_walk_device(struct scanner *, char *path, dev_t *dev);
/* path (len bytes in a PATH_MAX buffer) and, for a directory, below it. */
void	scanner_visit(struct scanner *, char *path, size_t len,
	    dev_t parent_dev);

/* scanner_check.c */
/* One file at path, as lstat saw it: checked now or once hashed. */
void	scanner_check_entry(struct scanner *, const char *path,
	    const struct stat *);
/* Conclude what the hashing threads have finished; with wait, all of it. */
void	scanner_collect(struct scanner *, int wait);

/* scanner_reconcile.c */
/* Note the baseline entries at or under job_path the job has not seen. */
void	scanner_find_missing(struct scanner *, const char *job_path);
/* Settle missing, held and new paths (see scanner_reconcile.c). */
void	scanner_reconcile(struct scanner *, long hold_ms);

/* scanner_report.c */
/* A document about path (fs) for actions; changes may be NULL. */
void	scanner_document(struct scanner *, const char *path,
	    const struct file_state *fs, unsigned actions,
	    const struct fim_changes *changes);
/* Documents first, then the baseline that no longer reports them. */
void	scanner_commit(struct scanner *);
/* Flush or commit when enough has gathered. */
void	scanner_maybe_commit(struct scanner *);

#endif

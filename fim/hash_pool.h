/*
 * The hashing threads: they read and hash the regular files the scanner
 * finds in need of it, while the scanner walks on.
 *
 * DESIGN: the FIM worker thread (the scanner) is the only one to touch the
 * baseline, write documents and decide anything; a job here carries a
 * file's path and its state as lstat saw it, and comes back with its ACL
 * and xattr digests and its hashes filled in, or marked gone.  The
 * scanner puts at most hash_pool_depth() jobs in at once and takes the
 * finished ones back (in the order they finish, not the order they were
 * put in), so memory stays bounded whatever the tree.  Every thread has
 * its own hasher; they share one read pacer, so fim.scan_rate_per_sec
 * holds for all of them together.  The stop flag ends a read early: the
 * job comes back gone, and nothing is recorded about the file.
 */
#ifndef AUDISP_ECS_HASH_POOL_H
#define AUDISP_ECS_HASH_POOL_H

#include <stdatomic.h>
#include <stddef.h>

#include "fim_conf.h"
#include "file_state.h"

struct fim_counters;

struct hash_job {
	struct hash_job		*next;
	struct file_state	 now;	/* from lstat; the pool adds the rest */
	struct file_state	 old;	/* the baseline's, when known */
	int			 known;
	int			 initial;	/* under a root seen first now */
	int			 gone;		/* result: not there (or stopped) */
	char			 path[];
};

struct hash_pool;

/* threads >= 1; NULL after logging when a thread or hasher cannot start. */
struct hash_pool *hash_pool_new(unsigned threads, const struct fim_config *,
		    struct fim_counters *, const atomic_int *stop);
/* Joins the threads (set the stop flag first to cut reads short). */
void		 hash_pool_free(struct hash_pool *);
/* A job for path, uninitialised but for path; NULL if no memory. */
struct hash_job	*hash_job_new(const char *path);
/* Jobs in at once at most. */
size_t		 hash_pool_depth(const struct hash_pool *);
/* Jobs put in and not yet taken back. */
size_t		 hash_pool_inflight(const struct hash_pool *);
/* Hand over a job; the caller keeps inflight below the depth. */
void		 hash_pool_put(struct hash_pool *, struct hash_job *);
/*
 * A finished job, the caller's again; NULL when none is finished, or with
 * wait, only when none is in flight.
 */
struct hash_job	*hash_pool_take(struct hash_pool *, int wait);

#endif

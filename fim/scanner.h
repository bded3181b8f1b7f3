/*
 * The scanner: compares what is on disk under some paths with the
 * baseline, hashes what needs it, writes the documents for what changed
 * and updates the baseline.
 *
 * DESIGN: a scanner lives on the FIM worker thread, which owns the
 * baseline and the hasher.  Work comes as jobs, each a set of paths: the
 * configured roots for the scan at start or after a queue overflow, the
 * paths a watcher saw change otherwise.  Every path of a job is walked
 * (a directory with what is below it, within fim.recursive), then the
 * baseline entries under those paths that the walk did not see are
 * "missing".  A missing entry whose device and inode turned up at a new
 * path in the same job was moved; otherwise it was deleted.  New paths
 * not explained by a move were created.  A root the baseline has never
 * seen gives "initial_scan" state documents (or none, by fim.initial_scan)
 * instead of a flood of "created".
 *
 * Regular files whose contents must be read go to the hashing threads
 * (hash_pool.h) while the walk goes on; each is concluded (compared,
 * reported, put in the baseline) on the worker thread when it comes back,
 * so documents come in the order hashing finishes, not the walk's.
 * Every file of a path's walk is concluded before that path's missing
 * entries are looked for, so moves and deletions see the whole walk.
 *
 * Documents leave through the sink before the baseline transaction that
 * records them is committed: a crash in between reports a change twice,
 * never not at all.
 *
 * The parts (walk, check, reconciliation, reporting) and which file holds
 * each are listed in scanner_internal.h.
 */
#ifndef AUDISP_ECS_SCANNER_H
#define AUDISP_ECS_SCANNER_H

#include <stdatomic.h>
#include <stddef.h>

#include "coalesce.h"
#include "fim_conf.h"
#include "fim_document.h"

struct fim_counters {
	atomic_ullong	scanned;	/* files looked at */
	atomic_ullong	hashed;		/* files read and hashed */
	atomic_ullong	bytes_hashed;
	atomic_ullong	changes;	/* documents about a change */
	atomic_ullong	overflows;	/* watcher queue overflows */
	atomic_ullong	errors;		/* files that could not be read */
};

struct fim_hooks {
	/* Takes the buffer of ndocs documents (malloc'd); must free it. */
	void	(*emit)(void *ctx, char *buf, size_t len, size_t ndocs);
	/*
	 * Who changed the file (the audit stream's view), if anyone knows;
	 * 0 when unknown.  May be NULL.
	 */
	int	(*who)(void *ctx, const char *path, const struct file_state *,
		    struct fim_who *out);
	void	*ctx;
};

struct scanner;

/* hash_threads: how many threads read and hash files (>= 1). */
struct scanner	*scanner_new(const struct fim_config *, const char *data_dir,
		    const struct fim_hooks *, struct fim_counters *,
		    const atomic_int *stop, unsigned hash_threads);
void		 scanner_free(struct scanner *);
/*
 * One job (see DESIGN): n paths, each with the process that changed it
 * when the watcher knows.  start: the scan at start, where unseen roots
 * get initial_scan documents.  hold_ms: how long a path missing after
 * this job may wait for its new name (a rename seen in a later job)
 * before it is reported deleted; n == 0 just settles what waited long
 * enough.  Returns 0, or -1 when stopped.
 */
int		 scanner_run(struct scanner *, const struct fim_target *,
		    size_t n, int start, long hold_ms);
/* Milliseconds until a held path is due, -1 when none is held. */
long		 scanner_hold_wait_ms(const struct scanner *);
/* A document about the monitoring itself, e.g. a rescan's reason. */
void		 scanner_notice(struct scanner *, const char *action,
		    const char *path, const char *message);

#endif

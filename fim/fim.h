/*
 * File integrity monitoring: the companion threads that watch the
 * configured trees, hash files, keep the baseline and write ECS
 * file_integrity documents into the same document queue as audit events.
 *
 * DESIGN
 *   watcher thread  owns the kernel notifications (watcher.h) and the
 *                   coalescer; when paths are due it pushes a job (a set
 *                   of paths, each with the process fanotify saw change
 *                   it, if any) onto the job queue.  A queue overflow, or
 *                   more waiting paths than the coalescer holds, becomes
 *                   a job rescanning every root, and is counted and
 *                   reported in a document.
 *   worker thread   owns the scanner (baseline, document writer); runs
 *                   the jobs in order, the scan at start first.  It
 *                   hands documents to the emit hook, which must accept
 *                   them (the pipeline's queue blocks when full: the
 *                   worker waits, the audit path does not), and asks the
 *                   who hook (the audit correlation table, who_table.h)
 *                   who touched the file; fim_who.h says which wins.
 *   hashing threads fim_hash_threads() of them (fim_conf.h): read and
 *                   hash the files the worker hands them and hand them
 *                   back to it, which decides and writes (hash_pool.h).
 * Watches are set before the scan at start is queued, so a change made
 * during the scan is checked again afterwards.  fim_stop() sets a flag the
 * worker and the hashing threads check between files and within reads,
 * closes the job queue, wakes the watcher and joins the threads.  A
 * one-shot scan (the fim-scan verb) runs the worker (and its hashing
 * threads) alone with a single job.
 */
#ifndef AUDISP_ECS_FIM_H
#define AUDISP_ECS_FIM_H

#include "fim_conf.h"
#include "scanner.h"

struct fim;

/*
 * Start monitoring with a copy of cfg.  once: scan every root once and
 * stop (no watcher).  The hooks' emit is called on the worker thread.
 * counters belong to the caller (they outlive a restart on reload).
 * stop, when not NULL, is the stop flag (see DESIGN), which the caller
 * may set from any thread to interrupt a one-shot scan: what was checked
 * so far is reported and kept in the baseline, and fim_wait() says the
 * scan did not complete.  NULL after logging why.
 */
struct fim	*fim_start(const struct fim_config *cfg, const char *data_dir,
		    const struct fim_hooks *hooks,
		    struct fim_counters *counters, int once,
		    atomic_int *stop);
/* Stop the threads and free everything. */
void		 fim_stop(struct fim *);
/* A one-shot scan: wait for it to end, then free; 0 if it completed. */
int		 fim_wait(struct fim *);

#endif

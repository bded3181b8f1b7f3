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
 *   worker thread   owns the scanner (baseline, hasher, document writer);
 *                   runs the jobs in order, the scan at start first.  It
 *                   hands documents to the emit hook, which must accept
 *                   them (the pipeline's queue blocks when full: the
 *                   worker waits, the audit path does not), and asks the
 *                   who hook (the audit correlation table, who_table.h)
 *                   who touched the file; fim_who.h says which wins.
 * Watches are set before the scan at start is queued, so a change made
 * during the scan is checked again afterwards.  fim_stop() sets a flag the
 * worker checks between files and within reads, closes the job queue,
 * wakes the watcher and joins both threads.  A one-shot scan (the fim-scan
 * verb) runs the worker alone with a single job.
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
 * NULL after logging why.
 */
struct fim	*fim_start(const struct fim_config *cfg, const char *data_dir,
		    const struct fim_hooks *hooks,
		    struct fim_counters *counters, int once);
/* Stop both threads and free everything. */
void		 fim_stop(struct fim *);
/* A one-shot scan: wait for it to end, then free; 0 if it completed. */
int		 fim_wait(struct fim *);

#endif

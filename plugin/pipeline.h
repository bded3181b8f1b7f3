/*
 * The two stages between the audit records and the outputs.
 *
 * DESIGN
 *   parser thread  reads the sources (stdin, or replayed files), splits
 *                  them into lines, owns libauparse (through a struct
 *                  reassembly) and turns events into documents, handed on
 *                  in batches through the document queue (bounded by
 *                  queue.mem.events documents);
 *   output thread  writes each batch to every configured output, retrying
 *                  a batch until it is stored.
 * The stages share nothing but the queue.  A reload travels down the queue
 * as a control item, so records read before it are written with the old
 * settings and nothing queued is lost.  Shutdown also flows down: the
 * parser reads to the end (or the stop), flushes auparse and closes the
 * document queue, the output drains that and stops.
 */
#ifndef AUDISP_ECS_PIPELINE_H
#define AUDISP_ECS_PIPELINE_H

struct config;
struct pipeline;

struct pipeline_stats {
	unsigned long long	bytes_in;
	unsigned long long	input_errors;	/* sources that could not be read */
	unsigned long long	records;
	unsigned long long	rejected;
	unsigned long long	events;
	unsigned long long	lost;		/* audit serials that never came */
	unsigned long long	filtered;	/* dropped by drop_event */
	unsigned long long	written;	/* documents stored by outputs */
	unsigned long long	dropped;	/* documents given up at exit */
	unsigned long long	write_errors;
	unsigned long long	spooled;	/* in the spool, unacknowledged */
	unsigned long long	retries;	/* batches sent again */
	/* Elasticsearch output. */
	unsigned long long	es_conflicts;	/* 409: indexed by an earlier try */
	unsigned long long	es_item_retries;	/* after item 429/5xx */
	unsigned long long	dead_lettered;	/* non-indexable, kept aside */
	/* Logstash output. */
	unsigned long long	ack_floods;	/* servers flooding keepalives */
	/* File integrity monitoring. */
	unsigned long long	fim_scanned, fim_hashed, fim_bytes_hashed;
	unsigned long long	fim_changes, fim_overflows, fim_errors;
	int			fim_failed;	/* a one-shot scan did not end */
};

/*
 * Start the stages.  live: input is auditd's stdin (events are aged and
 * EOF means auditd is gone).  paths/npaths: files to replay ("-" is stdin);
 * ignored when live.  Takes ownership of cfg.  NULL after logging why.
 */
struct pipeline	*pipeline_start(struct config *cfg, int live,
		    char *const paths[], int npaths);
/*
 * The fim-scan verb: no audit input; the FIM scan runs once and its
 * documents go to the configured output.  Takes ownership of cfg.
 */
struct pipeline	*pipeline_start_fim_scan(struct config *cfg);
/* Stop reading input; what was read is still processed and written. */
void		 pipeline_stop_input(struct pipeline *);
/* Apply a new configuration in stream order; takes ownership of cfg. */
int		 pipeline_reload(struct pipeline *, struct config *cfg);
/* Nonzero once every stage has finished. */
int		 pipeline_finished(struct pipeline *);
/* Nonzero once the input is read to its end (EOF on auditd's stdin). */
int		 pipeline_input_done(struct pipeline *);
/*
 * Wait up to timeout_ms for the stages to finish; after that, outputs stop
 * retrying and what they still hold is counted as dropped (a spool keeps
 * its documents for the next start).  Frees the pipeline, unless a stage
 * still does not stop a moment later: then the caller must just exit.
 * Returns 0 if nothing was dropped or lost to errors.
 */
int		 pipeline_finish(struct pipeline *, int timeout_ms,
		    struct pipeline_stats *);
void		 pipeline_get_stats(struct pipeline *, struct pipeline_stats *);

#endif

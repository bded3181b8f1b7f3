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

struct audit_status_report;
struct config;
struct pipeline;

/*
 * Every counter, once: X(field, group, key, words).  field is the member of
 * struct pipeline_stats; group and key name it in stats.json ("" for the
 * top level); words say what it counts in the log line ("N words").  The
 * groups come in this order, each one's members together.
 */
#define PIPELINE_COUNTERS(X) \
	X(bytes_in,		"",	"bytes_in",	"bytes") \
	X(input_errors,		"",	"input_errors",	"unreadable sources") \
	X(records,		"",	"records",	"records") \
	X(rejected,		"",	"rejected",	"rejected") \
	X(events,		"",	"events",	"events") \
	X(filtered,		"",	"filtered",	"filtered") \
	X(lost,			"",	"lost_upstream", "lost upstream") \
	X(backfilled,		"",	"backfilled",	"backfilled from auditd's log") \
	X(late_dropped,		"",	"late_dropped",	"late copies of backfilled events") \
	X(written,		"",	"written",	"written") \
	X(spooled,		"",	"spooled",	"spooled") \
	X(dropped,		"",	"dropped",	"dropped") \
	X(retries,		"",	"retries",	"retries") \
	X(write_errors,		"",	"write_errors",	"write errors") \
	X(unstored,		"",	"unstored", \
	    "not stored (write errors)") \
	X(es_conflicts,		"elasticsearch", "conflicts", \
	    "already indexed (409)") \
	X(es_item_retries,	"elasticsearch", "item_retries", \
	    "documents sent again after 429/5xx") \
	X(dead_lettered,	"elasticsearch", "dead_lettered", \
	    "dead-lettered") \
	X(ack_floods,		"logstash", "ack_floods", \
	    "connections closed for flooding keepalives") \
	X(netlink_overruns,	"input", "netlink_overruns", \
	    "netlink overruns (records the kernel dropped for us)") \
	X(unix_connects,	"input", "unix_connects", \
	    "connections to auditd's socket") \
	X(kernel_lost,		"kernel", "lost", \
	    "lost by the kernel (its lost counter)") \
	X(fim_scanned,		"fim",	"scanned",	"files scanned") \
	X(fim_hashed,		"fim",	"hashed",	"hashed") \
	X(fim_bytes_hashed,	"fim",	"bytes_hashed",	"bytes hashed") \
	X(fim_changes,		"fim",	"changes",	"changes") \
	X(fim_overflows,	"fim",	"overflows",	"overflows (rescans)") \
	X(fim_errors,		"fim",	"unreadable",	"unreadable")

/*
 * lost: audit serials that never came; filtered: dropped by drop_event;
 * written: stored by the outputs; dropped: given up (policy or exit);
 * spooled: in the spool, unacknowledged; retries: batches sent again;
 * write_errors: writes the file output or the spool's disk refused;
 * unstored: documents the spool's disk refused for good (after the policy);
 * es_conflicts: 409, indexed by an earlier try; dead_lettered: not
 * indexable, kept aside.
 */
struct pipeline_stats {
#define PIPELINE_STATS_FIELD(field, group, key, words) \
	unsigned long long	field;
	PIPELINE_COUNTERS(PIPELINE_STATS_FIELD)
#undef PIPELINE_STATS_FIELD
	int			fim_failed;	/* a one-shot scan did not end */
	int			input_ended;	/* the sources were read to their end */
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
 * Returns 0 if nothing was dropped or lost to write errors.
 */
int		 pipeline_finish(struct pipeline *, int timeout_ms,
		    struct pipeline_stats *);
void		 pipeline_get_stats(struct pipeline *, struct pipeline_stats *);
/*
 * The main thread polled the kernel's audit status: the parser writes an
 * audit-events-lost document for a rise of its lost counter, and a status
 * document when document is nonzero.
 */
void		 pipeline_post_status(struct pipeline *,
		    const struct audit_status_report *, unsigned long lost_rise,
		    int document);

#endif

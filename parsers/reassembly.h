/*
 * From raw record lines to ECS documents.
 *
 * DESIGN: a reassembly owns one libauparse feed (AUSOURCE_FEED) and
 * everything derived from it; libauparse is not thread-safe, so a
 * reassembly lives on exactly one thread (the parser thread).  Lines go in
 * with reassembly_feed_line(); every event auparse completes is turned into
 * one JSON document (one line) and appended to the current batch, which the
 * caller takes with reassembly_take_batch() and hands to the outputs.
 *
 * Live input (the plugin) ages events: auparse_feed_age_events() completes
 * an event whose EOE never came, or a single-record event nothing follows,
 * once it is eoe_timeout seconds old; the caller calls reassembly_tick()
 * about once a second.  Replayed logs are not aged (their timestamps are in
 * the past, so everything would look stale); the end of input flushes.
 */
#ifndef AUDISP_ECS_REASSEMBLY_H
#define AUDISP_ECS_REASSEMBLY_H

#include <stddef.h>

#include "ecs_document.h"
#include "backfill.h"
#include "ecs_status.h"
#include "event_filter.h"
#include "seq_tracker.h"

struct reassembly;

struct reassembly_options {
	int	 live;			/* age events on reassembly_tick() */
	int	 eoe_timeout;		/* seconds */
	size_t	 max_record_size;	/* longer lines are rejected */
	struct ecs_options ecs;		/* what the documents hold */
	const struct event_filter *drop;	/* copied; may be NULL */
	/*
	 * Shown every collected event, written or filtered out (the FIM's
	 * audit correlation); may be NULL.  Runs on the parser thread, so
	 * it must be quick.
	 */
	void	(*observe)(void *ctx, const struct audit_event *);
	void	*observe_ctx;
	/* Gaps are looked for in auditd's log first (live input only). */
	struct backfill_options backfill;
};

struct reassembly_stats {
	unsigned long long	records;	/* lines accepted */
	unsigned long long	rejected;	/* lines refused by record_check */
	unsigned long long	events;		/* documents written */
	unsigned long long	failed;		/* events lost to out-of-memory */
	unsigned long long	lost;		/* serials that never arrived */
	unsigned long long	filtered;	/* events dropped by drop_event */
	unsigned long long	backfilled;	/* events written from auditd's log */
	unsigned long long	late_dropped;	/* late copies of those */
};

struct batch {
	char	*buf;		/* documents, each ending with '\n' */
	size_t	 len;
	size_t	 ndocs;
	/* Audit serials up to this are in this batch or earlier ones, */
	unsigned long settled_serial;
	/* Which serials are, exactly (seq_tracker_mark); mark_len 0: none. */
	unsigned char	 mark[SEQ_MARK_MAX];
	size_t		 mark_len;
};

struct reassembly	*reassembly_new(const struct reassembly_options *);
void			 reassembly_free(struct reassembly *);

/*
 * One record line without its newline.  where/lineno name the place for
 * error messages (a file name or "stdin").  A line longer than
 * max_record_size may be passed cut short with its true length in
 * full_len; it is then rejected by name.
 */
void	reassembly_feed_line(struct reassembly *, const char *line, size_t len,
	    size_t full_len, const char *where, unsigned long lineno);
/*
 * Live input: carry on the serial count of the previous run, which had
 * settled every serial up to settled (see seq_tracker_resume).
 */
void	reassembly_resume_serials(struct reassembly *, unsigned long settled);
/* The same from a batch's mark, read back; -1 if it is not well-formed. */
int	reassembly_resume_mark(struct reassembly *, const unsigned char *mark,
	    size_t len);
/* New settings after a reload; events in progress are kept. */
void	reassembly_configure(struct reassembly *, int eoe_timeout,
	    size_t max_record_size, const struct event_filter *drop);
/* Add a document saying count documents were dropped downstream; -1 if not. */
int	reassembly_report_dropped(struct reassembly *, unsigned long long count);
/* The kernel lost count events (its counter is now total); -1 if not told. */
int	reassembly_report_kernel_lost(struct reassembly *, unsigned long count,
	    unsigned long total);
/* A status document (input.status_documents); -1 if not written. */
int	reassembly_report_status(struct reassembly *,
	    const struct audit_status_report *);
/* About once a second for live input: completes events that are due. */
void	reassembly_tick(struct reassembly *);
/* End of input: every event in progress is completed now. */
void	reassembly_flush(struct reassembly *);
/*
 * Hand the documents written so far to the caller, who frees b->buf.
 * Returns 0 when there is nothing to take.
 */
int	reassembly_take_batch(struct reassembly *, struct batch *b);
size_t	reassembly_pending_bytes(const struct reassembly *);
void	reassembly_get_stats(const struct reassembly *, struct reassembly_stats *);

#endif

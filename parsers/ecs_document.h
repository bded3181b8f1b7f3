/*
 * The ECS document for one audit event, written as one line of JSON.
 *
 * Field names and value formats follow Auditbeat's auditd module; the
 * README lists every field with the record and field it comes from, and
 * docs/compat.md where and why we differ.  An ecs_context holds what is the
 * same for every document (options, host, agent) and the caches; it belongs
 * to the parser thread.
 */
#ifndef AUDISP_ECS_ECS_DOCUMENT_H
#define AUDISP_ECS_ECS_DOCUMENT_H

#include "audit_event.h"
#include "../common/event_id.h"
#include "../common/host_info.h"
#include "../common/idcache.h"
#include "../common/json_writer.h"
#include "process_table.h"
#include "rule_keys.h"
#include "seq_tracker.h"

struct ecs_options {
	int		 include_raw_message;	/* event.original[] */
	int		 resolve_ids;		/* names for uids and gids */
	long		 args_max_bytes;	/* 0: process.args unlimited */
	const char	*data_dir;		/* keeps agent.id; may be NULL */
	int		 live;			/* events are happening now:
						   /proc may be read */
	const struct rule_keys *rule_keys;	/* rule.* from tags; may be
						   NULL; not owned */
};

struct ecs_context {
	struct ecs_options opts;
	struct host_info host;
	char		*constants;	/* service, host, agent, ecs members */
	size_t		 constants_len;
	struct idcache	 ids;
	struct process_table procs;
	struct id_hasher hasher;
	unsigned long	 ts_sec;	/* second that ts_prefix formats */
	char		 ts_prefix[24];	/* "YYYY-MM-DDTHH:MM:SS" */
};

/* Returns -1 when out of memory. */
int	ecs_context_init(struct ecs_context *, const struct ecs_options *);
void	ecs_context_release(struct ecs_context *);
/*
 * Append the document for ev to w, followed by a newline.  Returns 0, or
 * -1 when out of memory (w is then to be discarded).
 */
int	ecs_document_write(struct ecs_context *, const struct audit_event *,
	    struct jw *w);

/*
 * Note what a successful exec started, for process.parent of its children;
 * called for every event, written or dropped by a filter.
 */
void	ecs_remember_exec(struct ecs_context *, const struct audit_event *);

/*
 * The document saying that the audit events with serials gap->first to
 * gap->last never arrived (event.action "audit-events-lost").
 */
int	ecs_lost_document_write(struct ecs_context *, const struct seq_gap *,
	    struct jw *w);

/*
 * The document saying that count documents were dropped because the spool
 * was full (event.action "events-dropped"), stamped with the current time.
 */
int	ecs_dropped_document_write(struct ecs_context *, unsigned long long count,
	    struct jw *w);

#endif

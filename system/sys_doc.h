/*
 * Writing system dataset documents: the members every one of them has
 * (@timestamp, event.*, message, service, host, agent, ecs), the batch they
 * collect in, and handing a full batch to the emit hook.  Each dataset
 * writes its own fields between sys_doc_begin() and sys_doc_end().
 *
 * One writer belongs to the system thread.
 */
#ifndef AUDISP_ECS_SYS_DOC_H
#define AUDISP_ECS_SYS_DOC_H

#include <stddef.h>

#include "../common/event_id.h"
#include "../common/host_info.h"
#include "../common/json_writer.h"
#include "system.h"

struct sys_doc_writer {
	struct host_info  host;
	char		 *constants;	/* host.*, agent.*, ecs.* rendered */
	size_t		  constants_len;
	struct id_hasher  hasher;
	struct jw	  w;
	size_t		  ndocs;	/* in w, not yet emitted */
	size_t		  mark;		/* where the open document began */
	struct system_hooks hooks;
	unsigned long	  serial;	/* tells apart ids of one millisecond */
};

/* What a document is, for event.* (types ends with NULL). */
struct sys_event {
	const char	 *dataset;	/* "user": event.dataset "system.user" */
	const char	 *kind;		/* "state" or "event" */
	const char	 *action;
	const char	 *category;
	const char *const *types;
	const char	 *what;		/* names the object, for event.id */
	long long	  at_us;	/* @timestamp, µs since 1970; 0: now */
	const char	 *outcome;	/* event.outcome, or NULL */
	const char	 *origin;	/* event.origin (a file), or NULL */
};

/* 0, or -1 when out of memory. */
int	sys_doc_writer_init(struct sys_doc_writer *, const char *data_dir,
	    const struct system_hooks *);
/* Emits what is left, then frees. */
void	sys_doc_writer_release(struct sys_doc_writer *);
/*
 * Opens a document and writes @timestamp, event.* and message; the
 * dataset then writes its own members into sys_doc_jw().
 */
void	sys_doc_begin(struct sys_doc_writer *, const struct sys_event *,
	    const char *message);
static inline struct jw *
sys_doc_jw(struct sys_doc_writer *dw)
{
	return &dw->w;
}
/*
 * Closes the document.  0; -1 when it could not be written whole (it is
 * dropped, the batch so far kept, and the caller logs it).
 */
int	sys_doc_end(struct sys_doc_writer *);
/*
 * As sys_doc_end, with members (service, host, agent, ecs: JSON text
 * without braces) in place of those read at start: the host dataset's
 * documents say what the host is now.
 */
int	sys_doc_end_with(struct sys_doc_writer *, const char *members,
	    size_t len);
/*
 * An entity_id as Auditbeat makes it: SHA-256 over the host id and the
 * parts, its first 12 bytes in base64 (16 characters); "" on failure.
 */
void	sys_entity_id(const char *host_id, const char *a, const char *b,
	    char out[17]);
/* Hands the documents written so far to the emit hook. */
void	sys_doc_flush(struct sys_doc_writer *);

#endif

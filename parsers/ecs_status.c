/* The kernel status documents; see ecs_status.h. */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "../common/event_id.h"
#include "../common/json_writer.h"
#include "ecs_internal.h"
#include "ecs_status.h"

int
ecs_kernel_lost_document_write(struct ecs_context *ctx, unsigned long count,
    unsigned long total, struct jw *w)
{
	char extra[64], message[200];
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	/* The counter's value makes the id: the same loss is one document. */
	snprintf(extra, sizeof(extra), "kernel-lost:%lu:%ld", total,
	    (long)now.tv_sec);
	snprintf(message, sizeof(message), "%lu audit event%s lost by the "
	    "kernel (its backlog was full or the rate limit was reached); "
	    "%lu since boot", count, count == 1 ? "" : "s", total);
	jw_object_open(w, NULL);
	ecs_note_event_write(ctx, w, (unsigned long)now.tv_sec,
	    (unsigned int)(now.tv_nsec / 1000000), extra, "audit-events-lost",
	    message);
	jw_object_open(w, "auditd");
	jw_cstring(w, "message_type", "lost");
	jw_object_open(w, "lost");
	jw_uint(w, "count", count);
	jw_cstring(w, "cause", "kernel backlog");
	jw_uint(w, "kernel_total", total);
	jw_object_close(w);
	jw_object_close(w);
	jw_raw(w, NULL, ctx->constants, ctx->constants_len);
	jw_object_close(w);
	jw_append(w, "\n", 1);
	return jw_failed(w) ? -1 : 0;
}

static void
write_status_members(struct jw *w, const struct audit_status_report *s)
{
	jw_object_open(w, "status");
	jw_uint(w, "enabled", s->enabled);
	jw_uint(w, "failure", s->failure);
	jw_uint(w, "pid", s->pid);
	jw_uint(w, "rate_limit", s->rate_limit);
	jw_uint(w, "backlog_limit", s->backlog_limit);
	jw_uint(w, "lost", s->lost);
	jw_uint(w, "backlog", s->backlog);
	jw_uint(w, "backlog_wait_time", s->backlog_wait_time);
	jw_object_close(w);
	jw_object_open(w, "plugin");
	jw_uint(w, "queue_documents", s->queue_documents);
	jw_uint(w, "spooled", s->spooled);
	jw_object_close(w);
}

int
ecs_status_document_write(struct ecs_context *ctx,
    const struct audit_status_report *s, struct jw *w)
{
	char extra[64], message[200], id[EVENT_ID_LEN + 1];
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(extra, sizeof(extra), "status:%ld.%09ld", (long)now.tv_sec,
	    now.tv_nsec);
	event_id(&ctx->hasher, ctx->host.id, (unsigned long)now.tv_sec,
	    (unsigned int)(now.tv_nsec / 1000000), 0, extra, id);
	snprintf(message, sizeof(message), "audit status: %s, backlog %u of "
	    "%u, %u lost since boot", s->enabled ? "enabled" : "disabled",
	    s->backlog, s->backlog_limit, s->lost);
	jw_object_open(w, NULL);
	ecs_timestamp_write(ctx, w, (unsigned long)now.tv_sec,
	    (unsigned int)(now.tv_nsec / 1000000));
	jw_cstring(w, "message", message);
	jw_object_open(w, "event");
	jw_cstring(w, "id", id);
	jw_cstring(w, "kind", "metric");
	jw_cstring(w, "module", "auditd");
	jw_cstring(w, "action", "audit-status");
	jw_array_open(w, "category");
	jw_cstring(w, NULL, "host");
	jw_array_close(w);
	jw_array_open(w, "type");
	jw_cstring(w, NULL, "info");
	jw_array_close(w);
	jw_object_close(w);
	jw_object_open(w, "auditd");
	jw_cstring(w, "message_type", "status");
	write_status_members(w, s);
	jw_object_close(w);
	jw_raw(w, NULL, ctx->constants, ctx->constants_len);
	jw_object_close(w);
	jw_append(w, "\n", 1);
	return jw_failed(w) ? -1 : 0;
}

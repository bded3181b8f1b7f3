/*
 * Documents about the kernel's audit status, polled while the plugin
 * runs (input.status_period): events the kernel itself lost, and the
 * periodic status as a metric.
 */
#ifndef AUDISP_ECS_ECS_STATUS_H
#define AUDISP_ECS_ECS_STATUS_H

#include "ecs_document.h"

/* What AUDIT_GET reports, and what the plugin adds of its own. */
struct audit_status_report {
	unsigned int	enabled, failure, pid;
	unsigned int	rate_limit, backlog_limit, lost, backlog;
	unsigned int	backlog_wait_time;
	/* The plugin's own queues at the time. */
	unsigned long long queue_documents, spooled;
};

/*
 * The kernel's lost counter rose by count to total: an audit-events-lost
 * document whose cause is the kernel (a full backlog or the rate limit),
 * not a gap in the serials.
 */
int	ecs_kernel_lost_document_write(struct ecs_context *, unsigned long count,
	    unsigned long total, struct jw *);
/* event.kind "metric": the status and our queue depths. */
int	ecs_status_document_write(struct ecs_context *,
	    const struct audit_status_report *, struct jw *);

#endif

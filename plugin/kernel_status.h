/*
 * The kernel's audit status (AUDIT_GET), as "auditctl -s" shows it.
 *
 * Asking needs CAP_AUDIT_CONTROL; the request only reads, it changes
 * nothing.  Used by the status verb and by the periodic poll of a running
 * plugin (input.status_period).
 */
#ifndef AUDISP_ECS_KERNEL_STATUS_H
#define AUDISP_ECS_KERNEL_STATUS_H

#include "../parsers/ecs_status.h"

/*
 * Fill st (the kernel part of it).  Returns 0, or -1 with errno set:
 * EPERM without the capability, EPROTONOSUPPORT without kernel audit,
 * ETIMEDOUT when no answer came within a second.
 */
int	kernel_status_get(struct audit_status_report *st);

#endif

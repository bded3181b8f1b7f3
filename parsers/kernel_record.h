/*
 * Audit records as the kernel sends them over netlink, turned into the
 * text lines auditd writes, so that every input feeds the reassembly the
 * same form.
 *
 * A netlink message carries the record type in its header and the text
 * "audit(SEC.MS:SERIAL): fields" as its payload; auditd writes it as
 * "type=NAME msg=audit(...): fields".  The names come from libaudit's
 * table; a type it does not know is written "UNKNOWN[n]", as auditd does.
 */
#ifndef AUDISP_ECS_KERNEL_RECORD_H
#define AUDISP_ECS_KERNEL_RECORD_H

#include <stddef.h>

/*
 * Types below this are the netlink control conversation (AUDIT_GET,
 * AUDIT_SET, rule lists...), not records.
 */
#define KERNEL_RECORD_FIRST	1100

/*
 * Write the line for a record of type with payload[0..len) into out
 * (size bytes, NUL-terminated, no newline).  Returns the length the whole
 * line has, which is >= size when it was cut short (as snprintf), or 0
 * when the message is not a record (a control type, or no payload).
 * A trailing NUL or newline of the payload is dropped, and a newline or
 * NUL inside it becomes a space: a line is one record whatever a user
 * message holds.
 */
size_t	kernel_record_format(char *out, size_t size, int type,
	    const char *payload, size_t len);

#endif

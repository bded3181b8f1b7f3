/*
 * Netlink audit messages to auditd's text form (see kernel_record.h).
 */
#include "config.h"

#include <libaudit.h>
#include <stdio.h>
#include <string.h>

#include "kernel_record.h"

/* "type=NAME msg=" into out; its length (may be >= size, as snprintf). */
static size_t
format_prefix(char *out, size_t size, int type)
{
	const char *name = audit_msg_type_to_name(type);
	int n;

	if (name != NULL)
		n = snprintf(out, size, "type=%s msg=", name);
	else
		n = snprintf(out, size, "type=UNKNOWN[%d] msg=", type);
	return n < 0 ? 0 : (size_t)n;
}

size_t
kernel_record_format(char *out, size_t size, int type, const char *payload,
    size_t len)
{
	size_t at, i, room;

	if (size > 0)
		out[0] = '\0';
	if (type < KERNEL_RECORD_FIRST)
		return 0;
	while (len > 0 && (payload[len - 1] == '\0' ||
	    payload[len - 1] == '\n'))
		len--;
	if (len == 0)
		return 0;
	at = format_prefix(out, size, type);
	if (at >= size)
		return at + len;
	room = size - 1 - at;
	if (room > len)
		room = len;
	for (i = 0; i < room; i++) {
		char c = payload[i];

		out[at + i] = (c == '\n' || c == '\0') ? ' ' : c;
	}
	out[at + room] = '\0';
	return at + len;
}

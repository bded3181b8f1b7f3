/*
 * A first look at one raw audit record line before libauparse sees it.
 *
 * auparse trusts its input; a line without a proper "type=X
 * msg=audit(SEC.MS:SERIAL):" header, with a NUL byte, or longer than any
 * record the kernel and auditd write would confuse it or be silently
 * dropped.  Such lines are rejected here with a reason, so they can be
 * counted and logged by name while the good records around them flow on.
 */
#ifndef AUDISP_ECS_RECORD_CHECK_H
#define AUDISP_ECS_RECORD_CHECK_H

#include <stddef.h>

enum record_verdict {
	RECORD_OK,
	RECORD_EMPTY,		/* blank line: ignored, not an error */
	RECORD_NO_TYPE,
	RECORD_NO_HEADER,
	RECORD_BAD_TIMESTAMP,
	RECORD_NUL_BYTE,
	RECORD_TOO_LONG,
};

struct record_header {
	char		type[48];	/* "SYSCALL", or "" when not found */
	unsigned long	serial;
	int		has_serial;
};

/* Look at line[0..len) (no newline); fills hdr as far as it gets. */
enum record_verdict	record_check(const char *line, size_t len,
			    size_t max_len, struct record_header *hdr);
const char		*record_verdict_text(enum record_verdict);

#endif

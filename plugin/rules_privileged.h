/*
 * The privileged-command profile (31-privileged.rules) of this host: one
 * rule per setuid or setgid program, as CIS 6.2.3.6 asks ("use of
 * privileged commands"), generated at install time because every host
 * has its own set.  The directories are walked without following
 * symbolic links or crossing into other file systems, a few levels deep,
 * with bounded counts.
 */
#ifndef AUDISP_ECS_RULES_PRIVILEGED_H
#define AUDISP_ECS_RULES_PRIVILEGED_H

#include "../common/buf.h"

#define PRIVILEGED_MAX		4096	/* programs */
#define PRIVILEGED_DEPTH	4	/* directory levels below a root */
#define PRIVILEGED_KEY		"cis-6.2.3.6"

/*
 * The profile's text for the setuid and setgid programs under dirs
 * (NULL-ended; NULL: the system's program directories) into out.
 * Paths an audit rule cannot hold (spaces, control bytes) are skipped
 * with a note on stderr.  Returns the number of programs, or -1 (out of
 * memory, or more than PRIVILEGED_MAX).
 */
long	rules_privileged_generate(struct buf *out, const char *const *dirs);

#endif

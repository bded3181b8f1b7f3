/*
 * Records of wtmp and btmp (utmp(5), the C library's struct utmp), read
 * as hostile input: the type, pid and time are checked, strings are cut
 * at their first NUL within their field, and an address is taken only
 * for what the record says it is.
 */
#ifndef AUDISP_ECS_UTMP_PARSE_H
#define AUDISP_ECS_UTMP_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* What a record is for the login dataset. */
enum login_kind {
	LOGIN_NONE,		/* nothing to report (init, runlevel, ...) */
	LOGIN_BOOT,
	LOGIN_SHUTDOWN,
	LOGIN_USER,		/* a login (wtmp) */
	LOGIN_LOGOUT,		/* a DEAD_PROCESS on a terminal (wtmp) */
};

struct login_record {
	enum login_kind	 kind;
	long		 pid;		/* -1 none */
	char		 tty[33];
	char		 user[33];
	char		 host[257];
	char		 ip[46];	/* "" when none */
	long long	 at_us;		/* µs since 1970 */
};

/* The size of one record in the files. */
size_t	utmp_record_size(void);
/*
 * One record of exactly utmp_record_size() bytes into r.  0, or -1 when
 * it is malformed (type out of range, negative time or pid).
 */
int	utmp_parse(const void *rec, struct login_record *r);

#endif

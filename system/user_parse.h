/*
 * The lines of /etc/passwd, /etc/group and /etc/shadow, read as hostile
 * input: exact field counts, decimal ids within 32 bits, no empty names.
 * Each parser splits the line in place (the fields point into it) and
 * returns 0 for an entry, 1 for a line that is no entry (empty, a comment,
 * an NIS "+"/"-" line), or -1 with err saying what is wrong.
 */
#ifndef AUDISP_ECS_USER_PARSE_H
#define AUDISP_ECS_USER_PARSE_H

#include <stddef.h>

/* The largest id a field may hold: uid_t and gid_t are 32 bits. */
#define USER_ID_MAX	4294967295UL

struct passwd_fields {
	const char	*name;
	const char	*passwd;	/* "x": the password is in shadow */
	unsigned long	 uid, gid;
	const char	*gecos;
	const char	*dir;
	const char	*shell;
};

struct group_fields {
	const char	*name;
	unsigned long	 gid;
	const char	*members;	/* comma-separated user names */
};

struct shadow_fields {
	const char	*name;
	const char	*passwd;	/* the hash: never kept, never written */
	long		 last_change;	/* days since 1970, -1 when empty */
};

int	passwd_parse(char *line, struct passwd_fields *, char *err,
	    size_t errlen);
int	group_parse(char *line, struct group_fields *, char *err,
	    size_t errlen);
int	shadow_parse(char *line, struct shadow_fields *, char *err,
	    size_t errlen);
/*
 * 1 when name is among the comma-separated members (exact match), else 0.
 */
int	group_has_member(const char *members, const char *name);

#endif

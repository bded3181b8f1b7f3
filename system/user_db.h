/*
 * The users and groups of the machine as the user dataset compares them:
 * read from passwd, group and (for password changes) shadow files, sorted
 * by name.  The password hash itself is never kept: only its type, its
 * last change and a keyed digest of it (HMAC-SHA256 under a key of this
 * machine's state directory), which tells that it changed and nothing else.
 */
#ifndef AUDISP_ECS_USER_DB_H
#define AUDISP_ECS_USER_DB_H

#include <stddef.h>

/* system.audit.user.password.type, as Auditbeat names them. */
enum pw_type {
	PW_UNKNOWN,		/* detection off: not written */
	PW_SHADOW,		/* "shadow_password" */
	PW_DISABLED,		/* "password_disabled": "!" or "*" */
	PW_NONE,		/* "no_password": empty */
	PW_CRYPT,		/* "crypt_password": a hash in passwd itself */
	PW_TYPE_COUNT
};

#define PW_DIGEST_HEX	64

struct group_ref {
	char		*name;
	unsigned long	 gid;
};

struct sys_user {
	char		*name, *gecos, *dir, *shell;
	unsigned long	 uid, gid;
	int		 pw_type;		/* enum pw_type */
	long		 pw_last_change;	/* days since 1970, -1 unknown */
	char		 pw_digest[PW_DIGEST_HEX + 1];	/* "" unknown */
	struct group_ref *groups;		/* primary first */
	size_t		 ngroups;
};

struct sys_group {
	char		*name;
	unsigned long	 gid;
	char		*members;
};

struct user_table {
	struct sys_user	*users;		/* sorted by name */
	size_t		 nusers;
	struct sys_group *groups;	/* sorted by name */
	size_t		 ngroups;
};

struct user_sources {
	const char	*passwd, *group;
	const char	*shadow;	/* NULL: no password change detection */
	const unsigned char *key;	/* for the digests */
	size_t		 keylen;
};

/* Room for this many entries per file at most; more is an error. */
#define USER_TABLE_MAX	200000

/*
 * Reads the files into t (empty before).  A malformed line is logged with
 * FILE:LINE and skipped; an unreadable passwd or group file, or running out
 * of memory, fails: -1 with err saying why, t left empty.
 */
int		 user_table_read(const struct user_sources *,
		    struct user_table *t, char *err, size_t errlen);
void		 user_table_free(struct user_table *);
/* The name of a password type, or NULL for PW_UNKNOWN. */
const char	*pw_type_name(int);
/* The type named, or -1. */
int		 pw_type_from_name(const char *);
/* Sorts users and groups by name, dropping later duplicates. */
void		 user_table_sort(struct user_table *);
/* The user or group named, or NULL (t sorted). */
const struct sys_user  *user_table_find_user(const struct user_table *,
			    const char *name);
const struct sys_group *user_table_find_group(const struct user_table *,
			    const char *name);
/* Freeing one entry's strings (for builders of tables). */
void		 sys_user_clear(struct sys_user *);
void		 sys_group_clear(struct sys_group *);

#endif

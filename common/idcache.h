/*
 * uid/gid to name, cached.
 *
 * Lookups go through getpwuid_r/getgrgid_r (NSS may be slow or remote), so
 * answers, including "no such id", are kept for IDCACHE_TTL seconds in a
 * small direct-mapped table: a renamed or new account shows up after that.
 * Owned by the parser thread; not thread-safe.
 */
#ifndef AUDISP_ECS_IDCACHE_H
#define AUDISP_ECS_IDCACHE_H

#include <sys/types.h>
#include <time.h>

#define IDCACHE_SLOTS	1024
#define IDCACHE_TTL	300
#define IDCACHE_NAMELEN	64

struct idcache_entry {
	unsigned long	id;
	time_t		fetched;	/* 0: empty slot */
	int		found;
	char		name[IDCACHE_NAMELEN];
};

struct idcache {
	struct idcache_entry	users[IDCACHE_SLOTS];
	struct idcache_entry	groups[IDCACHE_SLOTS];
	unsigned long		lookups;
	unsigned long		misses;
};

void		 idcache_init(struct idcache *);
/* The name, or NULL when the id has none.  Valid until the next call. */
const char	*idcache_user(struct idcache *, unsigned long uid);
const char	*idcache_group(struct idcache *, unsigned long gid);
/*
 * Name to id, for the few records that name an account instead of numbering
 * it (acct="bob"); not cached.  -1 when there is no such account.
 */
long		 idcache_user_id(const char *name);
long		 idcache_group_id(const char *name);

#endif

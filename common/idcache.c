/* uid/gid to name, cached; see idcache.h. */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "idcache.h"

void
idcache_init(struct idcache *c)
{
	memset(c, 0, sizeof(*c));
}

static void
fetch_user(struct idcache_entry *e)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwuid_r((uid_t)e->id, &pw, buf, sizeof(buf), &res) == 0 &&
	    res != NULL) {
		snprintf(e->name, sizeof(e->name), "%s", pw.pw_name);
		e->found = 1;
	}
}

static void
fetch_group(struct idcache_entry *e)
{
	struct group gr, *res = NULL;
	char buf[8192];

	if (getgrgid_r((gid_t)e->id, &gr, buf, sizeof(buf), &res) == 0 &&
	    res != NULL) {
		snprintf(e->name, sizeof(e->name), "%s", gr.gr_name);
		e->found = 1;
	}
}

static const char *
lookup(struct idcache *c, struct idcache_entry *table, unsigned long id,
    void (*fetch)(struct idcache_entry *))
{
	struct idcache_entry *e = &table[id % IDCACHE_SLOTS];
	time_t now = time(NULL);

	c->lookups++;
	if (e->fetched == 0 || e->id != id || now - e->fetched > IDCACHE_TTL) {
		c->misses++;
		e->id = id;
		e->fetched = now;
		e->found = 0;
		e->name[0] = '\0';
		fetch(e);
	}
	return e->found ? e->name : NULL;
}

const char *
idcache_user(struct idcache *c, unsigned long uid)
{
	/* 4294967295 is (uid_t)-1: "unset", never a real account. */
	if (uid == 4294967295UL)
		return NULL;
	return lookup(c, c->users, uid, fetch_user);
}

const char *
idcache_group(struct idcache *c, unsigned long gid)
{
	if (gid == 4294967295UL)
		return NULL;
	return lookup(c, c->groups, gid, fetch_group);
}

long
idcache_user_id(const char *name)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return -1;
	return (long)pw.pw_uid;
}

long
idcache_group_id(const char *name)
{
	struct group gr, *res = NULL;
	char buf[8192];

	if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) != 0 || res == NULL)
		return -1;
	return (long)gr.gr_gid;
}

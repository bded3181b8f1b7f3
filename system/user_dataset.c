/*
 * The user dataset: users and groups from passwd, group and shadow,
 * compared with the last look (kept in STATE_DIR/user.json) and written
 * as Auditbeat's system.user documents.
 *
 * A look re-reads the files only when one of them changed (inode, size,
 * modification or change time), or when the full state is due.  Users
 * are matched by name: a user whose uid changed is "changed", not removed
 * and added.  A password change is told by the keyed digest of the hash
 * (user_db.h), its type or its last-change day; other changes are
 * "user_changed".  Group changes (added, removed, gid or members changed)
 * are documents of their own, which Auditbeat does not have.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/timefmt.h"
#include "sys_dataset.h"
#include "sys_file.h"
#include "sys_key.h"
#include "user_db.h"
#include "user_state.h"

#define NFILES	3

struct user_dataset {
	const char	*paths[NFILES];	/* passwd, group, shadow or NULL */
	struct user_sources src;
	unsigned char	 key[SYS_KEY_LEN];
	char		 state_path[4096];
	long		 state_period_s;
	struct user_table last;
	int		 have_last;	/* last holds a look (or kept state) */
	time_t		 state_sent;
	struct sys_stamp stamps[NFILES];
	int		 looked;	/* the stamps are of a look */
	struct ratelimit rl;
};

enum user_action {
	ACT_EXISTING_USER, ACT_USER_ADDED, ACT_USER_REMOVED, ACT_USER_CHANGED,
	ACT_PASSWORD_CHANGED, ACT_GROUP_ADDED, ACT_GROUP_REMOVED,
	ACT_GROUP_CHANGED,
};

/* As Auditbeat's: the user documents' event.type has no "user". */
static const char *const types_user_info[] = { "info", NULL };
static const char *const types_user_creation[] = { "creation", NULL };
static const char *const types_user_deletion[] = { "deletion", NULL };
static const char *const types_user_change[] = { "change", NULL };
static const char *const types_group_creation[] =
    { "group", "creation", NULL };
static const char *const types_group_deletion[] =
    { "group", "deletion", NULL };
static const char *const types_group_change[] = { "group", "change", NULL };

static const struct {
	const char	*action;
	const char	*kind;
	const char *const *types;
	const char	*verb;		/* message */
} actions[] = {
	[ACT_EXISTING_USER] = { "existing_user", "state", types_user_info,
	    "Existing user" },
	[ACT_USER_ADDED] = { "user_added", "event", types_user_creation,
	    "New user" },
	[ACT_USER_REMOVED] = { "user_removed", "event", types_user_deletion,
	    "Removed user" },
	[ACT_USER_CHANGED] = { "user_changed", "event", types_user_change,
	    "Changed user" },
	[ACT_PASSWORD_CHANGED] = { "password_changed", "event",
	    types_user_change, "Password changed for user" },
	[ACT_GROUP_ADDED] = { "group_added", "event", types_group_creation,
	    "New group" },
	[ACT_GROUP_REMOVED] = { "group_removed", "event",
	    types_group_deletion, "Removed group" },
	[ACT_GROUP_CHANGED] = { "group_changed", "event", types_group_change,
	    "Changed group" },
};

/* "a,b,c" of u's group names into buf (cut short with "..." if need be). */
static void
group_names(const struct sys_user *u, char *buf, size_t size)
{
	size_t i, len = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < u->ngroups; i++) {
		n = snprintf(buf + len, size - len, "%s%s", i ? "," : "",
		    u->groups[i].name);
		if (n < 0 || (size_t)n >= size - len) {
			if (size >= 4)
				memcpy(buf + size - 4, "...", 4);
			return;
		}
		len += (size_t)n;
	}
}

static void
write_user_doc(struct sys_doc_writer *dw, const struct sys_user *u,
    enum user_action act)
{
	struct sys_event ev = { "user", actions[act].kind,
	    actions[act].action, "iam", actions[act].types, u->name, 0, NULL,
	    NULL };
	struct jw *w = sys_doc_jw(dw);
	char msg[1024], groups[768], id[24], eid[17], day[ISO8601_MAX];
	static struct ratelimit rl = RATELIMIT_INIT(60, 5);
	size_t i;

	group_names(u, groups, sizeof(groups));
	snprintf(msg, sizeof(msg), "%s %.128s (UID: %lu, Groups: %s)",
	    actions[act].verb, u->name, u->uid, groups);
	snprintf(id, sizeof(id), "%lu", u->uid);
	sys_doc_begin(dw, &ev, msg);
	jw_object_open(w, "user");
	jw_cstring(w, "id", id);
	jw_cstring(w, "name", u->name);
	if (dw->host.id[0] != '\0') {
		snprintf(id, sizeof(id), "%lu", u->uid);
		sys_entity_id(dw->host.id, u->name, id, eid);
		if (eid[0] != '\0')
			jw_cstring(w, "entity_id", eid);
	}
	if (u->ngroups > 0) {
		snprintf(id, sizeof(id), "%lu", u->groups[0].gid);
		jw_object_open(w, "group");
		jw_cstring(w, "id", id);
		jw_cstring(w, "name", u->groups[0].name);
		jw_object_close(w);
	}
	jw_object_close(w);
	jw_object_open(w, "related");
	jw_array_open(w, "user");
	jw_cstring(w, NULL, u->name);
	jw_array_close(w);
	jw_object_close(w);
	jw_object_open(w, "system");
	jw_object_open(w, "audit");
	jw_object_open(w, "user");
	jw_cstring(w, "name", u->name);
	snprintf(id, sizeof(id), "%lu", u->uid);
	jw_cstring(w, "uid", id);
	snprintf(id, sizeof(id), "%lu", u->gid);
	jw_cstring(w, "gid", id);
	jw_cstring(w, "dir", u->dir);
	jw_cstring(w, "shell", u->shell);
	if (u->gecos[0] != '\0')
		jw_cstring(w, "user_information", u->gecos);
	if (pw_type_name(u->pw_type) != NULL) {
		jw_object_open(w, "password");
		jw_cstring(w, "type", pw_type_name(u->pw_type));
		if (u->pw_last_change >= 0 &&
		    iso8601_format(day, sizeof(day),
		    (time_t)u->pw_last_change * 86400, 0, 0) > 0)
			jw_cstring(w, "last_changed", day);
		jw_object_close(w);
	}
	if (u->ngroups > 0) {
		jw_array_open(w, "group");
		for (i = 0; i < u->ngroups; i++) {
			jw_object_open(w, NULL);
			jw_cstring(w, "name", u->groups[i].name);
			snprintf(id, sizeof(id), "%lu", u->groups[i].gid);
			jw_cstring(w, "gid", id);
			jw_object_close(w);
		}
		jw_array_close(w);
	}
	jw_object_close(w);
	jw_object_close(w);
	jw_object_close(w);
	if (sys_doc_end(dw) == -1)
		log_ratelimited(&rl, "user %s: document too large, dropped",
		    u->name);
}

static void
write_group_doc(struct sys_doc_writer *dw, const struct sys_group *g,
    enum user_action act)
{
	struct sys_event ev = { "user", actions[act].kind,
	    actions[act].action, "iam", actions[act].types, g->name, 0, NULL,
	    NULL };
	struct jw *w = sys_doc_jw(dw);
	static struct ratelimit rl = RATELIMIT_INIT(60, 5);
	char msg[1024], id[24], *members, *name, *save;

	snprintf(msg, sizeof(msg), "%s %.128s (GID: %lu, Members: %.512s)",
	    actions[act].verb, g->name, g->gid, g->members);
	snprintf(id, sizeof(id), "%lu", g->gid);
	sys_doc_begin(dw, &ev, msg);
	jw_object_open(w, "group");
	jw_cstring(w, "id", id);
	jw_cstring(w, "name", g->name);
	jw_object_close(w);
	jw_object_open(w, "system");
	jw_object_open(w, "audit");
	jw_object_open(w, "group");
	jw_cstring(w, "name", g->name);
	jw_cstring(w, "gid", id);
	jw_array_open(w, "members");
	if ((members = strdup(g->members)) != NULL) {
		for (name = strtok_r(members, ",", &save); name != NULL;
		    name = strtok_r(NULL, ",", &save))
			jw_cstring(w, NULL, name);
		free(members);
	}
	jw_array_close(w);
	jw_object_close(w);
	jw_object_close(w);
	jw_object_close(w);
	if (sys_doc_end(dw) == -1)
		log_ratelimited(&rl, "group %s: document too large, dropped",
		    g->name);
}

static int
same_string(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static int
same_groups(const struct sys_user *a, const struct sys_user *b)
{
	size_t i;

	if (a->ngroups != b->ngroups)
		return 0;
	for (i = 0; i < a->ngroups; i++)
		if (a->groups[i].gid != b->groups[i].gid ||
		    !same_string(a->groups[i].name, b->groups[i].name))
			return 0;
	return 1;
}

/* Both looks saw the password (detection on at both, type known). */
static int
password_changed(const struct sys_user *old, const struct sys_user *cur)
{
	if (old->pw_type == PW_UNKNOWN || cur->pw_type == PW_UNKNOWN)
		return 0;
	return old->pw_type != cur->pw_type ||
	    old->pw_last_change != cur->pw_last_change ||
	    !same_string(old->pw_digest, cur->pw_digest);
}

static int
user_changed(const struct sys_user *old, const struct sys_user *cur)
{
	return old->uid != cur->uid || old->gid != cur->gid ||
	    !same_string(old->gecos, cur->gecos) ||
	    !same_string(old->dir, cur->dir) ||
	    !same_string(old->shell, cur->shell) || !same_groups(old, cur);
}

/* Writes the changes from old to cur; the number of documents. */
static size_t
report_user_changes(struct sys_doc_writer *dw, const struct user_table *old,
    const struct user_table *cur)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < old->nusers || j < cur->nusers) {
		c = i == old->nusers ? 1 : j == cur->nusers ? -1 :
		    strcmp(old->users[i].name, cur->users[j].name);
		if (c < 0) {
			write_user_doc(dw, &old->users[i++], ACT_USER_REMOVED);
			n++;
		} else if (c > 0) {
			write_user_doc(dw, &cur->users[j++], ACT_USER_ADDED);
			n++;
		} else {
			if (password_changed(&old->users[i], &cur->users[j])) {
				write_user_doc(dw, &cur->users[j],
				    ACT_PASSWORD_CHANGED);
				n++;
			}
			if (user_changed(&old->users[i], &cur->users[j])) {
				write_user_doc(dw, &cur->users[j],
				    ACT_USER_CHANGED);
				n++;
			}
			i++;
			j++;
		}
	}
	return n;
}

static size_t
report_group_changes(struct sys_doc_writer *dw, const struct user_table *old,
    const struct user_table *cur)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < old->ngroups || j < cur->ngroups) {
		c = i == old->ngroups ? 1 : j == cur->ngroups ? -1 :
		    strcmp(old->groups[i].name, cur->groups[j].name);
		if (c < 0) {
			write_group_doc(dw, &old->groups[i++],
			    ACT_GROUP_REMOVED);
			n++;
		} else if (c > 0) {
			write_group_doc(dw, &cur->groups[j++], ACT_GROUP_ADDED);
			n++;
		} else {
			if (old->groups[i].gid != cur->groups[j].gid ||
			    !same_string(old->groups[i].members,
			    cur->groups[j].members)) {
				write_group_doc(dw, &cur->groups[j],
				    ACT_GROUP_CHANGED);
				n++;
			}
			i++;
			j++;
		}
	}
	return n;
}

/* Takes the stamps; 1 when any file differs from the last look. */
static int
files_changed(struct user_dataset *ds)
{
	struct sys_stamp now;
	int i, changed = 0;

	for (i = 0; i < NFILES; i++) {
		sys_stamp_take(ds->paths[i], &now);
		if (!sys_stamp_same(&now, &ds->stamps[i]))
			changed = 1;
		ds->stamps[i] = now;
	}
	return changed;
}

static void
user_look(void *arg, struct sys_doc_writer *dw, time_t now)
{
	struct user_dataset *ds = arg;
	struct user_table cur;
	char err[512];
	size_t i, changes = 0;
	int state_due, first = !ds->looked;

	state_due = !ds->have_last || now < ds->state_sent ||
	    now - ds->state_sent >= ds->state_period_s;
	/* The stamps change first: a write during the read is seen next. */
	if (!files_changed(ds) && !first && !state_due)
		return;
	ds->looked = 1;
	if (user_table_read(&ds->src, &cur, err, sizeof(err)) == -1) {
		log_ratelimited(&ds->rl, "user dataset: %s", err);
		return;
	}
	if (ds->have_last) {
		changes += report_user_changes(dw, &ds->last, &cur);
		changes += report_group_changes(dw, &ds->last, &cur);
	}
	if (state_due) {
		for (i = 0; i < cur.nusers; i++)
			write_user_doc(dw, &cur.users[i], ACT_EXISTING_USER);
		ds->state_sent = now;
	}
	sys_doc_flush(dw);
	if ((changes > 0 || state_due) && user_state_save(ds->state_path,
	    &cur, ds->state_sent, err, sizeof(err)) == -1)
		log_ratelimited(&ds->rl, "user dataset: state not kept: %s",
		    err);
	if (changes > 0)
		log_debug("user dataset: %zu changes", changes);
	user_table_free(&ds->last);
	ds->last = cur;
	ds->have_last = 1;
}

static void *
user_open(const struct system_config *cfg, const char *state_dir)
{
	struct user_dataset *ds;
	char err[512];
	int rc;

	if ((ds = calloc(1, sizeof(*ds))) == NULL) {
		log_warnx("user dataset: out of memory");
		return NULL;
	}
	ds->rl = (struct ratelimit)RATELIMIT_INIT(300, 5);
	ds->state_period_s = cfg->state_period_ms / 1000;
	ds->paths[0] = ds->src.passwd = "/etc/passwd";
	ds->paths[1] = ds->src.group = "/etc/group";
	if ((size_t)snprintf(ds->state_path, sizeof(ds->state_path),
	    "%s/user.json", state_dir) >= sizeof(ds->state_path)) {
		log_warnx("user dataset: %s: path too long", state_dir);
		free(ds);
		return NULL;
	}
	if (cfg->detect_password_changes) {
		if (sys_key_load(state_dir, ds->key, err, sizeof(err)) == -1)
			log_warnx("user dataset: password changes not "
			    "detected: %s", err);
		else {
			ds->paths[2] = ds->src.shadow = "/etc/shadow";
			ds->src.key = ds->key;
			ds->src.keylen = sizeof(ds->key);
		}
	}
	rc = user_state_load(ds->state_path, &ds->last, &ds->state_sent, err,
	    sizeof(err));
	if (rc == -1)
		log_warnx("user dataset: kept state not used, the full state "
		    "is sent again: %s", err);
	ds->have_last = rc == 0;
	return ds;
}

static void
user_close(void *arg)
{
	struct user_dataset *ds = arg;

	if (ds == NULL)
		return;
	user_table_free(&ds->last);
	explicit_bzero(ds->key, sizeof(ds->key));
	free(ds);
}

const struct sys_dataset_ops user_dataset_ops = {
	SYS_DATASET_USER, user_open, user_look, user_close,
};

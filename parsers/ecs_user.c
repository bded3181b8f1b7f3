/*
 * user.*, group.* and related.user.
 *
 * First the ids of the main record are laid out as Auditbeat does: uid is
 * user.id, gid user.group.id, auid user.audit.id, euid/egid
 * user.effective, suid/sgid user.saved, fsuid/fsgid user.filesystem, and
 * any other field ending in uid or gid user.<field>.id.  Then the record type's
 * identity mapping (ecs_tables.h) may say who the event is really about:
 * for a PAM record the user is the login uid and the effective user the
 * account named by acct=; for useradd the new account is user.target.  A
 * mapped value that is empty or unset removes what the ids had put there.
 * Names come with every id (resolve_ids), from the record when auditd
 * wrote ENRICHED records, else from the account database.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_internal.h"

struct ident {
	struct sv	 id;
	struct sv	 name;
	int		 mapped;	/* set by the identity mapping */
};

struct user_doc {
	struct ident	 user, user_group, audit;
	struct ident	 effective, effective_group;
	struct ident	 saved, saved_group, filesystem, filesystem_group;
	struct ident	 extra[AUDIT_MAX_EXTRA_IDS];
	struct ident	 target, group;
	char		 numbers[4][24];	/* ids found from names */
	int		 nnumbers;
};

static int
is_unset(struct sv v)
{
	return v.p == NULL || v.n == 0 || sv_eq(v, "unset") ||
	    sv_eq(v, "4294967295") || sv_eq(v, "-1");
}

static int
is_number(struct sv v)
{
	size_t i;

	if (v.p == NULL || v.n == 0)
		return 0;
	for (i = 0; i < v.n; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return 0;
	return 1;
}

static const char *
lookup_name(struct doc_state *st, struct sv id, int is_group)
{
	return is_group ? gid_name(st, id) : uid_name(st, id);
}

/* An id of the main record and its name. */
static void
ident_from_id(struct doc_state *st, struct ident *out, const char *id,
    const char *enriched, int is_group)
{
	memset(out, 0, sizeof(*out));
	if (id == NULL)
		return;
	out->id = sv_from(id);
	if (enriched != NULL)
		out->name = sv_from(enriched);
	else if (st->ctx->opts.resolve_ids)
		out->name = sv_from(lookup_name(st, out->id, is_group));
}

/* The mapping's "set": a number is an id, anything else a name. */
static void
ident_map(struct doc_state *st, struct user_doc *u, struct ident *e,
    struct sv value, int is_group)
{
	char *buf;
	long id;

	memset(e, 0, sizeof(*e));
	e->mapped = 1;
	if (is_unset(value))
		return;
	if (is_number(value)) {
		e->id = value;
		if (st->ctx->opts.resolve_ids)
			e->name = sv_from(lookup_name(st, value, is_group));
		return;
	}
	e->name = value;
	if (!st->ctx->opts.resolve_ids || u->nnumbers == 4)
		return;
	buf = u->numbers[u->nnumbers];
	snprintf(buf, sizeof(u->numbers[0]), "%.*s", (int)value.n, value.p);
	id = is_group ? idcache_group_id(buf) : idcache_user_id(buf);
	if (id < 0)
		return;
	snprintf(buf, sizeof(u->numbers[0]), "%ld", id);
	e->id = sv_from(buf);
	u->nnumbers++;
}

static void
collect_ids(struct doc_state *st, struct user_doc *u)
{
	const struct audit_ids *ids = &st->ev->ids;
	const struct audit_event *ev = st->ev;
	int i;

	ident_from_id(st, &u->user, ids->id[ID_UID], ids->name[ID_UID], 0);
	ident_from_id(st, &u->user_group, ids->id[ID_GID], ids->name[ID_GID], 1);
	if (!is_unset(sv_from(ids->id[ID_AUID])))
		ident_from_id(st, &u->audit, ids->id[ID_AUID],
		    ids->name[ID_AUID], 0);
	ident_from_id(st, &u->effective, ids->id[ID_EUID], ids->name[ID_EUID], 0);
	ident_from_id(st, &u->effective_group, ids->id[ID_EGID],
	    ids->name[ID_EGID], 1);
	ident_from_id(st, &u->saved, ids->id[ID_SUID], ids->name[ID_SUID], 0);
	ident_from_id(st, &u->saved_group, ids->id[ID_SGID], ids->name[ID_SGID],
	    1);
	ident_from_id(st, &u->filesystem, ids->id[ID_FSUID],
	    ids->name[ID_FSUID], 0);
	ident_from_id(st, &u->filesystem_group, ids->id[ID_FSGID],
	    ids->name[ID_FSGID], 1);
	for (i = 0; i < ev->nextra_ids; i++) {
		const struct extra_id *x = &ev->extra_ids[i];
		size_t n = strlen(x->key);

		/* The old login uid is unset before the first login. */
		if (strcmp(x->key, "old-auid") == 0 &&
		    is_unset(sv_from(x->id)))
			continue;
		ident_from_id(st, &u->extra[i], x->id, x->name,
		    n >= 3 && strcmp(x->key + n - 3, "gid") == 0);
	}
}

/* Who the summary's subject and object stand for, by record type. */
static void
apply_mapping(struct doc_state *st, struct user_doc *u)
{
	struct sv uid = sv_from(st->ev->ids.id[ID_UID]);

	switch (st->norm != NULL ? st->norm->identity : MAP_NONE) {
	case MAP_NONE:
		return;
	case MAP_AUTH:
		ident_map(st, u, &u->user, st->actor_primary, 0);
		ident_map(st, u, &u->effective, st->actor_secondary, 0);
		break;
	case MAP_LOGIN:
		ident_map(st, u, &u->user, st->actor_primary, 0);
		ident_map(st, u, &u->effective, st->object_primary, 0);
		break;
	case MAP_USER_MOD:
		ident_map(st, u, &u->user, st->actor_primary, 0);
		ident_map(st, u, &u->effective, st->actor_secondary, 0);
		ident_map(st, u, &u->target, st->object_primary, 0);
		break;
	case MAP_GROUP_MOD:
		ident_map(st, u, &u->user, st->actor_primary, 0);
		ident_map(st, u, &u->effective, st->actor_secondary, 0);
		ident_map(st, u, &u->group, st->object_primary, 1);
		break;
	case MAP_USER_MGMT:
		ident_map(st, u, &u->user, st->actor_primary, 0);
		ident_map(st, u, &u->target, st->actor_secondary, 0);
		ident_map(st, u, &u->effective, uid, 0);
		break;
	case MAP_GROUP_MGMT:
		ident_map(st, u, &u->user, st->actor_primary, 0);
		ident_map(st, u, &u->group, st->actor_secondary, 1);
		ident_map(st, u, &u->effective, uid, 0);
		break;
	}
	/* A mapped effective user keeps no group from the ids. */
	if (u->effective.mapped)
		memset(&u->effective_group, 0, sizeof(u->effective_group));
}

static int
sv_same(struct sv a, struct sv b)
{
	return a.p != NULL && b.p != NULL && a.n == b.n &&
	    memcmp(a.p, b.p, a.n) == 0;
}

static int
compare_sv(const void *a, const void *b)
{
	const struct sv *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);

	return c != 0 ? c : (x->n > y->n) - (x->n < y->n);
}

/* related.user: every user name the mapping involved, sorted, once. */
static void
write_related(struct doc_state *st, struct jw *w, struct sv names[], int n)
{
	int i;

	if (st->norm == NULL || st->norm->identity == MAP_NONE ||
	    !st->ctx->opts.resolve_ids || n == 0)
		return;
	qsort(names, (size_t)n, sizeof(names[0]), compare_sv);
	jw_object_open(w, "related");
	jw_array_open(w, "user");
	for (i = 0; i < n; i++)
		if (i == 0 || !sv_same(names[i], names[i - 1]))
			jw_string(w, NULL, names[i].p, names[i].n);
	jw_array_close(w);
	jw_object_close(w);
}

static void
add_name(struct sv names[], int *n, const struct ident *e)
{
	if (e->name.p != NULL && e->name.n > 0)
		names[(*n)++] = e->name;
}

static int
ident_present(const struct ident *e)
{
	return (e->id.p != NULL && e->id.n > 0) ||
	    (e->name.p != NULL && e->name.n > 0);
}

static void
write_ident_members(struct jw *w, const struct ident *e)
{
	if (e->id.p != NULL && e->id.n > 0)
		jw_string(w, "id", e->id.p, e->id.n);
	if (e->name.p != NULL && e->name.n > 0)
		jw_string(w, "name", e->name.p, e->name.n);
}

/* "key": {"id", "name", "group": {"id", "name"}}, when there is any. */
static void
write_ident(struct jw *w, const char *key, const struct ident *e,
    const struct ident *group)
{
	int has_group = group != NULL && ident_present(group);

	if (!ident_present(e) && !has_group)
		return;
	jw_object_open(w, key);
	write_ident_members(w, e);
	if (has_group) {
		jw_object_open(w, "group");
		write_ident_members(w, group);
		jw_object_close(w);
	}
	jw_object_close(w);
}

static void
write_label(struct jw *w, const char *key, const struct security_label *l)
{
	if (l->user.p == NULL)
		return;
	jw_object_open(w, key);
	if (l->user.n > 0)
		jw_string(w, "user", l->user.p, l->user.n);
	if (l->role.p != NULL)
		jw_string(w, "role", l->role.p, l->role.n);
	if (l->domain.p != NULL)
		jw_string(w, "domain", l->domain.p, l->domain.n);
	if (l->level.p != NULL)
		jw_string(w, "level", l->level.p, l->level.n);
	if (l->category.p != NULL)
		jw_string(w, "category", l->category.p, l->category.n);
	jw_object_close(w);
}

void
write_identities(struct doc_state *st, struct jw *w)
{
	const struct audit_event *ev = st->ev;
	struct user_doc u;
	struct sv names[3];
	int i, any, nnames = 0;

	memset(&u, 0, sizeof(u));
	collect_ids(st, &u);
	apply_mapping(st, &u);
	add_name(names, &nnames, &u.user);
	add_name(names, &nnames, &u.effective);
	add_name(names, &nnames, &u.target);
	/* An effective user that is the user says nothing new. */
	if (sv_same(u.user.id, u.effective.id) ||
	    (u.user.id.p == NULL && sv_same(u.user.name, u.effective.name))) {
		memset(&u.effective, 0, sizeof(u.effective));
		memset(&u.effective_group, 0, sizeof(u.effective_group));
	}

	any = ident_present(&u.user) || ident_present(&u.user_group) ||
	    ident_present(&u.audit) || ident_present(&u.effective) ||
	    ident_present(&u.saved) || ident_present(&u.filesystem) ||
	    ident_present(&u.target) || ev->nextra_ids > 0;
	if (any) {
		jw_object_open(w, "user");
		write_ident_members(w, &u.user);
		write_ident(w, "group", &u.user_group, NULL);
		write_ident(w, "audit", &u.audit, NULL);
		write_ident(w, "effective", &u.effective, &u.effective_group);
		write_ident(w, "saved", &u.saved, &u.saved_group);
		write_ident(w, "filesystem", &u.filesystem,
		    &u.filesystem_group);
		for (i = 0; i < ev->nextra_ids; i++)
			write_ident(w, ev->extra_ids[i].key, &u.extra[i], NULL);
		write_ident(w, "target", &u.target, NULL);
		write_label(w, "selinux", &ev->subj);
		jw_object_close(w);
	}
	write_ident(w, "group", &u.group, NULL);
	write_related(st, w, names, nnames);
}

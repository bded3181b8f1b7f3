/*
 * Writing the ECS document of an audit event; see ecs_document.h.
 *
 * One function per top-level object, in the order they appear in the
 * document.  Values come from the struct audit_event; what they mean (the
 * action, category and type) comes from the tables in ecs_tables.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ecs_document.h"
#include "ecs_tables.h"
#include "syscall_names.h"

/* Rule keys of one SYSCALL record are joined by this byte. */
#define KEY_SEPARATOR	'\x01'
#define UNSET_ID	"4294967295"

/* What is decided once per event and used by several objects. */
struct doc_state {
	const struct audit_event	*ev;
	const struct ecs_mapping	*map;
	const struct path_item		*object_path;
	const char			*outcome;
	char				 action_buf[64];
	const char			*action;
};

void
ecs_context_init(struct ecs_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	if (gethostname(ctx->hostname, sizeof(ctx->hostname) - 1) == -1)
		snprintf(ctx->hostname, sizeof(ctx->hostname), "localhost");
	idcache_init(&ctx->ids);
	ctx->ts_sec = (unsigned long)-1;
}

static int
id_is_set(const char *id)
{
	return id != NULL && strcmp(id, UNSET_ID) != 0;
}

/* The name for an id: auditd's interpretation when present, else NSS. */
static const char *
user_name(struct ecs_context *ctx, const char *id, const char *enriched)
{
	if (!id_is_set(id))
		return NULL;
	if (enriched != NULL)
		return enriched;
	return idcache_user(&ctx->ids, strtoul(id, NULL, 10));
}

static const char *
group_name(struct ecs_context *ctx, const char *id, const char *enriched)
{
	if (!id_is_set(id))
		return NULL;
	if (enriched != NULL)
		return enriched;
	return idcache_group(&ctx->ids, strtoul(id, NULL, 10));
}

static void
write_sv(struct jw *w, const char *key, struct sv v)
{
	if (v.p != NULL)
		jw_string(w, key, v.p, v.n);
}

static void
write_str(struct jw *w, const char *key, const char *s)
{
	if (s != NULL)
		jw_cstring(w, key, s);
}

/* A decimal field as a JSON number; skipped when it is not a number. */
static void
write_number(struct jw *w, const char *key, const char *s)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return;
	v = strtoll(s, &end, 10);
	if (*end == '\0')
		jw_int(w, key, v);
}

static void
write_values(struct jw *w, const char *key, const char *const values[])
{
	int i;

	jw_array_open(w, key);
	for (i = 0; i < ECS_MAX_VALUES && values[i] != NULL; i++)
		jw_cstring(w, NULL, values[i]);
	jw_array_close(w);
}

static void
write_timestamp(struct ecs_context *ctx, struct jw *w,
    const struct audit_event *ev)
{
	char ts[40];
	struct tm tm;
	time_t t = (time_t)ev->sec;

	if (ctx->ts_sec != ev->sec) {
		gmtime_r(&t, &tm);
		strftime(ctx->ts_prefix, sizeof(ctx->ts_prefix),
		    "%Y-%m-%dT%H:%M:%S", &tm);
		ctx->ts_sec = ev->sec;
	}
	snprintf(ts, sizeof(ts), "%s.%03uZ", ctx->ts_prefix, ev->msec % 1000);
	jw_cstring(w, "@timestamp", ts);
}

/* SYSCALL events are classified by syscall, all others by record type. */
static void
classify(struct doc_state *st)
{
	const struct audit_event *ev = st->ev;
	size_t i;

	st->map = NULL;
	if (ev->type != AUDIT_SYSCALL)
		st->map = ecs_record_mapping(ev->type_name);
	if (st->map == NULL && ev->has_syscall) {
		st->map = ecs_syscall_mapping(ev->syscall);
		if (st->map == NULL)
			st->map = &ecs_syscall_default;
	}
	if (st->map != NULL && st->map->action != NULL) {
		st->action = st->map->action;
		return;
	}
	/* No table entry: the syscall or record type itself, lower case. */
	snprintf(st->action_buf, sizeof(st->action_buf), "%s",
	    ev->has_syscall && ev->syscall != NULL ? ev->syscall :
	    ev->type_name != NULL ? ev->type_name : "unknown");
	for (i = 0; st->action_buf[i] != '\0'; i++)
		st->action_buf[i] = (char)tolower((unsigned char)st->action_buf[i]);
	st->action = st->action_buf;
}

static void
decide_outcome(struct doc_state *st)
{
	const struct audit_event *ev = st->ev;

	st->outcome = "unknown";
	if (ev->success != NULL)
		st->outcome = strcmp(ev->success, "yes") == 0 ? "success" :
		    "failure";
	else if (ev->res != NULL) {
		if (strcmp(ev->res, "success") == 0 || strcmp(ev->res, "1") == 0)
			st->outcome = "success";
		else if (strcmp(ev->res, "failed") == 0 ||
		    strcmp(ev->res, "0") == 0)
			st->outcome = "failure";
	}
}

/*
 * The PATH record that names the object: the table's item when it has
 * one, else the first that is not a parent directory.
 */
static void
choose_object_path(struct doc_state *st)
{
	const struct audit_event *ev = st->ev;
	int i, want = st->map != NULL ? st->map->path_index : -1;

	st->object_path = NULL;
	if (ev->npaths == 0)
		return;
	if (want >= 0 && want < ev->npaths) {
		st->object_path = &ev->paths[want];
		return;
	}
	for (i = 0; i < ev->npaths; i++)
		if (ev->paths[i].nametype == NULL ||
		    strcmp(ev->paths[i].nametype, "PARENT") != 0) {
			st->object_path = &ev->paths[i];
			return;
		}
	st->object_path = &ev->paths[0];
}

static void
write_event(struct jw *w, const struct doc_state *st)
{
	static const char *const process_info[] = { "process", NULL };
	static const char *const info[] = { "info", NULL };
	const struct ecs_mapping *m = st->map;

	jw_object_open(w, "event");
	jw_cstring(w, "kind", m != NULL && m->kind != NULL ? m->kind : "event");
	jw_cstring(w, "module", "auditd");
	jw_cstring(w, "action", st->action);
	write_values(w, "category", m != NULL ? m->category : process_info);
	write_values(w, "type", m != NULL ? m->type : info);
	jw_cstring(w, "outcome", st->outcome);
	jw_uint(w, "sequence", st->ev->serial);
	jw_object_close(w);
}

static const char *
result_text(const char *outcome)
{
	if (strcmp(outcome, "success") == 0)
		return "success";
	if (strcmp(outcome, "failure") == 0)
		return "fail";
	return "unknown";
}

/*
 * Which auditd.data fields name the object, by object type, first present
 * wins (file and socket objects come from PATH and SOCKADDR instead).
 */
struct object_fields {
	const char	*type;
	const char	*primary[4];
	const char	*secondary[3];
};

static const struct object_fields object_fields[] = {
	{ "account",		{ "id", "acct" },		{ NULL } },
	{ "audit-config",	{ "op", "key", "audit_enabled",
				  "audit_pid" },		{ NULL } },
	{ "firewall",		{ "table" },			{ "family" } },
	{ "process",		{ "cmd", "opid", "exe" },	{ "ocomm" } },
	{ "service",		{ "unit", "op" },		{ NULL } },
	{ "user-session",	{ "terminal" },			{ "addr",
							  "hostname" } },
};

static const struct sv *
first_data_field(const struct audit_event *ev, const char *const names[],
    size_t n)
{
	const struct sv *v;
	size_t i;

	for (i = 0; i < n && names[i] != NULL; i++)
		if ((v = kv_find(&ev->data, names[i])) != NULL)
			return v;
	return NULL;
}

static void
write_object_from_data(struct jw *w, const struct audit_event *ev,
    const char *type)
{
	const struct object_fields *of = NULL;
	const struct sv *v;
	size_t i;

	for (i = 0; i < sizeof(object_fields) / sizeof(object_fields[0]); i++)
		if (type != NULL && strcmp(object_fields[i].type, type) == 0)
			of = &object_fields[i];
	if (of == NULL) {
		if ((v = kv_find(&ev->data, "op")) != NULL)
			write_sv(w, "primary", *v);
		return;
	}
	if ((v = first_data_field(ev, of->primary, 4)) != NULL)
		write_sv(w, "primary", *v);
	if ((v = first_data_field(ev, of->secondary, 3)) != NULL)
		write_sv(w, "secondary", *v);
}

static void
write_summary_object(struct jw *w, const struct doc_state *st)
{
	const struct audit_event *ev = st->ev;
	const char *type = st->map != NULL ? st->map->object_type : NULL;

	jw_object_open(w, "object");
	if (type != NULL)
		jw_cstring(w, "type", type);
	if (st->object_path != NULL && st->object_path->name.p != NULL)
		write_sv(w, "primary", st->object_path->name);
	else if (ev->sock.family == SOCK_FAMILY_INET ||
	    ev->sock.family == SOCK_FAMILY_INET6) {
		jw_cstring(w, "primary", ev->sock.ip);
		jw_uint(w, "secondary", ev->sock.port);
	} else if (ev->sock.family == SOCK_FAMILY_UNIX)
		jw_string(w, "primary", ev->sock.path, ev->sock.path_len);
	else
		write_object_from_data(w, ev, type);
	jw_object_close(w);
}

static void
write_summary(struct ecs_context *ctx, struct jw *w, const struct doc_state *st)
{
	const struct audit_event *ev = st->ev;
	const char *auid = ev->ids.id[ID_AUID], *uid = ev->ids.id[ID_UID];
	const char *name;

	jw_object_open(w, "summary");
	jw_object_open(w, "actor");
	if (id_is_set(auid)) {
		name = user_name(ctx, auid, ev->ids.name[ID_AUID]);
		jw_cstring(w, "primary", name != NULL ? name : auid);
	}
	if (uid != NULL) {
		name = user_name(ctx, uid, ev->ids.name[ID_UID]);
		jw_cstring(w, "secondary", name != NULL ? name : uid);
	}
	jw_object_close(w);
	write_summary_object(w, st);
	if (ev->exe.p != NULL)
		write_sv(w, "how", ev->exe);
	else
		write_sv(w, "how", ev->comm);
	jw_object_close(w);
}

static void
write_path_items(struct jw *w, const struct audit_event *ev)
{
	const struct kv_list *f;
	size_t i;
	int p;

	if (ev->npaths == 0)
		return;
	jw_array_open(w, "paths");
	for (p = 0; p < ev->npaths; p++) {
		f = &ev->paths[p].fields;
		jw_object_open(w, NULL);
		for (i = 0; i < f->count; i++)
			write_sv(w, f->items[i].name, f->items[i].value);
		jw_object_close(w);
	}
	jw_array_close(w);
}

static void
write_data(struct jw *w, const struct audit_event *ev)
{
	const char *errname;
	size_t i;

	jw_object_open(w, "data");
	if (ev->has_syscall) {
		write_str(w, "arch", ev->arch);
		write_str(w, "syscall", ev->syscall);
		errname = exit_errno_name(ev->exit);
		write_str(w, "exit", errname != NULL ? errname : ev->exit);
	}
	for (i = 0; i < ev->data.count; i++)
		write_sv(w, ev->data.items[i].name, ev->data.items[i].value);
	if (ev->paths_dropped > 0)
		jw_int(w, "paths_dropped", ev->paths_dropped);
	jw_object_close(w);
}

static void
write_auditd(struct ecs_context *ctx, struct jw *w, const struct doc_state *st)
{
	const struct audit_event *ev = st->ev;
	char type[64];
	size_t i;

	snprintf(type, sizeof(type), "%s",
	    ev->type_name != NULL ? ev->type_name : "unknown");
	for (i = 0; type[i] != '\0'; i++)
		type[i] = (char)tolower((unsigned char)type[i]);

	jw_object_open(w, "auditd");
	jw_cstring(w, "message_type", type);
	jw_uint(w, "sequence", ev->serial);
	jw_cstring(w, "result", result_text(st->outcome));
	if (id_is_set(ev->ses))
		jw_cstring(w, "session", ev->ses);
	write_summary(ctx, w, st);
	write_path_items(w, ev);
	write_data(w, ev);
	jw_object_close(w);
}

/* {"id": ..., "name": ...} for one uid, with an optional group. */
static void
write_identity(struct ecs_context *ctx, struct jw *w, const char *key,
    const struct audit_ids *ids, enum audit_id uid, int gid)
{
	const char *name;

	if (ids->id[uid] == NULL && (gid < 0 || ids->id[gid] == NULL))
		return;
	jw_object_open(w, key);
	if (ids->id[uid] != NULL) {
		jw_cstring(w, "id", ids->id[uid]);
		if ((name = user_name(ctx, ids->id[uid], ids->name[uid])) != NULL)
			jw_cstring(w, "name", name);
	}
	if (gid >= 0 && ids->id[gid] != NULL) {
		jw_object_open(w, "group");
		jw_cstring(w, "id", ids->id[gid]);
		if ((name = group_name(ctx, ids->id[gid], ids->name[gid])) != NULL)
			jw_cstring(w, "name", name);
		jw_object_close(w);
	}
	jw_object_close(w);
}

static void
write_user(struct ecs_context *ctx, struct jw *w, const struct audit_event *ev)
{
	const struct audit_ids *ids = &ev->ids;
	const char *name;

	if (ids->id[ID_UID] == NULL && ids->id[ID_AUID] == NULL)
		return;
	jw_object_open(w, "user");
	if (ids->id[ID_UID] != NULL) {
		jw_cstring(w, "id", ids->id[ID_UID]);
		if ((name = user_name(ctx, ids->id[ID_UID],
		    ids->name[ID_UID])) != NULL)
			jw_cstring(w, "name", name);
	}
	if (ids->id[ID_GID] != NULL) {
		jw_object_open(w, "group");
		jw_cstring(w, "id", ids->id[ID_GID]);
		if ((name = group_name(ctx, ids->id[ID_GID],
		    ids->name[ID_GID])) != NULL)
			jw_cstring(w, "name", name);
		jw_object_close(w);
	}
	if (id_is_set(ids->id[ID_AUID]))
		write_identity(ctx, w, "audit", ids, ID_AUID, -1);
	write_identity(ctx, w, "effective", ids, ID_EUID, ID_EGID);
	write_identity(ctx, w, "saved", ids, ID_SUID, ID_SGID);
	write_identity(ctx, w, "filesystem", ids, ID_FSUID, ID_FSGID);
	jw_object_close(w);
}

static void
write_process(struct jw *w, const struct audit_event *ev)
{
	const struct execve_args *a = &ev->args;
	size_t i;

	if (ev->pid == NULL && ev->exe.p == NULL && ev->comm.p == NULL)
		return;
	jw_object_open(w, "process");
	write_number(w, "pid", ev->pid);
	if (ev->ppid != NULL) {
		jw_object_open(w, "parent");
		write_number(w, "pid", ev->ppid);
		jw_object_close(w);
	}
	write_sv(w, "name", ev->comm);
	write_sv(w, "executable", ev->exe);
	if (a->present) {
		jw_array_open(w, "args");
		for (i = 0; i < a->count; i++)
			jw_string(w, NULL, a->argv[i].p, a->argv[i].n);
		jw_array_close(w);
		jw_int(w, "args_count", a->argc >= 0 ? a->argc :
		    (long long)a->count);
	}
	write_sv(w, "title", ev->proctitle);
	write_sv(w, "working_directory", ev->cwd);
	jw_object_close(w);
}

/* "0100644" -> "0644": ECS file.mode is the permission bits in octal. */
static void
write_file_mode(struct jw *w, const char *mode)
{
	char *end;
	unsigned long m;
	char perm[8];

	if (mode == NULL)
		return;
	m = strtoul(mode, &end, 8);
	if (*end != '\0')
		return;
	snprintf(perm, sizeof(perm), "%04lo", m & 07777);
	jw_cstring(w, "mode", perm);
}

static void
write_file(struct ecs_context *ctx, struct jw *w, const struct doc_state *st)
{
	const struct path_item *p = st->object_path;
	const char *name;

	if (p == NULL || st->map == NULL || st->map->object_type == NULL ||
	    (strcmp(st->map->object_type, "file") != 0 &&
	    strcmp(st->map->object_type, "filesystem") != 0))
		return;
	jw_object_open(w, "file");
	write_sv(w, "path", p->name);
	write_str(w, "inode", p->inode);
	write_str(w, "device", p->dev);
	write_file_mode(w, p->mode);
	write_str(w, "uid", p->ouid);
	write_str(w, "gid", p->ogid);
	if (p->ouid != NULL && (name = user_name(ctx, p->ouid,
	    p->ouid_name)) != NULL)
		jw_cstring(w, "owner", name);
	if (p->ogid != NULL && (name = group_name(ctx, p->ogid,
	    p->ogid_name)) != NULL)
		jw_cstring(w, "group", name);
	jw_object_close(w);
}

static void
write_endpoint(struct jw *w, const char *key, const struct sockaddr_info *si)
{
	jw_object_open(w, key);
	if (si->family == SOCK_FAMILY_UNIX)
		jw_string(w, "path", si->path, si->path_len);
	else {
		jw_cstring(w, "ip", si->ip);
		jw_uint(w, "port", si->port);
	}
	jw_object_close(w);
}

/*
 * SOCKADDR holds the remote end for connect/send and accept/recv, the
 * local end for bind.
 */
static void
write_network(struct jw *w, const struct audit_event *ev)
{
	const struct sockaddr_info *si = &ev->sock;
	const char *sc = ev->syscall != NULL ? ev->syscall : "";
	int outbound;

	if (si->family != SOCK_FAMILY_INET && si->family != SOCK_FAMILY_INET6 &&
	    si->family != SOCK_FAMILY_UNIX)
		return;
	outbound = strcmp(sc, "connect") == 0 || strncmp(sc, "send", 4) == 0;
	write_endpoint(w, outbound ? "destination" : "source", si);
	jw_object_open(w, "network");
	if (si->family != SOCK_FAMILY_UNIX)
		jw_cstring(w, "type", si->family == SOCK_FAMILY_INET ?
		    "ipv4" : "ipv6");
	if (outbound)
		jw_cstring(w, "direction", "egress");
	else if (strncmp(sc, "accept", 6) == 0 || strncmp(sc, "recv", 4) == 0)
		jw_cstring(w, "direction", "ingress");
	jw_object_close(w);
}

static void
write_tags(struct jw *w, const struct audit_event *ev)
{
	const char *p, *end, *sep;

	if (ev->key.p == NULL || ev->key.n == 0)
		return;
	jw_array_open(w, "tags");
	p = ev->key.p;
	end = p + ev->key.n;
	while (p < end) {
		sep = memchr(p, KEY_SEPARATOR, (size_t)(end - p));
		if (sep == NULL)
			sep = end;
		if (sep > p)
			jw_string(w, NULL, p, (size_t)(sep - p));
		p = sep + 1;
	}
	jw_array_close(w);
}

static void
write_constants(struct ecs_context *ctx, struct jw *w)
{
	jw_object_open(w, "service");
	jw_cstring(w, "type", "auditd");
	jw_object_close(w);
	jw_object_open(w, "host");
	jw_cstring(w, "name", ctx->hostname);
	jw_object_close(w);
	jw_object_open(w, "agent");
	jw_cstring(w, "type", PACKAGE_NAME);
	jw_cstring(w, "version", PACKAGE_VERSION);
	jw_object_close(w);
	jw_object_open(w, "ecs");
	jw_cstring(w, "version", ECS_VERSION);
	jw_object_close(w);
}

/* Name the fields whose bytes were not UTF-8 (see json_writer.h). */
static void
write_escape_notes(struct jw *w)
{
	char path[256], note[320];
	int i, n = jw_escaped_count(w);

	if (n == 0)
		return;
	jw_object_open(w, "error");
	jw_array_open(w, "message");
	for (i = 0; i < n; i++) {
		jw_escaped_path(w, i, path, sizeof(path));
		snprintf(note, sizeof(note), "%s: invalid UTF-8, "
		    "bytes written as \\xNN and backslashes doubled", path);
		jw_cstring(w, NULL, note);
	}
	jw_array_close(w);
	jw_object_close(w);
}

int
ecs_document_write(struct ecs_context *ctx, const struct audit_event *ev,
    struct jw *w)
{
	struct doc_state st;

	memset(&st, 0, sizeof(st));
	st.ev = ev;
	classify(&st);
	decide_outcome(&st);
	choose_object_path(&st);

	jw_object_open(w, NULL);
	write_timestamp(ctx, w, ev);
	write_event(w, &st);
	write_auditd(ctx, w, &st);
	write_user(ctx, w, ev);
	write_process(w, ev);
	write_file(ctx, w, &st);
	write_network(w, ev);
	write_tags(w, ev);
	write_constants(ctx, w);
	write_escape_notes(w);
	jw_object_close(w);
	jw_append(w, "\n", 1);
	return jw_failed(w) ? -1 : 0;
}

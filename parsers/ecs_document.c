/*
 * Writing the ECS document of an audit event; see ecs_document.h.
 *
 * decide() settles once what the event is (its table row, action, outcome,
 * object and summary); then one function per top-level object writes it,
 * in document order.  user.* and group.* are in ecs_user.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/timefmt.h"
#include "ecs_internal.h"
#include "../common/event_id.h"
#include "syscall_names.h"

/* Rule keys of one SYSCALL record are joined by this byte. */
#define KEY_SEPARATOR	'\x01'

int
ecs_context_init(struct ecs_context *ctx, const struct ecs_options *opts)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->opts = *opts;
	idcache_init(&ctx->ids);
	process_table_init(&ctx->procs, opts->live);
	(void)id_hasher_init(&ctx->hasher);	/* a failure has a fallback */
	ctx->ts_sec = (unsigned long)-1;
	host_info_load(&ctx->host, opts->data_dir);
	if ((ctx->constants = host_info_render(&ctx->host, "auditd")) == NULL)
		return -1;
	ctx->constants_len = strlen(ctx->constants);
	return 0;
}

void
ecs_context_release(struct ecs_context *ctx)
{
	free(ctx->constants);
	ctx->constants = NULL;
	process_table_release(&ctx->procs);
	id_hasher_release(&ctx->hasher);
}

static const char *
id_name(struct doc_state *st, struct sv id, int is_group)
{
	const struct audit_ids *ids = &st->ev->ids;
	char buf[24];
	unsigned long n;
	int i;

	if (id.p == NULL || id.n == 0 || id.n >= sizeof(buf))
		return NULL;
	/* The record's own interpretation of the same number comes first. */
	for (i = 0; i < ID_COUNT; i++)
		if (ids->name[i] != NULL && ids->id[i] != NULL &&
		    ((i == ID_GID || i == ID_EGID || i == ID_SGID ||
		    i == ID_FSGID) == is_group) && sv_eq(id, ids->id[i]))
			return ids->name[i];
	if (!st->ctx->opts.resolve_ids)
		return NULL;
	memcpy(buf, id.p, id.n);
	buf[id.n] = '\0';
	if (buf[strspn(buf, "0123456789")] != '\0')
		return NULL;
	n = strtoul(buf, NULL, 10);
	return is_group ? idcache_group(&st->ctx->ids, n) :
	    idcache_user(&st->ctx->ids, n);
}

const char *
uid_name(struct doc_state *st, struct sv uid)
{
	return id_name(st, uid, 0);
}

const char *
gid_name(struct doc_state *st, struct sv gid)
{
	return id_name(st, gid, 1);
}

static const char *const id_keys[ID_COUNT] = {
	[ID_UID] = "uid", [ID_GID] = "gid", [ID_EUID] = "euid",
	[ID_EGID] = "egid", [ID_SUID] = "suid", [ID_SGID] = "sgid",
	[ID_FSUID] = "fsuid", [ID_FSGID] = "fsgid", [ID_AUID] = "auid",
};

/*
 * Login uids that were never set read "unset", as auditd and Auditbeat show
 * them; other ids keep their number.
 */
static struct sv
login_id(const char *name, struct sv value)
{
	if ((strcmp(name, "auid") == 0 || strcmp(name, "old-auid") == 0) &&
	    (sv_eq(value, "4294967295") || sv_eq(value, "-1")))
		return sv_from("unset");
	return value;
}

/* A field of the event by name: auditd.data first, then the ids. */
static struct sv
event_field(const struct audit_event *ev, const char *name)
{
	const struct sv *v;
	int i;

	if ((v = kv_find(&ev->data, name)) != NULL)
		return login_id(name, *v);
	for (i = 0; i < ID_COUNT; i++)
		if (ev->ids.id[i] != NULL && strcmp(id_keys[i], name) == 0)
			return login_id(name, sv_from(ev->ids.id[i]));
	for (i = 0; i < ev->nextra_ids; i++)
		if (strcmp(ev->extra_ids[i].key, name) == 0)
			return login_id(name, sv_from(ev->extra_ids[i].id));
	if (strcmp(name, "syscall") == 0 && ev->syscall != NULL)
		return sv_from(ev->syscall);
	if (strcmp(name, "exe") == 0)
		return ev->exe;
	if (strcmp(name, "comm") == 0)
		return ev->comm;
	if (strcmp(name, "pid") == 0)
		return sv_from(ev->pid);
	return SV_NULL;
}

/* The first of the names that the event has; SV_NULL if none. */
static struct sv
first_field(const struct audit_event *ev, const char *const names[],
    size_t max)
{
	struct sv v;
	size_t i;

	for (i = 0; i < max && names[i] != NULL; i++)
		if ((v = event_field(ev, names[i])).p != NULL)
			return v;
	return SV_NULL;
}
#define FIRST_FIELD(ev, list) \
	first_field((ev), (list), sizeof(list) / sizeof((list)[0]))

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

/* src in lower case into dst (size > 0), cut to fit. */
static void
lower_copy(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

/*
 * SYSCALL events are classified by their syscall, others by their first
 * record's type; an event of another type that has a SYSCALL record also
 * gets the syscall's categories and types (Auditbeat does the same).
 */
static void
classify(struct doc_state *st)
{
	const struct audit_event *ev = st->ev;
	const struct ecs_mapping *by_syscall = NULL;

	if (ev->has_syscall && (by_syscall =
	    ecs_syscall_mapping(ev->syscall)) == NULL)
		by_syscall = &ecs_syscall_default;
	if (ev->type == AUDIT_SYSCALL)
		st->norm = by_syscall;
	else if ((st->norm = ecs_record_mapping(ev->type_name)) != NULL &&
	    ev->type == AUDIT_AVC && kv_find(&ev->data, "apparmor") != NULL)
		st->norm = &ecs_avc_apparmor;
	if (st->norm != NULL && by_syscall != NULL && by_syscall != st->norm &&
	    !(st->norm->flags & ECS_SHARES_SYSCALL_ENTRY))
		st->also = by_syscall;
	if (st->norm != NULL && st->norm->action != NULL) {
		st->action = st->norm->action;
		return;
	}
	/* No table entry: the syscall or record type itself, lower case. */
	lower_copy(st->action_buf, sizeof(st->action_buf),
	    ev->has_syscall && ev->syscall != NULL ? ev->syscall :
	    ev->type_name != NULL ? ev->type_name : "unknown");
	st->action = st->action_buf;
}

/*
 * The PATH record naming the object: from the table's item on (rename:
 * the new name), the first that is not a parent directory.
 */
static void
choose_object_path(struct doc_state *st)
{
	const struct audit_event *ev = st->ev;
	int i, start = st->norm != NULL ? st->norm->path_index : -1;

	if (ev->npaths == 0)
		return;
	if (start < 0 || start >= ev->npaths)
		start = 0;
	for (i = start; i < ev->npaths; i++) {
		const char *t = ev->paths[i].nametype;

		if (t == NULL || (strcmp(t, "PARENT") != 0 &&
		    strcmp(t, "UNKNOWN") != 0)) {
			st->object_path = &ev->paths[i];
			return;
		}
	}
	st->object_path = &ev->paths[start];
}

/* Interpreters: "how" names the script (comm), not /usr/bin/python. */
static int
is_interpreter(struct sv exe)
{
	static const char *const prefixes[] = {
		"/usr/bin/python", "/usr/bin/sh", "/usr/bin/bash",
		"/usr/bin/perl",
	};
	size_t i, n;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (exe.p != NULL && exe.n >= n &&
		    memcmp(exe.p, prefixes[i], n) == 0)
			return 1;
	}
	return 0;
}

static int
is_file_object(const struct ecs_mapping *m)
{
	return m != NULL && m->object_type != NULL &&
	    (strcmp(m->object_type, "file") == 0 ||
	    strcmp(m->object_type, "filesystem") == 0);
}

static void
decide_summary(struct doc_state *st)
{
	const struct audit_event *ev = st->ev;
	const struct ecs_summary_keys *k = st->norm ? st->norm->keys : NULL;
	struct sv v;

	st->actor_primary = login_id("auid", sv_from(ev->ids.id[ID_AUID]));
	st->actor_secondary = sv_from(ev->ids.id[ID_UID]);
	st->how = ev->exe.p != NULL && !(is_interpreter(ev->exe) &&
	    ev->comm.p != NULL) ? ev->exe : ev->comm;
	if (is_file_object(st->norm) && st->object_path != NULL)
		st->object_primary = st->object_path->name;
	else if (st->norm != NULL && st->norm->object_type != NULL &&
	    strcmp(st->norm->object_type, "socket") == 0) {
		if (ev->sock.ip[0] != '\0')
			st->object_primary = sv_from(ev->sock.ip);
		else if (ev->sock.path_len > 0)
			st->object_primary = (struct sv){ ev->sock.path,
			    ev->sock.path_len };
		if (ev->sock.has_port) {
			snprintf(st->port_buf, sizeof(st->port_buf), "%u",
			    ev->sock.port);
			st->object_secondary = sv_from(st->port_buf);
		}
	}
	if (k == NULL)
		return;
	if ((v = FIRST_FIELD(ev, k->subject_primary)).p != NULL)
		st->actor_primary = v;
	if ((v = FIRST_FIELD(ev, k->subject_secondary)).p != NULL)
		st->actor_secondary = v;
	if ((v = FIRST_FIELD(ev, k->object_primary)).p != NULL)
		st->object_primary = v;
	if ((v = FIRST_FIELD(ev, k->object_secondary)).p != NULL)
		st->object_secondary = v;
	if ((v = FIRST_FIELD(ev, k->how)).p != NULL)
		st->how = v;
}

static void
decide(struct doc_state *st)
{
	const struct audit_event *ev = st->ev;

	classify(st);
	if (ev->result == NULL)
		st->outcome = "unknown";
	else
		st->outcome = strcmp(ev->result, "success") == 0 ? "success" :
		    "failure";
	choose_object_path(st);
	decide_summary(st);
	st->addr_is_source = st->norm != NULL &&
	    (st->norm->flags & ECS_SOURCE_FROM_ADDR) &&
	    ev->sock.family == SOCK_FAMILY_NONE &&
	    kv_find(&ev->data, "addr") != NULL;
}

static void
write_timestamp(struct ecs_context *ctx, struct jw *w, unsigned long sec,
    unsigned int msec)
{
	char ts[40];
	size_t n;

	/* Events come in bursts within a second: format its part once. */
	if (ctx->ts_sec != sec) {
		iso8601_seconds(ctx->ts_prefix, sizeof(ctx->ts_prefix),
		    (time_t)sec);
		ctx->ts_sec = sec;
	}
	n = strlen(ctx->ts_prefix);
	memcpy(ts, ctx->ts_prefix, n);
	ts[n++] = '.';
	ts[n++] = (char)('0' + msec / 100 % 10);
	ts[n++] = (char)('0' + msec / 10 % 10);
	ts[n++] = (char)('0' + msec % 10);
	ts[n++] = 'Z';
	jw_string(w, "@timestamp", ts, n);
}

static void
write_values(struct jw *w, const char *const a[], const char *const b[])
{
	int i;

	for (i = 0; a != NULL && i < ECS_MAX_VALUES && a[i] != NULL; i++)
		jw_cstring(w, NULL, a[i]);
	for (i = 0; b != NULL && i < ECS_MAX_VALUES && b[i] != NULL; i++)
		jw_cstring(w, NULL, b[i]);
}

static void
write_original(struct jw *w, const struct audit_event *ev)
{
	size_t i;

	jw_array_open(w, "original");
	for (i = 0; i < ev->records.count; i++)
		write_sv(w, NULL, ev->records.items[i].value);
	jw_array_close(w);
}

static void
write_event(struct doc_state *st, struct jw *w)
{
	const struct ecs_mapping *m = st->norm, *also = st->also;
	const struct audit_event *ev = st->ev;
	char id[EVENT_ID_LEN + 1], outcome_type[40], extra[96];

	/* Without a serial, the type and pid tell events of one moment apart. */
	if (ev->serial == 0)
		snprintf(extra, sizeof(extra), "%s:%s", ev->type_name,
		    ev->pid != NULL ? ev->pid : "");
	event_id(&st->ctx->hasher, st->ctx->host.id, ev->sec, ev->msec, ev->serial,
	    ev->serial == 0 ? extra : NULL, id);
	jw_object_open(w, "event");
	jw_cstring(w, "id", id);
	jw_cstring(w, "kind", "event");
	jw_cstring(w, "module", "auditd");
	jw_cstring(w, "action", st->action);
	if ((m != NULL && m->category[0] != NULL) ||
	    (also != NULL && also->category[0] != NULL)) {
		jw_array_open(w, "category");
		write_values(w, m ? m->category : NULL,
		    also ? also->category : NULL);
		jw_array_close(w);
		jw_array_open(w, "type");
		write_values(w, m ? m->type : NULL, also ? also->type : NULL);
		if (m != NULL && (m->flags & ECS_AUTH_RESULT_TYPE)) {
			snprintf(outcome_type, sizeof(outcome_type),
			    "authentication_%s", st->outcome);
			jw_cstring(w, NULL, outcome_type);
		}
		jw_array_close(w);
	}
	jw_cstring(w, "outcome", st->outcome);
	jw_uint(w, "sequence", ev->serial);
	if (st->ctx->opts.include_raw_message)
		write_original(w, ev);
	jw_object_close(w);
}

/* Summary actors are uids: they read as names when they resolve. */
static void
write_actor_value(struct doc_state *st, struct jw *w, const char *key,
    struct sv value)
{
	const char *name;

	if (value.p == NULL)
		return;
	if ((name = uid_name(st, value)) != NULL)
		jw_cstring(w, key, name);
	else
		write_sv(w, key, value);
}

static void
write_actor(struct doc_state *st, struct jw *w)
{
	if (st->actor_primary.p == NULL && st->actor_secondary.p == NULL)
		return;
	jw_object_open(w, "actor");
	write_actor_value(st, w, "primary", st->actor_primary);
	write_actor_value(st, w, "secondary", st->actor_secondary);
	jw_object_close(w);
}

static void
write_summary(struct doc_state *st, struct jw *w)
{
	const char *type = st->norm != NULL ? st->norm->object_type : NULL;

	jw_object_open(w, "summary");
	write_actor(st, w);
	if (type != NULL || st->object_primary.p != NULL ||
	    st->object_secondary.p != NULL) {
		jw_object_open(w, "object");
		write_str(w, "type", type);
		write_sv(w, "primary", st->object_primary);
		write_sv(w, "secondary", st->object_secondary);
		jw_object_close(w);
	}
	write_sv(w, "how", st->how);
	jw_object_close(w);
}

/*
 * Names the writer gives members of its own next to the fields of a
 * record: a field so named (only a made-up or corrupt record has one) is
 * left out, as Elasticsearch refuses a document with a field twice.
 */
static int
is_label_member(const char *name)
{
	return strncmp(name, "obj_", 4) == 0 &&
	    (strcmp(name + 4, "user") == 0 || strcmp(name + 4, "role") == 0 ||
	    strcmp(name + 4, "domain") == 0 || strcmp(name + 4, "level") == 0 ||
	    strcmp(name + 4, "category") == 0);
}

static int
is_data_member(const struct doc_state *st, const char *name)
{
	const struct audit_event *ev = st->ev;

	/* Asked for every field of every event: the first letter sorts. */
	switch (name[0]) {
	case 'a':
		if (strcmp(name, "arch") == 0)
			return ev->has_syscall && ev->arch != NULL;
		if (strcmp(name, "argc") == 0)
			return ev->args.present && ev->args.argc >= 0;
		return 0;
	case 's':
		if (strcmp(name, "syscall") == 0)
			return ev->has_syscall && ev->syscall != NULL;
		if (strcmp(name, "socket") == 0)
			return sockaddr_family_name(&ev->sock) != NULL;
		return 0;
	case 'e':
		return strcmp(name, "exit") == 0 && ev->has_syscall &&
		    ev->exit != NULL;
	case 'p':
		return strcmp(name, "paths_dropped") == 0 &&
		    ev->paths_dropped > 0;
	default:
		return 0;
	}
}

static void
write_path_items(struct jw *w, const struct audit_event *ev)
{
	const struct kv_list *f;
	const struct security_label *obj;
	size_t i;
	int p;

	if (ev->npaths == 0)
		return;
	jw_array_open(w, "paths");
	for (p = 0; p < ev->npaths; p++) {
		f = &ev->paths[p].fields;
		obj = &ev->paths[p].obj;
		jw_object_open(w, NULL);
		for (i = 0; i < f->count; i++)
			if (obj->user.p == NULL ||
			    !is_label_member(f->items[i].name))
				write_sv(w, f->items[i].name,
				    f->items[i].value);
		if (obj->user.p != NULL) {
			write_sv(w, "obj_user", obj->user);
			write_sv(w, "obj_role", obj->role);
			write_sv(w, "obj_domain", obj->domain);
			write_sv(w, "obj_level", obj->level);
			write_sv(w, "obj_category", obj->category);
		}
		jw_object_close(w);
	}
	jw_array_close(w);
}

static void
write_socket_data(struct jw *w, const struct sockaddr_info *si)
{
	const char *family = sockaddr_family_name(si);
	char num[16];

	if (family == NULL)
		return;
	jw_object_open(w, "socket");
	if (si->family == SOCK_FAMILY_OTHER) {
		snprintf(num, sizeof(num), "%u", si->family_number);
		jw_cstring(w, "family", num);
	} else
		jw_cstring(w, "family", family);
	if (si->ip[0] != '\0')
		jw_cstring(w, "addr", si->ip);
	if (si->has_port) {
		snprintf(num, sizeof(num), "%u", si->port);
		jw_cstring(w, "port", num);
	}
	if (si->family == SOCK_FAMILY_UNIX)
		jw_string(w, "path", si->path, si->path_len);
	jw_object_close(w);
}

static void
write_data(struct doc_state *st, struct jw *w)
{
	const struct audit_event *ev = st->ev;
	const char *errname;
	size_t i;

	jw_object_open(w, "data");
	if (ev->has_syscall) {
		write_str(w, "arch", ev->arch);
		write_str(w, "syscall", ev->syscall);
		errname = exit_errno_name(ev->exit);
		write_str(w, "exit", errname != NULL ? errname : ev->exit);
	}
	for (i = 0; i < ev->data.count; i++) {
		const struct kv *kv = &ev->data.items[i];

		if ((st->addr_is_source && strcmp(kv->name, "addr") == 0) ||
		    is_data_member(st, kv->name))
			continue;
		write_sv(w, kv->name, kv->value);
	}
	if (ev->args.present && ev->args.argc >= 0)
		jw_int(w, "argc", ev->args.argc);
	write_socket_data(w, &ev->sock);
	if (ev->paths_dropped > 0)
		jw_int(w, "paths_dropped", ev->paths_dropped);
	jw_object_close(w);
}

static void
write_auditd(struct doc_state *st, struct jw *w)
{
	const struct audit_event *ev = st->ev;
	char type[64];

	lower_copy(type, sizeof(type),
	    ev->type_name != NULL ? ev->type_name : "unknown");
	jw_object_open(w, "auditd");
	jw_cstring(w, "message_type", type);
	jw_uint(w, "sequence", ev->serial);
	jw_cstring(w, "result", ev->result != NULL ? ev->result : "unknown");
	if (ev->ses != NULL && strcmp(ev->ses, "4294967295") != 0 &&
	    strcmp(ev->ses, "-1") != 0)
		jw_cstring(w, "session", ev->ses);
	if (ev->backfilled)
		jw_bool(w, "backfilled", 1);
	write_summary(st, w);
	write_path_items(w, ev);
	write_data(st, w);
	jw_object_close(w);
}

/*
 * process.args, cut after args_max_bytes bytes (the last argument shortened
 * to fit) with process.args_truncated; args_count stays the real count.
 */
static void
write_args(struct doc_state *st, struct jw *w)
{
	const struct execve_args *a = &st->ev->args;
	size_t i, n, used = 0, max = (size_t)st->ctx->opts.args_max_bytes;
	int truncated = 0;

	jw_array_open(w, "args");
	for (i = 0; i < a->count; i++) {
		n = a->argv[i].n;
		if (max > 0 && used + n > max) {
			truncated = 1;
			n = max - used;
			if (n == 0)
				break;
		}
		jw_string(w, NULL, a->argv[i].p, n);
		used += n;
		if (truncated)
			break;
	}
	jw_array_close(w);
	jw_int(w, "args_count", a->argc >= 0 ? a->argc : (long long)a->count);
	if (truncated)
		jw_bool(w, "args_truncated", 1);
}

static long
pid_value(const char *s)
{
	char *end;
	long v;

	if (s == NULL)
		return 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && v > 0 ? v : 0;
}

/* process.parent: what the executions seen (or /proc) say of ppid. */
static void
write_parent(struct doc_state *st, struct jw *w)
{
	const struct process_info *pi;
	long ppid = pid_value(st->ev->ppid);
	size_t off;
	int i;

	if (ppid == 0)
		return;
	jw_object_open(w, "parent");
	jw_int(w, "pid", ppid);
	if ((pi = process_table_get(&st->ctx->procs, ppid)) != NULL) {
		if (pi->name != NULL && pi->name[0] != '\0')
			jw_cstring(w, "name", pi->name);
		if (pi->exe != NULL)
			jw_cstring(w, "executable", pi->exe);
		if (pi->nargs > 0) {
			jw_array_open(w, "args");
			for (i = 0, off = 0; i < pi->nargs; i++) {
				jw_cstring(w, NULL, pi->args + off);
				off += strlen(pi->args + off) + 1;
			}
			jw_array_close(w);
		}
	}
	jw_object_close(w);
}

static void
write_process(struct doc_state *st, struct jw *w)
{
	const struct audit_event *ev = st->ev;

	if (ev->pid == NULL && ev->exe.p == NULL && ev->comm.p == NULL &&
	    ev->cwd.p == NULL && !ev->args.present)
		return;
	jw_object_open(w, "process");
	write_number(w, "pid", ev->pid);
	write_parent(st, w);
	write_sv(w, "name", ev->comm);
	write_sv(w, "executable", ev->exe);
	if (ev->args.present)
		write_args(st, w);
	write_sv(w, "title", ev->proctitle);
	write_sv(w, "working_directory", ev->cwd);
	jw_object_close(w);
}

/*
 * container.id, for live events of processes in a container: the process's
 * own cgroup, or its parent's when the process is gone already (a child
 * starts in its parent's cgroup).
 */
static void
write_container(struct doc_state *st, struct jw *w)
{
	struct process_table *procs = &st->ctx->procs;
	const char *id;
	long pid = pid_value(st->ev->pid);

	if (!st->ctx->opts.live || pid == 0)
		return;
	if ((id = process_table_container(procs, pid,
	    st->ev->args.present)) == NULL &&
	    (id = process_table_container(procs, pid_value(st->ev->ppid),
	    0)) == NULL)
		return;
	jw_object_open(w, "container");
	jw_cstring(w, "id", id);
	jw_object_close(w);
}

void
ecs_remember_exec(struct ecs_context *ctx, const struct audit_event *ev)
{
	long pid = pid_value(ev->pid);

	if (pid == 0 || !ev->args.present || ev->result == NULL ||
	    strcmp(ev->result, "success") != 0 || ev->exe.p == NULL)
		return;
	process_table_exec(&ctx->procs, pid, ev->exe, ev->comm, ev->args.argv,
	    ev->args.count);
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
write_file(struct doc_state *st, struct jw *w)
{
	const struct path_item *p = st->object_path;
	const char *name;

	if (p == NULL || !is_file_object(st->norm))
		return;
	jw_object_open(w, "file");
	write_sv(w, "path", p->name);
	write_str(w, "inode", p->inode);
	write_str(w, "device", p->dev);
	write_file_mode(w, p->mode);
	write_str(w, "uid", p->ouid);
	write_str(w, "gid", p->ogid);
	name = p->ouid_name;
	if (name == NULL && p->ouid != NULL)
		name = uid_name(st, sv_from(p->ouid));
	write_str(w, "owner", name);
	name = p->ogid_name;
	if (name == NULL && p->ogid != NULL)
		name = gid_name(st, sv_from(p->ogid));
	write_str(w, "group", name);
	if (p->obj.user.p != NULL) {
		jw_object_open(w, "selinux");
		write_sv(w, "user", p->obj.user);
		write_sv(w, "role", p->obj.role);
		write_sv(w, "domain", p->obj.domain);
		write_sv(w, "level", p->obj.level);
		write_sv(w, "category", p->obj.category);
		jw_object_close(w);
	}
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

static int
sc_is(const char *sc, const char *const names[], size_t n)
{
	size_t i;

	for (i = 0; sc != NULL && i < n; i++)
		if (strcmp(sc, names[i]) == 0)
			return 1;
	return 0;
}

/*
 * SOCKADDR is the remote end for connect/send (egress) and accept/recv
 * (ingress); for bind and the rest it is not a peer.  PAM records name
 * the remote host in addr=.
 */
static void
write_network(struct doc_state *st, struct jw *w)
{
	static const char *const out[] = { "connect", "sendto", "sendmsg" };
	static const char *const in[] = { "accept", "accept4", "recvfrom",
	    "recvmsg" };
	const struct sockaddr_info *si = &st->ev->sock;
	const char *sc = st->ev->syscall;
	int outbound = sc_is(sc, out, 3), inbound = sc_is(sc, in, 4);
	const struct sv *addr;

	if (st->addr_is_source &&
	    (addr = kv_find(&st->ev->data, "addr")) != NULL) {
		jw_object_open(w, "source");
		write_sv(w, "ip", *addr);
		jw_object_close(w);
		jw_object_open(w, "network");
		jw_cstring(w, "direction", "ingress");
		jw_object_close(w);
		return;
	}
	if ((si->family != SOCK_FAMILY_INET && si->family != SOCK_FAMILY_INET6 &&
	    si->family != SOCK_FAMILY_UNIX) || (!outbound && !inbound))
		return;
	write_endpoint(w, outbound ? "destination" : "source", si);
	jw_object_open(w, "network");
	jw_cstring(w, "direction", outbound ? "egress" : "ingress");
	jw_object_close(w);
}

/*
 * Rule keys: several keys of one rule are joined by 0x01 (and then
 * hex-encoded by the kernel); a key written as "name=value" is its value.
 */
static void
write_tags(struct jw *w, const struct audit_event *ev)
{
	const char *p, *end, *sep, *eq;

	if (ev->key.p == NULL || ev->key.n == 0)
		return;
	jw_array_open(w, "tags");
	p = ev->key.p;
	end = p + ev->key.n;
	if (memchr(p, KEY_SEPARATOR, ev->key.n) == NULL &&
	    (eq = memchr(p, '=', ev->key.n)) != NULL)
		p = eq + 1;
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
	st.ctx = ctx;
	st.ev = ev;
	decide(&st);

	jw_object_open(w, NULL);
	write_timestamp(ctx, w, ev->sec, ev->msec);
	write_event(&st, w);
	write_auditd(&st, w);
	write_identities(&st, w);
	write_process(&st, w);
	write_container(&st, w);
	write_file(&st, w);
	write_network(&st, w);
	write_tags(w, ev);
	rule_keys_write(ctx->opts.rule_keys, w, ev->key.p, ev->key.n);
	jw_raw(w, NULL, ctx->constants, ctx->constants_len);
	write_escape_notes(w);
	jw_object_close(w);
	jw_append(w, "\n", 1);
	return jw_failed(w) ? -1 : 0;
}

/* The members every note document (lost, dropped) starts with. */
static void
write_note_event(struct ecs_context *ctx, struct jw *w, unsigned long sec,
    unsigned int msec, const char *id_extra, const char *action,
    const char *message)
{
	char id[EVENT_ID_LEN + 1];

	event_id(&ctx->hasher, ctx->host.id, sec, msec, 0, id_extra, id);
	write_timestamp(ctx, w, sec, msec);
	jw_cstring(w, "message", message);
	jw_object_open(w, "event");
	jw_cstring(w, "id", id);
	jw_cstring(w, "kind", "event");
	jw_cstring(w, "module", "auditd");
	jw_cstring(w, "action", action);
	jw_array_open(w, "category");
	jw_cstring(w, NULL, "host");
	jw_array_close(w);
	jw_array_open(w, "type");
	jw_cstring(w, NULL, "info");
	jw_array_close(w);
	jw_cstring(w, "outcome", "failure");
	jw_object_close(w);
}

int
ecs_lost_document_write(struct ecs_context *ctx, const struct seq_gap *gap,
    struct jw *w)
{
	char range[64], message[160];
	unsigned long count = gap->last - gap->first + 1;

	snprintf(range, sizeof(range), "lost:%lu-%lu", gap->first, gap->last);
	snprintf(message, sizeof(message), "%lu audit event%s lost "
	    "(sequence %lu to %lu)", count, count == 1 ? "" : "s", gap->first,
	    gap->last);
	jw_object_open(w, NULL);
	write_note_event(ctx, w, gap->sec, gap->msec, range,
	    "audit-events-lost", message);
	jw_object_open(w, "auditd");
	jw_cstring(w, "message_type", "lost");
	jw_object_open(w, "lost");
	jw_uint(w, "count", count);
	jw_uint(w, "first_sequence", gap->first);
	jw_uint(w, "last_sequence", gap->last);
	jw_object_close(w);
	jw_object_close(w);
	jw_raw(w, NULL, ctx->constants, ctx->constants_len);
	jw_object_close(w);
	jw_append(w, "\n", 1);
	return jw_failed(w) ? -1 : 0;
}

int
ecs_dropped_document_write(struct ecs_context *ctx, unsigned long long count,
    struct jw *w)
{
	char extra[64], message[200];
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(extra, sizeof(extra), "dropped:%ld.%09ld", (long)now.tv_sec,
	    now.tv_nsec);
	snprintf(message, sizeof(message), "%llu document%s dropped: the "
	    "outputs could not keep up and the spool or the parser's hold "
	    "was full (queue.spool.policy drop_oldest)", count,
	    count == 1 ? "" : "s");
	jw_object_open(w, NULL);
	write_note_event(ctx, w, (unsigned long)now.tv_sec,
	    (unsigned int)(now.tv_nsec / 1000000), extra, "events-dropped",
	    message);
	jw_object_open(w, "auditd");
	jw_cstring(w, "message_type", "dropped");
	jw_object_open(w, "dropped");
	jw_uint(w, "count", count);
	jw_object_close(w);
	jw_object_close(w);
	jw_raw(w, NULL, ctx->constants, ctx->constants_len);
	jw_object_close(w);
	jw_append(w, "\n", 1);
	return jw_failed(w) ? -1 : 0;
}

/* For the other note documents (ecs_status.c). */
void
ecs_note_event_write(struct ecs_context *ctx, struct jw *w, unsigned long sec,
    unsigned int msec, const char *id_extra, const char *action,
    const char *message)
{
	write_note_event(ctx, w, sec, msec, id_extra, action, message);
}

void
ecs_timestamp_write(struct ecs_context *ctx, struct jw *w, unsigned long sec,
    unsigned int msec)
{
	write_timestamp(ctx, w, sec, msec);
}

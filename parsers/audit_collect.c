/*
 * Collecting one auparse event into a struct audit_event; see audit_event.h.
 *
 * Each field name is looked up once in a table that says where its value
 * goes.  Subject fields (pid, uids, exe, ...) keep their first
 * occurrence: in an event with a CONFIG_CHANGE or USER_* record followed by
 * its SYSCALL record, both describe the same process.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_event.h"
#include "syscall_names.h"

enum slot {
	S_DATA,			/* not a slot: goes to auditd.data */
	S_SKIP,			/* auparse's own "type" field */
	S_PID, S_PPID, S_SES, S_TTY, S_SUBJ,
	S_COMM, S_EXE, S_KEY,
	S_ARCH, S_SYSCALL, S_SUCCESS, S_EXIT, S_RES,
	S_ID,			/* one of enum audit_id, in .id */
};

/* Where a PATH record's field goes, besides auditd.paths. */
enum path_slot {
	P_NONE, P_NAME, P_NAMETYPE, P_INODE, P_DEV, P_RDEV, P_MODE,
	P_OUID, P_OGID,
};

#define F_ENCODED	0x1	/* value may be hex-encoded bytes */

struct field_rule {
	const char	*name;
	enum slot	 slot;
	enum audit_id	 id;
	enum path_slot	 path_slot;
	unsigned int	 flags;
};

/* Every field name with a meaning of its own; the rest is auditd.data. */
static const struct field_rule field_rules[] = {
	{ "acct",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "arch",	S_ARCH,		0, P_NONE,	0 },
	{ "auid",	S_ID,		ID_AUID, P_NONE, 0 },
	{ "cmd",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "comm",	S_COMM,		0, P_NONE,	F_ENCODED },
	{ "cwd",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "data",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "dev",	S_DATA,		0, P_DEV,	0 },
	{ "egid",	S_ID,		ID_EGID, P_NONE, 0 },
	{ "euid",	S_ID,		ID_EUID, P_NONE, 0 },
	{ "exe",	S_EXE,		0, P_NONE,	F_ENCODED },
	{ "exit",	S_EXIT,		0, P_NONE,	0 },
	{ "fsgid",	S_ID,		ID_FSGID, P_NONE, 0 },
	{ "fsuid",	S_ID,		ID_FSUID, P_NONE, 0 },
	{ "gid",	S_ID,		ID_GID, P_NONE,	0 },
	{ "grp",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "inode",	S_DATA,		0, P_INODE,	0 },
	{ "key",	S_KEY,		0, P_NONE,	F_ENCODED },
	{ "mode",	S_DATA,		0, P_MODE,	0 },
	{ "name",	S_DATA,		0, P_NAME,	F_ENCODED },
	{ "nametype",	S_DATA,		0, P_NAMETYPE,	0 },
	{ "new-chardev", S_DATA,	0, P_NONE,	F_ENCODED },
	{ "new-disk",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "new-fs",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "new-net",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "new-rng",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "ocomm",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "ogid",	S_DATA,		0, P_OGID,	0 },
	{ "old-chardev", S_DATA,	0, P_NONE,	F_ENCODED },
	{ "old-disk",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "old-fs",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "old-net",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "old-rng",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "ouid",	S_DATA,		0, P_OUID,	0 },
	{ "path",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "pid",	S_PID,		0, P_NONE,	0 },
	{ "ppid",	S_PPID,		0, P_NONE,	0 },
	{ "proctitle",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "rdev",	S_DATA,		0, P_RDEV,	0 },
	{ "res",	S_RES,		0, P_NONE,	0 },
	{ "root_dir",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "ses",	S_SES,		0, P_NONE,	0 },
	{ "sgid",	S_ID,		ID_SGID, P_NONE, 0 },
	{ "subj",	S_SUBJ,		0, P_NONE,	0 },
	{ "success",	S_SUCCESS,	0, P_NONE,	0 },
	{ "suid",	S_ID,		ID_SUID, P_NONE, 0 },
	{ "sw",		S_DATA,		0, P_NONE,	F_ENCODED },
	{ "syscall",	S_SYSCALL,	0, P_NONE,	0 },
	{ "tty",	S_TTY,		0, P_NONE,	0 },
	{ "type",	S_SKIP,		0, P_NONE,	0 },
	{ "uid",	S_ID,		ID_UID, P_NONE,	0 },
	{ "vm",		S_DATA,		0, P_NONE,	F_ENCODED },
};
#define NRULES	(sizeof(field_rules) / sizeof(field_rules[0]))

/*
 * Every field of every record is looked up, so the table is indexed by an
 * open-addressing hash built once (a bsearch of strcmp calls showed up as
 * the top cost in profiles).
 */
#define INDEX_SLOTS	256		/* a power of two, > 2 * NRULES */

static const struct field_rule *rule_index[INDEX_SLOTS];
static pthread_once_t rule_index_once = PTHREAD_ONCE_INIT;

static unsigned int
name_hash(const char *s)
{
	unsigned int h = 2166136261u;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void
build_rule_index(void)
{
	unsigned int i, slot;

	for (i = 0; i < NRULES; i++) {
		slot = name_hash(field_rules[i].name) & (INDEX_SLOTS - 1);
		while (rule_index[slot] != NULL)
			slot = (slot + 1) & (INDEX_SLOTS - 1);
		rule_index[slot] = &field_rules[i];
	}
}

static const struct field_rule *
find_rule(const char *name)
{
	unsigned int slot;

	pthread_once(&rule_index_once, build_rule_index);
	slot = name_hash(name) & (INDEX_SLOTS - 1);
	while (rule_index[slot] != NULL) {
		if (strcmp(rule_index[slot]->name, name) == 0)
			return rule_index[slot];
		slot = (slot + 1) & (INDEX_SLOTS - 1);
	}
	return NULL;
}

int
kv_add(struct kv_list *l, struct arena *arena, const char *name,
    struct sv value)
{
	struct kv *items;
	size_t cap;

	if (l->count == l->cap) {
		cap = l->cap ? l->cap * 2 : 16;
		if ((items = arena_alloc(arena, cap * sizeof(*items))) == NULL)
			return -1;
		if (l->count > 0)
			memcpy(items, l->items, l->count * sizeof(*items));
		l->items = items;
		l->cap = cap;
	}
	l->items[l->count].name = name;
	l->items[l->count].value = value;
	l->count++;
	return 0;
}

const struct sv *
kv_find(const struct kv_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i].value;
	return NULL;
}

static struct sv
field_value(const struct field_rule *rule, const char *raw,
    struct arena *arena)
{
	if (rule != NULL && (rule->flags & F_ENCODED))
		return audit_value_decode(raw, arena);
	return audit_value_plain(raw);
}

/* The interpretation auditd attached to an ENRICHED record, if any. */
static const char *
enriched_name(auparse_state_t *au, int enriched)
{
	const char *name;

	if (!enriched)
		return NULL;
	name = auparse_interpret_field(au);
	if (name == NULL || strcmp(name, "unset") == 0 ||
	    strncmp(name, "unknown(", 8) == 0)
		return NULL;
	return name;
}

static int
is_group_id(enum audit_id id)
{
	return id == ID_GID || id == ID_EGID || id == ID_SGID ||
	    id == ID_FSGID || id == ID_OGID;
}

/*
 * The name of an id: uid, euid, suid and fsuid are usually one number, and
 * asking auparse for an interpretation allocates, so a name already found
 * for the same number of the same kind is reused.
 */
static const char *
known_name(const struct audit_ids *ids, enum audit_id which, const char *raw,
    int enriched, auparse_state_t *au)
{
	int i;

	for (i = 0; i < ID_COUNT; i++)
		if (ids->id[i] != NULL && ids->name[i] != NULL &&
		    (enum audit_id)i != which &&
		    is_group_id((enum audit_id)i) == is_group_id(which) &&
		    strcmp(ids->id[i], raw) == 0)
			return ids->name[i];
	return enriched_name(au, enriched);
}

static void
set_once(const char **slot, const char *value)
{
	if (*slot == NULL && value != NULL && strcmp(value, "(null)") != 0 &&
	    strcmp(value, "?") != 0)
		*slot = value;
}

static void
set_sv_once(struct sv *slot, struct sv value)
{
	if (slot->p == NULL)
		*slot = value;
}

static int
add_data(struct audit_event *ev, struct arena *arena, const char *name,
    const struct field_rule *rule, const char *raw)
{
	struct sv v;

	if (kv_find(&ev->data, name) != NULL)
		return 0;
	v = field_value(rule, raw, arena);
	if (v.p == NULL)
		return 0;
	return kv_add(&ev->data, arena, name, v);
}

static int
collect_subject_field(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena, int is_syscall, int enriched)
{
	const char *name = auparse_get_field_name(au);
	const char *raw = auparse_get_field_str(au);
	const struct field_rule *rule;

	if (name == NULL || raw == NULL)
		return 0;
	if ((rule = find_rule(name)) == NULL)
		return add_data(ev, arena, name, rule, raw);
	switch (rule->slot) {
	case S_SKIP:
		break;
	case S_PID:	set_once(&ev->pid, raw); break;
	case S_PPID:	set_once(&ev->ppid, raw); break;
	case S_SES:	set_once(&ev->ses, raw); break;
	case S_SUBJ:	set_once(&ev->subj, raw); break;
	case S_RES:	set_once(&ev->res, raw); break;
	case S_TTY:
		set_once(&ev->tty, raw);
		return add_data(ev, arena, name, rule, raw);
	case S_COMM:
		set_sv_once(&ev->comm, audit_value_decode(raw, arena));
		break;
	case S_EXE:
		set_sv_once(&ev->exe, audit_value_decode(raw, arena));
		break;
	case S_KEY:
		/* Only SYSCALL carries the key of the rule that matched. */
		if (!is_syscall)
			return add_data(ev, arena, name, rule, raw);
		set_sv_once(&ev->key, audit_value_decode(raw, arena));
		break;
	case S_ARCH:
		if (is_syscall && ev->arch == NULL) {
			ev->arch = arch_name(raw);
			ev->arch_hex = raw;
		}
		break;
	case S_SYSCALL:
		if (is_syscall && ev->syscall == NULL) {
			ev->syscall = ev->arch_hex != NULL ?
			    syscall_name(ev->arch_hex, raw) : NULL;
			if (ev->syscall == NULL)
				ev->syscall = raw;
		}
		break;
	case S_SUCCESS:	set_once(&ev->success, raw); break;
	case S_EXIT:	set_once(&ev->exit, raw); break;
	case S_ID:
		if (ev->ids.id[rule->id] == NULL) {
			ev->ids.id[rule->id] = raw;
			ev->ids.name[rule->id] = known_name(&ev->ids, rule->id,
			    raw, enriched, au);
		}
		break;
	case S_DATA:
		return add_data(ev, arena, name, rule, raw);
	}
	return 0;
}

static int
collect_path(auparse_state_t *au, struct audit_event *ev, struct arena *arena,
    int enriched)
{
	const struct field_rule *rule;
	struct path_item *p;
	const char *name, *raw;
	struct sv v;

	if (ev->npaths >= AUDIT_MAX_PATHS) {
		ev->paths_dropped++;
		return 0;
	}
	p = &ev->paths[ev->npaths++];
	memset(p, 0, sizeof(*p));
	auparse_first_field(au);
	do {
		name = auparse_get_field_name(au);
		raw = auparse_get_field_str(au);
		if (name == NULL || raw == NULL)
			continue;
		rule = find_rule(name);
		if (rule != NULL && rule->slot == S_SKIP)
			continue;
		v = field_value(rule, raw, arena);
		switch (rule != NULL ? rule->path_slot : P_NONE) {
		case P_NAME:		p->name = v; break;
		case P_NAMETYPE:	p->nametype = raw; break;
		case P_INODE:		p->inode = raw; break;
		case P_DEV:		p->dev = raw; break;
		case P_RDEV:		p->rdev = raw; break;
		case P_MODE:		p->mode = raw; break;
		case P_OUID:
			p->ouid = raw;
			p->ouid_name = enriched_name(au, enriched);
			break;
		case P_OGID:
			p->ogid = raw;
			p->ogid_name = enriched_name(au, enriched);
			break;
		case P_NONE:
			break;
		}
		if (kv_add(&p->fields, arena, name, v) == -1)
			return -1;
	} while (auparse_next_field(au) > 0);
	return 0;
}

static int
collect_execve(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena)
{
	const char *name, *raw;

	auparse_first_field(au);
	do {
		name = auparse_get_field_name(au);
		raw = auparse_get_field_str(au);
		if (name == NULL || raw == NULL || strcmp(name, "type") == 0)
			continue;
		if (execve_args_field(&ev->args, arena, name, raw) == -1)
			return -1;
	} while (auparse_next_field(au) > 0);
	return 0;
}

/*
 * The kernel separates the command line's arguments with NUL bytes; they
 * read as spaces, like ps(1) shows them.  Only hex values can hold NULs, and
 * those are decoded into the arena, so the copy is ours to change.
 */
static struct sv
decode_title(const char *raw, struct arena *arena)
{
	struct sv v = audit_value_decode(raw, arena);
	char *title = (char *)v.p;
	size_t i;

	if (v.p == NULL || v.p == raw || v.p == raw + 1)
		return v;
	while (v.n > 0 && title[v.n - 1] == '\0')
		v.n--;
	for (i = 0; i < v.n; i++)
		if (title[i] == '\0')
			title[i] = ' ';
	return v;
}

/* CWD, PROCTITLE and SOCKADDR each hold one value of interest. */
static int
collect_single(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena, const char *field)
{
	const char *raw;

	if (auparse_find_field(au, field) == NULL ||
	    (raw = auparse_get_field_str(au)) == NULL)
		return 0;
	if (strcmp(field, "cwd") == 0)
		set_sv_once(&ev->cwd, audit_value_decode(raw, arena));
	else if (strcmp(field, "proctitle") == 0)
		set_sv_once(&ev->proctitle, decode_title(raw, arena));
	else if (ev->sock.family == SOCK_FAMILY_NONE &&
	    sockaddr_decode(raw, &ev->sock) == -1)
		return add_data(ev, arena, "saddr", NULL, raw);
	return 0;
}

static int
collect_record(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena)
{
	int type = auparse_get_type(au);
	int enriched = ev->enriched;

	switch (type) {
	case AUDIT_PATH:
		return collect_path(au, ev, arena, enriched);
	case AUDIT_EXECVE:
		return collect_execve(au, ev, arena);
	case AUDIT_CWD:
		return collect_single(au, ev, arena, "cwd");
	case AUDIT_PROCTITLE:
		return collect_single(au, ev, arena, "proctitle");
	case AUDIT_SOCKADDR:
		return collect_single(au, ev, arena, "saddr");
	case AUDIT_EOE:
		return 0;
	default:
		break;
	}
	if (type == AUDIT_SYSCALL)
		ev->has_syscall = 1;
	auparse_first_field(au);
	do {
		if (collect_subject_field(au, ev, arena,
		    type == AUDIT_SYSCALL, enriched) == -1)
			return -1;
	} while (auparse_next_field(au) > 0);
	return 0;
}

void
audit_collect_begin(struct audit_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	/* The caller sets ev->enriched after this. */
	execve_args_init(&ev->args);
}

int
audit_collect_records(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena)
{
	const au_event_t *ts;

	if ((ts = auparse_get_timestamp(au)) == NULL ||
	    auparse_first_record(au) <= 0)
		return -1;
	if (ev->type_name == NULL) {
		ev->sec = (unsigned long)ts->sec;
		ev->msec = ts->milli;
		ev->serial = ts->serial;
		ev->type = auparse_get_type(au);
		ev->type_name = auparse_get_type_name(au);
		if (ev->type_name == NULL) {
			/* A type this libaudit does not know: keep its number. */
			char *name = arena_alloc(arena, 32);

			if (name != NULL)
				snprintf(name, 32, "UNKNOWN[%d]", ev->type);
			ev->type_name = name;
		}
	}
	ev->nrecords += auparse_get_num_records(au);
	do {
		if (collect_record(au, ev, arena) == -1)
			return -1;
	} while (auparse_next_record(au) > 0);
	execve_args_finish(&ev->args);
	return 0;
}

int
audit_collect(auparse_state_t *au, struct audit_event *ev, struct arena *arena)
{
	audit_collect_begin(ev);
	return audit_collect_records(au, ev, arena);
}

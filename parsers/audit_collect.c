/*
 * Collecting one auparse event into a struct audit_event; see audit_event.h.
 *
 * Each field name is looked up once in a table that says where its value
 * goes.  The main record (the SYSCALL, else the first record) is collected
 * first; within it a later field replaces an earlier one of the same name
 * (the fields inside msg='...' of user-space records come last and win).
 * The other records only add what is not known yet.  This is the order
 * Auditbeat gives them, and the documents keep its values.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

#include "audit_event.h"
#include "syscall_names.h"

enum slot {
	S_DATA,			/* not a slot: goes to auditd.data */
	S_SKIP,			/* auparse's own "type" field */
	S_PID, S_PPID, S_SES,
	S_COMM, S_EXE, S_KEY,
	S_ARCH, S_SYSCALL, S_SUCCESS, S_EXIT, S_RES,
	S_CWD, S_PROCTITLE, S_SUBJ_LABEL,
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
	{ "cwd",	S_CWD,		0, P_NONE,	F_ENCODED },
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
	{ "proctitle",	S_PROCTITLE,	0, P_NONE,	F_ENCODED },
	{ "rdev",	S_DATA,		0, P_RDEV,	0 },
	{ "res",	S_RES,		0, P_NONE,	0 },
	{ "root_dir",	S_DATA,		0, P_NONE,	F_ENCODED },
	{ "ses",	S_SES,		0, P_NONE,	0 },
	{ "sgid",	S_ID,		ID_SGID, P_NONE, 0 },
	{ "subj",	S_SUBJ_LABEL,	0, P_NONE,	0 },
	{ "success",	S_SUCCESS,	0, P_NONE,	0 },
	{ "suid",	S_ID,		ID_SUID, P_NONE, 0 },
	{ "sw",		S_DATA,		0, P_NONE,	F_ENCODED },
	{ "syscall",	S_SYSCALL,	0, P_NONE,	0 },
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

/* The index of name in l, or -1; most names differ in their first letter. */
static ssize_t
kv_index(const struct kv_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (l->items[i].name[0] == name[0] &&
		    strcmp(l->items[i].name, name) == 0)
			return (ssize_t)i;
	return -1;
}

const struct sv *
kv_find(const struct kv_list *l, const char *name)
{
	ssize_t i = kv_index(l, name);

	return i >= 0 ? &l->items[i].value : NULL;
}

/* Replace the value of name, or append it. */
static int
kv_set(struct kv_list *l, struct arena *arena, const char *name,
    struct sv value)
{
	ssize_t i = kv_index(l, name);

	if (i < 0)
		return kv_add(l, arena, name, value);
	l->items[i].value = value;
	return 0;
}

/* Split "user:role:domain:level[:category...]" (AppArmor: one part). */
static void
security_label_split(struct sv text, struct security_label *label)
{
	struct sv *parts[] = { &label->user, &label->role, &label->domain,
	    &label->level, &label->category };
	const char *p = text.p, *end = text.p + text.n, *colon;
	size_t i;

	memset(label, 0, sizeof(*label));
	if (text.p == NULL)
		return;
	/* The category keeps any further colons (c0.c1023 has none). */
	for (i = 0; i < 5 && p <= end; i++) {
		colon = i < 4 ? memchr(p, ':', (size_t)(end - p)) : NULL;
		if (colon == NULL)
			colon = end;
		*parts[i] = (struct sv){ p, (size_t)(colon - p) };
		p = colon + 1;
		if (colon == end)
			break;
	}
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
	    id == ID_FSGID;
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

static int
is_absent(const char *raw)
{
	if (raw == NULL)
		return 1;
	switch (raw[0]) {
	case '\0':
		return 1;
	case '(':
		return strcmp(raw, "(null)") == 0;
	case '?':
		return raw[1] == '\0';
	case '"':
		return raw[1] == '"' && raw[2] == '\0';
	default:
		return 0;
	}
}

/* A field name for an id: ends in "uid" or "gid" (old-auid, ouid, ...). */
static int
is_id_key(const char *name)
{
	size_t n = strlen(name);

	return n >= 3 && (strcmp(name + n - 3, "uid") == 0 ||
	    strcmp(name + n - 3, "gid") == 0);
}

/* Success is "yes", "1" or anything starting with "suc"; the rest fails. */
static const char *
result_of(const char *raw)
{
	struct sv v = audit_value_plain(raw);

	if (v.p == NULL)
		return NULL;
	if (sv_eq(v, "yes") || sv_eq(v, "1") ||
	    (v.n >= 3 && strncasecmp(v.p, "suc", 3) == 0))
		return "success";
	return "fail";
}

static void
add_extra_id(struct audit_event *ev, auparse_state_t *au, const char *name,
    const char *raw)
{
	struct extra_id *x;
	int i;

	for (i = 0; i < ev->nextra_ids; i++)
		if (strcmp(ev->extra_ids[i].key, name) == 0)
			break;
	if (i == AUDIT_MAX_EXTRA_IDS)
		return;
	x = &ev->extra_ids[i];
	x->key = name;
	x->id = raw;
	x->name = enriched_name(au, ev->enriched);
	if (i == ev->nextra_ids)
		ev->nextra_ids++;
}

/* The current field: its name, raw value and rule; 0 when it has no value. */
static int
current_field(auparse_state_t *au, const char **name, const char **raw,
    const struct field_rule **rule)
{
	*name = auparse_get_field_name(au);
	*raw = auparse_get_field_str(au);
	if (*name == NULL || *raw == NULL || is_absent(*raw))
		return 0;
	*rule = find_rule(*name);
	return 1;
}

/* A field of the main record: later fields replace earlier ones. */
static int
collect_main_field(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena, int is_syscall, int single_record)
{
	const char *name, *raw;
	const struct field_rule *rule;
	struct sv v;

	if (!current_field(au, &name, &raw, &rule))
		return 0;
	switch (rule != NULL ? rule->slot : S_DATA) {
	case S_SKIP:
		return 0;
	case S_PID:	ev->pid = raw; return 0;
	case S_PPID:	ev->ppid = raw; return 0;
	case S_SES:	ev->ses = raw; return 0;
	case S_RES:
	case S_SUCCESS:	ev->result = result_of(raw); return 0;
	case S_COMM:	ev->comm = audit_value_decode(raw, arena); return 0;
	case S_EXE:	ev->exe = audit_value_decode(raw, arena); return 0;
	case S_CWD:	ev->cwd = audit_value_decode(raw, arena); return 0;
	case S_PROCTITLE:
		ev->proctitle = audit_value_decode(raw, arena);
		return 0;
	case S_SUBJ_LABEL:
		security_label_split(audit_value_plain(raw), &ev->subj);
		return 0;
	case S_KEY:
		ev->key = audit_value_decode(raw, arena);
		return 0;
	case S_ARCH:
		if (!is_syscall)
			break;
		ev->arch_hex = raw;
		ev->arch = arch_name(raw);
		return 0;
	case S_SYSCALL:
		if (!is_syscall)
			break;
		ev->syscall = ev->arch_hex != NULL ?
		    syscall_name(ev->arch_hex, raw) : NULL;
		if (ev->syscall == NULL)
			ev->syscall = raw;
		return 0;
	case S_EXIT:	ev->exit = raw; return 0;
	case S_ID:
		ev->ids.id[rule->id] = raw;
		ev->ids.name[rule->id] = known_name(&ev->ids, rule->id, raw,
		    ev->enriched, au);
		return 0;
	case S_DATA:
		break;
	}
	if (is_id_key(name)) {
		add_extra_id(ev, au, name, raw);
		return 0;
	}
	/* "items" counts the PATH records; in a compound event they speak. */
	if (!single_record && strcmp(name, "items") == 0)
		return 0;
	if ((v = field_value(rule, raw, arena)).p == NULL)
		return 0;
	/*
	 * User-space records repeat names (inside their msg='...'); a
	 * kernel record does not, but a corrupt or made-up line may, and
	 * Elasticsearch refuses a document with a field twice.  The few
	 * fields left for auditd.data make the search cheap.
	 */
	return kv_set(&ev->data, arena, name, v);
}

static void
set_sv_once(struct sv *slot, struct sv value)
{
	if (slot->p == NULL)
		*slot = value;
}

/* A field of another record: only what is not known yet. */
static int
collect_other_field(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena)
{
	const char *name, *raw;
	const struct field_rule *rule;
	struct sv v;

	if (!current_field(au, &name, &raw, &rule))
		return 0;
	switch (rule != NULL ? rule->slot : S_DATA) {
	case S_SKIP:
		return 0;
	case S_CWD:
		set_sv_once(&ev->cwd, audit_value_decode(raw, arena));
		return 0;
	case S_PROCTITLE:
		set_sv_once(&ev->proctitle, audit_value_decode(raw, arena));
		return 0;
	default:
		break;
	}
	if (kv_find(&ev->data, name) != NULL ||
	    (v = field_value(rule, raw, arena)).p == NULL)
		return 0;
	return kv_add(&ev->data, arena, name, v);
}

static int
collect_path(auparse_state_t *au, struct audit_event *ev, struct arena *arena)
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
		if (!current_field(au, &name, &raw, &rule) ||
		    (rule != NULL && rule->slot == S_SKIP))
			continue;
		if (strcmp(name, "obj") == 0) {
			/* Split like Auditbeat: obj_user, obj_role, ... */
			security_label_split(audit_value_plain(raw), &p->obj);
			continue;
		}
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
			p->ouid_name = enriched_name(au, ev->enriched);
			break;
		case P_OGID:
			p->ogid = raw;
			p->ogid_name = enriched_name(au, ev->enriched);
			break;
		case P_NONE:
			break;
		}
		/* A name twice (a corrupt line): the last value, as above. */
		if (kv_set(&p->fields, arena, name, v) == -1)
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

/* SOCKADDR: the address; PROCTITLE: the title. */
static int
collect_single(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena, const char *field)
{
	const char *raw;

	if (auparse_find_field(au, field) == NULL ||
	    (raw = auparse_get_field_str(au)) == NULL)
		return 0;
	if (strcmp(field, "proctitle") == 0)
		set_sv_once(&ev->proctitle, decode_title(raw, arena));
	else if (ev->sock.family == SOCK_FAMILY_NONE &&
	    sockaddr_decode(raw, &ev->sock) == -1 &&
	    kv_find(&ev->data, "saddr") == NULL)
		return kv_add(&ev->data, arena, "saddr", sv_from(raw));
	return 0;
}

static int
collect_fields(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena, int main_record, int single_record)
{
	int is_syscall = auparse_get_type(au) == AUDIT_SYSCALL;

	auparse_first_field(au);
	do {
		if (main_record) {
			if (collect_main_field(au, ev, arena, is_syscall,
			    single_record) == -1)
				return -1;
		} else if (collect_other_field(au, ev, arena) == -1)
			return -1;
	} while (auparse_next_field(au) > 0);
	return 0;
}

static int
collect_record(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena, int main_record, int single_record)
{
	if (main_record && auparse_get_type(au) == AUDIT_SYSCALL)
		ev->has_syscall = 1;
	switch (auparse_get_type(au)) {
	case AUDIT_PATH:
		return collect_path(au, ev, arena);
	case AUDIT_EXECVE:
		return collect_execve(au, ev, arena);
	case AUDIT_PROCTITLE:
		return collect_single(au, ev, arena, "proctitle");
	case AUDIT_SOCKADDR:
		return collect_single(au, ev, arena, "saddr");
	case AUDIT_EOE:
		return 0;
	default:
		return collect_fields(au, ev, arena, main_record, single_record);
	}
}

void
audit_collect_begin(struct audit_event *ev)
{
	memset(ev, 0, offsetof(struct audit_event, paths));
	/* The caller sets ev->enriched after this. */
	execve_args_init(&ev->args);
}

/* Index of this event's main record, or -1 if an earlier part had it. */
static int
find_main_record(auparse_state_t *au, const struct audit_event *ev,
    unsigned int nrecords)
{
	unsigned int i;

	for (i = 0; i < nrecords; i++)
		if (auparse_goto_record_num(au, i) > 0 &&
		    auparse_get_type(au) == AUDIT_SYSCALL)
			return (int)i;
	return ev->main_seen ? -1 : 0;
}

static void
set_head(auparse_state_t *au, struct audit_event *ev, struct arena *arena,
    const au_event_t *ts)
{
	char *name;

	ev->sec = (unsigned long)ts->sec;
	ev->msec = ts->milli;
	ev->serial = ts->serial;
	ev->type = auparse_get_type(au);
	ev->type_name = auparse_get_type_name(au);
	if (ev->type_name == NULL &&
	    (name = arena_alloc(arena, 32)) != NULL) {
		/* A type this libaudit does not know: keep its number. */
		snprintf(name, 32, "UNKNOWN[%d]", ev->type);
		ev->type_name = name;
	}
}

int
audit_collect_records(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena)
{
	const au_event_t *ts;
	unsigned int i, n;
	int main_index, single;

	if ((ts = auparse_get_timestamp(au)) == NULL ||
	    auparse_first_record(au) <= 0)
		return -1;
	if (ev->type_name == NULL)
		set_head(au, ev, arena, ts);
	n = auparse_get_num_records(au);
	single = ev->nrecords == 0 && n == 1;
	ev->nrecords += n;
	main_index = find_main_record(au, ev, n);
	if (main_index >= 0) {
		auparse_goto_record_num(au, (unsigned int)main_index);
		if (collect_record(au, ev, arena, 1, single) == -1)
			return -1;
		ev->main_seen = 1;
	}
	for (i = 0; i < n; i++) {
		if ((int)i == main_index || auparse_goto_record_num(au, i) <= 0)
			continue;
		if (collect_record(au, ev, arena, 0, single) == -1)
			return -1;
	}
	execve_args_finish(&ev->args);
	return 0;
}

int
audit_collect_originals(auparse_state_t *au, struct audit_event *ev,
    struct arena *arena)
{
	const char *text;

	if (auparse_first_record(au) <= 0)
		return 0;
	do {
		if ((text = auparse_get_record_text(au)) != NULL &&
		    kv_add(&ev->records, arena, "", sv_from(text)) == -1)
			return -1;
	} while (auparse_next_record(au) > 0);
	return 0;
}

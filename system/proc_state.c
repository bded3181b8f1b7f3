/*
 * Keeping the process dataset's state; see proc_state.h.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../common/atomic_file.h"
#include "../common/errbuf.h"
#include "../common/json_writer.h"
#include "proc_state.h"
#include "sys_file.h"
#include "sys_json.h"

#define STATE_FILE_MAX	(512u * 1024 * 1024)

#define ID(key, member) { key, offsetof(struct sys_process, member) }
static const struct {
	const char	*key;
	size_t		 offset;
} ids[] = {
	ID("uid", uid), ID("euid", euid), ID("suid", suid),
	ID("gid", gid), ID("egid", egid), ID("sgid", sgid),
};
#define NIDS	(sizeof(ids) / sizeof(ids[0]))

static long *
id_of(struct sys_process *p, size_t i)
{
	return (long *)(void *)((char *)p + ids[i].offset);
}

int
proc_state_save(const char *path, const struct proc_table *t,
    time_t state_sent, char *err, size_t errlen)
{
	struct jw w;
	size_t i, j;
	int rc = 0;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_int(&w, "version", PROC_STATE_VERSION);
	jw_int(&w, "state_sent", (long long)state_sent);
	jw_array_open(&w, "processes");
	for (i = 0; i < t->n; i++) {
		struct sys_process *p = &t->procs[i];

		jw_object_open(&w, NULL);
		jw_int(&w, "pid", p->pid);
		jw_int(&w, "ppid", p->ppid);
		jw_uint(&w, "start_ticks", p->start_ticks);
		jw_int(&w, "start_ms", p->start_ms);
		sys_json_write_str(&w, "name", p->name);
		sys_json_write_str(&w, "exe", p->exe);
		sys_json_write_str(&w, "cwd", p->cwd);
		jw_array_open(&w, "args");
		for (j = 0; j < p->args.count; j++)
			sys_json_write_str(&w, NULL, p->args.items[j]);
		jw_array_close(&w);
		for (j = 0; j < NIDS; j++)
			jw_int(&w, ids[j].key, *id_of(p, j));
		jw_object_close(&w);
	}
	jw_array_close(&w);
	jw_object_close(&w);
	jw_append(&w, "\n", 1);
	if (jw_failed(&w)) {
		seterr(err, errlen, "%s: out of memory", path);
		rc = -1;
	} else if (atomic_replace(path, jw_data(&w), jw_len(&w), 0600) == -1) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	jw_release(&w);
	return rc;
}

static int
get_str(json_object *o, const char *key, char **out, const char **why)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		*why = "missing";
		return -1;
	}
	return sys_json_read_str(v, out, why);
}

static int
load_process(json_object *o, struct sys_process *p, size_t index,
    char *err, size_t errlen)
{
	json_object *args;
	const char *why = "missing or out of range", *key;
	long long v;
	size_t i, n;
	char *arg;

	if (!json_object_is_type(o, json_type_object)) {
		seterr(err, errlen, "processes[%zu]: not an object", index);
		return -1;
	}
	if (sys_json_get_int(o, key = "pid", 1, INT_MAX, &v) == -1)
		goto bad;
	p->pid = (long)v;
	if (sys_json_get_int(o, key = "ppid", 0, INT_MAX, &v) == -1)
		goto bad;
	p->ppid = (long)v;
	if (sys_json_get_int(o, key = "start_ticks", 0, LLONG_MAX, &v) == -1)
		goto bad;
	p->start_ticks = (unsigned long long)v;
	if (sys_json_get_int(o, key = "start_ms", 0, LLONG_MAX, &p->start_ms) == -1)
		goto bad;
	for (i = 0; i < NIDS; i++) {
		if (sys_json_get_int(o, key = ids[i].key, -1, 4294967295LL, &v) == -1)
			goto bad;
		*id_of(p, i) = (long)v;
	}
	if (get_str(o, key = "name", &p->name, &why) == -1 ||
	    get_str(o, key = "exe", &p->exe, &why) == -1 ||
	    get_str(o, key = "cwd", &p->cwd, &why) == -1)
		goto bad;
	key = "args";
	if (!json_object_object_get_ex(o, "args", &args) ||
	    !json_object_is_type(args, json_type_array)) {
		why = "missing or not an array";
		goto bad;
	}
	n = json_object_array_length(args);
	for (i = 0; i < n; i++) {
		if (sys_json_read_str(json_object_array_get_idx(args, i), &arg,
		    &why) == -1)
			goto bad;
		if (string_list_add(&p->args, arg) == -1) {
			free(arg);
			why = "out of memory";
			goto bad;
		}
		free(arg);
	}
	return 0;
bad:
	seterr(err, errlen, "processes[%zu].%s: %s", index, key, why);
	return -1;
}

static int
load_root(json_object *root, struct proc_table *t, time_t *state_sent,
    char *err, size_t errlen)
{
	json_object *arr;
	struct sys_process *p;
	size_t i, count;

	if (sys_json_state_header(root, PROC_STATE_VERSION, "processes", state_sent, &arr, err,
	    errlen) == -1)
		return -1;
	count = json_object_array_length(arr);
	for (i = 0; i < count; i++) {
		if ((p = proc_table_add(t)) == NULL) {
			seterr(err, errlen, "processes: out of memory, or "
			    "more than %u", PROC_MAX);
			return -1;
		}
		if (load_process(json_object_array_get_idx(arr, i), p, i, err,
		    errlen) == -1)
			return -1;
	}
	proc_table_sort(t);
	return 0;
}

int
proc_state_parse(const char *text, size_t len, struct proc_table *t,
    time_t *state_sent, char *err, size_t errlen)
{
	json_object *root;
	int rc;

	memset(t, 0, sizeof(*t));
	*state_sent = 0;
	if ((root = sys_json_parse(text, len, err, errlen)) == NULL)
		return -1;
	rc = load_root(root, t, state_sent, err, errlen);
	json_object_put(root);
	if (rc == -1)
		proc_table_free(t);
	return rc;
}

int
proc_state_load(const char *path, struct proc_table *t, time_t *state_sent,
    char *err, size_t errlen)
{
	char *text, inner[256];
	size_t len;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = sys_read_file(path, STATE_FILE_MAX, &text, &len, err,
	    errlen)) != 0)
		return rc;
	rc = proc_state_parse(text, len, t, state_sent, inner, sizeof(inner));
	if (rc == -1)
		seterr(err, errlen, "%s: %s", path, inner);
	free(text);
	return rc;
}

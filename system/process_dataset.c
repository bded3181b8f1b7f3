/*
 * The process dataset: the processes /proc shows every system.period,
 * compared with the last look (kept in STATE_DIR/process.json) and
 * written as Auditbeat's system.process documents.
 *
 * A process is its pid and its start time (in clock ticks since boot):
 * a pid used again is a new process.  What ran when the plugin stopped and
 * is gone at the next start is "process_stopped", what is new
 * "process_started".  Processes that start and end between two looks are
 * not seen (the audit stream has them, when rules ask for execve).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/idcache.h"
#include "../common/log.h"
#include "../common/timefmt.h"
#include "host_probe.h"
#include "proc_scan.h"
#include "proc_state.h"
#include "sys_dataset.h"
#include "sys_file.h"

struct process_dataset {
	char		 state_path[4096];
	long		 state_period_s;
	struct proc_table last;
	int		 have_last;
	time_t		 state_sent;
	struct idcache	 ids;
	struct ratelimit rl;
};

enum proc_action { ACT_EXISTING, ACT_STARTED, ACT_STOPPED };

static const struct {
	const char	*action;
	const char	*type;
	const char	*verb;
} actions[] = {
	[ACT_EXISTING] = { "existing_process", "info", "RUNNING" },
	[ACT_STARTED] = { "process_started", "start", "STARTED" },
	[ACT_STOPPED] = { "process_stopped", "end", "STOPPED" },
};

static void
write_id(struct jw *w, const char *key, long id)
{
	char text[24];

	if (id < 0)
		return;
	snprintf(text, sizeof(text), "%ld", id);
	jw_cstring(w, key, text);
}

static void
write_user(struct process_dataset *ds, struct jw *w,
    const struct sys_process *p)
{
	const char *name;

	if (p->uid < 0)
		return;
	jw_object_open(w, "user");
	write_id(w, "id", p->uid);
	if ((name = idcache_user(&ds->ids, (unsigned long)p->uid)) != NULL)
		jw_cstring(w, "name", name);
	jw_object_open(w, "group");
	write_id(w, "id", p->gid);
	if (p->gid >= 0 &&
	    (name = idcache_group(&ds->ids, (unsigned long)p->gid)) != NULL)
		jw_cstring(w, "name", name);
	jw_object_close(w);
	jw_object_open(w, "effective");
	write_id(w, "id", p->euid);
	jw_object_open(w, "group");
	write_id(w, "id", p->egid);
	jw_object_close(w);
	jw_object_close(w);
	jw_object_open(w, "saved");
	write_id(w, "id", p->suid);
	jw_object_open(w, "group");
	write_id(w, "id", p->sgid);
	jw_object_close(w);
	jw_object_close(w);
	jw_object_close(w);
}

static void
write_process_doc(struct process_dataset *ds, struct sys_doc_writer *dw,
    const struct sys_process *p, enum proc_action act)
{
	const char *const types[] = { actions[act].type, NULL };
	char what[64], msg[512], start[ISO8601_MAX], pid[24], ms[24], eid[17];
	struct sys_event ev = { "process",
	    act == ACT_EXISTING ? "state" : "event", actions[act].action,
	    "process", types, what, 0, NULL, NULL };
	struct jw *w = sys_doc_jw(dw);
	const char *user = NULL;
	size_t i;

	snprintf(pid, sizeof(pid), "%ld", p->pid);
	snprintf(ms, sizeof(ms), "%lld", p->start_ms);
	snprintf(what, sizeof(what), "%s:%s", pid, ms);
	if (p->uid >= 0)
		user = idcache_user(&ds->ids, (unsigned long)p->uid);
	if (user != NULL)
		snprintf(msg, sizeof(msg), "Process %.64s (PID: %ld) by user "
		    "%.64s is %s", p->name, p->pid, user, actions[act].verb);
	else
		snprintf(msg, sizeof(msg), "Process %.64s (PID: %ld) by user "
		    "%ld is %s", p->name, p->pid, p->uid, actions[act].verb);
	sys_doc_begin(dw, &ev, msg);
	jw_object_open(w, "process");
	if (dw->host.id[0] != '\0') {
		sys_entity_id(dw->host.id, pid, ms, eid);
		if (eid[0] != '\0')
			jw_cstring(w, "entity_id", eid);
	}
	jw_int(w, "pid", p->pid);
	jw_object_open(w, "parent");
	jw_int(w, "pid", p->ppid);
	jw_object_close(w);
	jw_cstring(w, "name", p->name);
	if (p->exe[0] != '\0')
		jw_cstring(w, "executable", p->exe);
	if (p->args.count > 0) {
		jw_array_open(w, "args");
		for (i = 0; i < p->args.count; i++)
			jw_cstring(w, NULL, p->args.items[i]);
		jw_array_close(w);
	}
	if (iso8601_format(start, sizeof(start), (time_t)(p->start_ms / 1000),
	    (long)(p->start_ms % 1000) * 1000000L, 3) > 0)
		jw_cstring(w, "start", start);
	if (p->cwd[0] != '\0')
		jw_cstring(w, "working_directory", p->cwd);
	jw_object_close(w);
	write_user(ds, w, p);
	if (user != NULL) {
		jw_object_open(w, "related");
		jw_array_open(w, "user");
		jw_cstring(w, NULL, user);
		jw_array_close(w);
		jw_object_close(w);
	}
	if (sys_doc_end(dw) == -1)
		log_ratelimited(&ds->rl, "process %ld: document too large, "
		    "dropped", p->pid);
}

static size_t
report_changes(struct process_dataset *ds, struct sys_doc_writer *dw,
    const struct proc_table *old, const struct proc_table *cur)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < old->n || j < cur->n) {
		c = i == old->n ? 1 : j == cur->n ? -1 :
		    proc_key_cmp(&old->procs[i], &cur->procs[j]);
		if (c < 0) {
			write_process_doc(ds, dw, &old->procs[i++],
			    ACT_STOPPED);
			n++;
		} else if (c > 0) {
			write_process_doc(ds, dw, &cur->procs[j++],
			    ACT_STARTED);
			n++;
		} else {
			i++;
			j++;
		}
	}
	return n;
}

static long long
boot_time(void)
{
	char *text, err[128];
	size_t len;
	long long b = 0;

	if (sys_read_file("/proc/stat", 1u << 20, &text, &len, err,
	    sizeof(err)) == 0) {
		if ((b = host_parse_btime(text)) < 0)
			b = 0;
		free(text);
	}
	return b;
}

static void
process_look(void *arg, struct sys_doc_writer *dw, time_t now)
{
	struct process_dataset *ds = arg;
	struct proc_table cur;
	char err[512];
	size_t i, changes = 0;
	int state_due;

	if (proc_table_read("/proc", boot_time(), &cur) == -1) {
		log_ratelimited(&ds->rl, "process dataset: cannot read /proc "
		    "(or out of memory)");
		return;
	}
	state_due = !ds->have_last || now < ds->state_sent ||
	    now - ds->state_sent >= ds->state_period_s;
	if (ds->have_last)
		changes = report_changes(ds, dw, &ds->last, &cur);
	if (state_due) {
		for (i = 0; i < cur.n; i++)
			write_process_doc(ds, dw, &cur.procs[i], ACT_EXISTING);
		ds->state_sent = now;
	}
	sys_doc_flush(dw);
	if ((changes > 0 || state_due) && proc_state_save(ds->state_path,
	    &cur, ds->state_sent, err, sizeof(err)) == -1)
		log_ratelimited(&ds->rl, "process dataset: state not kept: %s",
		    err);
	proc_table_free(&ds->last);
	ds->last = cur;
	ds->have_last = 1;
}

static void *
process_open(const struct system_config *cfg, const char *state_dir)
{
	struct process_dataset *ds;
	char err[512];
	int rc;

	if ((ds = calloc(1, sizeof(*ds))) == NULL) {
		log_warnx("process dataset: out of memory");
		return NULL;
	}
	ds->rl = (struct ratelimit)RATELIMIT_INIT(300, 5);
	idcache_init(&ds->ids);
	ds->state_period_s = cfg->state_period_ms / 1000;
	if ((size_t)snprintf(ds->state_path, sizeof(ds->state_path),
	    "%s/process.json", state_dir) >= sizeof(ds->state_path)) {
		log_warnx("process dataset: %s: path too long", state_dir);
		free(ds);
		return NULL;
	}
	rc = proc_state_load(ds->state_path, &ds->last, &ds->state_sent, err,
	    sizeof(err));
	if (rc == -1)
		log_warnx("process dataset: kept state not used, the full "
		    "state is sent again: %s", err);
	ds->have_last = rc == 0;
	return ds;
}

static void
process_close(void *arg)
{
	struct process_dataset *ds = arg;

	if (ds == NULL)
		return;
	proc_table_free(&ds->last);
	free(ds);
}

const struct sys_dataset_ops process_dataset_ops = {
	SYS_DATASET_PROCESS, process_open, process_look, process_close,
};

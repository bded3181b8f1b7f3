/*
 * Reading /proc; see proc_scan.h.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/procfs.h"
#include "proc_scan.h"

#define PF_KTHREAD	0x00200000UL	/* include/linux/sched.h */

int
proc_parse_stat(const char *text, struct proc_stat *st)
{
	const char *open, *close, *p;
	unsigned long long v;
	size_t n;
	int field;
	char *end;

	memset(st, 0, sizeof(*st));
	/* comm may hold ") (": the last ")" ends it. */
	if ((open = strchr(text, '(')) == NULL ||
	    (close = strrchr(text, ')')) == NULL || close < open)
		return -1;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	/* Fields from 3 (state) on, after ") ". */
	p = close + 1;
	for (field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return -1;
		if (field == 4 || field == 9 || field == 22) {
			errno = 0;
			v = strtoull(p, &end, 10);
			if (errno != 0 || end == p || (*end != ' ' &&
			    *end != '\0' && *end != '\n'))
				return -1;
			if (field == 4) {
				if (v > INT_MAX)
					return -1;
				st->ppid = (long)v;
			} else if (field == 9)
				st->flags = (unsigned long)v;
			else
				st->start_ticks = v;
		}
		while (*p != ' ' && *p != '\0')
			p++;
	}
	return 0;
}

/* "Uid:\t0\t0\t0\t0" into three ids; -1 when not four numbers. */
static int
parse_id_line(const char *text, const char *key, long out[3])
{
	const char *p = text;
	size_t klen = strlen(key);
	char *end;
	long long v;
	int i;

	while (p != NULL && strncmp(p, key, klen) != 0) {
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	if (p == NULL)
		return -1;
	p += klen;
	for (i = 0; i < 4; i++) {
		errno = 0;
		v = strtoll(p, &end, 10);
		if (errno != 0 || end == p || v < 0 || v > 4294967295LL)
			return -1;
		if (i < 3)
			out[i] = (long)v;
		p = end;
	}
	return 0;
}

int
proc_parse_ids(const char *text, long uid[3], long gid[3])
{
	return parse_id_line(text, "Uid:", uid) == -1 ||
	    parse_id_line(text, "Gid:", gid) == -1 ? -1 : 0;
}

int
proc_parse_cmdline(const char *buf, size_t len, struct string_list *l)
{
	size_t start = 0, i;
	char *arg;

	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\0')
			continue;
		/* The last argument may lack its NUL (cut, or rewritten). */
		if (i == len && i == start)
			break;
		if ((arg = strndup(buf + start, i - start)) == NULL)
			return -1;
		if (string_list_add(l, arg) == -1) {
			free(arg);
			return -1;
		}
		free(arg);
		start = i + 1;
	}
	return 0;
}

struct sys_process *
proc_table_add(struct proc_table *t)
{
	struct sys_process *p;
	size_t want;

	if (t->n == t->cap) {
		if (t->cap >= PROC_MAX)
			return NULL;
		want = t->cap ? t->cap * 2 : 256;
		if ((p = realloc(t->procs, want * sizeof(*p))) == NULL)
			return NULL;
		t->procs = p;
		t->cap = want;
	}
	p = &t->procs[t->n++];
	memset(p, 0, sizeof(*p));
	p->uid = p->euid = p->suid = p->gid = p->egid = p->sgid = -1;
	return p;
}

static void
proc_clear(struct sys_process *p)
{
	free(p->name);
	free(p->exe);
	free(p->cwd);
	string_list_free(&p->args);
	memset(p, 0, sizeof(*p));
}

void
proc_table_free(struct proc_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		proc_clear(&t->procs[i]);
	free(t->procs);
	memset(t, 0, sizeof(*t));
}

int
proc_key_cmp(const struct sys_process *a, const struct sys_process *b)
{
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->start_ticks != b->start_ticks)
		return a->start_ticks < b->start_ticks ? -1 : 1;
	return 0;
}

static int
qsort_cmp(const void *a, const void *b)
{
	return proc_key_cmp(a, b);
}

void
proc_table_sort(struct proc_table *t)
{
	size_t i, n;

	if (t->n < 2)
		return;
	qsort(t->procs, t->n, sizeof(*t->procs), qsort_cmp);
	for (i = 1, n = 1; i < t->n; i++) {
		if (proc_key_cmp(&t->procs[i], &t->procs[n - 1]) == 0)
			proc_clear(&t->procs[i]);
		else
			t->procs[n++] = t->procs[i];
	}
	t->n = n;
}

/* A symbolic link of /proc/PID, or "" when it cannot be read. */
static char *
read_link(const char *root, long pid, const char *what)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if ((size_t)snprintf(path, sizeof(path), "%s/%ld/%s", root, pid,
	    what) >= sizeof(path) ||
	    (n = readlink(path, target, sizeof(target) - 1)) < 0)
		n = 0;
	target[n] = '\0';
	return strdup(target);
}

/* One process; 1 when it is gone or a kernel thread, -1 out of memory. */
static int
read_process(const char *root, long pid, long long boot_s, long hz,
    struct sys_process *p)
{
	static char buf[PROC_ARGS_MAX];	/* the system thread's alone */
	struct proc_stat st;
	long uid[3], gid[3];
	ssize_t n;

	if (procfs_read(root, pid, "stat", buf, sizeof(buf)) < 0 ||
	    proc_parse_stat(buf, &st) == -1 || (st.flags & PF_KTHREAD))
		return 1;
	p->pid = pid;
	p->ppid = st.ppid;
	p->start_ticks = st.start_ticks;
	p->start_ms = boot_s * 1000 +
	    (long long)(st.start_ticks * 1000 / (unsigned long long)hz);
	if (procfs_read(root, pid, "status", buf, sizeof(buf)) >= 0 &&
	    proc_parse_ids(buf, uid, gid) == 0) {
		p->uid = uid[0];
		p->euid = uid[1];
		p->suid = uid[2];
		p->gid = gid[0];
		p->egid = gid[1];
		p->sgid = gid[2];
	}
	if ((n = procfs_read(root, pid, "cmdline", buf, sizeof(buf))) < 0)
		n = 0;
	if ((p->name = strdup(st.comm)) == NULL ||
	    (p->exe = read_link(root, pid, "exe")) == NULL ||
	    (p->cwd = read_link(root, pid, "cwd")) == NULL ||
	    proc_parse_cmdline(buf, (size_t)n, &p->args) == -1)
		return -1;
	return 0;
}

int
proc_table_read(const char *root, long long boot_s, struct proc_table *t)
{
	struct dirent *de;
	struct sys_process *p;
	long hz = sysconf(_SC_CLK_TCK), pid;
	char *end;
	DIR *d;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (hz <= 0)
		hz = 100;
	if ((d = opendir(root)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &end, 10);
		if (end == de->d_name || *end != '\0' || pid <= 0)
			continue;
		if ((p = proc_table_add(t)) == NULL) {
			rc = -1;
			break;
		}
		switch (read_process(root, pid, boot_s, hz, p)) {
		case 1:
			proc_clear(p);
			t->n--;
			break;
		case -1:
			proc_clear(p);
			t->n--;
			rc = -1;
			break;
		}
		if (rc == -1)
			break;
	}
	closedir(d);
	if (rc == -1)
		proc_table_free(t);
	else
		proc_table_sort(t);
	return rc;
}

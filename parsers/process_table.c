/* What we know about processes; see process_table.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "process_table.h"
#include "../common/procfs.h"

static const char real_proc[] = "/proc";

void
process_table_init(struct process_table *t, int use_proc)
{
	memset(t, 0, sizeof(*t));
	t->use_proc = use_proc;
	t->proc_root = real_proc;
}

/*
 * Most processes an exec event names have exited by the time it is read:
 * kill(2) says so for a fraction of a failed open of /proc/<pid>/... (which
 * walks the path and leaves a negative dentry).  Only the real /proc can be
 * asked this way.
 */
static int
surely_gone(const struct process_table *t, long pid)
{
	return t->proc_root == real_proc && kill((pid_t)pid, 0) == -1 &&
	    errno == ESRCH;
}

static void
clear_slot(struct process_info *p)
{
	free(p->mem);
	memset(p, 0, sizeof(*p));
}

void
process_table_release(struct process_table *t)
{
	size_t i;

	for (i = 0; i < PROCESS_TABLE_SLOTS; i++)
		clear_slot(&t->slots[i]);
}

static struct process_info *
slot_of(struct process_table *t, long pid)
{
	return &t->slots[(unsigned long)pid % PROCESS_TABLE_SLOTS];
}

/* Arguments as NUL-separated strings at out, cut at PROCESS_ARGS_MAX bytes. */
static size_t
store_args(struct process_info *p, char *out, const struct sv args[],
    size_t nargs)
{
	size_t i, n;

	for (i = 0; i < nargs; i++) {
		n = args[i].n;
		if (p->args_len + n + 1 > PROCESS_ARGS_MAX) {
			p->args_cut = 1;
			break;
		}
		if (n > 0)
			memcpy(out + p->args_len, args[i].p, n);
		out[p->args_len + n] = '\0';
		p->args_len += n + 1;
		p->nargs++;
	}
	return p->args_len;
}

static size_t
args_room(const struct sv args[], size_t nargs)
{
	size_t i, total = 0;

	for (i = 0; i < nargs; i++)
		total += args[i].n + 1;
	return total > PROCESS_ARGS_MAX ? PROCESS_ARGS_MAX : total;
}

/* One allocation per exec: exe, then name, then the arguments. */
void
process_table_exec(struct process_table *t, long pid, struct sv exe,
    struct sv name, const struct sv args[], size_t nargs)
{
	struct process_info *p = slot_of(t, pid);
	size_t exe_n = exe.p != NULL ? exe.n : 0;
	size_t name_n = name.p != NULL ? name.n : 0;
	char *block;

	if (pid <= 0)
		return;
	clear_slot(p);
	p->pid = pid;
	if ((block = malloc(exe_n + 1 + name_n + 1 +
	    args_room(args, nargs))) == NULL)
		return;
	memcpy(block, exe.p != NULL ? exe.p : "", exe_n);
	block[exe_n] = '\0';
	memcpy(block + exe_n + 1, name.p != NULL ? name.p : "", name_n);
	block[exe_n + 1 + name_n] = '\0';
	p->mem = block;
	if (exe.p != NULL)
		p->exe = block;
	if (name.p != NULL)
		p->name = block + exe_n + 1;
	p->args = block + exe_n + 1 + name_n + 1;
	if (store_args(p, p->args, args, nargs) == 0)
		p->args = NULL;
}

/* Fill a slot for pid from /proc; 0 on success. */
static int
load_from_proc(struct process_table *t, long pid)
{
	char exe[PATH_MAX], comm[64], cmdline[PROCESS_ARGS_MAX];
	char path[PATH_MAX];
	struct sv args[PROCESS_ARGS_MAX / 2];
	size_t nargs = 0, i;
	ssize_t n, elen;

	t->proc_reads++;
	if (surely_gone(t, pid) ||
	    snprintf(path, sizeof(path), "%s/%ld/exe", t->proc_root, pid) >=
	    (int)sizeof(path) ||
	    (elen = readlink(path, exe, sizeof(exe) - 1)) < 0)
		return -1;
	exe[elen] = '\0';
	if (procfs_read(t->proc_root, pid, "comm", comm, sizeof(comm)) < 0)
		comm[0] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	if ((n = procfs_read(t->proc_root, pid, "cmdline", cmdline,
	    sizeof(cmdline))) < 0)
		n = 0;
	/* cmdline is the arguments, each ended by a NUL. */
	for (i = 0; i < (size_t)n; i += args[nargs++].n + 1)
		args[nargs] = (struct sv){ cmdline + i,
		    strnlen(cmdline + i, (size_t)n - i) };
	process_table_exec(t, pid, (struct sv){ exe, (size_t)elen },
	    sv_from(comm), args, nargs);
	return 0;
}

static long
coarse_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* pid is not in /proc (any more): say so in its slot for a while. */
static void
mark_gone(struct process_table *t, long pid)
{
	struct process_info *p = slot_of(t, pid);

	clear_slot(p);
	p->pid = pid;
	p->gone_at = coarse_ms();
	if (p->gone_at == 0)
		p->gone_at = 1;
}

const struct process_info *
process_table_get(struct process_table *t, long pid)
{
	struct process_info *p = slot_of(t, pid);

	if (pid <= 0)
		return NULL;
	if (p->pid == pid && p->gone_at == 0)
		return p;
	if (!t->use_proc)
		return NULL;
	if (p->pid == pid && coarse_ms() - p->gone_at < PROCESS_GONE_MS)
		return NULL;
	if (load_from_proc(t, pid) == -1) {
		mark_gone(t, pid);
		return NULL;
	}
	return p->pid == pid ? p : NULL;
}

static int
is_hex64(const char *s)
{
	int i;

	for (i = 0; i < CONTAINER_ID_LEN; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return !isxdigit((unsigned char)s[CONTAINER_ID_LEN]);
}

/*
 * Docker (/docker/<id>, docker-<id>.scope), containerd
 * (cri-containerd-<id>.scope), CRI-O (crio-<id>.scope), podman
 * (libpod-<id>.scope) and Kubernetes (/kubepods/.../<id>) all name the
 * container by 64 hex digits after a '/' or a '-' in the cgroup path: the
 * last such run in the line is the id.
 */
int
container_id_from_cgroup(const char *line, char out[CONTAINER_ID_LEN + 1])
{
	const char *p, *found = NULL;

	for (p = line; *p != '\0' && *p != '\n'; p++)
		if ((*p == '/' || *p == '-') && is_hex64(p + 1))
			found = p + 1;
	if (found == NULL)
		return 0;
	memcpy(out, found, CONTAINER_ID_LEN);
	out[CONTAINER_ID_LEN] = '\0';
	return 1;
}

/* The id in the first line of a cgroup file that has one; 0 if none. */
static int
container_of_cgroup_file(char *cgroup, char out[CONTAINER_ID_LEN + 1])
{
	char *line, *next;

	for (line = cgroup; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (container_id_from_cgroup(line, out))
			return 1;
	}
	return 0;
}

const char *
process_table_container(struct process_table *t, long pid, int at_exec)
{
	struct process_info *p;
	char cgroup[4096];
	long now;

	if (!t->use_proc || pid <= 0 ||
	    (p = (struct process_info *)process_table_get(t, pid)) == NULL)
		return NULL;
	if (p->container_id[0] != '\0')
		return p->container_id;
	now = coarse_ms();
	if (p->no_container_at != 0 &&
	    now - p->no_container_at < CONTAINER_RECHECK_MS)
		return NULL;
	t->proc_reads++;
	if (!surely_gone(t, pid) &&
	    procfs_read(t->proc_root, pid, "cgroup", cgroup,
	    sizeof(cgroup)) > 0 &&
	    container_of_cgroup_file(cgroup, p->container_id))
		return p->container_id;
	p->container_id[0] = '\0';
	p->no_container_at = at_exec ? 0 : (now != 0 ? now : 1);
	return NULL;
}

/*
 * What we know about processes: for process.parent.* and container.id.
 *
 * Every successful execve we see records pid -> executable, name and
 * arguments, so a later event of a child can name its parent.  The table is
 * direct-mapped by pid (PROCESS_TABLE_SLOTS entries, arguments cut at
 * PROCESS_ARGS_MAX bytes): bounded memory and O(1), a newer process simply
 * takes the slot of an older one.  For live input, a parent the table does
 * not know is read from /proc/<ppid> (and then kept).  A process /proc no
 * longer has is remembered as gone for PROCESS_GONE_MS, so the events of a
 * short-lived process cost one failed look-up, not one each; the bound
 * keeps a reused pid from being taken for the dead process for long.
 *
 * The container a process runs in comes from /proc/<pid>/cgroup.  A
 * container id found is kept (a process does not leave its container); "no
 * container" is kept for CONTAINER_RECHECK_MS only, and not at all when read
 * at the process's exec: a process may still be joining its cgroup then
 * (runc's init, systemd-run, a shell writing cgroup.procs).
 * Owned by the parser thread.
 */
#ifndef AUDISP_ECS_PROCESS_TABLE_H
#define AUDISP_ECS_PROCESS_TABLE_H

#include <stddef.h>

#include "audit_value.h"

#define PROCESS_TABLE_SLOTS	4096
#define PROCESS_ARGS_MAX	4096
#define CONTAINER_ID_LEN	64
#define PROCESS_GONE_MS		1000
#define CONTAINER_RECHECK_MS	1000

struct process_info {
	long	 pid;		/* 0: empty slot */
	char	*mem;		/* exe, name, args: one allocation */
	char	*exe;
	char	*name;
	char	*args;		/* NUL-separated */
	size_t	 args_len;
	int	 nargs;
	int	 args_cut;	/* some arguments did not fit */
	long	 no_container_at;	/* monotonic ms it had none; 0 */
	char	 container_id[CONTAINER_ID_LEN + 1];
	long	 gone_at;	/* monotonic ms /proc lost it; 0: not gone */
};

struct process_table {
	struct process_info slots[PROCESS_TABLE_SLOTS];
	int	 use_proc;	/* may read /proc (live input) */
	const char *proc_root;	/* "/proc", or a test directory */
	unsigned long proc_reads;	/* look-ups in /proc, for the tests */
};

void	process_table_init(struct process_table *, int use_proc);
void	process_table_release(struct process_table *);
/* An exec: pid now runs exe with args[0..nargs). */
void	process_table_exec(struct process_table *, long pid, struct sv exe,
	    struct sv name, const struct sv args[], size_t nargs);
/* What is known of pid, from the table or /proc; NULL if nothing. */
const struct process_info *process_table_get(struct process_table *,
	    long pid);
/*
 * The container pid runs in, from /proc/<pid>/cgroup; NULL if none.
 * at_exec: the event is pid's exec (an answer of none is not kept).
 */
const char *process_table_container(struct process_table *, long pid,
	    int at_exec);
/* The 64-hex container id in one /proc/<pid>/cgroup line; 0 if none. */
int	container_id_from_cgroup(const char *line, char out[CONTAINER_ID_LEN + 1]);

#endif

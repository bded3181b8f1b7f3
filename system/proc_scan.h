/*
 * The processes of the machine at one look, from /proc: what the process
 * dataset compares and reports.  Kernel threads are left out (they have
 * no executable and cannot be told apart by what they run).  Each
 * /proc/PID file is read as hostile input: a process may write what it
 * likes into its command line and name.
 */
#ifndef AUDISP_ECS_PROC_SCAN_H
#define AUDISP_ECS_PROC_SCAN_H

#include <stddef.h>

#include "../common/string_list.h"

#define PROC_MAX	(1u << 20)	/* processes in one look at most */
#define PROC_ARGS_MAX	(64u * 1024)	/* bytes of arguments kept */

struct sys_process {
	long		 pid, ppid;
	unsigned long long start_ticks;	/* since boot: with pid, the key */
	long long	 start_ms;	/* since 1970 */
	char		*name;		/* comm */
	char		*exe;		/* "" unreadable */
	char		*cwd;
	struct string_list args;
	long		 uid, euid, suid, gid, egid, sgid; /* -1 unknown */
};

struct proc_table {
	struct sys_process *procs;	/* sorted by pid, then start */
	size_t		 n, cap;
};

/* The fields of /proc/PID/stat that matter; 0, or -1 when malformed. */
struct proc_stat {
	char		 comm[64];
	long		 ppid;
	unsigned long	 flags;
	unsigned long long start_ticks;
};
int	proc_parse_stat(const char *text, struct proc_stat *);
/* "Uid:" and "Gid:" lines of /proc/PID/status; -1 when either is bad. */
int	proc_parse_ids(const char *text, long uid[3], long gid[3]);
/* NUL-separated arguments (len bytes) into l; -1 when out of memory. */
int	proc_parse_cmdline(const char *buf, size_t len, struct string_list *l);

/*
 * Reads ROOT ("/proc") into t (empty before); boot_s is the boot time, for
 * start_ms.  0, or -1 when ROOT cannot be read or memory runs out.
 */
int	proc_table_read(const char *root, long long boot_s,
	    struct proc_table *t);
/* Appends a zeroed entry; NULL when out of memory or PROC_MAX. */
struct sys_process *proc_table_add(struct proc_table *);
void	proc_table_sort(struct proc_table *);
void	proc_table_free(struct proc_table *);
/* Order of (pid, start_ticks): the same process when 0. */
int	proc_key_cmp(const struct sys_process *, const struct sys_process *);

#endif

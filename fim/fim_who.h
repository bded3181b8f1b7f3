/*
 * Who made a change to a file, as far as anything tells: fanotify's pid
 * (with what /proc said about it at event time, proc_who.c), or an audit
 * PATH record of the same device and inode (who_table.c).  The audit
 * record wins when it is about the pid fanotify saw (the kernel's own ids
 * and names), else the later of the two (scanner_report.c, author()).  A
 * change found by a scan (made while the plugin was stopped, or after
 * lost events) has no author, unless an audit record still matches.
 */
#ifndef AUDISP_ECS_FIM_WHO_H
#define AUDISP_ECS_FIM_WHO_H

/* file_integrity.who_source */
#define WHO_SOURCE_FANOTIFY	"fanotify"
#define WHO_SOURCE_AUDIT	"audit"

#define WHO_NAME_LEN	64

struct fim_who {
	long		 pid;		/* 0: unknown, nothing else is set */
	long		 at_ms;		/* monotonic time it was learnt */
	char		 executable[512];	/* "": unknown (or too long) */
	char		 name[WHO_NAME_LEN];	/* comm */
	long		 uid, gid, auid, session;	/* -1: unknown */
	/* Names the audit record carried (ENRICHED); "": look them up. */
	char		 user_name[WHO_NAME_LEN];
	char		 audit_name[WHO_NAME_LEN];
	const char	*source;	/* WHO_SOURCE_* */
};

/* An unknown author: pid 0, ids -1. */
void	fim_who_clear(struct fim_who *);
/*
 * What /proc tells about pid now (exe, comm, Uid/Gid, loginuid,
 * sessionid), source fanotify.  A process already gone leaves the pid
 * alone.  proc_who.c
 */
void	proc_who_read(long pid, long now_ms, struct fim_who *);

#endif

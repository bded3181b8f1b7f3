/*
 * One audit event, collected from libauparse into plain C values.
 *
 * audit_collect_records() walks every record and field of the event that
 * auparse has ready and sorts each field into a slot (who, what process, which file,
 * which socket, the arguments) or into the leftovers that become
 * auditd.data.  Strings point into auparse's memory or into the event's
 * arena, so an audit_event is only valid inside the auparse callback, until
 * the arena is reset.  ecs_document.c turns it into JSON.
 */
#ifndef AUDISP_ECS_AUDIT_EVENT_H
#define AUDISP_ECS_AUDIT_EVENT_H

#include <auparse.h>
#include <libaudit.h>
#include <stddef.h>

#include "arena.h"
#include "audit_value.h"
#include "execve_args.h"
#include "sockaddr.h"

#define AUDIT_MAX_PATHS	64

struct kv {
	const char	*name;
	struct sv	 value;
};

struct kv_list {
	struct kv	*items;
	size_t		 count;
	size_t		 cap;
};

/* Who: raw numeric ids as written, with names when the record carries them. */
enum audit_id {
	ID_UID, ID_GID, ID_EUID, ID_EGID, ID_SUID, ID_SGID, ID_FSUID, ID_FSGID,
	ID_AUID,
	ID_COUNT
};

struct audit_ids {
	const char	*id[ID_COUNT];		/* decimal text or NULL */
	const char	*name[ID_COUNT];	/* from ENRICHED records, or NULL */
};

/* Any other uid or gid field of the main record (old-auid, ouid, ...). */
#define AUDIT_MAX_EXTRA_IDS	8

struct extra_id {
	const char	*key;
	const char	*id;
	const char	*name;
};

/* An SELinux or AppArmor label split at its colons. */
struct security_label {
	struct sv	 user, role, domain, level, category;
};

struct path_item {
	struct kv_list	 fields;	/* every field, name decoded */
	struct sv	 name;
	const char	*nametype;
	const char	*inode, *dev, *rdev, *mode, *ouid, *ogid;
	const char	*ouid_name, *ogid_name;
	struct security_label obj;
};

/*
 * The records of an event are not equal: the "main" record (the SYSCALL if
 * there is one, else the first record) says who did it, its result, session
 * and rule key; the first record gives the event its type.  Fields of the
 * other records go to auditd.data unless the main record had them.
 */
struct audit_event {
	unsigned long	 sec;
	unsigned int	 msec;
	unsigned long	 serial;

	int		 type;		/* first record's type */
	const char	*type_name;
	int		 has_syscall;
	int		 main_seen;	/* the main record was collected */
	unsigned int	 nrecords;
	int		 enriched;	/* set by the caller: names are in the records */
	int		 backfilled;	/* read from auditd's log, not received */

	/* SYSCALL */
	const char	*arch;		/* name, e.g. x86_64 */
	const char	*arch_hex;	/* as written, e.g. c000003e */
	const char	*syscall;	/* name, e.g. openat */
	const char	*exit;		/* raw */
	const char	*result;	/* "success", "fail", or NULL: unknown */

	/* process */
	const char	*pid, *ppid, *ses;
	struct sv	 comm, exe, cwd, proctitle, key;
	struct execve_args args;

	struct audit_ids ids;
	struct extra_id	 extra_ids[AUDIT_MAX_EXTRA_IDS];
	int		 nextra_ids;
	struct security_label subj;

	int		 npaths;
	int		 paths_dropped;

	struct sockaddr_info sock;

	struct kv_list	 data;		/* leftovers, see above */
	struct kv_list	 records;	/* record texts, for event.original */

	/*
	 * Last, and not cleared between events (most of the struct's size):
	 * an item is cleared when a PATH record takes it.
	 */
	struct path_item paths[AUDIT_MAX_PATHS];
};

/*
 * Fill ev from the event auparse is positioned on: audit_collect_begin
 * once, then audit_collect_records for each auparse event that belongs to
 * this audit event (two auparse events may make one).  The first call of
 * audit_collect_records sets the type and timestamp; the first SYSCALL
 * record seen is the main record.  Returns 0, or -1 when out of memory
 * (ev is then incomplete).  Scratch memory comes from arena.
 */
void	audit_collect_begin(struct audit_event *);
int	audit_collect_records(auparse_state_t *, struct audit_event *,
	    struct arena *);

/* Append the text of every record, in order, to ev->records. */
int	audit_collect_originals(auparse_state_t *, struct audit_event *,
	    struct arena *);

/* Append to a kv_list allocated from arena; -1 when out of memory. */
int	kv_add(struct kv_list *, struct arena *, const char *name, struct sv value);
const struct sv *kv_find(const struct kv_list *, const char *name);

#endif

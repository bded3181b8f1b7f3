/*
 * What an audit event means, as data: per syscall name (SYSCALL events) or
 * per record type (all others), the action name, the kind of object, the
 * ECS event.category/event.type values, which fields name the subject, the
 * object and the "how" of auditd.summary, and which identities the fields
 * stand for (user, user.effective, user.target, group).
 *
 * Everything follows Auditbeat's auditd module (go-libaudit's
 * normalizations), because users' dashboards, saved searches and
 * detection rules use these values.  Both tables are sorted by name and
 * searched with bsearch; a unit test checks the order.
 */
#ifndef AUDISP_ECS_ECS_TABLES_H
#define AUDISP_ECS_ECS_TABLES_H

#include <stddef.h>

#define ECS_MAX_VALUES	3

/* Field names tried in order; the first present wins.  NULL-terminated. */
struct ecs_summary_keys {
	const char	*subject_primary[3];
	const char	*subject_secondary[4];
	const char	*object_primary[7];
	const char	*object_secondary[4];
	const char	*how[3];
};

/* Which identities the summary's subject and object stand for. */
enum ecs_identity_map {
	MAP_NONE,	/* user.* from the record's ids as they are */
	MAP_AUTH,	/* user: subject; user.effective: subject secondary */
	MAP_LOGIN,	/* user: old login uid; user.effective: the new one */
	MAP_USER_MOD,	/* user, user.effective: subject; user.target: object */
	MAP_GROUP_MOD,	/* user, user.effective: subject; group: object */
	MAP_USER_MGMT,	/* user: subject; user.target: subject secondary;
			   user.effective: uid */
	MAP_GROUP_MGMT,	/* user: subject; group: subject secondary;
			   user.effective: uid */
};

/* flags */
#define ECS_SOURCE_FROM_ADDR	0x1	/* addr= is the remote end: source.ip */
#define ECS_AUTH_RESULT_TYPE	0x2	/* event.type gets authentication_* */
#define ECS_SHARES_SYSCALL_ENTRY 0x4	/* same meaning as its syscalls' row */

struct ecs_mapping {
	const char	*name;		/* syscall or record type */
	const char	*action;
	const char	*object_type;	/* auditd.summary.object.type */
	const char	*category[ECS_MAX_VALUES];
	const char	*type[ECS_MAX_VALUES];
	int		 path_index;	/* PATH item naming the object, -1: first */
	const struct ecs_summary_keys *keys;	/* NULL: the defaults */
	enum ecs_identity_map identity;
	unsigned int	 flags;
};

/* NULL when the name has no entry. */
const struct ecs_mapping *ecs_syscall_mapping(const char *syscall);
const struct ecs_mapping *ecs_record_mapping(const char *record_type);

/* What SYSCALL events without an entry get: no action, process/info. */
extern const struct ecs_mapping ecs_syscall_default;
/* AVC records from AppArmor rather than SELinux. */
extern const struct ecs_mapping ecs_avc_apparmor;

/* For tests: the tables and their sizes. */
extern const struct ecs_mapping ecs_syscall_table[];
extern const size_t ecs_syscall_table_len;
extern const struct ecs_mapping ecs_record_table[];
extern const size_t ecs_record_table_len;

#endif

/*
 * What an audit event means, as data: the action name, the ECS
 * event.category/event.type values and the kind of object involved, per
 * syscall name (SYSCALL events) or per record type (all others).
 *
 * Action names and ECS values follow Auditbeat's (go-libaudit's
 * normalizations), because users' saved searches and detection rules use
 * them.  Both tables are sorted by name and searched with bsearch; a unit
 * test checks the order.
 */
#ifndef AUDISP_ECS_ECS_TABLES_H
#define AUDISP_ECS_ECS_TABLES_H

#include <stddef.h>

#define ECS_MAX_VALUES	3

struct ecs_mapping {
	const char	*name;		/* syscall or record type */
	const char	*action;
	const char	*object_type;	/* auditd.summary.object.type */
	const char	*category[ECS_MAX_VALUES];
	const char	*type[ECS_MAX_VALUES];
	int		 path_index;	/* PATH item naming the object, -1: any */
	const char	*kind;		/* event.kind when not "event" */
};

/* NULL when the name has no entry. */
const struct ecs_mapping *ecs_syscall_mapping(const char *syscall);
const struct ecs_mapping *ecs_record_mapping(const char *record_type);

/* What SYSCALL events without an entry get: category process, type info. */
extern const struct ecs_mapping ecs_syscall_default;

/* For tests: the tables and their sizes. */
extern const struct ecs_mapping ecs_syscall_table[];
extern const size_t ecs_syscall_table_len;
extern const struct ecs_mapping ecs_record_table[];
extern const size_t ecs_record_table_len;

#endif

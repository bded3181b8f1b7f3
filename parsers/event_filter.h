/*
 * drop_event: events nobody wants, dropped before they cost anything
 * downstream (no document is built).
 *
 * A filter is a list of rules; an event matching any rule is dropped.
 * Within a rule every condition given must hold; a list condition holds
 * when any of its values matches:
 *   keys          a rule key of the event (tags)
 *   record_types  the event's type (first record), e.g. "USER_START"
 *   executables   process.executable, as a shell glob ("/usr/sbin/cron*")
 *   uids, auids   user.id, user.audit.id
 *   success       true: the event succeeded; false: it failed
 * Like Auditbeat's drop_event processor and Laurel's filters.
 */
#ifndef AUDISP_ECS_EVENT_FILTER_H
#define AUDISP_ECS_EVENT_FILTER_H

#include <stddef.h>

#include "../common/string_list.h"
#include "audit_event.h"

struct id_list {
	unsigned long	*items;
	size_t		 count;
};

struct filter_rule {
	struct string_list keys;
	struct string_list record_types;
	struct string_list executables;
	struct id_list	 uids;
	struct id_list	 auids;
	int		 success;	/* -1: either, 0: failed, 1: succeeded */
};

struct event_filter {
	struct filter_rule *rules;
	size_t		 count;
};

/* 1 when ev matches a rule (drop it), else 0. */
int	event_filter_match(const struct event_filter *,
	    const struct audit_event *);
/* Deep copy into dst; -1 when out of memory (dst is then empty). */
int	event_filter_copy(struct event_filter *dst, const struct event_filter *);
void	event_filter_free(struct event_filter *);
/* A new empty rule at the end; NULL when out of memory. */
struct filter_rule *event_filter_add_rule(struct event_filter *);
int	id_list_add(struct id_list *, unsigned long);

#endif

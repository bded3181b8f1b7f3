/*
 * What the parts of the document writer share: the decisions made once per
 * event (ecs_document.c) that the user and group part (ecs_user.c) needs.
 */
#ifndef AUDISP_ECS_ECS_INTERNAL_H
#define AUDISP_ECS_ECS_INTERNAL_H

#include "ecs_document.h"
#include "ecs_tables.h"

struct doc_state {
	struct ecs_context		*ctx;
	const struct audit_event	*ev;
	const struct ecs_mapping	*norm;	/* what the event is, or NULL */
	const struct ecs_mapping	*also;	/* its syscall's row, appended */
	const struct path_item		*object_path;
	const char			*action;
	const char			*outcome;
	/* auditd.summary before names are resolved; p == NULL: absent */
	struct sv			 actor_primary, actor_secondary;
	struct sv			 object_primary, object_secondary;
	struct sv			 how;
	int				 addr_is_source; /* data.addr moved */
	char				 action_buf[64];
	char				 port_buf[8];
};

/* The user name for a uid given as text, or NULL. */
const char	*uid_name(struct doc_state *, struct sv uid);
const char	*gid_name(struct doc_state *, struct sv gid);
/* user.*, group.* and related.user (ecs_user.c). */
void		 write_identities(struct doc_state *, struct jw *);

/*
 * ecs_document.c: @timestamp, message and the event members every note
 * document (lost, dropped, kernel status) starts with.
 */
void		 ecs_note_event_write(struct ecs_context *, struct jw *,
		    unsigned long sec, unsigned int msec, const char *id_extra,
		    const char *action, const char *message);
/* ecs_document.c: @timestamp, for a second past sec. */
void		 ecs_timestamp_write(struct ecs_context *, struct jw *,
		    unsigned long sec, unsigned int msec);

#endif

/*
 * The system datasets (Auditbeat's system module): state of the machine
 * that the audit stream does not carry, compared with what was kept from
 * the last look and written as ECS documents into the same document queue
 * as audit events.
 *
 * DESIGN
 *   One thread, started by system_start(), owns every dataset, its kept
 *   state (under system.state_path, one small file per dataset written
 *   with atomic_replace) and the document writer.  At start each dataset
 *   compares the machine with its kept state and reports what changed
 *   while the plugin was not running (event.kind "event"); without a kept
 *   state, or when the last full state is older than system.state.period,
 *   it sends its full state (event.kind "state").  Then every
 *   system.period it looks again and reports changes, and every
 *   system.state.period it sends the full state again.
 *   Documents go to the emit hook, which may block when the queue is full:
 *   this thread waits, the audit path does not.
 *   system_stop() sets the stop flag, wakes the thread and joins it; a
 *   look already begun finishes first (they take milliseconds).
 */
#ifndef AUDISP_ECS_SYSTEM_H
#define AUDISP_ECS_SYSTEM_H

#include <stddef.h>

#include "system_conf.h"

struct system_hooks {
	/* Takes the buffer of ndocs documents (malloc'd); must free it. */
	void	(*emit)(void *ctx, char *buf, size_t len, size_t ndocs);
	void	 *ctx;
};

struct system;

/*
 * Starts the thread with a copy of cfg (system_config_finish() done).
 * data_dir is path.data (for agent.id).  NULL after logging why.
 */
struct system	*system_start(const struct system_config *cfg,
		    const char *data_dir, const struct system_hooks *);
/* Stops the thread and frees everything; NULL is fine. */
void		 system_stop(struct system *);

#endif

/*
 * Signal set-up for a process started by auditd.
 *
 * auditd 3.x starts its plugins with every signal blocked and several
 * ignored; left that way, SIGTERM and SIGHUP would never reach us.  The
 * main thread waits for the signals it handles with sigtimedwait(), so
 * they are blocked in every thread and no handler runs asynchronously.
 */
#ifndef AUDISP_ECS_SIGNALS_H
#define AUDISP_ECS_SIGNALS_H

#include <signal.h>

/* Default dispositions, empty mask, SIGPIPE ignored. */
void	signals_reset_inherited(void);
/* Block the signals the main thread waits for; returns that set. */
void	signals_block_handled(sigset_t *handled);

#endif

/*
 * The process dataset's kept state: the processes of the last look, the
 * boot time they belong to and when the full state was last sent, in
 * STATE_DIR/process.json.  Read as hostile input, like the others.
 */
#ifndef AUDISP_ECS_PROC_STATE_H
#define AUDISP_ECS_PROC_STATE_H

#include <stddef.h>
#include <time.h>

#include "proc_scan.h"

#define PROC_STATE_VERSION	1

/* 0; 1 when there is no file; -1 with err naming what is wrong. */
int	proc_state_load(const char *path, struct proc_table *t,
	    time_t *state_sent, char *err, size_t errlen);
int	proc_state_parse(const char *text, size_t len, struct proc_table *t,
	    time_t *state_sent, char *err, size_t errlen);
/* 0, or -1 with err. */
int	proc_state_save(const char *path, const struct proc_table *t,
	    time_t state_sent, char *err, size_t errlen);

#endif

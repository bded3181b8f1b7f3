/*
 * The socket dataset's kept state: the sockets of the last look (with the
 * process that held each) and when the full state was last sent, in
 * STATE_DIR/socket.json.  Read as hostile input, like the others.
 */
#ifndef AUDISP_ECS_SOCK_STATE_H
#define AUDISP_ECS_SOCK_STATE_H

#include <stddef.h>
#include <time.h>

#include "sock_diag.h"

/* 0; 1 when there is no file; -1 with err naming what is wrong. */
int	sock_state_load(const char *path, struct sock_table *t,
	    time_t *state_sent, char *err, size_t errlen);
int	sock_state_parse(const char *text, size_t len, struct sock_table *t,
	    time_t *state_sent, char *err, size_t errlen);
int	sock_state_save(const char *path, const struct sock_table *t,
	    time_t state_sent, char *err, size_t errlen);

#endif

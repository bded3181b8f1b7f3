/*
 * The host dataset's kept state: what the last look saw (names, versions,
 * boot time, time zone; not the uptime or the addresses, which are not
 * compared) and when the full state was last sent, in STATE_DIR/host.json.
 * Read as hostile input, like the user dataset's (user_state.h).
 */
#ifndef AUDISP_ECS_HOST_STATE_H
#define AUDISP_ECS_HOST_STATE_H

#include <stddef.h>
#include <time.h>

#include "host_probe.h"

#define HOST_STATE_VERSION	1

/* 0; 1 when there is no file; -1 with err naming what is wrong. */
int	host_state_load(const char *path, struct host_facts *kept,
	    time_t *state_sent, char *err, size_t errlen);
int	host_state_parse(const char *text, size_t len, struct host_facts *kept,
	    time_t *state_sent, char *err, size_t errlen);
/* 0, or -1 with err. */
int	host_state_save(const char *path, const struct host_facts *f,
	    time_t state_sent, char *err, size_t errlen);

#endif

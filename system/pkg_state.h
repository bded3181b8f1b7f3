/*
 * The package dataset's kept state: the packages of the last look and
 * when the full state was last sent, in STATE_DIR/package.json.  Read as
 * hostile input, like the user dataset's (user_state.h).
 */
#ifndef AUDISP_ECS_PKG_STATE_H
#define AUDISP_ECS_PKG_STATE_H

#include <stddef.h>
#include <time.h>

#include "pkg_db.h"

#define PKG_STATE_VERSION	1

/* 0; 1 when there is no file; -1 with err naming what is wrong. */
int	pkg_state_load(const char *path, struct pkg_table *t,
	    time_t *state_sent, char *err, size_t errlen);
int	pkg_state_parse(const char *text, size_t len, struct pkg_table *t,
	    time_t *state_sent, char *err, size_t errlen);
/* 0, or -1 with err. */
int	pkg_state_save(const char *path, const struct pkg_table *t,
	    time_t state_sent, char *err, size_t errlen);

#endif

/*
 * The user dataset's kept state: the users and groups of the last look and
 * when the full state was last sent, in STATE_DIR/user.json (mode 0600:
 * it holds the password digests).  The file is read as hostile input:
 * every value's type is checked, and a file that does not check out is
 * reported and treated as no state (a full state is sent again).
 */
#ifndef AUDISP_ECS_USER_STATE_H
#define AUDISP_ECS_USER_STATE_H

#include <stddef.h>
#include <time.h>

#include "user_db.h"

#define USER_STATE_VERSION	1

/*
 * Loads path into t (sorted, as user_table_read makes it) and *state_sent.
 * 0; 1 when there is no file; -1 with err naming what is wrong.
 */
int	user_state_load(const char *path, struct user_table *t,
	    time_t *state_sent, char *err, size_t errlen);
/* From text alone (for the tests and the fuzzer); as user_state_load. */
int	user_state_parse(const char *text, size_t len, struct user_table *t,
	    time_t *state_sent, char *err, size_t errlen);
/* Replaces path atomically; 0, or -1 with err. */
int	user_state_save(const char *path, const struct user_table *t,
	    time_t state_sent, char *err, size_t errlen);

#endif

/*
 * The login dataset's kept state: how far each wtmp and btmp file (by
 * device and inode, so a rotated file keeps its place) has been read, and
 * who is logged in on which terminal (a logout record names only the
 * terminal), in STATE_DIR/login.json.  Read as hostile input.
 */
#ifndef AUDISP_ECS_LOGIN_STATE_H
#define AUDISP_ECS_LOGIN_STATE_H

#include <stddef.h>
#include <sys/types.h>

#define LOGIN_FILES_MAX	4096
#define LOGIN_TTYS_MAX	65536

struct login_pos {
	unsigned long long dev, ino;
	unsigned long long offset;	/* bytes read, whole records */
};

struct login_tty {
	char		 tty[33];
	char		 user[33];
};

struct login_state {
	struct login_pos *files;
	size_t		 nfiles;
	struct login_tty *ttys;
	size_t		 nttys;
};

/* 0; 1 when there is no file; -1 with err naming what is wrong. */
int	login_state_load(const char *path, struct login_state *,
	    char *err, size_t errlen);
int	login_state_parse(const char *text, size_t len, struct login_state *,
	    char *err, size_t errlen);
int	login_state_save(const char *path, const struct login_state *,
	    char *err, size_t errlen);
void	login_state_free(struct login_state *);

#endif

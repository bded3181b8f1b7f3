/*
 * The secret of this machine's state directory that keys the password
 * digests (user_db.h): 32 random bytes in STATE_DIR/digest.key, mode 0600,
 * made on first use.  Without it a digest kept on disk could be tested
 * against guessed passwords; with it, it only tells "changed".
 */
#ifndef AUDISP_ECS_SYS_KEY_H
#define AUDISP_ECS_SYS_KEY_H

#include <stddef.h>

#define SYS_KEY_LEN	32

/* 0, or -1 with err saying why (the caller then detects no changes). */
int	sys_key_load(const char *state_dir, unsigned char key[SYS_KEY_LEN],
	    char *err, size_t errlen);

#endif

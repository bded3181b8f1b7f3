/*
 * The digest key; see sys_key.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "../common/atomic_file.h"
#include "../common/errbuf.h"
#include "sys_file.h"
#include "sys_key.h"

int
sys_key_load(const char *state_dir, unsigned char key[SYS_KEY_LEN],
    char *err, size_t errlen)
{
	char path[4096], *text = NULL;
	size_t len = 0, got;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/digest.key",
	    state_dir) >= sizeof(path)) {
		seterr(err, errlen, "%s: path too long", state_dir);
		return -1;
	}
	rc = sys_read_file(path, SYS_KEY_LEN + 1, &text, &len, err, errlen);
	if (rc == 0 && len == SYS_KEY_LEN) {
		memcpy(key, text, SYS_KEY_LEN);
		explicit_bzero(text, len);
		free(text);
		return 0;
	}
	if (rc == 0) {
		/* Replaced: the digests kept under it will all differ once. */
		explicit_bzero(text, len);
		free(text);
		seterr(err, errlen, "%s: %zu bytes, want %d; remove it to "
		    "make a new key", path, len, SYS_KEY_LEN);
		return -1;
	}
	if (rc == -1)
		return -1;
	for (got = 0; got < SYS_KEY_LEN; ) {
		ssize_t n = getrandom(key + got, SYS_KEY_LEN - got, 0);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			seterr(err, errlen, "getrandom: %s", strerror(errno));
			return -1;
		}
		got += (size_t)n;
	}
	if (atomic_replace(path, key, SYS_KEY_LEN, 0600) == -1) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Replacing a small file whole; see atomic_file.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "fsutil.h"

/* Names tried before giving up, should every one be taken. */
#define TEMP_TRIES	100

/*
 * Create a temporary file beside path, open for writing.  The pid keeps
 * two processes sharing a directory apart and the counter two threads;
 * an old file with the same name (a crash, then the pid came round
 * again) is simply skipped, never opened: O_EXCL.
 */
static int
open_temp(const char *path, mode_t mode, char *tmp, size_t size)
{
	static atomic_uint counter;
	int fd, i;

	for (i = 0; i < TEMP_TRIES; i++) {
		if ((size_t)snprintf(tmp, size, "%s.tmp.%ld.%u", path,
		    (long)getpid(), atomic_fetch_add(&counter, 1)) >= size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd != -1 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/*
 * The rename is only an entry in the directory: until the directory too
 * is on disk, a crash can bring back the old file (or none at all).
 */
static int
fsync_parent(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	int fd, saved;

	if ((size_t)snprintf(dir, sizeof(dir), "%s", path) >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (fsync(fd) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int
atomic_replace(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[PATH_MAX];
	int fd, saved;

	if ((fd = open_temp(path, mode, tmp, sizeof(tmp))) == -1)
		return -1;
	/* open() applied the umask; the caller asked for mode itself. */
	if (fchmod(fd, mode) == -1 || write_all(fd, data, len) == -1 ||
	    fsync(fd) == -1)
		goto fail;
	/* On NFS, a write error may surface only here. */
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	return fsync_parent(path);

fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

/*
 * Replacing a small file whole: write a temporary file beside it, flush
 * it to disk, then rename it over the old one.
 */
#ifndef AUDISP_ECS_ATOMIC_FILE_H
#define AUDISP_ECS_ATOMIC_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Replace path with the len bytes at data, with permissions exactly mode
 * (the umask does not apply).  Readers see the old content or the new,
 * never a part of either; once 0 is returned, the new content survives a
 * crash.  Safe to call from several threads, even for the same path: each
 * call writes its own temporary file (path.tmp.PID.N, created exclusively;
 * a name left behind by an earlier run is skipped over).
 *
 * Returns 0, or -1 with errno set.  A failure before the rename leaves
 * path as it was and no temporary file behind.  A failure after it (the
 * directory could not be flushed) leaves the new content in place, but it
 * may not survive a crash.
 */
int	atomic_replace(const char *path, const void *data, size_t len,
	    mode_t mode);

#endif

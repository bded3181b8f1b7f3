/*
 * Reading a small file of the system (passwd, a state file) whole, with a
 * bound: a file larger than max is an error, not an allocation.
 */
#ifndef AUDISP_ECS_SYS_FILE_H
#define AUDISP_ECS_SYS_FILE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/*
 * The content of path, NUL-terminated, in *out (free() it) and its length
 * in *lenp.  0; 1 when the file does not exist; -1 with err saying why
 * (unreadable, larger than max bytes, out of memory).
 */
int	sys_read_file(const char *path, size_t max, char **out, size_t *lenp,
	    char *err, size_t errlen);

/*
 * Calls fn for each line of text (len bytes and a NUL after them, as
 * sys_read_file gives; the newlines replaced by NULs
 * in place), with its number from 1.  A line holding a NUL byte is passed
 * as NULL, so the caller can report it.
 */
void	sys_each_line(char *text, size_t len,
	    void (*fn)(void *arg, char *line, size_t lineno), void *arg);

/*
 * What tells that a file changed without reading it: device, inode, size,
 * modification and change times (all zero, missing set, when it is not
 * there).  A dataset re-reads its files only when a stamp differs.
 */
struct sys_stamp {
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime, ctime;
	int		 missing;
};

/* path NULL gives a missing stamp. */
void	sys_stamp_take(const char *path, struct sys_stamp *);
int	sys_stamp_same(const struct sys_stamp *, const struct sys_stamp *);

#endif

/*
 * Reading a small file of the system (passwd, a state file) whole, with a
 * bound: a file larger than max is an error, not an allocation.
 */
#ifndef AUDISP_ECS_SYS_FILE_H
#define AUDISP_ECS_SYS_FILE_H

#include <stddef.h>

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

#endif

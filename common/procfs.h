/*
 * Small reads of /proc/<pid> files, for the parser's process table and
 * the FIM watcher's look-up of who changed a file.  No allocation.
 */
#ifndef AUDISP_ECS_PROCFS_H
#define AUDISP_ECS_PROCFS_H

#include <sys/types.h>

/*
 * The start of ROOT/<pid>/<what> (ROOT is "/proc", or a test directory)
 * into buf, at most size - 1 bytes, NUL-terminated; its length, or -1 if
 * the path is too long or the file cannot be opened or read (the process
 * is gone).
 */
ssize_t	procfs_read(const char *root, long pid, const char *what,
	    char *buf, size_t size);

#endif

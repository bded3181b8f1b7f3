/*
 * Reading small files whole; see sys_file.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/errbuf.h"
#include "sys_file.h"

int
sys_read_file(const char *path, size_t max, char **out, size_t *lenp,
    char *err, size_t errlen)
{
	struct stat st;
	size_t len = 0, cap;
	ssize_t n;
	char *buf;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		if (errno == ENOENT)
			return 1;
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		seterr(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	/* The size may change while reading: it is a hint, max the bound. */
	cap = st.st_size > 0 && (size_t)st.st_size < max ?
	    (size_t)st.st_size + 1 : 4096;
	if ((buf = malloc(cap + 1)) == NULL) {
		seterr(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			char *grown;

			if (cap >= max) {
				seterr(err, errlen, "%s: larger than %zu "
				    "bytes", path, max);
				goto fail;
			}
			cap = cap * 2 < max ? cap * 2 : max;
			if ((grown = realloc(buf, cap + 1)) == NULL) {
				seterr(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			buf = grown;
		}
		if ((n = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			seterr(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

void
sys_each_line(char *text, size_t len,
    void (*fn)(void *arg, char *line, size_t lineno), void *arg)
{
	size_t lineno = 0, start = 0, end;
	char *nl;

	while (start < len) {
		lineno++;
		nl = memchr(text + start, '\n', len - start);
		end = nl != NULL ? (size_t)(nl - text) : len;
		text[end] = '\0';
		fn(arg, memchr(text + start, '\0', end - start) != NULL ?
		    NULL : text + start, lineno);
		start = end + 1;
	}
}

void
sys_stamp_take(const char *path, struct sys_stamp *fs)
{
	struct stat st;

	memset(fs, 0, sizeof(*fs));
	if (path == NULL || stat(path, &st) == -1) {
		fs->missing = 1;
		return;
	}
	fs->dev = st.st_dev;
	fs->ino = st.st_ino;
	fs->size = st.st_size;
	fs->mtime = st.st_mtim;
	fs->ctime = st.st_ctim;
}

int
sys_stamp_same(const struct sys_stamp *a, const struct sys_stamp *b)
{
	return a->missing == b->missing && a->dev == b->dev &&
	    a->ino == b->ino && a->size == b->size &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec &&
	    a->ctime.tv_sec == b->ctime.tv_sec &&
	    a->ctime.tv_nsec == b->ctime.tv_nsec;
}

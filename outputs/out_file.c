/*
 * The file output: JSON lines appended to a file, rotated by size.
 *
 * Like libbeat's file output, the current file is PATH and older ones are
 * PATH.1 (newest) to PATH.N-1; rotation happens before a document that would
 * take the file past rotate_every_kb, so a document is never split across
 * files.  The file is created with the configured permissions (0600 by
 * default): audit trails are not for every user to read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output_conf.h"
#include "../common/log.h"
#include "../common/fsutil.h"
#include "output.h"

struct file_output {
	char		*path;
	off_t		 max_size;
	int		 number_of_files;
	mode_t		 mode;
	int		 fd;
	off_t		 size;
	struct ratelimit errors;
};

/* mkdir -p for the directory holding path, mode 0750 for what it creates. */
static int
make_parent_dirs(const char *path)
{
	char dir[4096];
	char *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	return mkdir_p(dir, 0750);
}

static int
open_current(struct file_output *f)
{
	struct stat st;

	if (make_parent_dirs(f->path) == -1) {
		log_warn("file output: cannot create the directory of %s",
		    f->path);
		return -1;
	}
	f->fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    f->mode);
	if (f->fd == -1) {
		log_warn("file output: cannot open %s", f->path);
		return -1;
	}
	/* The umask may have narrowed the mode; make it what was asked. */
	if (fstat(f->fd, &st) == -1 ||
	    ((st.st_mode & 0777) != f->mode && fchmod(f->fd, f->mode) == -1)) {
		log_warn("file output: cannot set the mode of %s", f->path);
		close(f->fd);
		f->fd = -1;
		return -1;
	}
	f->size = st.st_size;
	return 0;
}

static int
rotate(struct file_output *f)
{
	char from[4200], to[4200];
	int i;

	close(f->fd);
	f->fd = -1;
	for (i = f->number_of_files - 1; i >= 1; i--) {
		if (i == 1)
			snprintf(from, sizeof(from), "%s", f->path);
		else
			snprintf(from, sizeof(from), "%s.%d", f->path, i - 1);
		snprintf(to, sizeof(to), "%s.%d", f->path, i);
		if (rename(from, to) == -1 && errno != ENOENT)
			log_warn("file output: cannot rename %s to %s", from, to);
	}
	return open_current(f);
}

static int
append(struct file_output *f, const char *buf, size_t len)
{
	if (write_all(f->fd, buf, len) == -1) {
		log_ratelimited(&f->errors, "file output: write to %s failed: "
		    "%s", f->path, strerror(errno));
		/* Reopen next time: the file may have been moved or fixed. */
		close(f->fd);
		f->fd = -1;
		return -1;
	}
	f->size += (off_t)len;
	return 0;
}

/*
 * How much of buf to write before rotating: whole documents that fit in
 * what is left of the size limit, or at least one document into an empty
 * file (a document larger than the limit still has to go somewhere).
 */
static size_t
fitting_prefix(const struct file_output *f, const char *buf, size_t len)
{
	size_t room = f->size < f->max_size ? (size_t)(f->max_size - f->size) : 0;
	const char *nl;

	if (len <= room)
		return len;
	for (nl = buf + room; nl > buf && nl[-1] != '\n'; nl--)
		;
	if (nl > buf)
		return (size_t)(nl - buf);
	if (f->size > 0)
		return 0;
	nl = memchr(buf, '\n', len);
	return nl != NULL ? (size_t)(nl - buf) + 1 : len;
}

static int
file_write_batch(struct output *o, const char *buf, size_t len, size_t ndocs)
{
	struct file_output *f = o->state;
	size_t n;

	(void)ndocs;
	if (f->fd == -1 && open_current(f) == -1)
		return -1;
	/*
	 * A retried batch is written again from its start: at-least-once.
	 * Documents are never split across files.
	 */
	while (len > 0) {
		if ((n = fitting_prefix(f, buf, len)) == 0) {
			if (rotate(f) == -1)
				return -1;
			continue;
		}
		if (append(f, buf, n) == -1)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

static void
file_close(struct output *o)
{
	struct file_output *f = o->state;

	if (f->fd != -1)
		close(f->fd);
	free(f->path);
	free(f);
	free(o);
}

struct output *
output_file_open(const struct file_output_config *cfg)
{
	struct output *o;
	struct file_output *f;

	o = calloc(1, sizeof(*o));
	f = calloc(1, sizeof(*f));
	if (o == NULL || f == NULL || (f->path = strdup(cfg->path)) == NULL) {
		free(o);
		free(f);
		log_warnx("file output: out of memory");
		return NULL;
	}
	f->max_size = (off_t)cfg->rotate_every_kb * 1024;
	f->number_of_files = (int)cfg->number_of_files;
	f->mode = (mode_t)cfg->permissions;
	f->errors = (struct ratelimit)RATELIMIT_INIT(60, 3);
	f->fd = -1;
	o->name = "file";
	o->write_batch = file_write_batch;
	o->close = file_close;
	o->state = f;
	/* A failure here is logged; writes retry the open. */
	(void)open_current(f);
	return o;
}

void
output_close(struct output *o)
{
	if (o != NULL)
		o->close(o);
}

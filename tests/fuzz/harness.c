/* What the fuzz targets share; see harness.h. */
#include "config.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "harness.h"

static char scratch[4096];

/*
 * The targets are linked with --wrap=syslog: the messages of common/log.c
 * end here.  They are still formatted, so a bad format argument is found.
 */
void	__wrap_syslog(int priority, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

void
__wrap_syslog(int priority, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	(void)priority;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}

static void
redirect(int fd, int flags)
{
	int null;

	if ((null = open("/dev/null", flags)) == -1) {
		perror("fuzz: /dev/null");
		abort();
	}
	if (null != fd) {
		dup2(null, fd);
		close(null);
	}
}

void
fuzz_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	log_set_level(LOG_LEVEL_DEBUG);
	redirect(STDIN_FILENO, O_RDONLY);
	/* FUZZ_STDOUT=1 keeps it, to see what a reproducer makes a verb say. */
	if (getenv("FUZZ_STDOUT") == NULL) {
		fflush(stdout);
		redirect(STDOUT_FILENO, O_WRONLY);
	}
}

static int
remove_entry(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	(void)st;
	(void)type;
	if (ftw->level > 0)
		(void)remove(path);
	return 0;
}

void
fuzz_empty_dir(const char *dir)
{
	(void)nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
remove_scratch(void)
{
	if (scratch[0] == '\0')
		return;
	fuzz_empty_dir(scratch);
	(void)rmdir(scratch);
}

const char *
fuzz_scratch_dir(void)
{
	const char *bases[] = { getenv("FUZZ_TMPDIR"), "/dev/shm", "/tmp" };
	size_t i;

	if (scratch[0] != '\0')
		return scratch;
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		if (bases[i] == NULL || bases[i][0] == '\0')
			continue;
		snprintf(scratch, sizeof(scratch), "%s/audisp-ecs-fuzz.XXXXXX",
		    bases[i]);
		if (mkdtemp(scratch) != NULL) {
			atexit(remove_scratch);
			return scratch;
		}
	}
	perror("fuzz: no scratch directory");
	abort();
}

void
fuzz_write_file(const char *path, const void *data, size_t n)
{
	const char *p = data;
	ssize_t w;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1) {
		perror(path);
		abort();
	}
	while (n > 0) {
		if ((w = write(fd, p, n)) <= 0) {
			perror(path);
			abort();
		}
		p += w;
		n -= (size_t)w;
	}
	close(fd);
}

uint8_t
fuzz_byte(struct fuzz_cursor *c)
{
	uint8_t b;

	if (c->n == 0)
		return 0;
	b = c->p[0];
	c->p++;
	c->n--;
	return b;
}

size_t
fuzz_until(struct fuzz_cursor *c, const char *sep, const uint8_t **out)
{
	size_t seplen = strlen(sep), n;
	const uint8_t *hit;

	*out = c->p;
	hit = seplen > 0 ? memmem(c->p, c->n, sep, seplen) : NULL;
	if (hit == NULL) {
		n = c->n;
		c->p += n;
		c->n = 0;
		return n;
	}
	n = (size_t)(hit - c->p);
	c->p += n + seplen;
	c->n -= n + seplen;
	return n;
}

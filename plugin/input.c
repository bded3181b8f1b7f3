/*
 * The input thread: drains the sources into the raw queue.
 *
 * In plugin mode the source is auditd's pipe on stdin.  auditd has a single
 * dispatcher thread, so this thread does nothing but read: bytes go into
 * the queue as they come, and parsing happens elsewhere.  A stop request
 * arrives through the wake pipe, so a blocked read never delays shutdown.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "pipeline_internal.h"

#define READ_SIZE_LIVE	(64 * 1024)
#define READ_SIZE_FILE	(256 * 1024)

static int
push_chunk(struct pipeline *p, enum chunk_kind kind, const char *origin,
    const char *data, size_t len)
{
	struct chunk *c;

	if ((c = malloc(sizeof(*c) + len)) == NULL) {
		log_warnx("input: out of memory, %zu bytes of %s lost", len,
		    origin);
		return -1;
	}
	c->kind = kind;
	c->origin = origin;
	c->cfg = NULL;
	c->len = len;
	if (len > 0)
		memcpy(c->data, data, len);
	if (bq_push(p->raw, c, sizeof(*c) + len) == -1) {
		free(c);
		return -1;
	}
	atomic_fetch_add(&p->bytes_in, len);
	return 0;
}

/* Wait until fd is readable or a stop is asked: 1 readable, 0 stop. */
static int
wait_readable(struct pipeline *p, int fd)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = p->wake[0], .events = POLLIN },
	};

	for (;;) {
		if (atomic_load(&p->stop_input))
			return 0;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("input: poll");
			return 1;
		}
		if (pfd[1].revents != 0 || atomic_load(&p->stop_input))
			return 0;
		if (pfd[0].revents != 0)
			return 1;
	}
}

/* Read one source to its end; returns -1 if a stop was asked. */
static int
read_source(struct pipeline *p, int fd, const char *origin, char *buf,
    size_t size)
{
	ssize_t n;

	for (;;) {
		if (!wait_readable(p, fd))
			return -1;
		n = read(fd, buf, size);
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			log_warn("input: read from %s", origin);
			atomic_fetch_add(&p->input_errors, 1);
			break;
		}
		if (n == 0)
			break;
		if (push_chunk(p, CHUNK_DATA, origin, buf, (size_t)n) == -1)
			return -1;
	}
	push_chunk(p, CHUNK_END, origin, NULL, 0);
	return 0;
}

static int
read_path(struct pipeline *p, const char *path, char *buf, size_t size)
{
	int fd, rc;

	if (strcmp(path, "-") == 0)
		return read_source(p, STDIN_FILENO, "stdin", buf, size);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("cannot open %s", path);
		atomic_fetch_add(&p->input_errors, 1);
		return 0;
	}
	rc = read_source(p, fd, path, buf, size);
	close(fd);
	return rc;
}

void *
input_main(void *arg)
{
	struct pipeline *p = arg;
	size_t size = p->live ? READ_SIZE_LIVE : READ_SIZE_FILE;
	char *buf;
	int i;

	if ((buf = malloc(size)) == NULL)
		log_warnx("input: out of memory");
	else if (p->live)
		read_source(p, STDIN_FILENO, "stdin", buf, size);
	else if (p->npaths == 0)
		read_path(p, "-", buf, size);
	else
		for (i = 0; i < p->npaths; i++)
			if (read_path(p, p->paths[i], buf, size) == -1)
				break;
	free(buf);
	atomic_store(&p->input_done, 1);
	bq_close(p->raw);
	pipeline_stage_done(p);
	return NULL;
}

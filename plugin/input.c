/*
 * The sources of audit records: auditd's socket (or a pipe) on stdin, or
 * replayed files.
 *
 * The parser thread reads them itself (parse_stage.c): a record handed to
 * another thread would cost a wake-up per record, more than parsing it.
 * Reading and parsing in one thread stays ahead of auditd because the
 * parser never waits for the outputs unless told to (queue.spool.policy
 * "block").  A stop request or a reload arrives through the wake pipe, so a
 * wait for input never delays either.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "pipeline_internal.h"

/* Empty the wake pipe: its bytes only say "look at the flags". */
static void
drain_wake(struct pipeline *p)
{
	char buf[64];

	while (read(p->wake[0], buf, sizeof(buf)) > 0)
		;
}

enum input_wait
input_wait(struct pipeline *p, int fd, int timeout_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = p->wake[0], .events = POLLIN },
	};
	int n;

	if (atomic_load(&p->stop_input))
		return INPUT_STOP;
	if ((n = poll(pfd, 2, timeout_ms)) == -1) {
		if (errno == EINTR)
			return INPUT_WOKEN;
		log_warn("input: poll");
		return INPUT_READY;	/* the read says what is wrong */
	}
	if (pfd[1].revents != 0) {
		drain_wake(p);
		if (atomic_load(&p->stop_input))
			return INPUT_STOP;
	}
	if (pfd[0].revents != 0)
		return INPUT_READY;
	return n == 0 ? INPUT_IDLE : INPUT_WOKEN;
}

void
input_linger(struct pipeline *p, int ms)
{
	struct pollfd pfd = { .fd = p->wake[0], .events = POLLIN };

	/* The wake pipe only: its byte stays for the next input_wait. */
	if (!atomic_load(&p->stop_input))
		(void)poll(&pfd, 1, ms);
}

void
input_grow_pipe(int fd, int size)
{
	int now;

	if ((now = fcntl(fd, F_GETPIPE_SZ)) == -1 || now >= size)
		return;
	if (fcntl(fd, F_SETPIPE_SZ, size) == -1)
		log_debug("input: pipe stays at %d bytes: %s", now,
		    strerror(errno));
}

ssize_t
input_read(struct pipeline *p, int fd, const char *origin, char *buf,
    size_t size)
{
	ssize_t n;

	while ((n = read(fd, buf, size)) == -1 && errno == EINTR)
		;
	if (n == -1 && errno == EAGAIN)
		return -2;
	if (n == -1) {
		log_warn("input: read from %s", origin);
		atomic_fetch_add(&p->input_errors, 1);
		return -1;
	}
	atomic_fetch_add(&p->bytes_in, (unsigned long long)n);
	return n;
}

int
input_open(struct pipeline *p, const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("cannot open %s", path);
		atomic_fetch_add(&p->input_errors, 1);
	}
	return fd;
}

void
input_close(int fd)
{
	if (fd != STDIN_FILENO && fd != -1)
		close(fd);
}

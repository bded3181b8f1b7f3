/* AUDIT_GET over a netlink socket of its own; see kernel_status.h. */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel_status.h"

#define STATUS_TIMEOUT_MS	1000
#define STATUS_MAX_READS	16	/* replies skipped before giving up */

static int
send_request(int fd)
{
	struct nlmsghdr req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	memset(&req, 0, sizeof(req));
	req.nlmsg_len = NLMSG_LENGTH(0);
	req.nlmsg_type = AUDIT_GET;
	req.nlmsg_flags = NLM_F_REQUEST;
	req.nlmsg_seq = 1;
	return sendto(fd, &req, req.nlmsg_len, 0, (struct sockaddr *)&kernel,
	    sizeof(kernel)) == (ssize_t)req.nlmsg_len ? 0 : -1;
}

static void
take_status(struct audit_status_report *st, const struct audit_status *k,
    size_t len)
{
	st->enabled = k->enabled;
	st->failure = k->failure;
	st->pid = k->pid;
	st->rate_limit = k->rate_limit;
	st->backlog_limit = k->backlog_limit;
	st->lost = k->lost;
	st->backlog = k->backlog;
	/* Older kernels send the struct without the later members. */
	st->backlog_wait_time = len >= offsetof(struct audit_status,
	    backlog_wait_time) + sizeof(k->backlog_wait_time) ?
	    k->backlog_wait_time : 0;
}

/* One answer: 1 the status (st filled), 0 not ours, -1 an error (errno). */
static int
read_answer(const char *buf, size_t n, struct audit_status_report *st)
{
	const struct nlmsghdr *h = (const void *)buf;
	struct audit_status k;
	size_t len;

	if (n < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
	    h->nlmsg_len > n || h->nlmsg_seq != 1)
		return 0;
	len = h->nlmsg_len - NLMSG_HDRLEN;
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		if (len < sizeof(*e) || e->error == 0)
			return 0;	/* an ack */
		errno = -e->error;
		return -1;
	}
	if (h->nlmsg_type != AUDIT_GET)
		return 0;
	memset(&k, 0, sizeof(k));
	memcpy(&k, NLMSG_DATA(h), len < sizeof(k) ? len : sizeof(k));
	take_status(st, &k, len);
	return 1;
}

static int
await_answer(int fd, struct audit_status_report *st)
{
	char buf[1024];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int i, rc;

	for (i = 0; i < STATUS_MAX_READS; i++) {
		if (poll(&pfd, 1, STATUS_TIMEOUT_MS) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		if ((rc = read_answer(buf, (size_t)n, st)) != 0)
			return rc == 1 ? 0 : -1;
	}
	errno = ETIMEDOUT;
	return -1;
}

int
kernel_status_get(struct audit_status_report *st)
{
	int fd, rc, saved;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd == -1)
		return -1;
	rc = send_request(fd) == 0 ? await_answer(fd, st) : -1;
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

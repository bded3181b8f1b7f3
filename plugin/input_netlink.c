/*
 * The netlink input: the kernel's audit records from its multicast group
 * (AUDIT_NLGRP_READLOG), beside auditd or without it.
 *
 * Joining the group needs CAP_AUDIT_READ and works in the initial network
 * namespace only (kernel 3.16 and later).  The socket only listens: it
 * never sends a request, so the audit configuration (rules, the daemon's
 * pid, the enabled flag) stays auditd's or auditctl's.  Every record the
 * kernel emits arrives once, as one datagram; when we are too slow to
 * empty the receive buffer the kernel drops records for us and the next
 * receive fails with ENOBUFS.  That is counted here; the serials that
 * never came become audit-events-lost documents like any other gap.
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/log.h"
#include "../parsers/kernel_record.h"
#include "pipeline_internal.h"

#ifndef AUDIT_NLGRP_READLOG
#define AUDIT_NLGRP_READLOG	1
#endif

/* The largest record the kernel sends, with room for its header. */
#define NETLINK_MSG_MAX		(8970 + 1024)
/* A record's line: "type=NAME msg=" and the payload. */
#define NETLINK_LINE_MAX	(INPUT_NETLINK_BUF_MIN - NETLINK_MSG_MAX)

static void
grow_receive_buffer(int fd, long long size)
{
	int want = size > 0x7fffffff ? 0x7fffffff : (int)size, got = 0;
	socklen_t len = sizeof(got);

	/* FORCE passes rmem_max (we are privileged); the plain one may not. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want,
	    sizeof(want)) == -1 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want)) == -1)
		log_warn("input: netlink receive buffer stays small");
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == 0)
		log_debug("input: netlink receive buffer %d bytes", got);
}

int
input_netlink_open(struct pipeline *p, long long rcvbuf)
{
	struct sockaddr_nl addr;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_AUDIT);
	if (fd == -1) {
		log_warn("input: cannot open an audit netlink socket");
		atomic_fetch_add(&p->input_errors, 1);
		return -1;
	}
	grow_receive_buffer(fd, rcvbuf);
	memset(&addr, 0, sizeof(addr));
	addr.nl_family = AF_NETLINK;
	addr.nl_groups = 1U << (AUDIT_NLGRP_READLOG - 1);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
		if (errno == EPERM || errno == EACCES)
			log_warnx("input: joining the kernel's audit multicast "
			    "group was refused: it needs CAP_AUDIT_READ and "
			    "the initial network namespace");
		else
			log_warn("input: cannot join the kernel's audit "
			    "multicast group (kernel 3.16 or later)");
		atomic_fetch_add(&p->input_errors, 1);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The record of one datagram, as a line to fn; 0 if it holds none.  The
 * kernel sends one record per datagram and sets nlmsg_len to the length
 * of the payload alone (auditd relies on that), so the header's length
 * cannot be used to walk the datagram as a netlink message stream: the
 * payload is what follows the header, up to a NUL.
 */
static long
record_of_datagram(const char *dgram, size_t n, line_split_fn *fn,
    void *ctx, char *line)
{
	const struct nlmsghdr *h = (const void *)dgram;
	const char *payload, *nul;
	size_t len, full;

	if (n <= NLMSG_HDRLEN)
		return 0;
	payload = dgram + NLMSG_HDRLEN;
	len = n - NLMSG_HDRLEN;
	if ((nul = memchr(payload, '\0', len)) != NULL)
		len = (size_t)(nul - payload);
	full = kernel_record_format(line, NETLINK_LINE_MAX, h->nlmsg_type,
	    payload, len);
	if (full == 0)
		return 0;	/* a control message */
	fn(ctx, line, full < NETLINK_LINE_MAX ? full : NETLINK_LINE_MAX - 1,
	    full);
	return 1;
}

/* One datagram: its size, 0 if none waits, -1 on an error (ENOBUFS too). */
static ssize_t
receive(int fd, char *buf, size_t size, int *from_kernel)
{
	struct sockaddr_nl from;
	struct iovec iov = { buf, size };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	while ((n = recvmsg(fd, &msg, MSG_DONTWAIT)) == -1 && errno == EINTR)
		;
	if (n == -1)
		return errno == EAGAIN ? 0 : -1;
	/* Only the kernel sends to the group; anything else is ignored. */
	*from_kernel = msg.msg_namelen == sizeof(from) && from.nl_pid == 0 &&
	    (msg.msg_flags & MSG_TRUNC) == 0;
	return n;
}

long
input_netlink_drain(struct pipeline *p, int fd, char *buf, size_t size,
    line_split_fn *fn, void *ctx, long max_records, size_t *bytes)
{
	char *dgram = buf, *line = buf + NETLINK_MSG_MAX;
	long records = 0;
	ssize_t n;
	int from_kernel;

	*bytes = 0;
	if (size < INPUT_NETLINK_BUF_MIN)
		return -1;
	while (records < max_records) {
		if ((n = receive(fd, dgram, NETLINK_MSG_MAX, &from_kernel)) == 0)
			break;
		if (n == -1 && errno == ENOBUFS) {
			atomic_fetch_add(&p->netlink_overruns, 1);
			log_ratelimited(&p->overrun_rl, "input: the kernel dropped "
			    "audit records for us (netlink receive buffer full; "
			    "see input.netlink.buffer_size)");
			continue;
		}
		if (n == -1) {
			log_warn("input: netlink receive");
			atomic_fetch_add(&p->input_errors, 1);
			return -1;
		}
		if (!from_kernel)
			continue;
		*bytes += (size_t)n;
		records += record_of_datagram(dgram, (size_t)n, fn, ctx, line);
	}
	atomic_fetch_add(&p->bytes_in, *bytes);
	return records;
}

/*
 * Listing sockets through NETLINK_SOCK_DIAG; see sock_diag.h.
 */
#include "config.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/errbuf.h"
#include "sock_diag.h"

/* TCP states worth reporting: not TIME_WAIT and the closing ones. */
#define TCP_ESTABLISHED	1
#define TCP_SYN_SENT	2
#define TCP_SYN_RECV	3
#define TCP_CLOSE	7	/* an unconnected UDP socket */
#define TCP_LISTEN	10
#define TCP_STATES	(1u << TCP_ESTABLISHED | 1u << TCP_SYN_SENT | \
			 1u << TCP_SYN_RECV | 1u << TCP_LISTEN)
#define UDP_STATES	(1u << TCP_ESTABLISHED | 1u << TCP_CLOSE)

#define RECV_TIMEOUT_MS	5000

struct sys_socket *
sock_table_add(struct sock_table *t)
{
	struct sys_socket *s;
	size_t want;

	if (t->n == t->cap) {
		if (t->cap >= SOCK_MAX)
			return NULL;
		want = t->cap ? t->cap * 2 : 256;
		if ((s = realloc(t->socks, want * sizeof(*s))) == NULL)
			return NULL;
		t->socks = s;
		t->cap = want;
	}
	s = &t->socks[t->n++];
	memset(s, 0, sizeof(*s));
	return s;
}

int
sock_key_cmp(const struct sys_socket *a, const struct sys_socket *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->protocol != b->protocol)
		return a->protocol < b->protocol ? -1 : 1;
	if ((c = memcmp(a->local, b->local, 16)) != 0 ||
	    (c = memcmp(a->remote, b->remote, 16)) != 0)
		return c;
	if (a->lport != b->lport)
		return a->lport < b->lport ? -1 : 1;
	if (a->rport != b->rport)
		return a->rport < b->rport ? -1 : 1;
	if (a->inode != b->inode)
		return a->inode < b->inode ? -1 : 1;
	return 0;
}

static int
qsort_cmp(const void *a, const void *b)
{
	return sock_key_cmp(a, b);
}

void
sock_table_sort(struct sock_table *t)
{
	size_t i, n;

	if (t->n < 2)
		return;
	qsort(t->socks, t->n, sizeof(*t->socks), qsort_cmp);
	for (i = 1, n = 1; i < t->n; i++)
		if (sock_key_cmp(&t->socks[i], &t->socks[n - 1]) != 0)
			t->socks[n++] = t->socks[i];
	t->n = n;
}

void
sock_table_free(struct sock_table *t)
{
	free(t->socks);
	memset(t, 0, sizeof(*t));
}

int
sock_diag_parse(const void *buf, size_t len, uint8_t protocol,
    struct sock_table *t, char *err, size_t errlen)
{
	const unsigned char *p = buf;
	struct nlmsghdr h;
	struct inet_diag_msg m;
	struct sys_socket *s;
	size_t alen;

	while (len >= sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len) {
			seterr(err, errlen, "sock_diag: a message of %u bytes "
			    "in %zu", h.nlmsg_len, len);
			return -1;
		}
		if (h.nlmsg_type == NLMSG_DONE)
			return 1;
		if (h.nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr e;

			if (h.nlmsg_len < sizeof(h) + sizeof(e)) {
				seterr(err, errlen, "sock_diag: a short error");
				return -1;
			}
			memcpy(&e, p + sizeof(h), sizeof(e));
			seterr(err, errlen, "sock_diag: %s",
			    strerror(e.error < 0 ? -e.error : e.error));
			return -1;
		}
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			if (h.nlmsg_len < sizeof(h) + sizeof(m)) {
				seterr(err, errlen, "sock_diag: a short "
				    "inet_diag_msg (%u bytes)", h.nlmsg_len);
				return -1;
			}
			memcpy(&m, p + sizeof(h), sizeof(m));
			alen = m.idiag_family == AF_INET ? 4 :
			    m.idiag_family == AF_INET6 ? 16 : 0;
			if (alen != 0) {
				if ((s = sock_table_add(t)) == NULL) {
					seterr(err, errlen, "sock_diag: out "
					    "of memory, or more than %u "
					    "sockets", SOCK_MAX);
					return -1;
				}
				s->family = m.idiag_family;
				s->protocol = protocol;
				s->state = m.idiag_state;
				memcpy(s->local, m.id.idiag_src, alen);
				memcpy(s->remote, m.id.idiag_dst, alen);
				s->lport = ntohs(m.id.idiag_sport);
				s->rport = ntohs(m.id.idiag_dport);
				s->inode = m.idiag_inode;
				s->uid = m.idiag_uid;
			}
		}
		alen = NLMSG_ALIGN(h.nlmsg_len);
		if (alen >= len)
			break;
		p += alen;
		len -= alen;
	}
	return 0;
}

static int
dump(int fd, uint8_t family, uint8_t protocol, uint32_t states,
    struct sock_table *t, char *err, size_t errlen)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static unsigned char buf[65536];	/* the system thread's alone */
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t n;
	int rc;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = family;
	req.r.sdiag_protocol = protocol;
	req.r.idiag_states = states;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) != (ssize_t)sizeof(req)) {
		seterr(err, errlen, "sock_diag: send: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		if ((rc = poll(&pfd, 1, RECV_TIMEOUT_MS)) <= 0) {
			if (rc == -1 && errno == EINTR)
				continue;
			seterr(err, errlen, "sock_diag: %s", rc == 0 ?
			    "no answer" : strerror(errno));
			return -1;
		}
		/* MSG_TRUNC: the length of the datagram, even if longer. */
		if ((n = recv(fd, buf, sizeof(buf), MSG_TRUNC)) < 0) {
			if (errno == EINTR)
				continue;
			seterr(err, errlen, "sock_diag: recv: %s",
			    strerror(errno));
			return -1;
		}
		if (n == 0) {
			seterr(err, errlen, "sock_diag: the answer ended");
			return -1;
		}
		if ((size_t)n > sizeof(buf)) {
			seterr(err, errlen, "sock_diag: a datagram of %zd "
			    "bytes, more than %zu", n, sizeof(buf));
			return -1;
		}
		if ((rc = sock_diag_parse(buf, (size_t)n, protocol, t, err,
		    errlen)) != 0)
			return rc == 1 ? 0 : -1;
	}
}

int
sock_diag_list(struct sock_table *t, char *err, size_t errlen)
{
	static const struct {
		uint8_t		 family, protocol;
		uint32_t	 states;
	} asks[] = {
		{ AF_INET, IPPROTO_TCP, TCP_STATES },
		{ AF_INET6, IPPROTO_TCP, TCP_STATES },
		{ AF_INET, IPPROTO_UDP, UDP_STATES },
		{ AF_INET6, IPPROTO_UDP, UDP_STATES },
	};
	size_t i;
	int fd, rc = 0;

	memset(t, 0, sizeof(*t));
	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1) {
		seterr(err, errlen, "sock_diag: socket: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(asks) / sizeof(asks[0]) && rc == 0; i++)
		rc = dump(fd, asks[i].family, asks[i].protocol,
		    asks[i].states, t, err, errlen);
	close(fd);
	if (rc == -1)
		sock_table_free(t);
	else
		sock_table_sort(t);
	return rc;
}

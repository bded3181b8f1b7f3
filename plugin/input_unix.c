/*
 * The af_unix input: auditd's own socket (the "builtin_af_unix" plugin of
 * auditd 3, or audisp-af_unix), in its string format, which is the text
 * auditd writes to its log.
 *
 * auditd serves one client at a time: it accepts a connection and stops
 * listening until a write to that client fails.  A second client's
 * connect still succeeds (the kernel queues it) but nothing ever arrives,
 * which looks like a quiet host.  input_unix_busy() tells the two apart
 * by asking the kernel (sock_diag) how many connections wait on the
 * listening socket.
 */
#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/timeutil.h"
#include "pipeline_internal.h"

#define BACKOFF_MIN_MS	250
#define BACKOFF_MAX_MS	10000
#define BUSY_CHECK_MS	1000	/* after a connect with no data */
#define DIAG_BUF_SIZE	32768
#define DIAG_MAX_READS	4096	/* a bound on a dump of every socket */

static int
connect_to(struct pipeline *p, const char *path)
{
	struct sockaddr_un addr;
	int fd;

	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		log_warnx("input: input.unix.path is too long for a socket "
		    "address: %s", path);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("input: socket");
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
		log_debug("input: cannot connect to %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	atomic_fetch_add(&p->unix_connects, 1);
	return fd;
}

/* Ask for every listening af_unix socket, with its name and queue. */
static int
send_dump_request(int nl)
{
	struct {
		struct nlmsghdr		nlh;
		struct unix_diag_req	req;
	} r;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	memset(&r, 0, sizeof(r));
	r.nlh.nlmsg_len = sizeof(r);
	r.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	r.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	r.req.sdiag_family = AF_UNIX;
	r.req.udiag_states = 1U << 10;	/* TCP_LISTEN */
	r.req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_RQLEN;
	return sendto(nl, &r, sizeof(r), 0, (struct sockaddr *)&kernel,
	    sizeof(kernel)) == (ssize_t)sizeof(r) ? 0 : -1;
}

/*
 * One socket of the dump: its pending connections if it listens at path,
 * else -1.
 */
static long
pending_at(const struct nlmsghdr *h, const char *path)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	const struct rtattr *a;
	size_t left, plen = strlen(path);
	long pending = -1;
	int named = 0;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return -1;
	left = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
	for (a = (const void *)(m + 1); RTA_OK(a, left);
	    a = RTA_NEXT(a, left)) {
		size_t alen = RTA_PAYLOAD(a);

		if (a->rta_type == UNIX_DIAG_NAME && alen >= plen &&
		    memcmp(RTA_DATA(a), path, plen) == 0 &&
		    (alen == plen || ((const char *)RTA_DATA(a))[plen] == '\0'))
			named = 1;
		else if (a->rta_type == UNIX_DIAG_RQLEN &&
		    alen >= sizeof(struct unix_diag_rqlen))
			pending = ((const struct unix_diag_rqlen *)
			    RTA_DATA(a))->udiag_rqueue;
	}
	return named ? pending : -1;
}

/* Read the dump to its end; the most pending at path, or -1. */
static long
read_dump(int nl, const char *path, char *buf)
{
	const struct nlmsghdr *h;
	long most = -1, n;
	ssize_t got;
	size_t left;
	int reads;

	for (reads = 0; reads < DIAG_MAX_READS; reads++) {
		if ((got = recv(nl, buf, DIAG_BUF_SIZE, 0)) <= 0)
			return most;
		left = (size_t)got;
		for (h = (const void *)buf; NLMSG_OK(h, left);
		    h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR)
				return most;
			if ((n = pending_at(h, path)) > most)
				most = n;
		}
	}
	return most;
}

/*
 * Nonzero when the listening socket at path has connections waiting to be
 * accepted: auditd serves one client at a time, so ours waits behind
 * another one.
 */
static int
is_busy(const char *path)
{
	static char buf[DIAG_BUF_SIZE];	/* the parser thread's only */
	struct timeval tv = { 1, 0 };
	long pending;
	int nl;

	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl == -1)
		return 0;
	(void)setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	pending = send_dump_request(nl) == 0 ? read_dump(nl, path, buf) : -1;
	close(nl);
	return pending > 0;
}

void
input_unix_init(struct unix_input *u, const char *path)
{
	memset(u, 0, sizeof(*u));
	u->path = path;
	u->fd = -1;
	u->backoff_ms = BACKOFF_MIN_MS;
}

static void
try_connect(struct pipeline *p, struct unix_input *u, long now)
{
	if ((u->fd = connect_to(p, u->path)) != -1) {
		log_info("input: connected to %s", u->path);
		u->down_told = 0;
		u->backoff_ms = BACKOFF_MIN_MS;
		u->busy_check_at = now + BUSY_CHECK_MS;
		return;
	}
	if (!u->down_told)
		log_warnx("input: cannot connect to %s (is auditd running with "
		    "its af_unix plugin active?); retrying", u->path);
	u->down_told = 1;
	u->backoff_ms = u->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
	    u->backoff_ms * 2;
	u->retry_at = now + u->backoff_ms;
}

void
input_unix_upkeep(struct pipeline *p, struct unix_input *u)
{
	long now = monotonic_ms();

	if (u->fd == -1 && now >= u->retry_at)
		try_connect(p, u, now);
	if (u->busy_check_at == 0 || now < u->busy_check_at)
		return;
	u->busy_check_at = 0;
	if (!u->busy_told && is_busy(u->path)) {
		log_warnx("input: %s is busy: auditd serves one client at a "
		    "time and another one holds it; waiting until it lets go",
		    u->path);
		u->busy_told = 1;
	}
}

long
input_unix_due(const struct unix_input *u)
{
	if (u->fd == -1)
		return u->retry_at;
	return u->busy_check_at != 0 ? u->busy_check_at : -1;
}

void
input_unix_lost(struct unix_input *u)
{
	log_info("input: %s closed; connecting again", u->path);
	input_unix_close(u);
	u->busy_check_at = 0;
	u->busy_told = 0;
	u->backoff_ms = BACKOFF_MIN_MS;
	u->retry_at = monotonic_ms() + u->backoff_ms;
}

void
input_unix_flowing(struct unix_input *u)
{
	if (u->busy_told)
		log_info("input: %s: records arrive", u->path);
	u->busy_check_at = 0;
	u->busy_told = 0;
}

void
input_unix_close(struct unix_input *u)
{
	if (u->fd != -1)
		close(u->fd);
	u->fd = -1;
}

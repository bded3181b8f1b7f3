/*
 * Unit tests for the Logstash publisher (outputs/publisher.c): windows in
 * flight, partial and cumulative acks, a connection lost in the middle of
 * a window, reconnecting with backoff, and several hosts.
 *
 * The test itself is the Logstash server: it listens on loopback, reads
 * the windows the publisher's workers send and answers with acks, one
 * step after the other, so the order of events is fixed by the protocol
 * and never by sleeping.  Every wait for the publisher is bounded by
 * HANG_MS only to catch a hang.  The spool is a real one in a temporary
 * directory: what it acknowledged is what the test checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "outputs/publisher.h"
#include "outputs/spool.h"
#include "call_probe.h"

#define MAX_DOCS	64
#define BACKOFF_INIT	200	/* ms; the first wait is 100 to 200 */
#define BACKOFF_MAX	800
/* Keepalives in one write: far more than a server may send in a second. */
#define FLOOD		1000
/* As many as Logstash sends in minutes, and under the flood bound. */
#define KEEPALIVES	50

/* A server the publisher connects to. */
struct peer {
	int		 lfd;		/* listening socket */
	char		 spec[32];	/* "127.0.0.1:PORT", for the config */
};

struct fixture {
	char		 dir[256];	/* the spool's */
	struct spool	*sp;
	struct peer	 peers[2];
	char		*hosts[2];
};

/* One window as the test server received it. */
struct window {
	uint32_t	 n;
	int		 docs[MAX_DOCS];	/* the "n" member of each */
};

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char err[256];
	struct fixture *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test_publisher.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	if ((f->sp = spool_open(f->dir, 64 * 1024 * 1024, SPOOL_BLOCK, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "spool_open: %s\n", err);
		return -1;
	}
	f->peers[0].lfd = f->peers[1].lfd = -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	int i;

	spool_free(f->sp);
	for (i = 0; i < 2; i++)
		if (f->peers[i].lfd != -1)
			close(f->peers[i].lfd);
	remove_flat_dir(f->dir);
	free(f);
	return 0;
}

/* Peer i gets an ephemeral loopback port of its own. */
static void
peer_bind(struct fixture *f, int i)
{
	struct peer *p = &f->peers[i];
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(p->lfd != -1);
	assert_int_equal(bind(p->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(p->lfd, (struct sockaddr *)&sin, &len), 0);
	snprintf(p->spec, sizeof(p->spec), "127.0.0.1:%u",
	    (unsigned)ntohs(sin.sin_port));
	f->hosts[i] = p->spec;
}

/* Peer i listens. */
static void
peer_listen(struct fixture *f, int i)
{
	peer_bind(f, i);
	assert_int_equal(listen(f->peers[i].lfd, 8), 0);
}

/*
 * Peer i is a port where nobody listens: bound without listen(), so the
 * port stays ours and every connection to it is refused.
 */
static void
peer_refusing(struct fixture *f, int i)
{
	peer_bind(f, i);
}

/* Waits for fds[0..n) until one has events; returns its index. */
static int
wait_any(const int *fds, int n, short events)
{
	struct pollfd pfd[4];
	int i, r;

	for (i = 0; i < n; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = events;
		pfd[i].revents = 0;
	}
	do
		r = poll(pfd, (nfds_t)n, HANG_MS);
	while (r == -1 && errno == EINTR);
	assert_true(r > 0);
	for (i = 0; i < n; i++)
		if (pfd[i].revents != 0)
			return i;
	fail();
	return -1;
}

/* The next connection to peer i. */
static int
peer_accept(struct fixture *f, int i)
{
	int fd;

	wait_any(&f->peers[i].lfd, 1, POLLIN);
	fd = accept(f->peers[i].lfd, NULL, NULL);
	assert_true(fd != -1);
	return fd;
}

/* The next connection to either peer; *which says to which. */
static int
accept_either(struct fixture *f, int *which)
{
	int lfds[2] = { f->peers[0].lfd, f->peers[1].lfd }, fd;

	*which = wait_any(lfds, 2, POLLIN);
	fd = accept(lfds[*which], NULL, NULL);
	assert_true(fd != -1);
	return fd;
}

/* Exactly n bytes; 0, or -1 when the peer closes before the first one. */
static int
read_full(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		wait_any(&fd, 1, POLLIN);
		r = read(fd, p + got, n - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0 && got == 0)
			return -1;
		assert_true(r > 0);
		got += (size_t)r;
	}
	return 0;
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * One window: "2W" n, then n plain "2J" frames numbered 1..n, each a
 * document {"@metadata":{...},"n":K}.  -1 when the publisher closed the
 * connection instead.
 */
static int
read_window(int fd, struct window *w)
{
	unsigned char h[10];
	char doc[512];
	const char *n;
	uint32_t i, len;

	if (read_full(fd, h, 6) == -1)
		return -1;
	assert_memory_equal(h, "2W", 2);
	w->n = get_u32(h + 2);
	assert_true(w->n >= 1 && w->n <= MAX_DOCS);
	for (i = 0; i < w->n; i++) {
		assert_int_equal(read_full(fd, h, 10), 0);
		assert_memory_equal(h, "2J", 2);
		assert_int_equal(get_u32(h + 2), i + 1);
		len = get_u32(h + 6);
		assert_true(len < sizeof(doc));
		assert_int_equal(read_full(fd, doc, len), 0);
		doc[len] = '\0';
		assert_true(strncmp(doc, "{\"@metadata\":{", 14) == 0);
		assert_non_null(n = strstr(doc, ",\"n\":"));
		w->docs[i] = atoi(n + 5);
	}
	return 0;
}

/* The window holds documents first .. first + count - 1, in order. */
static void
assert_docs(const struct window *w, int first, uint32_t count)
{
	uint32_t i;

	assert_int_equal(w->n, count);
	for (i = 0; i < count; i++)
		assert_int_equal(w->docs[i], first + (int)i);
}

static void
expect_window(int fd, int first, uint32_t count)
{
	struct window w;

	assert_int_equal(read_window(fd, &w), 0);
	assert_docs(&w, first, count);
}

/*
 * Acks with these sequence numbers, all in one write; 0 or -1 when the
 * publisher closed the connection meanwhile.
 */
static int
try_send_acks(int fd, const uint32_t *seqs, size_t n)
{
	unsigned char buf[FLOOD * 6];
	size_t i;

	assert_true(n <= FLOOD);
	for (i = 0; i < n; i++) {
		buf[i * 6] = '2';
		buf[i * 6 + 1] = 'A';
		buf[i * 6 + 2] = (unsigned char)(seqs[i] >> 24);
		buf[i * 6 + 3] = (unsigned char)(seqs[i] >> 16);
		buf[i * 6 + 4] = (unsigned char)(seqs[i] >> 8);
		buf[i * 6 + 5] = (unsigned char)seqs[i];
	}
	if (send(fd, buf, n * 6, MSG_NOSIGNAL) == (ssize_t)(n * 6))
		return 0;
	assert_true(errno == EPIPE || errno == ECONNRESET);
	return -1;
}

static void
send_acks(int fd, const uint32_t *seqs, size_t n)
{
	assert_int_equal(try_send_acks(fd, seqs, n), 0);
}

static void
send_ack(int fd, uint32_t seq)
{
	send_acks(fd, &seq, 1);
}

/* The publisher sends nothing more for now. */
static void
expect_quiet(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	assert_int_equal(poll(&pfd, 1, BLOCKED_MS), 0);
}

/* The publisher closed this connection. */
static void
expect_closed(int fd)
{
	struct window w;

	assert_int_equal(read_window(fd, &w), -1);
}

/* Documents first .. first + count - 1, one spool record each. */
static void
append_docs(struct fixture *f, int first, int count)
{
	char doc[64];
	int i, n;

	for (i = first; i < first + count; i++) {
		n = snprintf(doc, sizeof(doc), "{\"n\":%d}\n", i);
		assert_int_equal(spool_append(f->sp, doc, (size_t)n, 1), 0);
	}
}

static struct publisher *
start(struct fixture *f, size_t nhosts, int loadbalance, size_t bulk,
    int pipelining)
{
	struct publisher_config pc;
	struct publisher *pub;
	char err[256] = "";

	memset(&pc, 0, sizeof(pc));
	pc.hosts = f->hosts;
	pc.nhosts = nhosts;
	pc.loadbalance = loadbalance;
	pc.workers = 1;
	pc.bulk_max_size = bulk;
	pc.pipelining = pipelining;
	pc.backoff_init_ms = BACKOFF_INIT;
	pc.backoff_max_ms = BACKOFF_MAX;
	pc.lj.index = "test";
	pc.lj.version = "1.0";
	/* Nothing here waits for a timeout: it only catches a hang. */
	pc.lj.timeout_ms = HANG_MS;
	pub = publisher_start(f->sp, &pc, err, sizeof(err));
	if (pub == NULL)
		fprintf(stderr, "publisher_start: %s\n", err);
	assert_non_null(pub);
	return pub;
}

static int
join_call(void *arg)
{
	publisher_join(arg);
	return 0;
}

/* No more documents: the workers stop once every one is acknowledged. */
static void
drain_and_join(struct fixture *f, struct publisher *pub)
{
	struct call_probe probe;

	spool_close_input(f->sp);
	probe_start(&probe, join_call, pub);
	probe_finish(&probe);
}

static void
stats_of(struct publisher *pub, struct publisher_stats *s)
{
	memset(s, 0, sizeof(*s));
	publisher_get_stats(pub, s);
}

static uint64_t
spool_acked(struct fixture *f)
{
	struct spool_stats ss;

	spool_get_stats(f->sp, &ss);
	return ss.acked;
}

/*
 * Documents 1..ndocs for a publisher with one host, one worker, the
 * given windows; returns its connection.
 */
static int
one_host(struct fixture *f, int ndocs, size_t bulk, int pipelining,
    struct publisher **pub)
{
	peer_listen(f, 0);
	append_docs(f, 1, ndocs);
	*pub = start(f, 1, 0, bulk, pipelining);
	return peer_accept(f, 0);
}

/*
 * Everything is sent: the workers stop and close fd, and the spool has
 * acknowledged `acked` documents.
 */
static void
finish(struct fixture *f, struct publisher *pub, int fd, uint64_t acked)
{
	drain_and_join(f, pub);
	expect_closed(fd);
	close(fd);
	assert_int_equal(spool_acked(f), acked);
}

/*
 * Windows of bulk_max_size, `pipelining` of them in flight before the
 * first ack, numbered 1..n each; the next ticket waits for the acks.
 */
static void
test_windows_in_flight(void **state)
{
	struct fixture *f = *state;
	struct call_probe probe;
	struct publisher_stats s;
	struct publisher *pub;
	int fd;

	fd = one_host(f, 7, 3, 2, &pub);
	expect_window(fd, 1, 3);
	expect_window(fd, 4, 3);
	expect_quiet(fd);
	assert_int_equal(spool_acked(f), 0);
	send_ack(fd, 3);
	send_ack(fd, 3);
	expect_window(fd, 7, 1);
	assert_int_equal(spool_acked(f), 6);
	stats_of(pub, &s);
	assert_int_equal(s.windows, 2);
	assert_int_equal(s.published, 6);
	/* Closed, but not drained: the workers wait for the last ack. */
	spool_close_input(f->sp);
	probe_start(&probe, join_call, pub);
	probe_assert_blocked(&probe);
	send_ack(fd, 1);
	probe_finish(&probe);
	expect_closed(fd);
	close(fd);
	assert_int_equal(spool_acked(f), 7);
	assert_true(spool_drained(f->sp));
}

/*
 * Partial acks, keep-alives (ACK 0) and repeated acks in between, and the
 * acks of two windows arriving in one read: each ack counts for the
 * oldest window still open.
 */
static void
test_partial_and_cumulative_acks(void **state)
{
	struct fixture *f = *state;
	const uint32_t first[] = { 1, 0, 2, 2, 0 };
	const uint32_t rest[] = { 4, 3, 0, 4 };
	struct publisher *pub;
	int fd;

	fd = one_host(f, 8, 4, 2, &pub);
	expect_window(fd, 1, 4);
	expect_window(fd, 5, 4);
	send_acks(fd, first, sizeof(first) / sizeof(first[0]));
	expect_quiet(fd);
	/* Half a ticket acknowledged is nothing acknowledged to the spool. */
	assert_int_equal(spool_acked(f), 0);
	send_acks(fd, rest, sizeof(rest) / sizeof(rest[0]));
	finish(f, pub, fd, 8);
}

/*
 * The connection drops after the first window and part of the second
 * were acknowledged: only the documents not acknowledged are sent again,
 * on a new connection, after the backoff; the spool hears of the ticket
 * only once all of it is acknowledged.
 */
static void
test_drop_mid_window(void **state)
{
	struct fixture *f = *state;
	struct publisher_stats s;
	struct publisher *pub;
	long closed_at;
	int fd;

	fd = one_host(f, 6, 3, 2, &pub);
	expect_window(fd, 1, 3);
	expect_window(fd, 4, 3);
	send_ack(fd, 3);
	send_ack(fd, 1);
	close(fd);
	closed_at = monotonic_ms();
	fd = peer_accept(f, 0);
	assert_true(monotonic_ms() - closed_at >= BACKOFF_INIT / 2);
	expect_window(fd, 5, 2);
	stats_of(pub, &s);
	assert_int_equal(s.published, 4);
	assert_int_equal(s.retries, 1);
	assert_int_equal(s.connects, 2);
	assert_int_equal(spool_acked(f), 0);
	send_ack(fd, 2);
	finish(f, pub, fd, 6);
}

static int
abort_call(void *arg)
{
	publisher_abort(arg);
	publisher_join(arg);
	return 0;
}

/*
 * Stopped before the peer acknowledged everything: what it did not
 * acknowledge stays in the spool, on disk, for the next start.
 */
static void
test_abort_keeps_unacked(void **state)
{
	struct fixture *f = *state;
	struct call_probe probe;
	struct spool_stats ss;
	struct publisher *pub;
	char err[256];
	int fd;

	fd = one_host(f, 3, 3, 1, &pub);
	expect_window(fd, 1, 3);
	send_ack(fd, 2);
	/* The worker waits for the rest of the window: abort interrupts it. */
	probe_start(&probe, abort_call, pub);
	probe_finish(&probe);
	expect_closed(fd);
	close(fd);
	assert_int_equal(spool_acked(f), 0);
	spool_free(f->sp);
	f->sp = spool_open(f->dir, 64 * 1024 * 1024, SPOOL_BLOCK, err,
	    sizeof(err));
	assert_non_null(f->sp);
	spool_get_stats(f->sp, &ss);
	assert_int_equal(ss.recovered, 3);
}

/*
 * Each failure in a row doubles the wait before the next connection
 * (jittered between half and all of it); success starts it over.
 */
static void
test_backoff_grows(void **state)
{
	struct fixture *f = *state;
	struct publisher_stats s;
	struct publisher *pub;
	long closed_at, wait = BACKOFF_INIT;
	int fd, i;

	fd = one_host(f, 2, 2, 1, &pub);
	for (i = 0; i < 3; i++) {
		expect_window(fd, 1, 2);
		close(fd);
		closed_at = monotonic_ms();
		fd = peer_accept(f, 0);
		assert_true(monotonic_ms() - closed_at >= wait / 2);
		wait = wait * 2 > BACKOFF_MAX ? BACKOFF_MAX : wait * 2;
	}
	expect_window(fd, 1, 2);
	stats_of(pub, &s);
	assert_int_equal(s.retries, 3);
	assert_int_equal(s.connects, 4);
	send_ack(fd, 2);
	finish(f, pub, fd, 2);
}

/* Without loadbalance, a worker whose host fails moves to the next one. */
static void
test_failover_moves_on(void **state)
{
	struct fixture *f = *state;
	struct publisher *pub;
	int fd, first, second;

	peer_listen(f, 0);
	peer_listen(f, 1);
	append_docs(f, 1, 4);
	pub = start(f, 2, 0, 4, 1);
	fd = accept_either(f, &first);
	expect_window(fd, 1, 4);
	close(fd);
	fd = accept_either(f, &second);
	assert_int_not_equal(first, second);
	expect_window(fd, 1, 4);
	send_ack(fd, 4);
	finish(f, pub, fd, 4);
}

/* A host that refuses connections is skipped (after the backoff). */
static void
test_failover_skips_refusing_host(void **state)
{
	struct fixture *f = *state;
	struct publisher_stats s;
	struct publisher *pub;
	int fd;

	peer_refusing(f, 0);
	peer_listen(f, 1);
	append_docs(f, 1, 4);
	pub = start(f, 2, 0, 4, 1);
	fd = peer_accept(f, 1);
	expect_window(fd, 1, 4);
	send_ack(fd, 4);
	stats_of(pub, &s);
	assert_true(s.connect_failures <= 1);
	assert_int_equal(s.connects, 1);
	finish(f, pub, fd, 4);
}

/*
 * With loadbalance every host has a worker of its own, and together they
 * deliver each document once.
 */
static void
test_loadbalance(void **state)
{
	struct fixture *f = *state;
	struct publisher *pub;
	struct window w;
	int fds[2], seen[9] = { 0 }, got = 0, i, which;
	uint32_t j;

	peer_listen(f, 0);
	peer_listen(f, 1);
	append_docs(f, 1, 8);
	pub = start(f, 2, 1, 2, 1);
	fds[0] = peer_accept(f, 0);
	fds[1] = peer_accept(f, 1);
	while (got < 8) {
		which = wait_any(fds, 2, POLLIN);
		assert_int_equal(read_window(fds[which], &w), 0);
		for (j = 0; j < w.n; j++) {
			assert_true(w.docs[j] >= 1 && w.docs[j] <= 8);
			seen[w.docs[j]]++;
		}
		got += (int)w.n;
		send_ack(fds[which], w.n);
	}
	drain_and_join(f, pub);
	for (i = 0; i < 2; i++) {
		expect_closed(fds[i]);
		close(fds[i]);
	}
	for (i = 1; i <= 8; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(spool_acked(f), 8);
}

/* Keepalives, even many at once, keep the connection and the window. */
static void
test_keepalives_are_no_flood(void **state)
{
	struct fixture *f = *state;
	uint32_t acks[KEEPALIVES] = { 0 };
	struct publisher_stats s;
	struct publisher *pub;
	int fd;

	fd = one_host(f, 4, 4, 1, &pub);
	expect_window(fd, 1, 4);
	acks[KEEPALIVES / 2] = 2;	/* a partial ack among them */
	send_acks(fd, acks, KEEPALIVES);
	send_ack(fd, 4);
	append_docs(f, 5, 1);
	expect_window(fd, 5, 1);
	stats_of(pub, &s);
	assert_int_equal(s.ack_floods, 0);
	assert_int_equal(s.retries, 0);
	assert_int_equal(s.connects, 1);
	send_ack(fd, 1);
	finish(f, pub, fd, 5);
}

/*
 * A server flooding keepalives is dropped: counted, backed off from, and
 * the window sent again on a new connection; what it acknowledged before
 * the flood counts.
 */
static void
test_keepalive_flood(void **state)
{
	struct fixture *f = *state;
	static uint32_t flood[FLOOD];
	struct publisher_stats s;
	struct publisher *pub;
	long flood_at;
	int fd;

	fd = one_host(f, 4, 4, 1, &pub);
	expect_window(fd, 1, 4);
	send_ack(fd, 1);
	flood_at = monotonic_ms();
	(void)try_send_acks(fd, flood, FLOOD);
	expect_closed(fd);
	close(fd);
	fd = peer_accept(f, 0);
	assert_true(monotonic_ms() - flood_at >= BACKOFF_INIT / 2);
	expect_window(fd, 2, 3);
	stats_of(pub, &s);
	assert_int_equal(s.ack_floods, 1);
	assert_int_equal(s.retries, 1);
	assert_int_equal(s.published, 1);
	send_ack(fd, 3);
	finish(f, pub, fd, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_windows_in_flight,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_and_cumulative_acks,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_mid_window,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_keeps_unacked,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_backoff_grows,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_failover_moves_on,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_failover_skips_refusing_host,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_loadbalance,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalives_are_no_flood,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalive_flood,
		    setup, teardown),
	};

	log_set_level(LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

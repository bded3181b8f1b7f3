/*
 * The Lumberjack ack reader (outputs/lumberjack.h): what a Logstash, or
 * anything listening where Logstash should be, answers to our windows.
 *
 * The client is the real one, over a real TCP connection to a listener
 * of this process on 127.0.0.1: it connects, sends the windows, and the
 * "server" answers with the bytes of the input and closes its side.  The
 * client then waits for every window in flight, as the publisher does,
 * until each is acknowledged or has failed.
 *
 * Input: one byte: windows in flight (1 + bits 0-1) and compression
 * (bit 2); then one byte per window: its documents (1 + value % 16);
 * then the bytes the server sends.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "outputs/lumberjack.h"

#define MAX_WINDOWS	4
#define MAX_DOCS	16

static int listener = -1;
static char port[16];

static void
listen_once(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (listener != -1)
		return;
	/* The client's writes: a closed peer is an error, not SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(listener, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(listener, 8) == -1 ||
	    getsockname(listener, (struct sockaddr *)&sin, &len) == -1) {
		perror("fuzz: listener on 127.0.0.1");
		abort();
	}
	snprintf(port, sizeof(port), "%u", ntohs(sin.sin_port));
}

/* What the client sent so far, read and dropped, so close sends a FIN. */
static void
drain(int fd)
{
	char buf[65536];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static void
answer(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	drain(fd);
	while (n > 0 && (w = send(fd, p, n, MSG_NOSIGNAL)) > 0) {
		p += w;
		n -= (size_t)w;
	}
	shutdown(fd, SHUT_WR);
}

static void
wait_all(struct lj_conn *c, const size_t sizes[], size_t nwindows)
{
	char err[512];
	size_t acked, i = 0;

	while (lj_windows_in_flight(c) > 0) {
		if (lj_wait_window(c, &acked, err, sizeof(err)) == 0 &&
		    acked != sizes[i])
			abort();	/* success means the whole window */
		if (acked > sizes[i])
			abort();
		i++;
	}
	if (i != nwindows)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sv doc = { "{\"message\":\"x\"}", 15 };
	struct sv docs[MAX_DOCS];
	struct fuzz_cursor in = { data, size };
	struct lj_config cfg;
	struct lj_conn *c;
	size_t sizes[MAX_WINDOWS], nwindows, sent = 0, i;
	uint8_t opt = fuzz_byte(&in);
	char err[512];
	int fd;

	fuzz_init();
	listen_once();
	for (i = 0; i < MAX_DOCS; i++)
		docs[i] = doc;
	nwindows = 1 + (opt & 3);
	for (i = 0; i < nwindows; i++)
		sizes[i] = 1 + fuzz_byte(&in) % MAX_DOCS;
	memset(&cfg, 0, sizeof(cfg));
	cfg.index = "audisp-ecs";
	cfg.version = "0.1.0";
	cfg.compression_level = opt & 4 ? 3 : 0;
	cfg.timeout_ms = 2000;
	if ((c = lj_connect("127.0.0.1", port, &cfg, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "fuzz: %s\n", err);
		return 0;
	}
	if ((fd = accept(listener, NULL, NULL)) == -1) {
		perror("fuzz: accept");
		abort();
	}
	for (i = 0; i < nwindows; i++)
		if (lj_send_window(c, docs, sizes[i], err, sizeof(err)) == 0)
			sent++;
	answer(fd, in.p, in.n);
	wait_all(c, sizes, sent);
	lj_close(c);
	close(fd);
	return 0;
}

/*
 * Unit tests for the Lumberjack v2 client and its TLS layer
 * (outputs/lumberjack.h, outputs/tls.h).
 *
 * Encoding is compared byte for byte with frames built here by hand.  The
 * protocol is exercised against a fake server: a thread listening on an
 * ephemeral port of 127.0.0.1 that reads windows (checking every frame)
 * and then follows a script of acks, keepalives, pauses, garbage and
 * closes.  The TLS tests make a CA and certificates with the openssl
 * command line tool in a temporary directory; without that tool they are
 * skipped (exit 77 after the other tests pass).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "outputs/lumberjack.h"
#include "outputs/tls.h"
#include "helpers.h"

#define META_B1 "\"@metadata\":{\"beat\":\"b\",\"type\":\"_doc\"," \
		"\"version\":\"1\"}"

static struct sv
sv_lit(const char *s)
{
	return (struct sv){ s, strlen(s) };
}

static struct lj_config
config(int timeout_ms)
{
	struct lj_config cfg = { 0 };

	cfg.index = "b";
	cfg.version = "1";
	cfg.timeout_ms = timeout_ms;
	return cfg;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The frames a window should be made of, built independently. */
static void
add_u32(struct jw *w, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

	jw_append(w, (const char *)b, 4);
}

static void
add_j(struct jw *w, uint32_t seq, const char *payload)
{
	jw_append(w, "2J", 2);
	add_u32(w, seq);
	add_u32(w, (uint32_t)strlen(payload));
	jw_append(w, payload, strlen(payload));
}

static void
assert_bytes(const struct jw *got, const struct jw *want)
{
	assert_false(jw_failed(got));
	assert_int_equal(jw_len(got), jw_len(want));
	assert_memory_equal(jw_data(got), jw_data(want), jw_len(want));
}

/* ---- Encoding ---- */

static void
test_encode_exact_bytes(void **state)
{
	static const char expect[] =
	    "2W\0\0\0\x02"
	    "2J\0\0\0\x01\0\0\0\x3c" "{" META_B1 ",\"a\":1}"
	    "2J\0\0\0\x02\0\0\0\x36" "{" META_B1 "}";
	struct lj_config cfg = config(1000);
	struct sv docs[] = { sv_lit("{\"a\":1}"), sv_lit("{}") };
	struct jw w;

	(void)state;
	jw_init(&w);
	assert_int_equal(lj_encode_window(&cfg, docs, 2, &w), 0);
	assert_int_equal(jw_len(&w), sizeof(expect) - 1);
	assert_memory_equal(jw_data(&w), expect, sizeof(expect) - 1);
	jw_release(&w);
}

/*
 * Documents encoded in one window: the payload of each J frame, with the
 * @metadata the configuration (index, version, escape_html) makes.
 */
static const struct encode_case {
	const char	*name;
	const char	*index;
	const char	*version;
	int		 escape_html;
	const char	*docs[4];	/* up to a NULL */
	const char	*payloads[4];
} encode_cases[] = {
	{ "encode numbers documents and keeps their text", "b", "1", 0,
	    { "{\"x\":\"y\",\"n\":[1,2,{\"z\":null}]}", " { } ",
	    "{ \"k\" : 1 }\n" },
	    { "{" META_B1 ",\"x\":\"y\",\"n\":[1,2,{\"z\":null}]}",
	    "{" META_B1 " }", "{" META_B1 ", \"k\" : 1 }" } },
	{ "encode escapes metadata strings", "a\"b\\c", "1.0\n", 0,
	    { "{}" },
	    { "{\"@metadata\":{\"beat\":\"a\\\"b\\\\c\","
	    "\"type\":\"_doc\",\"version\":\"1.0\\n\"}}" } },
	/* escape_html off: the document goes as it is. */
	{ "encode without escape_html", "b", "1", 0,
	    { "{\"m\":\"<a href=\\\"x\\\">&amp;</a>\"}" },
	    { "{" META_B1 ",\"m\":\"<a href=\\\"x\\\">&amp;</a>\"}" } },
	/* On: Go's json.Marshal spelling. */
	{ "encode with escape_html", "b", "1", 1,
	    { "{\"m\":\"<a href=\\\"x\\\">&amp;</a>\"}" },
	    { "{" META_B1 ",\"m\":\"\\u003ca href=\\\"x\\\"\\u003e"
	    "\\u0026amp;\\u003c/a\\u003e\"}" } },
};

static void
test_encode(void **state)
{
	const struct encode_case *ec = *state;
	struct lj_config cfg = config(1000);
	struct sv docs[4];
	struct jw got, want;
	uint32_t i, n;

	cfg.index = ec->index;
	cfg.version = ec->version;
	cfg.escape_html = ec->escape_html;
	jw_init(&got);
	jw_init(&want);
	for (n = 0; ec->docs[n] != NULL; n++)
		docs[n] = sv_lit(ec->docs[n]);
	jw_append(&want, "2W", 2);
	add_u32(&want, n);
	for (i = 0; i < n; i++)
		add_j(&want, i + 1, ec->payloads[i]);
	assert_int_equal(lj_encode_window(&cfg, docs, n, &got), 0);
	assert_bytes(&got, &want);
	jw_release(&got);
	jw_release(&want);
}

static void
test_encode_compressed_window(void **state)
{
	struct lj_config cfg = config(1000);
	struct sv docs[40];
	char text[40][64];
	struct jw plain, packed;
	unsigned char *out;
	uLongf outlen;
	size_t i, jlen;
	uint32_t zlen;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(text[i], sizeof(text[i]),
		    "{\"event\":{\"sequence\":%zu},\"msg\":\"<same>\"}", i);
		docs[i] = sv_lit(text[i]);
	}
	cfg.escape_html = 1;
	jw_init(&plain);
	jw_init(&packed);
	assert_int_equal(lj_encode_window(&cfg, docs, 40, &plain), 0);
	cfg.compression_level = 6;
	assert_int_equal(lj_encode_window(&cfg, docs, 40, &packed), 0);

	/* The same W frame, then one C frame and nothing after it. */
	assert_memory_equal(jw_data(&packed), "2W\0\0\0\x28", 6);
	assert_memory_equal(jw_data(&packed) + 6, "2C", 2);
	zlen = be32((const unsigned char *)jw_data(&packed) + 8);
	assert_int_equal(jw_len(&packed), 12 + (size_t)zlen);
	jlen = jw_len(&plain) - 6;
	assert_true(zlen < jlen / 4);

	/* zlib format (compress2's), holding exactly the J frames. */
	outlen = jlen + 100;
	out = malloc(outlen);
	assert_non_null(out);
	assert_int_equal(uncompress(out, &outlen,
	    (const unsigned char *)jw_data(&packed) + 12, zlen), Z_OK);
	assert_int_equal(outlen, jlen);
	assert_memory_equal(out, jw_data(&plain) + 6, jlen);
	free(out);
	jw_release(&plain);
	jw_release(&packed);
}

static void
test_encode_rejects_bad_windows(void **state)
{
	struct lj_config cfg = config(1000);
	struct sv bad[] = {
		sv_lit("[1,2]"), sv_lit(""), sv_lit("{"), sv_lit("  "),
		sv_lit("\"{}\""), SV_NULL,
	};
	struct sv good = sv_lit("{}");
	struct jw w;
	size_t i;

	(void)state;
	jw_init(&w);
	assert_int_equal(lj_encode_window(&cfg, &good, 0, &w), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(lj_encode_window(&cfg, &bad[i], 1, &w), -1);
	cfg.compression_level = 10;
	assert_int_equal(lj_encode_window(&cfg, &good, 1, &w), -1);
	jw_release(&w);
}

/* ---- The fake server ---- */

enum act {
	READ_WINDOW,	/* read and check one window */
	ACK,		/* send an ack for arg */
	SLEEP,		/* pause arg ms */
	SEND_RAW,	/* send raw[0..arg) */
	DRAIN,		/* read and discard until the client closes */
	CLOSE,		/* close the connection now */
};

struct step {
	enum act	 act;
	uint32_t	 arg;
	const char	*raw;
};

struct server {
	int		 lfd;
	char		 port[8];
	pthread_t	 thread;
	const struct step *script;
	size_t		 nsteps;
	SSL_CTX		*ctx;		/* NULL: plain TCP */
	int		 fd;
	SSL		*ssl;
	/* Results, read after server_join. */
	int		 handshake_ok;
	uint32_t	 windows[8];
	size_t		 nwindows;
	int		 compressed;
	char		 first_doc[512];
	char		 error[256];
};

static int
srv_read(struct server *s, void *buf, size_t n)
{
	unsigned char *p = buf;
	size_t got;
	ssize_t r;

	while (n > 0) {
		if (s->ssl != NULL) {
			if (SSL_read_ex(s->ssl, p, n, &got) != 1)
				return -1;
			r = (ssize_t)got;
		} else if ((r = recv(s->fd, p, n, 0)) <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
srv_write(struct server *s, const void *buf, size_t n)
{
	size_t done;

	if (s->ssl != NULL)
		return SSL_write_ex(s->ssl, buf, n, &done) == 1 ? 0 : -1;
	return send(s->fd, buf, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* Checks n J frames in p[0..len), numbered 1..n. */
static int
check_frames(struct server *s, const unsigned char *p, size_t len,
    uint32_t n)
{
	uint32_t i, dlen;

	for (i = 1; i <= n; i++) {
		if (len < 10 || p[0] != '2' || p[1] != 'J' ||
		    be32(p + 2) != i || (dlen = be32(p + 6)) > len - 10) {
			snprintf(s->error, sizeof(s->error), "bad J frame %u",
			    i);
			return -1;
		}
		if (i == 1)
			snprintf(s->first_doc, sizeof(s->first_doc), "%.*s",
			    (int)dlen, (const char *)p + 10);
		p += 10 + dlen;
		len -= 10 + dlen;
	}
	if (len != 0) {
		snprintf(s->error, sizeof(s->error), "%zu bytes after the "
		    "J frames", len);
		return -1;
	}
	return 0;
}

static int
read_window(struct server *s)
{
	unsigned char h[10], *data = NULL, *plain = NULL;
	uint32_t n, i, len;
	uLongf plainlen;
	size_t have = 0;
	int rc = -1;

	if (srv_read(s, h, 6) == -1 || h[0] != '2' || h[1] != 'W') {
		snprintf(s->error, sizeof(s->error), "no W frame");
		return -1;
	}
	n = be32(h + 2);
	if (s->nwindows < 8)
		s->windows[s->nwindows++] = n;
	if (srv_read(s, h, 2) == -1)
		goto fail;
	if (h[0] == '2' && h[1] == 'C') {
		s->compressed = 1;
		if (srv_read(s, h, 4) == -1)
			goto fail;
		len = be32(h);
		plainlen = 1 << 20;
		if ((data = malloc(len)) == NULL ||
		    (plain = malloc(plainlen)) == NULL ||
		    srv_read(s, data, len) == -1 ||
		    uncompress(plain, &plainlen, data, len) != Z_OK)
			goto fail;
		rc = check_frames(s, plain, plainlen, n);
		goto out;
	}
	/* Uncompressed: collect the J frames, then check them alike. */
	for (i = 0; i < n; i++) {
		if (i > 0 && srv_read(s, h, 2) == -1)
			goto fail;
		if (srv_read(s, h + 2, 8) == -1)
			goto fail;
		len = be32(h + 6);
		if ((plain = realloc(data, have + 10 + len)) == NULL)
			goto fail;
		data = plain;
		plain = NULL;
		memcpy(data + have, h, 10);
		if (srv_read(s, data + have + 10, len) == -1)
			goto fail;
		have += 10 + len;
	}
	rc = check_frames(s, data, have, n);
	goto out;
fail:
	if (s->error[0] == '\0')
		snprintf(s->error, sizeof(s->error), "short window");
out:
	free(data);
	free(plain);
	return rc;
}

static void
run_script(struct server *s)
{
	unsigned char ack[6] = { '2', 'A' }, junk[256];
	size_t i;

	for (i = 0; i < s->nsteps; i++) {
		const struct step *st = &s->script[i];

		switch (st->act) {
		case READ_WINDOW:
			if (read_window(s) == -1)
				return;
			break;
		case ACK:
			ack[2] = st->arg >> 24;
			ack[3] = st->arg >> 16;
			ack[4] = st->arg >> 8;
			ack[5] = st->arg;
			if (srv_write(s, ack, 6) == -1)
				return;
			break;
		case SLEEP:
			sleep_ms(st->arg);
			break;
		case SEND_RAW:
			if (srv_write(s, st->raw, st->arg) == -1)
				return;
			break;
		case DRAIN:
			while (srv_read(s, junk, 1) == 0)
				;
			return;
		case CLOSE:
			return;
		}
	}
	/* Until the client hangs up, so it never sees an early close. */
	while (srv_read(s, junk, 1) == 0)
		;
}

static void *
server_main(void *arg)
{
	struct server *s = arg;
	struct timeval tv = { 5, 0 };
	struct pollfd pfd = { s->lfd, POLLIN, 0 };

	if (poll(&pfd, 1, 5000) != 1 ||
	    (s->fd = accept(s->lfd, NULL, NULL)) == -1) {
		snprintf(s->error, sizeof(s->error), "no connection");
		return NULL;
	}
	/* A test that goes wrong must fail, not hang. */
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (s->ctx != NULL) {
		if ((s->ssl = SSL_new(s->ctx)) == NULL ||
		    SSL_set_fd(s->ssl, s->fd) != 1 || SSL_accept(s->ssl) != 1) {
			ERR_clear_error();
			goto done;
		}
	}
	s->handshake_ok = 1;
	run_script(s);
done:
	SSL_free(s->ssl);
	ERR_clear_error();
	close(s->fd);
	return NULL;
}

static void
server_start(struct server *s, const struct step *script, size_t nsteps,
    SSL_CTX *ctx)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(s, 0, sizeof(*s));
	s->script = script;
	s->nsteps = nsteps;
	s->ctx = ctx;
	s->fd = -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(s->lfd = socket(AF_INET, SOCK_STREAM, 0), -1);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	assert_int_equal(listen(s->lfd, 4), 0);
	assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&sin, &len),
	    0);
	snprintf(s->port, sizeof(s->port), "%u", ntohs(sin.sin_port));
	assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void
server_join(struct server *s)
{
	pthread_join(s->thread, NULL);
	close(s->lfd);
}

#define SCRIPT(...) \
	const struct step script[] = { __VA_ARGS__ }; \
	const size_t nsteps = sizeof(script) / sizeof(script[0])

static struct sv three_docs[] = {
	{ "{\"a\":1}", 7 }, { "{\"b\":2}", 7 }, { "{\"c\":3}", 7 },
};

/* Connects to the fake server (plain TCP unless cfg says otherwise). */
static struct lj_conn *
connect_to(struct server *s, const char *host, const struct lj_config *cfg)
{
	char err[512];
	struct lj_conn *c;

	if ((c = lj_connect(host, s->port, cfg, err, sizeof(err))) == NULL)
		fail_msg("connect: %s", err);
	return c;
}

/* ---- Protocol ---- */

/*
 * want with each "@" replaced by value, into buf: the port or the
 * directory of a test, which are not known in advance.
 */
static const char *
expand_at(const char *want, const char *value, char *buf, size_t size)
{
	size_t len = 0;

	for (; *want != '\0' && len + 1 < size; want++) {
		if (*want == '@')
			len += (size_t)snprintf(buf + len, size - len, "%s",
			    value);
		else
			buf[len++] = *want;
	}
	buf[len < size ? len : size - 1] = '\0';
	return buf;
}

#define STEPS(...)							\
	{ __VA_ARGS__ }, N_ELEMENTS(((const struct step[]){ __VA_ARGS__ }))

/*
 * One window of the first ndocs of three_docs sent to a server following
 * a script, and what waiting for its ack must give: lj_wait_window's
 * result, the documents acknowledged, the error (err exactly, "@" for the
 * port; err_has somewhere in it), and a bound on how long the wait takes.
 * A failed window leaves the connection unusable.
 */
static const struct window_case {
	const char	*name;
	struct step	 script[10];
	size_t		 nsteps;
	int		 timeout_ms;
	int		 compression_level;
	size_t		 ndocs;
	int		 rc;
	size_t		 acked;
	const char	*err;		/* NULL: not checked */
	const char	*err_has;	/* NULL: not checked */
	long		 min_ms;	/* 0: no bound */
	long		 max_ms;	/* 0: no bound */
} window_cases[] = {
	{ "full ack",
	    STEPS({ READ_WINDOW, 0, NULL }, { ACK, 3, NULL }),
	    2000, 0, 3, 0, 3, NULL, NULL, 0, 0 },
	{ "compressed window over the wire",
	    STEPS({ READ_WINDOW, 0, NULL }, { ACK, 3, NULL }),
	    2000, 3, 3, 0, 3, NULL, NULL, 0, 0 },
	/* 600 ms in all, never 300 ms without a keepalive. */
	{ "keepalives restart the timeout",
	    STEPS({ READ_WINDOW, 0, NULL },
	    { ACK, 0, NULL }, { SLEEP, 150, NULL },
	    { ACK, 0, NULL }, { SLEEP, 150, NULL },
	    { ACK, 0, NULL }, { SLEEP, 150, NULL },
	    { ACK, 0, NULL }, { SLEEP, 150, NULL },
	    { ACK, 2, NULL }),
	    300, 0, 2, 0, 2, NULL, NULL, 550, 0 },
	/* A repeated ack is a keepalive too. */
	{ "partial ack then full ack",
	    STEPS({ READ_WINDOW, 0, NULL },
	    { ACK, 1, NULL }, { SLEEP, 200, NULL },
	    { ACK, 1, NULL }, { SLEEP, 200, NULL },
	    { ACK, 2, NULL }, { SLEEP, 200, NULL },
	    { ACK, 3, NULL }),
	    300, 0, 3, 0, 3, NULL, NULL, 0, 0 },
	{ "partial ack then close",
	    STEPS({ READ_WINDOW, 0, NULL }, { ACK, 2, NULL },
	    { CLOSE, 0, NULL }),
	    2000, 0, 3, -1, 2, "ack from 127.0.0.1:@: the server closed the "
	    "connection (2 of 3 documents acknowledged)", NULL, 0, 0 },
	{ "close mid window",
	    STEPS({ READ_WINDOW, 0, NULL }, { CLOSE, 0, NULL }),
	    2000, 0, 3, -1, 0, NULL, "closed the connection (0 of 3", 0, 0 },
	{ "garbage from the server: HTTP",
	    STEPS({ READ_WINDOW, 0, NULL },
	    { SEND_RAW, 28, "HTTP/1.1 400 Bad Request\r\n\r\n" }),
	    2000, 0, 3, -1, 0, NULL, "unexpected data from the server: "
	    "version byte 0x48 'H' instead of '2' (received "
	    "\"HTTP/1.1 400 Bad\")", 0, 0 },
	{ "garbage from the server: frame type",
	    STEPS({ READ_WINDOW, 0, NULL }, { SEND_RAW, 6, "2X\0\0\0\x01" }),
	    2000, 0, 3, -1, 0, NULL, "frame type 0x58 'X' instead of an ack "
	    "'A' (received \"2X\\x00\\x00\\x00\\x01\")", 0, 0 },
	{ "garbage from the server: version",
	    STEPS({ READ_WINDOW, 0, NULL }, { SEND_RAW, 6, "1A\0\0\0\x03" }),
	    2000, 0, 3, -1, 0, NULL, "version byte 0x31 '1'", 0, 0 },
	{ "garbage from the server: ack beyond the window",
	    STEPS({ READ_WINDOW, 0, NULL }, { SEND_RAW, 6, "2A\0\0\0\x09" }),
	    2000, 0, 3, -1, 0, NULL, "the server acknowledged document 9 of "
	    "a window of 3 (0 of 3 documents acknowledged)", 0, 0 },
	{ "timeout without ack",
	    STEPS({ READ_WINDOW, 0, NULL }, { ACK, 1, NULL },
	    { DRAIN, 0, NULL }),
	    200, 0, 3, -1, 1, "ack from 127.0.0.1:@: timed out after 200 ms "
	    "(1 of 3 documents acknowledged)", NULL, 190, 1500 },
};

static void
test_window(void **state)
{
	const struct window_case *wc = *state;
	struct lj_config cfg = config(wc->timeout_ms);
	struct timespec start;
	struct server s;
	struct lj_conn *c;
	char err[512] = "", want[512];
	size_t acked = 99;
	long ms;
	int rc;

	cfg.compression_level = wc->compression_level;
	server_start(&s, wc->script, wc->nsteps, NULL);
	c = connect_to(&s, "127.0.0.1", &cfg);
	if (lj_send_window(c, three_docs, wc->ndocs, err, sizeof(err)) != 0)
		fail_msg("send: %s", err);
	assert_int_equal(lj_windows_in_flight(c), 1);
	clock_gettime(CLOCK_MONOTONIC, &start);
	rc = lj_wait_window(c, &acked, err, sizeof(err));
	ms = elapsed_ms(&start);
	if (rc != wc->rc)
		fail_msg("wait returned %d, want %d: %s", rc, wc->rc, err);
	assert_int_equal(acked, wc->acked);
	assert_int_equal(lj_windows_in_flight(c), 0);
	if ((wc->min_ms > 0 && ms < wc->min_ms) ||
	    (wc->max_ms > 0 && ms >= wc->max_ms))
		fail_msg("the wait took %ld ms, want %ld to %ld", ms,
		    wc->min_ms, wc->max_ms);
	if (wc->err != NULL)
		assert_string_equal(err, expand_at(wc->err, s.port, want,
		    sizeof(want)));
	if (wc->err_has != NULL && strstr(err, wc->err_has) == NULL)
		fail_msg("\"%s\" is not in \"%s\"", wc->err_has, err);
	if (wc->rc != 0)
		assert_int_equal(lj_send_window(c, three_docs, 1, err,
		    sizeof(err)), -1);
	lj_close(c);
	server_join(&s);
	assert_string_equal(s.error, "");
	assert_int_equal(s.nwindows, 1);
	assert_int_equal(s.windows[0], wc->ndocs);
	assert_int_equal(s.compressed, wc->compression_level != 0);
	assert_string_equal(s.first_doc, "{" META_B1 ",\"a\":1}");
}

/*
 * Starts the server on script, connects to it and sends two windows
 * without waiting: all of three_docs, then the nsecond documents at
 * second.
 */
static struct lj_conn *
two_windows_in_flight(struct server *s, const struct step *script,
    size_t nsteps, const struct lj_config *cfg, struct sv *second,
    size_t nsecond)
{
	struct lj_conn *c;
	char err[256];

	server_start(s, script, nsteps, NULL);
	c = connect_to(s, "127.0.0.1", cfg);
	if (lj_send_window(c, three_docs, 3, err, sizeof(err)) != 0 ||
	    lj_send_window(c, second, nsecond, err, sizeof(err)) != 0)
		fail_msg("send: %s", err);
	assert_int_equal(lj_windows_in_flight(c), 2);
	return c;
}

/*
 * Waits for the oldest window: lj_wait_window must return rc with acked
 * documents acknowledged, leaving in_flight windows; err gets its error.
 */
static void
assert_wait(struct lj_conn *c, int rc, size_t acked, size_t in_flight,
    char *err, size_t errlen)
{
	size_t got = 99;
	int r;

	if ((r = lj_wait_window(c, &got, err, errlen)) != rc)
		fail_msg("wait returned %d, want %d: %s", r, rc, err);
	assert_int_equal(got, acked);
	assert_int_equal(lj_windows_in_flight(c), in_flight);
}

static void
test_failure_fails_every_window_in_flight(void **state)
{
	SCRIPT({ READ_WINDOW, 0, NULL }, { READ_WINDOW, 0, NULL },
	    { ACK, 1, NULL }, { CLOSE, 0, NULL });
	struct lj_config cfg = config(2000);
	struct server s;
	struct lj_conn *c;
	char err[256];
	size_t acked;

	(void)state;
	c = two_windows_in_flight(&s, script, nsteps, &cfg, three_docs, 2);
	assert_wait(c, -1, 1, 1, err, sizeof(err));
	assert_wait(c, -1, 0, 0, err, sizeof(err));
	assert_non_null(strstr(err, "failed earlier"));
	assert_int_equal(lj_wait_window(c, &acked, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no window in flight"));
	lj_close(c);
	server_join(&s);
}

static void
test_pipelined_windows_acked_in_order(void **state)
{
	/* The second window's acks come in one segment with the first's. */
	SCRIPT({ READ_WINDOW, 0, NULL }, { READ_WINDOW, 0, NULL },
	    { ACK, 0, NULL }, { ACK, 2, NULL },
	    { SEND_RAW, 18, "2A\0\0\0\x03" "2A\0\0\0\x01" "2A\0\0\0\x02" });
	struct lj_config cfg = config(2000);
	struct server s;
	struct lj_conn *c;
	char err[256];

	(void)state;
	c = two_windows_in_flight(&s, script, nsteps, &cfg, three_docs + 1, 2);
	assert_wait(c, 0, 3, 1, err, sizeof(err));
	assert_wait(c, 0, 2, 0, err, sizeof(err));
	lj_close(c);
	server_join(&s);
	assert_string_equal(s.error, "");
	assert_int_equal(s.nwindows, 2);
	assert_int_equal(s.windows[0], 3);
	assert_int_equal(s.windows[1], 2);
	assert_string_equal(s.first_doc, "{" META_B1 ",\"b\":2}");
}

/* A document of size bytes, {"p":"xxx...x"}; free it. */
static char *
big_doc(size_t size)
{
	char *big = malloc(size);

	assert_non_null(big);
	memset(big, 'x', size);
	memcpy(big, "{\"p\":\"", 6);
	memcpy(big + size - 2, "\"}", 2);
	return big;
}

static void
test_large_window(void **state)
{
	SCRIPT({ READ_WINDOW, 0, NULL }, { ACK, 200, NULL });
	struct lj_config cfg = config(5000);
	struct sv docs[200];
	struct server s;
	struct lj_conn *c;
	char err[256], *big;
	size_t acked, i, size = 16 * 1024;

	(void)state;
	/* 3 MiB: far more than the socket buffers take at once. */
	big = big_doc(size);
	for (i = 0; i < 200; i++)
		docs[i] = (struct sv){ big, size };
	server_start(&s, script, nsteps, NULL);
	c = connect_to(&s, "127.0.0.1", &cfg);
	assert_int_equal(lj_send_window(c, docs, 200, err, sizeof(err)), 0);
	assert_int_equal(lj_wait_window(c, &acked, err, sizeof(err)), 0);
	assert_int_equal(acked, 200);
	lj_close(c);
	server_join(&s);
	assert_string_equal(s.error, "");
	free(big);
}

static void
test_send_errors_leave_nothing_in_flight(void **state)
{
	SCRIPT({ DRAIN, 0, NULL });
	struct lj_config cfg = config(2000);
	struct sv bad = sv_lit("not json");
	struct server s;
	struct lj_conn *c;
	char err[256];

	(void)state;
	server_start(&s, script, nsteps, NULL);
	c = connect_to(&s, "127.0.0.1", &cfg);
	assert_int_equal(lj_send_window(c, three_docs, 0, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "refusing to send an empty window");
	assert_int_equal(lj_send_window(c, &bad, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "document 1 of the window is not a JSON "
	    "object");
	assert_int_equal(lj_windows_in_flight(c), 0);
	lj_close(c);
	server_join(&s);
}

/* Calls lj_interrupt from another thread after a pause. */
struct interrupter {
	pthread_t	 thread;
	struct lj_conn	*conn;
	long		 after_ms;
};

static void *
interrupt_main(void *arg)
{
	struct interrupter *in = arg;

	sleep_ms(in->after_ms);
	lj_interrupt(in->conn);
	return NULL;
}

/* Interrupts c after_ms from now, from another thread. */
static void
interrupt_after(struct interrupter *in, struct lj_conn *c, long after_ms)
{
	in->conn = c;
	in->after_ms = after_ms;
	assert_int_equal(pthread_create(&in->thread, NULL, interrupt_main, in),
	    0);
}

static void
test_interrupt_wakes_a_waiting_thread(void **state)
{
	SCRIPT({ READ_WINDOW, 0, NULL }, { ACK, 1, NULL }, { DRAIN, 0, NULL });
	struct lj_config cfg = config(10000);
	struct interrupter in;
	struct timespec start;
	struct server s;
	struct lj_conn *c;
	char err[256], want[256];
	size_t acked;

	(void)state;
	c = two_windows_in_flight(&s, script, nsteps, &cfg, three_docs, 1);
	clock_gettime(CLOCK_MONOTONIC, &start);
	interrupt_after(&in, c, 150);
	assert_int_equal(lj_wait_window(c, &acked, err, sizeof(err)), -1);
	assert_true(elapsed_ms(&start) < 2000);
	pthread_join(in.thread, NULL);
	/* The ack that did arrive still counts. */
	assert_int_equal(acked, 1);
	snprintf(want, sizeof(want), "ack from 127.0.0.1:%s: interrupted "
	    "(1 of 3 documents acknowledged)", s.port);
	assert_string_equal(err, want);
	assert_int_equal(lj_wait_window(c, &acked, err, sizeof(err)), -1);
	assert_int_equal(acked, 0);
	assert_int_equal(lj_send_window(c, three_docs, 1, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "send to 127.0.0.1:%s: interrupted",
	    s.port);
	assert_string_equal(err, want);
	lj_close(c);
	server_join(&s);
}

static void
test_interrupt_wakes_a_sending_thread(void **state)
{
	/* The server reads nothing for a while: the window cannot go out. */
	SCRIPT({ SLEEP, 500, NULL }, { DRAIN, 0, NULL });
	struct lj_config cfg = config(10000);
	struct interrupter in;
	struct timespec start;
	struct server s;
	struct lj_conn *c;
	struct sv *docs;
	char err[256], want[256], *big;
	size_t i, ndocs = 2048, size = 16 * 1024;

	(void)state;
	/* 32 MiB, more than loopback socket buffers hold. */
	big = big_doc(size);
	docs = calloc(ndocs, sizeof(*docs));
	assert_non_null(docs);
	for (i = 0; i < ndocs; i++)
		docs[i] = (struct sv){ big, size };
	server_start(&s, script, nsteps, NULL);
	c = connect_to(&s, "127.0.0.1", &cfg);
	clock_gettime(CLOCK_MONOTONIC, &start);
	interrupt_after(&in, c, 150);
	assert_int_equal(lj_send_window(c, docs, ndocs, err, sizeof(err)), -1);
	assert_true(elapsed_ms(&start) < 2000);
	pthread_join(in.thread, NULL);
	snprintf(want, sizeof(want), "send to 127.0.0.1:%s: interrupted",
	    s.port);
	assert_string_equal(err, want);
	assert_int_equal(lj_windows_in_flight(c), 0);
	lj_close(c);
	server_join(&s);
	free(docs);
	free(big);
}

static void
test_connection_refused(void **state)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct lj_config cfg = config(2000);
	char port[8], err[256], want[256];
	int fd;

	(void)state;
	/* A port that was free a moment ago, with nobody listening. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(fd = socket(AF_INET, SOCK_STREAM, 0), -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	snprintf(port, sizeof(port), "%u", ntohs(sin.sin_port));
	assert_null(lj_connect("127.0.0.1", port, &cfg, err, sizeof(err)));
	snprintf(want, sizeof(want), "connect to 127.0.0.1:%s: Connection "
	    "refused", port);
	assert_string_equal(err, want);
	assert_null(lj_connect("::1", port, &cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "connect to [::1]:"));
	/* Resolution errors, without asking a DNS server. */
	assert_null(lj_connect("127.0.0.1", "no-such-service", &cfg, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "resolve 127.0.0.1:no-such-service: "));
}

/* ---- TLS ---- */

static char dir[64];

static const char gen_script[] =
	"set -e\n"
	"ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'\n"
	"openssl req -x509 $ec -keyout ca.key -out ca.crt -days 2 "
	"    -subj /CN=test-ca -addext basicConstraints=critical,CA:TRUE "
	"    -addext keyUsage=critical,keyCertSign,cRLSign\n"
	/* name, CN, SAN (or empty), days ("-1": already expired) */
	"cert() {\n"
	"    openssl req -new $ec -keyout $1.key -subj /CN=$2 -out $1.csr\n"
	"    if [ -n \"$3\" ]; then echo \"subjectAltName=$3\"; fi > $1.ext\n"
	"    openssl x509 -req -in $1.csr -CA ca.crt -CAkey ca.key "
	"        -CAcreateserial -days $4 -extfile $1.ext -out $1.crt\n"
	"}\n"
	"cert server 127.0.0.1 IP:127.0.0.1,DNS:localhost 2\n"
	"cert wrong wrong.example DNS:wrong.example 2\n"
	"cert nosan localhost '' 2\n"
	"cert expired 127.0.0.1 IP:127.0.0.1,DNS:localhost -1\n"
	/* The client key in four spellings. */
	"openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "
	"    -out client.key\n"
	"openssl req -new -key client.key -subj /CN=client -out client.csr\n"
	"echo extendedKeyUsage=clientAuth > client.ext\n"
	"openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key "
	"    -CAcreateserial -days 2 -extfile client.ext -out client.crt\n"
	"openssl rsa -in client.key -traditional -out client-trad.key\n"
	"openssl pkcs8 -topk8 -in client.key -v2 aes-256-cbc "
	"    -passout pass:s3cret -out client-enc.key\n"
	"openssl rsa -in client.key -traditional -aes256 "
	"    -passout pass:s3cret -out client-trad-enc.key\n"
	"echo 'not a certificate' > garbage.pem\n";

static const char *
path(const char *name)
{
	static char buf[8][128];
	static int next;
	char *p = buf[next++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static int
file_contains(const char *file, const char *text)
{
	char buf[4096];
	size_t n;
	FILE *fp;

	if ((fp = fopen(file, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

static int
tls_setup(void **state)
{
	char cmd[256];
	FILE *fp;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_lumberjack.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	if ((fp = fopen(path("gen.sh"), "w")) == NULL)
		return -1;
	fputs(gen_script, fp);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "cd %s && sh gen.sh > gen.log 2>&1", dir);
	if (system(cmd) != 0) {
		snprintf(cmd, sizeof(cmd), "cat %s/gen.log >&2", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "see %s/gen.log\n", dir);
		return -1;
	}
	/* The keys really are in the forms the tests claim. */
	if (!file_contains(path("client.key"), "BEGIN PRIVATE KEY") ||
	    !file_contains(path("client-trad.key"), "BEGIN RSA PRIVATE KEY") ||
	    !file_contains(path("client-enc.key"),
	    "BEGIN ENCRYPTED PRIVATE KEY") ||
	    !file_contains(path("client-trad-enc.key"), "DEK-Info:"))
		return -1;
	return 0;
}

static int
tls_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A server context; max_version 0: any; ca: require a client certificate. */
static SSL_CTX *
server_ctx(const char *name, int max_version, const char *ca)
{
	char crt[32], key[32];
	SSL_CTX *ctx;

	snprintf(crt, sizeof(crt), "%s.crt", name);
	snprintf(key, sizeof(key), "%s.key", name);
	ctx = SSL_CTX_new(TLS_server_method());
	assert_non_null(ctx);
	assert_int_equal(SSL_CTX_use_certificate_chain_file(ctx, path(crt)),
	    1);
	assert_int_equal(SSL_CTX_use_PrivateKey_file(ctx, path(key),
	    SSL_FILETYPE_PEM), 1);
	if (max_version != 0)
		assert_int_equal(SSL_CTX_set_max_proto_version(ctx,
		    max_version), 1);
	if (ca != NULL) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
		    SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
		assert_int_equal(SSL_CTX_load_verify_locations(ctx, path(ca),
		    NULL), 1);
	}
	return ctx;
}

struct client_opts {
	enum tls_verify	 mode;
	const char	*ca;		/* NULL: the system store */
	const char	*cert;
	const char	*key;
	const char	*pass;
	char		*protocol;	/* one, or NULL for the default */
};

static struct tls_client *
tls_client(const struct client_opts *o, char *err, size_t errlen)
{
	struct tls_config tc = { 0 };
	char *cas[1], *protos[1], cert[128], key[128];

	tc.enabled = 1;
	tc.verification_mode = o->mode;
	if (o->ca != NULL) {
		cas[0] = (char *)path(o->ca);
		tc.certificate_authorities = cas;
		tc.ncas = 1;
	}
	if (o->cert != NULL) {
		snprintf(cert, sizeof(cert), "%s", path(o->cert));
		tc.certificate = cert;
	}
	if (o->key != NULL) {
		snprintf(key, sizeof(key), "%s", path(o->key));
		tc.key = key;
	}
	tc.key_passphrase = (char *)o->pass;
	if (o->protocol != NULL) {
		protos[0] = o->protocol;
		tc.supported_protocols = protos;
		tc.nprotocols = 1;
	}
	return tls_client_new(&tc, err, errlen);
}

/*
 * Connects over TLS to a server with the given context, then sends a
 * window and waits for its ack.  Returns 0 and leaves err empty when all
 * went through, else -1 with the first error.
 */
static int
tls_exchange(SSL_CTX *sctx, const struct client_opts *o, const char *host,
    int timeout_ms, char *err, size_t errlen)
{
	SCRIPT({ READ_WINDOW, 0, NULL }, { ACK, 2, NULL });
	struct lj_config cfg = config(timeout_ms);
	struct tls_client *tls;
	struct server s;
	struct lj_conn *c;
	size_t acked;
	int rc = -1;

	err[0] = '\0';
	if ((tls = tls_client(o, err, errlen)) == NULL)
		fail_msg("tls_client_new: %s", err);
	cfg.tls = tls;
	cfg.tls_verify_host = tls_client_verifies_host(tls);
	server_start(&s, script, nsteps, sctx);
	if ((c = lj_connect(host, s.port, &cfg, err, errlen)) != NULL) {
		if (lj_send_window(c, three_docs, 2, err, errlen) == 0 &&
		    lj_wait_window(c, &acked, err, errlen) == 0) {
			assert_int_equal(acked, 2);
			rc = 0;
		}
		lj_close(c);
	}
	server_join(&s);
	if (rc == 0)
		assert_string_equal(s.error, "");
	tls_client_free(tls);
	return rc;
}

/* The port is not known in advance: compare what follows it. */
static void
assert_tls_error(const char *err, const char *host, const char *want)
{
	char prefix[128];
	const char *rest;

	snprintf(prefix, sizeof(prefix), "TLS handshake with %s:", host);
	if (strncmp(err, prefix, strlen(prefix)) != 0 ||
	    (rest = strstr(err + strlen(prefix), ": ")) == NULL ||
	    strcmp(rest + 2, want) != 0)
		fail_msg("got \"%s\", want \"%s<port>: %s\"", err, prefix,
		    want);
}

/*
 * A window over TLS (tls_exchange) to a server with the certificate and
 * key of that name, TLS up to max_version (0: any) and, with client_ca,
 * a client certificate required.  err: the handshake error, as
 * assert_tls_error wants it; NULL: the window goes through.
 */
/* Client options: verification mode and CA; a client key; a protocol. */
#define VERIFY(mode, ca)	{ (mode), (ca), NULL, NULL, NULL, NULL }
#define CLIENT_KEY(key, pass)						\
	{ TLS_VERIFY_FULL, "ca.crt", "client.crt", (key), (pass), NULL }
#define PROTOCOL(protocol)						\
	{ TLS_VERIFY_FULL, "ca.crt", NULL, NULL, NULL, (protocol) }

static const struct exchange_case {
	const char		*name;
	const char		*server;
	int			 max_version;
	const char		*client_ca;
	struct client_opts	 client;
	const char		*host;
	const char		*err;
} exchange_cases[] = {
	{ "verified by IP", "server", 0, NULL,
	    VERIFY(TLS_VERIFY_FULL, "ca.crt"), "127.0.0.1", NULL },
	/* localhost may be ::1 first, where nobody listens: next address. */
	{ "verified by name", "server", 0, NULL,
	    VERIFY(TLS_VERIFY_FULL, "ca.crt"), "localhost", NULL },
	{ "verified strictly", "server", 0, NULL,
	    VERIFY(TLS_VERIFY_STRICT, "ca.crt"), "127.0.0.1", NULL },
	{ "hostname mismatch", "wrong", 0, NULL,
	    VERIFY(TLS_VERIFY_FULL, "ca.crt"), "localhost",
	    "hostname mismatch (certificate is for wrong.example)" },
	{ "IP address mismatch", "wrong", 0, NULL,
	    VERIFY(TLS_VERIFY_FULL, "ca.crt"), "127.0.0.1",
	    "IP address mismatch (certificate is for wrong.example)" },
	/* certificate: the chain is checked, the name is not. */
	{ "certificate mode ignores the name", "wrong", 0, NULL,
	    VERIFY(TLS_VERIFY_CERTIFICATE, "ca.crt"), "localhost", NULL },
	/* full falls back on the common name when there is no SAN. */
	{ "full takes the common name without a SAN", "nosan", 0, NULL,
	    VERIFY(TLS_VERIFY_FULL, "ca.crt"), "localhost", NULL },
	{ "strict wants a SAN", "nosan", 0, NULL,
	    VERIFY(TLS_VERIFY_STRICT, "ca.crt"), "localhost",
	    "hostname mismatch (certificate has no subject alternative "
	    "name; its common name is localhost)" },
	{ "expired", "expired", 0, NULL,
	    VERIFY(TLS_VERIFY_FULL, "ca.crt"), "127.0.0.1",
	    "certificate has expired" },
	/* The system store does not know the test CA. */
	{ "untrusted", "server", 0, NULL,
	    VERIFY(TLS_VERIFY_FULL, NULL), "127.0.0.1",
	    "unable to get local issuer certificate" },
	/* none: anything goes. */
	{ "none takes an expired untrusted certificate", "expired", 0, NULL,
	    VERIFY(TLS_VERIFY_NONE, NULL), "127.0.0.1", NULL },
	/* Mutual TLS: PKCS#8, "BEGIN RSA PRIVATE KEY", both encrypted. */
	{ "mutual, client.key", "server", 0, "ca.crt",
	    CLIENT_KEY("client.key", NULL), "127.0.0.1", NULL },
	{ "mutual, client-trad.key", "server", 0, "ca.crt",
	    CLIENT_KEY("client-trad.key", NULL), "127.0.0.1", NULL },
	{ "mutual, client-enc.key", "server", 0, "ca.crt",
	    CLIENT_KEY("client-enc.key", "s3cret"), "127.0.0.1", NULL },
	{ "mutual, client-trad-enc.key", "server", 0, "ca.crt",
	    CLIENT_KEY("client-trad-enc.key", "s3cret"), "127.0.0.1", NULL },
	/* A passphrase for a key that needs none is ignored. */
	{ "mutual, passphrase ignored", "server", 0, "ca.crt",
	    CLIENT_KEY("client.key", "ignored"), "127.0.0.1", NULL },
	{ "protocol refused", "server", TLS1_2_VERSION, NULL,
	    PROTOCOL("TLSv1.3"), "127.0.0.1",
	    "handshake refused by the server (alert: protocol version)" },
	/* The same server is fine with TLS 1.2. */
	{ "protocol accepted", "server", TLS1_2_VERSION, NULL,
	    PROTOCOL("TLSv1.2"), "127.0.0.1", NULL },
};

static void
test_tls_exchange(void **state)
{
	const struct exchange_case *ec = *state;
	SSL_CTX *sctx = server_ctx(ec->server, ec->max_version, ec->client_ca);
	char err[512];
	int rc;

	rc = tls_exchange(sctx, &ec->client, ec->host, 2000, err, sizeof(err));
	SSL_CTX_free(sctx);
	if (ec->err == NULL) {
		if (rc != 0)
			fail_msg("%s: %s", ec->host, err);
	} else {
		assert_int_equal(rc, -1);
		assert_tls_error(err, ec->host, ec->err);
	}
}

static void
test_tls_mutual_without_certificate(void **state)
{
	struct client_opts o = { TLS_VERIFY_FULL, "ca.crt", NULL, NULL, NULL,
	    NULL };
	SSL_CTX *sctx = server_ctx("server", 0, "ca.crt");
	char err[512];

	(void)state;
	/* The server refuses (after the handshake with TLS 1.3, so possibly
	 * only when the ack is awaited). */
	assert_int_equal(tls_exchange(sctx, &o, "127.0.0.1", 2000, err,
	    sizeof(err)), -1);
	if (strstr(err, "certificate required") == NULL &&
	    strstr(err, "handshake failure") == NULL &&
	    strstr(err, "Connection reset by peer") == NULL)
		fail_msg("without a client certificate: %s", err);
	SSL_CTX_free(sctx);
}

static void
test_tls_handshake_timeout_and_plain_server(void **state)
{
	SCRIPT({ DRAIN, 0, NULL });
	struct client_opts o = { TLS_VERIFY_NONE, NULL, NULL, NULL, NULL,
	    NULL };
	struct lj_config cfg = config(200);
	struct tls_client *tls;
	struct timespec start;
	struct server s;
	char err[512];
	long ms;

	(void)state;
	assert_non_null(tls = tls_client(&o, err, sizeof(err)));
	cfg.tls = tls;
	/* A server that never answers the ClientHello. */
	server_start(&s, script, nsteps, NULL);
	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_null(lj_connect("127.0.0.1", s.port, &cfg, err, sizeof(err)));
	ms = elapsed_ms(&start);
	assert_true(ms >= 190 && ms < 1500);
	assert_tls_error(err, "127.0.0.1", "timed out after 200 ms");
	server_join(&s);
	tls_client_free(tls);
}

static void
test_tls_to_a_plain_server(void **state)
{
	SCRIPT({ SEND_RAW, 28, "HTTP/1.1 400 Bad Request\r\n\r\n" },
	    { DRAIN, 0, NULL });
	struct client_opts o = { TLS_VERIFY_NONE, NULL, NULL, NULL, NULL,
	    NULL };
	struct lj_config cfg = config(2000);
	struct tls_client *tls;
	struct server s;
	char err[512];

	(void)state;
	assert_non_null(tls = tls_client(&o, err, sizeof(err)));
	cfg.tls = tls;
	server_start(&s, script, nsteps, NULL);
	assert_null(lj_connect("127.0.0.1", s.port, &cfg, err, sizeof(err)));
	if (strstr(err, "does the server speak TLS on this port?") == NULL)
		fail_msg("%s", err);
	server_join(&s);
	tls_client_free(tls);
}

/* tls_client_new must fail with exactly this message. */
static void
expect_config_error(const struct client_opts *o, const char *want)
{
	struct tls_client *tls;
	char err[512], expanded[512];

	err[0] = '\0';
	tls = tls_client(o, err, sizeof(err));
	assert_null(tls);
	/* Each "@" in want stands for the test directory. */
	assert_string_equal(err, expand_at(want, dir, expanded,
	    sizeof(expanded)));
}

/* A client configuration tls_client_new refuses, with its message. */
static const struct refused_client_case {
	const char		*name;
	struct client_opts	 client;
	const char		*want;	/* each "@": the test directory */
} refused_client_cases[] = {
	{ "wrong passphrase, PKCS#8",
	    { TLS_VERIFY_FULL, "ca.crt", "client.crt", "client-enc.key",
	    "wrong", NULL },
	    "cannot decrypt key @/client-enc.key: wrong key_passphrase" },
	{ "wrong passphrase, traditional",
	    { TLS_VERIFY_FULL, "ca.crt", "client.crt", "client-trad-enc.key",
	    "wrong", NULL },
	    "cannot decrypt key @/client-trad-enc.key: wrong key_passphrase" },
	{ "no passphrase, traditional",
	    { TLS_VERIFY_FULL, "ca.crt", "client.crt", "client-trad-enc.key",
	    NULL, NULL },
	    "key @/client-trad-enc.key is encrypted and no key_passphrase is "
	    "set" },
	{ "no passphrase, PKCS#8",
	    { TLS_VERIFY_FULL, "ca.crt", "client.crt", "client-enc.key", NULL,
	    NULL },
	    "key @/client-enc.key is encrypted and no key_passphrase is set" },
	{ "key of another certificate",
	    { TLS_VERIFY_FULL, "ca.crt", "client.crt", "server.key", NULL,
	    NULL },
	    "key @/server.key does not match certificate @/client.crt" },
	{ "missing key",
	    { TLS_VERIFY_FULL, "ca.crt", "client.crt", "missing.key", NULL,
	    NULL },
	    "cannot read key @/missing.key: No such file or directory" },
	{ "certificate without key",
	    { TLS_VERIFY_FULL, "ca.crt", "client.crt", NULL, NULL, NULL },
	    "a client certificate is set without its key" },
	{ "garbage certificate",
	    { TLS_VERIFY_FULL, "ca.crt", "garbage.pem", "client.key", NULL,
	    NULL },
	    "no usable certificate in @/garbage.pem: no start line" },
	{ "missing certificate authority",
	    { TLS_VERIFY_FULL, "missing.pem", NULL, NULL, NULL, NULL },
	    "cannot read certificate authority @/missing.pem: No such file or "
	    "directory" },
	{ "garbage certificate authority",
	    { TLS_VERIFY_FULL, "garbage.pem", NULL, NULL, NULL, NULL },
	    "no certificate in certificate authority file @/garbage.pem" },
	{ "unknown protocol",
	    { TLS_VERIFY_FULL, "ca.crt", NULL, NULL, NULL, "TLSv1.4" },
	    "unknown TLS protocol version \"TLSv1.4\" (known: TLSv1.0, "
	    "TLSv1.1, TLSv1.2, TLSv1.3)" },
};

static void
test_tls_refused_client(void **state)
{
	const struct refused_client_case *rc = *state;

	expect_config_error(&rc->client, rc->want);
}

/* Cipher suites: known ones of both families, then a typo. */
static void
test_tls_cipher_suites(void **state)
{
	struct tls_config tc = { 0 };
	char *names[2], err[512];
	struct tls_client *tls;

	(void)state;
	tc.verification_mode = TLS_VERIFY_NONE;
	names[0] = "TLS_AES_128_GCM_SHA256";
	names[1] = "ECDHE-ECDSA-AES128-GCM-SHA256";
	tc.cipher_suites = names;
	tc.nciphers = 2;
	tls = tls_client_new(&tc, err, sizeof(err));
	if (tls == NULL)
		fail_msg("%s", err);
	tls_client_free(tls);
	names[1] = "ECDHE-ECDSA-AES128-GCM-SHA257";
	assert_null(tls_client_new(&tc, err, sizeof(err)));
	assert_string_equal(err, "unknown cipher suite "
	    "\"ECDHE-ECDSA-AES128-GCM-SHA257\" (OpenSSL names, e.g. "
	    "ECDHE-RSA-AES128-GCM-SHA256 or TLS_AES_128_GCM_SHA256)");
	names[0] = "TLS_AES_128_GCM_SHA257";
	assert_null(tls_client_new(&tc, err, sizeof(err)));
	assert_non_null(strstr(err, "\"TLS_AES_128_GCM_SHA257\""));
}

static void
test_tls_restricted_ciphers_handshake(void **state)
{
	SCRIPT({ READ_WINDOW, 0, NULL }, { ACK, 1, NULL });
	struct tls_config tc = { 0 };
	struct lj_config cfg = config(2000);
	char *cas[1], *names[1], *protos[1], err[512];
	struct tls_client *tls;
	SSL_CTX *sctx = server_ctx("server", 0, NULL);
	struct server s;
	struct lj_conn *c;
	size_t acked;

	(void)state;
	cas[0] = (char *)path("ca.crt");
	names[0] = "ECDHE-ECDSA-CHACHA20-POLY1305";
	protos[0] = "TLSv1.2";
	tc.certificate_authorities = cas;
	tc.ncas = 1;
	tc.cipher_suites = names;
	tc.nciphers = 1;
	tc.supported_protocols = protos;
	tc.nprotocols = 1;
	if ((tls = tls_client_new(&tc, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	cfg.tls = tls;
	cfg.tls_verify_host = 1;
	server_start(&s, script, nsteps, sctx);
	c = connect_to(&s, "127.0.0.1", &cfg);
	assert_int_equal(lj_send_window(c, three_docs, 1, err, sizeof(err)),
	    0);
	assert_int_equal(lj_wait_window(c, &acked, err, sizeof(err)), 0);
	lj_close(c);
	server_join(&s);
	tls_client_free(tls);
	SSL_CTX_free(sctx);
}

static void
test_tls_verify_names(void **state)
{
	enum tls_verify m;

	(void)state;
	assert_int_equal(tls_verify_parse("strict", &m), 0);
	assert_int_equal(m, TLS_VERIFY_STRICT);
	assert_int_equal(tls_verify_parse("none", &m), 0);
	assert_int_equal(m, TLS_VERIFY_NONE);
	assert_int_equal(tls_verify_parse("Full", &m), -1);
	assert_string_equal(tls_verify_name(TLS_VERIFY_CERTIFICATE),
	    "certificate");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_exact_bytes),
		CASES(test_encode, encode_cases),
		cmocka_unit_test(test_encode_compressed_window),
		cmocka_unit_test(test_encode_rejects_bad_windows),
		CASES(test_window, window_cases),
		cmocka_unit_test(test_failure_fails_every_window_in_flight),
		cmocka_unit_test(test_pipelined_windows_acked_in_order),
		cmocka_unit_test(test_large_window),
		cmocka_unit_test(test_send_errors_leave_nothing_in_flight),
		cmocka_unit_test(test_interrupt_wakes_a_waiting_thread),
		cmocka_unit_test(test_interrupt_wakes_a_sending_thread),
		cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_tls_verify_names),
	};
	const struct CMUnitTest tls_tests[] = {
		CASES(test_tls_exchange, exchange_cases),
		cmocka_unit_test(test_tls_mutual_without_certificate),
		cmocka_unit_test(test_tls_handshake_timeout_and_plain_server),
		cmocka_unit_test(test_tls_to_a_plain_server),
		CASES(test_tls_refused_client, refused_client_cases),
		cmocka_unit_test(test_tls_cipher_suites),
		cmocka_unit_test(test_tls_restricted_ciphers_handshake),
	};
	int failed;

	/* The plugin ignores SIGPIPE; TLS writes rely on it. */
	signal(SIGPIPE, SIG_IGN);
	/* A test that wrongly blocks for ever must fail, not hang. */
	alarm(120);
	failed = run_group_name("lumberjack", tests, NULL, NULL);
	if (system("openssl version > /dev/null 2>&1") != 0) {
		fprintf(stderr, "openssl command not found: TLS tests "
		    "skipped\n");
		return failed != 0 ? 1 : 77;
	}
	failed += run_group_name("tls", tls_tests, tls_setup, tls_teardown);
	return failed != 0 ? 1 : 0;
}

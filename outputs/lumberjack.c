/*
 * The Lumberjack v2 client: window encoding, sending, acks and timeouts;
 * see lumberjack.h for the protocol and the contracts.
 *
 * The socket is non-blocking from its creation.  Every wait is a poll(2)
 * bounded by a deadline on the monotonic clock, so neither a silent server
 * nor a full send buffer can hold the output thread for longer than the
 * configured timeout, and nothing here ever ends the process: errors go
 * back to the caller as a sentence in err, which retries or reconnects.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libdeflate.h>

#include "lumberjack.h"
#include "../common/buf.h"
#include "../common/errbuf.h"
#include "tls.h"

#define LJ_VERSION	'2'
#define LJ_WINDOW	'W'
#define LJ_JSON		'J'
#define LJ_COMPRESSED	'C'
#define LJ_ACK		'A'
#define LJ_ACK_LEN	6

/*
 * Acks are read this much at a time: a peer that sends many at once (a
 * flood, or acks piled up while a large window was being sent) costs one
 * read per this many bytes, and all complete frames are handled at once.
 */
#define LJ_IN_SIZE	(64 * 1024)

/*
 * An ack that does not advance the window is a keepalive: Logstash sends
 * one every 5 s while a batch of the connection is stuck in its pipeline,
 * go-lumber every 3 s.  More than this many in one second is a peer that
 * is broken or hostile; the connection is closed rather than spending on
 * it the CPU the audit events need.
 */
#define LJ_KEEPALIVES_MAX	100
#define LJ_KEEPALIVE_PERIOD_MS	1000

/* Buffers grown past this by a large window are released after it. */
#define LJ_BUF_KEEP	(1024 * 1024)

/*
 * A compressed window is one frame with a 32-bit length; plain windows
 * get the same bound on what is buffered for one send.
 */
#define LJ_WINDOW_MAX	((size_t)UINT32_MAX)
/* The metadata object: an index name and a version string. */
#define LJ_META_MAX	(64 * 1024)

struct lj_conn {
	int		 fd;
	struct tls_conn	*tls;
	int		 timeout_ms;
	int		 level;
	int		 escape_html;
	int		 failed;	/* unusable after an I/O error */
	atomic_int	 interrupted;	/* set by lj_interrupt, any thread */
	char		 peer[NI_MAXHOST + 40];	/* "host:port" for messages */
	struct buf	 meta;		/* "@metadata":{...} */
	struct buf	 out;		/* the window being sent */
	struct buf	 frames;	/* its J frames, before compression */
	struct libdeflate_compressor *zc;	/* made at the first window */
	/* Sizes of the windows in flight, oldest first, in a ring. */
	uint32_t	*windows;
	size_t		 wfirst;
	size_t		 wcount;
	size_t		 wcap;
	uint32_t	 acked;		/* highest ack of the oldest window */
	/* Keepalives (acks that did not advance) since keepalive_start. */
	int64_t		 keepalive_start;
	uint32_t	 keepalives;
	int		 flooded;	/* failed: too many of them */
	unsigned char	 in[LJ_IN_SIZE];	/* bytes read ... */
	size_t		 inpos;		/* ... from here on not yet parsed */
	size_t		 inlen;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* A frame header: version, type and one 32-bit number. */
static int
add_header(struct buf *b, char type, uint32_t v)
{
	unsigned char h[6] = { LJ_VERSION, (unsigned char)type };

	put_u32(h + 2, v);
	return buf_append(b, h, sizeof(h));
}

/* Keeps a buffer of ordinary size for the next window. */
static void
trim(struct buf *b)
{
	if (b->cap > LJ_BUF_KEEP)
		buf_release(b);
	buf_reset(b);
}

/* What a failed append means, for messages. */
static void
append_failed(char *err, size_t errlen)
{
	if (errno == EMSGSIZE)
		seterr(err, errlen, "window larger than the lumberjack "
		    "protocol allows (4 GiB)");
	else
		seterr(err, errlen, "out of memory encoding a window");
}

/*
 * Appends JSON text, with < > & as \u escapes if asked: those characters
 * can only occur inside strings of a valid document, so a byte-level
 * rewrite gives what an HTML-escaping encoder would have written.
 */
static int
add_json(struct buf *b, const char *s, size_t n, int escape_html)
{
	const char *end = s + n, *run;
	const char *esc;

	if (!escape_html)
		return buf_append(b, s, n);
	while (s < end) {
		for (run = s; run < end && *run != '<' && *run != '>' &&
		    *run != '&'; run++)
			;
		if (buf_append(b, s, (size_t)(run - s)) == -1)
			return -1;
		if (run == end)
			break;
		esc = *run == '<' ? "\\u003c" : *run == '>' ? "\\u003e" :
		    "\\u0026";
		if (buf_append(b, esc, 6) == -1)
			return -1;
		s = run + 1;
	}
	return 0;
}

/* "@metadata":{"beat":INDEX,"type":"_doc","version":VERSION} */
static int
make_meta(struct buf *meta, const char *index, const char *version,
    int escape_html)
{
	struct jw w;
	int rc = -1;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_object_open(&w, "@metadata");
	jw_cstring(&w, "beat", index != NULL ? index : "");
	jw_cstring(&w, "type", "_doc");
	jw_cstring(&w, "version", version != NULL ? version : "");
	jw_object_close(&w);
	jw_object_close(&w);
	/* Without the outer braces: it goes inside each document. */
	buf_reset(meta);
	if (!jw_failed(&w) && jw_len(&w) >= 2)
		rc = add_json(meta, jw_data(&w) + 1, jw_len(&w) - 2,
		    escape_html);
	jw_release(&w);
	return rc;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One J frame: the document with the metadata as its first member. */
static int
add_document(struct buf *b, const struct buf *meta, uint32_t seq,
    struct sv doc, int escape_html, char *err, size_t errlen)
{
	const char *p = doc.p, *end, *q;
	size_t hdr, start;
	int empty;

	if (p == NULL)
		goto notobject;
	end = p + doc.n;
	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	if (end - p < 2 || *p != '{' || end[-1] != '}')
		goto notobject;
	for (q = ++p; q < end && is_space(*q); q++)
		;
	empty = q == end - 1;
	hdr = b->len;
	if (add_header(b, LJ_JSON, seq) == -1 ||
	    buf_append(b, "\0\0\0\0", 4) == -1)
		goto nomem;
	start = b->len;
	if (buf_append(b, "{", 1) == -1 ||
	    buf_append(b, meta->p, meta->len) == -1 ||
	    (!empty && buf_append(b, ",", 1) == -1) ||
	    add_json(b, p, (size_t)(end - p), escape_html) == -1)
		goto nomem;
	if (b->len - start > UINT32_MAX) {
		seterr(err, errlen, "document %lu of the window is too large "
		    "for the lumberjack protocol", (unsigned long)seq);
		return -1;
	}
	put_u32((unsigned char *)b->p + hdr + 6, (uint32_t)(b->len - start));
	return 0;
notobject:
	seterr(err, errlen, "document %lu of the window is not a JSON object",
	    (unsigned long)seq);
	return -1;
nomem:
	append_failed(err, errlen);
	return -1;
}

/*
 * The window into out (emptied first); frames is scratch space.  With a
 * level, *zc is the compressor for it, made here when NULL and kept by the
 * caller.
 */
static int
encode(const struct buf *meta, int level, int escape_html,
    const struct sv docs[], size_t n, struct buf *out, struct buf *frames,
    struct libdeflate_compressor **zcp, char *err, size_t errlen)
{
	struct buf *j = level > 0 ? frames : out;
	struct libdeflate_compressor *zc;
	size_t i, hdr, zlen;

	buf_reset(out);
	buf_reset(frames);
	if (n == 0) {
		seterr(err, errlen, "refusing to send an empty window");
		return -1;
	}
	if (n > UINT32_MAX) {
		seterr(err, errlen, "too many documents for one window");
		return -1;
	}
	if (level < 0 || level > 9) {
		seterr(err, errlen, "compression level %d is not in 0..9",
		    level);
		return -1;
	}
	if (add_header(out, LJ_WINDOW, (uint32_t)n) == -1)
		goto nomem;
	for (i = 0; i < n; i++)
		if (add_document(j, meta, (uint32_t)(i + 1), docs[i],
		    escape_html, err, errlen) == -1)
			return -1;
	if (level == 0)
		return 0;
	if (frames->len > UINT32_MAX)
		goto toolarge;
	/*
	 * libdeflate writes the same zlib format as zlib's compress2, at a
	 * fraction of the CPU: compression is most of what shipping costs.
	 */
	if (*zcp == NULL && (*zcp = libdeflate_alloc_compressor(level)) == NULL)
		goto nomem;
	zc = *zcp;
	zlen = libdeflate_zlib_compress_bound(zc, frames->len);
	hdr = out->len;
	if (add_header(out, LJ_COMPRESSED, 0) == -1 ||
	    buf_reserve(out, zlen) == -1)
		goto nomem;
	zlen = libdeflate_zlib_compress(zc, frames->p, frames->len,
	    out->p + out->len, zlen);
	if (zlen == 0) {
		seterr(err, errlen, "cannot compress a window");
		return -1;
	}
	if (zlen > UINT32_MAX)
		goto toolarge;
	put_u32((unsigned char *)out->p + hdr + 2, (uint32_t)zlen);
	out->len += zlen;
	return 0;
toolarge:
	seterr(err, errlen, "window too large for the lumberjack protocol");
	return -1;
nomem:
	append_failed(err, errlen);
	return -1;
}

int
lj_encode_window(const struct lj_config *cfg, const struct sv docs[],
    size_t n, struct jw *out)
{
	struct buf meta = BUF_INITIALIZER(LJ_META_MAX);
	struct buf win = BUF_INITIALIZER(LJ_WINDOW_MAX);
	struct buf frames = BUF_INITIALIZER(LJ_WINDOW_MAX);
	struct libdeflate_compressor *zc = NULL;
	int rc = -1;

	if (make_meta(&meta, cfg->index, cfg->version, cfg->escape_html) ==
	    0 && encode(&meta, cfg->compression_level, cfg->escape_html, docs,
	    n, &win, &frames, &zc, NULL, 0) == 0) {
		jw_append(out, win.p, win.len);
		rc = jw_failed(out) ? -1 : 0;
	}
	buf_release(&meta);
	buf_release(&win);
	buf_release(&frames);
	libdeflate_free_compressor(zc);
	return rc;
}

/*
 * Waits for events on fd until deadline.  Returns 1 when something
 * happened (an error or hang-up included: the next call reports it), 0
 * when the deadline passed, -1 on a poll failure (errno).
 */
static int
wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd pfd;
	int64_t left;
	int r;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return 0;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r > 0)
			return 1;
		if (r == -1 && errno != EINTR)
			return -1;
	}
}

/* A connected non-blocking socket to ai, or -1 with *error (0: timeout). */
static int
connect_addr(const struct addrinfo *ai, int64_t deadline, int *error)
{
	socklen_t len = sizeof(*error);
	int fd, r;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1) {
		*error = errno;
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	/* Interrupted, the connection still goes on asynchronously. */
	if (errno != EINPROGRESS && errno != EINTR) {
		*error = errno;
		goto fail;
	}
	if ((r = wait_fd(fd, POLLOUT, deadline)) <= 0) {
		*error = r == 0 ? 0 : errno;
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, error, &len) == -1)
		*error = errno;
	if (*error == 0)
		return fd;
fail:
	close(fd);
	return -1;
}

/* Tries each address of host in turn; they share the time left. */
static int
connect_host(struct lj_conn *c, const char *host, const char *port,
    int64_t deadline, char *err, size_t errlen)
{
	struct addrinfo hints, *res, *ai;
	size_t naddrs = 0;
	int64_t now, slot;
	int fd = -1, error = 0, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		seterr(err, errlen, "resolve %s: %s", c->peer,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next)
		naddrs++;
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next, naddrs--) {
		now = now_ms();
		if (now >= deadline) {
			error = 0;
			break;
		}
		/* A refusal is immediate; only a silent address waits. */
		slot = (deadline - now) / (int64_t)naddrs;
		fd = connect_addr(ai, now + (slot > 0 ? slot : 1), &error);
	}
	freeaddrinfo(res);
	if (fd != -1)
		return fd;
	if (error == 0)
		seterr(err, errlen, "connect to %s: timed out after %d ms",
		    c->peer, c->timeout_ms);
	else
		seterr(err, errlen, "connect to %s: %s", c->peer,
		    strerror(error));
	return -1;
}

static int
handshake(struct lj_conn *c, const char *host, const struct lj_config *cfg,
    int64_t deadline, char *err, size_t errlen)
{
	char why[512];
	int r;

	if ((c->tls = tls_conn_new(cfg->tls, c->fd, host, cfg->tls_verify_host,
	    why, sizeof(why))) == NULL) {
		seterr(err, errlen, "TLS handshake with %s: %s", c->peer, why);
		return -1;
	}
	while ((r = tls_conn_handshake(c->tls, why, sizeof(why))) != 0) {
		if (r == -1) {
			seterr(err, errlen, "TLS handshake with %s: %s",
			    c->peer, why);
			return -1;
		}
		r = wait_fd(c->fd, r == TLS_WANT_READ ? POLLIN : POLLOUT,
		    deadline);
		if (r == 0) {
			seterr(err, errlen, "TLS handshake with %s: timed out "
			    "after %d ms", c->peer, c->timeout_ms);
			return -1;
		}
		if (r == -1) {
			seterr(err, errlen, "TLS handshake with %s: %s",
			    c->peer, strerror(errno));
			return -1;
		}
	}
	return 0;
}

struct lj_conn *
lj_connect(const char *host, const char *port, const struct lj_config *cfg,
    char *err, size_t errlen)
{
	struct lj_conn *c;
	char name[NI_MAXHOST];
	size_t len = strlen(host);
	int64_t deadline = now_ms() + cfg->timeout_ms;
	int one = 1;

	if (cfg->timeout_ms <= 0) {
		seterr(err, errlen, "the timeout must be positive");
		return NULL;
	}
	if (cfg->compression_level < 0 || cfg->compression_level > 9) {
		seterr(err, errlen, "compression level %d is not in 0..9",
		    cfg->compression_level);
		return NULL;
	}
	/* Tolerate "[::1]": addresses and certificates want it bare. */
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof(name)) {
		seterr(err, errlen, "invalid host name \"%s\"", host);
		return NULL;
	}
	memcpy(name, host, len);
	name[len] = '\0';
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->windows = calloc(4, sizeof(*c->windows))) == NULL) {
		free(c);
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	c->wcap = 4;
	c->fd = -1;
	buf_init(&c->meta, LJ_META_MAX);
	buf_init(&c->out, LJ_WINDOW_MAX);
	buf_init(&c->frames, LJ_WINDOW_MAX);
	atomic_init(&c->interrupted, 0);
	c->timeout_ms = cfg->timeout_ms;
	c->level = cfg->compression_level;
	c->escape_html = cfg->escape_html;
	snprintf(c->peer, sizeof(c->peer), strchr(name, ':') != NULL ?
	    "[%s]:%s" : "%s:%s", name, port);
	if (make_meta(&c->meta, cfg->index, cfg->version, cfg->escape_html) ==
	    -1) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	if ((c->fd = connect_host(c, name, port, deadline, err, errlen)) == -1)
		goto fail;
	/* Small windows must not wait for Nagle; idle links are probed. */
	(void)setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	(void)setsockopt(c->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	if (cfg->tls != NULL &&
	    handshake(c, name, cfg, deadline, err, errlen) == -1)
		goto fail;
	return c;
fail:
	lj_close(c);
	return NULL;
}

/* Writes all of p[0..len) before deadline. */
static int
send_all(struct lj_conn *c, const unsigned char *p, size_t len,
    int64_t deadline, char *err, size_t errlen)
{
	char why[512];
	ssize_t n;
	short ev;
	int r;

	while (len > 0) {
		ev = POLLOUT;
		if (c->tls != NULL) {
			n = tls_conn_write(c->tls, p, len, why, sizeof(why));
			if (n == -1) {
				seterr(err, errlen, "send to %s: %s", c->peer,
				    why);
				return -1;
			}
			if (n == TLS_WANT_READ)
				ev = POLLIN;
		} else if ((n = send(c->fd, p, len, MSG_NOSIGNAL |
		    MSG_DONTWAIT)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				seterr(err, errlen, "send to %s: %s", c->peer,
				    strerror(errno));
				return -1;
			}
		}
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if ((r = wait_fd(c->fd, ev, deadline)) == 0) {
			seterr(err, errlen, "send to %s: timed out after %d ms",
			    c->peer, c->timeout_ms);
			return -1;
		}
		if (r == -1) {
			seterr(err, errlen, "send to %s: %s", c->peer,
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Room for one more window in the ring, before anything is sent. */
static int
reserve_window(struct lj_conn *c)
{
	uint32_t *w;
	size_t i;

	if (c->wcount < c->wcap)
		return 0;
	if ((w = calloc(c->wcap * 2, sizeof(*w))) == NULL)
		return -1;
	for (i = 0; i < c->wcount; i++)
		w[i] = c->windows[(c->wfirst + i) % c->wcap];
	free(c->windows);
	c->windows = w;
	c->wfirst = 0;
	c->wcap *= 2;
	return 0;
}

int
lj_send_window(struct lj_conn *c, const struct sv docs[], size_t n,
    char *err, size_t errlen)
{
	int rc;

	if (atomic_load(&c->interrupted)) {
		c->failed = 1;
		seterr(err, errlen, "send to %s: interrupted", c->peer);
		return -1;
	}
	if (c->failed) {
		seterr(err, errlen, "send to %s: the connection failed earlier",
		    c->peer);
		return -1;
	}
	if (reserve_window(c) == -1) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	if (encode(&c->meta, c->level, c->escape_html, docs, n, &c->out,
	    &c->frames, &c->zc, err, errlen) == -1)
		rc = -1;
	else if ((rc = send_all(c, (unsigned char *)c->out.p, c->out.len,
	    now_ms() + c->timeout_ms, err, errlen)) == -1) {
		c->failed = 1;
		/* The error seen was only the consequence. */
		if (atomic_load(&c->interrupted))
			seterr(err, errlen, "send to %s: interrupted", c->peer);
	} else
		c->windows[(c->wfirst + c->wcount++) % c->wcap] = (uint32_t)n;
	trim(&c->out);
	trim(&c->frames);
	return rc;
}

/*
 * Reads what the server sent into c->in, after what is left of a frame.
 * Returns the number of bytes, 0 when the server closed the connection,
 * -1 with the reason in why, or -2 when the deadline passed.
 */
static ssize_t
receive(struct lj_conn *c, int64_t deadline, char *why, size_t whylen)
{
	unsigned char *p;
	size_t room;
	ssize_t n;
	short ev;
	int r;

	/* Every complete frame was parsed: this moves less than a frame. */
	memmove(c->in, c->in + c->inpos, c->inlen - c->inpos);
	c->inlen -= c->inpos;
	c->inpos = 0;
	p = c->in + c->inlen;
	room = sizeof(c->in) - c->inlen;
	for (;;) {
		ev = POLLIN;
		if (c->tls != NULL) {
			if ((n = tls_conn_read(c->tls, p, room, why, whylen)) >=
			    -1)
				return n;
			if (n == TLS_WANT_WRITE)
				ev = POLLOUT;
		} else if ((n = recv(c->fd, p, room, MSG_DONTWAIT)) >= 0)
			return n;
		else if (errno == EINTR)
			continue;
		else if (errno != EAGAIN && errno != EWOULDBLOCK) {
			seterr(why, whylen, "%s", strerror(errno));
			return -1;
		}
		if ((r = wait_fd(c->fd, ev, deadline)) == 0)
			return -2;
		if (r == -1) {
			seterr(why, whylen, "%s", strerror(errno));
			return -1;
		}
	}
}

/* The first bytes of s as printable text, for a message. */
static void
quote_bytes(char *dst, size_t size, const unsigned char *s, size_t n)
{
	size_t len = 0, i;

	for (i = 0; i < n && len + 5 < size; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
			dst[len++] = (char)s[i];
		else
			len += (size_t)snprintf(dst + len, size - len,
			    "\\x%02x", s[i]);
	}
	dst[len] = '\0';
}

/* "0x48 'H'", or "0x01" for a byte that does not print. */
static void
byte_text(char *dst, size_t size, unsigned char b)
{
	if (b >= 0x20 && b < 0x7f)
		snprintf(dst, size, "0x%02x '%c'", b, (char)b);
	else
		snprintf(dst, size, "0x%02x", b);
}

/* Describes bytes that cannot start an ack frame. */
static void
describe_garbage(const struct lj_conn *c, char *why, size_t whylen)
{
	const unsigned char *in = c->in + c->inpos;
	size_t len = c->inlen - c->inpos;
	char seen[80], byte[16];
	int version_ok = in[0] == LJ_VERSION;

	quote_bytes(seen, sizeof(seen), in, len < 16 ? len : 16);
	byte_text(byte, sizeof(byte), version_ok ? in[1] : in[0]);
	seterr(why, whylen, "unexpected data from the server: %s %s instead "
	    "of %s (received \"%s\")", version_ok ? "frame type" :
	    "version byte", byte, version_ok ? "an ack 'A'" : "'2'", seen);
}

/* Ends the oldest window: the acks that follow are for the next one. */
static void
pop_window(struct lj_conn *c)
{
	c->wfirst = (c->wfirst + 1) % c->wcap;
	c->wcount--;
	c->acked = 0;
}

/*
 * One more keepalive at now: 1 when that makes too many in the period
 * (see LJ_KEEPALIVES_MAX).
 */
static int
keepalive_flood(struct lj_conn *c, int64_t now)
{
	if (now - c->keepalive_start >= LJ_KEEPALIVE_PERIOD_MS) {
		c->keepalive_start = now;
		c->keepalives = 0;
	}
	return ++c->keepalives > LJ_KEEPALIVES_MAX;
}

/*
 * Parses the acks in c->in, all complete ones at once, until the oldest
 * window is complete.  Returns 1 when it is, 0 when more is needed, -1
 * with why on a protocol error or a flood of keepalives.  *progress is
 * set when an ack (or keepalive) arrived; now is the time they count at.
 */
static int
parse_acks(struct lj_conn *c, uint32_t n, int64_t now, int *progress,
    char *why, size_t whylen)
{
	const unsigned char *p;
	uint32_t seq;
	size_t left;

	while ((left = c->inlen - c->inpos) > 0) {
		p = c->in + c->inpos;
		if (p[0] != LJ_VERSION || (left >= 2 && p[1] != LJ_ACK)) {
			describe_garbage(c, why, whylen);
			return -1;
		}
		if (left < LJ_ACK_LEN)
			return 0;
		seq = get_u32(p + 2);
		c->inpos += LJ_ACK_LEN;
		if (seq > n) {
			seterr(why, whylen, "the server acknowledged document "
			    "%lu of a window of %lu", (unsigned long)seq,
			    (unsigned long)n);
			return -1;
		}
		*progress = 1;
		if (seq > c->acked)
			c->acked = seq;
		else if (keepalive_flood(c, now)) {
			c->flooded = 1;
			seterr(why, whylen, "more than %d acks in %d ms that do "
			    "not advance the window (keepalives come seconds "
			    "apart): a misbehaving server", LJ_KEEPALIVES_MAX,
			    LJ_KEEPALIVE_PERIOD_MS);
			return -1;
		}
		if (c->acked == n)
			return 1;
	}
	return 0;
}

int
lj_wait_window(struct lj_conn *c, size_t *acked, char *err, size_t errlen)
{
	char why[512];
	int64_t deadline, now;
	uint32_t n;
	ssize_t r;
	int progress, done;

	*acked = 0;
	if (c->wcount == 0) {
		seterr(err, errlen, "ack from %s: no window in flight",
		    c->peer);
		return -1;
	}
	n = c->windows[c->wfirst];
	if (c->failed) {
		pop_window(c);
		seterr(err, errlen, "ack from %s: the connection failed "
		    "earlier", c->peer);
		return -1;
	}
	deadline = now_ms() + c->timeout_ms;
	for (;;) {
		progress = 0;
		now = now_ms();
		done = parse_acks(c, n, now, &progress, why, sizeof(why));
		if (done == 1) {
			*acked = n;
			pop_window(c);
			return 0;
		}
		if (done == -1)
			break;
		/* A keepalive or a partial ack: the server is alive. */
		if (progress)
			deadline = now + c->timeout_ms;
		if ((r = receive(c, deadline, why, sizeof(why))) > 0) {
			c->inlen += (size_t)r;
			continue;
		}
		if (r == 0)
			seterr(why, sizeof(why), "the server closed the "
			    "connection");
		else if (r == -2)
			seterr(why, sizeof(why), "timed out after %d ms",
			    c->timeout_ms);
		break;
	}
	/* The error seen was only the consequence. */
	if (atomic_load(&c->interrupted))
		seterr(why, sizeof(why), "interrupted");
	*acked = c->acked;
	seterr(err, errlen, "ack from %s: %s (%lu of %lu documents "
	    "acknowledged)", c->peer, why, (unsigned long)c->acked,
	    (unsigned long)n);
	c->failed = 1;
	pop_window(c);
	return -1;
}

void
lj_interrupt(struct lj_conn *c)
{
	atomic_store(&c->interrupted, 1);
	/* Wakes poll(2) in the other thread; fd is valid until lj_close. */
	if (c->fd != -1)
		(void)shutdown(c->fd, SHUT_RDWR);
}

size_t
lj_windows_in_flight(const struct lj_conn *c)
{
	return c->wcount;
}

int
lj_ack_flood(const struct lj_conn *c)
{
	return c->flooded;
}

void
lj_close(struct lj_conn *c)
{
	if (c == NULL)
		return;
	tls_conn_free(c->tls);
	if (c->fd != -1)
		close(c->fd);
	buf_release(&c->meta);
	buf_release(&c->out);
	buf_release(&c->frames);
	libdeflate_free_compressor(c->zc);
	free(c->windows);
	free(c);
}

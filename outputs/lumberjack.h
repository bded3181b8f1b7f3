/*
 * The client side of the Lumberjack v2 protocol (Logstash's beats input),
 * over TCP or TLS.
 *
 * Documents travel in windows: a 'W' frame with the number of documents,
 * then one 'J' frame per document numbered 1..n, or one 'C' frame holding
 * those 'J' frames zlib-compressed.  The server answers with 'A' frames
 * naming the sequence number of the last document it has taken from the
 * oldest unfinished window; an ack of 0, or one no higher than the last,
 * is a keepalive sent while Logstash is still busy (every 5 s).  More
 * than 100 keepalives within a second are a misbehaving server: its acks
 * are read in large chunks, so a flood costs little until it is noticed,
 * and then the connection fails.  Every frame starts with the version
 * byte '2'; integers are 32 bits, big-endian.
 *
 * Each document gets "@metadata":{"beat":INDEX,"type":"_doc",
 * "version":VERSION} as its first member, as libbeat's Logstash output
 * sends it, so Logstash pipelines written for Beats work unchanged.
 *
 * A struct lj_conn is used by one thread at a time (lj_interrupt aside).
 * No call blocks longer
 * than timeout_ms without progress: lj_connect and lj_send_window finish
 * within timeout_ms in all (name resolution aside), lj_wait_window within
 * timeout_ms of the last ack or keepalive.  A connection that failed is
 * unusable and must be closed; windows not completely acknowledged must
 * be sent again on a new one (at-least-once delivery).
 *
 * TLS writes rely on SIGPIPE being ignored (see tls.h); plain TCP writes
 * use MSG_NOSIGNAL.
 */
#ifndef AUDISP_ECS_LUMBERJACK_H
#define AUDISP_ECS_LUMBERJACK_H

#include <stddef.h>

#include "../common/sv.h"
#include "../common/json_writer.h"

struct tls_client;

struct lj_config {
	const char	*index;		/* @metadata.beat, e.g. "audisp-ecs" */
	const char	*version;	/* @metadata.version */
	/* 0: the J frames as they are; 1..9: one C frame per window. */
	int		 compression_level;
	/* Write < > & inside documents as \u003c \u003e \u0026. */
	int		 escape_html;
	/*
	 * Limit for connecting (TCP and TLS handshake together), for
	 * sending one window, and for the wait between two acks.
	 */
	int		 timeout_ms;
	const struct tls_client *tls;	/* NULL: plain TCP */
	/*
	 * Check the certificate's names against host; only has effect
	 * when the tls_client's mode is full or strict (see
	 * tls_client_verifies_host).
	 */
	int		 tls_verify_host;
};

struct lj_conn;

/*
 * Connects to host (a name or an IP address, IPv6 without brackets) and
 * port (a number or a service name).  Every address host resolves to is
 * tried in turn, sharing timeout_ms; then, with cfg->tls, the TLS
 * handshake (SNI, chain and name checks as configured) completes within
 * what is left of it.  The socket has TCP_NODELAY and SO_KEEPALIVE.
 *
 * cfg is copied: its strings need not outlive the call, but cfg->tls must
 * outlive the connection.  Returns NULL with a message in err, e.g.
 * "connect to HOST:PORT: Connection refused", "connect to HOST:PORT: timed
 * out after N ms", "resolve HOST:PORT: Name or service not known", "TLS
 * handshake with HOST:PORT: certificate has expired".  Name resolution
 * (getaddrinfo) is not bounded by the timeout.
 */
struct lj_conn	*lj_connect(const char *host, const char *port,
		    const struct lj_config *cfg, char *err, size_t errlen);

/*
 * Sends one window of n >= 1 documents, each a complete JSON object with
 * no trailing newline, and returns without waiting for its ack: several
 * windows may be in flight.  The documents are copied (encoded) before the
 * call returns.  Returns 0, or -1 with err:
 *   - n == 0, a document that is not a JSON object, a document or window
 *     too large for the protocol (4 GiB), out of memory: nothing was sent
 *     and the connection is still usable;
 *   - a write error or timeout: the connection is unusable (close it); the
 *     window is not counted as in flight.
 */
int		 lj_send_window(struct lj_conn *, const struct sv docs[],
		    size_t n, char *err, size_t errlen);

/*
 * Waits until the oldest window in flight is completely acknowledged and
 * removes it from the in-flight list (also on failure).  Returns 0 with
 * *acked set to its size, or -1 with err and *acked set to the number of
 * its documents the server did acknowledge (documents 1..*acked are safe)
 * when the server closes the connection, the connection fails, something
 * other than an ack arrives, keepalives flood in (lj_ack_flood), or
 * timeout_ms passes without an ack or keepalive.  After a
 * failure the connection is unusable: each remaining window then fails at
 * once with *acked == 0.  With no window in flight, returns -1 and
 * *acked == 0.
 */
int		 lj_wait_window(struct lj_conn *, size_t *acked,
		    char *err, size_t errlen);

/* Windows sent and not yet reported by lj_wait_window. */
size_t		 lj_windows_in_flight(const struct lj_conn *);

/* 1 when lj_wait_window failed because of a flood of keepalives. */
int		 lj_ack_flood(const struct lj_conn *);

/*
 * Makes the lj_send_window or lj_wait_window running on c in another
 * thread return -1 at once with "interrupted" in err (acks already
 * received still count), and every later call too; e.g. at shutdown.  The
 * only function that may be called from another thread, and only while c
 * is open: the caller makes sure lj_close does not run concurrently or
 * before (a mutex around both will do).
 */
void		 lj_interrupt(struct lj_conn *);

/* Closes the connection (close_notify first with TLS).  NULL is allowed. */
void		 lj_close(struct lj_conn *);

/*
 * Appends to out exactly the bytes lj_send_window sends for these
 * documents (for tests and for callers that frame windows themselves).
 * Returns 0, or -1 when n == 0, a document is not a JSON object, the
 * window is too large, or memory runs out (then out may hold part of the
 * window and jw_failed(out) may be set).
 */
int		 lj_encode_window(const struct lj_config *,
		    const struct sv docs[], size_t n, struct jw *out);

#endif

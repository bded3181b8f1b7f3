/*
 * TLS for the network outputs, with OpenSSL 3.
 *
 * A struct tls_client is an SSL_CTX with the configured trust anchors,
 * client certificate, protocol versions, cipher suites and verification
 * mode applied.  It is built once (at start-up or reload), never changed
 * afterwards, and may be shared read-only by any number of connections in
 * any number of threads.
 *
 * A struct tls_conn is one TLS session over a socket the caller has already
 * connected and made non-blocking.  Its functions never block: they return
 * TLS_WANT_READ or TLS_WANT_WRITE and the caller polls the socket for that
 * event (with its own deadline) and calls again with the same arguments.
 * A struct tls_conn belongs to one thread at a time.
 *
 * The verification modes are libbeat's:
 *   full         the chain must lead to a trusted authority and the server
 *                name (or IP address) must match the certificate: a DNS or
 *                IP subject alternative name, or the common name when the
 *                certificate has no DNS name at all;
 *   strict       as full, but only subject alternative names count: a
 *                certificate without a matching SAN is refused;
 *   certificate  the chain is verified, the name is not;
 *   none         nothing is verified (the caller should warn about it).
 *
 * Writes on a TLS connection go through OpenSSL's socket BIO, which uses
 * write(2): a process using TLS must ignore SIGPIPE (audisp-ecs does).
 */
#ifndef AUDISP_ECS_TLS_H
#define AUDISP_ECS_TLS_H

#include <stddef.h>
#include <sys/types.h>

enum tls_verify {
	TLS_VERIFY_FULL,
	TLS_VERIFY_STRICT,
	TLS_VERIFY_CERTIFICATE,
	TLS_VERIFY_NONE
};

struct tls_config {
	int		 enabled;
	/* PEM files of trusted authorities; none: the system store. */
	char		**certificate_authorities;
	size_t		 ncas;
	/*
	 * Client certificate (PEM, may be followed by its intermediates) and
	 * key for mutual TLS; both or neither.  The key may be PKCS#8 or
	 * traditional PEM, encrypted (key_passphrase) or not.
	 */
	char		*certificate;
	char		*key;
	char		*key_passphrase;
	enum tls_verify	 verification_mode;		/* default FULL */
	/*
	 * "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"; none: TLS 1.2 and 1.3.
	 * OpenSSL's default security level may still refuse 1.0 and 1.1.
	 */
	char		**supported_protocols;
	size_t		 nprotocols;
	/*
	 * OpenSSL names.  Names starting with "TLS_" are TLS 1.3 suites, the
	 * others TLS 1.2 (and older) ciphers; the family not named keeps
	 * OpenSSL's defaults.
	 */
	char		**cipher_suites;
	size_t		 nciphers;
};

struct tls_client;
struct tls_conn;

/* What a non-blocking call needs before it can make progress. */
#define TLS_WANT_READ	(-2)
#define TLS_WANT_WRITE	(-3)

/*
 * Builds a client context from cfg (which is not referenced afterwards).
 * Returns NULL with a message in err naming the culprit: a certificate
 * authority, certificate or key file that cannot be read or holds nothing
 * usable, an encrypted key without passphrase or with the wrong one, a key
 * that does not match the certificate, an unknown protocol version or
 * cipher suite name.  cfg->enabled is not looked at.
 */
struct tls_client	*tls_client_new(const struct tls_config *cfg,
			    char *err, size_t errlen);
/* NULL is allowed.  No connection made from it may outlive it. */
void			 tls_client_free(struct tls_client *);
/* 1 when the mode checks the server name (full, strict), else 0. */
int			 tls_client_verifies_host(const struct tls_client *);

/*
 * "full", "strict", "certificate", "none" (libbeat's names) to the mode and
 * back.  tls_verify_parse returns 0, or -1 for an unknown name.
 */
int			 tls_verify_parse(const char *name, enum tls_verify *);
const char		*tls_verify_name(enum tls_verify);

/*
 * Starts a TLS session over fd, a connected non-blocking socket which stays
 * the caller's (tls_conn_free does not close it).  host is the server name
 * as the user wrote it (an IPv6 literal without brackets): it is sent as
 * SNI unless it is an IP address, and, when verify_host is nonzero and the
 * client's mode is full or strict, the certificate must match it.  Returns
 * NULL with a message in err (out of memory only: nothing is sent yet).
 */
struct tls_conn		*tls_conn_new(const struct tls_client *, int fd,
			    const char *host, int verify_host,
			    char *err, size_t errlen);
/*
 * Advances the handshake.  Returns 0 once it is complete, TLS_WANT_READ or
 * TLS_WANT_WRITE, or -1 with the reason in err, e.g. "certificate has
 * expired", "hostname mismatch (certificate is for a.example, 10.0.0.1)",
 * "handshake refused by the server (alert: protocol version)".
 */
int			 tls_conn_handshake(struct tls_conn *,
			    char *err, size_t errlen);
/*
 * Reads up to len (> 0) bytes.  Returns the number read, 0 when the server
 * closed the connection, TLS_WANT_READ or TLS_WANT_WRITE, or -1 with the
 * reason in err.
 */
ssize_t			 tls_conn_read(struct tls_conn *, void *buf,
			    size_t len, char *err, size_t errlen);
/*
 * Writes at most len (> 0) bytes; a short count is possible.  After a
 * TLS_WANT_* return, call again with the same (or a longer) unwritten
 * data.  Returns the number written, TLS_WANT_READ or TLS_WANT_WRITE, or
 * -1 with the reason in err.
 */
ssize_t			 tls_conn_write(struct tls_conn *, const void *buf,
			    size_t len, char *err, size_t errlen);
/* Sends close_notify if the socket takes it at once, frees; NULL is allowed. */
void			 tls_conn_free(struct tls_conn *);

#endif

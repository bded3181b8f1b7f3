/*
 * TLS client contexts and non-blocking TLS sessions with OpenSSL 3; see
 * tls.h for the contracts.
 *
 * Every error is turned into a sentence that names what went wrong (the
 * file, the alert, the certificate's names) because these messages end up
 * in syslog, read by someone who has to fix a configuration or a server.
 * OpenSSL's error queue is per thread: it is emptied before each call that
 * may fill it, so a stale error never explains a new failure.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "../common/errbuf.h"
#include "tls.h"

struct tls_client {
	SSL_CTX		*ctx;
	enum tls_verify	 mode;
};

struct tls_conn {
	SSL		*ssl;
	int		 verify;	/* the chain is checked */
	int		 established;
	/* No close_notify: after a fatal error or the server's close. */
	int		 finished;
};

struct passphrase {
	const char	*pass;
	int		 asked;
};

/*
 * The reason of the oldest error in the queue (the root cause; later ones
 * only say which layer gave up), then an empty queue.
 */
static unsigned long
take_error(void)
{
	unsigned long e = ERR_get_error();

	ERR_clear_error();
	return e;
}

static const char *
reason_text(unsigned long e)
{
	const char *s;

	if (e == 0)
		return "unknown OpenSSL error";
	if ((s = ERR_reason_error_string(e)) == NULL)
		return "unknown OpenSSL error";
	return s;
}

/* PEM decoding never prompts on a terminal: there is none to prompt on. */
static int
no_passphrase_cb(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return -1;
}

static int
passphrase_cb(char *buf, int size, int rwflag, void *arg)
{
	struct passphrase *p = arg;
	size_t len;

	(void)rwflag;
	p->asked = 1;
	if (p->pass == NULL || size <= 0)
		return -1;
	if ((len = strlen(p->pass)) > (size_t)size)
		return -1;
	memcpy(buf, p->pass, len);
	return (int)len;
}

/* Opens path for reading, or says why it cannot be read. */
static FILE *
open_file(const char *what, const char *path, char *err, size_t errlen)
{
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		seterr(err, errlen, "cannot read %s %s: %s", what, path,
		    strerror(errno));
	return fp;
}

static int
load_ca_file(X509_STORE *store, const char *path, char *err, size_t errlen)
{
	STACK_OF(X509_INFO) *infos;
	X509_INFO *info;
	FILE *fp;
	int i, count = 0, rc = 0;

	if ((fp = open_file("certificate authority", path, err, errlen)) ==
	    NULL)
		return -1;
	ERR_clear_error();
	infos = PEM_X509_INFO_read(fp, NULL, no_passphrase_cb, NULL);
	fclose(fp);
	if (infos == NULL) {
		seterr(err, errlen, "cannot parse certificate authority %s: "
		    "%s", path, reason_text(take_error()));
		return -1;
	}
	for (i = 0; i < sk_X509_INFO_num(infos); i++) {
		info = sk_X509_INFO_value(infos, i);
		if (info->x509 == NULL)
			continue;
		/* A certificate already in the store is not an error. */
		if (X509_STORE_add_cert(store, info->x509) != 1) {
			seterr(err, errlen, "cannot use certificate authority "
			    "%s: %s", path, reason_text(take_error()));
			rc = -1;
			break;
		}
		count++;
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	if (rc == 0 && count == 0) {
		seterr(err, errlen, "no certificate in certificate authority "
		    "file %s", path);
		rc = -1;
	}
	return rc;
}

static int
load_trust(SSL_CTX *ctx, const struct tls_config *cfg, char *err,
    size_t errlen)
{
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);
	size_t i;

	for (i = 0; i < cfg->ncas; i++)
		if (load_ca_file(store, cfg->certificate_authorities[i], err,
		    errlen) == -1)
			return -1;
	if (cfg->ncas == 0 && cfg->verification_mode != TLS_VERIFY_NONE) {
		ERR_clear_error();
		if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
			seterr(err, errlen, "cannot load the system's "
			    "certificate authorities: %s",
			    reason_text(take_error()));
			return -1;
		}
	}
	return 0;
}

static EVP_PKEY *
read_key(const char *path, const char *pass, char *err, size_t errlen)
{
	struct passphrase p = { pass, 0 };
	EVP_PKEY *pkey;
	unsigned long e;
	FILE *fp;

	if ((fp = open_file("key", path, err, errlen)) == NULL)
		return NULL;
	ERR_clear_error();
	pkey = PEM_read_PrivateKey(fp, NULL, passphrase_cb, &p);
	fclose(fp);
	if (pkey != NULL) {
		ERR_clear_error();
		return pkey;
	}
	e = take_error();
	if (p.asked && pass == NULL)
		seterr(err, errlen, "key %s is encrypted and no "
		    "key_passphrase is set", path);
	else if (p.asked)
		seterr(err, errlen, "cannot decrypt key %s: wrong "
		    "key_passphrase", path);
	else
		seterr(err, errlen, "no usable private key in %s: %s", path,
		    reason_text(e));
	return NULL;
}

static int
load_identity(SSL_CTX *ctx, const struct tls_config *cfg, char *err,
    size_t errlen)
{
	EVP_PKEY *pkey;
	FILE *fp;
	int rc;

	if (cfg->certificate == NULL && cfg->key == NULL)
		return 0;
	if (cfg->certificate == NULL || cfg->key == NULL) {
		seterr(err, errlen, "a client %s is set without its %s",
		    cfg->key != NULL ? "key" : "certificate",
		    cfg->key != NULL ? "certificate" : "key");
		return -1;
	}
	/* Check first, for a message with the system's reason. */
	if ((fp = open_file("certificate", cfg->certificate, err, errlen)) ==
	    NULL)
		return -1;
	fclose(fp);
	ERR_clear_error();
	if (SSL_CTX_use_certificate_chain_file(ctx, cfg->certificate) != 1) {
		seterr(err, errlen, "no usable certificate in %s: %s",
		    cfg->certificate, reason_text(take_error()));
		return -1;
	}
	if ((pkey = read_key(cfg->key, cfg->key_passphrase, err, errlen)) ==
	    NULL)
		return -1;
	ERR_clear_error();
	rc = SSL_CTX_use_PrivateKey(ctx, pkey);
	EVP_PKEY_free(pkey);
	if (rc != 1 || SSL_CTX_check_private_key(ctx) != 1) {
		ERR_clear_error();
		seterr(err, errlen, "key %s does not match certificate %s",
		    cfg->key, cfg->certificate);
		return -1;
	}
	return 0;
}

static const struct {
	const char	*name;
	int		 version;
} protocol_names[] = {
	{ "TLSv1.0",	TLS1_VERSION },
	{ "TLSv1",	TLS1_VERSION },
	{ "TLSv1.1",	TLS1_1_VERSION },
	{ "TLSv1.2",	TLS1_2_VERSION },
	{ "TLSv1.3",	TLS1_3_VERSION },
};

/* TLS 1.0 to 1.3 in order: their bit in a set of versions. */
static const struct {
	int		 version;
	uint64_t	 no_option;
} version_order[] = {
	{ TLS1_VERSION,		SSL_OP_NO_TLSv1 },
	{ TLS1_1_VERSION,	SSL_OP_NO_TLSv1_1 },
	{ TLS1_2_VERSION,	SSL_OP_NO_TLSv1_2 },
	{ TLS1_3_VERSION,	SSL_OP_NO_TLSv1_3 },
};
#define NVERSIONS (sizeof(version_order) / sizeof(version_order[0]))

static int
version_index(int version)
{
	size_t i;

	for (i = 0; i < NVERSIONS; i++)
		if (version_order[i].version == version)
			return (int)i;
	return -1;
}

static int
set_protocols(SSL_CTX *ctx, const struct tls_config *cfg, char *err,
    size_t errlen)
{
	unsigned int wanted = 0;
	size_t i, j;
	int lo = -1, hi = -1;

	if (cfg->nprotocols == 0)
		wanted = 1u << version_index(TLS1_2_VERSION) |
		    1u << version_index(TLS1_3_VERSION);
	for (i = 0; i < cfg->nprotocols; i++) {
		for (j = 0; j < sizeof(protocol_names) /
		    sizeof(protocol_names[0]); j++)
			if (strcasecmp(cfg->supported_protocols[i],
			    protocol_names[j].name) == 0)
				break;
		if (j == sizeof(protocol_names) / sizeof(protocol_names[0])) {
			seterr(err, errlen, "unknown TLS protocol version "
			    "\"%s\" (known: TLSv1.0, TLSv1.1, TLSv1.2, "
			    "TLSv1.3)", cfg->supported_protocols[i]);
			return -1;
		}
		wanted |= 1u << version_index(protocol_names[j].version);
	}
	for (i = 0; i < NVERSIONS; i++) {
		if ((wanted & (1u << i)) == 0)
			continue;
		if (lo == -1)
			lo = (int)i;
		hi = (int)i;
	}
	if (SSL_CTX_set_min_proto_version(ctx, version_order[lo].version) !=
	    1 || SSL_CTX_set_max_proto_version(ctx,
	    version_order[hi].version) != 1) {
		seterr(err, errlen, "cannot set the TLS protocol versions: %s",
		    reason_text(take_error()));
		return -1;
	}
	/* A version left out between two listed ones stays off. */
	for (i = (size_t)lo; i <= (size_t)hi; i++)
		if ((wanted & (1u << i)) == 0)
			SSL_CTX_set_options(ctx, version_order[i].no_option);
	return 0;
}

/* Whether a cipher of that standard or OpenSSL name is in the context. */
static int
has_cipher(SSL_CTX *ctx, const char *name)
{
	STACK_OF(SSL_CIPHER) *ciphers = SSL_CTX_get_ciphers(ctx);
	const SSL_CIPHER *c;
	const char *std;
	int i;

	for (i = 0; i < sk_SSL_CIPHER_num(ciphers); i++) {
		c = sk_SSL_CIPHER_value(ciphers, i);
		std = SSL_CIPHER_standard_name(c);
		if (strcmp(SSL_CIPHER_get_name(c), name) == 0 ||
		    (std != NULL && strcmp(std, name) == 0))
			return 1;
	}
	return 0;
}

static int
append_name(char **list, size_t *len, const char *name)
{
	size_t n = strlen(name);
	char *p;

	if ((p = realloc(*list, *len + n + 2)) == NULL)
		return -1;
	if (*len > 0)
		p[(*len)++] = ':';
	memcpy(p + *len, name, n + 1);
	*len += n;
	*list = p;
	return 0;
}

/*
 * OpenSSL silently skips names it does not know as long as one is known,
 * so each name is first tried alone, on a scratch context, and a typo is
 * reported instead of ignored.  Cipher-string operators ("!aNULL",
 * "@STRENGTH") are passed through.  The family not named keeps the
 * defaults (the system's openssl.cnf included).
 */
static int
set_ciphers(SSL_CTX *ctx, const struct tls_config *cfg, char *err,
    size_t errlen)
{
	SSL_CTX *probe;
	char *tls13 = NULL, *older = NULL;
	size_t len13 = 0, lenold = 0, i;
	const char *name = "";
	int rc = -1;

	if (cfg->nciphers == 0)
		return 0;
	if ((probe = SSL_CTX_new(TLS_client_method())) == NULL)
		goto nomem;
	for (i = 0; i < cfg->nciphers; i++) {
		name = cfg->cipher_suites[i];
		ERR_clear_error();
		if (name[0] == '\0')
			goto unknown;
		if (strncmp(name, "TLS_", 4) == 0) {
			if (SSL_CTX_set_ciphersuites(probe, name) != 1 ||
			    !has_cipher(probe, name))
				goto unknown;
			if (append_name(&tls13, &len13, name) == -1)
				goto nomem;
		} else {
			if (strchr("!-+@", name[0]) == NULL &&
			    SSL_CTX_set_cipher_list(probe, name) != 1)
				goto unknown;
			if (append_name(&older, &lenold, name) == -1)
				goto nomem;
		}
	}
	ERR_clear_error();
	if (tls13 != NULL && SSL_CTX_set_ciphersuites(ctx, tls13) != 1) {
		seterr(err, errlen, "cannot use the TLS 1.3 cipher suites %s: "
		    "%s", tls13, reason_text(take_error()));
		goto out;
	}
	if (older != NULL && SSL_CTX_set_cipher_list(ctx, older) != 1) {
		seterr(err, errlen, "cannot use the cipher suites %s: %s",
		    older, reason_text(take_error()));
		goto out;
	}
	rc = 0;
	goto out;
unknown:
	ERR_clear_error();
	seterr(err, errlen, "unknown cipher suite \"%s\" (OpenSSL names, "
	    "e.g. ECDHE-RSA-AES128-GCM-SHA256 or TLS_AES_128_GCM_SHA256)",
	    name);
	goto out;
nomem:
	seterr(err, errlen, "out of memory");
out:
	SSL_CTX_free(probe);
	free(tls13);
	free(older);
	return rc;
}

struct tls_client *
tls_client_new(const struct tls_config *cfg, char *err, size_t errlen)
{
	struct tls_client *tc;

	if ((tc = calloc(1, sizeof(*tc))) == NULL) {
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	tc->mode = cfg->verification_mode;
	ERR_clear_error();
	if ((tc->ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		seterr(err, errlen, "cannot create a TLS context: %s",
		    reason_text(take_error()));
		free(tc);
		return NULL;
	}
	SSL_CTX_set_default_passwd_cb(tc->ctx, no_passphrase_cb);
	/*
	 * Lumberjack frames its own data, so a close without close_notify
	 * cannot truncate anything unnoticed: it is an ordinary close.
	 */
	SSL_CTX_set_options(tc->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF |
	    SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_mode(tc->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_verify(tc->ctx, tc->mode == TLS_VERIFY_NONE ?
	    SSL_VERIFY_NONE : SSL_VERIFY_PEER, NULL);
	if (set_protocols(tc->ctx, cfg, err, errlen) == -1 ||
	    set_ciphers(tc->ctx, cfg, err, errlen) == -1 ||
	    load_trust(tc->ctx, cfg, err, errlen) == -1 ||
	    load_identity(tc->ctx, cfg, err, errlen) == -1) {
		tls_client_free(tc);
		return NULL;
	}
	ERR_clear_error();
	return tc;
}

void
tls_client_free(struct tls_client *tc)
{
	if (tc == NULL)
		return;
	SSL_CTX_free(tc->ctx);
	free(tc);
}

int
tls_client_verifies_host(const struct tls_client *tc)
{
	return tc->mode == TLS_VERIFY_FULL || tc->mode == TLS_VERIFY_STRICT;
}

static const char *const verify_names[] = {
	[TLS_VERIFY_FULL] = "full",
	[TLS_VERIFY_STRICT] = "strict",
	[TLS_VERIFY_CERTIFICATE] = "certificate",
	[TLS_VERIFY_NONE] = "none",
};

int
tls_verify_parse(const char *name, enum tls_verify *mode)
{
	size_t i;

	for (i = 0; i < sizeof(verify_names) / sizeof(verify_names[0]); i++)
		if (strcmp(name, verify_names[i]) == 0) {
			*mode = (enum tls_verify)i;
			return 0;
		}
	return -1;
}

const char *
tls_verify_name(enum tls_verify mode)
{
	if ((size_t)mode >= sizeof(verify_names) / sizeof(verify_names[0]))
		return "unknown";
	return verify_names[mode];
}

struct tls_conn *
tls_conn_new(const struct tls_client *client, int fd, const char *host,
    int verify_host, char *err, size_t errlen)
{
	struct tls_conn *tc;
	unsigned char addr[16];
	int is_ip;

	is_ip = inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1;
	if ((tc = calloc(1, sizeof(*tc))) == NULL) {
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	tc->verify = client->mode != TLS_VERIFY_NONE;
	ERR_clear_error();
	if ((tc->ssl = SSL_new(client->ctx)) == NULL ||
	    SSL_set_fd(tc->ssl, fd) != 1)
		goto fail;
	SSL_set_connect_state(tc->ssl);
	/* RFC 6066: SNI carries host names only, never addresses. */
	if (!is_ip && SSL_set_tlsext_host_name(tc->ssl, host) != 1)
		goto fail;
	if (verify_host && tls_client_verifies_host(client)) {
		/* Go (libbeat) never accepts partial wildcards either. */
		SSL_set_hostflags(tc->ssl,
		    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS |
		    (client->mode == TLS_VERIFY_STRICT ?
		    X509_CHECK_FLAG_NEVER_CHECK_SUBJECT : 0));
		if (is_ip) {
			if (X509_VERIFY_PARAM_set1_ip_asc(
			    SSL_get0_param(tc->ssl), host) != 1)
				goto fail;
		} else if (SSL_set1_host(tc->ssl, host) != 1)
			goto fail;
	}
	return tc;
fail:
	seterr(err, errlen, "cannot set up TLS for %s: %s", host,
	    reason_text(take_error()));
	tls_conn_free(tc);
	return NULL;
}

/* Appends one name to the "certificate is for" list, printable only. */
static void
add_name(char *buf, size_t size, const unsigned char *s, size_t n)
{
	size_t len = strlen(buf), i;

	if (len > 0 && len + 2 < size) {
		memcpy(buf + len, ", ", 3);
		len += 2;
	}
	for (i = 0; i < n && len + 1 < size; i++)
		buf[len++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	buf[len] = '\0';
}

/* The DNS and IP subject alternative names of cert, comma-separated. */
static void
san_names(X509 *cert, char *buf, size_t size)
{
	GENERAL_NAMES *names;
	GENERAL_NAME *gn;
	char ip[INET6_ADDRSTRLEN];
	const unsigned char *data;
	int i, len;

	buf[0] = '\0';
	names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	if (names == NULL)
		return;
	for (i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		gn = sk_GENERAL_NAME_value(names, i);
		if (gn->type != GEN_DNS && gn->type != GEN_IPADD)
			continue;
		data = ASN1_STRING_get0_data(gn->d.ia5);
		len = ASN1_STRING_length(gn->d.ia5);
		if (gn->type == GEN_DNS) {
			add_name(buf, size, data, (size_t)len);
			continue;
		}
		if ((len == 4 && inet_ntop(AF_INET, data, ip, sizeof(ip))) ||
		    (len == 16 && inet_ntop(AF_INET6, data, ip, sizeof(ip))))
			add_name(buf, size, (const unsigned char *)ip,
			    strlen(ip));
	}
	GENERAL_NAMES_free(names);
}

/* " (certificate is for ...)" for a name mismatch. */
static void
describe_names(SSL *ssl, char *buf, size_t size)
{
	STACK_OF(X509) *chain;
	X509 *cert;
	char names[256], cn[128];

	buf[0] = '\0';
	/* A certificate that failed verification is only in the chain. */
	if ((cert = SSL_get0_peer_certificate(ssl)) == NULL &&
	    ((chain = SSL_get_peer_cert_chain(ssl)) == NULL ||
	    (cert = sk_X509_value(chain, 0)) == NULL))
		return;
	san_names(cert, names, sizeof(names));
	if (names[0] != '\0') {
		snprintf(buf, size, " (certificate is for %s)", names);
		return;
	}
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert),
	    NID_commonName, cn, sizeof(cn)) > 0)
		snprintf(buf, size, " (certificate has no subject alternative "
		    "name; its common name is %s)", cn);
	else
		snprintf(buf, size, " (certificate has no name)");
}

/*
 * The name of the alert behind error e.  OpenSSL 3.0's alert table lacks
 * TLS 1.3's alerts ("certificate required"), its reason strings do not:
 * "tlsv13 alert certificate required" minus the prefix.
 */
static void
alert_text(unsigned long e, char *buf, size_t size)
{
	static const char *const prefixes[] = {
		"tlsv13 alert ", "tlsv1 alert ", "sslv3 alert ",
	};
	const char *s = ERR_reason_error_string(e);
	size_t i, n;

	for (i = 0; s != NULL && i < sizeof(prefixes) / sizeof(prefixes[0]);
	    i++) {
		n = strlen(prefixes[i]);
		if (strncmp(s, prefixes[i], n) == 0) {
			snprintf(buf, size, "%s", s + n);
			return;
		}
	}
	snprintf(buf, size, "%s", SSL_alert_desc_string_long(
	    ERR_GET_REASON(e) - SSL_AD_REASON_OFFSET));
	if (strcmp(buf, "unknown") == 0)
		snprintf(buf, size, "number %d",
		    ERR_GET_REASON(e) - SSL_AD_REASON_OFFSET);
}

/* Why a handshake, read or write failed, for result ret of an SSL call. */
static void
describe_failure(struct tls_conn *tc, int ret, char *err, size_t errlen)
{
	int e = SSL_get_error(tc->ssl, ret);
	int saved_errno = errno;
	long verify;
	unsigned long qe;
	char names[400], alert[64];

	tc->finished = 1;
	if (!tc->established && tc->verify &&
	    (verify = SSL_get_verify_result(tc->ssl)) != X509_V_OK) {
		names[0] = '\0';
		if (verify == X509_V_ERR_HOSTNAME_MISMATCH ||
		    verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
			describe_names(tc->ssl, names, sizeof(names));
		ERR_clear_error();
		seterr(err, errlen, "%s%s",
		    X509_verify_cert_error_string(verify), names);
		return;
	}
	qe = take_error();
	if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL &&
	    qe == 0 && saved_errno == 0) || (ERR_GET_LIB(qe) == ERR_LIB_SSL &&
	    ERR_GET_REASON(qe) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
		seterr(err, errlen, "the server closed the connection");
		return;
	}
	if (e == SSL_ERROR_SYSCALL && qe == 0) {
		seterr(err, errlen, "%s", strerror(saved_errno));
		return;
	}
	if (ERR_GET_LIB(qe) == ERR_LIB_SSL &&
	    ERR_GET_REASON(qe) >= SSL_AD_REASON_OFFSET) {
		alert_text(qe, alert, sizeof(alert));
		if (tc->established)
			seterr(err, errlen, "the server sent a TLS alert: %s",
			    alert);
		else
			seterr(err, errlen, "handshake refused by the server "
			    "(alert: %s)", alert);
		return;
	}
	if (ERR_GET_LIB(qe) == ERR_LIB_SSL &&
	    (ERR_GET_REASON(qe) == SSL_R_WRONG_VERSION_NUMBER ||
	    ERR_GET_REASON(qe) == SSL_R_PACKET_LENGTH_TOO_LONG)) {
		seterr(err, errlen, "%s (does the server speak TLS on this "
		    "port?)", reason_text(qe));
		return;
	}
	seterr(err, errlen, "%s", reason_text(qe));
}

static int
want(struct tls_conn *tc, int ret)
{
	switch (SSL_get_error(tc->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		return TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_WANT_WRITE;
	default:
		return 0;
	}
}

int
tls_conn_handshake(struct tls_conn *tc, char *err, size_t errlen)
{
	int ret, w;

	ERR_clear_error();
	errno = 0;
	if ((ret = SSL_connect(tc->ssl)) == 1) {
		tc->established = 1;
		return 0;
	}
	if ((w = want(tc, ret)) != 0)
		return w;
	describe_failure(tc, ret, err, errlen);
	return -1;
}

ssize_t
tls_conn_read(struct tls_conn *tc, void *buf, size_t len, char *err,
    size_t errlen)
{
	size_t n = 0;
	int ret, w;

	ERR_clear_error();
	errno = 0;
	if ((ret = SSL_read_ex(tc->ssl, buf, len > SSIZE_MAX ? SSIZE_MAX : len,
	    &n)) == 1)
		return (ssize_t)n;
	if ((w = want(tc, ret)) != 0)
		return w;
	if (SSL_get_error(tc->ssl, ret) == SSL_ERROR_ZERO_RETURN) {
		ERR_clear_error();
		tc->finished = 1;
		return 0;
	}
	describe_failure(tc, ret, err, errlen);
	return -1;
}

ssize_t
tls_conn_write(struct tls_conn *tc, const void *buf, size_t len, char *err,
    size_t errlen)
{
	size_t n = 0;
	int ret, w;

	ERR_clear_error();
	errno = 0;
	if ((ret = SSL_write_ex(tc->ssl, buf, len > SSIZE_MAX ? SSIZE_MAX :
	    len, &n)) == 1)
		return (ssize_t)n;
	if ((w = want(tc, ret)) != 0)
		return w;
	describe_failure(tc, ret, err, errlen);
	return -1;
}

void
tls_conn_free(struct tls_conn *tc)
{
	if (tc == NULL)
		return;
	if (tc->ssl != NULL) {
		/* One try: the socket is non-blocking and about to close. */
		if (tc->established && !tc->finished)
			(void)SSL_shutdown(tc->ssl);
		SSL_free(tc->ssl);
	}
	ERR_clear_error();
	free(tc);
}

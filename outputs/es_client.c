/* One HTTP connection to an Elasticsearch host; see es_client.h. */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output_conf.h"
#include "../common/buf.h"
#include "../common/log.h"
#include "../common/errbuf.h"
#include "es_client.h"
#include "tls.h"

#define DEFAULT_PORT		9200
#define CONNECT_TIMEOUT_MS	10000L
#define MAX_CA_BUNDLE		(16 * 1024 * 1024)
/*
 * The largest response body read.  A bulk response is filtered to the
 * errors and statuses of its items (ES_BULK_FILTER): a few hundred bytes
 * at most for each of up to 100000 documents.  Everything else (GET /,
 * templates, the test document) is small.  A larger body means a server that is
 * not Elasticsearch or has gone wrong: the transfer is aborted.
 */
#define RESPONSE_MAX_BULK	(64 * 1024 * 1024)
#define RESPONSE_MAX		(1024 * 1024)

struct es_client_settings {
	const struct es_output_config *cfg;
	struct curl_slist *headers;	/* configured + authorization */
	char		*ca_bundle;	/* certificate_authorities, joined */
	size_t		 ca_bundle_len;
	char		*tls12_ciphers;	/* ':'-joined, or NULL */
	char		*tls13_ciphers;
	long		 ssl_version;	/* CURL_SSLVERSION_* min | max */
};

struct es_client {
	const struct es_client_settings *settings;
	CURL		*curl;
	char		*base;		/* scheme://host:port[/path] */
	char		*url;		/* base + the request's path */
	struct es_response resp;
	struct buf	 body;		/* resp.body's storage, reused */
	size_t		 body_max;	/* of this request's response */
	int		 too_large;	/* the body passed body_max */
	int		 no_memory;	/* the body could not be stored */
	atomic_int	 interrupted;
	char		 curl_err[CURL_ERROR_SIZE];
};

static int
append_header(struct curl_slist **list, const char *header)
{
	struct curl_slist *l;

	if ((l = curl_slist_append(*list, header)) == NULL)
		return -1;
	*list = l;
	return 0;
}

static const char base64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 of len bytes into out (4 * ((len + 2) / 3) + 1 bytes). */
static void
base64(const unsigned char *in, size_t len, char *out)
{
	size_t i;
	unsigned long v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 |
		    in[i + 2];
		*out++ = base64_chars[v >> 18 & 63];
		*out++ = base64_chars[v >> 12 & 63];
		*out++ = base64_chars[v >> 6 & 63];
		*out++ = base64_chars[v & 63];
	}
	if (i < len) {
		v = (unsigned long)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned long)in[i + 1] << 8;
		*out++ = base64_chars[v >> 18 & 63];
		*out++ = base64_chars[v >> 12 & 63];
		*out++ = i + 1 < len ? base64_chars[v >> 6 & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

/* "Authorization: ApiKey base64(id:key)", as Elasticsearch wants it. */
static int
add_api_key_header(struct es_client_settings *s, const char *api_key)
{
	size_t n = strlen(api_key);
	char *header, *p;
	int rc;

	if ((header = malloc(32 + 4 * (n / 3 + 1))) == NULL)
		return -1;
	p = header + snprintf(header, 32, "Authorization: ApiKey ");
	base64((const unsigned char *)api_key, n, p);
	rc = append_header(&s->headers, header);
	explicit_bzero(header, strlen(header));
	free(header);
	return rc;
}

/* Reads the CA files into one PEM bundle: only they are trusted then. */
static int
load_ca_bundle(struct es_client_settings *s, const struct ssl_settings *ssl,
    char *err, size_t errlen)
{
	struct buf bundle = BUF_INITIALIZER(MAX_CA_BUNDLE);
	size_t i, n;
	FILE *f;
	char buf[65536];

	for (i = 0; i < ssl->cas.count; i++) {
		if ((f = fopen(ssl->cas.items[i], "re")) == NULL) {
			seterr(err, errlen, "cannot read certificate authority "
			    "%s: %m", ssl->cas.items[i]);
			buf_release(&bundle);
			return -1;
		}
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			if (buf_append(&bundle, buf, n) == -1)
				break;
		fclose(f);
		/* A file may lack its last newline: PEM blocks need one. */
		if (n > 0 || (bundle.len > 0 &&
		    buf_append(&bundle, "\n", 1) == -1)) {
			if (errno == EMSGSIZE)
				seterr(err, errlen, "certificate authorities: "
				    "larger than %d MiB", MAX_CA_BUNDLE >> 20);
			else
				seterr(err, errlen, "certificate authorities: "
				    "out of memory");
			buf_release(&bundle);
			return -1;
		}
	}
	s->ca_bundle_len = 0;
	s->ca_bundle = bundle.len > 0 ? buf_take(&bundle, &s->ca_bundle_len) :
	    NULL;
	return 0;
}

static long
protocol_version(const char *name)
{
	if (strcmp(name, "TLSv1.0") == 0)
		return CURL_SSLVERSION_TLSv1_0;
	if (strcmp(name, "TLSv1.1") == 0)
		return CURL_SSLVERSION_TLSv1_1;
	if (strcmp(name, "TLSv1.2") == 0)
		return CURL_SSLVERSION_TLSv1_2;
	if (strcmp(name, "TLSv1.3") == 0)
		return CURL_SSLVERSION_TLSv1_3;
	return -1;
}

/* supported_protocols as curl's lowest version | highest version. */
static int
set_ssl_version(struct es_client_settings *s, const struct ssl_settings *ssl,
    char *err, size_t errlen)
{
	long lo = CURL_SSLVERSION_TLSv1_2, hi = CURL_SSLVERSION_TLSv1_3, v;
	size_t i;

	if (ssl->protocols.count > 0) {
		lo = CURL_SSLVERSION_TLSv1_3;
		hi = CURL_SSLVERSION_TLSv1_0;
	}
	for (i = 0; i < ssl->protocols.count; i++) {
		if ((v = protocol_version(ssl->protocols.items[i])) == -1) {
			seterr(err, errlen, "unknown TLS protocol \"%s\"",
			    ssl->protocols.items[i]);
			return -1;
		}
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	/* CURL_SSLVERSION_MAX_x is CURL_SSLVERSION_x << 16. */
	s->ssl_version = lo | (hi << 16);
	return 0;
}

static int
join_into(char **dst, const char *name)
{
	char *joined;

	if (*dst == NULL)
		joined = strdup(name);
	else if (asprintf(&joined, "%s:%s", *dst, name) == -1)
		joined = NULL;
	if (joined == NULL)
		return -1;
	free(*dst);
	*dst = joined;
	return 0;
}

/* OpenSSL names: "TLS_..." are TLS 1.3 suites, the others older ones. */
static int
split_ciphers(struct es_client_settings *s, const struct ssl_settings *ssl)
{
	size_t i;
	const char *name;

	for (i = 0; i < ssl->ciphers.count; i++) {
		name = ssl->ciphers.items[i];
		if (join_into(strncmp(name, "TLS_", 4) == 0 ?
		    &s->tls13_ciphers : &s->tls12_ciphers, name) == -1)
			return -1;
	}
	return 0;
}

/*
 * The same checks as the Logstash output's TLS: every file readable and
 * usable, the key matching the certificate, the passphrase right; curl
 * would only say so at the first connection.
 */
static int
check_tls_files(const struct ssl_settings *ssl, char *err, size_t errlen)
{
	struct tls_config tc;
	struct tls_client *tls;

	memset(&tc, 0, sizeof(tc));
	tc.enabled = 1;
	tc.certificate_authorities = ssl->cas.items;
	tc.ncas = ssl->cas.count;
	tc.certificate = ssl->certificate;
	tc.key = ssl->key;
	tc.key_passphrase = ssl->key_passphrase;
	tc.verification_mode = (enum tls_verify)ssl->verification_mode;
	tc.supported_protocols = ssl->protocols.items;
	tc.nprotocols = ssl->protocols.count;
	tc.cipher_suites = ssl->ciphers.items;
	tc.nciphers = ssl->ciphers.count;
	if ((tls = tls_client_new(&tc, err, errlen)) == NULL)
		return -1;
	tls_client_free(tls);
	return 0;
}

static int
add_configured_headers(struct es_client_settings *s,
    const struct es_output_config *cfg)
{
	char ua[64];
	size_t i;

	snprintf(ua, sizeof(ua), "User-Agent: %s/%s", PACKAGE_NAME,
	    PACKAGE_VERSION);
	if (append_header(&s->headers, ua) == -1 ||
	    append_header(&s->headers, "Accept: application/json") == -1 ||
	    /* No "100 Continue" round trip before each bulk body. */
	    append_header(&s->headers, "Expect:") == -1)
		return -1;
	for (i = 0; i < cfg->headers.count; i++)
		if (append_header(&s->headers, cfg->headers.items[i]) == -1)
			return -1;
	if (cfg->api_key != NULL && add_api_key_header(s, cfg->api_key) == -1)
		return -1;
	return 0;
}

struct es_client_settings *
es_client_settings_new(const struct es_output_config *cfg, char *err,
    size_t errlen)
{
	struct es_client_settings *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = cfg;
	if (add_configured_headers(s, cfg) == -1 ||
	    split_ciphers(s, &cfg->ssl) == -1) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	if (cfg->ssl.enabled && (check_tls_files(&cfg->ssl, err, errlen) ==
	    -1 || load_ca_bundle(s, &cfg->ssl, err, errlen) == -1 ||
	    set_ssl_version(s, &cfg->ssl, err, errlen) == -1))
		goto fail;
	if (cfg->ssl.enabled &&
	    (enum tls_verify)cfg->ssl.verification_mode == TLS_VERIFY_NONE)
		log_warnx("elasticsearch: ssl.verification_mode is none: the "
		    "server's certificate is not checked");
	return s;
fail:
	es_client_settings_free(s);
	return NULL;
}

void
es_client_settings_free(struct es_client_settings *s)
{
	if (s == NULL)
		return;
	curl_slist_free_all(s->headers);
	free(s->ca_bundle);
	free(s->tls12_ciphers);
	free(s->tls13_ciphers);
	free(s);
}

const char *
es_client_auth_name(const struct es_client_settings *s)
{
	if (s->cfg->api_key != NULL)
		return "API key";
	if (s->cfg->username != NULL)
		return "username and password";
	return "no credentials";
}

/*
 * "https://h:9200/p", "h:9200", "h", "[::1]:9200": the base URL, with the
 * configured protocol and port 9200 where the host names none, and the
 * configured path appended.
 */
static char *
base_url(const struct es_output_config *cfg, const char *host)
{
	const char *scheme = cfg->protocol == ES_PROTOCOL_HTTPS ? "https" :
	    "http";
	const char *rest = host, *slash, *colon, *path = cfg->path;
	size_t hostlen;
	char *url;
	int has_port;

	if (strncasecmp(host, "http://", 7) == 0) {
		scheme = "http";
		rest = host + 7;
	} else if (strncasecmp(host, "https://", 8) == 0) {
		scheme = "https";
		rest = host + 8;
	}
	slash = strchr(rest, '/');
	hostlen = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
	colon = rest[0] == '[' ? strstr(rest, "]:") : strrchr(rest, ':');
	has_port = colon != NULL && (slash == NULL || colon < slash);
	/* A path in the host wins over output.elasticsearch.path. */
	if (slash != NULL && slash[1] != '\0')
		path = slash;
	if (path == NULL)
		path = "";
	if (asprintf(&url, "%s://%.*s%s%s%s", scheme, (int)hostlen, rest,
	    has_port ? "" : ":9200",
	    path[0] != '\0' && path[0] != '/' ? "/" : "", path) == -1)
		return NULL;
	/* No trailing slash: request paths start with one. */
	while (strlen(url) > 0 && url[strlen(url) - 1] == '/')
		url[strlen(url) - 1] = '\0';
	return url;
}

/* Returning less than was given makes curl fail the transfer. */
static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct es_client *c = arg;
	size_t n = size * nmemb;

	if (n > c->body_max - c->body.len) {
		c->too_large = 1;
		return 0;
	}
	if (buf_append(&c->body, data, n) == -1) {
		c->no_memory = 1;
		return 0;
	}
	return n;
}

/*
 * X-Elastic-Product: Elasticsearch, that value exactly (a proxy's own
 * product that merely contains the word does not count).  A status line
 * starts the headers of another response (after a 1xx): what came before
 * is forgotten.
 */
static size_t
on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct es_client *c = arg;
	size_t n = size * nmemb, name_len, i;
	static const char name[] = "x-elastic-product:";

	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		c->resp.elastic_product = 0;
		return n;
	}
	name_len = sizeof(name) - 1;
	if (n < name_len || strncasecmp(data, name, name_len) != 0)
		return n;
	for (i = name_len; i < n && (data[i] == ' ' || data[i] == '\t'); i++)
		;
	while (n > i && (data[n - 1] == '\r' || data[n - 1] == '\n' ||
	    data[n - 1] == ' ' || data[n - 1] == '\t'))
		n--;
	if (n - i == 13 && memcmp(data + i, "Elasticsearch", 13) == 0)
		c->resp.elastic_product = 1;
	return size * nmemb;
}

static int
on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct es_client *c = arg;

	(void)dt; (void)dn; (void)ut; (void)un;
	return atomic_load(&c->interrupted) ? 1 : 0;
}

/*
 * ssl.verification_mode strict: only subject alternative names count, so
 * a server certificate without one is refused (curl would fall back to
 * its common name).
 */
static int
verify_strict(int preverify_ok, X509_STORE_CTX *store)
{
	X509 *cert;
	GENERAL_NAMES *names;

	if (!preverify_ok || X509_STORE_CTX_get_error_depth(store) != 0)
		return preverify_ok;
	cert = X509_STORE_CTX_get_current_cert(store);
	names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	if (names == NULL) {
		X509_STORE_CTX_set_error(store,
		    X509_V_ERR_HOSTNAME_MISMATCH);
		return 0;
	}
	GENERAL_NAMES_free(names);
	return 1;
}

static CURLcode
on_ssl_ctx(CURL *curl, void *ssl_ctx, void *arg)
{
	(void)curl;
	(void)arg;
	SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_PEER, verify_strict);
	return CURLE_OK;
}

static void
set_tls_options(CURL *curl, const struct es_client_settings *s)
{
	const struct ssl_settings *ssl = &s->cfg->ssl;
	enum tls_verify mode = (enum tls_verify)ssl->verification_mode;

	if (!ssl->enabled)
		return;
	if (s->ca_bundle != NULL) {
		struct curl_blob blob = { s->ca_bundle, s->ca_bundle_len,
		    CURL_BLOB_NOCOPY };

		curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &blob);
		curl_easy_setopt(curl, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER,
	    mode == TLS_VERIFY_NONE ? 0L : 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST,
	    mode == TLS_VERIFY_FULL || mode == TLS_VERIFY_STRICT ? 2L : 0L);
	if (mode == TLS_VERIFY_STRICT)
		curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
	if (ssl->certificate != NULL) {
		curl_easy_setopt(curl, CURLOPT_SSLCERT, ssl->certificate);
		curl_easy_setopt(curl, CURLOPT_SSLKEY, ssl->key);
		if (ssl->key_passphrase != NULL)
			curl_easy_setopt(curl, CURLOPT_KEYPASSWD,
			    ssl->key_passphrase);
	}
	curl_easy_setopt(curl, CURLOPT_SSLVERSION, s->ssl_version);
	if (s->tls12_ciphers != NULL)
		curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST,
		    s->tls12_ciphers);
	if (s->tls13_ciphers != NULL)
		curl_easy_setopt(curl, CURLOPT_TLS13_CIPHERS, s->tls13_ciphers);
}

static void
set_common_options(struct es_client *c)
{
	const struct es_client_settings *s = c->settings;
	CURL *curl = c->curl;

	curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, s->cfg->timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
	    s->cfg->timeout_ms < CONNECT_TIMEOUT_MS ? s->cfg->timeout_ms :
	    CONNECT_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, c->curl_err);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, c);
	if (s->cfg->username != NULL) {
		curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(curl, CURLOPT_USERNAME, s->cfg->username);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, s->cfg->password);
	}
	set_tls_options(curl, s);
}

struct es_client *
es_client_new(const struct es_client_settings *s, const char *host,
    char *err, size_t errlen)
{
	struct es_client *c;

	if ((c = calloc(1, sizeof(*c))) != NULL)
		buf_init(&c->body, RESPONSE_MAX_BULK);
	if (c == NULL || (c->base = base_url(s->cfg, host)) == NULL ||
	    (c->curl = curl_easy_init()) == NULL) {
		seterr(err, errlen, "out of memory");
		es_client_free(c);
		return NULL;
	}
	c->settings = s;
	set_common_options(c);
	return c;
}

void
es_client_free(struct es_client *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	free(c->base);
	free(c->url);
	buf_release(&c->body);
	free(c);
}

const char *
es_client_url(const struct es_client *c)
{
	return c->base;
}

void
es_client_interrupt(struct es_client *c)
{
	atomic_store(&c->interrupted, 1);
}

/*
 * Under TLS 1.3 a server that wants a client certificate says so after
 * the handshake, and the client may only see the connection drop: name
 * the likely cause when no certificate is configured.
 */
static const char *
tls_hint(const struct es_client *c, CURLcode rc)
{
	const struct ssl_settings *ssl = &c->settings->cfg->ssl;

	if (!ssl->enabled || ssl->certificate != NULL ||
	    strncmp(c->url, "https:", 6) != 0)
		return "";
	if (rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING)
		return " (if the server requires a client certificate: "
		    "ssl.certificate and ssl.key)";
	return "";
}

/*
 * The bound on the response to a request for path: RESPONSE_MAX_BULK
 * when it is a _bulk request ("/_bulk" or "/INDEX/_bulk", with a query
 * or not), RESPONSE_MAX for anything else.
 */
static size_t
response_max(const char *path)
{
	size_t n = strcspn(path, "?");

	return n >= 6 && memcmp(path + n - 6, "/_bulk", 6) == 0 ?
	    RESPONSE_MAX_BULK : RESPONSE_MAX;
}

/* The headers of one request: the shared ones plus its content headers. */
static struct curl_slist *
request_headers(const struct es_client *c, const char *content_type,
    int gzipped)
{
	struct curl_slist *list = NULL, *l;
	char ct[128];

	for (l = c->settings->headers; l != NULL; l = l->next)
		if (append_header(&list, l->data) == -1)
			goto fail;
	if (content_type != NULL) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", content_type);
		if (append_header(&list, ct) == -1)
			goto fail;
	}
	if (gzipped && append_header(&list, "Content-Encoding: gzip") == -1)
		goto fail;
	return list;
fail:
	curl_slist_free_all(list);
	return NULL;
}

int
es_client_request(struct es_client *c, const char *method, const char *path,
    const char *body, size_t len, const char *content_type, int gzipped,
    struct es_response *resp, char *err, size_t errlen)
{
	struct curl_slist *headers;
	CURLcode rc;
	char *url;

	if (atomic_load(&c->interrupted)) {
		seterr(err, errlen, "interrupted");
		return -1;
	}
	if (asprintf(&url, "%s%s", c->base, path) == -1) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	if ((headers = request_headers(c, body != NULL ? content_type : NULL,
	    gzipped)) == NULL) {
		free(url);
		seterr(err, errlen, "out of memory");
		return -1;
	}
	free(c->url);
	c->url = url;
	c->resp.body = NULL;
	c->resp.len = 0;
	c->resp.status = 0;
	c->resp.elastic_product = 0;
	buf_reset(&c->body);
	c->body_max = response_max(path);
	c->too_large = 0;
	c->no_memory = 0;
	c->curl_err[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_NOBODY,
	    strcmp(method, "HEAD") == 0 ? 1L : 0L);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body != NULL ? body : "");
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)(body != NULL ? len : 0));
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET,
	    body == NULL && strcmp(method, "GET") == 0 ? 1L : 0L);
	if (body == NULL && strcmp(method, "GET") == 0)
		curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	rc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	if (c->too_large) {
		seterr(err, errlen, "response from %s larger than %zu MiB: "
		    "not read", c->base, c->body_max / (1024 * 1024));
		return -1;
	}
	if (c->no_memory) {
		seterr(err, errlen, "out of memory reading the response from "
		    "%s", c->base);
		return -1;
	}
	if (rc != CURLE_OK) {
		seterr(err, errlen, "%s%s", rc == CURLE_ABORTED_BY_CALLBACK ?
		    "interrupted" : c->curl_err[0] != '\0' ? c->curl_err :
		    curl_easy_strerror(rc), tls_hint(c, rc));
		return -1;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &c->resp.status);
	/* The body is NUL-terminated: there is always room for it. */
	if (c->body.p == NULL && buf_reserve(&c->body, 1) == -1) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	c->body.p[c->body.len] = '\0';
	c->resp.body = c->body.p;
	c->resp.len = c->body.len;
	*resp = c->resp;
	return 0;
}

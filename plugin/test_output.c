/*
 * "audisp-ecs test output": try the configured output for real.
 *
 * For Logstash every host is tried in turn: connect (with the TLS handshake
 * and certificate checks when ssl is on), send one test event, wait for
 * its acknowledgement, printing each step.  For Elasticsearch likewise:
 * connect, authenticate and check the version (GET /), index one test
 * document into the configured index, and delete it again.  For the file output, the file
 * is opened for appending (nothing is written to it).  The exit status is
 * 0 only when every host (or the file) worked.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/timefmt.h"
#include "../outputs/es_bulk.h"
#include "../outputs/es_client.h"
#include "../outputs/es_publisher.h"
#include "../outputs/es_response.h"
#include "../outputs/network_output.h"
#include "../outputs/tls.h"
#include "conf.h"
#include "daemon.h"
#include "signals.h"

static int
test_file(const struct config *cfg)
{
	const char *path = cfg->file_output->path;
	int fd;

	printf("file output: opening %s for appending... ", path);
	fflush(stdout);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) == -1) {
		printf("failed: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("ok\n");
	return 0;
}

static void
test_document(char *buf, size_t size)
{
	char host[256] = "localhost", ts[ISO8601_MAX];

	gethostname(host, sizeof(host) - 1);
	iso8601_now_ms(ts, sizeof(ts));
	snprintf(buf, size, "{\"@timestamp\":\"%s\",\"message\":\"audisp-ecs "
	    "test output\",\"event\":{\"kind\":\"event\",\"module\":\"auditd\","
	    "\"action\":\"test-output\"},\"tags\":[\"%s test output\"],\"host\":{\"name\":\"%s\"},"
	    "\"agent\":{\"type\":\"%s\",\"version\":\"%s\"}}", ts,
	    PACKAGE_NAME, host, PACKAGE_NAME, PACKAGE_VERSION);
}

static int
test_host(const char *spec, const struct lj_config *lj)
{
	char host[256], port[16], err[512], doc[1024];
	struct lj_conn *conn;
	struct sv one;
	size_t acked;

	if (parse_host_port(spec, host, sizeof(host), port,
	    sizeof(port)) == -1) {
		printf("%s: not a host:port\n", spec);
		return 1;
	}
	printf("%s: connecting to %s port %s%s... ", spec, host, port,
	    lj->tls != NULL ? " with TLS" : "");
	fflush(stdout);
	if ((conn = lj_connect(host, port, lj, err, sizeof(err))) == NULL) {
		printf("failed\n  %s\n", err);
		return 1;
	}
	printf("connected%s\n", lj->tls != NULL ?
	    ", TLS handshake and certificate checks passed" : "");
	test_document(doc, sizeof(doc));
	one = sv_from(doc);
	printf("%s: sending one test event... ", spec);
	fflush(stdout);
	if (lj_send_window(conn, &one, 1, err, sizeof(err)) == -1 ||
	    lj_wait_window(conn, &acked, err, sizeof(err)) == -1) {
		printf("failed\n  %s\n", err);
		lj_close(conn);
		return 1;
	}
	printf("acknowledged\n");
	lj_close(conn);
	return 0;
}

static int
test_logstash(const struct config *cfg)
{
	const struct logstash_output_config *ls = cfg->logstash;
	struct tls_client *tls;
	struct lj_config lj;
	char err[512];
	size_t i;
	int failed, bad = 0;

	tls = logstash_tls_client(ls, &failed, err, sizeof(err));
	if (failed) {
		printf("ssl: %s\n", err);
		return 1;
	}
	if (tls != NULL)
		printf("ssl: on, verification mode %s\n",
		    tls_verify_name((enum tls_verify)ls->ssl.verification_mode));
	memset(&lj, 0, sizeof(lj));
	lj.index = ls->index;
	lj.version = PACKAGE_VERSION;
	lj.compression_level = (int)ls->compression_level;
	lj.escape_html = ls->escape_html;
	lj.timeout_ms = (int)ls->timeout_ms;
	lj.tls = tls;
	lj.tls_verify_host = tls != NULL && tls_client_verifies_host(tls);
	for (i = 0; i < ls->hosts.count; i++)
		bad += test_host(ls->hosts.items[i], &lj);
	tls_client_free(tls);
	printf("%s\n", bad == 0 ? "all hosts work" : "some hosts failed");
	return bad == 0 ? 0 : 1;
}

static int
es_index_test_document(struct es_client *c, const char *host,
    const char *index)
{
	char doc[1024], id[ES_ID_MAX], backing[256], err[512], reason[256];
	struct buf path = BUF_INITIALIZER(ES_PATH_MAX);
	struct es_response r;
	int rc = 1;

	test_document(doc, sizeof(doc));
	es_document_id(doc, strlen(doc), id);
	printf("%s: indexing one test document into %s... ", host, index);
	fflush(stdout);
	if (buf_append(&path, "/", 1) == -1 ||
	    es_append_escaped(&path, index) == -1 ||
	    buf_append(&path, "/_create/", 9) == -1 ||
	    buf_append(&path, id, strlen(id)) == -1) {
		printf("failed\n  out of memory\n");
		goto out;
	}
	if (es_client_request(c, "PUT", buf_cstr(&path), doc, strlen(doc),
	    "application/json", 0, &r, err, sizeof(err)) == -1) {
		printf("failed\n  %s\n", err);
		goto out;
	}
	if (r.status != 201) {
		es_error_reason(r.body, r.len, err, sizeof(err));
		printf("failed\n  HTTP %ld: %s\n", r.status, err);
		goto out;
	}
	if (es_created_index(r.body, r.len, backing, sizeof(backing), err,
	    sizeof(err)) == -1) {
		printf("failed\n  HTTP 201, but the answer is not what "
		    "Elasticsearch sends: %s\n", err);
		goto out;
	}
	printf("indexed\n%s: deleting it again... ", host);
	rc = 0;
	buf_reset(&path);
	if (buf_append(&path, "/", 1) == -1 ||
	    es_append_escaped(&path, backing) == -1 ||
	    buf_append(&path, "/_doc/", 6) == -1 ||
	    buf_append(&path, id, strlen(id)) == -1)
		snprintf(err, sizeof(err), "out of memory");
	else if (es_client_request(c, "DELETE", buf_cstr(&path), NULL, 0,
	    NULL, 0, &r, err, sizeof(err)) == 0) {
		if (r.status == 200) {
			printf("deleted\n");
			goto out;
		}
		es_error_reason(r.body, r.len, reason, sizeof(reason));
		snprintf(err, sizeof(err), "HTTP %ld: %s", r.status, reason);
	}
	printf("not deleted (%s); it is tagged \"%s test output\"\n", err,
	    PACKAGE_NAME);
out:
	buf_release(&path);
	return rc;
}

static int
test_es_host(const struct es_client_settings *s, const char *host,
    const char *index)
{
	char err[512], found[256];
	struct es_client *c;
	int rc;

	printf("%s: connecting, authenticating with %s... ", host,
	    es_client_auth_name(s));
	fflush(stdout);
	if ((c = es_client_new(s, host, err, sizeof(err))) == NULL ||
	    es_check_cluster(c, es_client_auth_name(s), NULL, found,
	    sizeof(found), err, sizeof(err)) == -1) {
		printf("failed\n  %s\n", err);
		es_client_free(c);
		return 1;
	}
	printf("%s at %s\n", found, es_client_url(c));
	rc = es_index_test_document(c, host, index);
	es_client_free(c);
	return rc;
}

static int
test_elasticsearch(const struct config *cfg)
{
	const struct es_output_config *es = cfg->elasticsearch;
	struct es_client_settings *s;
	char err[512];
	size_t i;
	int bad = 0;

	if ((s = es_client_settings_new(es, err, sizeof(err))) == NULL) {
		printf("elasticsearch: %s\n", err);
		return 1;
	}
	if (es->ssl.enabled)
		printf("ssl: on, verification mode %s\n", tls_verify_name(
		    (enum tls_verify)es->ssl.verification_mode));
	for (i = 0; i < es->hosts.count; i++)
		bad += test_es_host(s, es->hosts.items[i], es->index);
	es_client_settings_free(s);
	printf("%s\n", bad == 0 ? "all hosts work" : "some hosts failed");
	return bad == 0 ? 0 : 1;
}

int
test_output(const char *config_path)
{
	struct config *cfg;
	int rc;

	signals_reset_inherited();	/* SIGPIPE ignored: TLS writes */
	if ((cfg = config_load(config_path, stderr)) == NULL)
		return 1;
	if (cfg->logstash != NULL)
		rc = test_logstash(cfg);
	else if (cfg->elasticsearch != NULL)
		rc = test_elasticsearch(cfg);
	else if (cfg->file_output != NULL)
		rc = test_file(cfg);
	else {
		printf("no output configured\n");
		rc = 1;
	}
	config_free(cfg);
	return rc;
}

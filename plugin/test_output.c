/*
 * "audisp-ecs test output": try the configured output for real.
 *
 * For Logstash every host is tried in turn: connect (with the TLS handshake
 * and certificate checks when ssl is on), send one test event, wait for
 * its acknowledgement, printing each step.  For the file output, the file
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

#include "../outputs/logstash_output.h"
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
	char host[256] = "localhost", ts[32];
	time_t now = time(NULL);
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	snprintf(buf, size, "{\"@timestamp\":\"%s\",\"message\":\"audisp-ecs "
	    "test output\",\"event\":{\"kind\":\"event\",\"module\":\"auditd\","
	    "\"action\":\"test-output\"},\"host\":{\"name\":\"%s\"},"
	    "\"agent\":{\"type\":\"%s\",\"version\":\"%s\"}}", ts, host,
	    PACKAGE_NAME, PACKAGE_VERSION);
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

	tls = logstash_tls_client(cfg, &failed, err, sizeof(err));
	if (failed) {
		printf("ssl: %s\n", err);
		return 1;
	}
	if (tls != NULL)
		printf("ssl: on, verification mode %s\n",
		    tls_verify_name((enum tls_verify)ls->ssl_verification_mode));
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
	else if (cfg->file_output != NULL)
		rc = test_file(cfg);
	else {
		printf("no output configured\n");
		rc = 1;
	}
	config_free(cfg);
	return rc;
}

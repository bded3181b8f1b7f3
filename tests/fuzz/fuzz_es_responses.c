/*
 * What Elasticsearch (or whatever answers in its place) sends back: the
 * bulk response (outputs/es_bulk.h), the GET / answer that tells the
 * version (es_check_cluster), the answers to the template and lifecycle
 * requests of "setup", and those to the test document of "test output".
 *
 * The target is linked with --wrap=es_client_request: the real readers
 * run unchanged, and every request they make gets the next answer of the
 * input instead of going to the network (no connection is ever made).
 * signals_reset_inherited is wrapped too: setup and test output call it
 * first, and it would take libFuzzer's signal handlers away.
 *
 * Input: one byte choosing the reader (its value modulo 5):
 *   0: es_bulk_parse; then one byte, the documents of the request
 *      (1 + value % 64), then the response body;
 *   1: es_check_cluster;  2: setup;  3: setup --ilm;  4: test output;
 *      then the answers, in the order of the requests, each
 *      "STATUS[ E]\n" (E: with the X-Elastic-Product header) and its
 *      body, answers separated by a line "--".  An answer whose status
 *      line is "!" is a transport error; after the last answer every
 *      request fails so.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "outputs/es_bulk.h"
#include "outputs/es_client.h"
#include "outputs/es_publisher.h"
#include "outputs/es_response.h"
#include "plugin/daemon.h"

#define MAX_DOCS	64

static struct fuzz_cursor answers;
static char *body;
static char config_path[4200];

int	__wrap_es_client_request(struct es_client *, const char *,
	    const char *, const char *, size_t, const char *, int,
	    struct es_response *, char *, size_t);
void	__wrap_signals_reset_inherited(void);

void
__wrap_signals_reset_inherited(void)
{
}

int
__wrap_es_client_request(struct es_client *c, const char *method,
    const char *path, const char *data, size_t len,
    const char *content_type, int gzipped, struct es_response *resp,
    char *err, size_t errlen)
{
	const uint8_t *p;
	char status[16];
	size_t n;

	(void)c; (void)method; (void)path; (void)data; (void)len;
	(void)content_type; (void)gzipped;
	free(body);
	body = NULL;
	if (answers.n == 0) {
		snprintf(err, errlen, "no more answers");
		return -1;
	}
	n = fuzz_until(&answers, "\n", &p);
	snprintf(status, sizeof(status), "%.*s", (int)(n < 15 ? n : 15),
	    (const char *)p);
	if (status[0] == '!') {
		(void)fuzz_until(&answers, "\n--\n", &p);
		snprintf(err, errlen, "connection reset");
		return -1;
	}
	n = fuzz_until(&answers, "\n--\n", &p);
	/* The client's body is NUL-terminated; a NUL inside may come. */
	if ((body = malloc(n + 1)) == NULL)
		abort();
	memcpy(body, p, n);
	body[n] = '\0';
	memset(resp, 0, sizeof(*resp));
	resp->status = strtol(status, NULL, 10);
	resp->elastic_product = strchr(status, 'E') != NULL;
	resp->body = body;
	resp->len = n;
	return 0;
}

static void
write_config(void)
{
	static const char text[] =
	    "output: {\n"
	    "  elasticsearch: {\n"
	    "    hosts = [\"es1.invalid:9200\"];\n"
	    "    username = \"elastic\";\n"
	    "    password = \"fuzz\";\n"
	    "  };\n"
	    "};\n";

	if (config_path[0] != '\0')
		return;
	snprintf(config_path, sizeof(config_path), "%s/es.conf",
	    fuzz_scratch_dir());
	fuzz_write_file(config_path, text, sizeof(text) - 1);
}

static void
fuzz_bulk(struct fuzz_cursor *in)
{
	static struct es_item_result results[MAX_DOCS];
	size_t n = 1 + fuzz_byte(in) % MAX_DOCS, i;
	char err[512], *text;

	if ((text = malloc(in->n + 1)) == NULL)
		abort();
	memcpy(text, in->p, in->n);
	text[in->n] = '\0';
	/* A malformed item has status 0; any other follows its status. */
	if (es_bulk_parse(text, in->n, n, results, err, sizeof(err)) == 0)
		for (i = 0; i < n; i++)
			if ((results[i].outcome == ES_ITEM_MALFORMED ?
			    results[i].status != 0 : results[i].outcome !=
			    es_item_outcome_of(results[i].status)) ||
			    memchr(results[i].error, '\0',
			    sizeof(results[i].error)) == NULL)
				abort();
	free(text);
}

static void
fuzz_cluster(void)
{
	struct es_engine engine = { ES_ENGINE_ELASTICSEARCH, -1, -1 };
	char found[256], err[512];

	if (es_check_cluster(NULL, "Basic", &engine, found, sizeof(found),
	    err, sizeof(err)) != 0)
		return;
	/* Taken: a printable name and an engine of a supported version. */
	if (memchr(found, '\0', sizeof(found)) == NULL)
		abort();
	if (engine.kind == ES_ENGINE_ELASTICSEARCH ?
	    engine.major < 7 || engine.major > 9 :
	    engine.kind != ES_ENGINE_OPENSEARCH || engine.major < 0 ||
	    engine.major > 3 || (engine.major == 0 && engine.minor != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_cursor in = { data, size };
	uint8_t which = fuzz_byte(&in);

	fuzz_init();
	write_config();
	answers = in;
	switch (which % 5) {
	case 0:
		fuzz_bulk(&in);
		break;
	case 1:
		fuzz_cluster();
		break;
	case 2:
	case 3:
		(void)setup_main(config_path, which % 5 == 3);
		break;
	default:
		(void)test_output(config_path);
		break;
	}
	free(body);
	body = NULL;
	return 0;
}

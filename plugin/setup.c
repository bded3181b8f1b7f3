/*
 * "audisp-ecs setup [-c FILE] [--ilm]": prepare Elasticsearch for the
 * documents, as "auditbeat setup --index-management" does.
 *
 * Installs, on the first host that answers:
 *   - the index template for output.elasticsearch.index: a data stream,
 *     with mappings for every field the plugin writes (from
 *     etc/elasticsearch/template.json, built into the binary) and a
 *     priority above Elasticsearch's built-in templates (100 and 200), so
 *     that "logs-*-*" does not win;
 *   - a template for the dead-letter index;
 *   - with --ilm, a lifecycle policy (rollover at 50 GB per primary shard
 *     or 30 days; nothing is deleted: audit trails are kept) that the index
 *     template refers to.
 * Each resource carries a digest of its content in _meta: when the
 * cluster already has the same, nothing is written ("unchanged"), so
 * setup can run at every package upgrade.  On OpenSearch, the template
 * is adapted and ISM takes the place of ILM (setup_opensearch.c).
 */
#include "config.h"

#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../outputs/es_client.h"
#include "../outputs/es_publisher.h"
#include "../outputs/es_response.h"
#include "conf.h"
#include "daemon.h"
#include "setup_internal.h"
#include "signals.h"

extern const char es_template_json[];

void
setup_digest_of(json_object *o, char out[65])
{
	const char *text = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	out[0] = '\0';
	if (text == NULL ||
	    EVP_Digest(text, strlen(text), md, &len, EVP_sha256(), NULL) != 1)
		return;
	for (i = 0; i < len && i < 32; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
}

/*
 * Adds _meta {managed_by, version, digest of body} to body, or to its
 * "policy" object for a lifecycle policy (where Elasticsearch keeps it);
 * the digest into out.
 */
static void
add_meta(json_object *body, char digest[65])
{
	json_object *meta = json_object_new_object(), *policy;

	setup_digest_of(body, digest);
	/* Out of memory: without _meta, the next run writes it again. */
	if (meta == NULL)
		return;
	if (es_json_get(body, "policy", json_type_object, &policy) == 1)
		body = policy;
	json_object_object_add(meta, "managed_by",
	    json_object_new_string(PACKAGE_NAME));
	json_object_object_add(meta, "version",
	    json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(meta, "digest", json_object_new_string(digest));
	json_object_object_add(body, "_meta", meta);
}

/* ILM, Elasticsearch's, is named by the template; ISM is not. */
static json_object *
index_template(const char *index, int ilm, const struct es_engine *engine)
{
	json_object *body, *tmpl, *settings, *lifecycle, *patterns, *index_s;
	char pattern[512];

	if ((tmpl = json_tokener_parse(es_template_json)) == NULL)
		return NULL;
	setup_os_adapt_mappings(tmpl, engine);
	if (ilm && engine->kind == ES_ENGINE_ELASTICSEARCH &&
	    es_json_get(tmpl, "settings", json_type_object,
	    &settings) == 1 && es_json_get(settings, "index",
	    json_type_object, &index_s) == 1) {
		if ((lifecycle = json_object_new_object()) == NULL) {
			json_object_put(tmpl);
			return NULL;
		}
		json_object_object_add(lifecycle, "name",
		    json_object_new_string(SETUP_POLICY_NAME));
		json_object_object_add(index_s, "lifecycle", lifecycle);
	}
	/* json-c aborts when adding to a NULL object: out of memory here. */
	if ((body = json_object_new_object()) == NULL ||
	    (patterns = json_object_new_array()) == NULL) {
		json_object_put(body);
		json_object_put(tmpl);
		return NULL;
	}
	snprintf(pattern, sizeof(pattern), "%s*", index);
	json_object_array_add(patterns, json_object_new_string(pattern));
	json_object_object_add(body, "index_patterns", patterns);
	json_object_object_add(body, "priority",
	    json_object_new_int(SETUP_TEMPLATE_PRIORITY));
	json_object_object_add(body, "data_stream", json_object_new_object());
	json_object_object_add(body, "template", tmpl);
	return body;
}

/* The dead-letter index: the original as text, the error as keywords. */
static json_object *
dead_letter_template(const char *index, const struct es_engine *engine)
{
	static const char mappings[] = "{\"mappings\":{\"properties\":{"
	    "\"@timestamp\":{\"type\":\"date\"},"
	    "\"message\":{\"type\":\"match_only_text\"},"
	    "\"event\":{\"properties\":{\"kind\":{\"type\":\"keyword\"},"
	    "\"id\":{\"type\":\"keyword\"}}},"
	    "\"error\":{\"properties\":{\"type\":{\"type\":\"keyword\"},"
	    "\"code\":{\"type\":\"long\"},"
	    "\"message\":{\"type\":\"match_only_text\"}}},"
	    "\"audisp_ecs\":{\"properties\":{\"index\":{\"type\":\"keyword\"}}}"
	    "}}}";
	json_object *body, *patterns = NULL, *tmpl = NULL;

	if ((body = json_object_new_object()) == NULL ||
	    (tmpl = json_tokener_parse(mappings)) == NULL ||
	    (patterns = json_object_new_array()) == NULL) {
		json_object_put(body);
		json_object_put(tmpl);
		return NULL;
	}
	setup_os_adapt_mappings(tmpl, engine);
	json_object_array_add(patterns, json_object_new_string(index));
	json_object_object_add(body, "index_patterns", patterns);
	json_object_object_add(body, "priority",
	    json_object_new_int(SETUP_TEMPLATE_PRIORITY));
	json_object_object_add(body, "template", tmpl);
	return body;
}

static json_object *
ilm_policy(void)
{
	static const char policy[] = "{\"policy\":{\"phases\":{\"hot\":{"
	    "\"min_age\":\"0ms\",\"actions\":{\"rollover\":{"
	    "\"max_primary_shard_size\":\"50gb\",\"max_age\":\"30d\"}}}}}}";

	return json_tokener_parse(policy);
}

/*
 * The digest in _meta of the resource the cluster has, into have ("" when
 * none); what is the NAME of the resource at path (…/NAME).  A 200 answer
 * that is not what Elasticsearch sends is reported, and the resource
 * written again.
 */
static void
installed_digest(const struct es_response *r, const char *what,
    const char *path, char have[ES_DIGEST_LEN + 1])
{
	const char *name = strrchr(path, '/') + 1;
	char err[256];
	int rc;

	have[0] = '\0';
	if (r->status != 200)
		return;
	if (strncmp(path, "/_ilm/", 6) == 0)
		rc = es_policy_digest(r->body, r->len, name, have, err,
		    sizeof(err));
	else
		rc = es_template_digest(r->body, r->len, name, have, err,
		    sizeof(err));
	if (rc == -1)
		printf("%s: the answer to GET %s is not what Elasticsearch "
		    "sends (%s); writing it again\n", what, path, err);
}

/*
 * PUT body at path unless the cluster has it already (GET path shows the
 * same digest).  Prints what it did; 0 or -1.
 */
static int
install(struct es_client *c, const char *what, const char *path,
    json_object *body)
{
	char digest[65], have[ES_DIGEST_LEN + 1], err[512];
	struct es_response r;
	const char *text;
	int existed;

	if (body == NULL) {
		printf("%s: out of memory\n", what);
		return -1;
	}
	add_meta(body, digest);
	if (es_client_request(c, "GET", path, NULL, 0, NULL, 0, &r, err,
	    sizeof(err)) == -1) {
		printf("%s: %s\n", what, err);
		return -1;
	}
	installed_digest(&r, what, path, have);
	existed = r.status == 200;
	if (strcmp(have, digest) == 0) {
		printf("%s: unchanged (%s)\n", what, path);
		return 0;
	}
	if ((text = json_object_to_json_string_ext(body,
	    JSON_C_TO_STRING_PLAIN)) == NULL) {
		printf("%s: out of memory\n", what);
		return -1;
	}
	if (es_client_request(c, "PUT", path, text, strlen(text),
	    "application/json", 0, &r, err, sizeof(err)) == -1) {
		printf("%s: %s\n", what, err);
		return -1;
	}
	if (r.status != 200) {
		es_error_reason(r.body, r.len, err, sizeof(err));
		printf("%s: HTTP %ld from PUT %s: %s\n", what, r.status, path,
		    err);
		return -1;
	}
	if (es_acknowledged(r.body, r.len, err, sizeof(err)) == -1) {
		printf("%s: PUT %s answered HTTP 200, but %s\n", what, path,
		    err);
		return -1;
	}
	printf("%s: %s (%s)\n", what, existed ? "updated" :
	    "installed", path);
	return 0;
}

static int
install_all(struct es_client *c, const struct es_output_config *es, int ilm,
    const struct es_engine *engine)
{
	char path[600];
	json_object *body;
	int rc = 0;

	if (ilm && engine->kind == ES_ENGINE_OPENSEARCH)
		rc |= setup_os_install_ism(c, es->index, engine);
	else if (ilm) {
		snprintf(path, sizeof(path), "/_ilm/policy/%s",
		    SETUP_POLICY_NAME);
		body = ilm_policy();
		rc |= install(c, "lifecycle policy", path, body);
		json_object_put(body);
	}
	snprintf(path, sizeof(path), "/_index_template/%s", es->index);
	if ((body = index_template(es->index, ilm, engine)) == NULL) {
		printf("index template: cannot be built (the built-in one "
		    "is not JSON, or out of memory)\n");
		return -1;
	}
	rc |= install(c, "index template", path, body);
	json_object_put(body);
	snprintf(path, sizeof(path), "/_index_template/%s",
	    es->dead_letter_index);
	body = dead_letter_template(es->dead_letter_index, engine);
	rc |= install(c, "dead-letter template", path, body);
	json_object_put(body);
	return rc;
}

/* Connects to host and checks it, into *engine; NULL after printing why. */
static struct es_client *
open_checked(const struct es_client_settings *s, const char *host,
    struct es_engine *engine)
{
	char err[512], found[256];
	struct es_client *c;

	printf("%s: ", host);
	fflush(stdout);
	if ((c = es_client_new(s, host, err, sizeof(err))) == NULL ||
	    es_check_cluster(c, es_client_auth_name(s), engine, found,
	    sizeof(found), err, sizeof(err)) == -1) {
		printf("%s\n", err);
		es_client_free(c);
		return NULL;
	}
	printf("%s at %s\n", found, es_client_url(c));
	return c;
}

int
setup_main(const char *config_path, int ilm)
{
	struct es_client_settings *s = NULL;
	struct es_engine engine = { ES_ENGINE_ELASTICSEARCH, 0, 0 };
	struct es_client *c = NULL;
	struct config *cfg;
	char err[512];
	size_t i;
	int rc = 1;

	signals_reset_inherited();
	if ((cfg = config_load(config_path, stderr)) == NULL)
		return 1;
	if (cfg->elasticsearch == NULL) {
		fprintf(stderr, "setup: %s has no output.elasticsearch\n",
		    cfg->source ? cfg->source : "the configuration");
		goto out;
	}
	if ((s = es_client_settings_new(cfg->elasticsearch, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "setup: %s\n", err);
		goto out;
	}
	for (i = 0; c == NULL && i < cfg->elasticsearch->hosts.count; i++)
		c = open_checked(s, cfg->elasticsearch->hosts.items[i],
		    &engine);
	if (c == NULL)
		printf("no host could be reached\n");
	else if (install_all(c, cfg->elasticsearch, ilm, &engine) == 0)
		rc = 0;
out:
	es_client_free(c);
	es_client_settings_free(s);
	config_free(cfg);
	return rc;
}

/*
 * What "setup" does differently for OpenSearch; setup.c does the rest.
 *
 * OpenSearch was forked from Elasticsearch 7.10 and kept what setup
 * relies on (composable index templates with _meta, data streams), but
 *   - it has no ILM: with --ilm, an Index State Management (ISM) policy
 *     takes the place of the lifecycle policy.  The index template does
 *     not name it (OpenSearch has no index.lifecycle.name setting): the
 *     policy's ism_template claims the data stream's backing indices
 *     (".ds-INDEX-000001", ...) as OpenSearch creates them.  The same
 *     rollover as with ILM, and nothing is deleted;
 *   - before 2.12 it has no match_only_text: those fields are mapped as
 *     text, which every version has (so is one that hides its version).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../outputs/es_client.h"
#include "../outputs/es_ism.h"
#include "../outputs/es_response.h"
#include "setup_internal.h"

#define ISM_PATH	"/_plugins/_ism/policies/" SETUP_POLICY_NAME

static int
has_match_only_text(const struct es_engine *e)
{
	return e->kind != ES_ENGINE_OPENSEARCH || e->major > 2 ||
	    (e->major == 2 && e->minor >= 12);
}

/* Rollover on the size of one primary shard came with ISM 2.4. */
static int
has_primary_shard_size(const struct es_engine *e)
{
	return e->major > 2 || (e->major == 2 && e->minor >= 4);
}

static void
text_for_match_only_text(json_object *o)
{
	json_object *type;
	size_t i, n;

	if (json_object_is_type(o, json_type_array)) {
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			text_for_match_only_text(
			    json_object_array_get_idx(o, i));
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	if (json_object_object_get_ex(o, "type", &type) &&
	    json_object_is_type(type, json_type_string) &&
	    strcmp(json_object_get_string(type), "match_only_text") == 0)
		json_object_object_add(o, "type",
		    json_object_new_string("text"));
	json_object_object_foreach(o, key, value) {
		(void)key;
		text_for_match_only_text(value);
	}
}

void
setup_os_adapt_mappings(json_object *o, const struct es_engine *e)
{
	if (!has_match_only_text(e))
		text_for_match_only_text(o);
}

/*
 * The policy for the data stream index, its description ending in the
 * digest of the rest (ISM keeps no _meta), which goes into digest too.
 * The index name goes in through json-c, never into the JSON text.
 */
static json_object *
ism_policy(const char *index, const struct es_engine *e, char digest[65])
{
	static const char form[] = "{\"policy\":{"
	    "\"description\":\"\",\"default_state\":\"hot\","
	    "\"states\":[{\"name\":\"hot\",\"actions\":[{\"rollover\":"
	    "{\"%s\":\"50gb\",\"min_index_age\":\"30d\"}}],"
	    "\"transitions\":[]}],"
	    "\"ism_template\":[{\"index_patterns\":[],\"priority\":%d}]}}";
	char text[1024], described[1024], pattern[600];
	json_object *body, *policy = NULL, *templates = NULL, *patterns = NULL;

	snprintf(text, sizeof(text), form, has_primary_shard_size(e) ?
	    "min_primary_shard_size" : "min_size", SETUP_TEMPLATE_PRIORITY);
	if ((body = json_tokener_parse(text)) == NULL)
		return NULL;
	json_object_object_get_ex(body, "policy", &policy);
	json_object_object_get_ex(policy, "ism_template", &templates);
	json_object_object_get_ex(json_object_array_get_idx(templates, 0),
	    "index_patterns", &patterns);
	/* Backing indices of the data stream: ".ds-" INDEX "-000001". */
	snprintf(pattern, sizeof(pattern), ".ds-%s*", index);
	snprintf(described, sizeof(described), "Managed by " PACKAGE_NAME
	    ": %s rolls over at 50 GB per primary shard or after 30 days; "
	    "nothing is deleted", index);
	if (patterns == NULL || json_object_array_add(patterns,
	    json_object_new_string(pattern)) != 0 ||
	    json_object_object_add(policy, "description",
	    json_object_new_string(described)) != 0) {
		json_object_put(body);
		return NULL;
	}
	setup_digest_of(body, digest);
	snprintf(described + strlen(described), sizeof(described) -
	    strlen(described), ES_ISM_DIGEST_OPEN "%s)", digest);
	json_object_object_add(policy, "description",
	    json_object_new_string(described));
	return body;
}

/*
 * What the engine has at ISM_PATH: 1 with its state in st, 0 for none,
 * -1 after printing why it cannot be told.
 */
static int
installed_policy(struct es_client *c, struct es_ism_state *st)
{
	char err[512];
	struct es_response r;

	if (es_client_request(c, "GET", ISM_PATH, NULL, 0, NULL, 0, &r, err,
	    sizeof(err)) == -1) {
		printf("lifecycle policy: %s\n", err);
		return -1;
	}
	if (r.status == 404)
		return 0;
	if (r.status != 200) {
		es_error_reason(r.body, r.len, err, sizeof(err));
		printf("lifecycle policy: HTTP %ld from GET %s: %s (is the "
		    "Index State Management plugin installed?)\n", r.status,
		    ISM_PATH, err);
		return -1;
	}
	/* Without _seq_no and _primary_term it cannot be replaced. */
	if (es_ism_policy_state(r.body, r.len, st, err, sizeof(err)) == -1) {
		printf("lifecycle policy: the answer to GET %s is not what "
		    "OpenSearch sends: %s\n", ISM_PATH, err);
		return -1;
	}
	return 1;
}

int
setup_os_install_ism(struct es_client *c, const char *index,
    const struct es_engine *e)
{
	char digest[65], path[160], err[512];
	struct es_ism_state st;
	struct es_response r;
	json_object *body;
	const char *text;
	int existed, rc = -1;

	if ((body = ism_policy(index, e, digest)) == NULL) {
		printf("lifecycle policy: cannot be built for %s\n", index);
		return -1;
	}
	if ((existed = installed_policy(c, &st)) == -1)
		goto out;
	if (existed && strcmp(st.digest, digest) == 0) {
		printf("lifecycle policy: unchanged (%s)\n", ISM_PATH);
		rc = 0;
		goto out;
	}
	if (existed)
		snprintf(path, sizeof(path), "%s?if_seq_no=%lld&"
		    "if_primary_term=%lld", ISM_PATH, (long long)st.seq_no,
		    (long long)st.primary_term);
	else
		snprintf(path, sizeof(path), "%s", ISM_PATH);
	if ((text = json_object_to_json_string_ext(body,
	    JSON_C_TO_STRING_PLAIN)) == NULL) {
		printf("lifecycle policy: out of memory\n");
		goto out;
	}
	if (es_client_request(c, "PUT", path, text, strlen(text),
	    "application/json", 0, &r, err, sizeof(err)) == -1) {
		printf("lifecycle policy: %s\n", err);
		goto out;
	}
	if (r.status != 200 && r.status != 201) {
		es_error_reason(r.body, r.len, err, sizeof(err));
		printf("lifecycle policy: HTTP %ld from PUT %s: %s\n", r.status,
		    ISM_PATH, err);
		goto out;
	}
	if (es_ism_policy_written(r.body, r.len, err, sizeof(err)) == -1) {
		printf("lifecycle policy: PUT %s answered HTTP %ld, but %s\n",
		    ISM_PATH, r.status, err);
		goto out;
	}
	printf("lifecycle policy: %s (%s, Index State Management)\n",
	    existed ? "updated" : "installed", ISM_PATH);
	rc = 0;
out:
	json_object_put(body);
	return rc;
}

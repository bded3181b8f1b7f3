/* Elasticsearch's answers read as hostile input; see es_response.h. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../common/errbuf.h"
#include "es_client.h"
#include "es_response.h"

/* How much of a body that is not JSON a message quotes. */
#define EXCERPT_MAX	200
/* The longest version.number taken: "7.17.23-SNAPSHOT" is 16. */
#define VERSION_MAX	64
/* What Elasticsearch 7.0 to 7.13 answer GET / with, before the header. */
#define TAGLINE_7	"You Know, for Search"
#define NOT_ES		"not Elasticsearch: GET / answered HTTP %ld " \
			"without the X-Elastic-Product: Elasticsearch header"

#ifndef JSON_TOKENER_VALIDATE_UTF8
#define JSON_TOKENER_VALIDATE_UTF8	0
#endif

/*
 * An upper bound on the values (and member names) json-c would build
 * from p: each value but the first comes after a ',', a ':' or a '['
 * (containers counted once more by their '{'), so counting those outside
 * strings is enough.  1 once the count passes max.
 */
static int
too_many_values(const char *p, size_t len, size_t max)
{
	size_t i, n = 1;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in_string = 0;
			continue;
		}
		switch (p[i]) {
		case '"':
			in_string = 1;
			break;
		case ',':
		case ':':
		case '[':
		case '{':
			if (++n > max)
				return 1;
			break;
		}
	}
	return 0;
}

static int
only_space(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return 0;
	return 1;
}

int
es_json_parse(const char *body, size_t len, size_t max_values,
    json_object **root, char *err, size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error e;
	json_object *o;
	size_t end;

	*root = NULL;
	if (len == 0) {
		seterr(err, errlen, "the body is empty");
		return -1;
	}
	if (len > INT_MAX - 1) {
		seterr(err, errlen, "the body is larger than 2 GiB");
		return -1;
	}
	if (too_many_values(body, len, max_values)) {
		seterr(err, errlen, "the body holds more than %zu JSON values",
		    max_values);
		return -1;
	}
	if ((tok = json_tokener_new()) == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, body, (int)len);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (o == NULL && e == json_tokener_continue && only_space(body, len)) {
		json_tokener_free(tok);
		seterr(err, errlen, "the body is only white space");
		return -1;
	}
	if (o == NULL && e == json_tokener_continue) {
		/* A number at the very end is whole once something follows. */
		o = json_tokener_parse_ex(tok, " ", 1);
		e = json_tokener_get_error(tok);
		end = len;
	}
	json_tokener_free(tok);
	if (e == json_tokener_continue) {
		seterr(err, errlen, "the body is cut short: it ends inside a "
		    "JSON value, after %zu bytes", len);
		return -1;
	}
	if (e != json_tokener_success) {
		seterr(err, errlen, "the body is not JSON (at byte %zu: %s)",
		    end, json_tokener_error_desc(e));
		return -1;
	}
	if (end < len && !only_space(body + end, len - end)) {
		json_object_put(o);
		seterr(err, errlen, "the body goes on after its JSON value, at "
		    "byte %zu", end);
		return -1;
	}
	if (o == NULL) {
		seterr(err, errlen, "the body is null");
		return -1;
	}
	*root = o;
	return 0;
}

int
es_json_get(json_object *o, const char *key, enum json_type want,
    json_object **out)
{
	json_object *v = NULL;

	*out = NULL;
	/* json_object_is_type(NULL, ...) is true only for json_type_null. */
	if (!json_object_is_type(o, json_type_object))
		return -1;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	*out = v;
	return json_object_is_type(v, want) ? 1 : -1;
}

const char *
es_json_type_name(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a number with a fraction or exponent";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "of an unknown type";
}

/*
 * The length of the character at s (n bytes left) when it is valid UTF-8
 * and prints; 0 for a control character, DEL, a C1 control, a surrogate,
 * an overlong form or anything that is not UTF-8.
 */
static size_t
printable_char(const unsigned char *s, size_t n)
{
	unsigned int cp;
	size_t len, i;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < 0xa0 || (len == 3 && cp < 0x800) ||
	    (cp >= 0xd800 && cp <= 0xdfff) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

void
es_printable(char *dst, size_t size, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, len = 0, k;

	if (size == 0)
		return;
	while (i < n) {
		if ((k = printable_char(s + i, n - i)) > 0) {
			if (len + k >= size)
				break;
			memcpy(dst + len, s + i, k);
			len += k;
			i += k;
			continue;
		}
		if (len + 4 >= size)
			break;
		snprintf(dst + len, 5, "\\x%02x", s[i]);
		len += 4;
		i++;
	}
	dst[len] = '\0';
}

/* The string member key of o, or NULL (missing or of another type). */
static json_object *
string_member(json_object *o, const char *key)
{
	json_object *v;

	return es_json_get(o, key, json_type_string, &v) == 1 ? v : NULL;
}

static void
printable_string(char *dst, size_t size, json_object *s)
{
	es_printable(dst, size, json_object_get_string(s),
	    (size_t)json_object_get_string_len(s));
}

/* The string s is exactly text (s may hold NUL bytes). */
static int
string_is(json_object *s, const char *text)
{
	return (size_t)json_object_get_string_len(s) == strlen(text) &&
	    memcmp(json_object_get_string(s), text, strlen(text)) == 0;
}

void
es_error_reason(const char *body, size_t len, char *buf, size_t size)
{
	json_object *root, *error, *text = NULL;

	if (len == 0) {
		snprintf(buf, size, "(empty body)");
		return;
	}
	if (es_json_parse(body, len, ES_JSON_VALUES_MAX, &root, NULL, 0) ==
	    0) {
		/* {"error": {"type", "reason", ...}}, or {"error": "text"}. */
		if ((text = string_member(root, "error")) == NULL &&
		    es_json_get(root, "error", json_type_object, &error) == 1 &&
		    (text = string_member(error, "reason")) == NULL)
			text = string_member(error, "type");
		if (text != NULL)
			printable_string(buf, size, text);
		json_object_put(root);
		if (text != NULL)
			return;
	}
	es_printable(buf, size, body, len < EXCERPT_MAX ? len : EXCERPT_MAX);
}

/* Decimal digits at s[*i]: a number up to 99999 into *value. */
static int
digits(const char *s, size_t n, size_t *i, int *value)
{
	size_t start = *i;
	int v = 0;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9' && *i - start < 5)
		v = v * 10 + (s[(*i)++] - '0');
	if (*i == start || (*i < n && s[*i] >= '0' && s[*i] <= '9'))
		return -1;
	*value = v;
	return 0;
}

static int
version_suffix_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '+';
}

/*
 * "8.15.0", "7.10.2-SNAPSHOT", "9.0.0-beta1": major and minor of s (n
 * bytes), or -1 when it is not such a version (nothing else is printed).
 */
static int
parse_version(const char *s, size_t n, int *major, int *minor)
{
	size_t i = 0;
	int patch;

	if (n > VERSION_MAX || digits(s, n, &i, major) == -1 || i >= n ||
	    s[i++] != '.' || digits(s, n, &i, minor) == -1)
		return -1;
	if (i < n && s[i] == '.' && (++i, digits(s, n, &i, &patch) == -1))
		return -1;
	if (i < n && s[i] != '-' && s[i] != '+')
		return -1;
	for (; i < n; i++)
		if (!version_suffix_char(s[i]))
			return -1;
	return 0;
}

/* version.number of a GET / answer, checked; -1 with why. */
static int
version_of(json_object *root, json_object **number, int *major, int *minor,
    char *why, size_t whylen)
{
	json_object *version;
	char shown[48];

	switch (es_json_get(root, "version", json_type_object, &version)) {
	case 0:
		seterr(why, whylen, "it has no version");
		return -1;
	case -1:
		seterr(why, whylen, "its version is %s, not an object",
		    es_json_type_name(version));
		return -1;
	}
	switch (es_json_get(version, "number", json_type_string, number)) {
	case 0:
		seterr(why, whylen, "it has no version.number");
		return -1;
	case -1:
		seterr(why, whylen, "its version.number is %s, not a string",
		    es_json_type_name(*number));
		return -1;
	}
	if (parse_version(json_object_get_string(*number),
	    (size_t)json_object_get_string_len(*number), major, minor) == -1) {
		printable_string(shown, sizeof(shown), *number);
		seterr(why, whylen, "its version.number \"%s\" is not a "
		    "version", shown);
		return -1;
	}
	return 0;
}

/*
 * Elasticsearch 7.0 to 7.13, which answered GET / without the
 * X-Elastic-Product header: its tagline, and the default distribution
 * (build_flavor), as Elastic's own clients check it.  -1 with why not.
 */
static int
answers_as_early_7(json_object *root, int major, int minor, char *why,
    size_t whylen)
{
	json_object *tagline, *version, *flavor;

	if (major != 7 || minor > 13) {
		seterr(why, whylen, "it says version %d.%d; only 7.0 to 7.13 "
		    "answer without it", major, minor);
		return -1;
	}
	switch (es_json_get(root, "tagline", json_type_string, &tagline)) {
	case 0:
		seterr(why, whylen, "it has no tagline");
		return -1;
	case -1:
		seterr(why, whylen, "its tagline is %s, not a string",
		    es_json_type_name(tagline));
		return -1;
	}
	if (!string_is(tagline, TAGLINE_7)) {
		seterr(why, whylen, "its tagline is not \"%s\"", TAGLINE_7);
		return -1;
	}
	es_json_get(root, "version", json_type_object, &version);
	switch (es_json_get(version, "build_flavor", json_type_string,
	    &flavor)) {
	case 0:
		seterr(why, whylen, "it has no version.build_flavor");
		return -1;
	case -1:
		seterr(why, whylen, "its version.build_flavor is %s, not a "
		    "string", es_json_type_name(flavor));
		return -1;
	}
	if (!string_is(flavor, "default")) {
		seterr(why, whylen, "its version.build_flavor is not "
		    "\"default\" (only the default distribution is supported)");
		return -1;
	}
	return 0;
}

/* A body that must be one JSON object; -1 with why. */
static int
root_object(const char *body, size_t len, json_object **root, char *why,
    size_t whylen)
{
	if (es_json_parse(body, len, ES_JSON_VALUES_MAX, root, why, whylen) ==
	    -1)
		return -1;
	if (!json_object_is_type(*root, json_type_object)) {
		seterr(why, whylen, "it is %s, not an object",
		    es_json_type_name(*root));
		json_object_put(*root);
		*root = NULL;
		return -1;
	}
	return 0;
}

/* cluster_name of a GET / answer, printable, or "unnamed". */
static void
cluster_name_of(json_object *root, char *name, size_t size)
{
	json_object *cluster;

	if ((cluster = string_member(root, "cluster_name")) != NULL)
		printable_string(name, size, cluster);
	else
		snprintf(name, size, "unnamed");
}

/*
 * version.distribution of a GET / answer: 1 when it is "opensearch", 0
 * when there is none (Elasticsearch sends none), -1 with why for one of
 * another type or another distribution.
 */
static int
opensearch_distribution(json_object *root, char *why, size_t whylen)
{
	json_object *version, *distribution;
	char shown[48];

	/* A version that is no object: version_of says so. */
	if (es_json_get(root, "version", json_type_object, &version) != 1)
		return 0;
	switch (es_json_get(version, "distribution", json_type_string,
	    &distribution)) {
	case 0:
		return 0;
	case -1:
		seterr(why, whylen, "its version.distribution is %s, not a "
		    "string", es_json_type_name(distribution));
		return -1;
	}
	if (string_is(distribution, "opensearch"))
		return 1;
	printable_string(shown, sizeof(shown), distribution);
	seterr(why, whylen, "its version.distribution \"%s\" is not "
	    "\"opensearch\"", shown);
	return -1;
}

/*
 * An answer with version.distribution "opensearch": OpenSearch 1.x to
 * 3.x, or one that answers as Elasticsearch 7.10.2 for older clients
 * (compatibility.override_main_response_version), whose own version is
 * then unknown.  No header tells OpenSearch apart: the body is all there
 * is.
 */
static int
opensearch_answer(json_object *root, struct es_engine *engine, char *found,
    size_t foundlen, char *err, size_t errlen)
{
	json_object *number = NULL;
	char why[256], name[128];
	int major = 0, minor = 0;

	if (version_of(root, &number, &major, &minor, why, sizeof(why)) ==
	    -1) {
		seterr(err, errlen, "the answer to GET / is not what "
		    "OpenSearch sends: %s", why);
		return -1;
	}
	cluster_name_of(root, name, sizeof(name));
	if (major == 7 && minor == 10) {
		seterr(found, foundlen, "OpenSearch answering as %s for "
		    "compatibility (cluster %s)",
		    json_object_get_string(number), name);
		major = minor = 0;
	} else if (major < 1 || major > 3) {
		seterr(err, errlen, "OpenSearch %s is not supported (1.x, 2.x "
		    "or 3.x)", json_object_get_string(number));
		return -1;
	} else
		seterr(found, foundlen, "OpenSearch %s (cluster %s)",
		    json_object_get_string(number), name);
	if (engine != NULL) {
		engine->kind = ES_ENGINE_OPENSEARCH;
		engine->major = major;
		engine->minor = minor;
	}
	return 0;
}

int
es_cluster_answer(const struct es_response *r, struct es_engine *engine,
    char *found, size_t foundlen, char *err, size_t errlen)
{
	json_object *root = NULL, *number = NULL;
	char why[256], name[128];
	int major = 0, minor = 0, rc = -1;

	if (r->status != 200 && !r->elastic_product) {
		seterr(err, errlen, NOT_ES, r->status);
		return -1;
	}
	if (r->status != 200) {
		es_error_reason(r->body, r->len, why, sizeof(why));
		seterr(err, errlen, "GET / answered HTTP %ld: %s", r->status,
		    why);
		return -1;
	}
	if (root_object(r->body, r->len, &root, why, sizeof(why)) == 0) {
		switch (opensearch_distribution(root, why, sizeof(why))) {
		case 1:
			rc = opensearch_answer(root, engine, found, foundlen,
			    err, errlen);
			goto out;
		case -1:
			seterr(err, errlen, "the answer to GET / is neither "
			    "Elasticsearch's nor OpenSearch's: %s", why);
			goto out;
		}
	}
	if (root == NULL ||
	    version_of(root, &number, &major, &minor, why, sizeof(why)) ==
	    -1 || (!r->elastic_product &&
	    answers_as_early_7(root, major, minor, why, sizeof(why)) == -1)) {
		if (!r->elastic_product)
			seterr(err, errlen, NOT_ES " (%s)", r->status, why);
		else
			seterr(err, errlen, "the answer to GET / is not what "
			    "Elasticsearch sends: %s", why);
		goto out;
	}
	if (major < 7 || major > 9) {
		seterr(err, errlen, "Elasticsearch %s is not supported (7.x, "
		    "8.x or 9.x)", json_object_get_string(number));
		goto out;
	}
	cluster_name_of(root, name, sizeof(name));
	seterr(found, foundlen, "Elasticsearch %s (cluster %s)",
	    json_object_get_string(number), name);
	if (engine != NULL) {
		engine->kind = ES_ENGINE_ELASTICSEARCH;
		engine->major = major;
		engine->minor = minor;
	}
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

/* o._meta.digest: 1 into out, 0 when there is none, -1 with why. */
static int
meta_digest(json_object *o, char out[ES_DIGEST_LEN + 1], char *why,
    size_t whylen)
{
	json_object *meta, *digest;
	const char *s;
	size_t i;

	switch (es_json_get(o, "_meta", json_type_object, &meta)) {
	case 0:
		return 0;
	case -1:
		seterr(why, whylen, "_meta is %s, not an object",
		    es_json_type_name(meta));
		return -1;
	}
	switch (es_json_get(meta, "digest", json_type_string, &digest)) {
	case 0:
		return 0;
	case -1:
		seterr(why, whylen, "_meta.digest is %s, not a string",
		    es_json_type_name(digest));
		return -1;
	}
	s = json_object_get_string(digest);
	for (i = 0; i < ES_DIGEST_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			break;
	if (i < ES_DIGEST_LEN ||
	    json_object_get_string_len(digest) != ES_DIGEST_LEN) {
		seterr(why, whylen, "_meta.digest is not a SHA-256 in hex");
		return -1;
	}
	memcpy(out, s, ES_DIGEST_LEN + 1);
	return 1;
}

/* The entry of index_templates named name: 1 into *t, 0, -1 with why. */
static int
find_template(json_object *root, const char *name, json_object **t,
    char *why, size_t whylen)
{
	json_object *list, *entry, *n;
	size_t i, count;

	switch (es_json_get(root, "index_templates", json_type_array, &list)) {
	case 0:
		seterr(why, whylen, "it has no index_templates");
		return -1;
	case -1:
		seterr(why, whylen, "its index_templates is %s, not an array",
		    es_json_type_name(list));
		return -1;
	}
	count = json_object_array_length(list);
	for (i = 0; i < count; i++) {
		entry = json_object_array_get_idx(list, i);
		if (!json_object_is_type(entry, json_type_object) ||
		    (n = string_member(entry, "name")) == NULL) {
			seterr(why, whylen, "index_templates[%zu] is not an "
			    "object with a name", i);
			return -1;
		}
		if (!string_is(n, name))
			continue;
		if (es_json_get(entry, "index_template", json_type_object,
		    t) != 1) {
			seterr(why, whylen, "index_templates[%zu] has no "
			    "index_template object", i);
			return -1;
		}
		return 1;
	}
	return 0;
}

int
es_template_digest(const char *body, size_t len, const char *name,
    char out[ES_DIGEST_LEN + 1], char *err, size_t errlen)
{
	json_object *root, *t;
	int rc;

	out[0] = '\0';
	if (root_object(body, len, &root, err, errlen) == -1)
		return -1;
	if ((rc = find_template(root, name, &t, err, errlen)) == 1)
		rc = meta_digest(t, out, err, errlen);
	json_object_put(root);
	return rc;
}

int
es_policy_digest(const char *body, size_t len, const char *name,
    char out[ES_DIGEST_LEN + 1], char *err, size_t errlen)
{
	json_object *root, *entry, *policy;
	int rc = -1;

	out[0] = '\0';
	if (root_object(body, len, &root, err, errlen) == -1)
		return -1;
	switch (es_json_get(root, name, json_type_object, &entry)) {
	case 0:
		rc = 0;
		break;
	case -1:
		seterr(err, errlen, "its %s is %s, not an object", name,
		    es_json_type_name(entry));
		break;
	default:
		if (es_json_get(entry, "policy", json_type_object, &policy) ==
		    1)
			rc = meta_digest(policy, out, err, errlen);
		else
			seterr(err, errlen, "its %s has no policy object",
			    name);
	}
	json_object_put(root);
	return rc;
}

int
es_acknowledged(const char *body, size_t len, char *err, size_t errlen)
{
	json_object *root, *ack;
	int rc = -1;

	if (root_object(body, len, &root, err, errlen) == -1)
		return -1;
	switch (es_json_get(root, "acknowledged", json_type_boolean, &ack)) {
	case 0:
		seterr(err, errlen, "it has no acknowledged");
		break;
	case -1:
		seterr(err, errlen, "its acknowledged is %s, not a boolean",
		    es_json_type_name(ack));
		break;
	default:
		if (json_object_get_boolean(ack))
			rc = 0;
		else
			seterr(err, errlen, "not acknowledged");
	}
	json_object_put(root);
	return rc;
}

/*
 * What Elasticsearch allows in an index name (the name goes into the
 * path of the next request): none of \ / * ? " < > | , # space or NUL,
 * and neither "." nor "..".
 */
static int
index_name(const char *s, size_t n)
{
	size_t i;

	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr("\\/*?\"<>|,# ", s[i]) != NULL)
			return 0;
	return 1;
}

int
es_created_index(const char *body, size_t len, char *index, size_t size,
    char *err, size_t errlen)
{
	json_object *root, *name;
	size_t n;
	int rc = -1;

	if (root_object(body, len, &root, err, errlen) == -1)
		return -1;
	switch (es_json_get(root, "_index", json_type_string, &name)) {
	case 0:
		seterr(err, errlen, "it has no _index");
		break;
	case -1:
		seterr(err, errlen, "its _index is %s, not a string",
		    es_json_type_name(name));
		break;
	default:
		n = (size_t)json_object_get_string_len(name);
		if (n == 0 || n >= size ||
		    !index_name(json_object_get_string(name), n))
			seterr(err, errlen, "its _index is not an index name");
		else {
			memcpy(index, json_object_get_string(name), n + 1);
			rc = 0;
		}
	}
	json_object_put(root);
	return rc;
}

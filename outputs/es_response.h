/*
 * What an Elasticsearch endpoint answers, read as hostile input.
 *
 * DESIGN
 * Whatever answers on an Elasticsearch port may be a proxy gone wrong,
 * another product, or an attacker, so nothing in a body is trusted:
 *   - a body is parsed whole (es_json_parse): strict JSON, valid UTF-8,
 *     nothing but white space after the value, and at most a given number
 *     of values, so that a small body cannot make json-c allocate far
 *     more than it is long;
 *   - every member is fetched with the type it must have (es_json_get):
 *     a member of another type is told apart from one that is missing;
 *   - every text taken from a body is made printable (es_printable)
 *     before it reaches a log, a terminal or a dead letter.
 * An answer that is not what Elasticsearch sends is an error saying what
 * was wrong with it, never taken as a success.  The size of a body is
 * bounded before it gets here, by es_client_request.
 */
#ifndef AUDISP_ECS_ES_RESPONSE_H
#define AUDISP_ECS_ES_RESPONSE_H

#include <json-c/json.h>
#include <stddef.h>

struct es_response;

/*
 * JSON values an answer other than a bulk response may hold.  The
 * largest Elasticsearch sends us is our index template, with some 1,300
 * (counted as es_json_parse counts them).
 */
#define ES_JSON_VALUES_MAX	65536

/*
 * Parses the len bytes of body into *root (the caller puts it).  0, or
 * -1 with err: empty, cut short, not strict JSON or not UTF-8 (naming the
 * byte offset), something after the value, or more than max_values
 * values.
 */
int	es_json_parse(const char *body, size_t len, size_t max_values,
	    json_object **root, char *err, size_t errlen);
/*
 * The member key of o, which must have type want (json_type_int for a
 * number without a fraction or exponent).  1 with it in *out; 0 when o
 * has no such member; -1 when o is not an object or the member has
 * another type (*out is then the member, or NULL).
 */
int	es_json_get(json_object *o, const char *key, enum json_type want,
	    json_object **out);
/* "a string", "null", "an object", ...: the type of o, for messages. */
const char *es_json_type_name(json_object *o);

/*
 * Copies up to n bytes of s into dst (size bytes, always terminated),
 * printable: a control character, DEL, a C1 control or a byte that is
 * not part of valid UTF-8 becomes \xNN.  Cut before a character that
 * would not fit whole.
 */
void	es_printable(char *dst, size_t size, const char *s, size_t n);

/*
 * Why a request failed, from its answer: error.reason (or error.type) of
 * an Elasticsearch error body, a plain "error" string, else the start of
 * the body; always printable, "(empty body)" for none.
 */
void	es_error_reason(const char *body, size_t len, char *buf,
	    size_t size);

/* Which search engine answered GET /, for what differs between them. */
enum es_engine_kind {
	ES_ENGINE_ELASTICSEARCH,
	ES_ENGINE_OPENSEARCH
};

struct es_engine {
	enum es_engine_kind	kind;
	/*
	 * The engine's own version; 0.0 for an OpenSearch that answers as
	 * Elasticsearch 7.10.2 (compatibility.override_main_response_version)
	 * and so hides its own.
	 */
	int			major;
	int			minor;
};

/*
 * The answer to GET /: is it Elasticsearch 7.x, 8.x or 9.x, or OpenSearch
 * 1.x, 2.x or 3.x?  0 with "Elasticsearch 8.15.0 (cluster NAME)" or
 * "OpenSearch 2.19.1 (cluster NAME)" in found and, when engine is not
 * NULL, what it is in *engine; -1 with err for what is neither (no
 * X-Elastic-Product header, unless it answers as Elasticsearch 7.0 to
 * 7.13 did -- version.number, tagline and build_flavor -- or as OpenSearch
 * does: version.distribution "opensearch"), for a version not supported,
 * and for an answer whose fields have the wrong type.
 */
int	es_cluster_answer(const struct es_response *r, struct es_engine *engine,
	    char *found, size_t foundlen, char *err, size_t errlen);

/* The length of the digests that setup keeps in _meta (SHA-256, hex). */
#define ES_DIGEST_LEN	64
/*
 * The digest in _meta of a resource, from the answer to GET
 * _index_template/NAME (index_templates[].index_template._meta.digest of
 * the entry named NAME) or to GET _ilm/policy/NAME
 * (NAME.policy._meta.digest).  1 with it in out; 0 when the answer shows
 * the resource without one; -1 with err when the answer is not what
 * Elasticsearch sends.
 */
int	es_template_digest(const char *body, size_t len, const char *name,
	    char out[ES_DIGEST_LEN + 1], char *err, size_t errlen);
int	es_policy_digest(const char *body, size_t len, const char *name,
	    char out[ES_DIGEST_LEN + 1], char *err, size_t errlen);
/* 0 when body is {"acknowledged": true, ...}, else -1 with err. */
int	es_acknowledged(const char *body, size_t len, char *err,
	    size_t errlen);
/*
 * The index a single-document create went to (_index of the answer: a
 * data stream's backing index), into index.  0, or -1 with err, also for
 * a name Elasticsearch would not allow: it goes into the path of the
 * next request.
 */
int	es_created_index(const char *body, size_t len, char *index,
	    size_t size, char *err, size_t errlen);

#endif

/* Bulk request bodies and responses; see es_bulk.h. */
#include "config.h"

#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/errbuf.h"
#include "es_bulk.h"
#include "es_response.h"

/* Percent-encoding of a URL path segment or query value. */
int
es_append_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char enc[3];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL) {
			if (buf_append(b, &c, 1) == -1)
				return -1;
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 15];
		if (buf_append(b, enc, 3) == -1)
			return -1;
	}
	return 0;
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return p;
}

/* p at the opening quote; the position after the closing one, or NULL. */
static const char *
skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* The position after the JSON value at p, or NULL when it is cut short. */
static const char *
skip_value(const char *p, const char *end)
{
	int depth = 0;

	p = skip_space(p, end);
	do {
		if (p >= end)
			return NULL;
		if (*p == '"') {
			if ((p = skip_string(p, end)) == NULL)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		else if (depth == 0) {
			/* A number, true, false or null. */
			while (p < end && *p != ',' && *p != '}' &&
			    *p != ']' && *p != ' ' && *p != '\n')
				p++;
			return p;
		}
		p++;
	} while (depth > 0);
	return p;
}

/*
 * The value of member key of the object at p (which must start with '{'),
 * as [*vstart, return value); NULL when there is none.
 */
static const char *
find_member(const char *p, const char *end, const char *key,
    const char **vstart)
{
	size_t keylen = strlen(key);
	const char *k, *kend;

	p = skip_space(p, end);
	if (p >= end || *p != '{')
		return NULL;
	for (p++;;) {
		p = skip_space(p, end);
		if (p >= end || *p != '"')
			return NULL;
		k = p + 1;
		if ((kend = skip_string(p, end)) == NULL)
			return NULL;
		p = skip_space(kend, end);
		if (p >= end || *p++ != ':')
			return NULL;
		p = skip_space(p, end);
		*vstart = p;
		if ((p = skip_value(p, end)) == NULL)
			return NULL;
		if ((size_t)(kend - 1 - k) == keylen &&
		    memcmp(k, key, keylen) == 0)
			return p;
		p = skip_space(p, end);
		if (p >= end || *p != ',')
			return NULL;
		p++;
	}
}

/* An id we write ourselves is hex or a UUID: nothing JSON must escape. */
static int
plain_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= ES_ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' ||
		    s[i] == '_' || s[i] == '.' || s[i] == ':'))
			return 0;
	return 1;
}

void
es_document_id(const char *doc, size_t len, char id[ES_ID_MAX])
{
	const char *end = doc + len, *event, *event_end, *v, *vend;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if ((event_end = find_member(doc, end, "event", &event)) != NULL &&
	    (vend = find_member(event, event_end, "id", &v)) != NULL &&
	    *v == '"' && plain_id(v + 1, (size_t)(vend - v - 2))) {
		memcpy(id, v + 1, (size_t)(vend - v - 2));
		id[vend - v - 2] = '\0';
		return;
	}
	id[0] = '\0';
	if (EVP_Digest(doc, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		return;
	for (i = 0; i < mdlen && i * 2 + 2 < ES_ID_MAX; i++)
		snprintf(id + i * 2, 3, "%02x", md[i]);
}

int
es_bulk_add(struct buf *body, struct sv doc)
{
	char id[ES_ID_MAX], action[ES_ID_MAX + 32];
	int n;

	es_document_id(doc.p, doc.n, id);
	n = id[0] != '\0' ? snprintf(action, sizeof(action),
	    "{\"create\":{\"_id\":\"%s\"}}\n", id) :
	    snprintf(action, sizeof(action), "{\"create\":{}}\n");
	/* All or nothing: the body stays a whole number of documents. */
	if (buf_reserve(body, (size_t)n + doc.n + 1) == -1)
		return -1;
	buf_append(body, action, (size_t)n);
	buf_append(body, doc.p, doc.n);
	buf_append(body, "\n", 1);
	return 0;
}

enum es_item_outcome
es_item_outcome_of(int status)
{
	if ((status >= 200 && status < 300) || status == 409)
		return ES_ITEM_DONE;
	if (status == 429 || status >= 500)
		return ES_ITEM_RETRY;
	return ES_ITEM_REJECTED;
}

/* Appends s made printable, or text when s is NULL, to buf. */
static void
append_printable(char *buf, size_t size, json_object *s, const char *text)
{
	size_t len = strlen(buf);

	if (s != NULL)
		es_printable(buf + len, size - len, json_object_get_string(s),
		    (size_t)json_object_get_string_len(s));
	else
		snprintf(buf + len, size - len, "%s", text);
}

/* "type: reason; cause" from item.error, cut to size. */
static void
error_text(json_object *type, json_object *reason, json_object *cause,
    char *buf, size_t size)
{
	buf[0] = '\0';
	append_printable(buf, size, type, "error");
	append_printable(buf, size, NULL, ": ");
	append_printable(buf, size, reason, "no reason given");
	if (cause != NULL) {
		append_printable(buf, size, NULL, "; ");
		append_printable(buf, size, cause, "");
	}
}

/*
 * Member key of o, of type want or absent (*v NULL then); -1 with why
 * when it has another type.
 */
static int
optional(json_object *o, const char *what, const char *key,
    enum json_type want, json_object **v, char *why, size_t whylen)
{
	if (es_json_get(o, key, want, v) != -1)
		return 0;
	seterr(why, whylen, "%s%s is %s, not %s", what, key,
	    es_json_type_name(*v), want == json_type_object ? "an object" :
	    "a string");
	return -1;
}

/*
 * The error of an item, when it has one: {"type", "reason", "caused_by":
 * {"reason"}}, each optional but of its type.  -1 with why.
 */
static int
item_error(json_object *item, char *buf, size_t size, char *why,
    size_t whylen)
{
	json_object *error, *type, *reason, *caused, *cause = NULL;

	buf[0] = '\0';
	if (optional(item, "", "error", json_type_object, &error, why,
	    whylen) == -1)
		return -1;
	if (error == NULL)
		return 0;
	if (optional(error, "error.", "type", json_type_string, &type, why,
	    whylen) == -1 || optional(error, "error.", "reason",
	    json_type_string, &reason, why, whylen) == -1 ||
	    optional(error, "error.", "caused_by", json_type_object, &caused,
	    why, whylen) == -1 || (caused != NULL && optional(caused,
	    "error.caused_by.", "reason", json_type_string, &cause, why,
	    whylen) == -1))
		return -1;
	error_text(type, reason, cause, buf, size);
	return 0;
}

static int
bulk_action(const char *name)
{
	return strcmp(name, "create") == 0 || strcmp(name, "index") == 0 ||
	    strcmp(name, "update") == 0 || strcmp(name, "delete") == 0;
}

/*
 * One element of items: {"create": {"status": N, "error": {...}}}.  -1
 * with why when it is anything else.
 */
static int
read_item(json_object *wrapper, struct es_item_result *r, char *why,
    size_t whylen)
{
	json_object *item = NULL, *status;
	const char *action = NULL;
	int64_t code;

	if (!json_object_is_type(wrapper, json_type_object)) {
		seterr(why, whylen, "it is %s, not an object",
		    es_json_type_name(wrapper));
		return -1;
	}
	if (json_object_object_length(wrapper) != 1) {
		seterr(why, whylen, "it has %d members, not one action",
		    json_object_object_length(wrapper));
		return -1;
	}
	json_object_object_foreach(wrapper, op, value) {
		action = op;
		item = value;
	}
	if (!bulk_action(action)) {
		seterr(why, whylen, "its action is not create, index, update "
		    "or delete");
		return -1;
	}
	if (!json_object_is_type(item, json_type_object)) {
		seterr(why, whylen, "its %s is %s, not an object", action,
		    es_json_type_name(item));
		return -1;
	}
	switch (es_json_get(item, "status", json_type_int, &status)) {
	case 0:
		seterr(why, whylen, "it has no status");
		return -1;
	case -1:
		seterr(why, whylen, "its status is %s, not an integer",
		    es_json_type_name(status));
		return -1;
	}
	if ((code = json_object_get_int64(status)) < 100 || code > 599) {
		seterr(why, whylen, "its status %lld is not an HTTP status",
		    (long long)code);
		return -1;
	}
	if (item_error(item, r->error, sizeof(r->error), why, whylen) == -1)
		return -1;
	r->status = (int)code;
	r->outcome = es_item_outcome_of(r->status);
	return 0;
}

static void
malformed(struct es_item_result *r, size_t i, const char *why)
{
	r->outcome = ES_ITEM_MALFORMED;
	r->status = 0;
	snprintf(r->error, sizeof(r->error), "bulk response item %zu: %s", i,
	    why);
}

/*
 * The JSON values a response for n documents may hold; past that it is
 * not a bulk response (and would make json-c allocate far more than the
 * body is long).
 */
static size_t
values_max(size_t n)
{
	return n < ((size_t)-1 - 1) / ES_BULK_VALUES_PER_ITEM - 1 ?
	    (n + 1) * ES_BULK_VALUES_PER_ITEM : (size_t)-1;
}

/* A strict reader of the one answer that is read without json-c. */
struct scan {
	const char	*p, *end;
};

static void
scan_space(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* text, after white space; the position moves past it only if it is there. */
static int
scan_literal(struct scan *s, const char *text)
{
	size_t n = strlen(text);

	scan_space(s);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, text, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

/* A JSON integer of 1 to 9 digits, no sign, no leading zero. */
static int
scan_number(struct scan *s, long *v)
{
	const char *start;

	scan_space(s);
	start = s->p;
	*v = 0;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9' &&
	    s->p - start < 9)
		*v = *v * 10 + (*s->p++ - '0');
	return s->p > start && !(*start == '0' && s->p - start > 1) &&
	    (s->p == s->end || *s->p < '0' || *s->p > '9');
}

/* {"create":{"status":2xx}} (or index, update, delete): the status, or 0. */
static int
scan_indexed_item(struct scan *s)
{
	static const char *const actions[] = { "\"create\"", "\"index\"",
	    "\"update\"", "\"delete\"" };
	size_t i, nactions = sizeof(actions) / sizeof(actions[0]);
	long status;

	if (!scan_literal(s, "{"))
		return 0;
	for (i = 0; i < nactions && !scan_literal(s, actions[i]); i++)
		;
	if (i == nactions || !scan_literal(s, ":") || !scan_literal(s, "{") ||
	    !scan_literal(s, "\"status\"") || !scan_literal(s, ":") ||
	    !scan_number(s, &status) || !scan_literal(s, "}") ||
	    !scan_literal(s, "}"))
		return 0;
	return status >= 200 && status < 300 ? (int)status : 0;
}

/*
 * The answer when every document was indexed, as Elasticsearch writes it
 * through ES_BULK_FILTER: {["took":N,]"errors":false,"items":[{"create":
 * {"status":201}},...]}, n items and nothing after.  It is most answers,
 * and json-c would cost about a microsecond per item, so it is read here:
 * 1 when the body is exactly that (results filled), 0 for anything else,
 * which is then parsed in full.
 */
static int
all_indexed(const char *body, size_t len, size_t n,
    struct es_item_result *results)
{
	struct scan s = { body, body + len };
	long took;
	size_t i;
	int status;

	if (!scan_literal(&s, "{"))
		return 0;
	if (scan_literal(&s, "\"took\"") && (!scan_literal(&s, ":") ||
	    !scan_number(&s, &took) || !scan_literal(&s, ",")))
		return 0;
	if (!scan_literal(&s, "\"errors\"") || !scan_literal(&s, ":") ||
	    !scan_literal(&s, "false") || !scan_literal(&s, ",") ||
	    !scan_literal(&s, "\"items\"") || !scan_literal(&s, ":") ||
	    !scan_literal(&s, "["))
		return 0;
	for (i = 0; i < n; i++) {
		if ((i > 0 && !scan_literal(&s, ",")) ||
		    (status = scan_indexed_item(&s)) == 0)
			return 0;
		results[i].outcome = ES_ITEM_DONE;
		results[i].status = status;
		results[i].error[0] = '\0';
	}
	if (!scan_literal(&s, "]") || !scan_literal(&s, "}"))
		return 0;
	scan_space(&s);
	return s.p == s.end;
}

int
es_bulk_parse(const char *response, size_t len, size_t n,
    struct es_item_result *results, char *err, size_t errlen)
{
	json_object *root, *errors, *items;
	char why[192];
	size_t i;
	int rc = -1;

	if (all_indexed(response, len, n, results))
		return 0;
	if (es_json_parse(response, len, values_max(n), &root, why,
	    sizeof(why)) == -1) {
		seterr(err, errlen, "the bulk response is not what "
		    "Elasticsearch sends: %s", why);
		return -1;
	}
	why[0] = '\0';
	if (!json_object_is_type(root, json_type_object))
		seterr(why, sizeof(why), "it is %s, not an object",
		    es_json_type_name(root));
	else switch (es_json_get(root, "errors", json_type_boolean, &errors)) {
	case 0:
		seterr(why, sizeof(why), "it has no \"errors\"");
		break;
	case -1:
		seterr(why, sizeof(why), "its \"errors\" is %s, not a boolean",
		    es_json_type_name(errors));
		break;
	}
	if (why[0] != '\0') {
		seterr(err, errlen, "the bulk response is not what "
		    "Elasticsearch sends: %s", why);
		goto out;
	}
	if (es_json_get(root, "items", json_type_array, &items) != 1 ||
	    json_object_array_length(items) != n) {
		seterr(err, errlen, "the bulk response does not have one item "
		    "per document (%zu sent, %zu items)", n, items != NULL &&
		    json_object_is_type(items, json_type_array) ?
		    json_object_array_length(items) : 0);
		goto out;
	}
	/* Whatever errors says: each item decides for its document. */
	for (i = 0; i < n; i++)
		if (read_item(json_object_array_get_idx(items, i),
		    &results[i], why, sizeof(why)) == -1)
			malformed(&results[i], i, why);
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

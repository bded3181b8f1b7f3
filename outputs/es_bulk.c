/* Bulk request bodies and responses; see es_bulk.h. */
#include "config.h"

#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/errbuf.h"
#include "es_bulk.h"

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

static void
item_error(json_object *item, char *buf, size_t size)
{
	json_object *error, *type, *reason, *caused;

	buf[0] = '\0';
	if (!json_object_object_get_ex(item, "error", &error))
		return;
	json_object_object_get_ex(error, "type", &type);
	json_object_object_get_ex(error, "reason", &reason);
	if (json_object_object_get_ex(error, "caused_by", &caused) &&
	    !json_object_object_get_ex(caused, "reason", &caused))
		caused = NULL;
	snprintf(buf, size, "%s: %s%s%s",
	    type ? json_object_get_string(type) : "error",
	    reason ? json_object_get_string(reason) : "no reason given",
	    caused ? "; " : "", caused ? json_object_get_string(caused) : "");
}

/* One element of items: {"create": {"status": N, "error": {...}}}. */
static int
read_item(json_object *wrapper, struct es_item_result *r)
{
	json_object *item = NULL, *status;

	json_object_object_foreach(wrapper, op, value) {
		(void)op;
		item = value;
		break;
	}
	if (item == NULL || !json_object_object_get_ex(item, "status",
	    &status))
		return -1;
	r->status = json_object_get_int(status);
	r->outcome = es_item_outcome_of(r->status);
	item_error(item, r->error, sizeof(r->error));
	return 0;
}

static void
all_done(size_t n, struct es_item_result *results)
{
	size_t i;

	for (i = 0; i < n; i++) {
		results[i].outcome = ES_ITEM_DONE;
		results[i].status = 201;
		results[i].error[0] = '\0';
	}
}

int
es_bulk_parse(const char *response, size_t len, size_t n,
    struct es_item_result *results, char *err, size_t errlen)
{
	const char *v, *vend;
	json_object *root, *items;
	size_t i;
	int rc = -1;

	/* The common case, without parsing the items at all. */
	if ((vend = find_member(response, response + len, "errors", &v)) !=
	    NULL && vend - v == 5 && memcmp(v, "false", 5) == 0) {
		all_done(n, results);
		return 0;
	}
	if ((root = json_tokener_parse(response)) == NULL) {
		seterr(err, errlen, "the bulk response is not JSON");
		return -1;
	}
	if (!json_object_object_get_ex(root, "items", &items) ||
	    !json_object_is_type(items, json_type_array) ||
	    json_object_array_length(items) != n) {
		seterr(err, errlen, "the bulk response does not have one item "
		    "per document (%zu sent)", n);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (read_item(json_object_array_get_idx(items, i),
		    &results[i]) == -1) {
			seterr(err, errlen, "bulk response item %zu has no "
			    "status", i);
			goto out;
		}
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

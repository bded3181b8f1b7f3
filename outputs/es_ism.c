/* OpenSearch's Index State Management answers; see es_ism.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../common/errbuf.h"
#include "es_ism.h"

/* An answer that must be one JSON object; -1 with err. */
static int
answer_object(const char *body, size_t len, json_object **root, char *err,
    size_t errlen)
{
	if (es_json_parse(body, len, ES_JSON_VALUES_MAX, root, err, errlen) ==
	    -1)
		return -1;
	if (!json_object_is_type(*root, json_type_object)) {
		seterr(err, errlen, "it is %s, not an object",
		    es_json_type_name(*root));
		json_object_put(*root);
		*root = NULL;
		return -1;
	}
	return 0;
}

/* The integer member key of o, at least min, into *out; -1 with err. */
static int
counter_member(json_object *o, const char *key, int64_t min, int64_t *out,
    char *err, size_t errlen)
{
	json_object *v;

	switch (es_json_get(o, key, json_type_int, &v)) {
	case 0:
		seterr(err, errlen, "it has no %s", key);
		return -1;
	case -1:
		seterr(err, errlen, "its %s is %s, not an integer", key,
		    es_json_type_name(v));
		return -1;
	}
	*out = json_object_get_int64(v);
	if (*out < min) {
		seterr(err, errlen, "its %s is below %lld", key,
		    (long long)min);
		return -1;
	}
	return 0;
}

static int
lower_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return 1;
}

/*
 * "... (digest HEX)" at the end of the n bytes of s: 1 with HEX in out,
 * 0 when s does not end so.  s may hold NUL bytes: only its end counts.
 */
static int
digest_at_end(const char *s, size_t n, char out[ES_DIGEST_LEN + 1])
{
	size_t open = strlen(ES_ISM_DIGEST_OPEN);
	size_t tail = open + ES_DIGEST_LEN + 1;
	const char *p;

	if (n < tail)
		return 0;
	p = s + n - tail;
	if (memcmp(p, ES_ISM_DIGEST_OPEN, open) != 0 ||
	    !lower_hex(p + open, ES_DIGEST_LEN) || s[n - 1] != ')')
		return 0;
	memcpy(out, p + open, ES_DIGEST_LEN);
	out[ES_DIGEST_LEN] = '\0';
	return 1;
}

int
es_ism_policy_state(const char *body, size_t len, struct es_ism_state *st,
    char *err, size_t errlen)
{
	json_object *root, *policy, *description;
	int rc = -1;

	st->digest[0] = '\0';
	st->seq_no = 0;
	st->primary_term = 0;
	if (answer_object(body, len, &root, err, errlen) == -1)
		return -1;
	if (counter_member(root, "_seq_no", 0, &st->seq_no, err, errlen) ==
	    -1 || counter_member(root, "_primary_term", 1, &st->primary_term,
	    err, errlen) == -1)
		goto out;
	switch (es_json_get(root, "policy", json_type_object, &policy)) {
	case 0:
		seterr(err, errlen, "it has no policy");
		goto out;
	case -1:
		seterr(err, errlen, "its policy is %s, not an object",
		    es_json_type_name(policy));
		goto out;
	}
	switch (es_json_get(policy, "description", json_type_string,
	    &description)) {
	case 0:
		rc = 0;
		goto out;
	case -1:
		seterr(err, errlen, "its policy.description is %s, not a "
		    "string", es_json_type_name(description));
		goto out;
	}
	rc = digest_at_end(json_object_get_string(description),
	    (size_t)json_object_get_string_len(description), st->digest);
out:
	json_object_put(root);
	return rc;
}

int
es_ism_policy_written(const char *body, size_t len, char *err,
    size_t errlen)
{
	json_object *root, *v;
	int rc = -1;

	if (answer_object(body, len, &root, err, errlen) == -1)
		return -1;
	if (es_json_get(root, "_id", json_type_string, &v) != 1)
		seterr(err, errlen, "it has no _id string");
	else if (es_json_get(root, "policy", json_type_object, &v) != 1)
		seterr(err, errlen, "it has no policy object");
	else
		rc = 0;
	json_object_put(root);
	return rc;
}

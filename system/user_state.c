/*
 * Keeping the user dataset's state; see user_state.h.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../common/atomic_file.h"
#include "../common/errbuf.h"
#include "../common/json_writer.h"
#include "sys_file.h"
#include "sys_json.h"
#include "user_parse.h"
#include "user_state.h"

#define STATE_FILE_MAX	(128u * 1024 * 1024)

static void
write_user(struct jw *w, const struct sys_user *u)
{
	size_t i;

	jw_object_open(w, NULL);
	sys_json_write_str(w, "name", u->name);
	jw_uint(w, "uid", u->uid);
	jw_uint(w, "gid", u->gid);
	sys_json_write_str(w, "gecos", u->gecos);
	sys_json_write_str(w, "dir", u->dir);
	sys_json_write_str(w, "shell", u->shell);
	if (pw_type_name(u->pw_type) != NULL)
		jw_cstring(w, "pw_type", pw_type_name(u->pw_type));
	jw_int(w, "pw_last_change", u->pw_last_change);
	jw_cstring(w, "pw_digest", u->pw_digest);
	jw_array_open(w, "groups");
	for (i = 0; i < u->ngroups; i++) {
		jw_object_open(w, NULL);
		sys_json_write_str(w, "name", u->groups[i].name);
		jw_uint(w, "gid", u->groups[i].gid);
		jw_object_close(w);
	}
	jw_array_close(w);
	jw_object_close(w);
}

int
user_state_save(const char *path, const struct user_table *t,
    time_t state_sent, char *err, size_t errlen)
{
	struct jw w;
	size_t i;
	int rc = 0;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_int(&w, "version", USER_STATE_VERSION);
	jw_int(&w, "state_sent", (long long)state_sent);
	jw_array_open(&w, "users");
	for (i = 0; i < t->nusers; i++)
		write_user(&w, &t->users[i]);
	jw_array_close(&w);
	jw_array_open(&w, "groups");
	for (i = 0; i < t->ngroups; i++) {
		jw_object_open(&w, NULL);
		sys_json_write_str(&w, "name", t->groups[i].name);
		jw_uint(&w, "gid", t->groups[i].gid);
		sys_json_write_str(&w, "members", t->groups[i].members);
		jw_object_close(&w);
	}
	jw_array_close(&w);
	jw_object_close(&w);
	jw_append(&w, "\n", 1);
	if (jw_failed(&w)) {
		seterr(err, errlen, "%s: out of memory", path);
		rc = -1;
	} else if (atomic_replace(path, jw_data(&w), jw_len(&w), 0600) == -1) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	jw_release(&w);
	return rc;
}

/* Where a bad value is, for the message: "users[3].uid". */
struct where {
	const char	*array;
	size_t		 index;
};

static int
bad(char *err, size_t errlen, const struct where *at, const char *key,
    const char *what)
{
	if (at != NULL)
		seterr(err, errlen, "%s[%zu].%s: %s", at->array, at->index,
		    key, what);
	else
		seterr(err, errlen, "%s: %s", key, what);
	return -1;
}

static int
get_string(json_object *o, const char *key, char **out,
    const struct where *at, char *err, size_t errlen)
{
	json_object *v;
	const char *why;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v))
		return bad(err, errlen, at, key, "missing");
	if (sys_json_read_str(v, out, &why) == -1)
		return bad(err, errlen, at, key, why);
	return 0;
}

static int
get_integer(json_object *o, const char *key, long long min, long long max,
    long long *out, const struct where *at, char *err, size_t errlen)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return bad(err, errlen, at, key, "missing or not an integer");
	errno = 0;
	*out = json_object_get_int64(v);
	if (errno != 0 || *out < min || *out > max)
		return bad(err, errlen, at, key, "out of range");
	return 0;
}

static int
get_id(json_object *o, const char *key, unsigned long *out,
    const struct where *at, char *err, size_t errlen)
{
	long long v;

	if (get_integer(o, key, 0, (long long)USER_ID_MAX, &v, at, err,
	    errlen) == -1)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

static int
get_array(json_object *o, const char *key, json_object **out,
    const struct where *at, char *err, size_t errlen)
{
	if (!json_object_object_get_ex(o, key, out) ||
	    !json_object_is_type(*out, json_type_array))
		return bad(err, errlen, at, key, "missing or not an array");
	if (json_object_array_length(*out) > USER_TABLE_MAX)
		return bad(err, errlen, at, key, "too many entries");
	return 0;
}

static int
load_groups_of(json_object *o, struct sys_user *u, const struct where *at,
    char *err, size_t errlen)
{
	json_object *arr, *g;
	struct where gat = { "groups", 0 };
	size_t i, n;

	if (get_array(o, "groups", &arr, at, err, errlen) == -1)
		return -1;
	n = json_object_array_length(arr);
	if (n > 65536)
		return bad(err, errlen, at, "groups", "too many entries");
	if (n > 0 && (u->groups = calloc(n, sizeof(*u->groups))) == NULL)
		return bad(err, errlen, at, "groups", "out of memory");
	for (i = 0; i < n; i++) {
		gat.index = i;
		g = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(g, json_type_object))
			return bad(err, errlen, at, "groups", "an entry is "
			    "not an object");
		u->ngroups = i + 1;
		if (get_string(g, "name", &u->groups[i].name, &gat, err,
		    errlen) == -1 ||
		    get_id(g, "gid", &u->groups[i].gid, &gat, err, errlen) == -1)
			return -1;
	}
	return 0;
}

static int
load_user(json_object *o, struct sys_user *u, const struct where *at,
    char *err, size_t errlen)
{
	json_object *v;
	long long days;
	char *digest = NULL;
	size_t i;

	u->pw_last_change = -1;
	if (!json_object_is_type(o, json_type_object))
		return bad(err, errlen, at, "", "not an object");
	if (get_string(o, "name", &u->name, at, err, errlen) == -1 ||
	    get_id(o, "uid", &u->uid, at, err, errlen) == -1 ||
	    get_id(o, "gid", &u->gid, at, err, errlen) == -1 ||
	    get_string(o, "gecos", &u->gecos, at, err, errlen) == -1 ||
	    get_string(o, "dir", &u->dir, at, err, errlen) == -1 ||
	    get_string(o, "shell", &u->shell, at, err, errlen) == -1 ||
	    get_integer(o, "pw_last_change", -1, 1000000, &days, at, err,
	    errlen) == -1 ||
	    get_string(o, "pw_digest", &digest, at, err, errlen) == -1)
		goto fail;
	u->pw_last_change = (long)days;
	if (strlen(digest) != 0 && strlen(digest) != PW_DIGEST_HEX) {
		bad(err, errlen, at, "pw_digest", "not a digest");
		goto fail;
	}
	for (i = 0; digest[i] != '\0'; i++)
		if (strchr("0123456789abcdef", digest[i]) == NULL) {
			bad(err, errlen, at, "pw_digest", "not a digest");
			goto fail;
		}
	memcpy(u->pw_digest, digest, strlen(digest) + 1);
	free(digest);
	digest = NULL;
	u->pw_type = PW_UNKNOWN;
	if (json_object_object_get_ex(o, "pw_type", &v)) {
		if (!json_object_is_type(v, json_type_string) ||
		    (u->pw_type = pw_type_from_name(
		    json_object_get_string(v))) == -1) {
			bad(err, errlen, at, "pw_type", "not a password type");
			goto fail;
		}
	}
	return load_groups_of(o, u, at, err, errlen);
fail:
	free(digest);
	return -1;
}

static int
load_group(json_object *o, struct sys_group *g, const struct where *at,
    char *err, size_t errlen)
{
	if (!json_object_is_type(o, json_type_object))
		return bad(err, errlen, at, "", "not an object");
	if (get_string(o, "name", &g->name, at, err, errlen) == -1 ||
	    get_id(o, "gid", &g->gid, at, err, errlen) == -1 ||
	    get_string(o, "members", &g->members, at, err, errlen) == -1)
		return -1;
	return 0;
}

static int
load_root(json_object *root, struct user_table *t, time_t *state_sent,
    char *err, size_t errlen)
{
	json_object *users, *groups;
	struct where at = { "users", 0 };
	long long v;
	size_t i, n;

	if (!json_object_is_type(root, json_type_object))
		return bad(err, errlen, NULL, "(top)", "not an object");
	if (get_integer(root, "version", 0, INT_MAX, &v, NULL, err,
	    errlen) == -1)
		return -1;
	if (v != USER_STATE_VERSION)
		return bad(err, errlen, NULL, "version", "not one this "
		    "version reads");
	if (get_integer(root, "state_sent", 0, LLONG_MAX, &v, NULL, err,
	    errlen) == -1)
		return -1;
	*state_sent = (time_t)v;
	if (get_array(root, "users", &users, NULL, err, errlen) == -1 ||
	    get_array(root, "groups", &groups, NULL, err, errlen) == -1)
		return -1;
	n = json_object_array_length(users);
	if (n > 0 && (t->users = calloc(n, sizeof(*t->users))) == NULL)
		return bad(err, errlen, NULL, "users", "out of memory");
	for (i = 0; i < n; i++) {
		at.index = i;
		t->nusers = i + 1;
		if (load_user(json_object_array_get_idx(users, i),
		    &t->users[i], &at, err, errlen) == -1)
			return -1;
	}
	at.array = "groups";
	n = json_object_array_length(groups);
	if (n > 0 && (t->groups = calloc(n, sizeof(*t->groups))) == NULL)
		return bad(err, errlen, NULL, "groups", "out of memory");
	for (i = 0; i < n; i++) {
		at.index = i;
		t->ngroups = i + 1;
		if (load_group(json_object_array_get_idx(groups, i),
		    &t->groups[i], &at, err, errlen) == -1)
			return -1;
	}
	user_table_sort(t);
	return 0;
}

int
user_state_parse(const char *text, size_t len, struct user_table *t,
    time_t *state_sent, char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *root;
	int rc;

	memset(t, 0, sizeof(*t));
	*state_sent = 0;
	if (len > INT_MAX - 1)
		return bad(err, errlen, NULL, "(file)", "too large");
	if ((tok = json_tokener_new()) == NULL)
		return bad(err, errlen, NULL, "(file)", "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (root == NULL) {
		seterr(err, errlen, "not JSON (at byte %zu: %s)",
		    json_tokener_get_parse_end(tok),
		    json_tokener_error_desc(json_tokener_get_error(tok)));
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	rc = load_root(root, t, state_sent, err, errlen);
	json_object_put(root);
	if (rc == -1)
		user_table_free(t);
	return rc;
}

int
user_state_load(const char *path, struct user_table *t, time_t *state_sent,
    char *err, size_t errlen)
{
	char *text, inner[256];
	size_t len;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = sys_read_file(path, STATE_FILE_MAX, &text, &len, err,
	    errlen)) != 0)
		return rc;
	rc = user_state_parse(text, len, t, state_sent, inner, sizeof(inner));
	if (rc == -1)
		seterr(err, errlen, "%s: %s", path, inner);
	free(text);
	return rc;
}

/*
 * Keeping the package dataset's state; see pkg_state.h.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../common/atomic_file.h"
#include "../common/errbuf.h"
#include "../common/json_writer.h"
#include "pkg_state.h"
#include "sys_file.h"
#include "sys_json.h"

#define STATE_FILE_MAX	(256u * 1024 * 1024)

/* The optional strings of a package, by key. */
#define FIELD(key, member) { key, offsetof(struct sys_package, member) }
static const struct {
	const char	*key;
	size_t		 offset;
} fields[] = {
	FIELD("name", name), FIELD("version", version),
	FIELD("release", release), FIELD("arch", arch),
	FIELD("summary", summary), FIELD("url", url),
	FIELD("license", license),
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

static char **
field(struct sys_package *p, size_t i)
{
	return (char **)(void *)((char *)p + fields[i].offset);
}

int
pkg_state_save(const char *path, const struct pkg_table *t,
    time_t state_sent, char *err, size_t errlen)
{
	struct jw w;
	size_t i, j;
	int rc = 0;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_int(&w, "version", PKG_STATE_VERSION);
	jw_int(&w, "state_sent", (long long)state_sent);
	jw_array_open(&w, "packages");
	for (i = 0; i < t->n; i++) {
		struct sys_package *p = &t->pkgs[i];

		jw_object_open(&w, NULL);
		for (j = 0; j < NFIELDS; j++)
			if (*field(p, j) != NULL)
				sys_json_write_str(&w, fields[j].key,
				    *field(p, j));
		jw_cstring(&w, "type", p->type);
		jw_uint(&w, "size", p->size);
		jw_int(&w, "installtime", p->installtime);
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

static int
load_package(json_object *o, struct sys_package *p, size_t index, char *err,
    size_t errlen)
{
	json_object *v;
	const char *why;
	long long n;
	size_t i;

	if (!json_object_is_type(o, json_type_object)) {
		seterr(err, errlen, "packages[%zu]: not an object", index);
		return -1;
	}
	for (i = 0; i < NFIELDS; i++) {
		if (!json_object_object_get_ex(o, fields[i].key, &v))
			continue;
		if (sys_json_read_str(v, field(p, i), &why) == -1) {
			seterr(err, errlen, "packages[%zu].%s: %s", index,
			    fields[i].key, why);
			return -1;
		}
	}
	if (p->name == NULL || p->version == NULL) {
		seterr(err, errlen, "packages[%zu]: no name or version", index);
		return -1;
	}
	if (!json_object_object_get_ex(o, "type", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    (p->type = pkg_type_static(json_object_get_string(v))) == NULL) {
		seterr(err, errlen, "packages[%zu].type: not dpkg or rpm",
		    index);
		return -1;
	}
	if (sys_json_get_int(o, "size", 0, LLONG_MAX, &n) == -1) {
		seterr(err, errlen, "packages[%zu].size: missing or out of "
		    "range", index);
		return -1;
	}
	p->size = (unsigned long long)n;
	if (sys_json_get_int(o, "installtime", 0, LLONG_MAX, &p->installtime) == -1) {
		seterr(err, errlen, "packages[%zu].installtime: missing or "
		    "out of range", index);
		return -1;
	}
	return 0;
}

static int
load_root(json_object *root, struct pkg_table *t, time_t *state_sent,
    char *err, size_t errlen)
{
	json_object *arr;
	struct sys_package *p;
	size_t i, count;

	if (sys_json_state_header(root, PKG_STATE_VERSION, "packages", state_sent, &arr, err,
	    errlen) == -1)
		return -1;
	count = json_object_array_length(arr);
	for (i = 0; i < count; i++) {
		if ((p = pkg_table_add(t)) == NULL) {
			seterr(err, errlen, "packages: out of memory, or more "
			    "than %d", PKG_TABLE_MAX);
			return -1;
		}
		if (load_package(json_object_array_get_idx(arr, i), p, i, err,
		    errlen) == -1)
			return -1;
	}
	pkg_table_sort(t);
	return 0;
}

int
pkg_state_parse(const char *text, size_t len, struct pkg_table *t,
    time_t *state_sent, char *err, size_t errlen)
{
	json_object *root;
	int rc;

	memset(t, 0, sizeof(*t));
	*state_sent = 0;
	if ((root = sys_json_parse(text, len, err, errlen)) == NULL)
		return -1;
	rc = load_root(root, t, state_sent, err, errlen);
	json_object_put(root);
	if (rc == -1)
		pkg_table_free(t);
	return rc;
}

int
pkg_state_load(const char *path, struct pkg_table *t, time_t *state_sent,
    char *err, size_t errlen)
{
	char *text, inner[256];
	size_t len;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = sys_read_file(path, STATE_FILE_MAX, &text, &len, err,
	    errlen)) != 0)
		return rc;
	rc = pkg_state_parse(text, len, t, state_sent, inner, sizeof(inner));
	if (rc == -1)
		seterr(err, errlen, "%s: %s", path, inner);
	free(text);
	return rc;
}

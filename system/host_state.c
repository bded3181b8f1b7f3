/*
 * Keeping the host dataset's state; see host_state.h.
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
#include "host_state.h"
#include "sys_file.h"
#include "sys_json.h"

#define STATE_FILE_MAX	(64u * 1024)

/* The kept strings: their keys and where they go in struct host_facts. */
#define FIELD(key, member) { key, offsetof(struct host_facts, member), \
	sizeof(((struct host_facts *)0)->member) }
static const struct {
	const char	*key;
	size_t		 offset, size;
} fields[] = {
	FIELD("hostname", info.hostname),
	FIELD("id", info.id),
	FIELD("architecture", info.architecture),
	FIELD("os_platform", info.os_platform),
	FIELD("os_name", info.os_name),
	FIELD("os_family", info.os_family),
	FIELD("os_version", info.os_version),
	FIELD("kernel", info.kernel),
	FIELD("timezone", tz_name),
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

int
host_state_save(const char *path, const struct host_facts *f,
    time_t state_sent, char *err, size_t errlen)
{
	struct jw w;
	size_t i;
	int rc = 0;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_int(&w, "version", HOST_STATE_VERSION);
	jw_int(&w, "state_sent", (long long)state_sent);
	for (i = 0; i < NFIELDS; i++)
		sys_json_write_str(&w, fields[i].key,
		    (const char *)f + fields[i].offset);
	jw_int(&w, "boottime", f->boottime);
	jw_int(&w, "timezone_offset", f->tz_offset_sec);
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
get_integer(json_object *root, const char *key, long long min, long long max,
    long long *out, char *err, size_t errlen)
{
	json_object *v;

	if (!json_object_object_get_ex(root, key, &v) ||
	    !json_object_is_type(v, json_type_int)) {
		seterr(err, errlen, "%s: missing or not an integer", key);
		return -1;
	}
	errno = 0;
	*out = json_object_get_int64(v);
	if (errno != 0 || *out < min || *out > max) {
		seterr(err, errlen, "%s: out of range", key);
		return -1;
	}
	return 0;
}

static int
load_root(json_object *root, struct host_facts *f, time_t *state_sent,
    char *err, size_t errlen)
{
	json_object *v;
	const char *why;
	char *s;
	long long n;
	size_t i;

	if (!json_object_is_type(root, json_type_object)) {
		seterr(err, errlen, "not an object");
		return -1;
	}
	if (get_integer(root, "version", 0, INT_MAX, &n, err, errlen) == -1)
		return -1;
	if (n != HOST_STATE_VERSION) {
		seterr(err, errlen, "version: not one this version reads");
		return -1;
	}
	if (get_integer(root, "state_sent", 0, LLONG_MAX, &n, err,
	    errlen) == -1)
		return -1;
	*state_sent = (time_t)n;
	for (i = 0; i < NFIELDS; i++) {
		if (!json_object_object_get_ex(root, fields[i].key, &v)) {
			seterr(err, errlen, "%s: missing", fields[i].key);
			return -1;
		}
		if (sys_json_read_str(v, &s, &why) == -1) {
			seterr(err, errlen, "%s: %s", fields[i].key, why);
			return -1;
		}
		if (strlen(s) >= fields[i].size) {
			seterr(err, errlen, "%s: longer than %zu bytes",
			    fields[i].key, fields[i].size - 1);
			free(s);
			return -1;
		}
		memcpy((char *)f + fields[i].offset, s, strlen(s) + 1);
		free(s);
	}
	if (get_integer(root, "boottime", 0, LLONG_MAX, &f->boottime, err,
	    errlen) == -1 ||
	    get_integer(root, "timezone_offset", -86400, 86400, &n, err,
	    errlen) == -1)
		return -1;
	f->tz_offset_sec = (long)n;
	return 0;
}

int
host_state_parse(const char *text, size_t len, struct host_facts *f,
    time_t *state_sent, char *err, size_t errlen)
{
	json_object *root;
	int rc;

	memset(f, 0, sizeof(*f));
	*state_sent = 0;
	if ((root = sys_json_parse(text, len, err, errlen)) == NULL)
		return -1;
	rc = load_root(root, f, state_sent, err, errlen);
	json_object_put(root);
	if (rc == -1)
		memset(f, 0, sizeof(*f));
	return rc;
}

int
host_state_load(const char *path, struct host_facts *f, time_t *state_sent,
    char *err, size_t errlen)
{
	char *text, inner[256];
	size_t len;
	int rc;

	memset(f, 0, sizeof(*f));
	if ((rc = sys_read_file(path, STATE_FILE_MAX, &text, &len, err,
	    errlen)) != 0)
		return rc;
	rc = host_state_parse(text, len, f, state_sent, inner, sizeof(inner));
	if (rc == -1)
		seterr(err, errlen, "%s: %s", path, inner);
	free(text);
	return rc;
}

/*
 * Keeping the login dataset's state; see login_state.h.
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
#include "login_state.h"
#include "sys_file.h"
#include "sys_json.h"

#define STATE_VERSION	1
#define STATE_FILE_MAX	(16u * 1024 * 1024)

void
login_state_free(struct login_state *s)
{
	free(s->files);
	free(s->ttys);
	memset(s, 0, sizeof(*s));
}

int
login_state_save(const char *path, const struct login_state *s, char *err,
    size_t errlen)
{
	struct jw w;
	size_t i;
	int rc = 0;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_int(&w, "version", STATE_VERSION);
	jw_array_open(&w, "files");
	for (i = 0; i < s->nfiles; i++) {
		jw_object_open(&w, NULL);
		jw_uint(&w, "dev", s->files[i].dev);
		jw_uint(&w, "ino", s->files[i].ino);
		jw_uint(&w, "offset", s->files[i].offset);
		jw_object_close(&w);
	}
	jw_array_close(&w);
	jw_array_open(&w, "ttys");
	for (i = 0; i < s->nttys; i++) {
		jw_object_open(&w, NULL);
		sys_json_write_str(&w, "tty", s->ttys[i].tty);
		sys_json_write_str(&w, "user", s->ttys[i].user);
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

/* A non-negative integer; json-c holds up to INT64_MAX. */
static int
get_uint(json_object *o, const char *key, unsigned long long *out)
{
	json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	errno = 0;
	n = json_object_get_int64(v);
	if (errno != 0 || n < 0)
		return -1;
	*out = (unsigned long long)n;
	return 0;
}

/* A string field into a fixed buffer; -1 when missing, bad or too long. */
static int
get_fixed(json_object *o, const char *key, char *dst, size_t size)
{
	json_object *v;
	const char *why;
	char *s;

	if (!json_object_object_get_ex(o, key, &v) ||
	    sys_json_read_str(v, &s, &why) == -1)
		return -1;
	if (strlen(s) >= size) {
		free(s);
		return -1;
	}
	memcpy(dst, s, strlen(s) + 1);
	free(s);
	return 0;
}

static int
get_array(json_object *root, const char *key, size_t max, json_object **out)
{
	return json_object_object_get_ex(root, key, out) &&
	    json_object_is_type(*out, json_type_array) &&
	    json_object_array_length(*out) <= max ? 0 : -1;
}

static int
load_root(json_object *root, struct login_state *s, char *err, size_t errlen)
{
	json_object *files, *ttys, *o;
	unsigned long long v;
	size_t i, n;

	if (!json_object_is_type(root, json_type_object)) {
		seterr(err, errlen, "not an object");
		return -1;
	}
	if (get_uint(root, "version", &v) == -1 || v != STATE_VERSION) {
		seterr(err, errlen, "version: not one this version reads");
		return -1;
	}
	if (get_array(root, "files", LOGIN_FILES_MAX, &files) == -1 ||
	    get_array(root, "ttys", LOGIN_TTYS_MAX, &ttys) == -1) {
		seterr(err, errlen, "files or ttys: missing, not an array, "
		    "or too long");
		return -1;
	}
	n = json_object_array_length(files);
	if (n > 0 && (s->files = calloc(n, sizeof(*s->files))) == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++, s->nfiles++) {
		o = json_object_array_get_idx(files, i);
		if (!json_object_is_type(o, json_type_object) ||
		    get_uint(o, "dev", &s->files[i].dev) == -1 ||
		    get_uint(o, "ino", &s->files[i].ino) == -1 ||
		    get_uint(o, "offset", &s->files[i].offset) == -1) {
			seterr(err, errlen, "files[%zu]: not a file's "
			    "dev, ino and offset", i);
			return -1;
		}
	}
	n = json_object_array_length(ttys);
	if (n > 0 && (s->ttys = calloc(n, sizeof(*s->ttys))) == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++, s->nttys++) {
		o = json_object_array_get_idx(ttys, i);
		if (!json_object_is_type(o, json_type_object) ||
		    get_fixed(o, "tty", s->ttys[i].tty,
		    sizeof(s->ttys[i].tty)) == -1 ||
		    get_fixed(o, "user", s->ttys[i].user,
		    sizeof(s->ttys[i].user)) == -1) {
			seterr(err, errlen, "ttys[%zu]: not a terminal and a "
			    "user of at most 32 bytes", i);
			return -1;
		}
	}
	return 0;
}

int
login_state_parse(const char *text, size_t len, struct login_state *s,
    char *err, size_t errlen)
{
	json_object *root;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((root = sys_json_parse(text, len, err, errlen)) == NULL)
		return -1;
	rc = load_root(root, s, err, errlen);
	json_object_put(root);
	if (rc == -1)
		login_state_free(s);
	return rc;
}

int
login_state_load(const char *path, struct login_state *s, char *err,
    size_t errlen)
{
	char *text, inner[256];
	size_t len;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = sys_read_file(path, STATE_FILE_MAX, &text, &len, err,
	    errlen)) != 0)
		return rc;
	rc = login_state_parse(text, len, s, inner, sizeof(inner));
	if (rc == -1)
		seterr(err, errlen, "%s: %s", path, inner);
	free(text);
	return rc;
}

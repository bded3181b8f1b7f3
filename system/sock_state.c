/*
 * Keeping the socket dataset's state; see sock_state.h.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../common/atomic_file.h"
#include "../common/errbuf.h"
#include "../common/json_writer.h"
#include "sock_state.h"
#include "sys_file.h"
#include "sys_json.h"

#define STATE_VERSION	1
#define STATE_FILE_MAX	(256u * 1024 * 1024)

static void
write_hex(struct jw *w, const char *key, const uint8_t a[16])
{
	static const char hex[] = "0123456789abcdef";
	char text[33];
	int i;

	for (i = 0; i < 16; i++) {
		text[2 * i] = hex[a[i] >> 4];
		text[2 * i + 1] = hex[a[i] & 0xf];
	}
	jw_string(w, key, text, 32);
}

int
sock_state_save(const char *path, const struct sock_table *t,
    time_t state_sent, char *err, size_t errlen)
{
	struct jw w;
	size_t i;
	int rc = 0;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_int(&w, "version", STATE_VERSION);
	jw_int(&w, "state_sent", (long long)state_sent);
	jw_array_open(&w, "sockets");
	for (i = 0; i < t->n; i++) {
		const struct sys_socket *s = &t->socks[i];

		jw_object_open(&w, NULL);
		jw_int(&w, "family", s->family);
		jw_int(&w, "protocol", s->protocol);
		jw_int(&w, "state", s->state);
		write_hex(&w, "local", s->local);
		write_hex(&w, "remote", s->remote);
		jw_int(&w, "lport", s->lport);
		jw_int(&w, "rport", s->rport);
		jw_uint(&w, "inode", s->inode);
		jw_uint(&w, "uid", s->uid);
		jw_int(&w, "direction", s->direction);
		jw_int(&w, "pid", s->pid);
		sys_json_write_str(&w, "comm", s->comm);
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
hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : -1;
}

static int
get_address(json_object *o, const char *key, uint8_t out[16])
{
	json_object *v;
	const char *s;
	int i, hi, lo;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) != 32)
		return -1;
	s = json_object_get_string(v);
	for (i = 0; i < 16; i++) {
		if ((hi = hex_digit(s[2 * i])) == -1 ||
		    (lo = hex_digit(s[2 * i + 1])) == -1)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int
load_socket(json_object *o, struct sys_socket *s, size_t index, char *err,
    size_t errlen)
{
	json_object *v;
	const char *why = "missing or out of range", *key;
	char *comm = NULL;
	long long n;

	if (!json_object_is_type(o, json_type_object)) {
		seterr(err, errlen, "sockets[%zu]: not an object", index);
		return -1;
	}
	if (sys_json_get_int(o, key = "family", 0, 255, &n) == -1 ||
	    (n != AF_INET && n != AF_INET6))
		goto bad;
	s->family = (uint8_t)n;
	if (sys_json_get_int(o, key = "protocol", 0, 255, &n) == -1 ||
	    (n != IPPROTO_TCP && n != IPPROTO_UDP))
		goto bad;
	s->protocol = (uint8_t)n;
	if (sys_json_get_int(o, key = "state", 0, 255, &n) == -1)
		goto bad;
	s->state = (uint8_t)n;
	if (get_address(o, key = "local", s->local) == -1 ||
	    get_address(o, key = "remote", s->remote) == -1) {
		why = "not 32 hex digits";
		goto bad;
	}
	if (sys_json_get_int(o, key = "lport", 0, 65535, &n) == -1)
		goto bad;
	s->lport = (uint16_t)n;
	if (sys_json_get_int(o, key = "rport", 0, 65535, &n) == -1)
		goto bad;
	s->rport = (uint16_t)n;
	if (sys_json_get_int(o, key = "inode", 0, UINT32_MAX, &n) == -1)
		goto bad;
	s->inode = (uint32_t)n;
	if (sys_json_get_int(o, key = "uid", 0, UINT32_MAX, &n) == -1)
		goto bad;
	s->uid = (uint32_t)n;
	if (sys_json_get_int(o, key = "direction", SOCK_DIR_UNKNOWN,
	    SOCK_DIR_LISTENING, &n) == -1)
		goto bad;
	s->direction = (uint8_t)n;
	if (sys_json_get_int(o, key = "pid", -1, INT_MAX, &n) == -1)
		goto bad;
	s->pid = (long)n;
	key = "comm";
	if (!json_object_object_get_ex(o, "comm", &v)) {
		why = "missing";
		goto bad;
	}
	if (sys_json_read_str(v, &comm, &why) == -1)
		goto bad;
	if (strlen(comm) >= sizeof(s->comm)) {
		free(comm);
		why = "too long";
		goto bad;
	}
	memcpy(s->comm, comm, strlen(comm) + 1);
	free(comm);
	return 0;
bad:
	seterr(err, errlen, "sockets[%zu].%s: %s", index, key, why);
	return -1;
}

static int
load_root(json_object *root, struct sock_table *t, time_t *state_sent,
    char *err, size_t errlen)
{
	json_object *arr;
	struct sys_socket *s;
	size_t i, count;

	if (sys_json_state_header(root, STATE_VERSION, "sockets", state_sent, &arr, err,
	    errlen) == -1)
		return -1;
	count = json_object_array_length(arr);
	for (i = 0; i < count; i++) {
		if ((s = sock_table_add(t)) == NULL) {
			seterr(err, errlen, "sockets: out of memory, or more "
			    "than %u", SOCK_MAX);
			return -1;
		}
		if (load_socket(json_object_array_get_idx(arr, i), s, i, err,
		    errlen) == -1)
			return -1;
	}
	sock_table_sort(t);
	return 0;
}

int
sock_state_parse(const char *text, size_t len, struct sock_table *t,
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
		sock_table_free(t);
	return rc;
}

int
sock_state_load(const char *path, struct sock_table *t, time_t *state_sent,
    char *err, size_t errlen)
{
	char *text, inner[256];
	size_t len;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = sys_read_file(path, STATE_FILE_MAX, &text, &len, err,
	    errlen)) != 0)
		return rc;
	rc = sock_state_parse(text, len, t, state_sent, inner, sizeof(inner));
	if (rc == -1)
		seterr(err, errlen, "%s: %s", path, inner);
	free(text);
	return rc;
}

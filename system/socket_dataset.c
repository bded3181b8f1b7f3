/*
 * The socket dataset: the TCP and UDP sockets of both address families
 * (NETLINK_SOCK_DIAG, sock_diag.h), with the process and user holding
 * each, compared with the last look (kept in STATE_DIR/socket.json) and
 * written as Auditbeat's system.socket documents.
 *
 * A socket is its addresses, ports and inode.  Sockets on loopback are
 * left out unless system.socket.include_localhost is set, as Auditbeat
 * does.  Sockets opened and closed between two looks are not seen.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/idcache.h"
#include "../common/log.h"
#include "../common/procfs.h"
#include "sock_diag.h"
#include "sock_owner.h"
#include "sock_state.h"
#include "sys_dataset.h"
#include "sys_file.h"

struct socket_dataset {
	char		 state_path[4096];
	long		 state_period_s;
	int		 include_localhost;
	struct sock_table last;
	int		 have_last;
	time_t		 state_sent;
	struct idcache	 ids;
	struct ratelimit rl;
};

enum sock_action { ACT_EXISTING, ACT_OPENED, ACT_CLOSED };

static const struct {
	const char	*action;
	const char	*type;
	const char	*verb;
} actions[] = {
	[ACT_EXISTING] = { "existing_socket", "info", "OPEN" },
	[ACT_OPENED] = { "socket_opened", "start", "OPENED" },
	[ACT_CLOSED] = { "socket_closed", "end", "CLOSED" },
};

static const char *const directions[] = {
	[SOCK_DIR_UNKNOWN] = "unknown",
	[SOCK_DIR_INBOUND] = "inbound",
	[SOCK_DIR_OUTBOUND] = "outbound",
	[SOCK_DIR_LISTENING] = "listening",
};

static void
address(const struct sys_socket *s, const uint8_t *a, char *out, size_t size)
{
	if (inet_ntop(s->family, a, out, (socklen_t)size) == NULL)
		snprintf(out, size, "?");
}

static void
write_endpoint(struct jw *w, const char *key, const char *ip, uint16_t port)
{
	jw_object_open(w, key);
	jw_cstring(w, "ip", ip);
	jw_int(w, "port", port);
	jw_object_close(w);
}

static void
write_socket_doc(struct socket_dataset *ds, struct sys_doc_writer *dw,
    const struct sys_socket *s, enum sock_action act)
{
	const char *const types[] = { "connection", actions[act].type, NULL };
	char local[INET6_ADDRSTRLEN], remote[INET6_ADDRSTRLEN], what[160];
	char msg[768], ends[200], uid[24], inode[24], eid[17];
	struct sys_event ev = { "socket",
	    act == ACT_EXISTING ? "state" : "event", actions[act].action,
	    "network", types, what, 0, NULL, NULL };
	struct jw *w = sys_doc_jw(dw);
	const char *user, *dir = directions[s->direction];
	int inbound = s->direction == SOCK_DIR_INBOUND;

	address(s, s->local, local, sizeof(local));
	address(s, s->remote, remote, sizeof(remote));
	snprintf(uid, sizeof(uid), "%u", s->uid);
	snprintf(inode, sizeof(inode), "%u", s->inode);
	snprintf(what, sizeof(what), "%s:%u:%s:%u:%u", local, s->lport,
	    remote, s->rport, s->inode);
	user = idcache_user(&ds->ids, s->uid);
	if (s->direction == SOCK_DIR_LISTENING)
		snprintf(ends, sizeof(ends), "%s:%u", local, s->lport);
	else if (inbound)
		snprintf(ends, sizeof(ends), "%s:%u -> %s:%u", remote,
		    s->rport, local, s->lport);
	else
		snprintf(ends, sizeof(ends), "%s:%u -> %s:%u", local,
		    s->lport, remote, s->rport);
	snprintf(msg, sizeof(msg), "%c%s socket (%s) %s by process %.64s "
	    "(PID: %ld) and user %.64s (UID: %u)", dir[0] - 'a' + 'A', dir + 1,
	    ends, actions[act].verb, s->comm, s->pid,
	    user != NULL ? user : "", s->uid);
	sys_doc_begin(dw, &ev, msg);
	jw_object_open(w, "network");
	jw_cstring(w, "direction", dir);
	jw_cstring(w, "transport", s->protocol == IPPROTO_TCP ? "tcp" : "udp");
	jw_cstring(w, "type", s->family == AF_INET ? "ipv4" : "ipv6");
	jw_object_close(w);
	if (s->direction == SOCK_DIR_LISTENING)
		write_endpoint(w, "destination", local, s->lport);
	else {
		write_endpoint(w, "source", inbound ? remote : local,
		    inbound ? s->rport : s->lport);
		write_endpoint(w, "destination", inbound ? local : remote,
		    inbound ? s->lport : s->rport);
	}
	jw_object_open(w, "user");
	jw_cstring(w, "id", uid);
	if (user != NULL)
		jw_cstring(w, "name", user);
	jw_object_close(w);
	if (s->pid > 0) {
		jw_object_open(w, "process");
		jw_int(w, "pid", s->pid);
		if (s->comm[0] != '\0')
			jw_cstring(w, "name", s->comm);
		jw_object_close(w);
	}
	jw_object_open(w, "socket");
	if (dw->host.id[0] != '\0') {
		sys_entity_id(dw->host.id, what, inode, eid);
		if (eid[0] != '\0')
			jw_cstring(w, "entity_id", eid);
	}
	jw_object_close(w);
	if (sys_doc_end(dw) == -1)
		log_ratelimited(&ds->rl, "socket %s: document too large, "
		    "dropped", what);
}

static size_t
report_changes(struct socket_dataset *ds, struct sys_doc_writer *dw,
    const struct sock_table *old, const struct sock_table *cur)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < old->n || j < cur->n) {
		c = i == old->n ? 1 : j == cur->n ? -1 :
		    sock_key_cmp(&old->socks[i], &cur->socks[j]);
		if (c < 0) {
			write_socket_doc(ds, dw, &old->socks[i++], ACT_CLOSED);
			n++;
		} else if (c > 0) {
			write_socket_doc(ds, dw, &cur->socks[j++], ACT_OPENED);
			n++;
		} else {
			i++;
			j++;
		}
	}
	return n;
}

static int
is_loopback(const struct sys_socket *s, const uint8_t *a)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };

	return s->family == AF_INET ? a[0] == 127 :
	    memcmp(a, v6_loopback, 16) == 0;
}

/* Drops loopback sockets (unless asked) and the closed ones (inode 0). */
static void
filter(struct socket_dataset *ds, struct sock_table *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++) {
		const struct sys_socket *s = &t->socks[i];

		if (s->inode == 0 || (!ds->include_localhost &&
		    (is_loopback(s, s->local) || is_loopback(s, s->remote))))
			continue;
		t->socks[n++] = *s;
	}
	t->n = n;
}

/* The process holding each socket; the previous look's, if it had it. */
static void
set_owners(struct sock_table *t, const struct sock_table *last)
{
	struct sock_owners o;
	char comm[sizeof(((struct sys_socket *)0)->comm)];
	size_t i, j = 0;
	ssize_t n;

	if (sock_owners_read("/proc", &o) == -1)
		memset(&o, 0, sizeof(o));
	for (i = 0; i < t->n; i++) {
		struct sys_socket *s = &t->socks[i];
		int c = 1;

		while (j < last->n && (c = sock_key_cmp(&last->socks[j],
		    s)) < 0)
			j++;
		if (j < last->n && c == 0 && last->socks[j].pid > 0) {
			s->pid = last->socks[j].pid;
			memcpy(s->comm, last->socks[j].comm, sizeof(s->comm));
			continue;
		}
		s->pid = sock_owners_find(&o, s->inode);
		s->comm[0] = '\0';
		if (s->pid > 0 && (n = procfs_read("/proc", s->pid, "comm",
		    comm, sizeof(comm))) > 0) {
			comm[strcspn(comm, "\n")] = '\0';
			memcpy(s->comm, comm, sizeof(s->comm));
		}
	}
	sock_owners_free(&o);
}

static void
socket_look(void *arg, struct sys_doc_writer *dw, time_t now)
{
	struct socket_dataset *ds = arg;
	struct sock_table cur;
	char err[512];
	size_t i, changes = 0;
	int state_due;

	if (sock_diag_list(&cur, err, sizeof(err)) == -1) {
		log_ratelimited(&ds->rl, "socket dataset: %s", err);
		return;
	}
	filter(ds, &cur);
	sock_set_directions(&cur);
	set_owners(&cur, &ds->last);
	state_due = !ds->have_last || now < ds->state_sent ||
	    now - ds->state_sent >= ds->state_period_s;
	if (ds->have_last)
		changes = report_changes(ds, dw, &ds->last, &cur);
	if (state_due) {
		for (i = 0; i < cur.n; i++)
			write_socket_doc(ds, dw, &cur.socks[i], ACT_EXISTING);
		ds->state_sent = now;
	}
	sys_doc_flush(dw);
	if ((changes > 0 || state_due) && sock_state_save(ds->state_path,
	    &cur, ds->state_sent, err, sizeof(err)) == -1)
		log_ratelimited(&ds->rl, "socket dataset: state not kept: %s",
		    err);
	sock_table_free(&ds->last);
	ds->last = cur;
	ds->have_last = 1;
}

static void *
socket_open(const struct system_config *cfg, const char *state_dir)
{
	struct socket_dataset *ds;
	char err[512];
	int rc;

	if ((ds = calloc(1, sizeof(*ds))) == NULL) {
		log_warnx("socket dataset: out of memory");
		return NULL;
	}
	ds->rl = (struct ratelimit)RATELIMIT_INIT(300, 5);
	idcache_init(&ds->ids);
	ds->state_period_s = cfg->state_period_ms / 1000;
	ds->include_localhost = cfg->socket_include_localhost;
	if ((size_t)snprintf(ds->state_path, sizeof(ds->state_path),
	    "%s/socket.json", state_dir) >= sizeof(ds->state_path)) {
		log_warnx("socket dataset: %s: path too long", state_dir);
		free(ds);
		return NULL;
	}
	rc = sock_state_load(ds->state_path, &ds->last, &ds->state_sent, err,
	    sizeof(err));
	if (rc == -1)
		log_warnx("socket dataset: kept state not used, the full "
		    "state is sent again: %s", err);
	ds->have_last = rc == 0;
	return ds;
}

static void
socket_close(void *arg)
{
	struct socket_dataset *ds = arg;

	if (ds == NULL)
		return;
	sock_table_free(&ds->last);
	free(ds);
}

const struct sys_dataset_ops socket_dataset_ops = {
	SYS_DATASET_SOCKET, socket_open, socket_look, socket_close,
};

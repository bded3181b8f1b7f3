/*
 * Socket owners and directions; see sock_owner.h.
 */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sock_owner.h"

int
sock_parse_link(const char *target, uint32_t *inode)
{
	unsigned long long v = 0;
	const char *p;

	if (strncmp(target, "socket:[", 8) != 0)
		return -1;
	for (p = target + 8; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	if (p == target + 8 || strcmp(p, "]") != 0)
		return -1;
	*inode = (uint32_t)v;
	return 0;
}

static int
add(struct sock_owners *o, uint32_t inode, long pid)
{
	void *p;
	size_t want;

	if (o->n == o->cap) {
		if (o->cap >= (1u << 22))
			return 0;	/* enough: the rest stay unknown */
		want = o->cap ? o->cap * 2 : 1024;
		if ((p = realloc(o->map, want * sizeof(*o->map))) == NULL)
			return -1;
		o->map = p;
		o->cap = want;
	}
	o->map[o->n].inode = inode;
	o->map[o->n++].pid = pid;
	return 0;
}

static int
read_fds(const char *root, long pid, struct sock_owners *o)
{
	char dir[PATH_MAX], link[PATH_MAX], target[128];
	struct dirent *de;
	uint32_t inode;
	ssize_t n;
	DIR *d;
	int rc = 0;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/%ld/fd", root, pid) >=
	    sizeof(dir) || (d = opendir(dir)) == NULL)
		return 0;	/* gone, or not ours to read */
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || (size_t)snprintf(link,
		    sizeof(link), "%s/%s", dir, de->d_name) >= sizeof(link) ||
		    (n = readlink(link, target, sizeof(target) - 1)) < 0)
			continue;
		target[n] = '\0';
		if (sock_parse_link(target, &inode) == 0)
			rc = add(o, inode, pid);
	}
	closedir(d);
	return rc;
}

static int
inode_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
sock_owners_read(const char *root, struct sock_owners *o)
{
	struct dirent *de;
	char *end;
	long pid;
	DIR *d;
	int rc = 0;

	memset(o, 0, sizeof(*o));
	if ((d = opendir(root)) == NULL)
		return 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &end, 10);
		if (end != de->d_name && *end == '\0' && pid > 0)
			rc = read_fds(root, pid, o);
	}
	closedir(d);
	if (rc == -1) {
		sock_owners_free(o);
		return -1;
	}
	if (o->n > 1)
		qsort(o->map, o->n, sizeof(*o->map), inode_cmp);
	return 0;
}

long
sock_owners_find(const struct sock_owners *o, uint32_t inode)
{
	size_t lo = 0, hi = o->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (o->map[mid].inode == inode) {
			/* A shared socket: the lowest pid, the likely parent. */
			long best = o->map[mid].pid;
			size_t i;

			for (i = mid; i > 0 && o->map[i - 1].inode == inode;
			    i--)
				if (o->map[i - 1].pid < best)
					best = o->map[i - 1].pid;
			for (i = mid + 1; i < o->n && o->map[i].inode == inode;
			    i++)
				if (o->map[i].pid < best)
					best = o->map[i].pid;
			return best;
		}
		if (o->map[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void
sock_owners_free(struct sock_owners *o)
{
	free(o->map);
	memset(o, 0, sizeof(*o));
}

static const uint8_t zero[16];

static int
is_listener_for(const struct sys_socket *l, const struct sys_socket *s)
{
	return l->rport == 0 && l->protocol == s->protocol &&
	    l->lport == s->lport && (memcmp(l->local, s->local, 16) == 0 ||
	    memcmp(l->local, zero, 16) == 0);
}

void
sock_set_directions(struct sock_table *t)
{
	size_t i, j, nl = 0, *listeners;

	for (i = 0; i < t->n; i++)
		if (t->socks[i].rport == 0)
			nl++;
	listeners = nl > 0 ? calloc(nl, sizeof(*listeners)) : NULL;
	for (i = 0, j = 0; i < t->n && listeners != NULL; i++)
		if (t->socks[i].rport == 0)
			listeners[j++] = i;
	for (i = 0; i < t->n; i++) {
		struct sys_socket *s = &t->socks[i];

		if (s->rport == 0) {
			s->direction = SOCK_DIR_LISTENING;
			continue;
		}
		/* Without memory for the list, outbound is the guess. */
		s->direction = SOCK_DIR_OUTBOUND;
		for (j = 0; listeners != NULL && j < nl; j++)
			if (is_listener_for(&t->socks[listeners[j]], s)) {
				s->direction = SOCK_DIR_INBOUND;
				break;
			}
	}
	free(listeners);
}

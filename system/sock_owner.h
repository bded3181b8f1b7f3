/*
 * Which process holds a socket: a map from socket inode to pid, made by
 * reading the /proc/PID/fd links ("socket:[INODE]") of every process, and
 * the direction of a socket from the listening sockets beside it.
 */
#ifndef AUDISP_ECS_SOCK_OWNER_H
#define AUDISP_ECS_SOCK_OWNER_H

#include <stddef.h>
#include <stdint.h>

#include "sock_diag.h"

struct sock_owners {
	struct { uint32_t inode; long pid; } *map;	/* sorted by inode */
	size_t		 n, cap;
};

/* Reads ROOT ("/proc"); 0, or -1 when out of memory (the map is empty). */
int	sock_owners_read(const char *root, struct sock_owners *);
/* The pid holding inode, or -1. */
long	sock_owners_find(const struct sock_owners *, uint32_t inode);
void	sock_owners_free(struct sock_owners *);
/* "socket:[123]" into *inode; 0, or -1 when it is no socket link. */
int	sock_parse_link(const char *target, uint32_t *inode);
/*
 * Sets each socket's direction: no remote port is listening; a local
 * port some listening socket of the same protocol has (on that address or
 * the wildcard) is inbound; anything else outbound.
 */
void	sock_set_directions(struct sock_table *);

#endif

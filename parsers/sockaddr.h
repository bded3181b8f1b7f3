/*
 * The SOCKADDR record's saddr: the hex of a struct sockaddr as the process
 * passed it.  Decoded here into family, address and port, or a unix path.
 */
#ifndef AUDISP_ECS_SOCKADDR_H
#define AUDISP_ECS_SOCKADDR_H

#include <stddef.h>

#define SOCKADDR_PATH_MAX	128

enum sock_family {
	SOCK_FAMILY_NONE,
	SOCK_FAMILY_INET,
	SOCK_FAMILY_INET6,
	SOCK_FAMILY_UNIX,
	SOCK_FAMILY_NETLINK,
	SOCK_FAMILY_OTHER,
};

struct sockaddr_info {
	enum sock_family family;
	unsigned int	 family_number;
	char		 ip[64];	/* INET/INET6: printable address */
	unsigned int	 port;		/* INET/INET6 */
	int		 has_port;
	char		 path[SOCKADDR_PATH_MAX + 2]; /* UNIX; '@' for abstract */
	size_t		 path_len;
};

/* Decode the hex text of saddr; -1 if it is not hex or too short. */
int		 sockaddr_decode(const char *hex, struct sockaddr_info *);
const char	*sockaddr_family_name(const struct sockaddr_info *);

#endif

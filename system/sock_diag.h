/*
 * TCP and UDP sockets of both address families from the kernel's
 * NETLINK_SOCK_DIAG (no kprobes, no /proc/net text).  The answers are
 * read as hostile input: every netlink header and inet_diag_msg is
 * checked against the bytes received before use.
 */
#ifndef AUDISP_ECS_SOCK_DIAG_H
#define AUDISP_ECS_SOCK_DIAG_H

#include <stddef.h>
#include <stdint.h>

#define SOCK_MAX	(1u << 20)	/* sockets in one look at most */

struct sys_socket {
	uint8_t		 family;	/* AF_INET, AF_INET6 */
	uint8_t		 protocol;	/* IPPROTO_TCP, IPPROTO_UDP */
	uint8_t		 state;		/* TCP state (7 for UDP unbound) */
	uint8_t		 local[16], remote[16];	/* network order */
	uint16_t	 lport, rport;	/* host order */
	uint32_t	 inode, uid;
	/* Filled by the socket dataset, not by sock_diag: */
	uint8_t		 direction;	/* enum sock_direction */
	long		 pid;		/* -1 unknown */
	char		 comm[64];	/* "" unknown */
};

enum sock_direction { SOCK_DIR_UNKNOWN, SOCK_DIR_INBOUND, SOCK_DIR_OUTBOUND,
    SOCK_DIR_LISTENING };

struct sock_table {
	struct sys_socket *socks;
	size_t		 n, cap;
};

/*
 * Adds the sockets of len bytes of netlink answer (for the request of
 * family and protocol) to t.  1 when the answer is complete (NLMSG_DONE
 * seen), 0 when more is to come, -1 with err (an NLMSG_ERROR, a message
 * that does not fit, memory).
 */
int	sock_diag_parse(const void *buf, size_t len, uint8_t protocol,
	    struct sock_table *t, char *err, size_t errlen);
/* Asks the kernel for every TCP and UDP socket; 0, or -1 with err. */
int	sock_diag_list(struct sock_table *t, char *err, size_t errlen);
/* Appends a zeroed entry; NULL when out of memory or SOCK_MAX. */
struct sys_socket *sock_table_add(struct sock_table *);
void	sock_table_sort(struct sock_table *);
void	sock_table_free(struct sock_table *);
/* The same socket (family, protocol, addresses, ports, inode): 0. */
int	sock_key_cmp(const struct sys_socket *, const struct sys_socket *);

#endif

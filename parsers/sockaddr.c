/* Decoding of SOCKADDR saddr values; see sockaddr.h. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "audit_value.h"
#include "sockaddr.h"

/* sockaddr_un, the largest one we decode, is 110 bytes. */
#define SADDR_MAX	128

static void
decode_inet(const unsigned char *b, size_t n, struct sockaddr_info *si)
{
	if (n < 8)
		return;
	si->family = SOCK_FAMILY_INET;
	si->port = (unsigned int)(b[2] << 8 | b[3]);
	si->has_port = 1;
	inet_ntop(AF_INET, b + 4, si->ip, sizeof(si->ip));
}

static void
decode_inet6(const unsigned char *b, size_t n, struct sockaddr_info *si)
{
	if (n < 24)
		return;
	si->family = SOCK_FAMILY_INET6;
	si->port = (unsigned int)(b[2] << 8 | b[3]);
	si->has_port = 1;
	inet_ntop(AF_INET6, b + 8, si->ip, sizeof(si->ip));
}

static void
decode_unix(const unsigned char *b, size_t n, struct sockaddr_info *si)
{
	const unsigned char *p = b + 2;
	size_t len = n > 2 ? n - 2 : 0;

	si->family = SOCK_FAMILY_UNIX;
	if (len > SOCKADDR_PATH_MAX)
		len = SOCKADDR_PATH_MAX;
	if (len > 0 && p[0] == '\0') {
		/* Abstract socket: shown with a leading '@', as ss(8) does. */
		si->path[0] = '@';
		memcpy(si->path + 1, p + 1, len - 1);
		si->path_len = len;
		while (si->path_len > 1 && si->path[si->path_len - 1] == '\0')
			si->path_len--;
	} else {
		memcpy(si->path, p, len);
		si->path_len = strnlen(si->path, len);
	}
	si->path[si->path_len] = '\0';
}

int
sockaddr_decode(const char *hex, struct sockaddr_info *si)
{
	unsigned char b[SADDR_MAX];
	size_t len = strlen(hex), n;
	unsigned short family;

	memset(si, 0, sizeof(*si));
	if (len < 4 || !is_hex_string(hex, len))
		return -1;
	if (len > 2 * SADDR_MAX)
		len = 2 * SADDR_MAX;
	n = len / 2;
	hex_decode(hex, len, b);
	/* sa_family is in host byte order; audit records come from this host. */
	memcpy(&family, b, sizeof(family));
	si->family_number = family;
	switch (si->family_number) {
	case AF_INET:
		decode_inet(b, n, si);
		break;
	case AF_INET6:
		decode_inet6(b, n, si);
		break;
	case AF_UNIX:
		decode_unix(b, n, si);
		break;
	case AF_NETLINK:
		si->family = SOCK_FAMILY_NETLINK;
		break;
	default:
		si->family = SOCK_FAMILY_OTHER;
		break;
	}
	return 0;
}

const char *
sockaddr_family_name(const struct sockaddr_info *si)
{
	switch (si->family) {
	case SOCK_FAMILY_INET:		return "ipv4";
	case SOCK_FAMILY_INET6:		return "ipv6";
	case SOCK_FAMILY_UNIX:		return "unix";
	case SOCK_FAMILY_NETLINK:	return "netlink";
	case SOCK_FAMILY_OTHER:		return "other";
	default:			return NULL;
	}
}

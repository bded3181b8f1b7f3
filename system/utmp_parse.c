/*
 * Parsing utmp records; see utmp_parse.h.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <utmp.h>

#include "utmp_parse.h"

size_t
utmp_record_size(void)
{
	return sizeof(struct utmp);
}

/* A fixed field, up to its first NUL, as a C string. */
static void
field(char *dst, size_t dstsize, const char *src, size_t n)
{
	const char *nul = memchr(src, '\0', n);
	size_t len = nul != NULL ? (size_t)(nul - src) : n;

	if (len >= dstsize)
		len = dstsize - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* ut_addr_v6: IPv4 in the first word, or all four for IPv6. */
static void
address(const struct utmp *u, char *out, size_t size)
{
	static const int32_t zero[4];
	unsigned char b[16];

	out[0] = '\0';
	if (memcmp(u->ut_addr_v6, zero, sizeof(zero)) == 0)
		return;
	memcpy(b, u->ut_addr_v6, sizeof(b));
	if (u->ut_addr_v6[1] == 0 && u->ut_addr_v6[2] == 0 &&
	    u->ut_addr_v6[3] == 0)
		inet_ntop(AF_INET, b, out, (socklen_t)size);
	else
		inet_ntop(AF_INET6, b, out, (socklen_t)size);
}

int
utmp_parse(const void *rec, struct login_record *r)
{
	struct utmp u;

	memcpy(&u, rec, sizeof(u));
	memset(r, 0, sizeof(*r));
	if (u.ut_type < EMPTY || u.ut_type > ACCOUNTING || u.ut_pid < 0 ||
	    u.ut_tv.tv_sec < 0 || u.ut_tv.tv_usec < 0 ||
	    u.ut_tv.tv_usec >= 1000000)
		return -1;
	r->pid = u.ut_pid > 0 ? u.ut_pid : -1;
	r->at_us = (long long)u.ut_tv.tv_sec * 1000000 + u.ut_tv.tv_usec;
	field(r->tty, sizeof(r->tty), u.ut_line, sizeof(u.ut_line));
	field(r->user, sizeof(r->user), u.ut_user, sizeof(u.ut_user));
	field(r->host, sizeof(r->host), u.ut_host, sizeof(u.ut_host));
	address(&u, r->ip, sizeof(r->ip));
	switch (u.ut_type) {
	case BOOT_TIME:
		r->kind = LOGIN_BOOT;
		break;
	case RUN_LVL:
		/* shutdown(8) writes a runlevel record named "shutdown". */
		r->kind = strcmp(r->user, "shutdown") == 0 ? LOGIN_SHUTDOWN :
		    LOGIN_NONE;
		break;
	case USER_PROCESS:
	case LOGIN_PROCESS:
		r->kind = r->user[0] != '\0' ? LOGIN_USER : LOGIN_NONE;
		break;
	case DEAD_PROCESS:
		r->kind = r->tty[0] != '\0' ? LOGIN_LOGOUT : LOGIN_NONE;
		break;
	default:
		r->kind = LOGIN_NONE;
	}
	return 0;
}

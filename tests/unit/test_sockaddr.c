/*
 * Unit tests for SOCKADDR saddr decoding (parsers/sockaddr.h).
 *
 * sa_family is in the host's byte order: these values are what an x86-64
 * (little-endian) kernel writes, so AF_INET is "0200", not "0002".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "parsers/sockaddr.h"
#include "helpers.h"

/*
 * A saddr and everything decoded from it.  sockaddr_decode clears what
 * a family does not have: no address and port for UNIX, no path for the
 * others.
 */
struct decode_case {
	const char	*name;
	const char	*hex;
	enum sock_family family;
	unsigned int	 family_number;
	const char	*ip;
	int		 has_port;
	unsigned int	 port;
	const char	*path;
	size_t		 path_len;
	const char	*family_name;
};

static const struct decode_case decode_cases[] = {
	{ "inet address and port", "02000050C0A800010000000000000000",
	    SOCK_FAMILY_INET, AF_INET, "192.168.0.1", 1, 80, "", 0, "ipv4" },
	/* connect() to 127.0.0.1 port 9 (discard), from diverse.log. */
	{ "inet from the corpus", "020000097F0000010000000000000000",
	    SOCK_FAMILY_INET, AF_INET, "127.0.0.1", 1, 9, "", 0, "ipv4" },
	{ "inet high port", "0200FFFE0A0000FE0000000000000000",
	    SOCK_FAMILY_INET, AF_INET, "10.0.0.254", 1, 65534, "", 0,
	    "ipv4" },
	{ "inet6 loopback", "0A0001BB00000000"
	    "00000000000000000000000000000001" "00000000",
	    SOCK_FAMILY_INET6, AF_INET6, "::1", 1, 443, "", 0, "ipv6" },
	{ "inet6 full address", "0A001F9000000000"
	    "20010DB8000000000000000000000005" "00000000",
	    SOCK_FAMILY_INET6, AF_INET6, "2001:db8::5", 1, 8080, "", 0,
	    "ipv6" },
	{ "inet6 mapped ipv4", "0A00003500000000"
	    "00000000000000000000FFFFC0A80001" "00000000",
	    SOCK_FAMILY_INET6, AF_INET6, "::ffff:192.168.0.1", 1, 53, "", 0,
	    "ipv6" },
	/* Too short for the address: only the family number is known. */
	{ "inet too short has no address", "02000050C0A8",
	    SOCK_FAMILY_NONE, AF_INET, "", 0, 0, "", 0, NULL },
	/* "/dev/log" padded with NULs, as in diverse.log. */
	{ "unix path", "01002F6465762F6C6F6700000000000000"
	    "0000000000000000000000",
	    SOCK_FAMILY_UNIX, AF_UNIX, "", 0, 0, "/dev/log", 8, "unix" },
	/* "/var/run/nscd/socket", NUL, then stack garbage (diverse.log). */
	{ "unix path stops at the NUL before junk",
	    "01002F7661722F72756E2F6E7363642F736F"
	    "636B65740065F047C3AAFF7F0000E1F44D73BA5500000048C3AAFF7F",
	    SOCK_FAMILY_UNIX, AF_UNIX, "", 0, 0, "/var/run/nscd/socket", 20,
	    "unix" },
	/* addrlen cut exactly after the name: no terminating NUL. */
	{ "unix path without NUL", "01002F746D702F73",
	    SOCK_FAMILY_UNIX, AF_UNIX, "", 0, 0, "/tmp/s", 6, "unix" },
	{ "unix abstract name", "0100006E616D65",
	    SOCK_FAMILY_UNIX, AF_UNIX, "", 0, 0, "@name", 5, "unix" },
	{ "unix abstract name, trailing NULs dropped", "010000782F790000000000",
	    SOCK_FAMILY_UNIX, AF_UNIX, "", 0, 0, "@x/y", 4, "unix" },
	{ "unix unnamed", "0100",
	    SOCK_FAMILY_UNIX, AF_UNIX, "", 0, 0, "", 0, "unix" },
	/* The most frequent saddr in diverse.log. */
	{ "netlink", "100000000000000000000000",
	    SOCK_FAMILY_NETLINK, AF_NETLINK, "", 0, 0, "", 0, "netlink" },
	/* AF_PACKET (17). */
	{ "other family", "1100030000000000",
	    SOCK_FAMILY_OTHER, 17, "", 0, 0, "", 0, "other" },
};

static void
test_decode(void **state)
{
	const struct decode_case *c = *state;
	struct sockaddr_info si;

	assert_int_equal(sockaddr_decode(c->hex, &si), 0);
	assert_int_equal(si.family, c->family);
	assert_int_equal(si.family_number, c->family_number);
	assert_string_equal(si.ip, c->ip);
	assert_int_equal(si.has_port, c->has_port);
	assert_int_equal(si.port, c->port);
	assert_string_equal(si.path, c->path);
	assert_int_equal(si.path_len, c->path_len);
	if (c->family_name == NULL)
		assert_null(sockaddr_family_name(&si));
	else
		assert_string_equal(sockaddr_family_name(&si),
		    c->family_name);
}

static void
test_unix_path_capped(void **state)
{
	struct sockaddr_info si;
	char hex[4 + 2 * 200 + 1];
	size_t i;

	/*
	 * 200 bytes of 'a' and no NUL.  The kernel copies at most a
	 * sockaddr_storage (128 bytes) into the record, 2 of them the
	 * family: longer input is cut there, leaving 126 bytes of path.
	 */
	memcpy(hex, "0100", 4);
	for (i = 0; i < 200; i++)
		memcpy(hex + 4 + 2 * i, "61", 2);
	hex[sizeof(hex) - 1] = '\0';
	assert_int_equal(sockaddr_decode(hex, &si), 0);
	assert_int_equal(si.path_len, 126);
	assert_int_equal(strlen(si.path), 126);
	assert_true(si.path_len <= SOCKADDR_PATH_MAX);
}

static void
test_garbage_rejected(void **state)
{
	struct sockaddr_info si;

	assert_int_equal(sockaddr_decode("", &si), -1);
	assert_int_equal(sockaddr_decode("02", &si), -1);
	assert_int_equal(sockaddr_decode("020", &si), -1);
	assert_int_equal(sockaddr_decode("0200005", &si), -1);
	assert_int_equal(sockaddr_decode("zz00", &si), -1);
	assert_int_equal(sockaddr_decode("02000050C0A8000G", &si), -1);
	assert_int_equal(sockaddr_decode("\"/dev/log\"", &si), -1);
	assert_int_equal(si.family, SOCK_FAMILY_NONE);
	assert_null(sockaddr_family_name(&si));
}

int
main(void)
{
#define T(fn)	cmocka_unit_test(fn)
	const struct CMUnitTest tests[] = {
		CASES(test_decode, decode_cases),
		T(test_unix_path_capped),
		T(test_garbage_rejected),
	};
#undef T
	const uint16_t one = 1;

	/* The hex above is little-endian; 77 tells automake "skipped". */
	if (*(const unsigned char *)&one != 1)
		return 77;
	return run_group(tests, NULL, NULL);
}

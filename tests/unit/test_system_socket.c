/*
 * Unit tests for the socket dataset's readers (system/sock_diag.c,
 * sock_owner.c, sock_state.c): netlink answers good and hostile (short,
 * overlong, errors, unknown families, several messages in one read),
 * "socket:[N]" links, directions from listeners, and the kept state
 * written, read back and refused when hostile.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "system/sock_diag.h"
#include "system/sock_owner.h"
#include "system/sock_state.h"
#include "tests/unit/helpers.h"

/* Appends one SOCK_DIAG_BY_FAMILY message to buf at *off. */
static void
put_diag(unsigned char *buf, size_t *off, uint8_t family, const char *src,
    uint16_t sport, const char *dst, uint16_t dport, uint32_t inode)
{
	struct nlmsghdr h = { 0 };
	struct inet_diag_msg m;

	memset(&m, 0, sizeof(m));
	h.nlmsg_len = NLMSG_LENGTH(sizeof(m));
	h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	m.idiag_family = family;
	m.idiag_state = 1;
	m.id.idiag_sport = htons(sport);
	m.id.idiag_dport = htons(dport);
	if (family == AF_INET || family == AF_INET6) {
		assert_int_equal(inet_pton(family, src, m.id.idiag_src), 1);
		assert_int_equal(inet_pton(family, dst, m.id.idiag_dst), 1);
	}
	m.idiag_inode = inode;
	m.idiag_uid = 1000;
	memcpy(buf + *off, &h, sizeof(h));
	memcpy(buf + *off + sizeof(h), &m, sizeof(m));
	*off += NLMSG_ALIGN(h.nlmsg_len);
}

static void
put_done(unsigned char *buf, size_t *off)
{
	struct nlmsghdr h = { 0 };

	h.nlmsg_len = NLMSG_LENGTH(4);
	h.nlmsg_type = NLMSG_DONE;
	memcpy(buf + *off, &h, sizeof(h));
	memset(buf + *off + sizeof(h), 0, 4);
	*off += NLMSG_ALIGN(h.nlmsg_len);
}

static void
test_parse(void **state)
{
	unsigned char buf[1024];
	struct sock_table t = { NULL, 0, 0 };
	char err[128];
	size_t off = 0;

	(void)state;
	put_diag(buf, &off, AF_INET, "10.0.0.1", 22, "10.0.0.2", 5000, 7);
	put_diag(buf, &off, AF_INET6, "::1", 53, "::", 0, 8);
	put_diag(buf, &off, AF_UNIX, "", 0, "", 0, 9);	/* skipped */
	assert_int_equal(sock_diag_parse(buf, off, IPPROTO_TCP, &t, err,
	    sizeof(err)), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.socks[0].lport, 22);
	assert_int_equal(t.socks[0].rport, 5000);
	assert_int_equal(t.socks[0].inode, 7);
	assert_int_equal(t.socks[0].uid, 1000);
	assert_int_equal(t.socks[0].local[0], 10);
	assert_int_equal(t.socks[1].family, AF_INET6);
	assert_int_equal(t.socks[1].local[15], 1);
	put_done(buf, &off);
	sock_table_free(&t);
	assert_int_equal(sock_diag_parse(buf, off, IPPROTO_UDP, &t, err,
	    sizeof(err)), 1);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.socks[0].protocol, IPPROTO_UDP);
	sock_table_free(&t);
}

static void
test_hostile(void **state)
{
	unsigned char buf[1024];
	struct sock_table t = { NULL, 0, 0 };
	struct nlmsghdr h = { 0 };
	struct nlmsgerr e;
	char err[128];
	size_t off = 0;

	(void)state;
	/* Longer than what came. */
	put_diag(buf, &off, AF_INET, "1.2.3.4", 1, "5.6.7.8", 2, 3);
	assert_int_equal(sock_diag_parse(buf, off - 1, IPPROTO_TCP, &t, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "a message of"));
	sock_table_free(&t);
	/* Shorter than its header. */
	h.nlmsg_len = 4;
	h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(sock_diag_parse(buf, sizeof(h), IPPROTO_TCP, &t, err,
	    sizeof(err)), -1);
	/* Too short for an inet_diag_msg. */
	h.nlmsg_len = sizeof(h) + 4;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(sock_diag_parse(buf, sizeof(h) + 4, IPPROTO_TCP, &t,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "short inet_diag_msg"));
	/* An error from the kernel. */
	h.nlmsg_len = sizeof(h) + sizeof(e);
	h.nlmsg_type = NLMSG_ERROR;
	memset(&e, 0, sizeof(e));
	e.error = -EPERM;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &e, sizeof(e));
	assert_int_equal(sock_diag_parse(buf, sizeof(h) + sizeof(e),
	    IPPROTO_TCP, &t, err, sizeof(err)), -1);
	assert_string_equal(err, "sock_diag: Operation not permitted");
	h.nlmsg_len = sizeof(h);
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(sock_diag_parse(buf, sizeof(h), IPPROTO_TCP, &t,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "sock_diag: a short error");
	/* Fewer bytes than a header: nothing, more to come. */
	assert_int_equal(sock_diag_parse(buf, 3, IPPROTO_TCP, &t, err,
	    sizeof(err)), 0);
	assert_int_equal(t.n, 0);
}

static void
test_links(void **state)
{
	uint32_t inode;

	(void)state;
	assert_int_equal(sock_parse_link("socket:[12345]", &inode), 0);
	assert_int_equal(inode, 12345);
	assert_int_equal(sock_parse_link("socket:[4294967295]", &inode), 0);
	assert_int_equal(sock_parse_link("socket:[4294967296]", &inode), -1);
	assert_int_equal(sock_parse_link("socket:[]", &inode), -1);
	assert_int_equal(sock_parse_link("socket:[12", &inode), -1);
	assert_int_equal(sock_parse_link("socket:[1]x", &inode), -1);
	assert_int_equal(sock_parse_link("pipe:[12]", &inode), -1);
	assert_int_equal(sock_parse_link("/dev/null", &inode), -1);
}

static struct sys_socket *
add(struct sock_table *t, uint8_t proto, const char *l, uint16_t lp,
    const char *r, uint16_t rp)
{
	struct sys_socket *s = sock_table_add(t);

	assert_non_null(s);
	s->family = AF_INET;
	s->protocol = proto;
	assert_int_equal(inet_pton(AF_INET, l, s->local), 1);
	assert_int_equal(inet_pton(AF_INET, r, s->remote), 1);
	s->lport = lp;
	s->rport = rp;
	return s;
}

static void
test_directions(void **state)
{
	struct sock_table t = { NULL, 0, 0 };

	(void)state;
	add(&t, IPPROTO_TCP, "0.0.0.0", 22, "0.0.0.0", 0);
	add(&t, IPPROTO_TCP, "10.0.0.1", 22, "10.0.0.9", 40000);
	add(&t, IPPROTO_TCP, "10.0.0.1", 40001, "10.0.0.9", 443);
	add(&t, IPPROTO_UDP, "10.0.0.1", 22, "10.0.0.9", 5);
	add(&t, IPPROTO_TCP, "127.0.0.1", 8080, "0.0.0.0", 0);
	add(&t, IPPROTO_TCP, "10.0.0.1", 8080, "10.0.0.9", 7);
	sock_set_directions(&t);
	assert_int_equal(t.socks[0].direction, SOCK_DIR_LISTENING);
	assert_int_equal(t.socks[1].direction, SOCK_DIR_INBOUND);
	assert_int_equal(t.socks[2].direction, SOCK_DIR_OUTBOUND);
	/* Another protocol's listener does not count. */
	assert_int_equal(t.socks[3].direction, SOCK_DIR_OUTBOUND);
	/* A listener on another address does not either. */
	assert_int_equal(t.socks[5].direction, SOCK_DIR_OUTBOUND);
	sock_table_free(&t);
}

static void
test_state_round_trip(void **state)
{
	char dir[] = "/tmp/test_system_socket.XXXXXX", path[64], err[256];
	struct sock_table t = { NULL, 0, 0 }, back;
	struct sys_socket *s;
	time_t sent;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/socket.json", dir);
	s = add(&t, IPPROTO_TCP, "10.0.0.1", 22, "10.0.0.9", 40000);
	s->inode = 99;
	s->uid = 7;
	s->pid = 1234;
	s->direction = SOCK_DIR_INBOUND;
	snprintf(s->comm, sizeof(s->comm), "ssh\xff");
	assert_int_equal(sock_state_save(path, &t, 5, err, sizeof(err)), 0);
	assert_int_equal(sock_state_load(path, &back, &sent, err,
	    sizeof(err)), 0);
	assert_int_equal(back.n, 1);
	assert_int_equal(sock_key_cmp(&t.socks[0], &back.socks[0]), 0);
	assert_int_equal(back.socks[0].pid, 1234);
	assert_int_equal(back.socks[0].direction, SOCK_DIR_INBOUND);
	assert_string_equal(back.socks[0].comm, "ssh\xff");
	sock_table_free(&t);
	sock_table_free(&back);
	unlink(path);
	rmdir(dir);
}

#define SOCK(fields) "{\"version\":1,\"state_sent\":1,\"sockets\":[{" \
	fields "}]}"
#define ADDRS "\"local\":\"0a000001000000000000000000000000\"," \
	"\"remote\":\"0a000009000000000000000000000000\""
#define GOOD "\"family\":2,\"protocol\":6,\"state\":1," ADDRS \
	",\"lport\":1,\"rport\":2,\"inode\":3,\"uid\":4,\"direction\":1," \
	"\"pid\":-1,\"comm\":\"\""

static const struct state_case {
	const char	*name;
	const char	*text;
	const char	*err;
} state_cases[] = {
	{ "good", SOCK(GOOD), NULL },
	{ "not json", "nope", "not JSON" },
	{ "version", "{\"version\":9}", "version: not one this version reads" },
	{ "family", SOCK("\"family\":1"), "sockets[0].family:" },
	{ "protocol", SOCK("\"family\":2,\"protocol\":1"),
	    "sockets[0].protocol:" },
	{ "address short", SOCK("\"family\":2,\"protocol\":6,\"state\":1,"
	    "\"local\":\"0a\""), "sockets[0].local: not 32 hex digits" },
	{ "address upper", SOCK("\"family\":2,\"protocol\":6,\"state\":1,"
	    "\"local\":\"0A000001000000000000000000000000\""),
	    "sockets[0].local: not 32 hex digits" },
	{ "port", SOCK("\"family\":2,\"protocol\":6,\"state\":1," ADDRS
	    ",\"lport\":65536"), "sockets[0].lport:" },
	{ "direction", SOCK("\"family\":2,\"protocol\":6,\"state\":1," ADDRS
	    ",\"lport\":1,\"rport\":2,\"inode\":3,\"uid\":4,"
	    "\"direction\":9"), "sockets[0].direction:" },
	{ "comm long", SOCK("\"family\":2,\"protocol\":6,\"state\":1," ADDRS
	    ",\"lport\":1,\"rport\":2,\"inode\":3,\"uid\":4,\"direction\":1,"
	    "\"pid\":1,\"comm\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\""), "sockets[0].comm: too long" },
};

static void
test_state_hostile(void **state)
{
	const struct state_case *c = *state;
	struct sock_table t;
	char err[256] = "";
	time_t sent;
	int rc;

	rc = sock_state_parse(c->text, strlen(c->text), &t, &sent, err,
	    sizeof(err));
	if (c->err == NULL) {
		assert_int_equal(rc, 0);
		assert_int_equal(t.n, 1);
		sock_table_free(&t);
		return;
	}
	assert_int_equal(rc, -1);
	if (strstr(err, c->err) == NULL)
		fail_msg("error \"%s\", want \"%s\"", err, c->err);
	assert_int_equal(t.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_directions),
		cmocka_unit_test(test_state_round_trip),
		CASES(test_state_hostile, state_cases),
	};

	return run_group(tests, NULL, NULL);
}

/*
 * Unit tests for the login dataset's readers (system/utmp_parse.c,
 * login_state.c): utmp records of each kind and hostile ones (type, time
 * and pid out of range, strings filling their whole field), and the kept
 * positions written, read back and refused when hostile.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmp.h>

#include "system/login_state.h"
#include "system/utmp_parse.h"
#include "tests/unit/helpers.h"

static struct utmp
record(short type, const char *user, const char *line, pid_t pid)
{
	struct utmp u;

	memset(&u, 0, sizeof(u));
	u.ut_type = type;
	u.ut_pid = pid;
	strncpy(u.ut_user, user, sizeof(u.ut_user));
	strncpy(u.ut_line, line, sizeof(u.ut_line));
	u.ut_tv.tv_sec = 1700000000;
	u.ut_tv.tv_usec = 250000;
	return u;
}

static void
test_kinds(void **state)
{
	struct login_record r;
	struct utmp u;

	(void)state;
	assert_int_equal(utmp_record_size(), 384);
	u = record(USER_PROCESS, "alice", "pts/1", 42);
	strncpy(u.ut_host, "h.example", sizeof(u.ut_host));
	assert_int_equal(inet_pton(AF_INET, "192.0.2.1", u.ut_addr_v6), 1);
	assert_int_equal(utmp_parse(&u, &r), 0);
	assert_int_equal(r.kind, LOGIN_USER);
	assert_string_equal(r.user, "alice");
	assert_string_equal(r.tty, "pts/1");
	assert_string_equal(r.host, "h.example");
	assert_string_equal(r.ip, "192.0.2.1");
	assert_int_equal(r.pid, 42);
	assert_int_equal(r.at_us, 1700000000250000LL);
	u = record(USER_PROCESS, "bob", "pts/2", 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::5", u.ut_addr_v6), 1);
	assert_int_equal(utmp_parse(&u, &r), 0);
	assert_string_equal(r.ip, "2001:db8::5");
	u = record(DEAD_PROCESS, "", "pts/2", 1);
	assert_int_equal(utmp_parse(&u, &r), 0);
	assert_int_equal(r.kind, LOGIN_LOGOUT);
	u = record(DEAD_PROCESS, "", "", 1);
	assert_int_equal(utmp_parse(&u, &r), 0);
	assert_int_equal(r.kind, LOGIN_NONE);
	u = record(BOOT_TIME, "reboot", "~", 0);
	assert_int_equal(utmp_parse(&u, &r), 0);
	assert_int_equal(r.kind, LOGIN_BOOT);
	assert_int_equal(r.pid, -1);
	u = record(RUN_LVL, "shutdown", "~~", 0);
	assert_int_equal(utmp_parse(&u, &r), 0);
	assert_int_equal(r.kind, LOGIN_SHUTDOWN);
	u = record(RUN_LVL, "runlevel", "~~", 0);
	assert_int_equal(utmp_parse(&u, &r), 0);
	assert_int_equal(r.kind, LOGIN_NONE);
	u = record(INIT_PROCESS, "", "", 5);
	assert_int_equal(utmp_parse(&u, &r), 0);
	assert_int_equal(r.kind, LOGIN_NONE);
}

static void
test_hostile(void **state)
{
	struct login_record r;
	struct utmp u;

	(void)state;
	u = record(99, "x", "y", 1);
	assert_int_equal(utmp_parse(&u, &r), -1);
	u = record(-1, "x", "y", 1);
	assert_int_equal(utmp_parse(&u, &r), -1);
	u = record(USER_PROCESS, "x", "y", -5);
	assert_int_equal(utmp_parse(&u, &r), -1);
	u = record(USER_PROCESS, "x", "y", 1);
	u.ut_tv.tv_sec = -1;
	assert_int_equal(utmp_parse(&u, &r), -1);
	u = record(USER_PROCESS, "x", "y", 1);
	u.ut_tv.tv_usec = 1000000;
	assert_int_equal(utmp_parse(&u, &r), -1);
	/* Fields filled to their end, without a NUL. */
	u = record(USER_PROCESS, "", "", 1);
	memset(u.ut_user, 'u', sizeof(u.ut_user));
	memset(u.ut_line, 'l', sizeof(u.ut_line));
	memset(u.ut_host, 'h', sizeof(u.ut_host));
	assert_int_equal(utmp_parse(&u, &r), 0);
	assert_int_equal(strlen(r.user), 32);
	assert_int_equal(strlen(r.tty), 32);
	assert_int_equal(strlen(r.host), 256);
}

static void
test_state(void **state)
{
	char dir[] = "/tmp/test_system_login.XXXXXX", path[64], err[256];
	struct login_pos files[2] = { { 1, 2, 384 }, { 1, 3, 0 } };
	struct login_tty ttys[1] = { { "pts/\xff", "root" } };
	struct login_state s = { files, 2, ttys, 1 }, back;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/login.json", dir);
	assert_int_equal(login_state_save(path, &s, err, sizeof(err)), 0);
	assert_int_equal(login_state_load(path, &back, err, sizeof(err)), 0);
	assert_int_equal(back.nfiles, 2);
	assert_int_equal(back.files[0].offset, 384);
	assert_int_equal(back.files[1].ino, 3);
	assert_int_equal(back.nttys, 1);
	assert_string_equal(back.ttys[0].tty, "pts/\xff");
	login_state_free(&back);
	unlink(path);
	assert_int_equal(login_state_load(path, &back, err, sizeof(err)), 1);
	rmdir(dir);
}

static const struct state_case {
	const char	*name;
	const char	*text;
	const char	*err;
} state_cases[] = {
	{ "good", "{\"version\":1,\"files\":[{\"dev\":1,\"ino\":2,"
	    "\"offset\":3}],\"ttys\":[]}", NULL },
	{ "not json", "{", "not JSON" },
	{ "version", "{\"version\":2}", "version: not one this version reads" },
	{ "files missing", "{\"version\":1,\"ttys\":[]}", "files or ttys" },
	{ "offset negative", "{\"version\":1,\"files\":[{\"dev\":1,\"ino\":2,"
	    "\"offset\":-3}],\"ttys\":[]}", "files[0]: not a file's" },
	{ "file string", "{\"version\":1,\"files\":[\"x\"],\"ttys\":[]}",
	    "files[0]: not a file's" },
	{ "tty long", "{\"version\":1,\"files\":[],\"ttys\":[{\"tty\":"
	    "\"123456789012345678901234567890123\",\"user\":\"u\"}]}",
	    "ttys[0]: not a terminal" },
	{ "user number", "{\"version\":1,\"files\":[],\"ttys\":[{\"tty\":"
	    "\"t\",\"user\":1}]}", "ttys[0]: not a terminal" },
};

static void
test_state_hostile(void **state)
{
	const struct state_case *c = *state;
	struct login_state s;
	char err[256] = "";
	int rc;

	rc = login_state_parse(c->text, strlen(c->text), &s, err, sizeof(err));
	if (c->err == NULL) {
		assert_int_equal(rc, 0);
		assert_int_equal(s.nfiles, 1);
		login_state_free(&s);
		return;
	}
	assert_int_equal(rc, -1);
	if (strstr(err, c->err) == NULL)
		fail_msg("error \"%s\", want \"%s\"", err, c->err);
	assert_int_equal(s.nfiles, 0);
	assert_null(s.files);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_state),
		CASES(test_state_hostile, state_cases),
	};

	return run_group(tests, NULL, NULL);
}

/*
 * Unit tests for the process dataset's readers (system/proc_scan.c,
 * proc_state.c): /proc/PID/stat lines (names holding spaces and
 * parentheses, cut short, out of range), the ids of /proc/PID/status,
 * command lines, a /proc of test files, and the kept state written, read
 * back and refused when hostile.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system/proc_scan.h"
#include "system/proc_state.h"
#include "tests/unit/helpers.h"

/* Fields 5 to 21 of /proc/PID/stat: starttime (22) follows. */
#define TAIL " 0 0 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "

static const struct stat_case {
	const char	*name;
	const char	*text;
	int		 want;
	const char	*comm;
	long		 ppid;
	unsigned long long start;
} stat_cases[] = {
	{ "plain", "42 (sleep) S 7" TAIL "12345 1000 0\n", 0, "sleep", 7,
	    12345 },
	{ "spaces and parens", "42 (a) (b c) R 9" TAIL "5 1000\n", 0,
	    "a) (b c", 9, 5 },
	{ "empty name", "42 () S 1" TAIL "5", 0, "", 1, 5 },
	{ "no parens", "42 sleep S 7" TAIL "5", -1, NULL, 0, 0 },
	{ "cut short", "42 (sleep) S 7 0 0", -1, NULL, 0, 0 },
	{ "bad ppid", "42 (x) S seven" TAIL "5", -1, NULL, 0, 0 },
	{ "huge ppid", "42 (x) S 99999999999" TAIL "5", -1, NULL, 0, 0 },
	{ "bad start", "42 (x) S 1" TAIL "5x", -1, NULL, 0, 0 },
	{ "start overflow", "42 (x) S 1" TAIL "999999999999999999999999", -1,
	    NULL, 0, 0 },
	{ "reversed parens", "42 )x( S 1" TAIL "5", -1, NULL, 0, 0 },
};

static void
test_stat(void **state)
{
	const struct stat_case *c = *state;
	struct proc_stat st;

	assert_int_equal(proc_parse_stat(c->text, &st), c->want);
	if (c->want != 0)
		return;
	assert_string_equal(st.comm, c->comm);
	assert_int_equal(st.ppid, c->ppid);
	assert_int_equal(st.start_ticks, c->start);
}

static void
test_ids(void **state)
{
	long uid[3], gid[3];

	(void)state;
	assert_int_equal(proc_parse_ids("Name:\tx\nUid:\t1000\t0\t2\t0\n"
	    "Gid:\t100\t101\t102\t103\n", uid, gid), 0);
	assert_int_equal(uid[0], 1000);
	assert_int_equal(uid[1], 0);
	assert_int_equal(uid[2], 2);
	assert_int_equal(gid[2], 102);
	assert_int_equal(proc_parse_ids("Uid:\t1\t1\t1\t1\n", uid, gid), -1);
	assert_int_equal(proc_parse_ids("Uid:\t1\t1\t1\nGid:\t1\t1\t1\t1\n",
	    uid, gid), -1);
	assert_int_equal(proc_parse_ids("Uid:\t-1\t1\t1\t1\nGid:\t1\t1\t1\t1\n",
	    uid, gid), -1);
	assert_int_equal(proc_parse_ids("Uid:\t4294967296\t1\t1\t1\n"
	    "Gid:\t1\t1\t1\t1\n", uid, gid), -1);
	assert_int_equal(proc_parse_ids("", uid, gid), -1);
}

static void
test_cmdline(void **state)
{
	struct string_list l = { NULL, 0 };

	(void)state;
	assert_int_equal(proc_parse_cmdline("sleep\0" "3600\0", 11, &l), 0);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.items[1], "3600");
	string_list_free(&l);
	/* Rewritten by the process: no NUL at the end. */
	assert_int_equal(proc_parse_cmdline("nginx: worker", 13, &l), 0);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.items[0], "nginx: worker");
	string_list_free(&l);
	assert_int_equal(proc_parse_cmdline("", 0, &l), 0);
	assert_int_equal(l.count, 0);
	assert_int_equal(proc_parse_cmdline("a\0\0b", 4, &l), 0);
	assert_int_equal(l.count, 3);
	assert_string_equal(l.items[1], "");
	string_list_free(&l);
}

static void
put(const char *dir, const char *name, const char *text, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

#define KTHREAD "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 " \
	"1 0 1\n"

/* A /proc of one process, a kernel thread, a broken one and junk. */
static void
test_table(void **state)
{
	static const char *const pids[] = { "10", "2", "11", "self" };
	char root[] = "/tmp/test_system_process.XXXXXX", d[300];
	struct proc_table t;
	long hz = sysconf(_SC_CLK_TCK);
	char stat1[128];

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(d, sizeof(d), "%s/10", root);
	assert_int_equal(mkdir(d, 0700), 0);
	snprintf(stat1, sizeof(stat1), "10 (worker) S 1" TAIL "%ld\n", 3 * hz);
	put(d, "stat", stat1, strlen(stat1));
	put(d, "status", "Uid:\t5\t6\t7\t8\nGid:\t9\t10\t11\t12\n", 30);
	put(d, "cmdline", "worker\0-v\0", 10);
	snprintf(d, sizeof(d), "%s/2", root);
	assert_int_equal(mkdir(d, 0700), 0);
	put(d, "stat", KTHREAD, strlen(KTHREAD));
	snprintf(d, sizeof(d), "%s/11", root);
	assert_int_equal(mkdir(d, 0700), 0);
	put(d, "stat", "garbage", 7);
	snprintf(d, sizeof(d), "%s/self", root);
	assert_int_equal(mkdir(d, 0700), 0);
	assert_int_equal(proc_table_read(root, 1000, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.procs[0].pid, 10);
	assert_int_equal(t.procs[0].ppid, 1);
	assert_int_equal(t.procs[0].start_ms, 1000 * 1000 + 3000);
	assert_string_equal(t.procs[0].name, "worker");
	assert_string_equal(t.procs[0].exe, "");
	assert_int_equal(t.procs[0].args.count, 2);
	assert_int_equal(t.procs[0].euid, 6);
	assert_int_equal(t.procs[0].sgid, 11);
	proc_table_free(&t);
	assert_int_equal(proc_table_read("/nonexistent", 0, &t), -1);
	for (size_t i = 0; i < N_ELEMENTS(pids); i++) {
		snprintf(d, sizeof(d), "%s/%s", root, pids[i]);
		remove_flat_dir(d);
	}
	assert_int_equal(rmdir(root), 0);
}

static void
test_state_round_trip(void **state)
{
	char dir[] = "/tmp/test_system_pstate.XXXXXX", path[64], err[256];
	struct proc_table t = { NULL, 0, 0 }, back;
	struct sys_process *p;
	time_t sent;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/process.json", dir);
	assert_non_null(p = proc_table_add(&t));
	p->pid = 5;
	p->start_ticks = 77;
	p->start_ms = 1700000000123LL;
	assert_non_null(p->name = strdup("n\xff"));
	assert_non_null(p->exe = strdup("/bin/x"));
	assert_non_null(p->cwd = strdup("/"));
	assert_int_equal(string_list_add(&p->args, "a\xfe"), 0);
	p->uid = 1;
	assert_int_equal(proc_state_save(path, &t, 3, err, sizeof(err)), 0);
	assert_int_equal(proc_state_load(path, &back, &sent, err,
	    sizeof(err)), 0);
	assert_int_equal(back.n, 1);
	assert_int_equal(proc_key_cmp(&t.procs[0], &back.procs[0]), 0);
	assert_string_equal(back.procs[0].name, "n\xff");
	assert_string_equal(back.procs[0].args.items[0], "a\xfe");
	assert_int_equal(back.procs[0].uid, 1);
	assert_int_equal(back.procs[0].gid, -1);
	assert_int_equal(back.procs[0].start_ms, 1700000000123LL);
	proc_table_free(&t);
	proc_table_free(&back);
	unlink(path);
	rmdir(dir);
}

#define PROC(fields) "{\"version\":1,\"state_sent\":1,\"processes\":[{" \
	fields "}]}"
#define IDS "\"uid\":0,\"euid\":0,\"suid\":0,\"gid\":0,\"egid\":0,\"sgid\":-1"

static const struct state_case {
	const char	*name;
	const char	*text;
	const char	*err;
} state_cases[] = {
	{ "good", PROC("\"pid\":1,\"ppid\":0,\"start_ticks\":1,"
	    "\"start_ms\":1," IDS ",\"name\":\"a\",\"exe\":\"\",\"cwd\":\"\","
	    "\"args\":[]"), NULL },
	{ "not json", "{\"version\"", "not JSON" },
	{ "version", "{\"version\":0}", "version: not one this version reads" },
	{ "pid zero", PROC("\"pid\":0"), "processes[0].pid: missing" },
	{ "pid string", PROC("\"pid\":\"1\""), "processes[0].pid: missing" },
	{ "ticks negative", PROC("\"pid\":1,\"ppid\":0,\"start_ticks\":-1"),
	    "processes[0].start_ticks:" },
	{ "uid too big", PROC("\"pid\":1,\"ppid\":0,\"start_ticks\":1,"
	    "\"start_ms\":1,\"uid\":4294967296"), "processes[0].uid:" },
	{ "name array", PROC("\"pid\":1,\"ppid\":0,\"start_ticks\":1,"
	    "\"start_ms\":1," IDS ",\"name\":[]"),
	    "processes[0].name: not a string" },
	{ "args object", PROC("\"pid\":1,\"ppid\":0,\"start_ticks\":1,"
	    "\"start_ms\":1," IDS ",\"name\":\"a\",\"exe\":\"\",\"cwd\":\"\","
	    "\"args\":{}"), "processes[0].args: missing or not an array" },
	{ "arg number", PROC("\"pid\":1,\"ppid\":0,\"start_ticks\":1,"
	    "\"start_ms\":1," IDS ",\"name\":\"a\",\"exe\":\"\",\"cwd\":\"\","
	    "\"args\":[1]"), "processes[0].args: not a string" },
};

static void
test_state_hostile(void **state)
{
	const struct state_case *c = *state;
	struct proc_table t;
	char err[256] = "";
	time_t sent;
	int rc;

	rc = proc_state_parse(c->text, strlen(c->text), &t, &sent, err,
	    sizeof(err));
	if (c->err == NULL) {
		assert_int_equal(rc, 0);
		assert_int_equal(t.n, 1);
		proc_table_free(&t);
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
		CASES(test_stat, stat_cases),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_state_round_trip),
		CASES(test_state_hostile, state_cases),
	};

	return run_group(tests, NULL, NULL);
}

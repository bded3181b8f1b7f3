/*
 * Unit tests for the process table (parsers/process_table.h): what an exec
 * records, slot replacement, the argument cap, container ids in cgroup
 * lines, and reading /proc from a fake tree (proc_root) made in a
 * temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parsers/process_table.h"

#define HEX64 "0123456789abcdef0123456789abcdef" \
	      "fedcba9876543210fedcba9876543210"
#define HEX64B "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb" \
	       "cccccccccccccccc0000000000000009"

/* The table takes string views; the tests speak in C strings and lengths. */
static void
exec_n(struct process_table *t, long pid, const char *exe, size_t exe_len,
    const char *name, size_t name_len, const char *const argv[],
    const size_t lens[], size_t n)
{
	struct sv args[32];
	size_t i;

	assert_true(n <= 32);
	for (i = 0; i < n; i++)
		args[i] = (struct sv){ argv[i], lens[i] };
	process_table_exec(t, pid, (struct sv){ exe, exe_len },
	    (struct sv){ name, name_len }, args, n);
}

static struct process_table *
new_table(int use_proc)
{
	struct process_table *t = malloc(sizeof(*t));

	assert_non_null(t);
	process_table_init(t, use_proc);
	return t;
}

static void
free_table(struct process_table *t)
{
	process_table_release(t);
	free(t);
}

static void
exec_argv(struct process_table *t, long pid, const char *exe,
    const char *name, const char *const argv[], size_t argc)
{
	size_t lens[16], i;

	assert_true(argc <= 16);
	for (i = 0; i < argc; i++)
		lens[i] = strlen(argv[i]);
	exec_n(t, pid, exe, strlen(exe), name, strlen(name),
	    argv, lens, argc);
}

static void
test_init(void **state)
{
	struct process_table *t = new_table(1);

	(void)state;
	assert_int_equal(t->use_proc, 1);
	assert_string_equal(t->proc_root, "/proc");
	assert_int_equal(t->slots[0].pid, 0);
	assert_int_equal(t->slots[PROCESS_TABLE_SLOTS - 1].pid, 0);
	free_table(t);
	t = new_table(0);
	assert_int_equal(t->use_proc, 0);
	free_table(t);
}

static void
test_exec_then_get(void **state)
{
	static const char *const argv[] = { "curl", "-s", "",
	    "https://example.com/a b" };
	static const char want[] = "curl\0-s\0\0https://example.com/a b";
	struct process_table *t = new_table(0);
	const struct process_info *p;

	(void)state;
	exec_argv(t, 4242, "/usr/bin/curl", "curl", argv, 4);
	assert_non_null(p = process_table_get(t, 4242));
	assert_int_equal(p->pid, 4242);
	assert_string_equal(p->exe, "/usr/bin/curl");
	assert_string_equal(p->name, "curl");
	assert_int_equal(p->nargs, 4);
	assert_int_equal(p->args_len, sizeof(want));
	assert_memory_equal(p->args, want, sizeof(want));
	assert_int_equal(p->args_cut, 0);
	/* Nothing else is known, and no /proc is read. */
	assert_null(process_table_get(t, 4243));
	assert_null(process_table_get(t, 1));
	assert_null(process_table_container(t, 4242, 0));
	free_table(t);
}

/* exe and name are counted strings: only exe_len/name_len bytes count. */
static void
test_exec_counted_strings(void **state)
{
	const char *argv[] = { "ls-extra" };
	size_t lens[] = { 2 };
	struct process_table *t = new_table(0);
	const struct process_info *p;

	(void)state;
	exec_n(t, 77, "/usr/bin/lsblk", 11, "lsblk", 2, argv,
	    lens, 1);
	assert_non_null(p = process_table_get(t, 77));
	assert_string_equal(p->exe, "/usr/bin/ls");
	assert_string_equal(p->name, "ls");
	assert_int_equal(p->nargs, 1);
	assert_int_equal(p->args_len, 3);
	assert_memory_equal(p->args, "ls", 3);
	free_table(t);
}

static void
test_exec_no_args(void **state)
{
	struct process_table *t = new_table(0);
	const struct process_info *p;

	(void)state;
	exec_n(t, 10, "/bin/x", 6, "x", 1, NULL, NULL, 0);
	assert_non_null(p = process_table_get(t, 10));
	assert_int_equal(p->nargs, 0);
	assert_int_equal(p->args_len, 0);
	assert_int_equal(p->args_cut, 0);
	free_table(t);
}

static void
test_bad_pids_ignored(void **state)
{
	static const char *const argv[] = { "x" };
	struct process_table *t = new_table(0);

	(void)state;
	exec_argv(t, 0, "/bin/x", "x", argv, 1);
	exec_argv(t, -5, "/bin/x", "x", argv, 1);
	assert_null(process_table_get(t, 0));
	assert_null(process_table_get(t, -5));
	assert_int_equal(t->slots[0].pid, 0);
	free_table(t);
}

/* A newer exec of the same pid, or of a pid of the same slot, replaces. */
static void
test_same_slot_replaces(void **state)
{
	static const char *const a1[] = { "sleep", "10" };
	static const char *const a2[] = { "bash", "-c", "true" };
	static const char *const a3[] = { "vim" };
	struct process_table *t = new_table(0);
	const struct process_info *p;
	long other = 300 + PROCESS_TABLE_SLOTS;

	(void)state;
	exec_argv(t, 300, "/usr/bin/sleep", "sleep", a1, 2);
	exec_argv(t, 300, "/usr/bin/bash", "bash", a2, 3);
	assert_non_null(p = process_table_get(t, 300));
	assert_string_equal(p->exe, "/usr/bin/bash");
	assert_int_equal(p->nargs, 3);
	assert_memory_equal(p->args, "bash\0-c\0true", 13);

	exec_argv(t, other, "/usr/bin/vim", "vim", a3, 1);
	assert_null(process_table_get(t, 300));
	assert_non_null(p = process_table_get(t, other));
	assert_int_equal(p->pid, other);
	assert_string_equal(p->exe, "/usr/bin/vim");
	assert_string_equal(p->name, "vim");
	assert_int_equal(p->nargs, 1);
	assert_int_equal(p->args_len, 4);
	/* A pid of another slot is not disturbed. */
	exec_argv(t, 301, "/usr/bin/sleep", "sleep", a1, 2);
	assert_non_null(process_table_get(t, other));
	assert_non_null(process_table_get(t, 301));
	free_table(t);
}

/* Arguments that fit exactly (NUL bytes included) are kept whole. */
static void
test_args_exactly_max(void **state)
{
	struct process_table *t = new_table(0);
	const struct process_info *p;
	char *big = malloc(PROCESS_ARGS_MAX);
	const char *argv[2];
	size_t lens[2];

	(void)state;
	assert_non_null(big);
	memset(big, 'x', PROCESS_ARGS_MAX);
	argv[0] = "a";
	lens[0] = 1;
	argv[1] = big;
	lens[1] = PROCESS_ARGS_MAX - 2 - 1;	/* "a\0" + big + "\0" */
	exec_n(t, 5, "/bin/a", 6, "a", 1, argv, lens, 2);
	assert_non_null(p = process_table_get(t, 5));
	assert_int_equal(p->nargs, 2);
	assert_int_equal(p->args_len, PROCESS_ARGS_MAX);
	assert_int_equal(p->args_cut, 0);
	assert_memory_equal(p->args + 2, big, lens[1]);
	assert_int_equal(p->args[PROCESS_ARGS_MAX - 1], '\0');
	free(big);
	free_table(t);
}

/* One byte more: the argument that does not fit, and all after it, go. */
static void
test_args_over_max_cut(void **state)
{
	struct process_table *t = new_table(0);
	const struct process_info *p;
	char *big = malloc(PROCESS_ARGS_MAX * 2);
	const char *argv[3];
	size_t lens[3];

	(void)state;
	assert_non_null(big);
	memset(big, 'y', PROCESS_ARGS_MAX * 2);
	argv[0] = "a";
	lens[0] = 1;
	argv[1] = big;
	lens[1] = PROCESS_ARGS_MAX - 2;
	argv[2] = "b";
	lens[2] = 1;
	exec_n(t, 6, "/bin/a", 6, "a", 1, argv, lens, 3);
	assert_non_null(p = process_table_get(t, 6));
	assert_int_equal(p->args_cut, 1);
	assert_true(p->args_len <= PROCESS_ARGS_MAX);
	assert_int_equal(p->nargs, 1);
	assert_int_equal(p->args_len, 2);
	assert_memory_equal(p->args, "a", 2);

	/* A single argument longer than the cap. */
	argv[0] = big;
	lens[0] = PROCESS_ARGS_MAX * 2;
	exec_n(t, 6, "/bin/a", 6, "a", 1, argv, lens, 1);
	assert_non_null(p = process_table_get(t, 6));
	assert_int_equal(p->args_cut, 1);
	assert_int_equal(p->nargs, 0);
	assert_int_equal(p->args_len, 0);

	/* Many small arguments: as many as fit. */
	{
		const char *many[16];
		size_t mlens[16], i;

		for (i = 0; i < 16; i++) {
			many[i] = big;
			mlens[i] = 499;		/* 500 bytes with the NUL */
		}
		exec_n(t, 6, "/bin/a", 6, "a", 1, many, mlens, 16);
		assert_non_null(p = process_table_get(t, 6));
		assert_int_equal(p->args_cut, 1);
		assert_int_equal(p->nargs, PROCESS_ARGS_MAX / 500);
		assert_int_equal(p->args_len, (PROCESS_ARGS_MAX / 500) * 500);
	}
	/* The next exec of the pid starts clean. */
	argv[0] = "c";
	lens[0] = 1;
	exec_n(t, 6, "/bin/c", 6, "c", 1, argv, lens, 1);
	assert_non_null(p = process_table_get(t, 6));
	assert_int_equal(p->args_cut, 0);
	assert_int_equal(p->nargs, 1);
	assert_int_equal(p->args_len, 2);
	free(big);
	free_table(t);
}

static void
expect_container(const char *line, const char *want)
{
	char out[CONTAINER_ID_LEN + 1];

	memset(out, 'Z', sizeof(out));
	if (want == NULL) {
		if (container_id_from_cgroup(line, out) != 0)
			fail_msg("container id \"%.*s\" found in \"%s\"",
			    CONTAINER_ID_LEN, out, line);
		return;
	}
	if (container_id_from_cgroup(line, out) != 1)
		fail_msg("no container id found in \"%s\"", line);
	assert_string_equal(out, want);
}

static void
test_container_id_runtimes(void **state)
{
	(void)state;
	expect_container("0::/system.slice/docker-" HEX64 ".scope", HEX64);
	expect_container("12:pids:/docker/" HEX64, HEX64);
	expect_container("12:pids:/docker/" HEX64 "\n", HEX64);
	expect_container("0::/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod1234.slice/cri-containerd-" HEX64 ".scope",
	    HEX64);
	expect_container("0::/machine.slice/libpod-" HEX64 ".scope", HEX64);
	expect_container("0::/machine.slice/libpod-" HEX64 ".scope/container",
	    HEX64);
	expect_container("1:name=systemd:/kubepods/besteffort/"
	    "pod5d3c1a2b-9f8e-4d7c-b6a5-0123456789ab/" HEX64, HEX64);
	expect_container("0::/kubepods.slice/kubepods-besteffort.slice/"
	    "kubepods-besteffort-pod5d3c1a2b_9f8e_4d7c_b6a5_0123456789ab."
	    "slice/crio-" HEX64 ".scope", HEX64);
	/* Nested: the innermost (last) id is the container's. */
	expect_container("0::/docker/" HEX64B "/docker/" HEX64, HEX64);
}

static void
test_container_id_negatives(void **state)
{
	(void)state;
	expect_container("0::/user.slice/user-1000.slice/session-3.scope",
	    NULL);
	expect_container("0::/", NULL);
	expect_container("", NULL);
	expect_container("0::/init.scope", NULL);
	expect_container("0::/system.slice/docker.service", NULL);
	/* 63 and 65 hex digits */
	expect_container("0::/system.slice/docker-"
	    "0123456789abcdef0123456789abcdef"
	    "fedcba9876543210fedcba987654321.scope", NULL);
	expect_container("12:pids:/docker/" HEX64 "a", NULL);
	/* Upper-case hex is not a container id. */
	expect_container("0::/system.slice/docker-"
	    "0123456789ABCDEF0123456789abcdef"
	    "fedcba9876543210fedcba9876543210.scope", NULL);
	/* The id must follow a '/' or '-'. */
	expect_container("0::/system.slice/docker" HEX64 ".scope", NULL);
	/* An id after the end of the line is not in this line. */
	expect_container("0::/user.slice\n0::/docker/" HEX64, NULL);
}

/* A fake /proc in a temporary directory. */
struct fake_proc {
	char	 root[64];
};

static void
write_file(const char *root, long pid, const char *name, const char *data,
    size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%ld/%s", root, pid, name);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void
make_proc(const char *root, long pid, const char *exe, const char *comm,
    const char *cmdline, size_t cmdline_len, const char *cgroup)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%ld", root, pid);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%ld/exe", root, pid);
	assert_int_equal(symlink(exe, path), 0);
	if (comm != NULL)
		write_file(root, pid, "comm", comm, strlen(comm));
	if (cmdline != NULL)
		write_file(root, pid, "cmdline", cmdline, cmdline_len);
	if (cgroup != NULL)
		write_file(root, pid, "cgroup", cgroup, strlen(cgroup));
}

static int
setup_proc(void **state)
{
	struct fake_proc *f = calloc(1, sizeof(*f));
	static const char cmd[] = "true\0--flag\0two words\0";
	static const char cmd2[] = "sleep\0" "60";	/* no final NUL */

	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), "/tmp/ptab.XXXXXX");
	assert_non_null(mkdtemp(f->root));
	make_proc(f->root, 1234, "/usr/bin/true", "true\n", cmd,
	    sizeof(cmd) - 1,
	    "1:name=systemd:/user.slice\n"
	    "0::/system.slice/docker-" HEX64 ".scope\n");
	make_proc(f->root, 1235, "/usr/bin/sleep", "sleep\n", cmd2,
	    sizeof(cmd2) - 1, "0::/user.slice/user-1000.slice/session-3.scope\n");
	*state = f;
	return 0;
}

static int
teardown_proc(void **state)
{
	struct fake_proc *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* A table reading the fake /proc of f (or not, without use_proc). */
static struct process_table *
fake_proc_table(const struct fake_proc *f, int use_proc)
{
	struct process_table *t = new_table(use_proc);

	t->proc_root = f->root;
	return t;
}

static void
test_proc_read(void **state)
{
	struct fake_proc *f = *state;
	struct process_table *t = fake_proc_table(f, 1);
	const struct process_info *p;
	static const char want[] = "true\0--flag\0two words";
	char path[128];

	assert_non_null(p = process_table_get(t, 1234));
	assert_int_equal(p->pid, 1234);
	assert_string_equal(p->exe, "/usr/bin/true");
	assert_string_equal(p->name, "true");		/* no newline */
	assert_int_equal(p->nargs, 3);
	assert_int_equal(p->args_len, sizeof(want));
	assert_memory_equal(p->args, want, sizeof(want));
	assert_int_equal(p->args_cut, 0);

	/* Read once, then kept: it stays known when /proc no longer has it. */
	snprintf(path, sizeof(path), "%s/1234/exe", f->root);
	assert_int_equal(unlink(path), 0);
	assert_non_null(p = process_table_get(t, 1234));
	assert_string_equal(p->exe, "/usr/bin/true");

	/* A cmdline without a final NUL still gives its last argument. */
	assert_non_null(p = process_table_get(t, 1235));
	assert_string_equal(p->exe, "/usr/bin/sleep");
	assert_string_equal(p->name, "sleep");
	assert_int_equal(p->nargs, 2);
	assert_int_equal(p->args_len, 9);
	assert_memory_equal(p->args, "sleep\0" "60", 9);

	/* Not in /proc: nothing. */
	assert_null(process_table_get(t, 999));
	free_table(t);
}

/* What an exec recorded comes first; /proc is only for the unknown. */
static void
test_proc_table_first(void **state)
{
	struct fake_proc *f = *state;
	struct process_table *t = fake_proc_table(f, 1);
	static const char *const argv[] = { "seen" };
	const struct process_info *p;

	exec_argv(t, 1234, "/usr/bin/seen", "seen", argv, 1);
	assert_non_null(p = process_table_get(t, 1234));
	assert_string_equal(p->exe, "/usr/bin/seen");
	free_table(t);
}

/* A pid /proc does not have is looked for once, then again only later. */
static void
test_proc_gone_remembered(void **state)
{
	struct fake_proc *f = *state;
	struct process_table *t = new_table(1);
	static const char *const argv[] = { "new" };
	const struct process_info *p;

	t->proc_root = f->root;
	assert_null(process_table_get(t, 999));
	assert_int_equal(t->proc_reads, 1);
	assert_null(process_table_get(t, 999));
	assert_null(process_table_container(t, 999, 0));
	assert_int_equal(t->proc_reads, 1);
	/* Once the mark is old, /proc is asked again. */
	t->slots[999].gone_at -= PROCESS_GONE_MS;
	assert_null(process_table_get(t, 999));
	assert_int_equal(t->proc_reads, 2);
	/* An exec of the pid replaces the mark at once. */
	exec_argv(t, 999, "/usr/bin/new", "new", argv, 1);
	assert_non_null(p = process_table_get(t, 999));
	assert_string_equal(p->exe, "/usr/bin/new");
	/* A live process is read once and kept. */
	assert_non_null(process_table_get(t, 1234));
	assert_non_null(process_table_get(t, 1234));
	assert_int_equal(t->proc_reads, 3);
	free_table(t);
}

static void
test_proc_not_read_without_use_proc(void **state)
{
	struct fake_proc *f = *state;
	struct process_table *t = fake_proc_table(f, 0);

	assert_null(process_table_get(t, 1234));
	assert_null(process_table_get(t, 1235));
	assert_null(process_table_container(t, 1234, 0));
	assert_int_equal(t->slots[1234].pid, 0);
	free_table(t);
}

static void
test_proc_container(void **state)
{
	struct fake_proc *f = *state;
	struct process_table *t = fake_proc_table(f, 1);
	const char *id;
	static const char *const argv[] = { "x" };

	/* The id is on the second line of the cgroup file. */
	assert_non_null(id = process_table_container(t, 1234, 0));
	assert_string_equal(id, HEX64);
	/* Checked once per process: a changed file is not read again. */
	write_file(f->root, 1234, "cgroup", "0::/docker/" HEX64B "\n",
	    strlen("0::/docker/" HEX64B "\n"));
	assert_non_null(id = process_table_container(t, 1234, 0));
	assert_string_equal(id, HEX64);
	/* ... until the pid execs again. */
	exec_argv(t, 1234, "/usr/bin/x", "x", argv, 1);
	assert_non_null(id = process_table_container(t, 1234, 0));
	assert_string_equal(id, HEX64B);

	/* Not in a container. */
	assert_null(process_table_container(t, 1235, 0));
	/* Unknown pid, bad pid. */
	assert_null(process_table_container(t, 999, 0));
	assert_null(process_table_container(t, 0, 0));
	free_table(t);
}

/*
 * "No container" is asked again after a while, and not kept at all when
 * read at the exec: the process may still be joining its cgroup.
 */
static void
test_proc_no_container_rechecked(void **state)
{
	struct fake_proc *f = *state;
	struct process_table *t = new_table(1);
	const char *id;
	unsigned long reads;

	t->proc_root = f->root;
	assert_null(process_table_container(t, 1235, 1));
	reads = t->proc_reads;
	/* At the exec: the next event asks again ... */
	assert_null(process_table_container(t, 1235, 0));
	assert_int_equal(t->proc_reads, reads + 1);
	/* ... which keeps the answer for a while, */
	assert_null(process_table_container(t, 1235, 0));
	assert_int_equal(t->proc_reads, reads + 1);
	/* and asks again once it is old: the process joined a container. */
	write_file(f->root, 1235, "cgroup", "0::/docker/" HEX64B "\n",
	    strlen("0::/docker/" HEX64B "\n"));
	t->slots[1235].no_container_at -= CONTAINER_RECHECK_MS;
	assert_non_null(id = process_table_container(t, 1235, 0));
	assert_string_equal(id, HEX64B);
	free_table(t);
}

/* proc_root may be any test directory, also a long path. */
static void
test_proc_long_root(void **state)
{
	struct fake_proc *f = *state;
	struct process_table *t = new_table(1);
	const struct process_info *p;
	char root[256], cmd[300];
	static const char cmdline[] = "true\0";

	snprintf(root, sizeof(root), "%s/a-rather-long-directory-name-"
	    "for-the-fake-proc-tree", f->root);
	assert_int_equal(mkdir(root, 0755), 0);
	make_proc(root, 4321, "/usr/bin/true", "true\n", cmdline,
	    sizeof(cmdline) - 1, "0::/docker/" HEX64 "\n");
	t->proc_root = root;
	p = process_table_get(t, 4321);
	if (p == NULL)
		fail_msg("nothing read from %s/4321", root);
	assert_string_equal(p->exe, "/usr/bin/true");
	assert_string_equal(p->name, "true");
	assert_int_equal(p->nargs, 1);
	assert_non_null(process_table_container(t, 4321, 0));
	free_table(t);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
#define P(fn)	cmocka_unit_test_setup_teardown(fn, setup_proc, teardown_proc)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_exec_then_get),
		cmocka_unit_test(test_exec_counted_strings),
		cmocka_unit_test(test_exec_no_args),
		cmocka_unit_test(test_bad_pids_ignored),
		cmocka_unit_test(test_same_slot_replaces),
		cmocka_unit_test(test_args_exactly_max),
		cmocka_unit_test(test_args_over_max_cut),
		cmocka_unit_test(test_container_id_runtimes),
		cmocka_unit_test(test_container_id_negatives),
		P(test_proc_read),
		P(test_proc_table_first),
		P(test_proc_not_read_without_use_proc),
		P(test_proc_gone_remembered),
		P(test_proc_no_container_rechecked),
		P(test_proc_container),
		P(test_proc_long_root),
	};
#undef P

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for who made a FIM change: the audit correlation table
 * (fim/who_table.c) with its window and collisions, the audit dev field,
 * the recent authors by path (fim/who_recent.c), the coalescer keeping the
 * last author of a path, /proc read for a live and a vanished pid, and
 * fim.backend's words.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fim/coalesce.h"
#include "fim/fim_conf.h"
#include "fim/who_recent.h"
#include "fim/who_table.h"
#include "plugin/conf.h"

static struct fim_who
who_of(long pid, long at_ms, const char *exe)
{
	struct fim_who w;

	fim_who_clear(&w);
	w.pid = pid;
	w.at_ms = at_ms;
	w.uid = 1000;
	w.auid = 1000;
	snprintf(w.executable, sizeof(w.executable), "%s", exe);
	w.source = WHO_SOURCE_AUDIT;
	return w;
}

static void
test_table_window(void **state)
{
	struct who_table *t = who_table_new();
	struct who_key keys[2] = { { 10, 100 }, { 10, 101 } };
	struct fim_who w = who_of(42, 5000, "/usr/bin/vi"), out;

	(void)state;
	assert_non_null(t);
	assert_int_equal(who_table_find(t, 10, 100, 5000, &out), 0);
	who_table_note(t, keys, 2, &w);
	assert_int_equal(who_table_find(t, 10, 100, 5000, &out), 1);
	assert_int_equal(out.pid, 42);
	assert_string_equal(out.executable, "/usr/bin/vi");
	assert_int_equal(who_table_find(t, 10, 101, 5000 + WHO_WINDOW_MS,
	    &out), 1);
	/* Too old: an inode number reused later is not blamed on it. */
	assert_int_equal(who_table_find(t, 10, 100, 5001 + WHO_WINDOW_MS,
	    &out), 0);
	/* Another device, another inode: not found. */
	assert_int_equal(who_table_find(t, 11, 100, 5000, &out), 0);
	assert_int_equal(who_table_find(t, 10, 102, 5000, &out), 0);
	who_table_free(t);
}

/* Far more inodes than slots: never a wrong answer, the last are found. */
static void
test_table_collisions(void **state)
{
	struct who_table *t = who_table_new();
	struct fim_who w, out;
	struct who_key k;
	uint64_t i, found = 0;

	(void)state;
	assert_non_null(t);
	for (i = 1; i <= 4 * WHO_TABLE_SLOTS; i++) {
		k.dev = 7;
		k.ino = i;
		w = who_of((long)i, 0, "");
		who_table_note(t, &k, 1, &w);
	}
	for (i = 1; i <= 4 * WHO_TABLE_SLOTS; i++)
		if (who_table_find(t, 7, i, 0, &out)) {
			assert_int_equal(out.pid, (long)i);
			found++;
		}
	assert_true(found > WHO_TABLE_SLOTS / 2);
	assert_true(found <= WHO_TABLE_SLOTS);
	assert_int_equal(who_table_find(t, 7, 4 * WHO_TABLE_SLOTS, 0, &out), 1);
	who_table_free(t);
}

static void
test_audit_dev(void **state)
{
	uint64_t dev;

	(void)state;
	assert_int_equal(who_audit_dev("fe:01", &dev), 0);
	assert_true(dev == makedev(254, 1));
	assert_int_equal(who_audit_dev("103:2", &dev), 0);
	assert_true(dev == makedev(259, 2));
	assert_int_equal(who_audit_dev("00:2d", &dev), 0);
	assert_true(dev == makedev(0, 45));
	assert_int_equal(who_audit_dev("fe", &dev), -1);
	assert_int_equal(who_audit_dev("fe:", &dev), -1);
	assert_int_equal(who_audit_dev("fe:01x", &dev), -1);
	assert_int_equal(who_audit_dev(NULL, &dev), -1);
}

static void
test_recent(void **state)
{
	struct who_recent *r = who_recent_new();
	struct fim_who a = who_of(1, 0, "/bin/a"), b = who_of(2, 0, "/bin/b");
	const struct fim_who *got;
	char path[64];
	int i;

	(void)state;
	assert_non_null(r);
	assert_null(who_recent_get(r, "/x", 0));
	who_recent_put(r, "/x", &a, 0, 100);
	who_recent_put(r, "/y", &b, 0, 200);
	assert_int_equal(who_recent_get(r, "/x", 100)->pid, 1);
	assert_null(who_recent_get(r, "/x", 101));
	assert_int_equal(who_recent_get(r, "/y", 150)->pid, 2);
	/* The same path again: the later author. */
	who_recent_put(r, "/x", &b, 50, 300);
	assert_int_equal(who_recent_get(r, "/x", 250)->pid, 2);
	/* Bounded: the first to expire goes. */
	for (i = 0; i < WHO_RECENT_MAX + 10; i++) {
		snprintf(path, sizeof(path), "/many/%d", i);
		who_recent_put(r, path, &a, 60, 1000 + i);
	}
	assert_null(who_recent_get(r, "/many/0", 60));
	got = who_recent_get(r, "/many/4100", 60);
	assert_non_null(got);
	who_recent_free(r);
}

static void
test_coalesce_keeps_author(void **state)
{
	struct coalescer *c = coalesce_new(100);
	struct fim_who a = who_of(1, 0, "/bin/a"), b = who_of(2, 0, "/bin/b");
	struct fim_target *due;
	size_t n, i;

	(void)state;
	assert_non_null(c);
	assert_int_equal(coalesce_add(c, "/t/f", 0, 0, &a), 0);
	assert_int_equal(coalesce_add(c, "/t/f", 1, 10, &b), 0);
	/* An event of unknown origin (inotify) keeps the known author. */
	assert_int_equal(coalesce_add(c, "/t/f", 1, 20, NULL), 0);
	assert_int_equal(coalesce_add(c, "/t/g", 0, 20, NULL), 0);
	due = coalesce_take_due(c, 1000, &n);
	assert_non_null(due);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		if (strcmp(due[i].path, "/t/f") == 0) {
			assert_non_null(due[i].who);
			assert_int_equal(due[i].who->pid, 2);
		} else
			assert_null(due[i].who);
	fim_targets_free(due, n);
	coalesce_free(c);
}

static void
test_proc(void **state)
{
	struct fim_who w;
	char exe[512];
	ssize_t len;
	pid_t child;
	int status;

	(void)state;
	proc_who_read(getpid(), 7, &w);
	assert_int_equal(w.pid, getpid());
	assert_int_equal(w.at_ms, 7);
	assert_string_equal(w.source, WHO_SOURCE_FANOTIFY);
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(len > 0);
	exe[len] = '\0';
	assert_string_equal(w.executable, exe);
	assert_int_equal(w.uid, (long)getuid());
	assert_int_equal(w.gid, (long)getgid());
	assert_true(w.name[0] != '\0');
	/* Gone (reaped): the pid alone. */
	if ((child = fork()) == 0)
		_exit(0);
	assert_true(child > 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	proc_who_read(child, 0, &w);
	assert_int_equal(w.pid, child);
	assert_string_equal(w.executable, "");
	assert_string_equal(w.name, "");
	assert_int_equal(w.uid, -1);
	assert_int_equal(w.auid, -1);
}

static void
test_backend_words(void **state)
{
	static const char *const words[] = { "auto", "inotify", "fanotify" };
	static const long values[] = { FIM_BACKEND_AUTO, FIM_BACKEND_INOTIFY,
	    FIM_BACKEND_FANOTIFY };
	char dir[] = "/tmp/test_fim_who.XXXXXX", path[128], text[256];
	struct config *cfg;
	FILE *f, *errors;
	char errbuf[1024];
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.conf", dir);
	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "path: { data = \"%s\"; };\n"
		    "fim: { paths = [\"/etc\"]; backend = \"%s\"; };\n", dir,
		    i < 3 ? words[i] : "dnotify");
		assert_non_null(f = fopen(path, "w"));
		fputs(text, f);
		fclose(f);
		assert_non_null(errors = fmemopen(errbuf, sizeof(errbuf), "w"));
		cfg = config_load(path, errors);
		fclose(errors);
		if (i < 3) {
			assert_non_null(cfg);
			assert_int_equal(cfg->fim->backend, values[i]);
			config_free(cfg);
		} else {
			assert_null(cfg);
			assert_non_null(strstr(errbuf, "fim.backend"));
		}
	}
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_window),
		cmocka_unit_test(test_table_collisions),
		cmocka_unit_test(test_audit_dev),
		cmocka_unit_test(test_recent),
		cmocka_unit_test(test_coalesce_keeps_author),
		cmocka_unit_test(test_proc),
		cmocka_unit_test(test_backend_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

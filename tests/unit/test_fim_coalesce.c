/*
 * Unit tests for coalescing events (fim/coalesce.c): events about one
 * path within the quiet period make one check of it; a close after
 * writing makes it due after a short settle; a path never quiet is still
 * due after a bounded delay; due paths are handed out in the order they
 * came, with the last author known; the number waiting is bounded.
 * Times are passed in, so no clock is read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fim/coalesce.h"

/* As coalesce.c. */
#define SETTLE_MS	50
#define MAX_DELAY_FACTOR 8
#define MAX_PENDING	4096

#define QUIET	1000

/*
 * The paths due at now_ms, in the order handed out and space-separated,
 * must be want; "none" when nothing is due.
 */
static void
assert_due(struct coalescer *c, long now_ms, const char *want)
{
	struct fim_target *t;
	char got[256] = "none";
	size_t i, n = 99, len = 0;

	t = coalesce_take_due(c, now_ms, &n);
	if (t == NULL)
		assert_int_equal(n, 0);
	for (i = 0; t != NULL && i < n; i++) {
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s",
		    i > 0 ? " " : "", t[i].path);
		assert_true(len < sizeof(got));
	}
	fim_targets_free(t, n);
	if (strcmp(got, want) != 0)
		fail_msg("due at %ld: %s, want %s", now_ms, got, want);
}

static void
test_empty(void **state)
{
	struct coalescer *c;

	(void)state;
	coalesce_free(NULL);
	fim_targets_free(NULL, 0);
	assert_non_null(c = coalesce_new(QUIET));
	assert_int_equal(coalesce_count(c), 0);
	assert_int_equal(coalesce_wait_ms(c, 0), -1);
	assert_due(c, 1000000, "none");
	coalesce_free(c);
}

/* Repeated events within the quiet period: one path, due once quiet. */
static void
test_repeat(void **state)
{
	struct coalescer *c;
	struct fim_target *t;
	size_t n;

	(void)state;
	assert_non_null(c = coalesce_new(QUIET));
	assert_int_equal(coalesce_add(c, "/etc/hosts", 0, 0, NULL), 0);
	assert_int_equal(coalesce_wait_ms(c, 0), QUIET);
	assert_int_equal(coalesce_add(c, "/etc/hosts", 0, 400, NULL), 0);
	assert_int_equal(coalesce_add(c, "/etc/hosts", 0, 900, NULL), 0);
	assert_int_equal(coalesce_count(c), 1);
	assert_int_equal(coalesce_wait_ms(c, 900), QUIET);

	/* Not due at the first event's quiet period: it was not quiet. */
	assert_due(c, QUIET, "none");
	assert_due(c, 900 + QUIET - 1, "none");
	assert_int_equal(coalesce_wait_ms(c, 900 + QUIET - 1), 1);

	assert_non_null(t = coalesce_take_due(c, 900 + QUIET, &n));
	assert_int_equal(n, 1);
	assert_string_equal(t[0].path, "/etc/hosts");
	assert_null(t[0].who);
	fim_targets_free(t, n);
	assert_int_equal(coalesce_count(c), 0);
	assert_int_equal(coalesce_wait_ms(c, 0), -1);
	coalesce_free(c);
}

/* A close after writing is due after the settle, not the quiet period. */
static void
test_closed(void **state)
{
	struct coalescer *c;

	(void)state;
	assert_non_null(c = coalesce_new(QUIET));
	assert_int_equal(coalesce_add(c, "/a", 1, 100, NULL), 0);
	assert_int_equal(coalesce_wait_ms(c, 100), SETTLE_MS);
	/* A write and close after a chmod: the close decides. */
	assert_int_equal(coalesce_add(c, "/b", 0, 100, NULL), 0);
	assert_int_equal(coalesce_add(c, "/b", 1, 120, NULL), 0);
	assert_due(c, 100 + SETTLE_MS, "/a");
	assert_due(c, 120 + SETTLE_MS, "/b");

	/* Another event after the close: quiet again before the check. */
	assert_int_equal(coalesce_add(c, "/c", 1, 1000, NULL), 0);
	assert_int_equal(coalesce_add(c, "/c", 0, 1010, NULL), 0);
	assert_due(c, 1000 + SETTLE_MS, "none");
	assert_int_equal(coalesce_wait_ms(c, 1010), QUIET);
	coalesce_free(c);

	/* A quiet period shorter than the settle bounds it. */
	assert_non_null(c = coalesce_new(20));
	assert_int_equal(coalesce_add(c, "/d", 1, 0, NULL), 0);
	assert_int_equal(coalesce_wait_ms(c, 0), 20);
	coalesce_free(c);
}

/* Written without pause: still due after a bounded delay. */
static void
test_bounded_delay(void **state)
{
	long latest = (QUIET + SETTLE_MS) * MAX_DELAY_FACTOR, t;
	struct coalescer *c;

	(void)state;
	assert_non_null(c = coalesce_new(QUIET));
	for (t = 0; t < latest; t += 100) {
		assert_int_equal(coalesce_add(c, "/log", 0, t, NULL), 0);
		assert_due(c, t, "none");
	}
	assert_int_equal(coalesce_count(c), 1);
	assert_int_equal(coalesce_wait_ms(c, latest - 100), 100);
	/* The next event does not push it later. */
	assert_int_equal(coalesce_add(c, "/log", 0, latest - 1, NULL), 0);
	assert_due(c, latest, "/log");

	/* Taken: the next event starts another burst. */
	assert_int_equal(coalesce_add(c, "/log", 0, latest + 10, NULL), 0);
	assert_int_equal(coalesce_wait_ms(c, latest + 10), QUIET);
	coalesce_free(c);
}

/* Due paths in the order they came; those not due stay, in order. */
static void
test_order(void **state)
{
	static const char *paths[] = { "/z", "/a", "/m", "/b", "/y" };
	struct coalescer *c;
	size_t i;

	(void)state;
	assert_non_null(c = coalesce_new(QUIET));
	for (i = 0; i < 5; i++)
		assert_int_equal(coalesce_add(c, paths[i], 0, (long)i * 10,
		    NULL), 0);
	/* "/a" made later, "/b" due sooner: neither moves in the order. */
	assert_int_equal(coalesce_add(c, "/a", 0, 500, NULL), 0);
	assert_int_equal(coalesce_add(c, "/b", 1, 45, NULL), 0);

	assert_due(c, 45 + SETTLE_MS, "/b");

	assert_due(c, 40 + QUIET, "/z /m /y");
	assert_int_equal(coalesce_count(c), 1);
	assert_int_equal(coalesce_wait_ms(c, 40 + QUIET), 500 - 40);

	assert_due(c, 500 + QUIET, "/a");
	coalesce_free(c);
}

static void
who_of(struct fim_who *w, long pid, const char *name)
{
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->uid = w->gid = w->auid = w->session = -1;
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->source = WHO_SOURCE_FANOTIFY;
}

/* The last author known is kept; an unknown one does not erase it. */
static void
test_who(void **state)
{
	struct coalescer *c;
	struct fim_target *t;
	struct fim_who w;
	size_t n;

	(void)state;
	assert_non_null(c = coalesce_new(QUIET));
	who_of(&w, 0, "");
	assert_int_equal(coalesce_add(c, "/unknown", 0, 0, &w), 0);
	who_of(&w, 10, "vi");
	assert_int_equal(coalesce_add(c, "/f", 0, 0, &w), 0);
	who_of(&w, 11, "sed");
	assert_int_equal(coalesce_add(c, "/f", 0, 1, &w), 0);
	who_of(&w, 0, "");
	assert_int_equal(coalesce_add(c, "/f", 0, 2, &w), 0);
	assert_int_equal(coalesce_add(c, "/f", 0, 3, NULL), 0);
	/* The caller's struct is copied, not kept. */
	who_of(&w, 12, "cp");

	assert_non_null(t = coalesce_take_due(c, 3 + QUIET, &n));
	assert_int_equal(n, 2);
	assert_string_equal(t[0].path, "/unknown");
	assert_null(t[0].who);
	assert_string_equal(t[1].path, "/f");
	assert_non_null(t[1].who);
	assert_int_equal(t[1].who->pid, 11);
	assert_string_equal(t[1].who->name, "sed");
	fim_targets_free(t, n);
	coalesce_free(c);
}

/* At most MAX_PENDING paths wait; the ones waiting still coalesce. */
static void
test_bound_and_clear(void **state)
{
	struct coalescer *c;
	struct fim_target *t;
	struct fim_who w;
	char path[32];
	size_t n;
	int i;

	(void)state;
	assert_non_null(c = coalesce_new(QUIET));
	who_of(&w, 7, "make");
	for (i = 0; i < MAX_PENDING; i++) {
		snprintf(path, sizeof(path), "/p/%d", i);
		assert_int_equal(coalesce_add(c, path, 0, 0, &w), 0);
	}
	assert_int_equal(coalesce_count(c), MAX_PENDING);
	assert_int_equal(coalesce_add(c, "/p/more", 0, 0, NULL), -1);
	assert_int_equal(coalesce_add(c, "/p/0", 1, 0, NULL), 0);
	assert_int_equal(coalesce_count(c), MAX_PENDING);

	assert_non_null(t = coalesce_take_due(c, SETTLE_MS, &n));
	assert_int_equal(n, 1);
	assert_string_equal(t[0].path, "/p/0");
	assert_int_equal(t[0].who->pid, 7);
	fim_targets_free(t, n);
	assert_int_equal(coalesce_add(c, "/p/more", 0, 0, NULL), 0);

	/* Forgotten (a rescan is coming): nothing waits, frees all. */
	coalesce_clear(c);
	assert_int_equal(coalesce_count(c), 0);
	assert_int_equal(coalesce_wait_ms(c, 0), -1);
	assert_due(c, 1000000, "none");
	assert_int_equal(coalesce_add(c, "/again", 0, 0, NULL), 0);
	assert_int_equal(coalesce_count(c), 1);
	coalesce_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_closed),
		cmocka_unit_test(test_bounded_delay),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_who),
		cmocka_unit_test(test_bound_and_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

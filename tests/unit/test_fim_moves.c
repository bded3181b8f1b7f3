/*
 * Unit tests for the bookkeeping of moves (fim/moves.c): a missing path
 * is paired with the new path of the same device, inode and mtime, and
 * once only; held paths wait until their time and are settled in order;
 * new paths are drained in order; and what is left unpaired is there to
 * be reported deleted or created.  Times are passed in, so no clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fim/moves.h"

static struct file_state *
state(uint64_t dev, uint64_t ino, int64_t mtime_ns)
{
	static struct file_state fs;

	memset(&fs, 0, sizeof(fs));
	fs.dev = dev;
	fs.ino = ino;
	fs.mtime_ns = mtime_ns;
	return &fs;
}

/* What the callbacks saw, and what settle() answers. */
struct log {
	struct moves	*mv;
	char		 what[16][64];
	size_t		 n;
	long		 now_ms;	/* settle: keep what is not due */
	int		 pair;		/* settle: look up and mark new names */
};

/* "verb path" or "verb path to" into the log. */
static void
log_add(struct log *l, const char *verb, const char *path, const char *to)
{
	assert_true(l->n < 16);
	snprintf(l->what[l->n++], sizeof(l->what[0]), "%s %s%s%s", verb, path,
	    to != NULL ? " " : "", to != NULL ? to : "");
}

/* As the scanner does: paired is moved, not due is kept, else deleted. */
static int
settle(void *arg, const struct missing_path *m)
{
	struct log *l = arg;
	struct new_path *to;

	if (l->pair && (to = moves_new_name_of(l->mv, m)) != NULL) {
		log_add(l, "moved", m->path, to->path);
		to->moved = 1;
		return 1;
	}
	if (m->until_ms > l->now_ms) {
		log_add(l, "kept", m->path, NULL);
		return 0;
	}
	log_add(l, "deleted", m->path, NULL);
	return 1;
}

static void
drained(void *arg, const struct new_path *e)
{
	struct log *l = arg;

	log_add(l, e->moved ? "moved-to" : "created", e->path, NULL);
}

/* A new moves and its empty log; settle pairs paths when pair is set. */
static struct moves *
new_moves(struct log *l, int pair)
{
	memset(l, 0, sizeof(*l));
	assert_non_null(l->mv = moves_new());
	l->pair = pair;
	return l->mv;
}

/*
 * What was logged since the last check, "; "-separated ("none" when
 * nothing was), must be want.  The log is emptied for the next check.
 */
static void
assert_log(struct log *l, const char *step, const char *want)
{
	char got[1024] = "none";
	size_t i, len = 0;

	for (i = 0; i < l->n; i++) {
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s",
		    i > 0 ? "; " : "", l->what[i]);
		assert_true(len < sizeof(got));
	}
	l->n = 0;
	if (strcmp(got, want) != 0)
		fail_msg("%s: %s, want %s", step, got, want);
}

/* Settling the held paths at now_ms logs want. */
static void
assert_settle(struct log *l, long now_ms, const char *want)
{
	char step[64];

	l->now_ms = now_ms;
	moves_settle_held(l->mv, settle, l);
	snprintf(step, sizeof(step), "settled at %ld", now_ms);
	assert_log(l, step, want);
}

/* Draining the new paths logs want. */
static void
assert_drain(struct log *l, const char *want)
{
	moves_drain_new(l->mv, drained, l);
	assert_log(l, "drained", want);
}

static void
test_empty(void **state_)
{
	struct moves *mv;
	struct log l;

	(void)state_;
	moves_free(NULL);
	mv = new_moves(&l, 0);
	assert_int_equal(moves_hold_wait_ms(mv, 0), -1);
	moves_hold_missing(mv, 100);
	assert_int_equal(moves_hold_wait_ms(mv, 0), -1);
	assert_settle(&l, 0, "none");
	assert_drain(&l, "none");
	moves_free(mv);
}

/* A rename seen within one job: one move, nothing deleted or created. */
static void
test_pair(void **state_)
{
	struct moves *mv;
	struct log l;

	(void)state_;
	mv = new_moves(&l, 1);
	assert_int_equal(moves_add_new(mv, "/d/new", state(1, 42, 7)), 0);
	moves_add_missing(mv, "/d/old", state(1, 42, 7));
	moves_hold_missing(mv, 1000);
	assert_int_equal(moves_hold_wait_ms(mv, 0), 1000);

	assert_settle(&l, 0, "moved /d/old /d/new");
	/* Settled: not held any more. */
	assert_int_equal(moves_hold_wait_ms(mv, 0), -1);
	assert_drain(&l, "moved-to /d/new");
	moves_free(mv);
}

/* Device, inode and mtime must all agree; a moved new path is taken. */
static void
test_identity(void **state_)
{
	struct moves *mv;
	struct log l;

	(void)state_;
	mv = new_moves(&l, 1);
	/* The inode number given again to a new file: another mtime. */
	assert_int_equal(moves_add_new(mv, "/reused", state(1, 5, 200)), 0);
	assert_int_equal(moves_add_new(mv, "/otherdev", state(2, 5, 100)), 0);
	assert_int_equal(moves_add_new(mv, "/otherino", state(1, 6, 100)), 0);
	assert_int_equal(moves_add_new(mv, "/first", state(1, 5, 100)), 0);
	assert_int_equal(moves_add_new(mv, "/second", state(1, 5, 100)), 0);
	/* Two missing paths of one identity (hard links): one name each. */
	moves_add_missing(mv, "/gone1", state(1, 5, 100));
	moves_add_missing(mv, "/gone2", state(1, 5, 100));
	moves_add_missing(mv, "/gone3", state(1, 5, 100));
	moves_hold_missing(mv, 50);

	assert_settle(&l, 50, "moved /gone1 /first; moved /gone2 /second; "
	    "deleted /gone3");
	assert_drain(&l, "created /reused; created /otherdev; "
	    "created /otherino; moved-to /first; moved-to /second");
	moves_free(mv);
}

/*
 * The two halves in different jobs: the missing path waits, its new
 * name comes later; one that never gets one expires into a deletion.
 */
static void
test_hold_expiry(void **state_)
{
	struct moves *mv;
	struct log l;

	(void)state_;
	mv = new_moves(&l, 1);

	/* Job 1 at t=0: two files missing, nothing new. */
	moves_add_missing(mv, "/a", state(1, 1, 1));
	moves_add_missing(mv, "/b", state(1, 2, 2));
	moves_hold_missing(mv, 500);
	assert_settle(&l, 0, "kept /a; kept /b");
	assert_drain(&l, "none");
	assert_int_equal(moves_hold_wait_ms(mv, 100), 400);

	/* Job 2 at t=200: /b's new name, and /c missing until 900. */
	assert_int_equal(moves_add_new(mv, "/b2", state(1, 2, 2)), 0);
	moves_add_missing(mv, "/c", state(1, 3, 3));
	moves_hold_missing(mv, 900);
	assert_settle(&l, 200, "kept /a; moved /b /b2; kept /c");
	assert_drain(&l, "moved-to /b2");
	/* The earliest held wins; one past due waits 0. */
	assert_int_equal(moves_hold_wait_ms(mv, 200), 300);
	assert_int_equal(moves_hold_wait_ms(mv, 600), 0);

	/* At t=500 /a has waited long enough: deleted, /c still held. */
	assert_settle(&l, 500, "deleted /a; kept /c");
	assert_int_equal(moves_hold_wait_ms(mv, 500), 400);
	moves_free(mv);	/* frees /c still held */
}

/* A path held already keeps its time; a stopped job's are let go. */
static void
test_hold_once_and_forget(void **state_)
{
	struct moves *mv;
	struct log l;

	(void)state_;
	mv = new_moves(&l, 0);
	moves_add_missing(mv, "/x", state(1, 1, 1));
	moves_hold_missing(mv, 100);
	moves_add_missing(mv, "/x", state(1, 1, 1));
	moves_hold_missing(mv, 900);
	assert_int_equal(moves_hold_wait_ms(mv, 0), 100);

	/* Forgotten: never held, so never reported. */
	moves_add_missing(mv, "/y", state(1, 2, 2));
	moves_forget_missing(mv);
	moves_hold_missing(mv, 50);
	assert_int_equal(moves_hold_wait_ms(mv, 0), 100);

	assert_settle(&l, 100, "deleted /x");
	assert_int_equal(moves_hold_wait_ms(mv, 0), -1);

	/* Missing paths left at free are freed too. */
	moves_add_missing(mv, "/z", state(1, 3, 3));
	moves_free(mv);
}

/* Counts for test_many(): moves must pair /old/i with /new/999-i. */
struct counts {
	struct moves	*mv;
	int		 moved, created, next_old;
};

static int
settle_count(void *arg, const struct missing_path *m)
{
	struct counts *c = arg;
	struct new_path *to;
	char want[32];

	snprintf(want, sizeof(want), "/old/%d", c->next_old++);
	assert_string_equal(m->path, want);
	assert_non_null(to = moves_new_name_of(c->mv, m));
	snprintf(want, sizeof(want), "/new/%d", 999 - (c->next_old - 1));
	assert_string_equal(to->path, want);
	to->moved = 1;
	c->moved++;
	return 1;
}

static void
drain_count(void *arg, const struct new_path *e)
{
	struct counts *c = arg;
	char want[32];

	snprintf(want, sizeof(want), "/new/%d", c->created);
	assert_string_equal(e->path, want);
	assert_int_equal(e->moved, c->created >= 700);
	c->created++;
}

/* Beyond the first capacities: every entry kept, in order. */
static void
test_many(void **state_)
{
	struct moves *mv;
	struct counts c = { .moved = 0 };
	char path[32];
	int i;

	(void)state_;
	assert_non_null(mv = moves_new());
	c.mv = mv;
	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/new/%d", i);
		assert_int_equal(moves_add_new(mv, path,
		    state(1, (uint64_t)i, i)), 0);
	}
	for (i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "/old/%d", i);
		moves_add_missing(mv, path, state(1, (uint64_t)(999 - i),
		    999 - i));
	}
	moves_hold_missing(mv, 10);
	moves_settle_held(mv, settle_count, &c);
	assert_int_equal(c.moved, 300);
	assert_int_equal(moves_hold_wait_ms(mv, 0), -1);
	moves_drain_new(mv, drain_count, &c);
	assert_int_equal(c.created, 1000);
	/* Drained: a second drain hands out nothing. */
	moves_drain_new(mv, drain_count, &c);
	assert_int_equal(c.created, 1000);
	moves_free(mv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_pair),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_hold_expiry),
		cmocka_unit_test(test_hold_once_and_forget),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for finding lost audit events by their serials
 * (parsers/seq_tracker.h).  Every test feeds serials with explicit times
 * (sec/msec of the event, `now` of the clock) and checks the exact gaps
 * reported, in order, and the running `lost` total.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/seq_tracker.h"
#include "helpers.h"

#define NOW	1000		/* an arbitrary clock reading */

/* Feed serial; every gap it settles is appended to gaps (up to max). */
static size_t
feed(struct seq_tracker *t, unsigned long serial, unsigned long sec,
    time_t now, struct seq_gap *gaps, size_t max)
{
	struct seq_gap g;
	size_t n = 0;
	int guard = 0;

	while (seq_tracker_seen(t, serial, sec, 7, now, &g)) {
		assert_true(n < max);
		gaps[n++] = g;
		assert_true(++guard < 100);	/* must come back with 0 */
	}
	return n;
}

/* Feed serial, expecting no gap at all. */
static void
feed_quiet(struct seq_tracker *t, unsigned long serial, time_t now)
{
	struct seq_gap g;

	memset(&g, 0, sizeof(g));
	if (seq_tracker_seen(t, serial, 1700000000 + serial, 7, now, &g))
		fail_msg("serial %lu settled gap %lu..%lu, want none", serial,
		    g.first, g.last);
}

/*
 * Collect into gaps (up to max) what seq_tracker_tick(now) reports, or
 * with tick 0, what seq_tracker_flush reports.
 */
static size_t
collect(struct seq_tracker *t, int tick, time_t now, struct seq_gap *gaps,
    size_t max)
{
	struct seq_gap g;
	size_t n = 0;

	while (tick ? seq_tracker_tick(t, now, &g) : seq_tracker_flush(t, &g)) {
		assert_true(n < max);
		gaps[n++] = g;
	}
	return n;
}

static size_t
flush_all(struct seq_tracker *t, struct seq_gap *gaps, size_t max)
{
	return collect(t, 0, 0, gaps, max);
}

static size_t
tick_all(struct seq_tracker *t, time_t now, struct seq_gap *gaps, size_t max)
{
	return collect(t, 1, now, gaps, max);
}

/* Feed each of n serials, expecting no gap at all. */
static void
feed_quiet_list(struct seq_tracker *t, const unsigned long *serials, size_t n,
    time_t now)
{
	size_t i;

	for (i = 0; i < n; i++)
		feed_quiet(t, serials[i], now);
}

/* Feed the serials listed, in that order, at NOW. */
#define FEED_QUIET(t, ...)						\
	feed_quiet_list((t), (const unsigned long[]){ __VA_ARGS__ },	\
	    N_ELEMENTS(((const unsigned long[]){ __VA_ARGS__ })), NOW)

/*
 * The gaps, written "first..last" and space-separated ("none" when there
 * is none), must be what the format says.  what says where they came from.
 */
static void __attribute__((format(printf, 4, 0)))
check_gaps(const char *what, const struct seq_gap *gaps, size_t n,
    const char *fmt, va_list ap)
{
	char want[256], got[256] = "none";
	size_t i, len = 0;

	vsnprintf(want, sizeof(want), fmt, ap);
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(got + len, sizeof(got) - len,
		    "%s%lu..%lu", i > 0 ? " " : "", gaps[i].first,
		    gaps[i].last);
		assert_true(len < sizeof(got));
	}
	if (strcmp(got, want) != 0)
		fail_msg("%s reported gaps %s, want %s", what, got, want);
}

/* Flushing reports the gaps of the format; t->lost is then lost. */
static void __attribute__((format(printf, 3, 4)))
assert_flush(struct seq_tracker *t, unsigned long lost, const char *fmt, ...)
{
	struct seq_gap gaps[16];
	va_list ap;
	size_t n;

	n = flush_all(t, gaps, 16);
	va_start(ap, fmt);
	check_gaps("flush", gaps, n, fmt, ap);
	va_end(ap);
	assert_int_equal(t->lost, lost);
}

/* A tick at now reports the gaps of the format; t->lost is then lost. */
static void __attribute__((format(printf, 4, 5)))
assert_tick(struct seq_tracker *t, time_t now, unsigned long lost,
    const char *fmt, ...)
{
	struct seq_gap gaps[16];
	char what[64];
	va_list ap;
	size_t n;

	n = tick_all(t, now, gaps, 16);
	snprintf(what, sizeof(what), "tick at NOW%+ld", (long)(now - NOW));
	va_start(ap, fmt);
	check_gaps(what, gaps, n, fmt, ap);
	va_end(ap);
	assert_int_equal(t->lost, lost);
}

/*
 * Serial arriving (at second sec) settles the gaps of the format; t->lost
 * is then lost.
 */
static void __attribute__((format(printf, 5, 6)))
assert_feed(struct seq_tracker *t, unsigned long serial, unsigned long sec,
    unsigned long lost, const char *fmt, ...)
{
	struct seq_gap gaps[16];
	char what[64];
	va_list ap;
	size_t n;

	n = feed(t, serial, sec, NOW, gaps, 16);
	snprintf(what, sizeof(what), "serial %lu", serial);
	va_start(ap, fmt);
	check_gaps(what, gaps, n, fmt, ap);
	va_end(ap);
	assert_int_equal(t->lost, lost);
}

/* Flushing reports no gap and nothing was lost. */
static void
assert_nothing_lost(struct seq_tracker *t)
{
	assert_flush(t, 0, "none");
}

#define assert_gap(g, f, l) do {					\
	assert_int_equal((g).first, (f));				\
	assert_int_equal((g).last, (l));				\
} while (0)

static void
test_contiguous_no_gap(void **state)
{
	struct seq_tracker t;
	unsigned long s;

	(void)state;
	seq_tracker_init(&t);
	for (s = 100; s <= 300; s++)
		feed_quiet(&t, s, NOW);
	assert_flush(&t, 0, "none");
	assert_tick(&t, NOW + 3600, 0, "none");
}

static void
test_serial_zero_ignored(void **state)
{
	struct seq_tracker t;

	(void)state;
	seq_tracker_init(&t);
	feed_quiet(&t, 0, NOW);
	assert_int_equal(t.started, 0);
	FEED_QUIET(&t, 10, 0, 11);
	assert_nothing_lost(&t);
}

static void
test_reordered_serial_is_no_gap(void **state)
{
	struct seq_tracker t;

	(void)state;
	seq_tracker_init(&t);
	/* 501 and 503 are late, but within the window. */
	FEED_QUIET(&t, 500, 502, 504, 501, 503, 505);
	assert_nothing_lost(&t);
	/* Everything up to 505 is settled: 506 follows without a gap. */
	feed_quiet(&t, 506, NOW);
	assert_flush(&t, 0, "none");
}

static void
test_missing_serial_flushed(void **state)
{
	struct seq_tracker t;
	struct seq_gap gaps[4];

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 100, 101, 105);
	assert_int_equal(t.lost, 0);		/* not declared yet */
	assert_int_equal(flush_all(&t, gaps, 4), 1);
	assert_gap(gaps[0], 102, 104);
	/* The only event after the gap is 105: its time dates the gap. */
	assert_int_equal(gaps[0].sec, 1700000105);
	assert_int_equal(gaps[0].msec, 7);
	assert_int_equal(t.lost, 3);
	assert_flush(&t, 3, "none");
}

/*
 * A gap is dated by the event seen right after it (seq_gap.sec/msec), not
 * by whatever event came last before the gap was settled.
 */
static void
test_gap_time_is_event_after_gap(void **state)
{
	struct seq_tracker t;
	struct seq_gap gaps[4];

	(void)state;
	seq_tracker_init(&t);
	assert_int_equal(feed(&t, 1, 1700000010, NOW, gaps, 4), 0);
	assert_int_equal(feed(&t, 3, 1700000030, NOW, gaps, 4), 0);
	assert_int_equal(feed(&t, 4, 1700000040, NOW, gaps, 4), 0);
	assert_int_equal(flush_all(&t, gaps, 4), 1);
	assert_gap(gaps[0], 2, 2);
	if (gaps[0].sec != 1700000030)
		fail_msg("gap 2..2 dated %lu, the time of serial 4; serial 3, "
		    "right after the gap, is at 1700000030", gaps[0].sec);
}

static void
test_several_gaps_in_order(void **state)
{
	struct seq_tracker t;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 1, 3, 6, 7, 10, 11, 20);
	assert_flush(&t, 1 + 2 + 2 + 8, "2..2 4..5 8..9 12..19");
	/* Later gaps add to the total. */
	feed_quiet(&t, 23, NOW);
	assert_flush(&t, 13 + 2, "21..22");
}

static void
test_late_arrival_fills_part_of_gap(void **state)
{
	struct seq_tracker t;

	(void)state;
	seq_tracker_init(&t);
	/* 5 splits 2..9 into 2..4, 6..9. */
	FEED_QUIET(&t, 1, 10, 5);
	assert_flush(&t, 7, "2..4 6..9");
}

static void
test_duplicates_ignored(void **state)
{
	struct seq_tracker t;

	(void)state;
	seq_tracker_init(&t);
	/* The second 4 is a duplicate beyond the gap. */
	FEED_QUIET(&t, 1, 2, 2, 1, 4, 4);
	assert_flush(&t, 1, "3..3");
	/* A serial already declared lost that turns up is not counted. */
	FEED_QUIET(&t, 3, 5);
	assert_flush(&t, 1, "none");
}

static void
test_tick_waits_seq_lost_after(void **state)
{
	struct seq_tracker t;

	(void)state;
	seq_tracker_init(&t);
	/* 3 is missing from NOW on. */
	FEED_QUIET(&t, 1, 2, 4);
	assert_tick(&t, NOW, 0, "none");
	assert_tick(&t, NOW + SEQ_LOST_AFTER - 1, 0, "none");
	assert_tick(&t, NOW + SEQ_LOST_AFTER, 1, "3..3");
	assert_tick(&t, NOW + 3600, 1, "none");
	assert_flush(&t, 1, "none");
}

static void
test_tick_late_arrival_in_time(void **state)
{
	struct seq_tracker t;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 1, 3);
	assert_tick(&t, NOW + SEQ_LOST_AFTER - 1, 0, "none");
	feed_quiet(&t, 2, NOW + SEQ_LOST_AFTER - 1);
	assert_tick(&t, NOW + 3600, 0, "none");
	assert_nothing_lost(&t);
}

/*
 * The clock of a gap starts when the gap appears (the first serial past
 * it arrives), not when the tracker last moved on: after a quiet spell, an
 * event arriving just before the one it follows is no loss.
 */
static void
test_tick_after_idle_period(void **state)
{
	struct seq_tracker t;
	struct seq_gap gaps[4];

	(void)state;
	seq_tracker_init(&t);
	feed_quiet(&t, 1, NOW);
	/* Nothing for an hour, then 3 completes just before 2. */
	feed_quiet(&t, 3, NOW + 3600);
	if (tick_all(&t, NOW + 3600, gaps, 4) != 0)
		fail_msg("serial %lu declared lost at once, missing for 0 "
		    "seconds (SEQ_LOST_AFTER is %d)", gaps[0].first,
		    SEQ_LOST_AFTER);
	assert_tick(&t, NOW + 3600 + SEQ_LOST_AFTER - 1, 0, "none");
	assert_tick(&t, NOW + 3600 + SEQ_LOST_AFTER, 1, "2..2");
}

static void
test_tick_reports_each_gap(void **state)
{
	struct seq_tracker t;
	struct seq_gap gaps[4], all[4];
	size_t n, total = 0, i;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 1, 3, 5);
	assert_tick(&t, NOW + SEQ_LOST_AFTER - 1, 0, "none");
	n = tick_all(&t, NOW + SEQ_LOST_AFTER, gaps, 4);
	assert_true(n >= 1);
	for (i = 0; i < n; i++)
		all[total++] = gaps[i];
	n = tick_all(&t, NOW + 2 * SEQ_LOST_AFTER, gaps, 4);
	for (i = 0; i < n; i++)
		all[total++] = gaps[i];
	assert_int_equal(total, 2);
	assert_gap(all[0], 2, 2);
	assert_gap(all[1], 4, 4);
	assert_int_equal(t.lost, 2);
}

/*
 * A serial more than SEQ_WINDOW past a gap forces the gap out; the rest
 * waits.  Serial 2 is missing; 2 + SEQ_WINDOW arrives.
 */
static void
test_window_forces_oldest_gap(void **state)
{
	struct seq_tracker t;
	unsigned long far = 2 + SEQ_WINDOW;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 1, 3);
	assert_feed(&t, far, 1700009999, 1, "2..2");
	/* 4 .. far-1 are still only missing: one of them arrives late. */
	feed_quiet(&t, far - 1, NOW);
	assert_flush(&t, 1 + (far - 2 - 4 + 1), "4..%lu", far - 2);
}

/* The same with two gaps below the far serial: both are forced out. */
static void
test_window_forces_gaps_one_by_one(void **state)
{
	struct seq_tracker t;
	unsigned long far = 5 + SEQ_WINDOW;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 1, 3, 6);
	assert_feed(&t, far, 1700009999, 3, "2..2 4..5");
	assert_flush(&t, 3 + (far - 1 - 7 + 1), "7..%lu", far - 1);
}

/*
 * A jump of more than SEQ_WINDOW with nothing else pending: serials
 * SEQ_WINDOW or more below the new one are lost, the ones closer to it may
 * still arrive (the header: lost "once a serial SEQ_WINDOW past it
 * arrives").
 */
static void
test_window_jump_keeps_recent_serials_open(void **state)
{
	struct seq_tracker t;
	struct seq_gap gaps[8];
	unsigned long far = 1 + SEQ_WINDOW + 10;
	size_t n, i;

	(void)state;
	seq_tracker_init(&t);
	feed_quiet(&t, 1, NOW);
	n = feed(&t, far, 1700009999, NOW, gaps, 8);
	assert_true(n >= 1);
	assert_int_equal(gaps[0].first, 2);
	for (i = 0; i < n; i++)
		/* Nothing less than SEQ_WINDOW below far is declared yet. */
		if (gaps[i].last + SEQ_WINDOW > far)
			fail_msg("serials %lu..%lu declared lost on the arrival "
			    "of %lu; only serials up to %lu were SEQ_WINDOW "
			    "behind it", gaps[i].first, gaps[i].last, far,
			    far - SEQ_WINDOW);
	/* far - 1 arrives right after far: reordering, not a loss. */
	feed_quiet(&t, far - 1, NOW);
	n = flush_all(&t, gaps, 8);
	assert_true(n >= 1);
	assert_int_equal(gaps[n - 1].last, far - 2);
	/* Every serial from 2 to far - 2 is lost, far - 1 is not. */
	assert_int_equal(t.lost, far - 3);
}

static void
test_far_below_is_new_stream(void **state)
{
	struct seq_tracker t;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 200000, 200001);
	/* A reboot: numbering starts over. */
	feed_quiet(&t, 5, NOW);
	assert_int_equal(t.base, 5);
	FEED_QUIET(&t, 6, 7);
	assert_nothing_lost(&t);
	/* The new stream tracks gaps as usual. */
	feed_quiet(&t, 9, NOW);
	assert_flush(&t, 1, "8..8");
}

static void
test_below_within_new_stream_is_late(void **state)
{
	struct seq_tracker t;

	(void)state;
	seq_tracker_init(&t);
	feed_quiet(&t, 200000, NOW);
	/* Exactly SEQ_NEW_STREAM below: an old event, not a new stream. */
	feed_quiet(&t, 200000 - SEQ_NEW_STREAM, NOW);
	assert_int_equal(t.base, 200000);
	feed_quiet(&t, 200001, NOW);
	assert_nothing_lost(&t);
}

static void
test_far_above_is_new_stream(void **state)
{
	struct seq_tracker t;
	unsigned long far = 100 + SEQ_NEW_STREAM + 1;

	(void)state;
	seq_tracker_init(&t);
	feed_quiet(&t, 100, NOW);
	feed_quiet(&t, far, NOW);	/* no gap of SEQ_NEW_STREAM events */
	assert_int_equal(t.base, far);
	feed_quiet(&t, far + 1, NOW);
	assert_nothing_lost(&t);
}

/*
 * A gap of the old stream is still a loss: a new stream must not make it
 * disappear (a replayed log spanning a reboot reports it).
 */
static void
test_new_stream_settles_old_gap(void **state)
{
	struct seq_tracker t;
	struct seq_gap gaps[4];
	size_t n;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 300000, 300002);		/* 300001 missing */
	n = feed(&t, 1, 1700000001, NOW, gaps, 4);	/* reboot */
	n += flush_all(&t, gaps + n, 4 - n);
	if (n == 0)
		fail_msg("the old stream's missing serial 300001 was never "
		    "reported");
	assert_int_equal(n, 1);
	assert_gap(gaps[0], 300001, 300001);
	assert_int_equal(t.lost, 1);
}

/*
 * A mark taken while serials 5 and 7 are still open (1..4 settled, 6 and
 * 8..10 seen) and resumed by a new tracker (a restart): only 5, 7 and
 * what never came after the mark (11) are lost, not 6 or 8..10.
 */
static void
test_mark_resume_knows_seen_serials(void **state)
{
	struct seq_tracker t, next;
	unsigned char mark[SEQ_MARK_MAX];
	size_t len;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 1, 2, 3, 4, 6, 8, 9, 10);
	len = seq_tracker_mark(&t, mark);
	assert_int_equal(len, 17 + 1);		/* 6 bits: one byte */
	assert_int_equal(seq_mark_settled(mark, len), 4);
	seq_tracker_init(&next);
	assert_int_equal(seq_tracker_resume_mark(&next, mark, len, NOW), 0);
	assert_int_equal(seq_tracker_settled(&next), 4);
	FEED_QUIET(&next, 12);
	assert_flush(&next, 3, "5..5 7..7 11..11");
}

/* Nothing open: the mark is the settled serial alone. */
static void
test_mark_in_order(void **state)
{
	struct seq_tracker t, next;
	unsigned char mark[SEQ_MARK_MAX];
	size_t len;

	(void)state;
	seq_tracker_init(&t);
	assert_int_equal(seq_tracker_mark(&t, mark), 0);	/* not started */
	FEED_QUIET(&t, 100, 101, 102);
	len = seq_tracker_mark(&t, mark);
	assert_int_equal(len, 17);
	seq_tracker_init(&next);
	assert_int_equal(seq_tracker_resume_mark(&next, mark, len, NOW), 0);
	FEED_QUIET(&next, 103, 104);
	assert_flush(&next, 0, "none");
}

/* The time of a lost range after a restart: the mark's newest event. */
static void
test_mark_gap_time(void **state)
{
	struct seq_tracker t, next;
	unsigned char mark[SEQ_MARK_MAX];
	struct seq_gap gaps[4];
	size_t len;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 1, 3);
	len = seq_tracker_mark(&t, mark);
	seq_tracker_init(&next);
	assert_int_equal(seq_tracker_resume_mark(&next, mark, len, NOW), 0);
	assert_int_equal(flush_all(&next, gaps, 4), 1);
	assert_int_equal(gaps[0].first, 2);
	assert_int_equal(gaps[0].last, 2);
	assert_int_equal(gaps[0].sec, 1700000000 + 3);
	assert_int_equal(gaps[0].msec, 7);
}

/* A mark read back from disk is hostile: anything malformed is refused. */
static void
test_mark_malformed(void **state)
{
	struct seq_tracker t, next;
	unsigned char mark[SEQ_MARK_MAX], bad[SEQ_MARK_MAX];
	size_t len;

	(void)state;
	seq_tracker_init(&t);
	FEED_QUIET(&t, 1, 2, 4);
	len = seq_tracker_mark(&t, mark);
	seq_tracker_init(&next);
	assert_int_equal(seq_tracker_resume_mark(&next, NULL, 0, NOW), -1);
	assert_int_equal(seq_tracker_resume_mark(&next, mark, len - 1, NOW), -1);
	assert_int_equal(seq_tracker_resume_mark(&next, mark, len + 1, NOW), -1);
	memcpy(bad, mark, len);
	bad[0] = 2;				/* another version */
	assert_int_equal(seq_tracker_resume_mark(&next, bad, len, NOW), -1);
	memcpy(bad, mark, len);
	bad[15] = 0xff;				/* more bits than the window */
	bad[16] = 0xff;
	assert_int_equal(seq_tracker_resume_mark(&next, bad, len, NOW), -1);
	memcpy(bad, mark, len);
	memset(bad + 1, 0, 8);			/* settled 0 */
	assert_int_equal(seq_tracker_resume_mark(&next, bad, len, NOW), -1);
	assert_int_equal(seq_mark_settled(bad, len), 0);
	assert_false(next.started);		/* untouched */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contiguous_no_gap),
		cmocka_unit_test(test_serial_zero_ignored),
		cmocka_unit_test(test_reordered_serial_is_no_gap),
		cmocka_unit_test(test_missing_serial_flushed),
		cmocka_unit_test(test_gap_time_is_event_after_gap),
		cmocka_unit_test(test_several_gaps_in_order),
		cmocka_unit_test(test_late_arrival_fills_part_of_gap),
		cmocka_unit_test(test_duplicates_ignored),
		cmocka_unit_test(test_tick_waits_seq_lost_after),
		cmocka_unit_test(test_tick_late_arrival_in_time),
		cmocka_unit_test(test_tick_after_idle_period),
		cmocka_unit_test(test_tick_reports_each_gap),
		cmocka_unit_test(test_window_forces_oldest_gap),
		cmocka_unit_test(test_window_forces_gaps_one_by_one),
		cmocka_unit_test(test_window_jump_keeps_recent_serials_open),
		cmocka_unit_test(test_far_below_is_new_stream),
		cmocka_unit_test(test_below_within_new_stream_is_late),
		cmocka_unit_test(test_far_above_is_new_stream),
		cmocka_unit_test(test_new_stream_settles_old_gap),
		cmocka_unit_test(test_mark_resume_knows_seen_serials),
		cmocka_unit_test(test_mark_in_order),
		cmocka_unit_test(test_mark_gap_time),
		cmocka_unit_test(test_mark_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Finding audit events that never arrived; see seq_tracker.h. */
#include "config.h"

#include <string.h>

#include "seq_tracker.h"

void
seq_tracker_init(struct seq_tracker *t)
{
	memset(t, 0, sizeof(*t));
}

static int
has_gap(const struct seq_tracker *t)
{
	return t->started && t->max_seen > t->base;
}

/* The slot of serial base+1+i. */
static struct seq_slot *
slot(struct seq_tracker *t, unsigned long i)
{
	return &t->window[(t->base + 1 + i) % SEQ_WINDOW];
}

/* Settle n serials: the window moves on. */
static void
shift(struct seq_tracker *t, unsigned long n)
{
	unsigned long i;

	if (n >= SEQ_WINDOW)
		memset(t->window, 0, sizeof(t->window));
	else
		for (i = 0; i < n; i++)
			memset(slot(t, i), 0, sizeof(struct seq_slot));
	t->base += n;
}

/* Settle every serial that has arrived right after base. */
static void
advance(struct seq_tracker *t, time_t now)
{
	unsigned long n = 0;

	while (n < SEQ_WINDOW && slot(t, n)->seen)
		n++;
	if (n == 0)
		return;
	shift(t, n);
	/* What is missing now is the oldest gap from this moment on. */
	if (has_gap(t))
		t->gap_since = now;
}

/*
 * Declare the run of missing serials at base+1 lost: at most up to limit,
 * and never past the next serial that did arrive.
 */
static int
take_gap(struct seq_tracker *t, unsigned long limit, time_t now,
    struct seq_gap *gap)
{
	unsigned long n = 0;

	while (n < SEQ_WINDOW && !slot(t, n)->seen &&
	    t->base + 1 + n <= limit)
		n++;
	if (n == 0)
		return 0;
	gap->first = t->base + 1;
	gap->last = t->base + n;
	if (n < SEQ_WINDOW && slot(t, n)->seen) {
		gap->sec = slot(t, n)->sec;
		gap->msec = slot(t, n)->msec;
	}
	t->lost += n;
	shift(t, n);
	t->gap_since = now;
	advance(t, now);
	return 1;
}

static void
restart(struct seq_tracker *t, unsigned long serial)
{
	memset(t->window, 0, sizeof(t->window));
	t->started = 1;
	t->base = serial;
	t->max_seen = serial;
}

int
seq_tracker_seen(struct seq_tracker *t, unsigned long serial,
    unsigned long sec, unsigned int msec, time_t now, struct seq_gap *gap)
{
	struct seq_slot *s;
	int had_gap;

	if (serial == 0)
		return 0;
	gap->sec = sec;
	gap->msec = msec;
	/* Far from what we know, either way: another stream (reboot, log). */
	if (!t->started || serial + SEQ_NEW_STREAM < t->base ||
	    serial > t->base + SEQ_NEW_STREAM) {
		if (has_gap(t))
			return take_gap(t, t->max_seen, now, gap);
		restart(t, serial);
		return 0;
	}
	if (serial <= t->base)
		return 0;		/* a duplicate or a late one */
	/*
	 * No room to wait longer for the oldest gap: it is lost, as one
	 * range up to the next serial that did arrive.  With no serial seen
	 * past it, only what falls out of the window: the serials just
	 * below this one may still come.
	 */
	if (serial > t->base + SEQ_WINDOW)
		return take_gap(t, t->max_seen > t->base ? t->max_seen :
		    serial - SEQ_WINDOW, now, gap);
	had_gap = has_gap(t);
	s = slot(t, serial - t->base - 1);
	s->seen = 1;
	s->sec = sec;
	s->msec = (unsigned short)msec;
	if (serial > t->max_seen)
		t->max_seen = serial;
	if (!had_gap && has_gap(t) && serial != t->base + 1)
		t->gap_since = now;
	advance(t, now);
	return 0;
}

void
seq_tracker_resume(struct seq_tracker *t, unsigned long base, time_t now)
{
	restart(t, base);
	t->gap_since = now;
}

static int
in_holes(const struct seq_holes *h, unsigned long serial)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (serial >= h->first[i] && serial <= h->last[i])
			return 1;
	return 0;
}

void
seq_tracker_resume_seen(struct seq_tracker *t, unsigned long base,
    const struct seq_holes *h, time_t now)
{
	struct seq_gap gap;
	unsigned long s;

	seq_tracker_resume(t, base, now);
	if (h->max_seen <= base || h->max_seen - base > SEQ_WINDOW)
		return;
	for (s = base + 1; s <= h->max_seen; s++)
		if (!in_holes(h, s))
			(void)seq_tracker_seen(t, s, (unsigned long)now, 0, now,
			    &gap);
}

int
seq_tracker_holes(const struct seq_tracker *t, struct seq_holes *h)
{
	unsigned long i, n;
	int open = 0;

	memset(h, 0, sizeof(*h));
	if (!t->started || t->max_seen <= t->base)
		return 0;
	h->max_seen = t->max_seen;
	n = t->max_seen - t->base;
	for (i = 0; i < n && i < SEQ_WINDOW; i++) {
		if (t->window[(t->base + 1 + i) % SEQ_WINDOW].seen) {
			open = 0;
			continue;
		}
		if (!open) {
			if (h->n == SEQ_HOLES_MAX)
				return -1;
			h->first[h->n++] = t->base + 1 + i;
		}
		h->last[h->n - 1] = t->base + 1 + i;
		open = 1;
	}
	return 0;
}

unsigned long
seq_tracker_settled(const struct seq_tracker *t)
{
	return t->started ? t->base : 0;
}

int
seq_tracker_tick(struct seq_tracker *t, time_t now, struct seq_gap *gap)
{
	memset(gap, 0, sizeof(*gap));
	if (!has_gap(t) || now - t->gap_since < SEQ_LOST_AFTER)
		return 0;
	return take_gap(t, t->max_seen, now, gap);
}

int
seq_tracker_flush(struct seq_tracker *t, struct seq_gap *gap)
{
	memset(gap, 0, sizeof(*gap));
	if (!has_gap(t))
		return 0;
	return take_gap(t, t->max_seen, t->gap_since, gap);
}

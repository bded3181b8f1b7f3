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

#define MARK_VERSION	1
#define MARK_HEADER	17

static void
put_le(unsigned char *p, unsigned long long v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static unsigned long long
get_le(const unsigned char *p, int n)
{
	unsigned long long v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

size_t
seq_tracker_mark(const struct seq_tracker *t, unsigned char buf[SEQ_MARK_MAX])
{
	unsigned long nbits, i, newest_sec = 0;
	unsigned int newest_msec = 0;
	const struct seq_slot *s;

	if (!t->started)
		return 0;
	nbits = t->max_seen > t->base ? t->max_seen - t->base : 0;
	if (nbits > SEQ_WINDOW)
		nbits = SEQ_WINDOW;
	memset(buf + MARK_HEADER, 0, (nbits + 7) / 8);
	for (i = 0; i < nbits; i++) {
		s = &t->window[(t->base + 1 + i) % SEQ_WINDOW];
		if (!s->seen)
			continue;
		buf[MARK_HEADER + i / 8] |= (unsigned char)(1u << (i % 8));
		newest_sec = s->sec;
		newest_msec = s->msec;
	}
	buf[0] = MARK_VERSION;
	put_le(buf + 1, t->base, 8);
	put_le(buf + 9, newest_sec, 4);
	put_le(buf + 13, newest_msec, 2);
	put_le(buf + 15, nbits, 2);
	return MARK_HEADER + (nbits + 7) / 8;
}

/* The count of bits of a well-formed mark, else -1. */
static long
mark_bits(const unsigned char *mark, size_t len)
{
	unsigned long long nbits;

	if (mark == NULL || len < MARK_HEADER || mark[0] != MARK_VERSION ||
	    get_le(mark + 1, 8) == 0 || get_le(mark + 13, 2) > 999)
		return -1;
	nbits = get_le(mark + 15, 2);
	if (nbits > SEQ_WINDOW || len != MARK_HEADER + (nbits + 7) / 8)
		return -1;
	return (long)nbits;
}

unsigned long
seq_mark_settled(const unsigned char *mark, size_t len)
{
	return mark_bits(mark, len) == -1 ? 0 :
	    (unsigned long)get_le(mark + 1, 8);
}

int
seq_tracker_resume_mark(struct seq_tracker *t, const unsigned char *mark,
    size_t len, time_t now)
{
	struct seq_slot *s;
	long nbits, i;

	if ((nbits = mark_bits(mark, len)) == -1)
		return -1;
	seq_tracker_resume(t, (unsigned long)get_le(mark + 1, 8), now);
	for (i = 0; i < nbits; i++) {
		if (!(mark[MARK_HEADER + i / 8] & (1u << (i % 8))))
			continue;
		s = slot(t, (unsigned long)i);
		s->seen = 1;
		s->sec = (unsigned long)get_le(mark + 9, 4);
		s->msec = (unsigned short)get_le(mark + 13, 2);
		t->max_seen = t->base + 1 + (unsigned long)i;
	}
	/* A mark is taken after advance(): the serial after settled is open. */
	advance(t, now);
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

/* Finding audit events that never arrived; see seq_tracker.h. */
#include "config.h"

#include <string.h>

#include "seq_tracker.h"

void
seq_tracker_init(struct seq_tracker *t)
{
	memset(t, 0, sizeof(*t));
}

/* Bit for serial base+1+i. */
static int
bit(const struct seq_tracker *t, unsigned long i)
{
	return (t->seen[i / 8] >> (i % 8)) & 1;
}

static void
set_bit(struct seq_tracker *t, unsigned long i)
{
	t->seen[i / 8] |= (unsigned char)(1u << (i % 8));
}

/* Move the window on by n serials (n <= SEQ_WINDOW). */
static void
shift(struct seq_tracker *t, unsigned long n)
{
	unsigned char next[SEQ_WINDOW / 8];
	unsigned long i;

	memset(next, 0, sizeof(next));
	for (i = n; i < SEQ_WINDOW; i++)
		if (bit(t, i))
			next[(i - n) / 8] |= (unsigned char)(1u << ((i - n) % 8));
	memcpy(t->seen, next, sizeof(next));
	t->base += n;
}

/* Settle every serial that has arrived right after base. */
static void
advance(struct seq_tracker *t, time_t now)
{
	unsigned long n = 0;

	while (n < SEQ_WINDOW && bit(t, n))
		n++;
	if (n > 0) {
		shift(t, n);
		t->gap_since = now;
	}
}

static int
has_gap(const struct seq_tracker *t)
{
	return t->started && t->max_seen > t->base;
}

/* Declare the missing run at base+1 lost and settle it. */
static int
take_gap(struct seq_tracker *t, time_t now, struct seq_gap *gap)
{
	unsigned long n = 0;

	while (n < SEQ_WINDOW && !bit(t, n) && t->base + 1 + n <= t->max_seen)
		n++;
	if (n == 0)
		return 0;
	gap->first = t->base + 1;
	gap->last = t->base + n;
	gap->sec = t->last_sec;
	gap->msec = t->last_msec;
	t->lost += n;
	shift(t, n);
	advance(t, now);
	t->gap_since = now;
	return 1;
}

static void
restart(struct seq_tracker *t, unsigned long serial, time_t now)
{
	memset(t->seen, 0, sizeof(t->seen));
	t->started = 1;
	t->base = serial;
	t->max_seen = serial;
	t->gap_since = now;
}

int
seq_tracker_seen(struct seq_tracker *t, unsigned long serial,
    unsigned long sec, unsigned int msec, time_t now, struct seq_gap *gap)
{
	if (serial == 0)
		return 0;
	t->last_sec = sec;
	t->last_msec = msec;
	/* Far from what we know, either way: another stream (reboot, log). */
	if (!t->started || serial + SEQ_NEW_STREAM < t->base ||
	    serial > t->base + SEQ_NEW_STREAM) {
		restart(t, serial, now);
		return 0;
	}
	if (serial <= t->base)
		return 0;		/* a duplicate or a late one */
	if (serial > t->base + SEQ_WINDOW) {
		/* No room to wait for the oldest gap any longer. */
		if (t->max_seen == t->base) {
			gap->first = t->base + 1;
			gap->last = serial - 1;
			gap->sec = sec;
			gap->msec = msec;
			t->lost += gap->last - gap->first + 1;
			restart(t, serial, now);
			return 1;
		}
		return take_gap(t, now, gap);
	}
	set_bit(t, serial - t->base - 1);
	if (serial > t->max_seen)
		t->max_seen = serial;
	if (serial == t->base + 1)
		advance(t, now);
	return 0;
}

int
seq_tracker_tick(struct seq_tracker *t, time_t now, struct seq_gap *gap)
{
	if (!has_gap(t) || now - t->gap_since < SEQ_LOST_AFTER)
		return 0;
	return take_gap(t, now, gap);
}

int
seq_tracker_flush(struct seq_tracker *t, struct seq_gap *gap)
{
	if (!has_gap(t))
		return 0;
	return take_gap(t, t->gap_since, gap);
}

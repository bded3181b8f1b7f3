/* Healing a gap from auditd's log; see backfill.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "backfill.h"

void
backfilled_set_add(struct backfilled_set *s, unsigned long serial)
{
	unsigned long off;

	/* Past the window: slide it so that serial is its newest. */
	if (serial >= s->base + BACKFILL_REMEMBER) {
		unsigned long shift = serial - (s->base + BACKFILL_REMEMBER) + 1;

		if (shift >= BACKFILL_REMEMBER || s->base == 0)
			memset(s->bits, 0, sizeof(s->bits));
		else {
			unsigned long i;

			for (i = s->base; i < s->base + shift; i++)
				s->bits[(i % BACKFILL_REMEMBER) / 8] &=
				    (unsigned char)~(1U << (i % 8));
		}
		s->base = serial - BACKFILL_REMEMBER + 1;
	}
	if (serial < s->base)
		return;
	off = serial % BACKFILL_REMEMBER;
	s->bits[off / 8] |= (unsigned char)(1U << (off % 8));
}

int
backfilled_set_has(const struct backfilled_set *s, unsigned long serial)
{
	unsigned long off = serial % BACKFILL_REMEMBER;

	if (serial < s->base || serial >= s->base + BACKFILL_REMEMBER)
		return 0;
	return (s->bits[off / 8] >> (off % 8)) & 1;
}

/* The parser thread's, the only one that heals gaps. */
static struct ratelimit unreadable_log = RATELIMIT_INIT(3600, 1);

/* One read of the log: the serials lo..hi, of which some are wanted. */
struct heal {
	const struct backfill_calls *calls;
	unsigned long	 lo, hi;
	unsigned char	*wanted;	/* a bit per serial from lo */
	unsigned char	*found;
};

static int
bit(const unsigned char *bits, unsigned long off)
{
	return (bits[off / 8] >> (off % 8)) & 1;
}

static void
set_bit(unsigned char *bits, unsigned long off)
{
	bits[off / 8] |= (unsigned char)(1U << (off % 8));
}

static void
take_record(void *arg, const char *line, size_t len, unsigned long serial)
{
	struct heal *h = arg;
	unsigned long off = serial - h->lo;

	/* Serials in between arrived live: only the wanted ones are fed. */
	if (!bit(h->wanted, off))
		return;
	set_bit(h->found, off);
	h->calls->record(h->calls->ctx, line, len);
}

/* The runs of want's serials the log does not have, each told once. */
static void
report_missing(struct heal *h, const struct backfill_want *want)
{
	struct seq_gap run = want->gap;
	unsigned long s;
	int open = 0;

	for (s = want->gap.first; s <= want->gap.last; s++) {
		if (!bit(h->found, s - h->lo)) {
			if (!open)
				run.first = s;
			run.last = s;
			open = 1;
			continue;
		}
		if (open)
			h->calls->missing(h->calls->ctx, &run, want->tag);
		open = 0;
	}
	if (open)
		h->calls->missing(h->calls->ctx, &run, want->tag);
}

/*
 * wants[0..n), sorted by first serial and spanning at most max_events
 * serials, in one read of the log.
 */
static void
heal_group(const struct backfill_options *o, const struct backfill_want *w,
    int n, const struct backfill_calls *calls, struct backfill_result *res)
{
	struct log_scan_result scan;
	struct heal h;
	unsigned long s, span, sec = 0;
	int i;

	memset(&h, 0, sizeof(h));
	h.calls = calls;
	h.lo = w[0].gap.first;
	for (i = 0; i < n; i++) {
		if (w[i].gap.last > h.hi)
			h.hi = w[i].gap.last;
		if (w[i].gap.sec > sec)
			sec = w[i].gap.sec;
	}
	span = h.hi - h.lo + 1;
	if ((h.wanted = calloc(span / 8 + 1, 1)) == NULL ||
	    (h.found = calloc(span / 8 + 1, 1)) == NULL) {
		free(h.wanted);
		for (i = 0; i < n; i++)
			calls->missing(calls->ctx, &w[i].gap, w[i].tag);
		return;
	}
	for (i = 0; i < n; i++)
		for (s = w[i].gap.first; s <= w[i].gap.last; s++) {
			set_bit(h.wanted, s - h.lo);
			res->wanted++;
		}
	if (log_scan(o->log_file, h.lo, h.hi, sec, &o->limits, take_record,
	    &h, &scan) == -1)
		log_ratelimited(&unreadable_log, "backfill: cannot read "
		    "auditd's log %s (%s): gaps are reported lost",
		    o->log_file, strerror(errno));
	calls->done(calls->ctx);
	for (s = 0; s < span; s++)
		res->found += bit(h.found, s);
	res->bytes += scan.bytes;
	for (i = 0; i < n; i++)
		report_missing(&h, &w[i]);
	free(h.wanted);
	free(h.found);
}

static int
by_first(const void *a, const void *b)
{
	const struct backfill_want *x = a, *y = b;

	return x->gap.first < y->gap.first ? -1 : x->gap.first > y->gap.first;
}

void
backfill_heal(const struct backfill_options *o,
    const struct backfill_want *wants, int n,
    const struct backfill_calls *calls, struct backfill_result *res)
{
	struct backfill_want *w;
	unsigned long max = (unsigned long)o->max_events;
	int i, start;

	memset(res, 0, sizeof(*res));
	if (n <= 0)
		return;
	if ((w = calloc((size_t)n, sizeof(*w))) == NULL) {
		for (i = 0; i < n; i++)
			calls->missing(calls->ctx, &wants[i].gap, wants[i].tag);
		return;
	}
	memcpy(w, wants, (size_t)n * sizeof(*w));
	/* A huge gap: only its newest max_events are looked for. */
	for (i = 0; i < n; i++)
		if (w[i].gap.last - w[i].gap.first + 1 > max) {
			struct seq_gap older = w[i].gap;

			older.last = w[i].gap.last - max;
			calls->missing(calls->ctx, &older, w[i].tag);
			w[i].gap.first = older.last + 1;
		}
	qsort(w, (size_t)n, sizeof(*w), by_first);
	for (start = 0, i = 1; i <= n; i++)
		if (i == n || w[i].gap.last - w[start].gap.first + 1 > max) {
			heal_group(o, w + start, i - start, calls, res);
			start = i;
		}
	free(w);
}

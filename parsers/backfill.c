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

struct heal {
	const struct backfill_calls *calls;
	unsigned long	 first;
	unsigned char	*found;		/* a bit per serial from first */
	unsigned long	 nfound;
};

static void
take_record(void *arg, const char *line, size_t len, unsigned long serial)
{
	struct heal *h = arg;
	unsigned long off = serial - h->first;

	if ((h->found[off / 8] & (1U << (off % 8))) == 0) {
		h->found[off / 8] |= (unsigned char)(1U << (off % 8));
		h->nfound++;
	}
	h->calls->record(h->calls->ctx, line, len);
}

/* The runs of serials first..last not found, each one lost document. */
static void
report_missing(struct heal *h, const struct seq_gap *gap, unsigned long last)
{
	struct seq_gap run = *gap;
	unsigned long s, off;
	int open = 0;

	for (s = h->first; s <= last; s++) {
		off = s - h->first;
		if ((h->found[off / 8] & (1U << (off % 8))) == 0) {
			if (!open)
				run.first = s;
			run.last = s;
			open = 1;
			continue;
		}
		if (open)
			h->calls->lost(h->calls->ctx, &run);
		open = 0;
	}
	if (open)
		h->calls->lost(h->calls->ctx, &run);
}

void
backfill_heal(const struct backfill_options *o, const struct seq_gap *gap,
    const struct backfill_calls *calls, struct backfill_result *res)
{
	struct log_scan_result scan;
	struct seq_gap older = *gap;
	struct heal h;
	unsigned long count = gap->last - gap->first + 1;

	memset(res, 0, sizeof(*res));
	memset(&h, 0, sizeof(h));
	h.calls = calls;
	h.first = gap->first;
	/* A huge gap: only its newest max_events are looked for. */
	if (count > (unsigned long)o->max_events) {
		h.first = gap->last - (unsigned long)o->max_events + 1;
		older.last = h.first - 1;
		calls->lost(calls->ctx, &older);
		count = (unsigned long)o->max_events;
	}
	if ((h.found = calloc(count / 8 + 1, 1)) == NULL) {
		older = *gap;
		older.first = h.first;
		calls->lost(calls->ctx, &older);
		return;
	}
	if (log_scan(o->log_file, h.first, gap->last, gap->sec, &o->limits,
	    take_record, &h, &scan) == -1)
		log_ratelimited(&unreadable_log, "backfill: cannot read "
		    "auditd's log %s (%s): gaps are reported lost",
		    o->log_file, strerror(errno));
	calls->done(calls->ctx);
	report_missing(&h, gap, gap->last);
	res->serials = h.nfound;
	res->records = scan.records;
	res->bytes = scan.bytes;
	free(h.found);
}

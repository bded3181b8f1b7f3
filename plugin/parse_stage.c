/*
 * The parser thread: raw chunks in, batches of documents out.
 *
 * Lines are cut here (parsers/line_split.h: a record may straddle two
 * chunks) and fed one by one to the reassembly, which owns libauparse.
 * Documents are batched for throughput, but a batch is handed on as soon
 * as no more input is waiting, so under light load each event reaches the
 * outputs at once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "../common/log.h"
#include "../parsers/line_split.h"
#include "pipeline_internal.h"
#include "state_file.h"
#include "../common/timeutil.h"

#define BATCH_BYTES	(256 * 1024)
#define TICK_MS		1000

struct parse_stage {
	struct pipeline		*p;
	struct reassembly	*r;
	struct line_split	 lines;
	const char		*origin;	/* of the lines being cut */
	unsigned long		 lineno;
	long			 last_tick;	/* monotonic ms */
};

static void
publish_stats(struct parse_stage *ps)
{
	struct reassembly_stats rs;

	reassembly_get_stats(ps->r, &rs);
	atomic_store(&ps->p->records, rs.records);
	atomic_store(&ps->p->rejected, rs.rejected);
	atomic_store(&ps->p->events, rs.events);
	atomic_store(&ps->p->lost, rs.lost);
	atomic_store(&ps->p->filtered, rs.filtered);
}

static void
push_batch(struct parse_stage *ps)
{
	struct doc_item *item;
	struct batch b;
	unsigned long long drops;
	long before;

	/* Drops the outputs had to make are reported in the stream itself. */
	if ((drops = atomic_exchange(&ps->p->drops_to_report, 0)) > 0)
		reassembly_report_dropped(ps->r, drops);
	if (!reassembly_take_batch(ps->r, &b))
		return;
	if ((item = calloc(1, sizeof(*item))) == NULL) {
		log_warnx("parser: out of memory, %zu documents lost", b.ndocs);
		free(b.buf);
		return;
	}
	item->batch = b;
	before = monotonic_ms();
	if (bq_push(ps->p->docs, item, b.ndocs) == -1)
		doc_item_free(item);
	/*
	 * A push that waited for the outputs held the input back too: the
	 * rest of the events in progress is still on its way, so the next
	 * ageing waits a full tick after we go on.
	 */
	if (monotonic_ms() - before >= TICK_MS / 2)
		ps->last_tick = monotonic_ms();
	publish_stats(ps);
}

static void
feed(void *arg, const char *line, size_t len, size_t full_len)
{
	struct parse_stage *ps = arg;

	ps->lineno++;
	reassembly_feed_line(ps->r, line, len, full_len, ps->origin,
	    ps->lineno);
}

static void
apply_reload(struct parse_stage *ps, struct chunk *c)
{
	struct doc_item *item;

	line_split_set_max(&ps->lines, (size_t)c->cfg->max_record_size);
	reassembly_configure(ps->r, (int)c->cfg->eoe_timeout,
	    (size_t)c->cfg->max_record_size, &c->cfg->drop_event);
	/* Documents so far go out with the old outputs, then the switch. */
	push_batch(ps);
	if ((item = calloc(1, sizeof(*item))) == NULL) {
		log_warnx("parser: out of memory, reload dropped");
		config_free(c->cfg);
		return;
	}
	/* FIM runs from its own copy of the settings. */
	fim_stage_reload(ps->p, c->cfg);
	item->cfg = c->cfg;
	if (bq_push(ps->p->docs, item, 1) == -1)
		doc_item_free(item);
}

static void
take_chunk(struct parse_stage *ps, struct chunk *c)
{
	if (ps->origin != c->origin) {
		ps->origin = c->origin;
		ps->lineno = 0;
	}
	switch (c->kind) {
	case CHUNK_DATA:
		line_split_feed(&ps->lines, c->data, c->len);
		break;
	case CHUNK_END:
		line_split_finish(&ps->lines);
		break;
	case CHUNK_RELOAD:
		apply_reload(ps, c);
		c->cfg = NULL;
		break;
	}
	chunk_free(c);
}

/*
 * Ageing completes the events whose end never came.  Records already read
 * may still complete them, and an event aged before its last records are
 * fed is written twice (in two parts, with one id): so age only once the
 * parser has caught up with the input.
 */
static void
maybe_tick(struct parse_stage *ps)
{
	if (monotonic_ms() - ps->last_tick < TICK_MS ||
	    bq_count(ps->p->raw) > 0)
		return;
	ps->last_tick = monotonic_ms();
	reassembly_tick(ps->r);
}

void *
parse_main(void *arg)
{
	struct parse_stage ps;
	struct reassembly_options ro;
	struct pipeline *p = arg;
	void *item;
	enum bq_status st;
	unsigned long settled;

	memset(&ps, 0, sizeof(ps));
	ps.p = p;
	line_split_init(&ps.lines, (size_t)p->cfg->max_record_size, feed, &ps);
	ro.live = p->live;
	ro.eoe_timeout = (int)p->cfg->eoe_timeout;
	ro.max_record_size = (size_t)p->cfg->max_record_size;
	ro.ecs.include_raw_message = p->cfg->include_raw_message;
	ro.ecs.resolve_ids = p->cfg->resolve_ids;
	ro.ecs.args_max_bytes = p->cfg->args_max_bytes;
	ro.ecs.data_dir = p->cfg->data_dir;
	ro.ecs.live = p->live;
	ro.drop = &p->cfg->drop_event;
	ro.observe = p->live ? fim_stage_observe : NULL;
	ro.observe_ctx = p;
	if ((ps.r = reassembly_new(&ro)) == NULL)
		fatalx("parser: cannot initialise libauparse");
	if (p->live && (settled = state_load_serial(p->cfg->data_dir)) > 0)
		reassembly_resume_serials(ps.r, settled);
	ps.last_tick = monotonic_ms();

	while ((st = bq_pop(p->raw, &item, p->live ? TICK_MS : -1)) !=
	    BQ_CLOSED) {
		if (st == BQ_ITEM)
			take_chunk(&ps, item);
		if (p->live)
			maybe_tick(&ps);
		if (reassembly_pending_bytes(ps.r) >= BATCH_BYTES ||
		    bq_count(p->raw) == 0)
			push_batch(&ps);
	}
	line_split_finish(&ps.lines);
	reassembly_flush(ps.r);
	push_batch(&ps);
	publish_stats(&ps);
	reassembly_free(ps.r);
	line_split_release(&ps.lines);
	fim_stage_finish(p);
	bq_close(p->docs);
	pipeline_stage_done(p);
	return NULL;
}

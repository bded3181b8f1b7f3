/*
 * The parser thread: raw chunks in, batches of documents out.
 *
 * Lines are cut here (a record may straddle two chunks) and fed one by one
 * to the reassembly, which owns libauparse.  Documents are batched for
 * throughput, but a batch is handed on as soon as no more input is waiting,
 * so under light load each event reaches the outputs at once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "../common/log.h"
#include "pipeline_internal.h"
#include "state_file.h"
#include "../common/timeutil.h"

#define BATCH_BYTES	(256 * 1024)
#define TICK_MS		1000

struct line_state {
	char		*buf;		/* a line cut by a chunk boundary */
	size_t		 len;
	size_t		 full_len;	/* including what did not fit */
	size_t		 cap;
	const char	*origin;
	unsigned long	 lineno;
};

struct parse_stage {
	struct pipeline		*p;
	struct reassembly	*r;
	struct line_state	 line;
	size_t			 max_record_size;
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
feed(struct parse_stage *ps, const char *line, size_t len, size_t full_len)
{
	ps->line.lineno++;
	reassembly_feed_line(ps->r, line, len, full_len, ps->line.origin,
	    ps->line.lineno);
}

/* Keep the start of a line cut by the chunk's end, up to the size limit. */
static void
hold_partial(struct parse_stage *ps, const char *data, size_t n)
{
	struct line_state *l = &ps->line;
	size_t room = ps->max_record_size + 1, take;

	l->full_len += n;
	if (l->len >= room)
		return;
	take = n < room - l->len ? n : room - l->len;
	if (l->len + take > l->cap) {
		size_t cap = l->len + take;
		char *buf = realloc(l->buf, cap);

		if (buf == NULL) {
			log_warnx("parser: out of memory holding a line");
			return;
		}
		l->buf = buf;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, data, take);
	l->len += take;
}

static void
finish_partial(struct parse_stage *ps, const char *data, size_t n)
{
	struct line_state *l = &ps->line;

	hold_partial(ps, data, n);
	feed(ps, l->buf, l->len, l->full_len);
	l->len = 0;
	l->full_len = 0;
}

static void
split_lines(struct parse_stage *ps, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			hold_partial(ps, p, (size_t)(end - p));
			return;
		}
		if (ps->line.full_len > 0)
			finish_partial(ps, p, (size_t)(nl - p));
		else
			feed(ps, p, (size_t)(nl - p), (size_t)(nl - p));
		p = nl + 1;
	}
}

static void
apply_reload(struct parse_stage *ps, struct chunk *c)
{
	struct doc_item *item;

	ps->max_record_size = (size_t)c->cfg->max_record_size;
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
	if (ps->line.origin != c->origin) {
		ps->line.origin = c->origin;
		ps->line.lineno = 0;
	}
	switch (c->kind) {
	case CHUNK_DATA:
		split_lines(ps, c->data, c->len);
		break;
	case CHUNK_END:
		/* A last line without its newline is still a line. */
		if (ps->line.full_len > 0)
			finish_partial(ps, "", 0);
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
	ps.max_record_size = (size_t)p->cfg->max_record_size;
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
	if (ps.line.full_len > 0)
		finish_partial(&ps, "", 0);
	reassembly_flush(ps.r);
	push_batch(&ps);
	publish_stats(&ps);
	reassembly_free(ps.r);
	free(ps.line.buf);
	fim_stage_finish(p);
	bq_close(p->docs);
	pipeline_stage_done(p);
	return NULL;
}

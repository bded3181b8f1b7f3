/*
 * The parser thread: audit records in, batches of documents out.
 *
 * It reads the sources itself: auditd's stdin or replayed files (input.c),
 * the kernel's multicast group (input_netlink.c, a record per datagram)
 * or auditd's af_unix socket (input_unix.c).  It cuts streams into lines
 * (parsers/line_split.h: a record may straddle two reads) and feeds them
 * one by one to the reassembly, which owns libauparse and heals gaps from
 * auditd's log.  Documents are handed to the output thread in batches:
 * when a batch is large, or when the input has gone quiet and the oldest
 * document of the batch has waited queue.mem.flush.timeout.  Waking the output
 * thread once per batch instead of once per event is most of what the
 * plugin costs a busy host.
 *
 * The parser never waits for the outputs unless queue.spool.policy is
 * "block": when the document queue is full it keeps reading, holds one
 * batch and goes on parsing, and once what it holds passes
 * input.buffer_size it drops the held batch (counted, and reported by an
 * events-dropped document).  auditd's pipe is drained whatever the outputs
 * do.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auditd_conf.h"
#include "conf.h"
#include "../outputs/spool.h"
#include "../common/log.h"
#include "../parsers/line_split.h"
#include "pipeline_internal.h"
#include "rules_paths.h"
#include "../parsers/rule_keys.h"
#include "state_file.h"
#include "../common/timeutil.h"

#define BATCH_BYTES	(256 * 1024)
#define TICK_MS		1000
#define READ_SIZE_LIVE	(64 * 1024)
#define READ_SIZE_FILE	(256 * 1024)
#define HELD_RETRY_MS	20	/* how often a held batch tries the queue */
/*
 * Live input: after a read that emptied the socket, let auditd write more
 * before looking again.  auditd writes an event as several records, one
 * write each; without the pause the parser would sleep and wake for
 * nearly every one.  The less the read brought, the longer the pause (a
 * quiet host pays for fewer wake-ups per event), and a read that filled
 * the buffer means no pause at all: what comes during one waits in the
 * socket auditd writes to (its send buffer), or in a pipe, enlarged to
 * PIPE_SIZE_LIVE, where a dispatcher uses one, and in auditd's own queue
 * behind it.
 */
#define LINGER_MS	10
#define LINGER_QUIET_MS	25	/* after a read of under a quarter buffer */
#define PIPE_SIZE_LIVE	(1024 * 1024)
/* auditd's rotated logs (log_file.1 ...) looked in after the current one. */
#define BACKFILL_ROTATED_FILES	9


struct parse_stage {
	struct pipeline		*p;
	struct reassembly	*r;
	struct line_split	 lines;
	const char		*origin;	/* of the lines being cut */
	unsigned long		 lineno;
	long			 flush_timeout_ms;	/* queue.mem.flush.timeout */
	size_t			 hold_max;	/* input.buffer_size */
	int			 block;		/* wait for the outputs */
	char			*rbuf;		/* what a read fills */
	size_t			 rsize;
	int			 caught_up;	/* the last read emptied the pipe */
	size_t			 last_read;	/* bytes */
	long			 last_tick;	/* monotonic ms */
	long			 batch_since;	/* the batch's first document; 0 */
	struct doc_item		*held;		/* did not fit into the queue */
	struct ratelimit	 drop_rl;
	struct rule_keys	*rule_keys;	/* rule.* of the documents */
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
	atomic_store(&ps->p->backfilled, rs.backfilled);
	atomic_store(&ps->p->late_dropped, rs.late_dropped);
}

static void
hand_on(struct parse_stage *ps, struct doc_item *item, int wait)
{
	long before = monotonic_ms();
	int rc;

	rc = wait ? bq_push(ps->p->docs, item, item->batch.ndocs) :
	    bq_try_push(ps->p->docs, item, item->batch.ndocs);
	if (rc == 1) {
		ps->held = item;
		return;
	}
	if (rc == -1)
		doc_item_free(item);
	/*
	 * A push that waited for the outputs held the input back too: the
	 * rest of the events in progress is still on its way, so the next
	 * ageing waits a full tick after we go on.
	 */
	if (monotonic_ms() - before >= TICK_MS / 2)
		ps->last_tick = monotonic_ms();
}

/*
 * The held batch is dropped: its documents are counted and reported.  A
 * report it carried is not a lost event: its count is reported again.
 */
static void
drop_held(struct parse_stage *ps, struct doc_item *item)
{
	unsigned long long events = item->batch.ndocs - (item->reported ? 1 : 0);

	log_ratelimited(&ps->drop_rl, "the outputs are behind and "
	    "input.buffer_size is reached: %llu documents dropped", events);
	atomic_fetch_add(&ps->p->parser_dropped, events);
	atomic_fetch_add(&ps->p->drops_to_report, events + item->reported);
	doc_item_free(item);
}

/* What is held goes first, or is dropped once too much waits behind it. */
static int
retry_held(struct parse_stage *ps, int wait)
{
	struct doc_item *item = ps->held;

	if (item == NULL)
		return 0;
	ps->held = NULL;
	hand_on(ps, item, wait);
	if (ps->held == NULL)
		return 0;
	if (item->batch.len + reassembly_pending_bytes(ps->r) <= ps->hold_max)
		return -1;
	ps->held = NULL;
	drop_held(ps, item);
	return 0;
}

/* Hand the documents so far to the outputs (wait: even if they are behind). */
static void
push_batch(struct parse_stage *ps, int wait)
{
	struct doc_item *item;
	struct batch b;
	unsigned long long drops;

	wait = wait || ps->block;
	if (retry_held(ps, wait) == -1)
		return;
	/* Drops the outputs had to make are reported in the stream itself. */
	if ((drops = atomic_exchange(&ps->p->drops_to_report, 0)) > 0 &&
	    reassembly_report_dropped(ps->r, drops) == -1) {
		atomic_fetch_add(&ps->p->drops_to_report, drops);
		drops = 0;
	}
	ps->batch_since = 0;
	if (!reassembly_take_batch(ps->r, &b))
		return;
	if ((item = calloc(1, sizeof(*item))) == NULL) {
		log_warnx("parser: out of memory, %zu documents lost", b.ndocs);
		free(b.buf);
		atomic_fetch_add(&ps->p->drops_to_report, drops);
		return;
	}
	item->batch = b;
	item->reported = drops;
	hand_on(ps, item, wait);
	publish_stats(ps);
}

/*
 * A batch goes out when it is large, or when the input is quiet and its
 * first document has waited the flush timeout (a replayed file is never
 * quiet before its end: its batches are all large).
 */
static void
maybe_push(struct parse_stage *ps)
{
	size_t pending = reassembly_pending_bytes(ps->r);
	long now;

	/* Drops are told at once, even when no event comes to carry them. */
	if (ps->held != NULL || atomic_load(&ps->p->drops_to_report) > 0) {
		push_batch(ps, 0);
		return;
	}
	if (pending >= BATCH_BYTES) {
		push_batch(ps, 0);
		return;
	}
	if (pending == 0 || !ps->caught_up)
		return;
	now = monotonic_ms();
	if (ps->batch_since == 0)
		ps->batch_since = now;
	if (now - ps->batch_since >= ps->flush_timeout_ms)
		push_batch(ps, 0);
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
take_settings(struct parse_stage *ps, const struct config *cfg)
{
	line_split_set_max(&ps->lines, (size_t)cfg->max_record_size);
	ps->flush_timeout_ms = cfg->flush_timeout_ms;
	/* What is held and what is parsed behind it share one writer. */
	ps->hold_max = (size_t)cfg->input_buffer_size;
	if (ps->hold_max > JW_MAX_BYTES / 2)
		ps->hold_max = JW_MAX_BYTES / 2;
	ps->block = cfg->spool.policy == SPOOL_BLOCK;
}

/* The input is opened once: a reload cannot move it. */
static void
warn_input_kept(const struct config *now, const struct config *cfg)
{
	if (now->input_source != cfg->input_source ||
	    now->netlink_buffer_size != cfg->netlink_buffer_size ||
	    strcmp(now->unix_path, cfg->unix_path) != 0)
		log_warnx("reload: the input.source and input.netlink/unix "
		    "settings take effect at the next start");
}

static void
apply_reload(struct parse_stage *ps, struct config *cfg)
{
	struct doc_item *item;

	warn_input_kept(ps->p->cfg, cfg);
	take_settings(ps, cfg);
	reassembly_configure(ps->r, (int)cfg->eoe_timeout,
	    (size_t)cfg->max_record_size, &cfg->drop_event);
	/* Documents so far go out with the old outputs, then the switch. */
	push_batch(ps, 1);
	if ((item = calloc(1, sizeof(*item))) == NULL) {
		log_warnx("parser: out of memory, reload dropped");
		config_free(cfg);
		return;
	}
	/* FIM runs from its own copy of the settings. */
	fim_stage_reload(ps->p, cfg);
	system_stage_reload(ps->p, cfg);
	item->cfg = cfg;
	if (bq_push(ps->p->docs, item, 1) == -1)
		doc_item_free(item);
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
	if (!ps->p->live || !ps->caught_up ||
	    monotonic_ms() - ps->last_tick < TICK_MS)
		return;
	ps->last_tick = monotonic_ms();
	reassembly_tick(ps->r);
}

/* Lower *ms to the time left until deadline (now if it passed). */
static void
wait_until(long *ms, long now, long deadline)
{
	long left = deadline > now ? deadline - now : 0;

	if (*ms < 0 || left < *ms)
		*ms = left;
}

/* Where the records come from. */
struct source {
	const char	*origin;	/* in messages: "stdin", a path */
	int		 kind;		/* SOURCE_* */
	int		 fd;		/* the stream or socket (not SOURCE_UNIX) */
	struct unix_input ux;		/* SOURCE_UNIX: the connection */
};

enum { SOURCE_STREAM, SOURCE_NETLINK, SOURCE_UNIX };

/* Records taken from the netlink socket before looking at anything else. */
#define NETLINK_BATCH		512

/* How long the wait for input may be (-1: for ever): until the next job. */
static int
wait_ms(struct parse_stage *ps, const struct source *src)
{
	long now = monotonic_ms(), ms = -1;

	if (ps->p->live)
		wait_until(&ms, now, ps->last_tick + TICK_MS);
	if (ps->batch_since != 0)
		wait_until(&ms, now, ps->batch_since + ps->flush_timeout_ms);
	if (ps->held != NULL)
		wait_until(&ms, now, now + HELD_RETRY_MS);
	if (src->kind == SOURCE_UNIX && input_unix_due(&src->ux) != -1)
		wait_until(&ms, now, input_unix_due(&src->ux));
	return (int)ms;
}

/* What the main thread's status poll found, as documents. */
static void
write_status(struct parse_stage *ps)
{
	struct audit_status_report st;
	unsigned long rise;

	if (!pipeline_take_status(ps->p, &st, &rise)) {
		if (rise == 0)
			return;
	} else {
		st.queue_documents = bq_count(ps->p->docs);
		st.spooled = atomic_load(&ps->p->spooled);
		if (reassembly_report_status(ps->r, &st) == -1)
			log_warnx("parser: the status document was not written");
	}
	if (rise > 0 && reassembly_report_kernel_lost(ps->r, rise,
	    st.lost) == -1)
		log_warnx("parser: %lu events lost by the kernel were not "
		    "reported", rise);
}

/* Between reads: a reload, the ageing of events, a batch to hand on. */
static void
housekeeping(struct parse_stage *ps)
{
	struct config *cfg;

	if ((cfg = pipeline_take_reload(ps->p)) != NULL)
		apply_reload(ps, cfg);
	write_status(ps);
	maybe_tick(ps);
	maybe_push(ps);
}

static int
source_fd(const struct source *src)
{
	return src->kind == SOURCE_UNIX ? src->ux.fd : src->fd;
}

/*
 * The source has something: take it.  Returns -1 at its end (or on an
 * error that ends it), else 0.
 */
static int
pull(struct parse_stage *ps, struct source *src)
{
	size_t bytes;
	long records;
	ssize_t n;

	if (src->kind == SOURCE_NETLINK) {
		records = input_netlink_drain(ps->p, src->fd, ps->rbuf,
		    ps->rsize, feed, ps, NETLINK_BATCH, &bytes);
		if (records == -1)
			return -1;
		ps->caught_up = records < NETLINK_BATCH;
		ps->last_read = bytes;
		return 0;
	}
	if ((n = input_read(ps->p, source_fd(src), src->origin, ps->rbuf,
	    ps->rsize)) == -2)
		return 0;
	if (n <= 0 && src->kind == SOURCE_UNIX) {
		/* auditd stopped or restarts: a record cut off is dropped */
		input_unix_lost(&src->ux);
		line_split_discard(&ps->lines);
		return 0;
	}
	if (n <= 0)
		return -1;
	if (src->kind == SOURCE_UNIX)
		input_unix_flowing(&src->ux);
	ps->caught_up = (size_t)n < ps->rsize;
	ps->last_read = (size_t)n;
	line_split_feed(&ps->lines, ps->rbuf, (size_t)n);
	return 0;
}

/* A source to its end; -1 if a stop was asked. */
static int
read_source(struct parse_stage *ps, struct source *src)
{
	int rc = 0;

	ps->origin = src->origin;
	ps->lineno = 0;
	for (;;) {
		switch (input_wait(ps->p, source_fd(src), wait_ms(ps, src))) {
		case INPUT_STOP:
			rc = -1;
			goto end;
		case INPUT_IDLE:
			ps->caught_up = 1;
			break;
		case INPUT_WOKEN:
			break;
		case INPUT_READY:
			if (pull(ps, src) == -1)
				goto end;
			break;
		}
		if (src->kind == SOURCE_UNIX)
			input_unix_upkeep(ps->p, &src->ux);
		housekeeping(ps);
		if (ps->p->live && ps->caught_up)
			input_linger(ps->p, ps->last_read < ps->rsize / 4 ?
			    LINGER_QUIET_MS : LINGER_MS);
	}
end:
	line_split_finish(&ps->lines);
	ps->caught_up = 1;
	return rc;
}

/* Live input: auditd's stdin, the kernel's group or auditd's socket. */
static int
read_live(struct parse_stage *ps)
{
	const struct config *cfg = ps->p->cfg;
	struct source src;
	int rc;

	memset(&src, 0, sizeof(src));
	src.origin = "stdin";
	src.kind = SOURCE_STREAM;
	src.fd = STDIN_FILENO;
	switch (cfg->input_source) {
	case INPUT_NETLINK:
		src.origin = "netlink";
		src.kind = SOURCE_NETLINK;
		if ((src.fd = input_netlink_open(ps->p,
		    cfg->netlink_buffer_size)) == -1)
			return 0;
		rc = read_source(ps, &src);
		close(src.fd);
		return rc;
	case INPUT_UNIX:
		src.origin = cfg->unix_path;
		src.kind = SOURCE_UNIX;
		input_unix_init(&src.ux, cfg->unix_path);
		ps->caught_up = 1;
		input_unix_upkeep(ps->p, &src.ux);
		rc = read_source(ps, &src);
		input_unix_close(&src.ux);
		return rc;
	default:
		input_grow_pipe(STDIN_FILENO, PIPE_SIZE_LIVE);
		return read_source(ps, &src);
	}
}

/* Every source to its end (one that cannot be opened is skipped); -1: a stop. */
static int
read_sources(struct parse_stage *ps)
{
	struct pipeline *p = ps->p;
	struct source src;
	int i, rc;

	memset(&src, 0, sizeof(src));
	src.origin = "stdin";
	src.kind = SOURCE_STREAM;
	src.fd = STDIN_FILENO;
	if (p->live)
		return read_live(ps);
	if (p->npaths == 0)
		return read_source(ps, &src);
	for (i = 0; i < p->npaths; i++) {
		if ((src.fd = input_open(p, p->paths[i])) == -1)
			continue;
		src.origin = strcmp(p->paths[i], "-") == 0 ? "stdin" :
		    p->paths[i];
		rc = read_source(ps, &src);
		input_close(src.fd);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/*
 * input.backfill for live input: the log is auditd.conf's unless named;
 * returns what to free (the path found in auditd.conf), or NULL.
 */
static char *
backfill_settings(struct pipeline *p, struct backfill_options *o)
{
	const struct config *cfg = p->cfg;
	char *found = NULL;

	memset(o, 0, sizeof(*o));
	if (!p->live || !cfg->backfill_enabled)
		return NULL;
	o->log_file = cfg->backfill_log_file;
	if (o->log_file == NULL || o->log_file[0] == '\0')
		o->log_file = found = auditd_log_file(AUDITD_CONF_PATH);
	if (o->log_file == NULL) {
		log_info("backfill: auditd writes no log; gaps are reported "
		    "lost");
		return NULL;
	}
	if (access(o->log_file, R_OK) == -1) {
		log_warn("backfill: cannot read %s; gaps are reported lost",
		    o->log_file);
		free(found);
		memset(o, 0, sizeof(*o));
		return NULL;
	}
	o->enabled = 1;
	o->max_events = cfg->backfill_max_events;
	o->limits.max_bytes = cfg->backfill_max_bytes;
	o->limits.rate = cfg->backfill_rate;
	o->limits.max_age = cfg->backfill_max_age_ms / 1000;
	o->limits.max_files = BACKFILL_ROTATED_FILES;
	o->limits.max_record_size = (size_t)cfg->max_record_size;
	return found;
}

void *
parse_main(void *arg)
{
	struct parse_stage ps;
	struct reassembly_options ro;
	struct pipeline *p = arg;
	struct config *cfg;
	char *backfill_log;

	memset(&ps, 0, sizeof(ps));
	ps.p = p;
	ps.drop_rl = (struct ratelimit)RATELIMIT_INIT(10, 1);
	line_split_init(&ps.lines, (size_t)p->cfg->max_record_size, feed, &ps);
	take_settings(&ps, p->cfg);
	ps.rsize = p->live ? READ_SIZE_LIVE : READ_SIZE_FILE;
	if ((ps.rbuf = malloc(ps.rsize)) == NULL)
		fatalx("parser: out of memory");
	ro.live = p->live;
	ro.eoe_timeout = (int)p->cfg->eoe_timeout;
	ro.max_record_size = (size_t)p->cfg->max_record_size;
	ro.ecs.include_raw_message = p->cfg->include_raw_message;
	ro.ecs.resolve_ids = p->cfg->resolve_ids;
	ro.ecs.args_max_bytes = p->cfg->args_max_bytes;
	ro.ecs.data_dir = p->cfg->data_dir;
	ro.ecs.live = p->live;
	ro.ecs.rule_keys = ps.rule_keys = rules_keys_open(p->cfg);
	ro.drop = &p->cfg->drop_event;
	ro.observe = p->live ? fim_stage_observe : NULL;
	ro.observe_ctx = p;
	backfill_log = backfill_settings(p, &ro.backfill);
	if ((ps.r = reassembly_new(&ro)) == NULL)
		fatalx("parser: cannot initialise libauparse");
	if (p->live)
		state_resume_serials(p->cfg, ps.r);
	ps.last_tick = monotonic_ms();

	if (read_sources(&ps) == 0)
		atomic_store(&p->input_complete, 1);
	atomic_store(&p->input_done, 1);
	if ((cfg = pipeline_take_reload(p)) != NULL)
		apply_reload(&ps, cfg);
	reassembly_flush(ps.r);
	/* The end: what is left waits for the outputs, whatever the policy. */
	push_batch(&ps, 1);
	publish_stats(&ps);
	reassembly_free(ps.r);
	free(backfill_log);
	rule_keys_free(ps.rule_keys);
	line_split_release(&ps.lines);
	free(ps.rbuf);
	fim_stage_finish(p);
	system_stage_finish(p);
	bq_close(p->docs);
	pipeline_stage_done(p);
	return NULL;
}

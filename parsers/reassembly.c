/* From raw record lines to ECS documents; see reassembly.h. */
#include "config.h"

#include <auparse.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/buf.h"
#include "../common/log.h"
#include "arena.h"
#include "audit_event.h"
#include "auparse_quirks.h"
#include "ecs_document.h"
#include "../common/json_writer.h"
#include "reassembly.h"
#include "record_check.h"

#define ARENA_CHUNK	(64 * 1024)
#define ENRICHED_SEPARATOR	'\x1d'
#define MAX_HELD	16
#define LOGIN_LINES	4
/* Replay has no clock: a held record waits this many records at most. */
#define HELD_MAX_RECORDS	1000

/*
 * The kernel writes a LOGIN record and then the SYSCALL (and PROCTITLE) of
 * the write to /proc/self/loginuid under the same serial.  auparse
 * completes an event as soon as its last record is of a type below 1300,
 * so it hands the LOGIN over alone and the rest as a second event.  We hold
 * a lone LOGIN back until the rest of its serial arrives and write one
 * document for both, as the records are one audit event.
 */
struct held_record {
	unsigned long	 sec;
	unsigned int	 msec;
	unsigned long	 serial;
	char		*text;		/* the record line, with '\n' */
	time_t		 held_at;
	unsigned long long records_then;
};

#define PENDING_GAPS	64
#define PENDING_INCOMPLETE 64

/*
 * A syscall event completed by age: the kernel ends every one with EOE,
 * so without it some of its records were lost on the way.  It waits to
 * be written whole from auditd's log, or as it came when the log lacks it.
 */
struct incomplete {
	unsigned long	 serial, sec;
	unsigned int	 msec;
	char		*text;		/* its records as received, '\n' each */
};

struct reassembly {
	auparse_state_t		*au;
	struct reassembly_options opts;
	struct ecs_context	 ctx;
	struct arena		 arena;
	struct audit_event	 ev;
	struct jw		 batch;
	size_t			 batch_docs;
	struct reassembly_stats	 stats;
	struct ratelimit	 bad_input_log;
	struct ratelimit	 failure_log;
	char			*line_buf;	/* line + '\n' for auparse */
	size_t			 line_cap;
	struct held_record	 held[MAX_HELD];
	int			 nheld;
	/*
	 * auparse's record text lacks the ENRICHED part, so the last LOGIN
	 * lines are kept as they came, to be held with their names.
	 */
	struct {
		unsigned long	 serial;
		char		*line;		/* with '\n', NUL-terminated */
	}			 login_lines[LOGIN_LINES];
	int			 next_login_line;
	int			 enriched;	/* the input has 0x1D parts */
	struct seq_tracker	 serials;
	struct event_filter	 drop;
	/* Gaps waiting to be looked for in auditd's log (backfill.h). */
	struct seq_gap		 gaps[PENDING_GAPS];
	int			 ngaps;
	auparse_state_t		*backfill_au;	/* while healing a gap */
	int			 from_log;	/* what backfill_au is fed */
	struct backfilled_set	 backfilled;
	struct incomplete	 incomplete[PENDING_INCOMPLETE];
	int			 nincomplete;
	int			 aging;		/* in auparse_feed_age_events */
};

/*
 * Kernels before 2.6.31 wrote "old auid=X new auid=Y old ses=.. new
 * ses=..": two fields named auid and two named ses.  Joining the words
 * ("old_auid=") keeps all four values apart, under the names Auditbeat
 * gives them.  Same length, so it is done in place.
 */
static void
rewrite_legacy_login(char *line, size_t len)
{
	static const char *const words[] = { "old auid=", "new auid=",
	    "old ses=", "new ses=" };
	char *end = line + len, *p;
	size_t i, n;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		for (p = line; p + n <= end; p++)
			if (*p == words[i][0] && memcmp(p, words[i], n) == 0 &&
			    (p == line || p[-1] == ' ')) {
				p[3] = '_';
				break;
			}
	}
}

/* The held record as it came in (without ENRICHED names), for event.original. */
static int
add_held_original(struct reassembly *r, const char *text)
{
	size_t n = strcspn(text, "\x1d\n");
	char *copy = arena_strndup(&r->arena, text, n);

	if (copy == NULL)
		return -1;
	return kv_add(&r->ev.records, &r->arena, "", (struct sv){ copy, n });
}

static void
write_lost_document(struct reassembly *r, const struct seq_gap *gap)
{
	size_t mark = jw_len(&r->batch);
	unsigned long count = gap->last - gap->first + 1;

	r->stats.lost += count;
	log_ratelimited(&r->failure_log, "%lu audit event%s lost: sequence "
	    "%lu to %lu never arrived", count, count == 1 ? "" : "s",
	    gap->first, gap->last);
	jw_begin_document(&r->batch);
	if (ecs_lost_document_write(&r->ctx, gap, &r->batch) == -1) {
		jw_rewind(&r->batch, mark);
		r->stats.failed++;
		return;
	}
	r->batch_docs++;
}

/*
 * A gap: looked for in auditd's log at the next safe point (a gap is found
 * in the middle of writing an event, while auparse is in its callback),
 * or reported lost at once when there is no log to look in.
 */
static void
write_lost(struct reassembly *r, const struct seq_gap *gap)
{
	if (!r->opts.backfill.enabled || r->ngaps == PENDING_GAPS) {
		write_lost_document(r, gap);
		return;
	}
	r->gaps[r->ngaps++] = *gap;
}

/* The kernel numbers its events; auditd's own (DAEMON_*) it does not. */
static void
track_serial(struct reassembly *r, const struct audit_event *ev)
{
	struct seq_gap gap;

	if (ev->type >= AUDIT_FIRST_DAEMON && ev->type <= AUDIT_LAST_DAEMON)
		return;
	/* Events from the log fill a gap that is settled already. */
	if (ev->backfilled || r->backfill_au != NULL)
		return;
	while (seq_tracker_seen(&r->serials, ev->serial, ev->sec, ev->msec,
	    time(NULL), &gap))
		write_lost(r, &gap);
}

/*
 * Write the document for the event auparse is positioned on (au may be
 * NULL), merged with the held record text extra (may be NULL).
 */
static void
write_event(struct reassembly *r, auparse_state_t *au, const char *extra)
{
	auparse_state_t *aux = NULL;
	size_t mark = jw_len(&r->batch);
	int rc = 0, originals = r->opts.ecs.include_raw_message;
	char *held = NULL;

	jw_begin_document(&r->batch);
	audit_collect_begin(&r->ev);
	r->ev.enriched = r->enriched;
	r->ev.backfilled = r->backfill_au != NULL && r->from_log;
	if (extra != NULL) {
		if ((held = strdup(extra)) != NULL)
			rewrite_legacy_login(held, strlen(held));
		if (held == NULL || (aux = auparse_init(AUSOURCE_BUFFER,
		    held)) == NULL || auparse_next_event(aux) <= 0)
			rc = -1;
	}
	/* A held LOGIN record comes first in the event, as it came in. */
	if (rc == 0 && extra != NULL && originals)
		rc = add_held_original(r, extra);
	if (rc == 0 && au != NULL && originals)
		rc = audit_collect_originals(au, &r->ev, &r->arena);
	if (rc == 0 && au != NULL)
		rc = audit_collect_records(au, &r->ev, &r->arena);
	if (rc == 0 && aux != NULL) {
		r->ev.type_name = NULL;		/* the LOGIN is the head */
		rc = audit_collect_records(aux, &r->ev, &r->arena);
	}
	if (rc == 0 && r->opts.observe != NULL)
		r->opts.observe(r->opts.observe_ctx, &r->ev);
	if (rc == 0 && event_filter_match(&r->drop, &r->ev)) {
		r->stats.filtered++;
		ecs_remember_exec(&r->ctx, &r->ev);
		goto done;
	}
	/*
	 * An exec is remembered first: the document then finds the new
	 * process in the table instead of looking for it in /proc, where a
	 * short-lived one is already gone.
	 */
	if (rc == 0)
		ecs_remember_exec(&r->ctx, &r->ev);
	if (rc == 0)
		rc = ecs_document_write(&r->ctx, &r->ev, &r->batch);
	if (rc == -1) {
		/* Drop the half-written document, keep the batch. */
		jw_rewind(&r->batch, mark);
		r->stats.failed++;
		log_ratelimited(&r->failure_log,
		    "event %lu could not be converted (out of memory)",
		    r->ev.serial);
	} else {
		r->stats.events++;
		r->stats.backfilled += r->ev.backfilled;
		r->batch_docs++;
	}
done:
	track_serial(r, &r->ev);
	if (aux != NULL)
		auparse_destroy(aux);
	free(held);
	arena_reset(&r->arena);
}

static void
release_held(struct reassembly *r, int i, int write)
{
	if (write)
		write_event(r, NULL, r->held[i].text);
	free(r->held[i].text);
	r->held[i] = r->held[--r->nheld];
}

static int
is_lone_login(auparse_state_t *au)
{
	return auparse_get_num_records(au) == 1 &&
	    auparse_first_record(au) > 0 && auparse_get_type(au) == AUDIT_LOGIN;
}

/* The LOGIN line as it came in, or auparse's text of it. */
static const char *
login_text(struct reassembly *r, auparse_state_t *au, unsigned long serial)
{
	int i;

	for (i = 0; i < LOGIN_LINES; i++)
		if (r->login_lines[i].line != NULL &&
		    r->login_lines[i].serial == serial)
			return r->login_lines[i].line;
	return auparse_get_record_text(au);
}

static void
keep_login_line(struct reassembly *r, const char *line, size_t len,
    unsigned long serial)
{
	int i = r->next_login_line;
	char *copy;

	if ((copy = malloc(len + 2)) == NULL)
		return;
	memcpy(copy, line, len);
	memcpy(copy + len, "\n", 2);
	free(r->login_lines[i].line);
	r->login_lines[i].line = copy;
	r->login_lines[i].serial = serial;
	r->next_login_line = (i + 1) % LOGIN_LINES;
}

static void
hold(struct reassembly *r, auparse_state_t *au, const au_event_t *ts)
{
	struct held_record *h;
	const char *text = login_text(r, au, ts->serial);
	size_t n = text != NULL ? strlen(text) : 0;

	if (r->nheld == MAX_HELD)
		release_held(r, 0, 1);
	h = &r->held[r->nheld];
	if ((h->text = malloc(n + 2)) == NULL) {
		write_event(r, au, NULL);
		return;
	}
	memcpy(h->text, text, n);
	/* Lines kept by keep_login_line already end with a newline. */
	if (n == 0 || h->text[n - 1] != '\n')
		h->text[n++] = '\n';
	h->text[n] = '\0';
	h->sec = (unsigned long)ts->sec;
	h->msec = ts->milli;
	h->serial = ts->serial;
	h->held_at = time(NULL);
	h->records_then = r->stats.records;
	r->nheld++;
}

static int
find_held(struct reassembly *r, const au_event_t *ts)
{
	int i;

	for (i = 0; i < r->nheld; i++)
		if (r->held[i].serial == ts->serial &&
		    r->held[i].sec == (unsigned long)ts->sec &&
		    r->held[i].msec == ts->milli)
			return i;
	return -1;
}

/* Held records whose partner did not come in time are written alone. */
static void
expire_held(struct reassembly *r, int everything)
{
	time_t now = time(NULL);
	int i = 0;

	while (i < r->nheld) {
		if (everything || now - r->held[i].held_at > r->opts.eoe_timeout ||
		    r->stats.records - r->held[i].records_then > HELD_MAX_RECORDS)
			release_held(r, i, 1);
		else
			i++;
	}
}

static int
has_syscall_record(auparse_state_t *au)
{
	int found = 0;

	if (auparse_first_record(au) <= 0)
		return 0;
	do
		found = auparse_get_type(au) == AUDIT_SYSCALL;
	while (!found && auparse_next_record(au) > 0);
	auparse_first_record(au);
	return found;
}

/*
 * Keep an aged syscall event for heal_gaps; 0 if it cannot wait (then it
 * is written as it is).  Its serial counts as seen: it is no gap.
 */
static int
keep_incomplete(struct reassembly *r, auparse_state_t *au,
    const au_event_t *ts)
{
	struct incomplete *inc;
	struct buf text = BUF_INITIALIZER(1 << 20);
	struct seq_gap gap;
	const char *rec;

	if (!r->opts.backfill.enabled || r->nincomplete == PENDING_INCOMPLETE ||
	    !has_syscall_record(au))
		return 0;
	do {
		if ((rec = auparse_get_record_text(au)) == NULL ||
		    buf_append(&text, rec, strlen(rec)) == -1 ||
		    buf_append(&text, "\n", 1) == -1) {
			buf_release(&text);
			auparse_first_record(au);
			return 0;
		}
	} while (auparse_next_record(au) > 0);
	auparse_first_record(au);
	inc = &r->incomplete[r->nincomplete++];
	inc->serial = ts->serial;
	inc->sec = (unsigned long)ts->sec;
	inc->msec = ts->milli;
	if ((inc->text = buf_take(&text, NULL)) == NULL) {
		r->nincomplete--;
		return 0;
	}
	while (seq_tracker_seen(&r->serials, inc->serial, inc->sec, inc->msec,
	    time(NULL), &gap))
		write_lost(r, &gap);
	return 1;
}

static void
event_ready(auparse_state_t *au, auparse_cb_event_t type, void *arg)
{
	struct reassembly *r = arg;
	const au_event_t *ts;
	int i;

	if (type != AUPARSE_CB_EVENT_READY ||
	    (ts = auparse_get_timestamp(au)) == NULL)
		return;
	if (au == r->backfill_au)
		backfilled_set_add(&r->backfilled, ts->serial);
	else if (backfilled_set_has(&r->backfilled, ts->serial)) {
		r->stats.late_dropped++;	/* written from the log already */
		return;
	} else if (r->aging && keep_incomplete(r, au, ts))
		return;
	if (is_lone_login(au)) {
		hold(r, au, ts);
		return;
	}
	if ((i = find_held(r, ts)) < 0) {
		write_event(r, au, NULL);
		if (r->nheld > 0)
			expire_held(r, 0);
		return;
	}
	write_event(r, au, r->held[i].text);
	release_held(r, i, 0);
}

struct reassembly *
reassembly_new(const struct reassembly_options *opts)
{
	struct reassembly *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->opts = *opts;
	if ((r->au = auparse_init(AUSOURCE_FEED, NULL)) == NULL) {
		free(r);
		return NULL;
	}
	/* Must follow auparse_init, which sets the default. */
	auparse_set_eoe_timeout(opts->eoe_timeout);
	/* Raw bytes: we do our own decoding and JSON escaping. */
	auparse_set_escape_mode(r->au, AUPARSE_ESC_RAW);
	auparse_add_callback(r->au, event_ready, r, NULL);
	if (ecs_context_init(&r->ctx, &opts->ecs) == -1) {
		auparse_destroy(r->au);
		free(r);
		return NULL;
	}
	arena_init(&r->arena, ARENA_CHUNK);
	jw_init(&r->batch);
	seq_tracker_init(&r->serials);
	if (event_filter_copy(&r->drop, opts->drop) == -1) {
		reassembly_free(r);
		return NULL;
	}
	r->bad_input_log = (struct ratelimit)RATELIMIT_INIT(10, 10);
	r->failure_log = (struct ratelimit)RATELIMIT_INIT(10, 5);
	return r;
}

void
reassembly_free(struct reassembly *r)
{
	int i;

	if (r == NULL)
		return;
	while (r->nheld > 0)
		release_held(r, 0, 0);
	while (r->nincomplete > 0)
		free(r->incomplete[--r->nincomplete].text);
	for (i = 0; i < LOGIN_LINES; i++)
		free(r->login_lines[i].line);
	auparse_destroy(r->au);
	ecs_context_release(&r->ctx);
	event_filter_free(&r->drop);
	arena_release(&r->arena);
	jw_release(&r->batch);
	free(r->line_buf);
	free(r);
}

static void
report_rejected(struct reassembly *r, enum record_verdict v,
    const struct record_header *hdr, size_t full_len, const char *where,
    unsigned long lineno)
{
	r->stats.rejected++;
	if (hdr->has_serial)
		log_ratelimited(&r->bad_input_log,
		    "%s:%lu: record type=%s serial %lu (%zu bytes) rejected: %s",
		    where, lineno, hdr->type, hdr->serial, full_len,
		    record_verdict_text(v));
	else
		log_ratelimited(&r->bad_input_log,
		    "%s:%lu: line of %zu bytes rejected: %s", where, lineno,
		    full_len, record_verdict_text(v));
}

/* A record from auditd's log: checked like any, fed to its own auparse. */
static void
backfill_record(void *arg, const char *line, size_t len)
{
	struct reassembly *r = arg;
	char *copy;

	if ((copy = malloc(len + 1)) == NULL)
		return;
	memcpy(copy, line, len);
	copy[len] = '\n';
	auparse_feed(r->backfill_au, copy, len + 1);
	free(copy);
}

static void
backfill_done(void *arg)
{
	struct reassembly *r = arg;

	auparse_flush_feed(r->backfill_au);
}

#define TAG_GAP		(-1)	/* else the index of an incomplete event */

/*
 * What the log does not have: a gap's serials are lost; an incomplete
 * event is written as it came (not marked as from the log).
 */
static void
backfill_missing(void *arg, const struct seq_gap *gap, int tag)
{
	struct reassembly *r = arg;
	const char *p, *nl;

	if (tag == TAG_GAP) {
		write_lost_document(r, gap);
		return;
	}
	r->from_log = 0;
	for (p = r->incomplete[tag].text; (nl = strchr(p, '\n')) != NULL;
	    p = nl + 1)
		auparse_feed(r->backfill_au, p, (size_t)(nl - p) + 1);
	auparse_flush_feed(r->backfill_au);
	r->from_log = 1;
}

/* The wants of this round: the gaps, then the incomplete events. */
static int
collect_wants(struct reassembly *r, struct backfill_want *w)
{
	int i, n = 0;

	for (i = 0; i < r->ngaps; i++) {
		w[n].gap = r->gaps[i];
		w[n++].tag = TAG_GAP;
	}
	for (i = 0; i < r->nincomplete; i++) {
		w[n].gap.first = w[n].gap.last = r->incomplete[i].serial;
		w[n].gap.sec = r->incomplete[i].sec;
		w[n].gap.msec = r->incomplete[i].msec;
		w[n++].tag = i;
	}
	return n;
}

/*
 * The gaps and incomplete events found since the last call, healed from
 * auditd's log in one read, at a point where auparse is idle.
 */
static void
heal_gaps(struct reassembly *r)
{
	const struct backfill_calls calls = { backfill_record, backfill_done,
	    backfill_missing, r };
	struct backfill_want wants[PENDING_GAPS + PENDING_INCOMPLETE];
	struct backfill_result res;
	int i, n;

	if (r->ngaps == 0 && r->nincomplete == 0)
		return;
	n = collect_wants(r, wants);
	r->ngaps = 0;
	if ((r->backfill_au = auparse_init(AUSOURCE_FEED, NULL)) == NULL) {
		log_warnx("backfill: out of memory: %d incomplete events "
		    "dropped", r->nincomplete);
		r->stats.failed += (unsigned long long)r->nincomplete;
		for (i = 0; i < n; i++)
			if (wants[i].tag == TAG_GAP)
				write_lost_document(r, &wants[i].gap);
	} else {
		auparse_set_escape_mode(r->backfill_au, AUPARSE_ESC_RAW);
		auparse_add_callback(r->backfill_au, event_ready, r, NULL);
		r->from_log = 1;
		backfill_heal(&r->opts.backfill, wants, n, &calls, &res);
		auparse_destroy(r->backfill_au);
		r->backfill_au = NULL;
		log_info("backfill: %lu of %lu missing events found in %s "
		    "(%lld bytes read)", res.found, res.wanted,
		    r->opts.backfill.log_file, res.bytes);
	}
	while (r->nincomplete > 0)
		free(r->incomplete[--r->nincomplete].text);
}

void
reassembly_feed_line(struct reassembly *r, const char *line, size_t len,
    size_t full_len, const char *where, unsigned long lineno)
{
	struct record_header hdr;
	enum record_verdict v;
	size_t growth = 0, cwds, fed;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	v = record_check(line, len, r->opts.max_record_size, &hdr);
	if (v == RECORD_OK && full_len > r->opts.max_record_size)
		v = RECORD_TOO_LONG;
	if (v == RECORD_EMPTY)
		return;
	if (v != RECORD_OK) {
		report_rejected(r, v, &hdr, full_len, where, lineno);
		return;
	}
	/* libauparse leaks on a CWD record with two cwd fields. */
	if (strcmp(hdr.type, "CWD") == 0 &&
	    (growth = cwd_fields_growth(line, len, &cwds)) > 0)
		log_ratelimited(&r->bad_input_log, "%s:%lu: CWD record serial "
		    "%lu has %zu cwd fields: the second and later are read as "
		    "cwd2, cwd3, ...", where, lineno, hdr.serial, cwds);
	fed = len + growth;
	if (fed + 1 > r->line_cap) {
		size_t cap = fed + 1 + 1024;
		char *buf = realloc(r->line_buf, cap);

		if (buf == NULL) {
			r->stats.failed++;
			return;
		}
		r->line_buf = buf;
		r->line_cap = cap;
	}
	if (growth > 0)
		fed = cwd_fields_rename(line, len, r->line_buf);
	else
		memcpy(r->line_buf, line, len);
	r->line_buf[fed] = '\n';
	r->stats.records++;
	/* Records without ids have no 0x1D part: once seen, it stays on. */
	if (!r->enriched)
		r->enriched = memchr(line, ENRICHED_SEPARATOR, len) != NULL;
	if (strcmp(hdr.type, "LOGIN") == 0)
		keep_login_line(r, line, len, hdr.serial);
	auparse_feed(r->au, r->line_buf, fed + 1);
	if (r->ngaps > 0)
		heal_gaps(r);
}

void
reassembly_configure(struct reassembly *r, int eoe_timeout,
    size_t max_record_size, const struct event_filter *drop)
{
	struct event_filter copy;

	r->opts.eoe_timeout = eoe_timeout;
	r->opts.max_record_size = max_record_size;
	auparse_set_eoe_timeout(eoe_timeout);
	if (event_filter_copy(&copy, drop) == -1) {
		log_warnx("reload: out of memory, drop_event unchanged");
		return;
	}
	event_filter_free(&r->drop);
	r->drop = copy;
}

void
reassembly_resume_serials(struct reassembly *r, unsigned long settled)
{
	seq_tracker_resume(&r->serials, settled, time(NULL));
}

int
reassembly_resume_mark(struct reassembly *r, const unsigned char *mark,
    size_t len)
{
	return seq_tracker_resume_mark(&r->serials, mark, len, time(NULL));
}

int
reassembly_report_dropped(struct reassembly *r, unsigned long long count)
{
	size_t mark = jw_len(&r->batch);

	jw_begin_document(&r->batch);
	if (ecs_dropped_document_write(&r->ctx, count, &r->batch) == -1) {
		jw_rewind(&r->batch, mark);
		return -1;
	}
	r->batch_docs++;
	return 0;
}

int
reassembly_report_kernel_lost(struct reassembly *r, unsigned long count,
    unsigned long total)
{
	size_t mark = jw_len(&r->batch);

	jw_begin_document(&r->batch);
	if (ecs_kernel_lost_document_write(&r->ctx, count, total,
	    &r->batch) == -1) {
		jw_rewind(&r->batch, mark);
		return -1;
	}
	r->batch_docs++;
	return 0;
}

int
reassembly_report_status(struct reassembly *r,
    const struct audit_status_report *st)
{
	size_t mark = jw_len(&r->batch);

	jw_begin_document(&r->batch);
	if (ecs_status_document_write(&r->ctx, st, &r->batch) == -1) {
		jw_rewind(&r->batch, mark);
		return -1;
	}
	r->batch_docs++;
	return 0;
}

void
reassembly_tick(struct reassembly *r)
{
	struct seq_gap gap;

	if (r->opts.live) {
		r->aging = 1;
		auparse_feed_age_events(r->au);
		r->aging = 0;
		while (seq_tracker_tick(&r->serials, time(NULL), &gap))
			write_lost(r, &gap);
	}
	expire_held(r, 0);
	heal_gaps(r);
}

void
reassembly_flush(struct reassembly *r)
{
	struct seq_gap gap;

	auparse_flush_feed(r->au);
	expire_held(r, 1);
	while (seq_tracker_flush(&r->serials, &gap))
		write_lost(r, &gap);
	heal_gaps(r);
	expire_held(r, 1);
}

int
reassembly_take_batch(struct reassembly *r, struct batch *b)
{
	if (jw_len(&r->batch) == 0)
		return 0;
	b->buf = jw_take(&r->batch, &b->len);
	b->ndocs = r->batch_docs;
	b->settled_serial = seq_tracker_settled(&r->serials);
	b->mark_len = seq_tracker_mark(&r->serials, b->mark);
	r->batch_docs = 0;
	return 1;
}

size_t
reassembly_pending_bytes(const struct reassembly *r)
{
	return jw_len(&r->batch);
}

void
reassembly_get_stats(const struct reassembly *r, struct reassembly_stats *s)
{
	*s = r->stats;
}

/*
 * The host dataset: the machine's names, versions, boot time and time
 * zone, compared with the last look (kept in STATE_DIR/host.json) and
 * written as Auditbeat's system.host documents.
 *
 * As Auditbeat, a change of host id is two documents (the old host with
 * new_id, the new one with old_id), a later boot time is "reboot", a new
 * hostname "hostname_changed", and any other change of what is compared
 * (time zone, architecture, OS, kernel) "host_changed".  Addresses and
 * uptime are reported, not compared.  The documents' host.* is the host
 * as this look saw it, not as it was at start.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/timefmt.h"
#include "host_probe.h"
#include "host_state.h"
#include "sys_dataset.h"

struct host_dataset {
	char		 state_path[4096];
	long		 state_period_s;
	struct host_facts last;
	int		 have_last;
	time_t		 state_sent;
	struct ratelimit rl;
};

enum host_action {
	ACT_HOST, ACT_ID_CHANGED, ACT_REBOOT, ACT_HOSTNAME_CHANGED,
	ACT_HOST_CHANGED,
};

static const struct {
	const char	*action;
	const char	*type;
} actions[] = {
	[ACT_HOST] = { "host", "info" },
	[ACT_ID_CHANGED] = { "host_id_changed", "change" },
	[ACT_REBOOT] = { "reboot", "start" },
	[ACT_HOSTNAME_CHANGED] = { "hostname_changed", "change" },
	[ACT_HOST_CHANGED] = { "host_changed", "change" },
};

static void
write_nonempty(struct jw *w, const char *key, const char *value)
{
	if (value[0] != '\0')
		jw_cstring(w, key, value);
}

static void
write_list(struct jw *w, const char *key, const struct string_list *l)
{
	size_t i;

	jw_array_open(w, key);
	for (i = 0; i < l->count; i++)
		jw_cstring(w, NULL, l->items[i]);
	jw_array_close(w);
}

static void
write_os(struct jw *w, const struct host_info *h)
{
	jw_object_open(w, "os");
	jw_cstring(w, "type", "linux");
	write_nonempty(w, "platform", h->os_platform);
	write_nonempty(w, "name", h->os_name);
	write_nonempty(w, "family", h->os_family);
	write_nonempty(w, "version", h->os_version);
	write_nonempty(w, "kernel", h->kernel);
	jw_object_close(w);
}

/* "3 days, 1 hour, 5 minutes", as Auditbeat's message says it. */
static void
format_uptime(long long ns, char *buf, size_t size)
{
	long long minutes = ns / 60000000000LL;
	long long days = minutes / 1440, hours = minutes % 1440 / 60,
	    mins = minutes % 60;

	snprintf(buf, size, "%lld day%s, %lld hour%s, %lld minute%s", days,
	    days == 1 ? "" : "s", hours, hours == 1 ? "" : "s", mins,
	    mins == 1 ? "" : "s");
}

static void
message(const struct host_facts *f, enum host_action act, char *buf,
    size_t size)
{
	char host[400], up[96];

	snprintf(host, sizeof(host), "%.255s (IP: %s)", f->info.hostname,
	    f->ips.count > 0 ? f->ips.items[0] : "");
	switch (act) {
	case ACT_HOST:
		format_uptime(f->uptime_ns, up, sizeof(up));
		snprintf(buf, size, "%.255s host %s is up for %s",
		    f->info.os_name, host, up);
		break;
	case ACT_ID_CHANGED:
		snprintf(buf, size, "ID of host %s has changed", host);
		break;
	case ACT_REBOOT:
		snprintf(buf, size, "Host %s restarted", host);
		break;
	case ACT_HOSTNAME_CHANGED:
		snprintf(buf, size, "Hostname changed to %s", host);
		break;
	case ACT_HOST_CHANGED:
		snprintf(buf, size, "Host %s changed", host);
		break;
	}
}

/* service, host (as f says), agent and ecs members, without braces. */
static char *
render_members(const struct sys_doc_writer *dw, const struct host_facts *f,
    size_t *lenp)
{
	struct jw w;
	char *text = NULL;

	jw_init(&w);
	jw_object_open(&w, NULL);
	jw_object_open(&w, "service");
	jw_cstring(&w, "type", "system");
	jw_object_close(&w);
	jw_object_open(&w, "host");
	jw_cstring(&w, "name", f->info.hostname);
	jw_cstring(&w, "hostname", f->info.hostname);
	write_nonempty(&w, "id", f->info.id);
	write_nonempty(&w, "architecture", f->info.architecture);
	write_os(&w, &f->info);
	write_list(&w, "ip", &f->ips);
	write_list(&w, "mac", &f->macs);
	jw_object_close(&w);
	jw_object_open(&w, "agent");
	jw_cstring(&w, "type", PACKAGE_NAME);
	jw_cstring(&w, "version", PACKAGE_VERSION);
	write_nonempty(&w, "id", dw->host.agent_id);
	write_nonempty(&w, "ephemeral_id", dw->host.agent_ephemeral_id);
	jw_object_close(&w);
	jw_object_open(&w, "ecs");
	jw_cstring(&w, "version", ECS_VERSION);
	jw_object_close(&w);
	jw_object_close(&w);
	if (!jw_failed(&w) && jw_len(&w) >= 2 &&
	    (text = malloc(jw_len(&w) - 1)) != NULL) {
		*lenp = jw_len(&w) - 2;
		memcpy(text, jw_data(&w) + 1, *lenp);
		text[*lenp] = '\0';
	}
	jw_release(&w);
	return text;
}

/* extra_key/extra_value: new_id or old_id of an id change, else NULL. */
static void
write_host_doc(struct host_dataset *ds, struct sys_doc_writer *dw,
    const struct host_facts *f, enum host_action act, const char *extra_key,
    const char *extra_value)
{
	const char *const types[] = { actions[act].type, NULL };
	struct sys_event ev = { "host", act == ACT_HOST ? "state" : "event",
	    actions[act].action, "host", types, f->info.id, 0, NULL, NULL };
	struct jw *w = sys_doc_jw(dw);
	char msg[1024], boot[ISO8601_MAX], *members;
	size_t len;

	message(f, act, msg, sizeof(msg));
	if ((members = render_members(dw, f, &len)) == NULL) {
		log_ratelimited(&ds->rl, "host dataset: out of memory, "
		    "document dropped");
		return;
	}
	sys_doc_begin(dw, &ev, msg);
	jw_object_open(w, "system");
	jw_object_open(w, "audit");
	jw_object_open(w, "host");
	jw_int(w, "uptime", f->uptime_ns);
	if (f->boottime > 0 && iso8601_format(boot, sizeof(boot),
	    (time_t)f->boottime, 0, 0) > 0)
		jw_cstring(w, "boottime", boot);
	jw_object_open(w, "timezone");
	jw_cstring(w, "name", f->tz_name);
	jw_object_open(w, "offset");
	jw_int(w, "sec", f->tz_offset_sec);
	jw_object_close(w);
	jw_object_close(w);
	jw_cstring(w, "hostname", f->info.hostname);
	write_nonempty(w, "id", f->info.id);
	write_nonempty(w, "architecture", f->info.architecture);
	write_os(w, &f->info);
	write_list(w, "ip", &f->ips);
	write_list(w, "mac", &f->macs);
	if (extra_key != NULL)
		jw_cstring(w, extra_key, extra_value);
	jw_object_close(w);
	jw_object_close(w);
	jw_object_close(w);
	if (sys_doc_end_with(dw, members, len) == -1)
		log_ratelimited(&ds->rl, "host dataset: document too large, "
		    "dropped");
	free(members);
}

static int
same(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* What Auditbeat's change hash covers, the id and hostname aside. */
static int
host_changed(const struct host_facts *a, const struct host_facts *b)
{
	return !same(a->tz_name, b->tz_name) ||
	    a->tz_offset_sec != b->tz_offset_sec ||
	    !same(a->info.architecture, b->info.architecture) ||
	    !same(a->info.os_platform, b->info.os_platform) ||
	    !same(a->info.os_name, b->info.os_name) ||
	    !same(a->info.os_family, b->info.os_family) ||
	    !same(a->info.os_version, b->info.os_version) ||
	    !same(a->info.kernel, b->info.kernel);
}

static size_t
report_changes(struct host_dataset *ds, struct sys_doc_writer *dw,
    const struct host_facts *old, const struct host_facts *cur)
{
	size_t n = 0;

	if (!same(old->info.id, cur->info.id)) {
		write_host_doc(ds, dw, old, ACT_ID_CHANGED, "new_id",
		    cur->info.id);
		write_host_doc(ds, dw, cur, ACT_ID_CHANGED, "old_id",
		    old->info.id);
		n += 2;
	}
	/* btime moves by a second now and then: a reboot moves it more. */
	if (old->boottime > 0 && cur->boottime > old->boottime + 1) {
		write_host_doc(ds, dw, cur, ACT_REBOOT, NULL, NULL);
		n++;
	}
	if (!same(old->info.hostname, cur->info.hostname)) {
		write_host_doc(ds, dw, cur, ACT_HOSTNAME_CHANGED, NULL, NULL);
		n++;
	}
	if (host_changed(old, cur)) {
		write_host_doc(ds, dw, cur, ACT_HOST_CHANGED, NULL, NULL);
		n++;
	}
	return n;
}

static void
host_look(void *arg, struct sys_doc_writer *dw, time_t now)
{
	struct host_dataset *ds = arg;
	struct host_facts cur;
	char err[512];
	size_t changes = 0;
	int state_due;

	if (host_probe(&cur) == -1) {
		log_ratelimited(&ds->rl, "host dataset: out of memory");
		return;
	}
	state_due = !ds->have_last || now < ds->state_sent ||
	    now - ds->state_sent >= ds->state_period_s;
	if (ds->have_last)
		changes = report_changes(ds, dw, &ds->last, &cur);
	if (state_due) {
		write_host_doc(ds, dw, &cur, ACT_HOST, NULL, NULL);
		ds->state_sent = now;
	}
	sys_doc_flush(dw);
	/* A btime that moved by a second is kept too: drift adds up. */
	if ((changes > 0 || state_due || cur.boottime != ds->last.boottime) &&
	    host_state_save(ds->state_path, &cur, ds->state_sent, err,
	    sizeof(err)) == -1)
		log_ratelimited(&ds->rl, "host dataset: state not kept: %s",
		    err);
	host_facts_free(&ds->last);
	ds->last = cur;
	ds->have_last = 1;
}

static void *
host_open(const struct system_config *cfg, const char *state_dir)
{
	struct host_dataset *ds;
	char err[512];
	int rc;

	if ((ds = calloc(1, sizeof(*ds))) == NULL) {
		log_warnx("host dataset: out of memory");
		return NULL;
	}
	ds->rl = (struct ratelimit)RATELIMIT_INIT(300, 5);
	ds->state_period_s = cfg->state_period_ms / 1000;
	if ((size_t)snprintf(ds->state_path, sizeof(ds->state_path),
	    "%s/host.json", state_dir) >= sizeof(ds->state_path)) {
		log_warnx("host dataset: %s: path too long", state_dir);
		free(ds);
		return NULL;
	}
	rc = host_state_load(ds->state_path, &ds->last, &ds->state_sent, err,
	    sizeof(err));
	if (rc == -1)
		log_warnx("host dataset: kept state not used, the full state "
		    "is sent again: %s", err);
	ds->have_last = rc == 0;
	return ds;
}

static void
host_close(void *arg)
{
	struct host_dataset *ds = arg;

	if (ds == NULL)
		return;
	host_facts_free(&ds->last);
	free(ds);
}

const struct sys_dataset_ops host_dataset_ops = {
	SYS_DATASET_HOST, host_open, host_look, host_close,
};

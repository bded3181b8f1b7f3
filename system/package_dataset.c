/*
 * The package dataset: the packages dpkg (and rpm, where this machine has
 * an RPM database) says are installed, compared with the last look (kept
 * in STATE_DIR/package.json) and written as Auditbeat's system.package
 * documents.
 *
 * A look lists the packages again only when dpkg's status file or the
 * RPM database changed, or when the full state is due.  Packages are
 * matched by name and architecture: one whose version (or release,
 * summary, size, home page, licence) changed is "package_updated".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/timefmt.h"
#include "dpkg_parse.h"
#include "pkg_db.h"
#include "pkg_state.h"
#include "rpm_list.h"
#include "sys_dataset.h"
#include "sys_file.h"

#define DPKG_STATUS	"/var/lib/dpkg/status"
#define DPKG_INFO	"/var/lib/dpkg/info"
#define DPKG_FILE_MAX	(256u * 1024 * 1024)

/* What tells that a package database changed. */
static const char *const watched[] = {
	DPKG_STATUS,
	"/var/lib/rpm/rpmdb.sqlite", "/var/lib/rpm/Packages",
	"/usr/lib/sysimage/rpm/rpmdb.sqlite",
	"/usr/lib/sysimage/rpm/Packages.db",
};
#define NWATCHED	(sizeof(watched) / sizeof(watched[0]))

struct package_dataset {
	char		 state_path[4096];
	long		 state_period_s;
	struct pkg_table last;
	int		 have_last;
	time_t		 state_sent;
	struct sys_stamp stamps[NWATCHED];
	int		 looked;
	struct ratelimit rl;
};

enum pkg_action {
	ACT_EXISTING, ACT_INSTALLED, ACT_REMOVED, ACT_UPDATED,
};

static const struct {
	const char	*action;
	const char	*type;
	const char	*verb;
} actions[] = {
	[ACT_EXISTING] = { "existing_package", "info", "is already installed" },
	[ACT_INSTALLED] = { "package_installed", "installation", "installed" },
	[ACT_REMOVED] = { "package_removed", "deletion", "removed" },
	[ACT_UPDATED] = { "package_updated", "change", "updated" },
};

static void
write_opt(struct jw *w, const char *key, const char *value)
{
	if (value != NULL && value[0] != '\0')
		jw_cstring(w, key, value);
}

static void
write_package_doc(struct package_dataset *ds, struct sys_doc_writer *dw,
    const struct sys_package *p, enum pkg_action act)
{
	const char *const types[] = { actions[act].type, NULL };
	struct sys_event ev = { "package",
	    act == ACT_EXISTING ? "state" : "event", actions[act].action,
	    "package", types, p->name, 0, NULL, NULL };
	struct jw *w = sys_doc_jw(dw);
	char msg[1024], when[ISO8601_MAX], eid[17];
	int have_time;

	snprintf(msg, sizeof(msg), "Package %.255s (%.255s) %s", p->name,
	    p->version, actions[act].verb);
	have_time = p->installtime > 0 && iso8601_format(when, sizeof(when),
	    (time_t)p->installtime, 0, 0) > 0;
	sys_doc_begin(dw, &ev, msg);
	jw_object_open(w, "package");
	jw_cstring(w, "name", p->name);
	jw_cstring(w, "version", p->version);
	write_opt(w, "architecture", p->arch);
	write_opt(w, "license", p->license);
	if (have_time)
		jw_cstring(w, "installed", when);
	if (p->size > 0)
		jw_uint(w, "size", p->size);
	write_opt(w, "description", p->summary);
	write_opt(w, "reference", p->url);
	jw_cstring(w, "type", p->type);
	jw_object_close(w);
	jw_object_open(w, "system");
	jw_object_open(w, "audit");
	jw_object_open(w, "package");
	jw_cstring(w, "name", p->name);
	jw_cstring(w, "version", p->version);
	write_opt(w, "release", p->release);
	write_opt(w, "arch", p->arch);
	write_opt(w, "license", p->license);
	if (have_time)
		jw_cstring(w, "installtime", when);
	if (p->size > 0)
		jw_uint(w, "size", p->size);
	write_opt(w, "summary", p->summary);
	write_opt(w, "url", p->url);
	if (dw->host.id[0] != '\0') {
		sys_entity_id(dw->host.id, p->name, p->version, eid);
		write_opt(w, "entity_id", eid);
	}
	jw_object_close(w);
	jw_object_close(w);
	jw_object_close(w);
	if (sys_doc_end(dw) == -1)
		log_ratelimited(&ds->rl, "package %s: document too large, "
		    "dropped", p->name);
}

static size_t
report_changes(struct package_dataset *ds, struct sys_doc_writer *dw,
    const struct pkg_table *old, const struct pkg_table *cur)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < old->n || j < cur->n) {
		c = i == old->n ? 1 : j == cur->n ? -1 :
		    pkg_key_cmp(&old->pkgs[i], &cur->pkgs[j]);
		if (c < 0) {
			write_package_doc(ds, dw, &old->pkgs[i++], ACT_REMOVED);
			n++;
		} else if (c > 0) {
			write_package_doc(ds, dw, &cur->pkgs[j++],
			    ACT_INSTALLED);
			n++;
		} else {
			if (pkg_differs(&old->pkgs[i], &cur->pkgs[j])) {
				write_package_doc(ds, dw, &cur->pkgs[j],
				    ACT_UPDATED);
				n++;
			}
			i++;
			j++;
		}
	}
	return n;
}

/* Takes the stamps; 1 when any differs from the last look. */
static int
databases_changed(struct package_dataset *ds)
{
	struct sys_stamp now;
	size_t i;
	int changed = 0;

	for (i = 0; i < NWATCHED; i++) {
		sys_stamp_take(watched[i], &now);
		if (!sys_stamp_same(&now, &ds->stamps[i]))
			changed = 1;
		ds->stamps[i] = now;
	}
	return changed;
}

/* The packages now; -1 (logged) when a database could not be read. */
static int
list_packages(struct package_dataset *ds, struct pkg_table *t)
{
	char *text, err[512];
	size_t len;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = sys_read_file(DPKG_STATUS, DPKG_FILE_MAX, &text, &len, err,
	    sizeof(err));
	if (rc == 0) {
		rc = dpkg_status_parse(text, len, DPKG_STATUS, DPKG_INFO, t,
		    err, sizeof(err));
		free(text);
	}
	if (rc == 1)
		rc = 0;		/* no dpkg here */
	if (rc == 0 && rpm_list(t, err, sizeof(err)) == -1)
		rc = -1;
	if (rc == -1) {
		log_ratelimited(&ds->rl, "package dataset: %s", err);
		pkg_table_free(t);
		return -1;
	}
	pkg_table_sort(t);
	return 0;
}

static void
package_look(void *arg, struct sys_doc_writer *dw, time_t now)
{
	struct package_dataset *ds = arg;
	struct pkg_table cur;
	char err[512];
	size_t i, changes = 0;
	int state_due, first = !ds->looked;

	state_due = !ds->have_last || now < ds->state_sent ||
	    now - ds->state_sent >= ds->state_period_s;
	if (!databases_changed(ds) && !first && !state_due)
		return;
	ds->looked = 1;
	if (list_packages(ds, &cur) == -1) {
		/* Read again next time, whatever the stamps say. */
		ds->looked = 0;
		return;
	}
	if (ds->have_last)
		changes = report_changes(ds, dw, &ds->last, &cur);
	if (state_due) {
		for (i = 0; i < cur.n; i++)
			write_package_doc(ds, dw, &cur.pkgs[i], ACT_EXISTING);
		ds->state_sent = now;
	}
	sys_doc_flush(dw);
	if ((changes > 0 || state_due) && pkg_state_save(ds->state_path, &cur,
	    ds->state_sent, err, sizeof(err)) == -1)
		log_ratelimited(&ds->rl, "package dataset: state not kept: %s",
		    err);
	pkg_table_free(&ds->last);
	ds->last = cur;
	ds->have_last = 1;
}

static void *
package_open(const struct system_config *cfg, const char *state_dir)
{
	struct package_dataset *ds;
	char err[512];
	int rc;

	if ((ds = calloc(1, sizeof(*ds))) == NULL) {
		log_warnx("package dataset: out of memory");
		return NULL;
	}
	ds->rl = (struct ratelimit)RATELIMIT_INIT(300, 5);
	ds->state_period_s = cfg->state_period_ms / 1000;
	if ((size_t)snprintf(ds->state_path, sizeof(ds->state_path),
	    "%s/package.json", state_dir) >= sizeof(ds->state_path)) {
		log_warnx("package dataset: %s: path too long", state_dir);
		free(ds);
		return NULL;
	}
	rc = pkg_state_load(ds->state_path, &ds->last, &ds->state_sent, err,
	    sizeof(err));
	if (rc == -1)
		log_warnx("package dataset: kept state not used, the full "
		    "state is sent again: %s", err);
	ds->have_last = rc == 0;
	return ds;
}

static void
package_close(void *arg)
{
	struct package_dataset *ds = arg;

	if (ds == NULL)
		return;
	pkg_table_free(&ds->last);
	free(ds);
}

const struct sys_dataset_ops package_dataset_ops = {
	SYS_DATASET_PACKAGE, package_open, package_look, package_close,
};

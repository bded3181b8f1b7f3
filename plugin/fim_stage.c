/*
 * The file integrity threads as a source of the document queue.
 *
 * FIM documents are pushed as batches with settled_serial 0, so the
 * output stage's audit serial bookkeeping never moves because of them.
 * The parser thread starts FIM, restarts it on reload and stops it before
 * it closes the document queue, so no FIM document is pushed after the
 * close.
 *
 * Live, the parser also shows every audit event to fim_stage_observe(),
 * which notes the inodes of its PATH records and the process in the
 * correlation table (who_table.h); the worker's who hook looks the files
 * it reports up there.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "../common/log.h"
#include "pipeline_internal.h"
#include "../common/timeutil.h"

static void
emit(void *ctx, char *buf, size_t len, size_t ndocs)
{
	struct pipeline *p = ctx;
	struct doc_item *item;

	if ((item = calloc(1, sizeof(*item))) == NULL) {
		log_warnx("fim: out of memory, %zu documents lost", ndocs);
		atomic_fetch_add(&p->dropped, ndocs);
		free(buf);
		return;
	}
	item->batch.buf = buf;
	item->batch.len = len;
	item->batch.ndocs = ndocs;
	item->batch.settled_serial = 0;
	if (bq_push(p->docs, item, ndocs) == -1) {
		atomic_fetch_add(&p->dropped, ndocs);
		doc_item_free(item);
	}
}

/* The worker's question: did an audit record touch this inode lately? */
static int
audit_author(void *ctx, const char *path, const struct file_state *fs,
    struct fim_who *out)
{
	struct pipeline *p = ctx;

	(void)path;
	return p->who != NULL &&
	    who_table_find(p->who, fs->dev, fs->ino, monotonic_ms(), out);
}

void
fim_stage_start(struct pipeline *p, const struct config *cfg)
{
	struct fim_hooks hooks = { emit, audit_author, p };

	if (cfg->fim == NULL || (!p->live && !p->fim_once))
		return;
	/* Set before the worker starts, freed after it stopped. */
	if (p->live && p->who == NULL && (p->who = who_table_new()) == NULL)
		log_warnx("fim: out of memory: no audit correlation");
	p->fim = fim_start(cfg->fim, cfg->data_dir, &hooks, &p->fim_counters,
	    p->fim_once, p->fim_once ? &p->fim_interrupt : NULL);
	if (p->fim == NULL && p->fim_once)
		atomic_store(&p->fim_failed, 1);
}

void
fim_stage_reload(struct pipeline *p, const struct config *cfg)
{
	if (!p->live)
		return;
	fim_stop(p->fim);
	p->fim = NULL;
	fim_stage_start(p, cfg);
}

void
fim_stage_finish(struct pipeline *p)
{
	if (p->fim == NULL)
		return;
	if (p->fim_once) {
		if (fim_wait(p->fim) == -1)
			atomic_store(&p->fim_failed, 1);
	} else
		fim_stop(p->fim);
	p->fim = NULL;
}

/* A decimal field, or -1 when absent or not a number. */
static long
number(const char *text)
{
	char *end;
	long v;

	if (text == NULL)
		return -1;
	v = strtol(text, &end, 10);
	return end == text || *end != '\0' ? -1 : v;
}

static void
copy_sv(char *dst, size_t size, struct sv v)
{
	/* Cut short would be wrong: leave it out. */
	if (v.p == NULL || v.n >= size || memchr(v.p, '\0', v.n) != NULL)
		dst[0] = '\0';
	else {
		memcpy(dst, v.p, v.n);
		dst[v.n] = '\0';
	}
}

static void
copy_name(char *dst, size_t size, const char *name)
{
	copy_sv(dst, size, name != NULL ? sv_from(name) : SV_NULL);
}

static void
audit_who(const struct audit_event *ev, struct fim_who *who)
{
	fim_who_clear(who);
	who->pid = number(ev->pid);
	who->at_ms = monotonic_ms();
	who->source = WHO_SOURCE_AUDIT;
	copy_sv(who->executable, sizeof(who->executable), ev->exe);
	copy_sv(who->name, sizeof(who->name), ev->comm);
	who->uid = number(ev->ids.id[ID_UID]);
	who->gid = number(ev->ids.id[ID_GID]);
	who->auid = number(ev->ids.id[ID_AUID]);
	who->session = number(ev->ses);
	copy_name(who->user_name, sizeof(who->user_name),
	    ev->ids.name[ID_UID]);
	copy_name(who->audit_name, sizeof(who->audit_name),
	    ev->ids.name[ID_AUID]);
}

void
fim_stage_observe(void *ctx, const struct audit_event *ev)
{
	struct pipeline *p = ctx;
	struct who_key keys[AUDIT_MAX_PATHS];
	struct fim_who who;
	size_t n = 0;
	int i;

	/* A failed call changed nothing. */
	if (p->fim == NULL || p->who == NULL || !ev->has_syscall ||
	    ev->npaths == 0 || (ev->result != NULL &&
	    strcmp(ev->result, "success") != 0))
		return;
	for (i = 0; i < ev->npaths; i++) {
		const struct path_item *item = &ev->paths[i];
		char *end;

		if (item->inode == NULL ||
		    who_audit_dev(item->dev, &keys[n].dev) == -1)
			continue;
		keys[n].ino = strtoull(item->inode, &end, 10);
		if (end != item->inode && *end == '\0')
			n++;
	}
	if (n == 0)
		return;
	audit_who(ev, &who);
	if (who.pid > 0)
		who_table_note(p->who, keys, n, &who);
}

/*
 * The system datasets' thread as a source of the document queue.
 *
 * Like FIM's, its documents are pushed as batches with settled_serial 0,
 * so the audit serial bookkeeping never moves because of them.  The
 * parser thread starts it (live only: a replay reads files, not this
 * machine), restarts it on reload and stops it before it closes the
 * document queue, so no system document is pushed after the close.
 */
#include "config.h"

#include <stdlib.h>

#include "conf.h"
#include "../common/log.h"
#include "pipeline_internal.h"

static void
emit(void *ctx, char *buf, size_t len, size_t ndocs)
{
	struct pipeline *p = ctx;
	struct doc_item *item;

	if ((item = calloc(1, sizeof(*item))) == NULL) {
		log_warnx("system: out of memory, %zu documents lost", ndocs);
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

void
system_stage_start(struct pipeline *p, const struct config *cfg)
{
	struct system_hooks hooks = { emit, p };

	if (cfg->system == NULL || cfg->system->dataset_mask == 0 || !p->live)
		return;
	p->system = system_start(cfg->system, cfg->data_dir, &hooks);
}

void
system_stage_reload(struct pipeline *p, const struct config *cfg)
{
	if (!p->live)
		return;
	system_stop(p->system);
	p->system = NULL;
	system_stage_start(p, cfg);
}

void
system_stage_finish(struct pipeline *p)
{
	system_stop(p->system);
	p->system = NULL;
}

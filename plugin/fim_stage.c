/*
 * The file integrity threads as a source of the document queue.
 *
 * FIM documents are pushed as batches with settled_serial 0, so the
 * output stage's audit serial bookkeeping never moves because of them.
 * The parser thread starts FIM, restarts it on reload and stops it before
 * it closes the document queue, so no FIM document is pushed after the
 * close.
 */
#include "config.h"

#include <stdlib.h>

#include "conf.h"
#include "log.h"
#include "pipeline_internal.h"

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

void
fim_stage_start(struct pipeline *p, const struct config *cfg)
{
	struct fim_hooks hooks = { emit, NULL, p };

	if (cfg->fim == NULL || (!p->live && !p->fim_once))
		return;
	p->fim = fim_start(cfg->fim, cfg->data_dir, &hooks, &p->fim_counters,
	    p->fim_once);
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

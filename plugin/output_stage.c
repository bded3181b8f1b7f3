/*
 * The output thread: writes every batch to every output.
 *
 * A batch is retried (once a second) until each output has stored it, so a
 * full disk or a removed directory holds documents back instead of losing
 * them; the queue in front absorbs the delay.  Only when the pipeline is
 * told to give up (the shutdown deadline passed) are they counted dropped.
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "../outputs/output.h"
#include "conf.h"
#include "log.h"
#include "pipeline_internal.h"

#define MAX_OUTPUTS	4
#define RETRY_MS	1000

struct output_stage {
	struct pipeline	*p;
	struct output	*outputs[MAX_OUTPUTS];
	int		 noutputs;
};

static void
close_outputs(struct output_stage *os)
{
	int i;

	for (i = 0; i < os->noutputs; i++)
		output_close(os->outputs[i]);
	os->noutputs = 0;
}

static void
open_outputs(struct output_stage *os, const struct config *cfg)
{
	struct output *o = NULL;

	close_outputs(os);
	if (cfg->file_output != NULL)
		o = output_file_open(cfg->file_output);
	else if (!os->p->live)
		o = output_stdout_open();
	if (o != NULL)
		os->outputs[os->noutputs++] = o;
	else if (cfg->file_output != NULL || !os->p->live)
		log_warnx("no output could be opened");
	else
		log_warnx("no output configured: documents are discarded");
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Returns once every output stored the batch, or when giving up. */
static void
write_everywhere(struct output_stage *os, const struct batch *b)
{
	unsigned int done = 0, all = (1U << os->noutputs) - 1;
	int i;

	while (done != all) {
		for (i = 0; i < os->noutputs; i++) {
			if (done & (1U << i))
				continue;
			if (os->outputs[i]->write_batch(os->outputs[i], b->buf,
			    b->len, b->ndocs) == 0)
				done |= 1U << i;
			else
				atomic_fetch_add(&os->p->write_errors, 1);
		}
		if (done == all)
			break;
		if (atomic_load(&os->p->give_up)) {
			atomic_fetch_add(&os->p->dropped, b->ndocs);
			return;
		}
		sleep_ms(RETRY_MS);
	}
	atomic_fetch_add(&os->p->written, b->ndocs);
}

void *
output_main(void *arg)
{
	struct output_stage os = { .p = arg };
	struct doc_item *item;
	void *popped;

	open_outputs(&os, os.p->cfg);
	while (bq_pop(os.p->docs, &popped, -1) == BQ_ITEM) {
		item = popped;
		if (item->cfg != NULL) {
			open_outputs(&os, item->cfg);
			log_info("configuration reloaded from %s",
			    item->cfg->source ? item->cfg->source : "defaults");
		} else if (os.noutputs > 0)
			write_everywhere(&os, &item->batch);
		else
			atomic_fetch_add(&os.p->dropped, item->batch.ndocs);
		doc_item_free(item);
	}
	close_outputs(&os);
	pipeline_stage_done(os.p);
	return NULL;
}

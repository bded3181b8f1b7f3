/*
 * The output thread: hands every batch to the output.
 *
 * The file output (and stdout for replay) is written directly: a batch is
 * retried once a second until it is stored, so a full disk or a removed
 * directory holds documents back instead of losing them; the queue in
 * front absorbs the delay.  Network outputs put the batch into their spool
 * and return at once; their workers deliver it (outputs/publisher.h).
 * Only when the pipeline is told to give up (the shutdown deadline passed)
 * are documents held here counted as dropped; spooled ones stay on disk.
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "../outputs/network_output.h"
#include "../outputs/output.h"
#include "conf.h"
#include "../common/log.h"
#include "../common/timeutil.h"
#include "pipeline_internal.h"
#include "state_file.h"

#define RETRY_MS	1000
#define POP_WAIT_MS	1000

struct output_stage {
	struct pipeline		*p;
	struct output		*direct;	/* file or stdout */
	struct network_output	*network;	/* logstash, elasticsearch */
	/*
	 * The configuration of a reload: the outputs refer to its settings
	 * (hosts, index, credentials), so it lives as long as they do.
	 */
	struct config		*reloaded;
	struct serial_file	*serial_file;	/* live input only */
	unsigned long		 stored_serial;	/* settled and stored */
	unsigned char		 stored_mark[SEQ_MARK_MAX];	/* exactly */
	size_t			 stored_mark_len;
	int			 unsaved;	/* not in the file yet */
};

static void store_network_stats(struct output_stage *,
    const struct network_stats *);

static void
close_outputs(struct output_stage *os, int drain)
{
	struct network_stats final;

	if (os->direct != NULL)
		output_close(os->direct);
	if (os->network != NULL) {
		network_output_close(os->network, drain, &os->p->give_up,
		    &final);
		store_network_stats(os, &final);
	}
	os->direct = NULL;
	os->network = NULL;
}

static void
open_outputs(struct output_stage *os, const struct config *cfg)
{
	char err[512];

	close_outputs(os, 0);
	if (cfg->logstash != NULL || cfg->elasticsearch != NULL) {
		if ((os->network = network_output_open(&cfg->spool,
		    cfg->logstash, cfg->elasticsearch, err, sizeof(err))) == NULL)
			log_warnx("%s output: %s", cfg->logstash != NULL ?
			    "logstash" : "elasticsearch", err);
		return;
	}
	if (cfg->file_output != NULL)
		os->direct = output_file_open(cfg->file_output);
	else if (!os->p->live)
		os->direct = output_stdout_open();
	if (os->direct == NULL && (cfg->file_output != NULL || !os->p->live))
		log_warnx("no output could be opened");
	else if (os->direct == NULL)
		log_warnx("no output configured: documents are discarded");
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Returns once the direct output stored the batch, or when giving up. */
static void
write_direct(struct output_stage *os, const struct batch *b)
{
	while (os->direct->write_batch(os->direct, b->buf, b->len,
	    b->ndocs) != 0) {
		atomic_fetch_add(&os->p->write_errors, 1);
		if (atomic_load(&os->p->give_up)) {
			atomic_fetch_add(&os->p->dropped, b->ndocs);
			return;
		}
		sleep_ms(RETRY_MS);
	}
	atomic_fetch_add(&os->p->written, b->ndocs);
}

/*
 * Live input: remember which audit serials are stored, for the next start
 * to tell the gap exactly: the batch's mark (every serial up to the
 * settled one, and which above it).  Saved after every batch (a pwrite,
 * see state_file.h), so a kill leaves at most the batch being stored in
 * doubt; a network output's spool records carry the mark themselves.
 */
static void
save_serial(struct output_stage *os)
{
	if (!os->p->live || !os->unsaved)
		return;
	state_serial_save(os->serial_file, os->stored_serial, os->stored_mark,
	    os->stored_mark_len);
	os->unsaved = 0;
}

/* FIM's batches carry no serial. */
static void
note_stored(struct output_stage *os, const struct batch *b)
{
	if (b->settled_serial == 0 || b->settled_serial < os->stored_serial)
		return;
	os->stored_serial = b->settled_serial;
	memcpy(os->stored_mark, b->mark, b->mark_len);
	os->stored_mark_len = b->mark_len;
	os->unsaved = 1;
}

static void
deliver(struct output_stage *os, const struct batch *b)
{
	if (os->network != NULL)
		(void)network_output_append(os->network, b->buf, b->len,
		    b->ndocs, b->mark, b->mark_len);
	else if (os->direct != NULL)
		write_direct(os, b);
	else
		atomic_fetch_add(&os->p->dropped, b->ndocs);
	note_stored(os, b);
	save_serial(os);
}

/* The pipeline's counters from the network output's. */
static void
store_network_stats(struct output_stage *os, const struct network_stats *ns)
{
	atomic_store(&os->p->written, ns->pub.published);
	atomic_store(&os->p->dropped, ns->spool.dropped +
	    ns->pub.non_indexable_dropped);
	atomic_store(&os->p->spooled, ns->spool.pending);
	atomic_store(&os->p->retries, ns->pub.retries);
	atomic_store(&os->p->write_errors, ns->spool.write_errors);
	atomic_store(&os->p->unstored, ns->spool.unstored);
	atomic_store(&os->p->es_conflicts, ns->pub.conflicts);
	atomic_store(&os->p->es_item_retries, ns->pub.item_retries);
	atomic_store(&os->p->dead_lettered, ns->pub.dead_lettered);
	atomic_store(&os->p->ack_floods, ns->pub.ack_floods);
}

/* Counters of the network output, and drops for the parser to report. */
static void
publish_network_stats(struct output_stage *os)
{
	struct network_stats ns;
	uint64_t drops;

	if (os->network == NULL)
		return;
	network_output_stats(os->network, &ns);
	store_network_stats(os, &ns);
	if ((drops = network_output_take_drops(os->network)) > 0)
		atomic_fetch_add(&os->p->drops_to_report, drops);
}

void *
output_main(void *arg)
{
	struct output_stage os = { .p = arg };
	struct doc_item *item;
	enum bq_status st;
	void *popped;

	open_outputs(&os, os.p->cfg);
	if (os.p->live)
		os.serial_file = state_serial_open(os.p->cfg->data_dir);
	while ((st = bq_pop(os.p->docs, &popped, POP_WAIT_MS)) != BQ_CLOSED) {
		if (st == BQ_ITEM) {
			item = popped;
			if (item->cfg != NULL) {
				open_outputs(&os, item->cfg);
				config_free(os.reloaded);
				os.reloaded = item->cfg;
				item->cfg = NULL;
				log_info("configuration reloaded from %s",
				    os.reloaded->source ? os.reloaded->source :
				    "defaults");
			} else
				deliver(&os, &item->batch);
			doc_item_free(item);
		}
		publish_network_stats(&os);
	}
	publish_network_stats(&os);
	save_serial(&os);
	state_serial_close(os.serial_file);
	close_outputs(&os, 1);
	config_free(os.reloaded);
	pipeline_stage_done(os.p);
	return NULL;
}

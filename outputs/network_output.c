/* A network output: spool + sender; see network_output.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "output_conf.h"
#include "network_output.h"

struct network_output {
	const struct sender	*sender;
	struct spool		*spool;
	void			*workers;
};

struct network_output *
network_output_open(const struct spool_config *spool,
    const struct logstash_output_config *logstash,
    const struct es_output_config *elasticsearch, char *err, size_t errlen)
{
	struct network_output *no;

	if ((no = calloc(1, sizeof(*no))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	no->sender = elasticsearch != NULL ? &elasticsearch_sender :
	    &logstash_sender;
	no->spool = spool_open(spool->path, (uint64_t)spool->max_size,
	    (enum spool_policy)spool->policy, err, errlen);
	if (no->spool == NULL || (no->workers = no->sender->start(no->spool,
	    elasticsearch != NULL ? (const void *)elasticsearch :
	    (const void *)logstash, err, errlen)) == NULL) {
		spool_free(no->spool);
		free(no);
		return NULL;
	}
	return no;
}

int
network_output_append(struct network_output *no, const char *docs,
    size_t len, size_t ndocs, const void *mark, size_t mark_len)
{
	return spool_append_marked(no->spool, docs, len, ndocs, mark,
	    mark_len);
}

void
network_output_close(struct network_output *no, int drain,
    atomic_int *give_up, struct network_stats *final)
{
	struct timespec step = { 0, 50 * 1000000L };

	spool_close_input(no->spool);
	while (drain && !atomic_load(give_up) && !spool_finished(no->spool))
		nanosleep(&step, NULL);
	/*
	 * Drained, every document is acknowledged, and a worker counts what
	 * it drops before it acknowledges: the counters are complete.
	 */
	if (final != NULL)
		network_output_stats(no, final);
	/* Drained or not: a worker may be stuck connecting to a dead host. */
	no->sender->abort(no->workers);
	no->sender->join(no->workers);
	spool_free(no->spool);
	free(no);
}

void
network_output_stats(struct network_output *no, struct network_stats *s)
{
	spool_get_stats(no->spool, &s->spool);
	no->sender->stats(no->workers, &s->pub);
}

uint64_t
network_output_take_drops(struct network_output *no)
{
	return spool_take_unreported_drops(no->spool);
}

/*
 * A network output as the output stage sees it: a spool in front of the
 * workers of one sender (Logstash or Elasticsearch), built from the output
 * section and queue.spool.
 */
#ifndef AUDISP_ECS_NETWORK_OUTPUT_H
#define AUDISP_ECS_NETWORK_OUTPUT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "publisher.h"
#include "spool.h"

struct es_output_config;
struct spool_config;
struct logstash_output_config;
struct network_output;
struct tls_client;

struct network_stats {
	struct spool_stats	 spool;
	struct publisher_stats	 pub;
};

/* The workers behind the spool, one kind per output. */
struct sender {
	const char	*name;		/* "logstash", "elasticsearch" */
	/* settings: the output's own struct (output_conf.h). */
	void		*(*start)(struct spool *, const void *settings,
			    char *err, size_t errlen);
	void		 (*abort)(void *);
	void		 (*join)(void *);	/* frees */
	void		 (*stats)(void *, struct publisher_stats *);
};

extern const struct sender logstash_sender;
extern const struct sender elasticsearch_sender;

/*
 * Open the spool and start the workers of the output given: Elasticsearch
 * when elasticsearch is not NULL, Logstash otherwise.  NULL (err says why)
 * on error.
 */
struct network_output	*network_output_open(const struct spool_config *,
			    const struct logstash_output_config *,
			    const struct es_output_config *,
			    char *err, size_t errlen);
/*
 * Into the spool, with the mark (may be NULL, mark_len 0) in the same
 * record (spool_append_marked); -1 when the documents were dropped
 * (counted there).
 */
int			 network_output_append(struct network_output *,
			    const char *docs, size_t len, size_t ndocs,
			    const void *mark, size_t mark_len);
/*
 * Stop: with drain, wait until every document is acknowledged or *give_up
 * becomes nonzero; without, stop at once.  Unacknowledged documents stay
 * in the spool for the next start.  The counters as they stand at the end
 * go to final (may be NULL).  Frees the output.
 */
void			 network_output_close(struct network_output *,
			    int drain, atomic_int *give_up,
			    struct network_stats *final);
void			 network_output_stats(struct network_output *,
			    struct network_stats *);
/* Documents dropped by the spool policy and not yet reported. */
uint64_t		 network_output_take_drops(struct network_output *);
/* Build the TLS client for output.logstash.ssl; NULL when TLS is off. */
struct tls_client	*logstash_tls_client(const struct logstash_output_config *,
			    int *failed, char *err, size_t errlen);

#endif

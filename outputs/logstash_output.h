/*
 * The Logstash output as the output stage sees it: a spool in front of a
 * publisher, built from output.logstash and queue.spool.
 */
#ifndef AUDISP_ECS_LOGSTASH_OUTPUT_H
#define AUDISP_ECS_LOGSTASH_OUTPUT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "publisher.h"
#include "spool.h"

struct config;
struct logstash_output;

struct network_stats {
	struct spool_stats	 spool;
	struct publisher_stats	 pub;
};

/* Open the spool, load the TLS settings, start the workers; NULL on error. */
struct logstash_output	*logstash_output_open(const struct config *,
			    char *err, size_t errlen);
/* Into the spool; -1 when the documents were dropped (counted there). */
int			 logstash_output_append(struct logstash_output *,
			    const char *docs, size_t len, size_t ndocs);
/*
 * Stop: with drain, wait until every document is acknowledged or *give_up
 * becomes nonzero; without, stop at once.  Unacknowledged documents stay
 * in the spool for the next start.  Frees the output.
 */
void			 logstash_output_close(struct logstash_output *,
			    int drain, atomic_int *give_up);
void			 logstash_output_stats(struct logstash_output *,
			    struct network_stats *);
/* Documents dropped by the spool policy and not yet reported. */
uint64_t		 logstash_output_take_drops(struct logstash_output *);
/* Build the TLS client for output.logstash.ssl; NULL when TLS is off. */
struct tls_client	*logstash_tls_client(const struct config *,
			    int *failed, char *err, size_t errlen);

#endif

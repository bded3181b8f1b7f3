/*
 * What the pipeline's stages share: the items on the two queues and the
 * pipeline itself.  Only pipeline.c, input.c, parse_stage.c and
 * output_stage.c include this.
 */
#ifndef AUDISP_ECS_PIPELINE_INTERNAL_H
#define AUDISP_ECS_PIPELINE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "../fim/fim.h"
#include "../fim/who_table.h"
#include "../parsers/reassembly.h"
#include "../common/bqueue.h"
#include "pipeline.h"

/* On the raw queue. */
enum chunk_kind {
	CHUNK_DATA,	/* bytes of a source */
	CHUNK_END,	/* the source named by origin ended */
	CHUNK_RELOAD,	/* new configuration in cfg */
};

struct chunk {
	enum chunk_kind	 kind;
	const char	*origin;	/* "stdin" or a file name */
	struct config	*cfg;
	size_t		 len;
	char		 data[];
};

/* On the document queue. */
struct doc_item {
	struct batch	 batch;		/* ndocs == 0 for a reload */
	struct config	*cfg;		/* a reload, or NULL */
};

struct pipeline {
	int		 live;
	char *const	*paths;
	int		 npaths;
	struct config	*cfg;		/* the parser's copy of the settings */
	struct bqueue	*raw;
	struct bqueue	*docs;
	pthread_t	 input_thread, parser_thread, output_thread;
	int		 wake[2];	/* wakes the input thread's poll */
	atomic_int	 stop_input;
	atomic_int	 input_done;	/* the sources are read to their end */
	atomic_int	 give_up;	/* outputs stop retrying */
	atomic_int	 stages_running;
	pthread_mutex_t	 done_lock;
	pthread_cond_t	 done_cond;

	/* Counters: each written by one stage, read by anyone. */
	atomic_ullong	 bytes_in, input_errors;
	atomic_ullong	 records, rejected, events, lost, filtered;
	atomic_ullong	 written, dropped, write_errors;
	atomic_ullong	 spooled, retries;
	atomic_ullong	 es_conflicts, es_item_retries, dead_lettered;
	atomic_ullong	 ack_floods;
	/* Dropped by the spool policy: the parser writes a document about it. */
	atomic_ullong	 drops_to_report;

	/* File integrity monitoring (fim_stage.c); the parser thread owns it. */
	struct fim	*fim;
	/* Audit PATH records for FIM documents; the pipeline frees it. */
	struct who_table *who;
	int		 fim_once;	/* the fim-scan verb */
	atomic_int	 fim_failed;	/* the one-shot scan did not complete */
	atomic_int	 fim_interrupt;	/* stop the one-shot scan (a signal) */
	struct fim_counters fim_counters;
};

void	*input_main(void *);
void	*parse_main(void *);
void	*output_main(void *);
/* Called by each stage as it returns. */
void	 pipeline_stage_done(struct pipeline *);
void	 doc_item_free(void *);
void	 chunk_free(void *);
/* fim_stage.c: FIM started with cfg (when it has a fim section), */
void	 fim_stage_start(struct pipeline *, const struct config *cfg);
/* restarted with a reloaded one, */
void	 fim_stage_reload(struct pipeline *, const struct config *cfg);
/* and stopped (or waited for, in a one-shot scan) before docs close. */
void	 fim_stage_finish(struct pipeline *);
/* The parser's hook: a live audit event, for the correlation table. */
void	 fim_stage_observe(void *pipeline, const struct audit_event *);

#endif

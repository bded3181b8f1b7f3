/*
 * What the pipeline's stages share: the items on the document queue and the
 * pipeline itself.  Only the pipeline's own files (pipeline.c, input.c,
 * parse_stage.c, output_stage.c, fim_stage.c, fim_scan.c, system_stage.c)
 * include this.
 */
#ifndef AUDISP_ECS_PIPELINE_INTERNAL_H
#define AUDISP_ECS_PIPELINE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>

#include "../fim/fim.h"
#include "../fim/who_table.h"
#include "../parsers/line_split.h"
#include "../parsers/reassembly.h"
#include "../system/system.h"
#include "../common/bqueue.h"
#include "../common/log.h"
#include "pipeline.h"

/* On the document queue. */
struct doc_item {
	struct batch	 batch;		/* ndocs == 0 for a reload */
	unsigned long long reported;	/* drops its events-dropped document counts */
	struct config	*cfg;		/* a reload, or NULL */
};

struct pipeline {
	int		 live;
	char *const	*paths;
	int		 npaths;
	struct config	*cfg;		/* the parser's copy of the settings */
	struct bqueue	*docs;
	pthread_t	 parser_thread, output_thread;
	int		 wake[2];	/* wakes the parser's wait for input */
	pthread_mutex_t	 reload_lock;	/* guards reload and status_* */
	struct config	*reload;	/* a reload the parser has not taken */
	/* The kernel status polled by the main thread, for the parser. */
	struct audit_status_report status;
	unsigned long	 status_lost_rise;	/* not reported yet */
	int		 status_document;	/* a status document is due */
	atomic_int	 stop_input;
	atomic_int	 input_done;	/* the sources are read to their end */
	atomic_int	 input_complete; /* ... and not cut short by a stop */
	atomic_int	 give_up;	/* outputs stop retrying */
	atomic_int	 stages_running;
	pthread_mutex_t	 done_lock;
	pthread_cond_t	 done_cond;

	/* Counters: each written by one stage, read by anyone. */
	atomic_ullong	 bytes_in, input_errors;
	atomic_ullong	 records, rejected, events, lost, filtered;
	atomic_ullong	 backfilled, late_dropped;
	atomic_ullong	 written, dropped, write_errors, unstored;
	atomic_ullong	 spooled, retries;
	atomic_ullong	 es_conflicts, es_item_retries, dead_lettered;
	atomic_ullong	 ack_floods;
	/* The netlink input: receive buffer overruns (records lost to us). */
	atomic_ullong	 netlink_overruns;
	atomic_ullong	 unix_connects;	/* the af_unix input (re)connected */
	/* The kernel's own lost counter went up by this (status polling). */
	atomic_ullong	 kernel_lost;
	/* Dropped by the parser: the outputs were behind for too long. */
	atomic_ullong	 parser_dropped;
	/* Dropped by the spool policy: the parser writes a document about it. */
	atomic_ullong	 drops_to_report;

	/* The parser thread's: ENOBUFS on the netlink socket. */
	struct ratelimit overrun_rl;

	/* File integrity monitoring (fim_stage.c); the parser thread owns it. */
	struct fim	*fim;
	/* Audit PATH records for FIM documents; the pipeline frees it. */
	struct who_table *who;
	int		 fim_once;	/* the fim-scan verb */
	atomic_int	 fim_failed;	/* the one-shot scan did not complete */
	atomic_int	 fim_interrupt;	/* stop the one-shot scan (a signal) */
	struct fim_counters fim_counters;

	/* System datasets (system_stage.c); the parser thread owns it. */
	struct system	*system;
};

/* input.c: the sources, read by the parser thread. */
enum input_wait {
	INPUT_READY,	/* the source has bytes, or an end or error to read */
	INPUT_IDLE,	/* nothing came within the timeout */
	INPUT_WOKEN,	/* woken early (a reload, a signal): look at the flags */
	INPUT_STOP,	/* a stop was asked */
};
/* timeout_ms < 0 waits for ever. */
enum input_wait input_wait(struct pipeline *, int fd, int timeout_ms);
/* Bytes read, 0 at the end, -1 on an error (logged, counted), -2 none yet. */
ssize_t	 input_read(struct pipeline *, int fd, const char *origin, char *buf,
	    size_t size);
/* Sleep ms, or less if a stop or a reload comes. */
void	 input_linger(struct pipeline *, int ms);
/* Let a pipe hold size bytes (the kernel may refuse: that is fine). */
void	 input_grow_pipe(int fd, int size);
/* "-" is stdin; -1 if the file cannot be opened (logged, counted). */
int	 input_open(struct pipeline *, const char *path);
void	 input_close(int fd);
/* input_netlink.c: the kernel's multicast group; fd, or -1 (logged). */
int	 input_netlink_open(struct pipeline *, long long rcvbuf);
/* What input_netlink_drain needs of buf: a datagram and its line. */
#define INPUT_NETLINK_BUF_MIN	(2 * 9994 + 64)
/*
 * Hand every record waiting on the socket (at most max_records) to fn as
 * a line; bytes: what was received.  Returns the records, 0 if none
 * waited, -1 if the socket failed (logged, counted).
 */
long	 input_netlink_drain(struct pipeline *, int fd, char *buf, size_t size,
	    line_split_fn *fn, void *ctx, long max_records, size_t *bytes);
/*
 * input_unix.c: auditd's af_unix socket, connected again with backoff
 * whenever it goes (auditd restarts), and named in the log when auditd is
 * serving another client.
 */
struct unix_input {
	const char	*path;
	int		 fd;		/* -1: not connected */
	long		 retry_at;	/* monotonic ms: the next connect */
	long		 backoff_ms;
	long		 busy_check_at;	/* 0: none due */
	int		 down_told;	/* "cannot connect" was logged */
	int		 busy_told;
};

void	 input_unix_init(struct unix_input *, const char *path);
/* Connect when it is time, see whether auditd serves us: between reads. */
void	 input_unix_upkeep(struct pipeline *, struct unix_input *);
/* When upkeep wants to run next (monotonic ms), or -1. */
long	 input_unix_due(const struct unix_input *);
/* The socket ended (EOF or an error): closed, connected again later. */
void	 input_unix_lost(struct unix_input *);
/* Records came: the socket is ours. */
void	 input_unix_flowing(struct unix_input *);
void	 input_unix_close(struct unix_input *);
/* pipeline.c: the reload waiting for the parser, or NULL. */
struct config *pipeline_take_reload(struct pipeline *);
/*
 * The status posted since the last call (pipeline_post_status), and the
 * rise of the kernel's lost counter to report; nonzero if a status
 * document is due.
 */
int	 pipeline_take_status(struct pipeline *, struct audit_status_report *,
	    unsigned long *lost_rise);

void	*parse_main(void *);
void	*output_main(void *);
/* Called by each stage as it returns. */
void	 pipeline_stage_done(struct pipeline *);
void	 doc_item_free(void *);
/* fim_stage.c: FIM started with cfg (when it has a fim section), */
void	 fim_stage_start(struct pipeline *, const struct config *cfg);
/* restarted with a reloaded one, */
void	 fim_stage_reload(struct pipeline *, const struct config *cfg);
/* and stopped (or waited for, in a one-shot scan) before docs close. */
void	 fim_stage_finish(struct pipeline *);
/* The parser's hook: a live audit event, for the correlation table. */
void	 fim_stage_observe(void *pipeline, const struct audit_event *);
/* system_stage.c: the system datasets, live only, like FIM above. */
void	 system_stage_start(struct pipeline *, const struct config *cfg);
void	 system_stage_reload(struct pipeline *, const struct config *cfg);
void	 system_stage_finish(struct pipeline *);

#endif

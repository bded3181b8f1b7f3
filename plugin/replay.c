/*
 * The replay verb: documents for audit records kept in files.
 *
 * Takes auditd's log format or the plugin format (they are the same lines;
 * ENRICHED interpretations after 0x1D are allowed).  With no file, reads
 * stdin.  Documents go to the configured outputs, or to stdout as NDJSON
 * when the configuration names none.  Lines that are not audit records are
 * reported on stderr (by file and line) and skipped.  The exit status says
 * whether every document got where it was meant to go (enum replay_exit;
 * the README's Usage section has the same list): a script that replays
 * logs must be able to tell a complete replay from one to run again and
 * from one that lost documents.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "conf.h"
#include "daemon.h"
#include "../common/log.h"
#include "pipeline.h"
#include "signals.h"

#define STOP_TIMEOUT_MS	4500

/* The worst outcome wins: the order of the checks in replay_exit_status. */
enum replay_exit {
	REPLAY_DELIVERED	= 0,	/* all read, every document delivered */
	REPLAY_ERROR		= 1,	/* bad configuration, unreadable input */
	REPLAY_UNDELIVERED	= 2,	/* cut short, or left in the spool */
	REPLAY_LOST		= 3,	/* dropped, or not stored */
	REPLAY_DEAD_LETTERED	= 4,	/* some only as dead letters */
};

/* Why the replay is not complete, on stderr; the exit status. */
static enum replay_exit
replay_exit_status(const struct pipeline_stats *s, int finished)
{
	if (s->input_errors > 0)
		return REPLAY_ERROR;
	if (s->dropped > 0 || s->unstored > 0) {
		fprintf(stderr, "audisp-ecs: replay: documents lost: %llu "
		    "dropped, %llu not stored (write errors)\n", s->dropped,
		    s->unstored);
		return REPLAY_LOST;
	}
	if (!s->input_ended || !finished || s->spooled > 0) {
		fprintf(stderr, "audisp-ecs: replay: not complete: %s; %llu "
		    "documents left in the spool for the next run\n",
		    !s->input_ended ? "stopped before the end of the input" :
		    "stopped before the output took everything", s->spooled);
		return REPLAY_UNDELIVERED;
	}
	if (s->dead_lettered > 0) {
		fprintf(stderr, "audisp-ecs: replay: %llu documents were not "
		    "indexable and went to the dead letters\n",
		    s->dead_lettered);
		return REPLAY_DEAD_LETTERED;
	}
	return REPLAY_DELIVERED;
}

int
replay_main(const char *config_path, char *const paths[], int npaths)
{
	struct config *cfg;
	struct pipeline *p;
	struct pipeline_stats s;
	sigset_t handled;
	int rc, sig;

	/* Also ignores SIGPIPE: a closed connection is an error, not death. */
	signals_reset_inherited();
	log_init("audisp-ecs", 1);
	if ((cfg = config_load(config_path, stderr)) == NULL)
		return 1;
	log_set_level((enum log_level)cfg->log_level);
	signals_block_handled(&handled);
	if ((p = pipeline_start(cfg, 0, paths, npaths)) == NULL)
		return 1;
	/*
	 * Replay runs to the end of its input and until every document is
	 * stored (acknowledged, for Logstash); a signal cuts it short, and
	 * what a spool still holds stays there for the next run.
	 */
	while (!pipeline_finished(p)) {
		struct timespec t = { 0, 100 * 1000000L };

		sig = sigtimedwait(&handled, NULL, &t);
		if (sig == SIGTERM || sig == SIGINT) {
			pipeline_stop_input(p);
			break;
		}
	}
	rc = pipeline_finish(p, STOP_TIMEOUT_MS, &s);
	if (s.rejected > 0)
		fprintf(stderr, "audisp-ecs: replay: %llu of %llu lines "
		    "rejected\n", s.rejected, s.records + s.rejected);
	return (int)replay_exit_status(&s, rc == 0);
}

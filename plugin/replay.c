/*
 * The replay verb: documents for audit records kept in files.
 *
 * Takes auditd's log format or the plugin format (they are the same lines;
 * ENRICHED interpretations after 0x1D are allowed).  With no file, reads
 * stdin.  Documents go to the configured outputs, or to stdout as NDJSON
 * when the configuration names none.  Exit status 0 means every input was
 * read to its end and every document was written (a file that cannot be
 * opened or read makes it 1); lines that are not audit
 * records are reported on stderr (by file and line) and skipped.
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
	return rc == 0 && s.input_errors == 0 ? 0 : 1;
}

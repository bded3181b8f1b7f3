/*
 * The fim-scan verb: one file integrity scan of the configured paths,
 * like aide --check (or --init on the first run), then exit.
 *
 * The scan compares the disk with the baseline in fim.state_path, writes
 * a document for every difference (or the initial_scan state documents)
 * to the configured output, stdout when none, and updates the baseline.
 * Exit status: 0 when the scan completed and every document was written.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "conf.h"
#include "daemon.h"
#include "log.h"
#include "pipeline.h"
#include "signals.h"

#define STOP_TIMEOUT_MS	4500

int
fim_scan_main(const char *config_path)
{
	struct config *cfg;
	struct pipeline *p;
	struct pipeline_stats s;
	sigset_t handled;
	int rc, sig;

	signals_reset_inherited();
	log_init("audisp-ecs", 1);
	if ((cfg = config_load(config_path, stderr)) == NULL)
		return 1;
	if (cfg->fim == NULL) {
		fprintf(stderr, "audisp-ecs: fim-scan: %s has no fim section\n",
		    cfg->source ? cfg->source : "the configuration");
		config_free(cfg);
		return 1;
	}
	log_set_verbose(cfg->log_level == LOG_LEVEL_DEBUG);
	signals_block_handled(&handled);
	if ((p = pipeline_start_fim_scan(cfg)) == NULL)
		return 1;
	while (!pipeline_finished(p)) {
		struct timespec t = { 0, 100 * 1000000L };

		sig = sigtimedwait(&handled, NULL, &t);
		if (sig == SIGTERM || sig == SIGINT) {
			pipeline_stop_input(p);
			break;
		}
	}
	rc = pipeline_finish(p, STOP_TIMEOUT_MS, &s);
	fprintf(stderr, "audisp-ecs: fim-scan: %llu files, %llu hashed "
	    "(%llu bytes), %llu changes, %llu unreadable\n", s.fim_scanned,
	    s.fim_hashed, s.fim_bytes_hashed, s.fim_changes, s.fim_errors);
	return rc == 0 && !s.fim_failed ? 0 : 1;
}

/*
 * Plugin mode: what runs when auditd starts us.
 *
 * The main thread starts the pipeline on stdin, then only handles signals:
 * SIGHUP reloads the configuration (an invalid file is reported and the
 * running one kept), SIGTERM/SIGINT stop the input and drain, SIGUSR1 logs
 * the counters.  EOF on stdin (auditd stopped or restarted us) drains the
 * same way.  Everything queued is written before exit; the whole drain is
 * bounded so auditd never waits on us for more than a few seconds.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/atomic_file.h"
#include "conf.h"
#include "daemon.h"
#include "../common/log.h"
#include "../common/timeutil.h"
#include "pipeline.h"
#include "signals.h"

#define DRAIN_TIMEOUT_MS	4500
#define SIGNAL_POLL_MS		200

static void
log_stats(const char *when, const struct pipeline_stats *s)
{
	log_info("%s: %llu bytes, %llu records, %llu rejected, %llu events, "
	    "%llu filtered, %llu lost upstream, %llu written, %llu spooled, "
	    "%llu dropped, %llu retries, %llu write errors", when, s->bytes_in,
	    s->records, s->rejected, s->events, s->filtered, s->lost,
	    s->written, s->spooled, s->dropped, s->retries, s->write_errors);
	if (s->es_conflicts > 0 || s->es_item_retries > 0 ||
	    s->dead_lettered > 0)
		log_info("%s: elasticsearch: %llu already indexed (409), %llu "
		    "documents sent again after 429/5xx, %llu dead-lettered",
		    when, s->es_conflicts, s->es_item_retries,
		    s->dead_lettered);
	if (s->ack_floods > 0)
		log_info("%s: logstash: %llu connections closed for flooding "
		    "keepalives", when, s->ack_floods);
	if (s->fim_scanned == 0 && s->fim_overflows == 0)
		return;		/* no file integrity monitoring */
	log_info("%s: fim: %llu files scanned, %llu hashed (%llu bytes), "
	    "%llu changes, %llu overflows (rescans), %llu unreadable", when,
	    s->fim_scanned, s->fim_hashed, s->fim_bytes_hashed, s->fim_changes,
	    s->fim_overflows, s->fim_errors);
}

/*
 * SIGUSR1: the counters as JSON in DATA_DIR/stats.json, for monitoring
 * scripts; replaced whole, so a script never reads half of it.
 */
static void
write_stats_file(const char *data_dir, const struct pipeline_stats *s)
{
	char path[4096], json[2048];
	int n;

	if (snprintf(path, sizeof(path), "%s/stats.json", data_dir) >=
	    (int)sizeof(path))
		return;
	/* Time, pid and 21 counters of at most 20 digits, and the names. */
	n = snprintf(json, sizeof(json), "{\"time\":%lld,\"pid\":%ld,\"bytes_in\":%llu,"
	    "\"records\":%llu,\"rejected\":%llu,\"events\":%llu,"
	    "\"filtered\":%llu,\"lost_upstream\":%llu,\"written\":%llu,"
	    "\"spooled\":%llu,\"dropped\":%llu,\"retries\":%llu,"
	    "\"write_errors\":%llu,\"elasticsearch\":{\"conflicts\":%llu,"
	    "\"item_retries\":%llu,\"dead_lettered\":%llu},"
	    "\"logstash\":{\"ack_floods\":%llu},"
	    "\"fim\":{\"scanned\":%llu,"
	    "\"hashed\":%llu,\"bytes_hashed\":%llu,\"changes\":%llu,"
	    "\"overflows\":%llu,\"unreadable\":%llu}}\n",
	    (long long)time(NULL), (long)getpid(), s->bytes_in, s->records,
	    s->rejected, s->events, s->filtered, s->lost, s->written,
	    s->spooled, s->dropped, s->retries, s->write_errors,
	    s->es_conflicts, s->es_item_retries, s->dead_lettered,
	    s->ack_floods, s->fim_scanned, s->fim_hashed, s->fim_bytes_hashed,
	    s->fim_changes, s->fim_overflows, s->fim_errors);
	if (n < 0 || (size_t)n >= sizeof(json)) {
		log_warnx("cannot write %s: counters too long", path);
		return;
	}
	if (atomic_replace(path, json, (size_t)n, 0644) == -1)
		log_warn("cannot write %s", path);
}

static void
reload(struct pipeline *p, const char *config_path)
{
	struct config *cfg;

	log_info("SIGHUP: reloading %s", config_path ? config_path :
	    CONFIG_DEFAULT_PATH);
	if ((cfg = config_load(config_path, stderr)) == NULL) {
		log_warnx("reload failed: the configuration has errors (see "
		    "'audisp-ecs test config'); keeping the running one");
		return;
	}
	log_set_level((enum log_level)cfg->log_level);
	if (pipeline_reload(p, cfg) == -1)
		log_warnx("reload failed: pipeline is shutting down");
}

/*
 * Handle signals until a stop is asked or the pipeline ends on its own;
 * log the counters every metrics_period_ms (0: never).
 */
static void
signal_loop(struct pipeline *p, const sigset_t *handled,
    const char *config_path, const char *data_dir, long metrics_period_ms)
{
	struct timespec poll_interval = { 0, SIGNAL_POLL_MS * 1000000L };
	struct pipeline_stats s;
	long next_metrics = monotonic_ms() + metrics_period_ms;
	int sig;

	/*
	 * EOF on stdin (auditd is gone) ends the loop too: the drain that
	 * follows is bounded, even when an output cannot deliver.
	 */
	while (!pipeline_finished(p) && !pipeline_input_done(p)) {
		if (metrics_period_ms > 0 && monotonic_ms() >= next_metrics) {
			pipeline_get_stats(p, &s);
			log_stats("metrics", &s);
			next_metrics += metrics_period_ms;
		}
		sig = sigtimedwait(handled, NULL, &poll_interval);
		if (sig == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("sigtimedwait");
			continue;
		}
		switch (sig) {
		case SIGHUP:
			reload(p, config_path);
			break;
		case SIGUSR1:
			pipeline_get_stats(p, &s);
			log_stats("status", &s);
			write_stats_file(data_dir, &s);
			break;
		case SIGTERM:
		case SIGINT:
			log_info("signal %d: draining and exiting", sig);
			pipeline_stop_input(p);
			return;
		}
	}
}

int
daemon_main(const char *config_path, int foreground)
{
	struct config *cfg;
	struct pipeline *p;
	struct pipeline_stats s;
	sigset_t handled;
	char data_dir[4096];
	long metrics_period_ms;
	int rc;

	signals_reset_inherited();
	umask(077);
	log_init("audisp-ecs", foreground || isatty(STDERR_FILENO));
	if ((cfg = config_load(config_path, stderr)) == NULL) {
		log_warnx("configuration has errors; not starting");
		return 1;
	}
	log_set_level((enum log_level)cfg->log_level);
	if (cfg->log_to_stderr)
		log_init("audisp-ecs", 1);
	signals_block_handled(&handled);
	log_info("starting (%s), reading audit records on stdin",
	    cfg->source ? cfg->source : "built-in defaults");
	/* The pipeline owns cfg from here on (a reload replaces it). */
	snprintf(data_dir, sizeof(data_dir), "%s", cfg->data_dir);
	metrics_period_ms = cfg->metrics_period_ms;
	if ((p = pipeline_start(cfg, 1, NULL, 0)) == NULL)
		return 1;
	signal_loop(p, &handled, config_path, data_dir, metrics_period_ms);
	rc = pipeline_finish(p, DRAIN_TIMEOUT_MS, &s);
	log_stats("exiting", &s);
	return rc == 0 ? 0 : 1;
}

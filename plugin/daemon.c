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
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/atomic_file.h"
#include "../common/buf.h"
#include "../common/fsutil.h"
#include "conf.h"
#include "daemon.h"
#include "kernel_status.h"
#include "hardening.h"
#include "../common/log.h"
#include "../common/timeutil.h"
#include "pipeline.h"
#include "signals.h"
#include "stats.h"

#define DRAIN_TIMEOUT_MS	4500
#define SIGNAL_POLL_MS		200

/*
 * SIGUSR1: the counters as JSON in DATA_DIR/stats.json, for monitoring
 * scripts; replaced whole, so a script never reads half of it.
 */
static void
write_stats_file(const char *data_dir, const struct pipeline_stats *s)
{
	struct buf json = BUF_INITIALIZER(16384);
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/stats.json", data_dir) >=
	    (int)sizeof(path))
		return;
	if (stats_json(&json, s, (long long)time(NULL), (long)getpid()) == -1)
		log_warnx("cannot write %s: out of memory", path);
	else if (atomic_replace(path, json.p, json.len, 0644) == -1)
		log_warn("cannot write %s", path);
	buf_release(&json);
}

static const char *
source_words(const struct config *cfg)
{
	switch (cfg->input_source) {
	case INPUT_NETLINK:
		return "from the kernel's multicast group (netlink)";
	case INPUT_UNIX:
		return "from auditd's af_unix socket";
	default:
		return "on stdin";
	}
}

/*
 * Started by auditd with another source: auditd's records on stdin are
 * never read, so its queue for us fills and it complains.
 */
static void
warn_ignored_stdin(const struct config *cfg)
{
	struct stat st;

	if (cfg->input_source == INPUT_STDIN || fstat(STDIN_FILENO, &st) == -1 ||
	    !(S_ISSOCK(st.st_mode) || S_ISFIFO(st.st_mode)))
		return;
	log_warnx("input.source is not stdin: the records on stdin are not "
	    "read; when auditd starts this plugin, set active = no in its "
	    "plugins.d file and run audisp-ecs on its own (audisp-ecs -f)");
}

/* The kernel's audit status, polled every input.status_period. */
struct status_poll {
	long		 period_ms;	/* 0: off */
	int		 documents;	/* input.status_documents */
	long		 next;		/* monotonic ms */
	int		 have_base;
	unsigned int	 lost_base;	/* the kernel's lost counter */
	int		 refused_told;
};

static void
status_poll_configure(struct status_poll *sp, const struct config *cfg)
{
	sp->period_ms = cfg->status_period_ms;
	sp->documents = cfg->status_documents;
	sp->next = monotonic_ms();
}

/*
 * A rise of the kernel's lost counter since the last poll is reported; what
 * it counted before the first poll was lost before we ran.  A counter that
 * went down was reset (auditctl --reset-lost): it is the new base.
 */
static void
status_poll(struct pipeline *p, struct status_poll *sp)
{
	struct audit_status_report st;
	unsigned long rise = 0;

	if (sp->period_ms <= 0 || monotonic_ms() < sp->next)
		return;
	sp->next = monotonic_ms() + sp->period_ms;
	memset(&st, 0, sizeof(st));
	if (kernel_status_get(&st) == -1) {
		if (!sp->refused_told)
			log_warn("cannot read the kernel's audit status "
			    "(input.status_period; it needs CAP_AUDIT_CONTROL)");
		sp->refused_told = 1;
		return;
	}
	sp->refused_told = 0;
	if (sp->have_base && st.lost > sp->lost_base)
		rise = st.lost - sp->lost_base;
	sp->lost_base = st.lost;
	sp->have_base = 1;
	if (rise > 0)
		log_warnx("the kernel lost %lu audit events (its lost counter "
		    "is %u): backlog full or rate limit", rise, st.lost);
	if (rise > 0 || sp->documents)
		pipeline_post_status(p, &st, rise, sp->documents);
}

static void
reload(struct pipeline *p, const char *config_path, struct status_poll *sp)
{
	struct config *cfg;
	char why[256];

	log_info("SIGHUP: reloading %s", config_path ? config_path :
	    CONFIG_DEFAULT_PATH);
	if ((cfg = config_load(config_path, stderr)) == NULL) {
		log_warnx("reload failed: the configuration has errors (see "
		    "'audisp-ecs test config'); keeping the running one");
		return;
	}
	log_set_level((enum log_level)cfg->log_level);
	status_poll_configure(sp, cfg);
	if (hardening_reload_check(cfg, why, sizeof(why)))
		log_warnx("reload: %s; restart audisp-ecs for that part "
		    "(the rest is applied)", why);
	if (pipeline_reload(p, cfg) == -1)
		log_warnx("reload failed: pipeline is shutting down");
}

/*
 * Handle signals until a stop is asked or the pipeline ends on its own;
 * log the counters every metrics_period_ms (0: never).
 */
static void
signal_loop(struct pipeline *p, const sigset_t *handled,
    const char *config_path, const char *data_dir, long metrics_period_ms,
    struct status_poll *sp)
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
			stats_log("metrics", &s);
			next_metrics += metrics_period_ms;
		}
		status_poll(p, sp);
		sig = sigtimedwait(handled, NULL, &poll_interval);
		if (sig == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("sigtimedwait");
			continue;
		}
		switch (sig) {
		case SIGHUP:
			reload(p, config_path, sp);
			break;
		case SIGUSR1:
			pipeline_get_stats(p, &s);
			stats_log("status", &s);
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
	struct status_poll sp;
	struct hardening_features features;
	sigset_t handled;
	char data_dir[4096], err[512];
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
	log_info("starting (%s), reading audit records %s",
	    cfg->source ? cfg->source : "built-in defaults", source_words(cfg));
	warn_ignored_stdin(cfg);
	/* Before the stages start, which keep state there from the start. */
	if (mkdir_p(cfg->data_dir, 0750) == -1)
		log_warn("cannot create path.data %s", cfg->data_dir);
	hardening_features_of(cfg, &features);
	if (hardening_apply(cfg, &features, err, sizeof(err)) == -1) {
		log_errorx("%s; not starting", err);
		config_free(cfg);
		return 1;
	}
	/* The pipeline owns cfg from here on (a reload replaces it). */
	snprintf(data_dir, sizeof(data_dir), "%s", cfg->data_dir);
	metrics_period_ms = cfg->metrics_period_ms;
	memset(&sp, 0, sizeof(sp));
	status_poll_configure(&sp, cfg);
	if ((p = pipeline_start(cfg, 1, NULL, 0)) == NULL)
		return 1;
	/* At once, so that "audisp-ecs status" finds the running plugin. */
	pipeline_get_stats(p, &s);
	write_stats_file(data_dir, &s);
	signal_loop(p, &handled, config_path, data_dir, metrics_period_ms, &sp);
	rc = pipeline_finish(p, DRAIN_TIMEOUT_MS, &s);
	stats_log("exiting", &s);
	return rc == 0 ? 0 : 1;
}

/* Logging to syslog and stderr; see log.h. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static int log_to_stderr;
static int log_verbose;
static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;

void
log_init(const char *progname, int to_stderr)
{
	log_to_stderr = to_stderr;
	openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_verbose(int verbose)
{
	log_verbose = verbose;
}

static void vlog(int, const char *, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

static void
vlog(int priority, const char *errtext, const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errtext != NULL)
		syslog(priority, "%s: %s", msg, errtext);
	else
		syslog(priority, "%s", msg);
	if (!log_to_stderr)
		return;
	pthread_mutex_lock(&stderr_lock);
	if (errtext != NULL)
		fprintf(stderr, "audisp-ecs: %s: %s\n", msg, errtext);
	else
		fprintf(stderr, "audisp-ecs: %s\n", msg);
	pthread_mutex_unlock(&stderr_lock);
}

#define LOG_BODY(priority, errtext) do {	\
	va_list ap;				\
	va_start(ap, fmt);			\
	vlog((priority), (errtext), fmt, ap);	\
	va_end(ap);				\
} while (0)

void
log_warn(const char *fmt, ...)
{
	const char *errtext = strerror(errno);

	LOG_BODY(LOG_WARNING, errtext);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, NULL);
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_INFO, NULL);
}

void
log_debug(const char *fmt, ...)
{
	if (!log_verbose)
		return;
	LOG_BODY(LOG_DEBUG, NULL);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_ERR, NULL);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	const char *errtext = strerror(errno);

	LOG_BODY(LOG_ERR, errtext);
	exit(1);
}

void
log_ratelimited(struct ratelimit *rl, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	time_t now = time(NULL);

	if (now - rl->window_start >= rl->interval) {
		rl->window_start = now;
		rl->printed = 0;
	}
	if (rl->printed >= rl->burst) {
		rl->suppressed++;
		return;
	}
	rl->printed++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rl->suppressed > 0) {
		log_warnx("%s (%lu similar messages suppressed)", msg,
		    rl->suppressed);
		rl->suppressed = 0;
	} else
		log_warnx("%s", msg);
}

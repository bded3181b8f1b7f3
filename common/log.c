/* Logging to syslog and stderr; see log.h. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static int log_to_stderr;
/* Read by every thread, set by the main thread on start and reload. */
static atomic_int log_threshold = LOG_LEVEL_INFO;
static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;

static const int syslog_priority[] = {
	[LOG_LEVEL_ERROR] = LOG_ERR,
	[LOG_LEVEL_WARNING] = LOG_WARNING,
	[LOG_LEVEL_INFO] = LOG_INFO,
	[LOG_LEVEL_DEBUG] = LOG_DEBUG,
};

void
log_init(const char *progname, int to_stderr)
{
	log_to_stderr = to_stderr;
	openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_level(enum log_level level)
{
	if (level < LOG_LEVEL_ERROR)
		level = LOG_LEVEL_ERROR;
	if (level > LOG_LEVEL_DEBUG)
		level = LOG_LEVEL_DEBUG;
	atomic_store_explicit(&log_threshold, (int)level, memory_order_relaxed);
}

static int
log_enabled(enum log_level level)
{
	return (int)level <= atomic_load_explicit(&log_threshold,
	    memory_order_relaxed);
}

/* Debug output names the function; the other levels read as sentences. */
static void
write_message(enum log_level level, const char *func, const char *msg,
    const char *errtext)
{
	char where[80] = "";

	if (level == LOG_LEVEL_DEBUG && func != NULL)
		snprintf(where, sizeof(where), "%s: ", func);
	if (errtext != NULL)
		syslog(syslog_priority[level], "%s%s: %s", where, msg, errtext);
	else
		syslog(syslog_priority[level], "%s%s", where, msg);
	if (!log_to_stderr)
		return;
	pthread_mutex_lock(&stderr_lock);
	if (errtext != NULL)
		fprintf(stderr, "audisp-ecs: %s%s: %s\n", where, msg, errtext);
	else
		fprintf(stderr, "audisp-ecs: %s%s\n", where, msg);
	pthread_mutex_unlock(&stderr_lock);
}

/* 0 when rl lets one more message through now; counts it otherwise. */
static int
rate_limited(struct ratelimit *rl, unsigned long *suppressed)
{
	time_t now = time(NULL);

	if (now - rl->window_start >= rl->interval) {
		rl->window_start = now;
		rl->printed = 0;
	}
	if (rl->printed >= rl->burst) {
		rl->suppressed++;
		return 1;
	}
	rl->printed++;
	*suppressed = rl->suppressed;
	rl->suppressed = 0;
	return 0;
}

void
log_emit(enum log_level level, const char *func, int with_errno,
    struct ratelimit *rl, const char *fmt, ...)
{
	const char *errtext = with_errno ? strerror(errno) : NULL;
	unsigned long suppressed = 0;
	char msg[2048];
	size_t n;
	va_list ap;

	if (!log_enabled(level))
		return;
	if (rl != NULL && rate_limited(rl, &suppressed))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (suppressed > 0 && (n = strlen(msg)) < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n,
		    " (%lu similar messages suppressed)", suppressed);
	write_message(level, func, msg, errtext);
}

void
log_fatal(const char *func, int with_errno, const char *fmt, ...)
{
	const char *errtext = with_errno ? strerror(errno) : NULL;
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	write_message(LOG_LEVEL_ERROR, func, msg, errtext);
	exit(1);
}

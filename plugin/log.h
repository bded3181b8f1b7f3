/*
 * Logging to syslog and, when asked, to stderr.
 *
 * Messages carry a severity; log_warn() appends strerror(errno) while
 * log_warnx() does not, as in OpenSMTPD.  Anything that can repeat per record
 * or per reconnect goes through a struct ratelimit so a flood of bad input
 * cannot flood syslog.
 */
#ifndef AUDISP_ECS_LOG_H
#define AUDISP_ECS_LOG_H

#include <stdarg.h>
#include <time.h>

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Open syslog under the program name; also echo to stderr if to_stderr. */
void log_init(const char *progname, int to_stderr);
void log_set_verbose(int verbose);

void log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
/* Start-up and broken invariants only, never bad input. */
void fatalx(const char *fmt, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));
void fatal(const char *fmt, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));

/*
 * At most `burst` messages per `interval` seconds pass; the rest are counted
 * and their number is reported with the next message that passes.
 */
struct ratelimit {
	int	 interval;
	int	 burst;
	time_t	 window_start;
	int	 printed;
	unsigned long suppressed;
};
#define RATELIMIT_INIT(interval, burst) { (interval), (burst), 0, 0, 0 }

void log_ratelimited(struct ratelimit *rl, const char *fmt, ...) LOG_PRINTF(2, 3);

#endif

/*
 * Logging to syslog and, when asked, to stderr.
 *
 * Every message has a level; messages above the threshold set by
 * log_set_level() (logging.level) are not written at all.  log_warn()
 * appends strerror(errno) while log_warnx() does not, as in OpenSMTPD.
 * Each call carries the function it was made from, shown in debug output
 * so that a message can be traced to its source.
 *
 * Anything that can repeat per record or per reconnect is rate-limited:
 * log_ratelimited() is log_warnx() with a struct ratelimit, so a flood of
 * bad input cannot flood syslog.  fatal() and fatalx() are for start-up
 * and broken invariants only, never for bad input.
 */
#ifndef AUDISP_ECS_LOG_H
#define AUDISP_ECS_LOG_H

#include <time.h>

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* The values of logging.level, most severe first. */
enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/*
 * At most `burst` messages per `interval` seconds pass; the rest are counted
 * and their number is reported with the next message that passes.  A
 * struct ratelimit belongs to one thread.
 */
struct ratelimit {
	int	 interval;
	int	 burst;
	time_t	 window_start;
	int	 printed;
	unsigned long suppressed;
};
#define RATELIMIT_INIT(interval, burst) { (interval), (burst), 0, 0, 0 }

/* Open syslog under the program name; also echo to stderr if to_stderr. */
void	log_init(const char *progname, int to_stderr);
/* Messages less severe than level are dropped; safe from any thread. */
void	log_set_level(enum log_level level);

/*
 * The one entry point behind the macros below.  with_errno appends
 * strerror(errno) as it was at the call; rl may be NULL.
 */
void	log_emit(enum log_level level, const char *func, int with_errno,
	    struct ratelimit *rl, const char *fmt, ...) LOG_PRINTF(5, 6);
void	log_fatal(const char *func, int with_errno, const char *fmt, ...)
	    LOG_PRINTF(3, 4) __attribute__((noreturn));

#define log_error(...)	log_emit(LOG_LEVEL_ERROR, __func__, 1, NULL, __VA_ARGS__)
#define log_errorx(...)	log_emit(LOG_LEVEL_ERROR, __func__, 0, NULL, __VA_ARGS__)
#define log_warn(...)	log_emit(LOG_LEVEL_WARNING, __func__, 1, NULL, __VA_ARGS__)
#define log_warnx(...)	log_emit(LOG_LEVEL_WARNING, __func__, 0, NULL, __VA_ARGS__)
#define log_info(...)	log_emit(LOG_LEVEL_INFO, __func__, 0, NULL, __VA_ARGS__)
#define log_debug(...)	log_emit(LOG_LEVEL_DEBUG, __func__, 0, NULL, __VA_ARGS__)
#define log_ratelimited(rl, ...) \
	log_emit(LOG_LEVEL_WARNING, __func__, 0, (rl), __VA_ARGS__)
#define fatal(...)	log_fatal(__func__, 1, __VA_ARGS__)
#define fatalx(...)	log_fatal(__func__, 0, __VA_ARGS__)

#endif

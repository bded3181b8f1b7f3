/*
 * Timestamps as ECS writes them: ISO 8601 in UTC, "2024-05-01T12:00:00Z",
 * with 0, 3 (milliseconds, @timestamp) or 9 (nanoseconds, file times)
 * fraction digits.
 */
#ifndef AUDISP_ECS_TIMEFMT_H
#define AUDISP_ECS_TIMEFMT_H

#include <stddef.h>
#include <time.h>

/* Room for the longest form, nanoseconds and the terminating NUL. */
#define ISO8601_MAX	40

/*
 * sec and nsec (0..999999999) into buf; fraction_digits is 0, 3 or 9.
 * Returns the length written (buf is always terminated), 0 when size is
 * too small or the time cannot be represented.
 */
size_t	iso8601_format(char *buf, size_t size, time_t sec, long nsec,
	    int fraction_digits);
/* The "YYYY-MM-DDTHH:MM:SS" part alone (no zone); same return. */
size_t	iso8601_seconds(char *buf, size_t size, time_t sec);
/* The real-time clock now, with milliseconds. */
size_t	iso8601_now_ms(char *buf, size_t size);

#endif

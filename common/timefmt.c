/* ISO 8601 timestamps; see timefmt.h. */
#include "config.h"

#include <stdio.h>

#include "timefmt.h"

size_t
iso8601_seconds(char *buf, size_t size, time_t sec)
{
	struct tm tm;
	size_t n;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (gmtime_r(&sec, &tm) == NULL)
		return 0;
	if ((n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm)) == 0)
		buf[0] = '\0';
	return n;
}

size_t
iso8601_format(char *buf, size_t size, time_t sec, long nsec,
    int fraction_digits)
{
	size_t n;
	int m;

	if ((n = iso8601_seconds(buf, size, sec)) == 0)
		return 0;
	if (nsec < 0 || nsec > 999999999)
		nsec = 0;
	switch (fraction_digits) {
	case 3:
		m = snprintf(buf + n, size - n, ".%03ldZ", nsec / 1000000);
		break;
	case 9:
		m = snprintf(buf + n, size - n, ".%09ldZ", nsec);
		break;
	default:
		m = snprintf(buf + n, size - n, "Z");
		break;
	}
	if (m < 0 || (size_t)m >= size - n) {
		buf[0] = '\0';
		return 0;
	}
	return n + (size_t)m;
}

size_t
iso8601_now_ms(char *buf, size_t size)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return iso8601_format(buf, size, now.tv_sec, now.tv_nsec, 3);
}

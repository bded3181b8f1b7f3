/*
 * Decimal formatting for the hot path: printf's machinery showed up in
 * profiles for the few numbers every document carries.
 */
#ifndef AUDISP_ECS_NUMFMT_H
#define AUDISP_ECS_NUMFMT_H

#include <stddef.h>

/* Write v in decimal at buf (at least 21 bytes); returns the length. */
static inline size_t
format_ulong(char *buf, unsigned long long v)
{
	char tmp[21];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

/* The same for a signed value (at least 22 bytes). */
static inline size_t
format_long(char *buf, long long v)
{
	if (v >= 0)
		return format_ulong(buf, (unsigned long long)v);
	buf[0] = '-';
	return 1 + format_ulong(buf + 1, 0ULL - (unsigned long long)v);
}

#endif

/*
 * Error messages into the caller's buffer: the network code reports what
 * went wrong as text (char *err, size_t errlen), like curl's error buffer.
 */
#ifndef AUDISP_ECS_ERRBUF_H
#define AUDISP_ECS_ERRBUF_H

#include <stddef.h>

/* Format into err (errlen bytes, always terminated); err may be NULL. */
void	seterr(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif

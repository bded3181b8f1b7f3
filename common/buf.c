/* A growing byte buffer with a maximum set at birth; see buf.h. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* The first allocation: small buffers stay small, large ones double. */
#define BUF_FIRST	4096

void
buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	/* One byte is always kept for the terminator. */
	b->max = max < (size_t)-1 ? max : (size_t)-1 - 1;
}

int
buf_grow(struct buf *b, size_t more)
{
	size_t need, cap;
	char *p;

	if (more > b->max - b->len) {
		errno = EMSGSIZE;
		return -1;
	}
	need = b->len + more;
	if (need <= b->cap)
		return 0;
	/* Doubling keeps appends amortised O(1); the last step stops at max. */
	cap = b->cap > 0 ? b->cap : BUF_FIRST;
	while (cap < need)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	if (cap > b->max)
		cap = b->max;
	if ((p = realloc(b->p, cap + 1)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

int
buf_append_str(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_appendf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	room = b->p != NULL ? b->cap - b->len + 1 : 0;
	va_start(ap, fmt);
	n = vsnprintf(room > 0 ? b->p + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		errno = EINVAL;
		return -1;
	}
	if ((size_t)n < room) {
		b->len += (size_t)n;
		return 0;
	}
	/* It did not fit: grow to the exact size and format again. */
	if (buf_reserve(b, (size_t)n) == -1) {
		if (b->p != NULL)
			b->p[b->len] = '\0';
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

const char *
buf_cstr(struct buf *b)
{
	if (b->p == NULL)
		return "";
	b->p[b->len] = '\0';
	return b->p;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len)
		b->len = len;
}

void
buf_release(struct buf *b)
{
	free(b->p);
	buf_init(b, b->max);
}

char *
buf_take(struct buf *b, size_t *lenp)
{
	char *p;

	if (b->p == NULL && (b->p = malloc(1)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	p = b->p;
	p[b->len] = '\0';
	if (lenp != NULL)
		*lenp = b->len;
	buf_init(b, b->max);
	return p;
}

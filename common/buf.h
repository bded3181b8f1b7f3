/*
 * A growing byte buffer with a maximum set at birth.
 *
 * Every buffer is given the largest size it may ever reach when it is
 * initialised: growth past it fails and is a return code, never an
 * allocation the process cannot afford.  A failed append (over the
 * maximum, or out of memory) leaves the content as it was, so the caller
 * can report, trim or split and carry on.
 *
 * The bytes are b->p[0 .. b->len); the allocation always holds one byte
 * more than cap, so the content can be NUL-terminated (buf_cstr) without
 * growing.  The fields are public so that hot paths may write into
 * reserved room directly (reserve first, then copy and add to len); other
 * code uses the functions.  An all-zero buffer is empty with a maximum
 * of 0: it must be given one with buf_init before use.
 */
#ifndef AUDISP_ECS_BUF_H
#define AUDISP_ECS_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char	*p;		/* NULL until the first growth */
	size_t	 len;
	size_t	 cap;		/* room for content, without the NUL */
	size_t	 max;		/* len never passes it */
};

#define BUF_INITIALIZER(max)	{ NULL, 0, 0, (max) }

/* An empty buffer that may hold up to max bytes. Allocates nothing. */
void	buf_init(struct buf *, size_t max);

/*
 * The slow path of buf_reserve: grows the allocation so that more bytes
 * fit.  0, or -1 with errno EMSGSIZE (len + more would pass max) or
 * ENOMEM; the buffer is unchanged on failure.
 */
int	buf_grow(struct buf *, size_t more);

/* Room for more bytes after len.  0, or -1 as for buf_grow. */
static inline int
buf_reserve(struct buf *b, size_t more)
{
	if (more <= b->cap - b->len)
		return 0;
	return buf_grow(b, more);
}

/* Appends n bytes of s.  0, or -1 as for buf_grow (content unchanged). */
static inline int
buf_append(struct buf *b, const void *s, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

/* Appends the string s, without its NUL.  As buf_append. */
int	buf_append_str(struct buf *, const char *s);

/*
 * Appends printf-formatted text.  0, or -1 with errno EMSGSIZE when the
 * whole text would not fit under max (nothing of it is appended: the
 * text is never truncated), ENOMEM, or EINVAL for a bad format.
 */
int	buf_appendf(struct buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* The content as a C string, valid until the next change; "" if empty. */
const char *buf_cstr(struct buf *);

/* Forgets the content, keeps the allocation for the next use. */
void	buf_reset(struct buf *);

/* Forgets what follows the first len bytes (len <= b->len). */
void	buf_truncate(struct buf *, size_t len);

/* Frees the allocation; the buffer is empty with the same maximum. */
void	buf_release(struct buf *);

/*
 * Hands the content over to the caller, who frees it with free(): it is
 * NUL-terminated, its length in *lenp (lenp may be NULL).  The buffer is
 * left empty with the same maximum.  NULL (errno ENOMEM) only when the
 * buffer was empty and even one byte could not be allocated; the buffer
 * is then unchanged.
 */
char	*buf_take(struct buf *, size_t *lenp);

#endif

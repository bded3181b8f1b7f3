/*
 * A streaming JSON writer into a growing buffer.
 *
 * The document is written once, front to back: no tree is built.  Strings
 * are written as valid UTF-8 whatever bytes they hold:
 *   - valid UTF-8 passes through unchanged; control characters, '"' and '\'
 *     get the usual JSON escapes;
 *   - in a value that is NOT valid UTF-8, every byte that does not belong to
 *     a valid sequence is written as the four characters \xNN (two upper-case
 *     hex digits) and every backslash as two backslashes, so the original
 *     bytes can be recovered exactly.  The writer remembers the dotted path
 *     of each such field (jw_escaped_fields) so the document can say which
 *     values were transformed.
 * The buffer is bounded (JW_MAX_BYTES).  Running out of memory or past the
 * bound is sticky: jw_failed() reports it once the document is done.
 */
#ifndef AUDISP_ECS_JSON_WRITER_H
#define AUDISP_ECS_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define JW_MAX_DEPTH	12
#define JW_MAX_ESCAPED	8
/*
 * A writer holds one document or a batch of them: the parser's batches
 * are handed on at 256 KiB and the scanner's likewise, so a batch passes
 * that by at most one document.  The bound is the spool's on one record
 * (a batch is spooled whole): anything larger could not be kept anyway.
 */
#define JW_MAX_BYTES	(256u * 1024 * 1024)

struct jw {
	struct buf	 out;
	int		 depth;
	int		 need_comma[JW_MAX_DEPTH];
	const char	*keys[JW_MAX_DEPTH];	/* key of each open container */
	const char	*escaped[JW_MAX_ESCAPED][JW_MAX_DEPTH + 1];
	int		 escaped_depth[JW_MAX_ESCAPED];
	int		 nescaped;
	int		 failed;
};

/* An empty writer; allocates nothing. */
void	jw_init(struct jw *);
/* Frees the buffer; the writer is empty again. */
void	jw_release(struct jw *);
/* Forget the content but keep the allocation, for the next batch. */
void	jw_reset(struct jw *);
/* Start a new document after the ones already in the buffer. */
void	jw_begin_document(struct jw *);
/* 1 once an append failed (out of memory, JW_MAX_BYTES, too deep). */
int	jw_failed(const struct jw *);
/*
 * Drops what was written after mark (a jw_len() taken before a document
 * began) and forgets a failure: the batch so far is kept.
 */
void	jw_rewind(struct jw *, size_t mark);
/*
 * Hands the text over to the caller (free() it), its length in *lenp; the
 * writer is left empty as after jw_init.  NULL when out of memory.
 */
char	*jw_take(struct jw *, size_t *lenp);

/* The text written so far: jw_len() bytes, not NUL-terminated. */
static inline const char *
jw_data(const struct jw *w)
{
	return w->out.p;
}

static inline size_t
jw_len(const struct jw *w)
{
	return w->out.len;
}

/* key may be NULL inside arrays and for the top-level object. */
void	jw_object_open(struct jw *, const char *key);
void	jw_object_close(struct jw *);
void	jw_array_open(struct jw *, const char *key);
void	jw_array_close(struct jw *);
void	jw_string(struct jw *, const char *key, const char *s, size_t n);
void	jw_cstring(struct jw *, const char *key, const char *s);
void	jw_int(struct jw *, const char *key, long long v);
void	jw_uint(struct jw *, const char *key, unsigned long long v);
void	jw_bool(struct jw *, const char *key, int v);
/* Append text that is already valid JSON (a value, with its key). */
void	jw_raw(struct jw *, const char *key, const char *json, size_t n);
/* Append bytes outside any structure, e.g. the newline ending a document. */
void	jw_append(struct jw *, const char *s, size_t n);

/* Number of escaped fields, and the dotted path of the i-th into buf. */
int	jw_escaped_count(const struct jw *);
void	jw_escaped_path(const struct jw *, int i, char *buf, size_t size);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t	utf8_sequence_length(const unsigned char *s, size_t n);

#endif

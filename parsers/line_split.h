/*
 * Cutting the raw input into record lines, whatever the chunks it comes
 * in: a line may straddle any number of chunks.
 *
 * A line is handed on without its newline.  Of a line longer than
 * max_len only the first max_len + 1 bytes are kept, and it is handed on
 * cut short with its true length, so that the reassembly rejects it by
 * name (see reassembly_feed_line) without the splitter holding it whole.
 */
#ifndef AUDISP_ECS_LINE_SPLIT_H
#define AUDISP_ECS_LINE_SPLIT_H

#include <stddef.h>

/* One line: len bytes at line, full_len its length before any cut. */
typedef void line_split_fn(void *ctx, const char *line, size_t len,
    size_t full_len);

struct line_split {
	char		*buf;		/* a line cut by a chunk boundary */
	size_t		 len;
	size_t		 full_len;	/* including what did not fit */
	size_t		 cap;
	size_t		 max_len;
	line_split_fn	*fn;
	void		*ctx;
};

void	line_split_init(struct line_split *, size_t max_len, line_split_fn *,
	    void *ctx);
/* A new limit (reload); a line in progress keeps what it holds. */
void	line_split_set_max(struct line_split *, size_t max_len);
/* Hands every line that ends in data[0..len) to fn. */
void	line_split_feed(struct line_split *, const char *data, size_t len);
/* End of a source: a last line without its newline is still a line. */
void	line_split_finish(struct line_split *);
/* A source broke off: the line in progress is dropped, not handed on. */
void	line_split_discard(struct line_split *);
void	line_split_release(struct line_split *);

#endif

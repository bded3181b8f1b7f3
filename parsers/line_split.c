/* Cutting the input into record lines; see line_split.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "line_split.h"

void
line_split_init(struct line_split *ls, size_t max_len, line_split_fn *fn,
    void *ctx)
{
	memset(ls, 0, sizeof(*ls));
	ls->max_len = max_len;
	ls->fn = fn;
	ls->ctx = ctx;
}

void
line_split_set_max(struct line_split *ls, size_t max_len)
{
	ls->max_len = max_len;
}

/* Keep the start of a line cut by the chunk's end, up to the size limit. */
static void
hold_partial(struct line_split *ls, const char *data, size_t n)
{
	size_t room = ls->max_len + 1, take;

	ls->full_len += n;
	if (ls->len >= room)
		return;
	take = n < room - ls->len ? n : room - ls->len;
	if (ls->len + take > ls->cap) {
		size_t cap = ls->len + take;
		char *buf = realloc(ls->buf, cap);

		if (buf == NULL) {
			log_warnx("parser: out of memory holding a line");
			return;
		}
		ls->buf = buf;
		ls->cap = cap;
	}
	memcpy(ls->buf + ls->len, data, take);
	ls->len += take;
}

static void
finish_partial(struct line_split *ls, const char *data, size_t n)
{
	hold_partial(ls, data, n);
	ls->fn(ls->ctx, ls->buf, ls->len, ls->full_len);
	ls->len = 0;
	ls->full_len = 0;
}

void
line_split_feed(struct line_split *ls, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			hold_partial(ls, p, (size_t)(end - p));
			return;
		}
		if (ls->full_len > 0)
			finish_partial(ls, p, (size_t)(nl - p));
		else
			ls->fn(ls->ctx, p, (size_t)(nl - p), (size_t)(nl - p));
		p = nl + 1;
	}
}

void
line_split_discard(struct line_split *ls)
{
	ls->len = 0;
	ls->full_len = 0;
}

void
line_split_finish(struct line_split *ls)
{
	if (ls->full_len > 0)
		finish_partial(ls, "", 0);
}

void
line_split_release(struct line_split *ls)
{
	free(ls->buf);
	ls->buf = NULL;
	ls->len = ls->full_len = ls->cap = 0;
}

/* A bump allocator for per-event scratch memory; see arena.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 size;
	size_t			 used;
	char			 data[];
};

void
arena_init(struct arena *a, size_t chunk_size)
{
	a->chunks = NULL;
	a->chunk_size = chunk_size;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->chunks;
	size_t want;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (c == NULL || c->size - c->used < size) {
		want = size > a->chunk_size ? size : a->chunk_size;
		if ((c = malloc(sizeof(*c) + want)) == NULL)
			return NULL;
		c->size = want;
		c->used = 0;
		c->next = a->chunks;
		a->chunks = c;
	}
	p = c->data + c->used;
	c->used += size;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if ((p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next, *keep = NULL;

	for (c = a->chunks; c != NULL; c = next) {
		next = c->next;
		if (keep == NULL || c->size > keep->size) {
			free(keep);
			keep = c;
		} else
			free(c);
	}
	if (keep != NULL) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->chunks = keep;
}

void
arena_release(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
}

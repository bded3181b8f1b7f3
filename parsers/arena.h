/*
 * A bump allocator for the scratch strings of one event (decoded hex values,
 * joined arguments).  Pointers stay valid until arena_reset(); the memory is
 * kept for the next event, so the hot path allocates nothing in steady state.
 */
#ifndef AUDISP_ECS_ARENA_H
#define AUDISP_ECS_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*chunks;	/* current chunk first */
	size_t			 chunk_size;
};

void	 arena_init(struct arena *, size_t chunk_size);
/* NULL when out of memory. */
void	*arena_alloc(struct arena *, size_t size);
char	*arena_strndup(struct arena *, const char *s, size_t n);
/* Keeps the largest chunk, frees the others. */
void	 arena_reset(struct arena *);
void	 arena_release(struct arena *);

#endif

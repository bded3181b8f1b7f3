/*
 * The seen set: an open-addressing table of path hashes; see seen_set.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "seen_set.h"

#define SEEN_FIRST_CAP	4096	/* a power of two, so masks index it */

/* A path's slot value: never 0, which marks an empty slot. */
static uint64_t
path_key(const char *path)
{
	uint64_t h = XXH3_64bits(path, strlen(path));

	return h != 0 ? h : 1;
}

/* Double the table (keeping it at most half full, so probes stay short). */
static int
seen_grow(struct seen_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : SEEN_FIRST_CAP, i, j;
	uint64_t *slots = calloc(cap, sizeof(*slots));

	if (slots == NULL)
		return -1;
	for (i = 0; i < s->cap; i++) {
		if (s->slots[i] == 0)
			continue;
		for (j = s->slots[i] & (cap - 1); slots[j] != 0;
		    j = (j + 1) & (cap - 1))
			;
		slots[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

void
seen_set_add(struct seen_set *s, const char *path)
{
	uint64_t k = path_key(path);
	size_t j;

	if ((s->count + 1) * 2 > s->cap && seen_grow(s) == -1)
		return;
	for (j = k & (s->cap - 1); s->slots[j] != 0; j = (j + 1) & (s->cap - 1))
		if (s->slots[j] == k)
			return;
	s->slots[j] = k;
	s->count++;
}

int
seen_set_has(const struct seen_set *s, const char *path)
{
	uint64_t k = path_key(path);
	size_t j;

	if (s->cap == 0)
		return 0;
	for (j = k & (s->cap - 1); s->slots[j] != 0; j = (j + 1) & (s->cap - 1))
		if (s->slots[j] == k)
			return 1;
	return 0;
}

void
seen_set_clear(struct seen_set *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

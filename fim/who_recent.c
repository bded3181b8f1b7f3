/*
 * Recent authors by path; see who_recent.h.  A plain array searched by a
 * hash of the path: it holds the paths of the last few jobs, expired ones
 * are dropped as it is searched.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "who_recent.h"

struct recent {
	uint64_t	 key;
	char		*path;
	long		 until_ms;
	struct fim_who	 who;
};

struct who_recent {
	struct recent	*items;
	size_t		 count, cap;
};

struct who_recent *
who_recent_new(void)
{
	return calloc(1, sizeof(struct who_recent));
}

void
who_recent_free(struct who_recent *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->count; i++)
		free(r->items[i].path);
	free(r->items);
	free(r);
}

static void
drop(struct who_recent *r, size_t i)
{
	free(r->items[i].path);
	r->items[i] = r->items[--r->count];
}

static void
expire(struct who_recent *r, long now)
{
	size_t i;

	for (i = 0; i < r->count; )
		if (r->items[i].until_ms < now)
			drop(r, i);
		else
			i++;
}

static struct recent *
find(struct who_recent *r, const char *path, uint64_t key)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		if (r->items[i].key == key && strcmp(r->items[i].path, path) == 0)
			return &r->items[i];
	return NULL;
}

/* Room for one more: grow, or give up the entry expiring first. */
static int
make_room(struct who_recent *r)
{
	struct recent *items;
	size_t i, first = 0;

	if (r->count < r->cap)
		return 0;
	if (r->cap < WHO_RECENT_MAX) {
		size_t cap = r->cap ? r->cap * 2 : 64;

		if ((items = realloc(r->items, cap * sizeof(*items))) != NULL) {
			r->items = items;
			r->cap = cap;
			return 0;
		}
	}
	if (r->count == 0)
		return -1;
	for (i = 1; i < r->count; i++)
		if (r->items[i].until_ms < r->items[first].until_ms)
			first = i;
	drop(r, first);
	return 0;
}

void
who_recent_put(struct who_recent *r, const char *path,
    const struct fim_who *who, long now_ms, long until_ms)
{
	uint64_t key = XXH3_64bits(path, strlen(path));
	struct recent *e;
	char *copy;

	if ((e = find(r, path, key)) != NULL) {
		e->who = *who;
		e->until_ms = until_ms;
		return;
	}
	expire(r, now_ms);
	if (make_room(r) == -1 || (copy = strdup(path)) == NULL)
		return;
	e = &r->items[r->count++];
	e->key = key;
	e->path = copy;
	e->until_ms = until_ms;
	e->who = *who;
}

const struct fim_who *
who_recent_get(struct who_recent *r, const char *path, long now_ms)
{
	struct recent *e;

	if (r->count == 0)
		return NULL;
	e = find(r, path, XXH3_64bits(path, strlen(path)));
	return e != NULL && e->until_ms >= now_ms ? &e->who : NULL;
}

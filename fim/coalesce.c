/*
 * The waiting paths; see coalesce.h.  A plain array: it holds the paths
 * touched within the last quiet period, a few hundred even under a busy
 * package upgrade, and is bounded so that searching it stays cheap:
 * beyond MAX_PENDING the watcher gets -1 and rescans the trees instead,
 * as after a queue overflow.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coalesce.h"

#define SETTLE_MS	50
#define MAX_DELAY_FACTOR 8
#define MAX_PENDING	4096

struct pending {
	struct fim_target target;
	long	 first_ms;	/* first event of this burst */
	long	 due_ms;
};

struct coalescer {
	long		 quiet_ms;
	struct pending	*items;
	size_t		 count, cap;
};

struct coalescer *
coalesce_new(long quiet_ms)
{
	struct coalescer *c = calloc(1, sizeof(*c));

	if (c != NULL)
		c->quiet_ms = quiet_ms;
	return c;
}

void
coalesce_clear(struct coalescer *c)
{
	size_t i;

	for (i = 0; i < c->count; i++) {
		free(c->items[i].target.path);
		free(c->items[i].target.who);
	}
	c->count = 0;
}

void
coalesce_free(struct coalescer *c)
{
	if (c == NULL)
		return;
	coalesce_clear(c);
	free(c->items);
	free(c);
}

size_t
coalesce_count(const struct coalescer *c)
{
	return c->count;
}

static long
due_for(const struct coalescer *c, const struct pending *p, int closed,
    long now)
{
	long settle = c->quiet_ms < SETTLE_MS ? c->quiet_ms : SETTLE_MS;
	long due = now + (closed ? settle : c->quiet_ms);
	long latest = p->first_ms + (c->quiet_ms + SETTLE_MS) *
	    MAX_DELAY_FACTOR;

	return due < latest ? due : latest;
}

/* The latest author wins: the check reports the file as it is now. */
static void
set_who(struct pending *p, const struct fim_who *who)
{
	if (who == NULL || who->pid == 0)
		return;
	if (p->target.who == NULL &&
	    (p->target.who = malloc(sizeof(*who))) == NULL)
		return;
	*p->target.who = *who;
}

int
coalesce_add(struct coalescer *c, const char *path, int closed, long now,
    const struct fim_who *who)
{
	struct pending *p;
	size_t i;

	for (i = 0; i < c->count; i++)
		if (strcmp(c->items[i].target.path, path) == 0) {
			p = &c->items[i];
			p->due_ms = due_for(c, p, closed, now);
			set_who(p, who);
			return 0;
		}
	if (c->count >= MAX_PENDING)
		return -1;
	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		if ((p = realloc(c->items, cap * sizeof(*p))) == NULL)
			return -1;
		c->items = p;
		c->cap = cap;
	}
	p = &c->items[c->count];
	if ((p->target.path = strdup(path)) == NULL)
		return -1;
	p->target.who = NULL;
	p->first_ms = now;
	p->due_ms = due_for(c, p, closed, now);
	set_who(p, who);
	c->count++;
	return 0;
}

long
coalesce_wait_ms(const struct coalescer *c, long now)
{
	long next = -1;
	size_t i;

	for (i = 0; i < c->count; i++)
		if (next == -1 || c->items[i].due_ms < next)
			next = c->items[i].due_ms;
	if (next == -1)
		return -1;
	return next > now ? next - now : 0;
}

struct fim_target *
coalesce_take_due(struct coalescer *c, long now, size_t *n)
{
	struct fim_target *paths;
	size_t i, kept = 0, taken = 0;

	*n = 0;
	for (i = 0; i < c->count; i++)
		if (c->items[i].due_ms <= now)
			taken++;
	if (taken == 0 || (paths = calloc(taken, sizeof(*paths))) == NULL)
		return NULL;
	for (i = 0; i < c->count; i++) {
		if (c->items[i].due_ms <= now)
			paths[(*n)++] = c->items[i].target;
		else
			c->items[kept++] = c->items[i];
	}
	c->count = kept;
	return paths;
}

void
fim_targets_free(struct fim_target *targets, size_t n)
{
	size_t i;

	if (targets == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(targets[i].path);
		free(targets[i].who);
	}
	free(targets);
}

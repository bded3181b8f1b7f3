/* The audit correlation table; see who_table.h. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "who_table.h"

struct who_slot {
	uint64_t	 dev, ino;
	struct fim_who	 who;		/* who.pid == 0: empty */
};

struct who_table {
	pthread_mutex_t	 lock;
	struct who_slot	 slots[WHO_TABLE_SLOTS];
};

static size_t
slot_of(uint64_t dev, uint64_t ino)
{
	uint64_t h = (ino ^ (dev * 0x9E3779B97F4A7C15ULL)) *
	    0xBF58476D1CE4E5B9ULL;

	return (size_t)(h >> 32) & (WHO_TABLE_SLOTS - 1);
}

struct who_table *
who_table_new(void)
{
	struct who_table *t = calloc(1, sizeof(*t));

	if (t != NULL && pthread_mutex_init(&t->lock, NULL) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

void
who_table_free(struct who_table *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t);
}

void
who_table_note(struct who_table *t, const struct who_key *keys, size_t n,
    const struct fim_who *who)
{
	struct who_slot *s;
	size_t i;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < n; i++) {
		s = &t->slots[slot_of(keys[i].dev, keys[i].ino)];
		s->dev = keys[i].dev;
		s->ino = keys[i].ino;
		s->who = *who;
	}
	pthread_mutex_unlock(&t->lock);
}

int
who_table_find(struct who_table *t, uint64_t dev, uint64_t ino, long now_ms,
    struct fim_who *out)
{
	const struct who_slot *s = &t->slots[slot_of(dev, ino)];
	int found;

	pthread_mutex_lock(&t->lock);
	found = s->who.pid != 0 && s->dev == dev && s->ino == ino &&
	    now_ms - s->who.at_ms <= WHO_WINDOW_MS;
	if (found)
		*out = s->who;
	pthread_mutex_unlock(&t->lock);
	return found;
}

int
who_audit_dev(const char *text, uint64_t *dev)
{
	unsigned long major, minor;
	char *end;

	if (text == NULL)
		return -1;
	major = strtoul(text, &end, 16);
	if (end == text || *end != ':')
		return -1;
	text = end + 1;
	minor = strtoul(text, &end, 16);
	if (end == text || *end != '\0')
		return -1;
	*dev = makedev(major, minor);
	return 0;
}

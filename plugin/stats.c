/* The counters as log lines and JSON; see stats.h. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/log.h"
#include "stats.h"

struct counter {
	const char	*group;		/* "" for the top level */
	const char	*key;
	const char	*words;
	size_t		 offset;	/* in struct pipeline_stats */
};

static const struct counter counters[] = {
#define COUNTER_ROW(field, group, key, words) \
	{ group, key, words, offsetof(struct pipeline_stats, field) },
	PIPELINE_COUNTERS(COUNTER_ROW)
#undef COUNTER_ROW
};
#define NCOUNTERS	(sizeof(counters) / sizeof(counters[0]))

static unsigned long long
value_of(const struct pipeline_stats *s, const struct counter *c)
{
	return *(const unsigned long long *)(const void *)
	    ((const char *)s + c->offset);
}

/* The rows of the group that starts at first: [first, end). */
static size_t
group_end(size_t first)
{
	size_t i = first;

	while (i < NCOUNTERS && strcmp(counters[i].group,
	    counters[first].group) == 0)
		i++;
	return i;
}

static void
log_group(const char *when, const struct pipeline_stats *s, size_t first,
    size_t end)
{
	struct buf b = BUF_INITIALIZER(4096);
	size_t i;
	int any = 0;

	for (i = first; i < end; i++)
		any |= value_of(s, &counters[i]) != 0;
	if (counters[first].group[0] != '\0' && !any)
		return;
	for (i = first; i < end; i++)
		(void)buf_appendf(&b, "%s%llu %s", i > first ? ", " : "",
		    value_of(s, &counters[i]), counters[i].words);
	if (counters[first].group[0] == '\0')
		log_info("%s: %s", when, buf_cstr(&b));
	else
		log_info("%s: %s: %s", when, counters[first].group,
		    buf_cstr(&b));
	buf_release(&b);
}

void
stats_log(const char *when, const struct pipeline_stats *s)
{
	size_t first, end;

	for (first = 0; first < NCOUNTERS; first = end) {
		end = group_end(first);
		log_group(when, s, first, end);
	}
}

int
stats_json(struct buf *b, const struct pipeline_stats *s, long long now,
    long pid)
{
	size_t first, end, i;
	int rc;

	rc = buf_appendf(b, "{\"time\":%lld,\"pid\":%ld", now, pid);
	for (first = 0; first < NCOUNTERS && rc == 0; first = end) {
		end = group_end(first);
		if (counters[first].group[0] != '\0')
			rc |= buf_appendf(b, ",\"%s\":{", counters[first].group);
		for (i = first; i < end; i++)
			rc |= buf_appendf(b, "%s\"%s\":%llu",
			    i > first || counters[first].group[0] == '\0' ?
			    "," : "", counters[i].key, value_of(s, &counters[i]));
		if (counters[first].group[0] != '\0')
			rc |= buf_append(b, "}", 1);
	}
	rc |= buf_append(b, "}\n", 2);
	return rc == 0 ? 0 : -1;
}

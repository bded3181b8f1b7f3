/*
 * The pipeline's counters for people and for scripts: one log line per
 * group, and the JSON of stats.json.  Both come from PIPELINE_COUNTERS, so
 * a new counter shows in both by being added there.
 */
#ifndef AUDISP_ECS_STATS_H
#define AUDISP_ECS_STATS_H

#include "pipeline.h"

struct buf;

/* "when: N bytes, ..."; the other groups only when not all zero. */
void	stats_log(const char *when, const struct pipeline_stats *);
/* {"time":..,"pid":..,<top level>,"<group>":{...},...} and a newline. */
int	stats_json(struct buf *, const struct pipeline_stats *, long long now,
	    long pid);

#endif

/*
 * The authors fanotify named for the paths of recent jobs, kept by the
 * worker a little longer than the job itself: a deletion is reported
 * only once its path has been held long enough for a new name to show
 * up (scanner.h), possibly in a later job.  Owned by the worker thread.
 * Bounded: past WHO_RECENT_MAX paths, the one expiring first goes.
 */
#ifndef AUDISP_ECS_WHO_RECENT_H
#define AUDISP_ECS_WHO_RECENT_H

#include "fim_who.h"

#define WHO_RECENT_MAX	4096

struct who_recent;

struct who_recent	*who_recent_new(void);
void			 who_recent_free(struct who_recent *);
/* who changed path; remember it until until_ms (monotonic). */
void			 who_recent_put(struct who_recent *, const char *path,
			    const struct fim_who *who, long now_ms,
			    long until_ms);
/* The author of path, if still remembered at now_ms; else NULL. */
const struct fim_who	*who_recent_get(struct who_recent *, const char *path,
			    long now_ms);

#endif

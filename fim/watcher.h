/*
 * The watchers: the kernel's notifications about the monitored trees,
 * turned into paths for the coalescer.
 *
 * Backends sit behind one interface (struct watcher_ops): fanotify
 * (watcher_fanotify.c), one mark per file system, which also tells who
 * made each change, and inotify (watcher_inotify.c), a watch per
 * directory, following new directories as they appear, which any user
 * may use.  fim.backend "auto" tries fanotify first and falls back to
 * inotify, logging why.  A watcher runs on the watcher thread;
 * watcher_fd() is polled and watcher_read() takes what is there, at most
 * WATCHER_READS_MAX buffers, so that under a steady stream of events the
 * thread still hands out due paths and sees a stop (the rest waits for
 * the next poll).
 */
#ifndef AUDISP_ECS_WATCHER_H
#define AUDISP_ECS_WATCHER_H

#include "coalesce.h"
#include "fim_conf.h"

#define WATCHER_READS_MAX	16

struct watcher;

/* What watcher_read() found besides paths. */
struct watch_result {
	int	 overflow;	/* the kernel dropped events: rescan */
	int	 too_many;	/* the coalescer is full: rescan */
};

/* fim.backend picks; NULL after logging why nothing can watch. */
struct watcher	*watcher_new(const struct fim_config *);
void		 watcher_free(struct watcher *);
int		 watcher_fd(const struct watcher *);
void		 watcher_read(struct watcher *, struct coalescer *,
		    long now_ms, struct watch_result *);

/* Backends.  fanotify fills why when it cannot watch. */
struct watcher	*watcher_inotify_new(const struct fim_config *);
struct watcher	*watcher_fanotify_new(const struct fim_config *, char *why,
		    size_t why_size);

/* Each backend starts with this, so watcher.c can dispatch. */
struct watcher_ops {
	const char	*name;
	int		(*fd)(const struct watcher *);
	void		(*read)(struct watcher *, struct coalescer *,
			    long now_ms, struct watch_result *);
	void		(*free)(struct watcher *);
};

#endif

/*
 * The watchers: the kernel's notifications about the monitored trees,
 * turned into paths for the coalescer.
 *
 * Backends sit behind one interface (struct watcher_ops); today there is
 * inotify (watcher_inotify.c), which needs a watch per directory and
 * follows new directories as they appear.  It runs on the watcher thread;
 * watcher_fd() is polled and watcher_read() drains it.
 */
#ifndef AUDISP_ECS_WATCHER_H
#define AUDISP_ECS_WATCHER_H

#include "coalesce.h"
#include "fim_conf.h"

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
const char	*watcher_backend(const struct watcher *);
void		 watcher_read(struct watcher *, struct coalescer *,
		    long now_ms, struct watch_result *);

/* Backends. */
struct watcher	*watcher_inotify_new(const struct fim_config *);

/* Each backend starts with this, so watcher.c can dispatch. */
struct watcher_ops {
	const char	*name;
	int		(*fd)(const struct watcher *);
	void		(*read)(struct watcher *, struct coalescer *,
			    long now_ms, struct watch_result *);
	void		(*free)(struct watcher *);
};

#endif

/* Choosing a watcher backend and dispatching to it; see watcher.h. */
#include "config.h"

#include "../common/log.h"
#include "watcher.h"

struct watcher {
	const struct watcher_ops *ops;
};

struct watcher *
watcher_new(const struct fim_config *cfg)
{
	struct watcher *w = NULL;
	char why[512];

	if (cfg->backend != FIM_BACKEND_INOTIFY) {
		w = watcher_fanotify_new(cfg, why, sizeof(why));
		if (w == NULL && cfg->backend == FIM_BACKEND_FANOTIFY) {
			log_warnx("fim: fim.backend is \"fanotify\", which "
			    "cannot watch here: %s", why);
			return NULL;
		}
		if (w == NULL)
			log_info("fim: fanotify cannot watch (%s); falling "
			    "back to inotify", why);
	}
	if (w == NULL)
		w = watcher_inotify_new(cfg);
	if (w != NULL)
		log_info("fim: watching with %s", w->ops->name);
	return w;
}

void
watcher_free(struct watcher *w)
{
	if (w != NULL)
		w->ops->free(w);
}

int
watcher_fd(const struct watcher *w)
{
	return w->ops->fd(w);
}

void
watcher_read(struct watcher *w, struct coalescer *c, long now_ms,
    struct watch_result *r)
{
	w->ops->read(w, c, now_ms, r);
}

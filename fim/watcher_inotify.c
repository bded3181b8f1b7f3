/*
 * The inotify backend; see watcher.h.
 *
 * inotify watches directories, not trees: every directory below a root
 * gets its own watch (fim.recursive), and a directory created or moved in
 * later is watched as soon as its event arrives (the check that event
 * causes walks it, so files made in it before the watch are not missed).
 * A root that is a file is watched through its directory, filtered to its
 * name, so an editor replacing it by rename is still seen.  Watch
 * descriptors only grow, so the table stays sorted by them as it is
 * appended to, and lookups are binary searches.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../plugin/log.h"
#include "watcher.h"

#define EVENTS	(IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | \
		 IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | \
		 IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW)

struct watch {
	int	 wd;
	char	*path;
	char	*only_name;	/* a file root: events of this name only */
};

struct inotify_watcher {
	const struct watcher_ops *ops;
	const struct fim_config	*cfg;
	int			 fd;
	struct watch		*watches;
	size_t			 count, cap;
};

static struct watch *
find_watch(struct inotify_watcher *iw, int wd)
{
	size_t lo = 0, hi = iw->count;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (iw->watches[mid].wd == wd)
			return &iw->watches[mid];
		if (iw->watches[mid].wd < wd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
forget_watch(struct inotify_watcher *iw, struct watch *w)
{
	size_t i = (size_t)(w - iw->watches);

	free(w->path);
	free(w->only_name);
	memmove(w, w + 1, (iw->count - i - 1) * sizeof(*w));
	iw->count--;
}

static int
remember(struct inotify_watcher *iw, int wd, const char *path,
    const char *only_name)
{
	struct watch *w;
	size_t i;

	if ((w = find_watch(iw, wd)) != NULL) {
		/* The same directory again: now it is watched whole. */
		if (only_name == NULL) {
			free(w->only_name);
			w->only_name = NULL;
		}
		return 0;
	}
	if (iw->count == iw->cap) {
		size_t cap = iw->cap ? iw->cap * 2 : 64;

		if ((w = realloc(iw->watches, cap * sizeof(*w))) == NULL)
			return -1;
		iw->watches = w;
		iw->cap = cap;
	}
	/* Normally appended; a reused descriptor is slotted in order. */
	for (i = iw->count; i > 0 && iw->watches[i - 1].wd > wd; i--)
		;
	memmove(&iw->watches[i + 1], &iw->watches[i],
	    (iw->count - i) * sizeof(*w));
	w = &iw->watches[i];
	w->wd = wd;
	w->path = strdup(path);
	w->only_name = only_name ? strdup(only_name) : NULL;
	iw->count++;
	return w->path == NULL ? -1 : 0;
}

static void
watch_tree(struct inotify_watcher *iw, const char *path, int follow)
{
	char child[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int wd;

	if ((wd = inotify_add_watch(iw->fd, path, EVENTS | IN_ONLYDIR)) == -1) {
		if (errno == ENOSPC)
			log_warnx("fim: inotify watch limit reached at %s "
			    "(raise fs.inotify.max_user_watches)", path);
		return;
	}
	if (remember(iw, wd, path, NULL) == -1 || !follow ||
	    (d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ?
		    path : "", de->d_name) >= (int)sizeof(child))
			continue;
		if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode) &&
		    fim_config_wants(iw->cfg, child, 1))
			watch_tree(iw, child, follow);
	}
	closedir(d);
}

static void
watch_root(struct inotify_watcher *iw, const char *root)
{
	char parent[PATH_MAX];
	const char *slash;
	struct stat st;
	int wd;

	if (lstat(root, &st) == -1) {
		log_warnx("fim: %s does not exist: not watched", root);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		watch_tree(iw, root, iw->cfg->recursive);
		return;
	}
	slash = strrchr(root, '/');
	snprintf(parent, sizeof(parent), "%.*s", slash == root ? 1 :
	    (int)(slash - root), root);
	if ((wd = inotify_add_watch(iw->fd, parent, EVENTS | IN_ONLYDIR)) != -1)
		remember(iw, wd, parent, slash + 1);
}

/* Moved away or removed: the watches below path are stale. */
static void
forget_below(struct inotify_watcher *iw, const char *path)
{
	size_t i, n = strlen(path);

	for (i = 0; i < iw->count; )
		if (strncmp(iw->watches[i].path, path, n) == 0 &&
		    (iw->watches[i].path[n] == '/' ||
		    iw->watches[i].path[n] == '\0')) {
			inotify_rm_watch(iw->fd, iw->watches[i].wd);
			forget_watch(iw, &iw->watches[i]);
		} else
			i++;
}

static void
handle(struct inotify_watcher *iw, const struct inotify_event *ev,
    struct coalescer *c, long now, struct watch_result *r)
{
	char path[PATH_MAX];
	struct watch *w;
	int is_dir = (ev->mask & IN_ISDIR) != 0;

	if (ev->mask & IN_Q_OVERFLOW) {
		r->overflow = 1;
		return;
	}
	if ((w = find_watch(iw, ev->wd)) == NULL)
		return;
	if (ev->mask & IN_IGNORED) {
		forget_watch(iw, w);
		return;
	}
	if (ev->len == 0 || ev->name[0] == '\0')
		snprintf(path, sizeof(path), "%s", w->path);
	else if (w->only_name != NULL && strcmp(w->only_name, ev->name) != 0)
		return;
	else if (snprintf(path, sizeof(path), "%s/%s", strcmp(w->path, "/") ?
	    w->path : "", ev->name) >= (int)sizeof(path))
		return;
	if (!fim_config_wants(iw->cfg, path, is_dir))
		return;
	if (is_dir && (ev->mask & IN_MOVED_FROM))
		forget_below(iw, path);
	if (is_dir && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
	    iw->cfg->recursive)
		watch_tree(iw, path, 1);
	if (coalesce_add(c, path, (ev->mask & IN_CLOSE_WRITE) != 0, now,
	    NULL) == -1)
		r->too_many = 1;
}

static void
inotify_read(struct watcher *base, struct coalescer *c, long now,
    struct watch_result *r)
{
	struct inotify_watcher *iw = (struct inotify_watcher *)base;
	char buf[64 * 1024]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t n;
	char *p;

	while ((n = read(iw->fd, buf, sizeof(buf))) > 0)
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			handle(iw, ev, c, now, r);
		}
	if (n == -1 && errno != EAGAIN && errno != EINTR)
		log_warn("fim: inotify read");
}

static int
inotify_fd(const struct watcher *base)
{
	return ((const struct inotify_watcher *)base)->fd;
}

static void
inotify_free(struct watcher *base)
{
	struct inotify_watcher *iw = (struct inotify_watcher *)base;
	size_t i;

	for (i = 0; i < iw->count; i++) {
		free(iw->watches[i].path);
		free(iw->watches[i].only_name);
	}
	free(iw->watches);
	if (iw->fd != -1)
		close(iw->fd);
	free(iw);
}

static const struct watcher_ops inotify_ops = {
	"inotify", inotify_fd, inotify_read, inotify_free,
};

struct watcher *
watcher_inotify_new(const struct fim_config *cfg)
{
	struct inotify_watcher *iw;
	size_t i;

	if ((iw = calloc(1, sizeof(*iw))) == NULL)
		return NULL;
	iw->ops = &inotify_ops;
	iw->cfg = cfg;
	if ((iw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		log_warn("fim: inotify_init1");
		inotify_free((struct watcher *)iw);
		return NULL;
	}
	for (i = 0; i < cfg->paths.count; i++)
		watch_root(iw, cfg->paths.items[i]);
	return (struct watcher *)iw;
}

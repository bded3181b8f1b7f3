/*
 * The inotify backend; see watcher.h.
 *
 * inotify watches directories, not trees: every directory below a root
 * gets its own watch (fim.recursive), and a directory created or moved in
 * later is watched as soon as its event arrives (the check that event
 * causes walks it, so files made in it before the watch are not missed).
 * A root that is a file is watched through its directory, filtered to its
 * name (to the configured paths when the directory holds several), so an
 * editor replacing it by rename is still seen.  The walk stays on the
 * root's file system, as the scanner's does.  Watch
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

#include "../common/log.h"
#include "watcher.h"

#define EVENTS	(IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | \
		 IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | \
		 IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW)

struct watch {
	int	 wd;
	char	*path;
	char	*only_name;	/* a file root: events of this name only */
	dev_t	 dev;		/* the file system of the tree watched */
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

/*
 * Notes watch wd of path.  A directory watched again (a second file root
 * in it, or the directory root holding a file root) is watched whole:
 * its events are filtered to the configured paths in handle().  Returns
 * 1 when wd was already watched whole, 0 when it is now, -1 when out of
 * memory (nothing noted).
 */
static int
remember(struct inotify_watcher *iw, int wd, const char *path,
    const char *only_name, dev_t dev)
{
	struct watch *w;
	char *path_copy, *name_copy = NULL;
	size_t i;

	if ((w = find_watch(iw, wd)) != NULL) {
		if (w->only_name == NULL)
			return 1;
		if (only_name == NULL || strcmp(only_name, w->only_name) != 0) {
			free(w->only_name);
			w->only_name = NULL;
			w->dev = dev;
		}
		return 0;
	}
	if ((path_copy = strdup(path)) == NULL || (only_name != NULL &&
	    (name_copy = strdup(only_name)) == NULL)) {
		free(path_copy);
		return -1;
	}
	if (iw->count == iw->cap) {
		size_t cap = iw->cap ? iw->cap * 2 : 64;

		if ((w = realloc(iw->watches, cap * sizeof(*w))) == NULL) {
			free(path_copy);
			free(name_copy);
			return -1;
		}
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
	w->path = path_copy;
	w->only_name = name_copy;
	w->dev = dev;
	iw->count++;
	return 0;
}

static void
watch_below(struct inotify_watcher *iw, char *path, size_t len, dev_t dev,
    int follow)
{
	struct dirent *de;
	struct stat st;
	size_t n, base;
	DIR *d;
	int wd, known;

	if ((wd = inotify_add_watch(iw->fd, path, EVENTS | IN_ONLYDIR)) == -1) {
		if (errno == ENOSPC)
			log_warnx("fim: inotify watch limit reached at %s "
			    "(raise fs.inotify.max_user_watches)", path);
		return;
	}
	/* Already watched whole: a bind mount brought us back (a loop). */
	if ((known = remember(iw, wd, path, NULL, dev)) != 0) {
		if (known == -1) {
			log_warnx("fim: out of memory: %s not watched", path);
			inotify_rm_watch(iw->fd, wd);
		}
		return;
	}
	if (!follow || (d = opendir(path)) == NULL)
		return;
	base = len == 1 ? 0 : len;	/* below "/": no second slash */
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (base + 1 + (n = strlen(de->d_name)) >= PATH_MAX)
			continue;
		path[base] = '/';
		memcpy(path + base + 1, de->d_name, n + 1);
		/* Stay on the file system, as the scanner does. */
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
		    st.st_dev == dev && fim_config_wants(iw->cfg, path, 1))
			watch_below(iw, path, base + 1 + n, dev, follow);
		path[len] = '\0';
	}
	closedir(d);
}

/* Watch the directory path and, with follow, the tree below it on dev. */
static void
watch_tree(struct inotify_watcher *iw, const char *path, dev_t dev,
    int follow)
{
	char buf[PATH_MAX];
	struct stat st;
	size_t len = strlen(path);

	if (len >= sizeof(buf) || lstat(path, &st) == -1 ||
	    !S_ISDIR(st.st_mode) || st.st_dev != dev)
		return;
	memcpy(buf, path, len + 1);
	watch_below(iw, buf, len, dev, follow);
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
		watch_tree(iw, root, st.st_dev, iw->cfg->recursive);
		return;
	}
	slash = strrchr(root, '/');
	snprintf(parent, sizeof(parent), "%.*s", slash == root ? 1 :
	    (int)(slash - root), root);
	if ((wd = inotify_add_watch(iw->fd, parent, EVENTS | IN_ONLYDIR)) !=
	    -1 && remember(iw, wd, parent, slash + 1, st.st_dev) == -1) {
		log_warnx("fim: out of memory: %s not watched", root);
		inotify_rm_watch(iw->fd, wd);
	}
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
	dev_t dev;
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
	dev = w->dev;	/* forget_below() may move w */
	if (ev->len == 0 || ev->name[0] == '\0')
		snprintf(path, sizeof(path), "%s", w->path);
	else if (w->only_name != NULL && strcmp(w->only_name, ev->name) != 0)
		return;
	else if (snprintf(path, sizeof(path), "%s/%s", strcmp(w->path, "/") ?
	    w->path : "", ev->name) >= (int)sizeof(path))
		return;
	/* A directory watched for several file roots sees its neighbours. */
	if (!fim_config_covers(iw->cfg, path) ||
	    !fim_config_wants(iw->cfg, path, is_dir))
		return;
	if (is_dir && (ev->mask & IN_MOVED_FROM))
		forget_below(iw, path);
	if (is_dir && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
	    iw->cfg->recursive)
		watch_tree(iw, path, dev, 1);
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
	ssize_t n = 0;
	char *p;
	int reads = 0;

	/* A few buffers at a time, so a stream of events cannot keep the
	 * thread from handing out due paths or seeing a stop. */
	while (reads++ < WATCHER_READS_MAX &&
	    (n = read(iw->fd, buf, sizeof(buf))) > 0)
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			handle(iw, ev, c, now, r);
		}
	if (reads <= WATCHER_READS_MAX && n == -1 && errno != EAGAIN &&
	    errno != EINTR)
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

/*
 * The fanotify backend; see watcher.h.
 *
 * One filesystem mark (FAN_MARK_FILESYSTEM) per file system holding a
 * configured root reports every change on it, however deep, and new
 * directories need no watch of their own.  Events come with the file
 * handle of the directory and the entry's name (FAN_REPORT_DFID_NAME):
 * the directory is opened by handle (open_by_handle_at, on a descriptor
 * of the same mount) and its path read back from /proc/self/fd, then the
 * path is filtered to the configured trees like the scanner does.  A mount
 * mark would be narrower, but the kernel refuses directory entry events
 * (create, delete, rename) on mount marks (EINVAL), so it is no substitute.
 *
 * Unlike inotify, fanotify tells which process caused each event: its
 * pid goes with the path to the coalescer, together with what /proc says
 * about that process at once (proc_who.c); a few recent pids are cached,
 * as one process usually makes a burst of events.
 *
 * Needs CAP_SYS_ADMIN (fanotify_init) and CAP_DAC_READ_SEARCH
 * (open_by_handle_at); watcher.c falls back to inotify when it is refused.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <xxhash.h>

#include "../common/log.h"
#include "watcher.h"

#define EVENTS	(FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | FAN_MOVED_TO | \
		 FAN_ATTRIB | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_ONDIR)
#define WHO_CACHE	8
#define WHO_CACHE_MS	1000	/* a pid's /proc answer is reused this long */
#define DIR_CACHE	512	/* directory handles resolved to paths */
#define HANDLE_MAX	128	/* MAX_HANDLE_SZ */

/* A directory's handle and the path it was resolved to. */
struct dir_entry {
	uint64_t	 key;		/* 0: empty */
	size_t		 mount;		/* resolved through mounts[mount] */
	int		 type;
	unsigned	 bytes;
	unsigned char	 handle[HANDLE_MAX];
	char		*path;
};

/* A mount to open handles on, one per distinct (file system, mount). */
struct fan_mount {
	fsid_t		 fsid;
	uint64_t	 mnt_id;
	int		 fd;
};

struct fanotify_watcher {
	const struct watcher_ops *ops;
	const struct fim_config	*cfg;
	int			 fd;
	pid_t			 self;
	struct fan_mount	*mounts;
	size_t			 nmounts;
	struct dir_entry	 dirs[DIR_CACHE];
	struct fim_who		 who_cache[WHO_CACHE];
	size_t			 who_next;
	int			 warned_version;
};

static void
fanotify_free(struct watcher *base)
{
	struct fanotify_watcher *fw = (struct fanotify_watcher *)base;
	size_t i;

	for (i = 0; i < fw->nmounts; i++)
		close(fw->mounts[i].fd);
	free(fw->mounts);
	for (i = 0; i < DIR_CACHE; i++)
		free(fw->dirs[i].path);
	if (fw->fd != -1)
		close(fw->fd);
	free(fw);
}

static int
fanotify_fd(const struct watcher *base)
{
	return ((const struct fanotify_watcher *)base)->fd;
}

/*
 * The directory to mark for root: the root if it is one, else the
 * closest existing directory above it (a file root, or a root that does
 * not exist yet: the file system mark reports its creation).
 */
static int
open_anchor(const char *root, char *dir, size_t size)
{
	struct stat st;
	char *slash;
	int fd;

	snprintf(dir, size, "%s", root);
	for (;;) {
		if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
		    (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1)
			return fd;
		if ((slash = strrchr(dir, '/')) == NULL)
			return -1;
		if (slash == dir) {
			if (dir[1] == '\0')
				return -1;
			dir[1] = '\0';
		} else
			*slash = '\0';
	}
}

static uint64_t
mount_id(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) == -1 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	return stx.stx_mnt_id;
}

static int
add_mount(struct fanotify_watcher *fw, int fd, const fsid_t *fsid)
{
	struct fan_mount *m;
	uint64_t id = mount_id(fd);
	size_t i;

	for (i = 0; i < fw->nmounts; i++)
		if (memcmp(&fw->mounts[i].fsid, fsid, sizeof(*fsid)) == 0 &&
		    fw->mounts[i].mnt_id == id) {
			close(fd);
			return 0;
		}
	if ((m = realloc(fw->mounts, (fw->nmounts + 1) * sizeof(*m))) == NULL)
		return -1;
	fw->mounts = m;
	m = &fw->mounts[fw->nmounts++];
	m->fsid = *fsid;
	m->mnt_id = id;
	m->fd = fd;
	return 0;
}

static const char *
mark_failure(int err)
{
	switch (err) {
	case EPERM:
		return "not permitted: a file system mark needs CAP_SYS_ADMIN";
	case EXDEV:
		return "a subvolume with a file system id of its own";
	case ENODEV:
	case EOPNOTSUPP:
		return "this file system has no file handles";
	}
	return strerror(err);
}

/* Mark the file system of root; -1 with why filled when it cannot be. */
static int
mark_root(struct fanotify_watcher *fw, const char *root, char *why,
    size_t why_size)
{
	char dir[PATH_MAX];
	struct statfs sfs;
	int fd;

	if ((fd = open_anchor(root, dir, sizeof(dir))) == -1) {
		snprintf(why, why_size, "no directory to mark for %s", root);
		return -1;
	}
	if (fanotify_mark(fw->fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, EVENTS,
	    fd, NULL) == -1) {
		snprintf(why, why_size, "cannot mark the file system of %s: "
		    "%s", dir, mark_failure(errno));
		close(fd);
		return -1;
	}
	if (fstatfs(fd, &sfs) == -1 || add_mount(fw, fd, &sfs.f_fsid) == -1) {
		snprintf(why, why_size, "%s: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

/* The path of the directory behind handle; -1 when gone or unreachable. */
static int
resolve(const struct fan_mount *m, struct file_handle *handle, char *path,
    size_t size)
{
	char link[64];
	ssize_t n;
	int fd;

	if ((fd = open_by_handle_at(m->fd, handle, O_PATH | O_CLOEXEC)) == -1)
		return -1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, size - 1);
	close(fd);
	if (n <= 0 || (size_t)n >= size - 1 || path[0] != '/')
		return -1;
	path[n] = '\0';
	/* Removed while the event waited: its entries went with it. */
	if (n > 10 && strcmp(path + n - 10, " (deleted)") == 0)
		return -1;
	return 0;
}

/*
 * The cache of resolved directories: a file system mark reports the
 * whole file system, mostly outside the configured trees, and opening
 * every event's directory by handle to read its path back would cost two
 * system calls an event.  A directory moved or removed anywhere empties
 * it, as paths below it changed.  Direct-mapped by a hash of the handle.
 */
static struct dir_entry *
dir_slot(struct fanotify_watcher *fw, size_t mount,
    const struct file_handle *handle, uint64_t *key)
{
	unsigned char buf[sizeof(mount) + sizeof(int) + HANDLE_MAX];
	size_t n = handle->handle_bytes;

	memcpy(buf, &mount, sizeof(mount));
	memcpy(buf + sizeof(mount), &handle->handle_type, sizeof(int));
	memcpy(buf + sizeof(mount) + sizeof(int), handle->f_handle, n);
	if ((*key = XXH3_64bits(buf, sizeof(mount) + sizeof(int) + n)) == 0)
		*key = 1;
	return &fw->dirs[*key % DIR_CACHE];
}

static const char *
dir_cached(struct fanotify_watcher *fw, size_t mount,
    const struct file_handle *handle)
{
	uint64_t key;
	struct dir_entry *e = dir_slot(fw, mount, handle, &key);

	if (e->key != key || e->mount != mount ||
	    e->type != handle->handle_type ||
	    e->bytes != handle->handle_bytes ||
	    memcmp(e->handle, handle->f_handle, e->bytes) != 0)
		return NULL;
	return e->path;
}

static void
dir_remember(struct fanotify_watcher *fw, size_t mount,
    const struct file_handle *handle, const char *path)
{
	uint64_t key;
	struct dir_entry *e = dir_slot(fw, mount, handle, &key);
	char *copy;

	if ((copy = strdup(path)) == NULL)
		return;
	free(e->path);
	e->path = copy;
	e->key = key;
	e->mount = mount;
	e->type = handle->handle_type;
	e->bytes = handle->handle_bytes;
	memcpy(e->handle, handle->f_handle, e->bytes);
}

static void
dir_forget_all(struct fanotify_watcher *fw)
{
	size_t i;

	for (i = 0; i < DIR_CACHE; i++)
		if (fw->dirs[i].key != 0) {
			free(fw->dirs[i].path);
			fw->dirs[i].path = NULL;
			fw->dirs[i].key = 0;
		}
}

/* The path of a directory through mount i, from the cache or resolved. */
static int
dir_path(struct fanotify_watcher *fw, size_t i, struct file_handle *handle,
    char *dir, size_t size)
{
	const char *cached;

	if (handle->handle_bytes > HANDLE_MAX)
		return resolve(&fw->mounts[i], handle, dir, size);
	if ((cached = dir_cached(fw, i, handle)) != NULL) {
		snprintf(dir, size, "%s", cached);
		return 0;
	}
	if (resolve(&fw->mounts[i], handle, dir, size) == -1)
		return -1;
	dir_remember(fw, i, handle, dir);
	return 0;
}

/*
 * The monitored path an event is about, into path; -1 when it is outside
 * the configured trees or cannot be told.
 */
static int
event_path(struct fanotify_watcher *fw,
    const struct fanotify_event_info_fid *fid, const char *name, char *path,
    size_t size)
{
	struct file_handle *handle = (struct file_handle *)fid->handle;
	char dir[PATH_MAX];
	size_t i;

	for (i = 0; i < fw->nmounts; i++) {
		if (memcmp(&fw->mounts[i].fsid, &fid->fsid,
		    sizeof(fid->fsid)) != 0 ||
		    dir_path(fw, i, handle, dir, sizeof(dir)) == -1)
			continue;
		if (name == NULL || strcmp(name, ".") == 0)
			snprintf(path, size, "%s", dir);
		else if (snprintf(path, size, "%s/%s", strcmp(dir, "/") ?
		    dir : "", name) >= (int)size)
			continue;
		if (fim_config_covers(fw->cfg, path))
			return 0;
	}
	return -1;
}

/* What /proc says about pid, from the cache when just read. */
static const struct fim_who *
who_of(struct fanotify_watcher *fw, long pid, long now)
{
	struct fim_who *who;
	size_t i;

	for (i = 0; i < WHO_CACHE; i++) {
		who = &fw->who_cache[i];
		if (who->pid == pid && now - who->at_ms <= WHO_CACHE_MS)
			return who;
	}
	who = &fw->who_cache[fw->who_next];
	fw->who_next = (fw->who_next + 1) % WHO_CACHE;
	proc_who_read(pid, now, who);
	return who;
}

/*
 * The first record naming a directory, and the entry's name in it.
 * Records are only 4-byte aligned (names are padded to 4), so nothing
 * with 8-byte members is read in place.
 */
static const struct fanotify_event_info_fid *
find_dir_info(const char *p, const char *end, const char **name)
{
	struct fanotify_event_info_header hdr;
	const struct fanotify_event_info_fid *fid;
	const struct file_handle *handle;

	for (; p + sizeof(hdr) <= end; p += hdr.len) {
		memcpy(&hdr, p, sizeof(hdr));
		if (hdr.len < sizeof(hdr) || hdr.len > end - p)
			return NULL;
		if (hdr.info_type != FAN_EVENT_INFO_TYPE_DFID_NAME &&
		    hdr.info_type != FAN_EVENT_INFO_TYPE_DFID)
			continue;
		if (hdr.len < sizeof(*fid) + sizeof(*handle))
			return NULL;
		fid = (const struct fanotify_event_info_fid *)p;
		handle = (const struct file_handle *)fid->handle;
		*name = NULL;
		if (hdr.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME)
			*name = (const char *)handle->f_handle +
			    handle->handle_bytes;
		if (*name != NULL && (*name >= p + hdr.len ||
		    memchr(*name, '\0', (size_t)(p + hdr.len - *name)) == NULL))
			return NULL;
		return fid;
	}
	return NULL;
}

/* One event: meta, then its info records up to end. */
static void
handle(struct fanotify_watcher *fw, const struct fanotify_event_metadata *meta,
    const char *info, const char *end, struct coalescer *c, long now,
    struct watch_result *r)
{
	const struct fanotify_event_info_fid *fid;
	const char *name;
	char path[PATH_MAX];

	if (meta->fd >= 0)
		close(meta->fd);
	if (meta->mask & FAN_Q_OVERFLOW) {
		r->overflow = 1;
		return;
	}
	/* Our own writes (the baseline, an output file) are not changes. */
	if (meta->pid == fw->self)
		return;
	/* Paths below a directory moved or removed are no longer known. */
	if ((meta->mask & FAN_ONDIR) && (meta->mask & (FAN_MOVED_FROM |
	    FAN_MOVED_TO | FAN_DELETE)))
		dir_forget_all(fw);
	if ((fid = find_dir_info(info, end, &name)) == NULL ||
	    event_path(fw, fid, name, path, sizeof(path)) == -1 ||
	    !fim_config_wants(fw->cfg, path, (meta->mask & FAN_ONDIR) != 0))
		return;
	if (coalesce_add(c, path, (meta->mask & FAN_CLOSE_WRITE) != 0, now,
	    meta->pid > 0 ? who_of(fw, meta->pid, now) : NULL) == -1)
		r->too_many = 1;
}

/* The events in buf; each is copied out, as it may be misaligned. */
static void
handle_all(struct fanotify_watcher *fw, const char *buf, size_t len,
    struct coalescer *c, long now, struct watch_result *r)
{
	struct fanotify_event_metadata meta;
	size_t off = 0;

	while (len - off >= sizeof(meta)) {
		memcpy(&meta, buf + off, sizeof(meta));
		if (meta.event_len < sizeof(meta) ||
		    meta.event_len > len - off ||
		    meta.metadata_len < sizeof(meta) ||
		    meta.metadata_len > meta.event_len)
			return;
		if (meta.vers != FANOTIFY_METADATA_VERSION) {
			if (!fw->warned_version++)
				log_warnx("fim: fanotify metadata version %u, "
				    "expected %u: events ignored", meta.vers,
				    FANOTIFY_METADATA_VERSION);
			return;
		}
		handle(fw, &meta, buf + off + meta.metadata_len,
		    buf + off + meta.event_len, c, now, r);
		off += meta.event_len;
	}
}

static void
fanotify_read(struct watcher *base, struct coalescer *c, long now,
    struct watch_result *r)
{
	struct fanotify_watcher *fw = (struct fanotify_watcher *)base;
	char buf[64 * 1024]
	    __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
	ssize_t n = 0;
	int reads = 0;

	/* A few buffers at a time; see watcher.h. */
	while (reads++ < WATCHER_READS_MAX &&
	    (n = read(fw->fd, buf, sizeof(buf))) > 0)
		handle_all(fw, buf, (size_t)n, c, now, r);
	if (reads <= WATCHER_READS_MAX && n == -1 && errno != EAGAIN &&
	    errno != EINTR)
		log_warn("fim: fanotify read");
}

static const struct watcher_ops fanotify_ops = {
	"fanotify", fanotify_fd, fanotify_read, fanotify_free,
};

static const char *
init_failure(int err)
{
	switch (err) {
	case EPERM:
		return "not permitted: fanotify_init needs CAP_SYS_ADMIN";
	case EINVAL:
		return "the kernel has no FAN_REPORT_DFID_NAME (Linux 5.9)";
	case ENOSYS:
		return "the kernel has no fanotify";
	}
	return strerror(err);
}

struct watcher *
watcher_fanotify_new(const struct fim_config *cfg, char *why,
    size_t why_size)
{
	struct fanotify_watcher *fw;
	size_t i;

	if ((fw = calloc(1, sizeof(*fw))) == NULL) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	fw->ops = &fanotify_ops;
	fw->cfg = cfg;
	fw->self = getpid();
	/*
	 * The mark reports the whole file system: a bounded queue (16384
	 * events) overflows with activity outside the trees, and every
	 * overflow costs a rescan.  Unlimited (CAP_SYS_ADMIN is needed
	 * anyway), events are lost only when the kernel runs out of memory
	 * for them, which still comes as FAN_Q_OVERFLOW.
	 */
	fw->fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK |
	    FAN_REPORT_DFID_NAME | FAN_UNLIMITED_QUEUE,
	    O_RDONLY | O_LARGEFILE | O_CLOEXEC);
	if (fw->fd == -1) {
		snprintf(why, why_size, "%s", init_failure(errno));
		fanotify_free((struct watcher *)fw);
		return NULL;
	}
	for (i = 0; i < cfg->paths.count; i++)
		if (mark_root(fw, cfg->paths.items[i], why, why_size) == -1) {
			fanotify_free((struct watcher *)fw);
			return NULL;
		}
	return (struct watcher *)fw;
}

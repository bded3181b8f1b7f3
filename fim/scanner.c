/*
 * Walking, comparing and reconciling; see scanner.h.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "../plugin/log.h"
#include "../plugin/timeutil.h"
#include "baseline.h"
#include "hash_pool.h"
#include "hasher.h"
#include "scanner.h"
#include "who_recent.h"

#define COMMIT_EVERY	4096		/* baseline changes per transaction */
#define EMIT_BYTES	(256 * 1024)	/* documents per batch */
/* How long fanotify's author of a path outlives the hold of its job. */
#define WHO_GRACE_MS	2000
/*
 * A directory's size, times and link count change with every entry made
 * or removed in it, which is reported for the entry itself; what is the
 * directory's own is who owns it and who may use it.
 */
#define DIR_OWN_ATTRS	((1u << FIM_ATTR_INODE) | (1u << FIM_ATTR_MODE) | \
			 (1u << FIM_ATTR_UID) | (1u << FIM_ATTR_GID) | \
			 (1u << FIM_ATTR_ACL) | (1u << FIM_ATTR_XATTRS))

/* The paths a job saw, as 64-bit hashes (open addressing, 0 = empty). */
struct seen_set {
	uint64_t	*slots;
	size_t		 cap, count;
};

/* A path first seen in this job: created, or the new name of a move. */
struct new_entry {
	uint64_t	 dev, ino;
	int64_t		 mtime_ns;
	char		*path;
	int		 moved;
	int		 initial;	/* under a root seen for the first time */
};

struct missing_entry {
	uint64_t	 dev, ino;
	int64_t		 mtime_ns;
	char		*path;
	long		 until_ms;	/* held for a new name until then */
};

struct scanner {
	const struct fim_config	*cfg;
	struct fim_hooks	 hooks;
	struct fim_counters	*counters;
	const atomic_int	*stop;
	struct baseline		*base;
	struct hash_pool	*pool;		/* NULL when nothing is hashed */
	struct fim_doc_writer	 writer;
	struct jw		 w;
	size_t			 ndocs;
	struct seen_set		 seen;
	struct who_recent	*recent;	/* fanotify's authors */
	struct new_entry	*news;
	size_t			 nnews, capnews;
	struct missing_entry	*missing;
	size_t			 nmissing, capmissing;
	/* Missing after a live job: deleted, or one half of a move whose
	 * other half comes in a later job. */
	struct missing_entry	*held;
	size_t			 nheld, capheld;
	int			 initial;	/* walking an unseen root */
	const char		*walk_root;	/* during baseline_under */
	const char		*root;		/* configured root being walked */
};

static uint64_t
path_key(const char *path)
{
	uint64_t h = XXH3_64bits(path, strlen(path));

	return h != 0 ? h : 1;
}

static int
seen_grow(struct seen_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 4096, i, j;
	uint64_t *slots = calloc(cap, sizeof(*slots));

	if (slots == NULL)
		return -1;
	for (i = 0; i < s->cap; i++) {
		if (s->slots[i] == 0)
			continue;
		for (j = s->slots[i] & (cap - 1); slots[j] != 0;
		    j = (j + 1) & (cap - 1))
			;
		slots[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

static void
seen_add(struct seen_set *s, const char *path)
{
	uint64_t k = path_key(path);
	size_t j;

	if ((s->count + 1) * 2 > s->cap && seen_grow(s) == -1)
		return;
	for (j = k & (s->cap - 1); s->slots[j] != 0; j = (j + 1) & (s->cap - 1))
		if (s->slots[j] == k)
			return;
	s->slots[j] = k;
	s->count++;
}

static int
seen_has(const struct seen_set *s, const char *path)
{
	uint64_t k = path_key(path);
	size_t j;

	if (s->cap == 0)
		return 0;
	for (j = k & (s->cap - 1); s->slots[j] != 0; j = (j + 1) & (s->cap - 1))
		if (s->slots[j] == k)
			return 1;
	return 0;
}

static void
seen_clear(struct seen_set *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

struct scanner *
scanner_new(const struct fim_config *cfg, const char *data_dir,
    const struct fim_hooks *hooks, struct fim_counters *counters,
    const atomic_int *stop, unsigned hash_threads)
{
	struct scanner *sc;

	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return NULL;
	sc->cfg = cfg;
	sc->hooks = *hooks;
	sc->counters = counters;
	sc->stop = stop;
	jw_init(&sc->w);
	if (fim_doc_writer_init(&sc->writer, data_dir) == -1 ||
	    (sc->recent = who_recent_new()) == NULL ||
	    (sc->base = baseline_open(cfg->state_path)) == NULL ||
	    (cfg->hash_mask != 0 && (sc->pool = hash_pool_new(hash_threads,
	    cfg, counters, stop)) == NULL)) {
		scanner_free(sc);
		return NULL;
	}
	return sc;
}

void
scanner_free(struct scanner *sc)
{
	if (sc == NULL)
		return;
	/* Before the baseline: a job still out is dropped unrecorded. */
	hash_pool_free(sc->pool);
	baseline_close(sc->base);
	who_recent_free(sc->recent);
	fim_doc_writer_release(&sc->writer);
	jw_release(&sc->w);
	seen_clear(&sc->seen);
	free(sc->news);
	free(sc->missing);
	while (sc->nheld > 0)
		free(sc->held[--sc->nheld].path);
	free(sc->held);
	free(sc);
}

/* Hand the documents written so far to the sink. */
static void
emit_flush(struct scanner *sc)
{
	if (sc->ndocs == 0)
		return;
	sc->hooks.emit(sc->hooks.ctx, sc->w.buf, sc->w.len, sc->ndocs);
	jw_init(&sc->w);
	sc->ndocs = 0;
}

/* Documents first, then the baseline that no longer reports them. */
static void
commit(struct scanner *sc)
{
	emit_flush(sc);
	baseline_commit(sc->base);
}

static void
maybe_commit(struct scanner *sc)
{
	if (sc->w.len >= EMIT_BYTES)
		emit_flush(sc);
	if (baseline_pending(sc->base) >= COMMIT_EVERY)
		commit(sc);
}

/*
 * The author of a change: the audit record of the same inode when it is
 * about the process fanotify saw (or fanotify saw none), as it carries
 * the kernel's own ids and names; otherwise the latest of the two.
 */
static const struct fim_who *
author(struct scanner *sc, const char *path, const struct file_state *fs,
    struct fim_who *audit)
{
	const struct fim_who *seen = who_recent_get(sc->recent, path,
	    monotonic_ms());
	int audited = sc->hooks.who != NULL &&
	    sc->hooks.who(sc->hooks.ctx, path, fs, audit);

	if (!audited)
		return seen;
	if (seen == NULL || seen->pid == audit->pid ||
	    audit->at_ms >= seen->at_ms)
		return audit;
	return seen;
}

static void
document(struct scanner *sc, const char *path, const struct file_state *fs,
    unsigned actions, const struct fim_changes *changes)
{
	struct fim_who audit;
	const struct fim_who *who = NULL;
	const char *note = NULL;
	char why[160];

	if (!(actions & FIM_ACT_INITIAL_SCAN))
		who = author(sc, path, fs, &audit);
	if (fs->flags & FS_TOO_LARGE)
		note = "larger than fim.max_file_size: not hashed";
	else if (fs->flags & FS_UNREADABLE) {
		snprintf(why, sizeof(why), "cannot be read: %s",
		    strerror(fs->read_errno ? fs->read_errno : EIO));
		note = why;
	}
	if (fim_document_write(&sc->writer, &sc->w, path, fs, actions,
	    changes, who, note) == -1) {
		log_warnx("fim: out of memory writing the document of %s",
		    path);
		jw_release(&sc->w);
		sc->ndocs = 0;
		return;
	}
	sc->ndocs++;
	if (!(actions & FIM_ACT_INITIAL_SCAN))
		atomic_fetch_add(&sc->counters->changes, 1);
}

void
scanner_notice(struct scanner *sc, const char *action, const char *path,
    const char *message)
{
	if (fim_notice_write(&sc->writer, &sc->w, action, path, message) == 0)
		sc->ndocs++;
	emit_flush(sc);
}

static int
add_new(struct scanner *sc, const char *path, const struct file_state *fs,
    int initial)
{
	struct new_entry *e;

	if (sc->nnews == sc->capnews) {
		size_t cap = sc->capnews ? sc->capnews * 2 : 256;

		if ((e = realloc(sc->news, cap * sizeof(*e))) == NULL)
			return -1;
		sc->news = e;
		sc->capnews = cap;
	}
	e = &sc->news[sc->nnews];
	if ((e->path = strdup(path)) == NULL)
		return -1;
	e->dev = fs->dev;
	e->ino = fs->ino;
	e->mtime_ns = fs->mtime_ns;
	e->moved = 0;
	e->initial = initial;
	sc->nnews++;
	return 0;
}

/*
 * The rest of a file's check, once its state is complete: what it is
 * now against what the baseline knew (old, when known).  initial: under
 * a root seen for the first time.
 */
static void
conclude(struct scanner *sc, const char *path, const struct file_state *old,
    int known, int initial, const struct file_state *now)
{
	struct fim_changes changes;

	seen_add(&sc->seen, path);
	if (!known) {
		/* Initial state needs no pairing with moves: report now. */
		if (initial && sc->cfg->initial_scan == FIM_INITIAL_STATE)
			document(sc, path, now, FIM_ACT_INITIAL_SCAN, NULL);
		else if (!initial && add_new(sc, path, now, initial) == -1)
			log_warnx("fim: out of memory: %s not reported", path);
		baseline_put(sc->base, path, now);
	} else if (!file_state_same(old, now)) {
		memset(&changes, 0, sizeof(changes));
		if (fim_compare(old, now, S_ISDIR(now->mode) ?
		    sc->cfg->attr_mask & DIR_OWN_ATTRS : sc->cfg->attr_mask,
		    &changes) > 0)
			document(sc, path, now, changes.actions, &changes);
		baseline_put(sc->base, path, now);
	}
	maybe_commit(sc);
}

/* A job back from the hashing threads. */
static void
conclude_job(struct scanner *sc, struct hash_job *job)
{
	if (!job->gone)		/* gone meanwhile: not seen */
		conclude(sc, job->path, &job->old, job->known, job->initial,
		    &job->now);
	free(job);
}

/* Conclude what the hashing threads have finished; with wait, all of it. */
static void
collect(struct scanner *sc, int wait)
{
	struct hash_job *job;

	if (sc->pool == NULL)
		return;
	while ((job = hash_pool_take(sc->pool, wait)) != NULL)
		conclude_job(sc, job);
}

/* Hand a regular file to the hashing threads; wait for room if needed. */
static void
hash_later(struct scanner *sc, const char *path, const struct file_state *old,
    int known, const struct file_state *now)
{
	struct hash_job *job;

	if ((job = hash_job_new(path)) == NULL) {
		log_warnx("fim: out of memory: %s not checked", path);
		return;
	}
	job->now = *now;
	if (known)
		job->old = *old;
	job->known = known;
	job->initial = sc->initial;
	collect(sc, 0);
	while (hash_pool_inflight(sc->pool) >= hash_pool_depth(sc->pool))
		conclude_job(sc, hash_pool_take(sc->pool, 1));
	hash_pool_put(sc->pool, job);
}

/* The baseline's hashes still hold when nothing about the content moved. */
static int
hashes_reusable(const struct file_state *old, const struct file_state *now,
    unsigned mask)
{
	return old->hashes.mask == mask && !(old->flags & FS_UNREADABLE) &&
	    old->dev == now->dev && old->ino == now->ino &&
	    old->size == now->size && old->mtime_ns == now->mtime_ns &&
	    old->ctime_ns == now->ctime_ns;
}

/*
 * One file (of any type) at path, as lstat saw it.  A regular file whose
 * contents must be read goes to the hashing threads and is concluded when
 * it comes back; anything else is concluded at once.
 */
static void
check_entry(struct scanner *sc, const char *path, const struct stat *st)
{
	struct file_state old, now;
	unsigned mask = sc->cfg->attr_mask;
	int known;

	atomic_fetch_add(&sc->counters->scanned, 1);
	if ((known = baseline_get(sc->base, path, &old)) == -1)
		return;
	file_state_from_stat(&now, st);
	if (S_ISREG(st->st_mode) && sc->pool != NULL) {
		if (!known || !hashes_reusable(&old, &now,
		    sc->cfg->hash_mask)) {
			hash_later(sc, path, &old, known, &now);
			return;
		}
		now.hashes = old.hashes;
	}
	file_state_read_xattrs(&now, path, mask & (1u << FIM_ATTR_ACL),
	    mask & (1u << FIM_ATTR_XATTRS));
	conclude(sc, path, &old, known, sc->initial, &now);
}

static void walk(struct scanner *, char *path, size_t len, dev_t dev);

/* path (len bytes in a PATH_MAX buffer) and, for a directory, below it. */
static void
visit(struct scanner *sc, char *path, size_t len, dev_t parent_dev)
{
	struct stat st;

	if (atomic_load(sc->stop))
		return;
	if (lstat(path, &st) == -1)
		return;
	if (!fim_config_wants(sc->cfg, path, S_ISDIR(st.st_mode)) ||
	    !fim_config_in_scope(sc->cfg, sc->root, path))
		return;
	check_entry(sc, path, &st);
	/* Stay on the file system: /proc below / is not a file to hash. */
	if (S_ISDIR(st.st_mode) && st.st_dev == parent_dev &&
	    (sc->cfg->recursive || strcmp(path, sc->root) == 0))
		walk(sc, path, len, st.st_dev);
}

static void
walk(struct scanner *sc, char *path, size_t len, dev_t dev)
{
	struct dirent *de;
	DIR *d;
	size_t n, base;

	if ((d = opendir(path)) == NULL) {
		if (errno != ENOENT && errno != ENOTDIR)
			log_warn("fim: cannot read directory %s", path);
		return;
	}
	while ((de = readdir(d)) != NULL && !atomic_load(sc->stop)) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n = strlen(de->d_name);
		base = len == 1 ? 0 : len;	/* below "/": no second slash */
		if (base + 1 + n >= PATH_MAX)
			continue;
		path[base] = '/';
		memcpy(path + base + 1, de->d_name, n + 1);
		visit(sc, path, base + 1 + n, dev);
		path[len] = '\0';
	}
	closedir(d);
}

static void
collect_missing(void *arg, const char *path, const struct file_state *fs)
{
	struct scanner *sc = arg;
	struct missing_entry *e;

	/* A long key's range may hold a neighbour with the same prefix. */
	if (strcmp(path, sc->walk_root) != 0 &&
	    !fim_path_under(path, sc->walk_root))
		return;
	if (seen_has(&sc->seen, path))
		return;
	if (sc->nmissing == sc->capmissing) {
		size_t cap = sc->capmissing ? sc->capmissing * 2 : 64;

		if ((e = realloc(sc->missing, cap * sizeof(*e))) == NULL)
			return;
		sc->missing = e;
		sc->capmissing = cap;
	}
	e = &sc->missing[sc->nmissing];
	if ((e->path = strdup(path)) == NULL)
		return;
	e->dev = fs->dev;
	e->ino = fs->ino;
	e->mtime_ns = fs->mtime_ns;
	sc->nmissing++;
}

/*
 * The new name of a missing file: the same inode, and the same mtime,
 * which a rename keeps, because a deleted file's inode number is soon
 * given to the next file created.
 */
static struct new_entry *
find_new(struct scanner *sc, const struct missing_entry *m)
{
	size_t i;

	for (i = 0; i < sc->nnews; i++)
		if (!sc->news[i].moved && sc->news[i].dev == m->dev &&
		    sc->news[i].ino == m->ino &&
		    sc->news[i].mtime_ns == m->mtime_ns)
			return &sc->news[i];
	return NULL;
}

static void
report_moved(struct scanner *sc, const char *from, const struct file_state *old,
    struct new_entry *to)
{
	struct fim_changes changes;
	struct file_state now;

	if (baseline_get(sc->base, to->path, &now) != 1)
		return;
	memset(&changes, 0, sizeof(changes));
	fim_changes_add_paths(&changes, from, to->path);
	(void)fim_compare(old, &now, sc->cfg->attr_mask, &changes);
	changes.actions |= FIM_ACT_MOVED;
	document(sc, to->path, &now, changes.actions, &changes);
	to->moved = 1;
}

static void
hold(struct scanner *sc, struct missing_entry *m, long until)
{
	struct missing_entry *e;
	size_t i;

	for (i = 0; i < sc->nheld; i++)
		if (strcmp(sc->held[i].path, m->path) == 0) {
			free(m->path);
			return;
		}
	if (sc->nheld == sc->capheld) {
		size_t cap = sc->capheld ? sc->capheld * 2 : 64;

		if ((e = realloc(sc->held, cap * sizeof(*e))) == NULL) {
			free(m->path);
			return;
		}
		sc->held = e;
		sc->capheld = cap;
	}
	m->until_ms = until;
	sc->held[sc->nheld++] = *m;
}

/* A held entry is settled: moved, deleted, or back where it was. */
static int
settle(struct scanner *sc, struct missing_entry *m, long now)
{
	struct file_state old;
	struct new_entry *to;
	struct stat st;

	if (seen_has(&sc->seen, m->path) ||
	    baseline_get(sc->base, m->path, &old) != 1)
		return 1;
	if ((to = find_new(sc, m)) != NULL)
		report_moved(sc, m->path, &old, to);
	else if (m->until_ms > now)
		return 0;
	else if (lstat(m->path, &st) == 0)
		return 1;	/* back again: the next event checks it */
	else
		document(sc, m->path, &old, FIM_ACT_DELETED, NULL);
	baseline_del(sc->base, m->path);
	return 1;
}

/*
 * Missing entries are moves or deletions; news left over are creations.
 * hold_ms > 0 keeps a missing entry that long for its new name to show
 * up (a directory checked while a file in it is being renamed).
 */
static void
reconcile(struct scanner *sc, long hold_ms)
{
	struct file_state now_state;
	long now = monotonic_ms();
	size_t i, kept = 0;

	for (i = 0; i < sc->nmissing; i++)
		hold(sc, &sc->missing[i], now + hold_ms);
	sc->nmissing = 0;
	for (i = 0; i < sc->nheld; i++) {
		if (settle(sc, &sc->held[i], now))
			free(sc->held[i].path);
		else
			sc->held[kept++] = sc->held[i];
		maybe_commit(sc);
	}
	sc->nheld = kept;
	for (i = 0; i < sc->nnews; i++) {
		struct new_entry *e = &sc->news[i];

		if (!e->moved && baseline_get(sc->base, e->path, &now_state) == 1)
			document(sc, e->path, &now_state, FIM_ACT_CREATED, NULL);
		free(e->path);
		maybe_commit(sc);
	}
	sc->nnews = 0;
}

long
scanner_hold_wait_ms(const struct scanner *sc)
{
	long next = -1, now = monotonic_ms();
	size_t i;

	for (i = 0; i < sc->nheld; i++)
		if (next == -1 || sc->held[i].until_ms < next)
			next = sc->held[i].until_ms;
	if (next == -1)
		return -1;
	return next > now ? next - now : 0;
}

/*
 * Whether path (below root) is where the scan of root does
 * not go: its directory is on another file system than root.  *dev gets
 * root's device, which visit() stays on.
 */
static int
below_other_mount(const char *root, char *path, dev_t *dev)
{
	struct stat st;
	char *slash = strrchr(path, '/');
	int other;

	if (lstat(root, &st) == -1) {
		*dev = 0;	/* gone: what was below it is missing */
		return 0;
	}
	*dev = st.st_dev;
	if (slash == NULL || slash == path)
		return 0;
	*slash = '\0';
	other = lstat(path, &st) == 0 && st.st_dev != *dev;
	*slash = '/';
	return other;
}

/* One path of a job: walk it, then note what under it is gone. */
static void
run_path(struct scanner *sc, const char *job_path, int start)
{
	char path[PATH_MAX];
	struct file_state root_state;
	struct stat st;
	size_t len = strlen(job_path);
	dev_t dev;

	if (len >= sizeof(path) || (sc->root = fim_config_root_of(sc->cfg,
	    job_path)) == NULL ||
	    !fim_config_in_scope(sc->cfg, sc->root, job_path))
		return;
	memcpy(path, job_path, len + 1);
	if (strcmp(job_path, sc->root) == 0)
		/* Its own device, so visit() walks into path. */
		dev = lstat(path, &st) == 0 ? st.st_dev : 0;
	else if (below_other_mount(sc->root, path, &dev))
		return;
	sc->initial = start && strcmp(job_path, sc->root) == 0 &&
	    baseline_get(sc->base, sc->root, &root_state) == 0;
	visit(sc, path, len, dev);
	/* Every file of the walk concluded before what is missing. */
	collect(sc, 1);
	/* A first walk cut short: the next scan of the root is a first too. */
	if (sc->initial && atomic_load(sc->stop))
		baseline_del(sc->base, sc->root);
	sc->initial = 0;
	sc->walk_root = job_path;
	if (!atomic_load(sc->stop))
		baseline_under(sc->base, job_path, collect_missing, sc);
}

/* fanotify's authors of this job's paths, for as long as they may count. */
static void
remember_authors(struct scanner *sc, const struct fim_target *targets,
    size_t n, long hold_ms)
{
	long now = monotonic_ms();
	size_t i;

	for (i = 0; i < n; i++)
		if (targets[i].who != NULL)
			who_recent_put(sc->recent, targets[i].path,
			    targets[i].who, now, now + hold_ms + WHO_GRACE_MS);
}

int
scanner_run(struct scanner *sc, const struct fim_target *targets, size_t n,
    int start, long hold_ms)
{
	size_t i;

	remember_authors(sc, targets, n, hold_ms);
	for (i = 0; i < n && !atomic_load(sc->stop); i++)
		run_path(sc, targets[i].path, start);
	if (atomic_load(sc->stop)) {
		/* What was seen is consistent; what was not stays known. */
		for (i = 0; i < sc->nmissing; i++)
			free(sc->missing[i].path);
		sc->nmissing = 0;
	}
	reconcile(sc, hold_ms);
	commit(sc);
	baseline_sync(sc->base);
	seen_clear(&sc->seen);
	return atomic_load(sc->stop) ? -1 : 0;
}

/*
 * The baseline in LMDB; see baseline.h.
 *
 * A record is a fixed header (the file_state without its hashes), the
 * mask of the digests it holds and the digests packed one after another,
 * so a record with one sha256 is about 130 bytes.  LMDB keys are limited
 * (511 bytes): a longer path is stored under its first KEY_KEEP bytes and
 * a hash of the whole, and its full text is kept in the record, so prefix
 * ranges still hold every path below a directory.
 *
 * Durability: the environment is opened with MDB_NOMETASYNC, so a commit
 * flushes the data pages but not the meta page that points at them, and
 * baseline_sync() flushes that at the end of every job.  A system crash
 * can undo the transactions committed since the last sync (the data
 * stays consistent, LMDB's meta pages alternate), which only makes the
 * next scan report their changes again; MDB_NOSYNC would save the data
 * flush too but could leave a torn database after a crash, so it is not
 * used.
 */
#include "config.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "../common/log.h"
#include "baseline.h"

#define MAP_SIZE	(16ULL << 30)	/* address space, not disk */
#define KEY_MAX		480
#define KEY_KEEP	440
#define RECORD_VERSION	1

struct record_header {
	uint32_t	version;
	uint32_t	flags;
	uint32_t	mode, uid, gid;
	uint32_t	hash_mask;
	uint64_t	dev, ino, nlink;
	int64_t		size, blocks, mtime_ns, ctime_ns;
	unsigned char	acl_digest[ATTR_DIGEST_LEN];
	unsigned char	xattr_digest[ATTR_DIGEST_LEN];
	uint32_t	long_path_len;	/* path follows the digests */
	/* Why FS_UNREADABLE, for a document written from the record (a
	 * creation is reported after the job's walk); 0 in older records. */
	uint32_t	read_errno;
};

_Static_assert(sizeof(struct record_header) <= BASELINE_HEADER_ROOM,
    "BASELINE_RECORD_MAX must make room for the record header");

struct baseline {
	MDB_env		*env;
	MDB_dbi		 dbi;
	MDB_txn		*txn;
	size_t		 pending;
	int		 unsynced;	/* commits since the last sync */
	int		 failing;	/* a put or del failed since a commit */
};

static void
lmdb_warn(const char *what, int rc)
{
	log_warnx("fim baseline: %s: %s", what, mdb_strerror(rc));
}

/*
 * A failed put or del leaves LMDB's transaction unusable: it is aborted
 * (its changes since the last commit are lost, so a later check reports
 * them again; their documents are written all the same) and the next
 * call begins another.  A full map is made larger first.
 */
static void
txn_failed(struct baseline *b, const char *what, int rc)
{
	MDB_envinfo info;
	size_t size;

	mdb_txn_abort(b->txn);
	b->txn = NULL;
	b->pending = 0;
	if (rc == MDB_MAP_FULL && mdb_env_info(b->env, &info) == 0 &&
	    (size = info.me_mapsize * 2) > info.me_mapsize &&
	    (rc = mdb_env_set_mapsize(b->env, size)) == 0) {
		log_warnx("fim baseline: %s: the map is full: grown to %zu "
		    "MiB; the changes of the last transaction are reported "
		    "again by a later check", what, size >> 20);
		return;
	}
	/* Once until a commit succeeds: a broken store fails every time. */
	if (!b->failing)
		log_warnx("fim baseline: %s: %s; the changes of the last "
		    "transaction are reported again by a later check", what,
		    mdb_strerror(rc));
	b->failing = 1;
}

struct baseline *
baseline_open(const char *dir)
{
	struct baseline *b;
	MDB_txn *txn;
	int rc;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warn("fim baseline: cannot create %s", dir);
		return NULL;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	if ((rc = mdb_env_create(&b->env)) != 0 ||
	    (rc = mdb_env_set_mapsize(b->env, MAP_SIZE)) != 0 ||
	    (rc = mdb_env_open(b->env, dir, MDB_NOTLS |
	    MDB_NOMETASYNC, 0600)) != 0 ||
	    (rc = mdb_txn_begin(b->env, NULL, 0, &txn)) != 0) {
		lmdb_warn(dir, rc);
		if (b->env != NULL)
			mdb_env_close(b->env);
		free(b);
		return NULL;
	}
	if ((rc = mdb_dbi_open(txn, NULL, 0, &b->dbi)) != 0 ||
	    (rc = mdb_txn_commit(txn)) != 0) {
		lmdb_warn(dir, rc);
		mdb_env_close(b->env);
		free(b);
		return NULL;
	}
	return b;
}

void
baseline_close(struct baseline *b)
{
	if (b == NULL)
		return;
	if (b->txn != NULL)
		baseline_commit(b);
	baseline_sync(b);
	mdb_env_close(b->env);
	free(b);
}

int
baseline_begin(struct baseline *b)
{
	int rc;

	if (b->txn != NULL)
		return 0;
	if ((rc = mdb_txn_begin(b->env, NULL, 0, &b->txn)) != 0) {
		lmdb_warn("begin", rc);
		b->txn = NULL;
		return -1;
	}
	b->pending = 0;
	return 0;
}

int
baseline_commit(struct baseline *b)
{
	int rc;

	if (b->txn == NULL)
		return 0;
	rc = mdb_txn_commit(b->txn);
	b->txn = NULL;
	if (b->pending > 0)
		b->unsynced = 1;
	b->pending = 0;
	if (rc != 0) {
		lmdb_warn("commit", rc);
		return -1;
	}
	b->failing = 0;
	return 0;
}

int
baseline_sync(struct baseline *b)
{
	int rc;

	if (!b->unsynced)
		return 0;
	b->unsynced = 0;
	if ((rc = mdb_env_sync(b->env, 1)) != 0) {
		lmdb_warn("sync", rc);
		return -1;
	}
	return 0;
}

size_t
baseline_pending(const struct baseline *b)
{
	return b->pending;
}

/* The key of path into buf (KEY_MAX + 1 bytes); its length. */
static size_t
make_key(const char *path, char *buf)
{
	size_t n = strlen(path);

	if (n <= KEY_MAX) {
		memcpy(buf, path, n);
		return n;
	}
	memcpy(buf, path, KEY_KEEP);
	return KEY_KEEP + (size_t)snprintf(buf + KEY_KEEP, KEY_MAX + 1 -
	    KEY_KEEP, "\x01%016llx", (unsigned long long)XXH64(path, n, 0));
}

/*
 * Well-formed: as long as its header says, with a long path that fits
 * the path buffers (baseline_put stores at most BASELINE_PATH_MAX bytes);
 * an old, torn or made-up record is not.
 */
static int
valid_record(const unsigned char *data, size_t len)
{
	struct record_header h;
	size_t need = sizeof(h), i;

	if (len < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	if (h.version != RECORD_VERSION ||
	    h.long_path_len > BASELINE_PATH_MAX)
		return 0;
	for (i = 0; i < hash_algo_count; i++)
		if (h.hash_mask & (1u << i))
			need += hash_algos[i].digest_len;
	return len == need + h.long_path_len;
}

int
baseline_record_decode(const void *data, size_t len, struct file_state *fs,
    const char **long_path, size_t *long_len)
{
	struct record_header h;
	const unsigned char *p = (const unsigned char *)data + sizeof(h);
	size_t i;

	if (!valid_record(data, len))
		return 0;
	memcpy(&h, data, sizeof(h));
	memset(fs, 0, sizeof(*fs));
	fs->flags = h.flags;
	fs->mode = h.mode;
	fs->uid = h.uid;
	fs->gid = h.gid;
	fs->dev = h.dev;
	fs->ino = h.ino;
	fs->nlink = h.nlink;
	fs->size = h.size;
	fs->blocks = h.blocks;
	fs->mtime_ns = h.mtime_ns;
	fs->ctime_ns = h.ctime_ns;
	fs->read_errno = (int)h.read_errno;
	memcpy(fs->acl_digest, h.acl_digest, ATTR_DIGEST_LEN);
	memcpy(fs->xattr_digest, h.xattr_digest, ATTR_DIGEST_LEN);
	fs->hashes.mask = h.hash_mask;
	for (i = 0; i < hash_algo_count; i++)
		if (h.hash_mask & (1u << i)) {
			memcpy(fs->hashes.d[i], p, hash_algos[i].digest_len);
			p += hash_algos[i].digest_len;
		}
	if (long_path != NULL) {
		*long_path = h.long_path_len ? (const char *)p : NULL;
		*long_len = h.long_path_len;
	}
	return 1;
}

size_t
baseline_record_encode(const char *path, const struct file_state *fs,
    unsigned char buf[BASELINE_RECORD_MAX])
{
	struct record_header h;
	size_t i, n = sizeof(h), plen = strlen(path);

	memset(&h, 0, sizeof(h));
	h.version = RECORD_VERSION;
	h.flags = fs->flags;
	h.mode = fs->mode;
	h.uid = fs->uid;
	h.gid = fs->gid;
	h.hash_mask = fs->hashes.mask;
	h.dev = fs->dev;
	h.ino = fs->ino;
	h.nlink = fs->nlink;
	h.size = fs->size;
	h.blocks = fs->blocks;
	h.mtime_ns = fs->mtime_ns;
	h.ctime_ns = fs->ctime_ns;
	h.read_errno = fs->read_errno > 0 ? (uint32_t)fs->read_errno : 0;
	memcpy(h.acl_digest, fs->acl_digest, ATTR_DIGEST_LEN);
	memcpy(h.xattr_digest, fs->xattr_digest, ATTR_DIGEST_LEN);
	h.long_path_len = plen > KEY_MAX && plen <= BASELINE_PATH_MAX ?
	    (uint32_t)plen : 0;
	memcpy(buf, &h, sizeof(h));
	for (i = 0; i < hash_algo_count; i++)
		if (fs->hashes.mask & (1u << i)) {
			memcpy(buf + n, fs->hashes.d[i],
			    hash_algos[i].digest_len);
			n += hash_algos[i].digest_len;
		}
	memcpy(buf + n, path, h.long_path_len);
	return n + h.long_path_len;
}

int
baseline_get(struct baseline *b, const char *path, struct file_state *fs)
{
	char key[KEY_MAX + 1];
	MDB_val k, v;
	int rc;

	if (baseline_begin(b) == -1)
		return -1;
	k.mv_size = make_key(path, key);
	k.mv_data = key;
	if ((rc = mdb_get(b->txn, b->dbi, &k, &v)) == MDB_NOTFOUND)
		return 0;
	if (rc != 0) {
		lmdb_warn("get", rc);
		return -1;
	}
	return baseline_record_decode(v.mv_data, v.mv_size, fs, NULL, NULL);
}

int
baseline_put(struct baseline *b, const char *path, const struct file_state *fs)
{
	unsigned char buf[BASELINE_RECORD_MAX];
	char key[KEY_MAX + 1];
	MDB_val k, v;
	int rc;

	if (baseline_begin(b) == -1)
		return -1;
	k.mv_size = make_key(path, key);
	k.mv_data = key;
	v.mv_size = baseline_record_encode(path, fs, buf);
	v.mv_data = buf;
	if ((rc = mdb_put(b->txn, b->dbi, &k, &v, 0)) != 0) {
		txn_failed(b, "put", rc);
		return -1;
	}
	b->pending++;
	return 0;
}

int
baseline_del(struct baseline *b, const char *path)
{
	char key[KEY_MAX + 1];
	MDB_val k;
	int rc;

	if (baseline_begin(b) == -1)
		return -1;
	k.mv_size = make_key(path, key);
	k.mv_data = key;
	rc = mdb_del(b->txn, b->dbi, &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		txn_failed(b, "del", rc);
		return -1;
	}
	b->pending++;
	return 0;
}

/* Calls fn for each key starting with prefix (the key text is the path). */
static int
each_with_prefix(struct baseline *b, MDB_cursor *c, const char *prefix,
    size_t plen, int exact,
    void (*fn)(void *, const char *, const struct file_state *), void *ctx)
{
	char path[BASELINE_PATH_MAX + 1];
	struct file_state fs;
	const char *long_path;
	size_t long_len, n;
	MDB_val k, v;
	int rc;

	k.mv_size = plen;
	k.mv_data = (void *)prefix;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		if (exact && k.mv_size != plen)
			break;
		if (!baseline_record_decode(v.mv_data, v.mv_size, &fs,
		    &long_path, &long_len))
			continue;
		if (long_path != NULL) {
			memcpy(path, long_path, long_len);
			path[long_len] = '\0';
		} else {
			n = k.mv_size < sizeof(path) - 1 ? k.mv_size :
			    sizeof(path) - 1;
			memcpy(path, k.mv_data, n);
			path[n] = '\0';
		}
		fn(ctx, path, &fs);
	}
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : -1;
}

int
baseline_under(struct baseline *b, const char *dir,
    void (*fn)(void *, const char *, const struct file_state *), void *ctx)
{
	char prefix[KEY_MAX + 2];
	MDB_cursor *c;
	size_t n = strlen(dir);
	int rc;

	if (baseline_begin(b) == -1)
		return -1;
	if ((rc = mdb_cursor_open(b->txn, b->dbi, &c)) != 0) {
		lmdb_warn("cursor", rc);
		return -1;
	}
	if (n >= KEY_KEEP) {
		/*
		 * The keys of dir and of what is below it may be long keys,
		 * which hold only the first KEY_KEEP bytes of the path: all
		 * of them start with those of dir, as do neighbours ("dir.x"),
		 * which fn must tell apart (by the full path it is given).
		 */
		rc = each_with_prefix(b, c, dir, KEY_KEEP, 0, fn, ctx);
		mdb_cursor_close(c);
		return rc;
	}
	/*
	 * dir itself, then "dir/..." ("dir.x" sorts between the two).  The
	 * root's range "/..." holds the root itself, which is not handed
	 * out twice.
	 */
	rc = 0;
	memcpy(prefix, dir, n);
	if (!(n == 1 && dir[0] == '/')) {
		rc = each_with_prefix(b, c, dir, n, 1, fn, ctx);
		prefix[n++] = '/';
	}
	rc |= each_with_prefix(b, c, prefix, n, 0, fn, ctx);
	mdb_cursor_close(c);
	return rc;
}

size_t
baseline_count(struct baseline *b)
{
	MDB_stat st;

	if (baseline_begin(b) == -1 ||
	    mdb_stat(b->txn, b->dbi, &st) != 0)
		return 0;
	return st.ms_entries;
}

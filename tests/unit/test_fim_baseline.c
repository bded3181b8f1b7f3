/*
 * Unit tests for the LMDB baseline (fim/baseline.c): a state put is got
 * back whole and a deleted one is gone; baseline_under() hands out a
 * directory and what is below it but not its neighbours, for paths too
 * long for an LMDB key too; a commit survives closing and reopening; and
 * a put that fails loses its own transaction only, the next one working
 * (with a full map grown first).
 *
 * Failures are injected by wrapping mdb_put() and mdb_env_set_mapsize()
 * at link time (see Makefile.am): a real full map needs gigabytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "fim/baseline.h"
#include "fim/hash_algo.h"

/* As baseline.c: paths longer than KEY_MAX are keyed by KEY_KEEP bytes. */
#define KEY_MAX		480
#define KEY_KEEP	440

int	__real_mdb_put(MDB_txn *, MDB_dbi, MDB_val *, MDB_val *, unsigned);
int	__wrap_mdb_put(MDB_txn *, MDB_dbi, MDB_val *, MDB_val *, unsigned);
int	__real_mdb_env_set_mapsize(MDB_env *, size_t);
int	__wrap_mdb_env_set_mapsize(MDB_env *, size_t);

static int	put_fails;	/* the next mdb_put() returns this */
static size_t	last_mapsize;

int
__wrap_mdb_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v,
    unsigned flags)
{
	int rc = put_fails;

	if (rc != 0) {
		put_fails = 0;
		return rc;
	}
	return __real_mdb_put(txn, dbi, k, v, flags);
}

int
__wrap_mdb_env_set_mapsize(MDB_env *env, size_t size)
{
	last_mapsize = size;
	return __real_mdb_env_set_mapsize(env, size);
}

struct fixture {
	char	 dir[64];
	char	 store[80];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_fim_baseline.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	/* baseline_open() makes the directory itself. */
	snprintf(f->store, sizeof(f->store), "%s/state", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if ((d = opendir(f->store)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if (snprintf(path, sizeof(path), "%s/%s", f->store,
			    de->d_name) < (int)sizeof(path))
				unlink(path);
		}
		closedir(d);
	}
	rmdir(f->store);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A state telling itself apart by seed, with a sha256 if known. */
static void
state_of(struct file_state *fs, int seed)
{
	int a = hash_algo_find("sha256");

	memset(fs, 0, sizeof(*fs));
	fs->flags = FS_HAS_ACL;
	fs->mode = 0100644;
	fs->dev = 0x801;
	fs->ino = 1000 + (uint64_t)seed;
	fs->uid = 1;
	fs->gid = 2;
	fs->nlink = 1;
	fs->size = 4096 + seed;
	fs->blocks = 8;
	fs->mtime_ns = 1700000000123456789LL + seed;
	fs->ctime_ns = 1700000000987654321LL + seed;
	memset(fs->acl_digest, 0xa0 + seed, ATTR_DIGEST_LEN);
	if (a >= 0) {
		fs->hashes.mask = 1u << a;
		memset(fs->hashes.d[a], 0x30 + seed, HASH_MAX_DIGEST);
		memset(fs->hashes.d[a] + hash_algos[a].digest_len, 0,
		    HASH_MAX_DIGEST - hash_algos[a].digest_len);
	}
}

/* fs as got back: the digest bytes beyond the algorithm's length are 0. */
static void
assert_state_equal(const struct file_state *a, const struct file_state *b)
{
	assert_memory_equal(a, b, sizeof(*a));
}

/* Stores the state of seed (state_of) for path. */
static void
put_seeded(struct baseline *b, const char *path, int seed)
{
	struct file_state fs;

	state_of(&fs, seed);
	assert_int_equal(baseline_put(b, path, &fs), 0);
}

/* The baseline holds the state of seed for path. */
static void
assert_seeded(struct baseline *b, const char *path, int seed)
{
	struct file_state want, got;

	state_of(&want, seed);
	assert_int_equal(baseline_get(b, path, &got), 1);
	assert_state_equal(&want, &got);
}

static void
test_put_get_del(void **state)
{
	struct fixture *f = *state;
	struct file_state in, out;
	struct baseline *b;

	assert_non_null(b = baseline_open(f->store));
	assert_int_equal(baseline_count(b), 0);
	assert_int_equal(baseline_get(b, "/etc/passwd", &out), 0);

	state_of(&in, 1);
	assert_int_equal(baseline_put(b, "/etc/passwd", &in), 0);
	assert_int_equal(baseline_pending(b), 1);
	assert_int_equal(baseline_get(b, "/etc/passwd", &out), 1);
	assert_state_equal(&in, &out);

	/* Unreadable: its reason is kept with it. */
	state_of(&in, 2);
	in.flags = FS_UNREADABLE;
	in.read_errno = 13;
	in.hashes.mask = 0;
	memset(in.hashes.d, 0, sizeof(in.hashes.d));
	assert_int_equal(baseline_put(b, "/etc/passwd", &in), 0);
	assert_int_equal(baseline_get(b, "/etc/passwd", &out), 1);
	assert_state_equal(&in, &out);
	assert_int_equal(baseline_count(b), 1);

	assert_int_equal(baseline_del(b, "/etc/passwd"), 0);
	assert_int_equal(baseline_get(b, "/etc/passwd", &out), 0);
	/* Deleting what is not there is no error. */
	assert_int_equal(baseline_del(b, "/etc/passwd"), 0);
	assert_int_equal(baseline_del(b, "/nowhere"), 0);
	assert_int_equal(baseline_count(b), 0);

	assert_int_equal(baseline_commit(b), 0);
	assert_int_equal(baseline_pending(b), 0);
	/* Nothing open: committing again is a no-op. */
	assert_int_equal(baseline_commit(b), 0);
	assert_int_equal(baseline_sync(b), 0);
	baseline_close(b);
}

static void
test_reopen(void **state)
{
	struct fixture *f = *state;
	struct file_state a, c, out;
	struct baseline *b;

	state_of(&a, 1);
	state_of(&c, 3);
	assert_non_null(b = baseline_open(f->store));
	assert_int_equal(baseline_put(b, "/a", &a), 0);
	assert_int_equal(baseline_put(b, "/b", &a), 0);
	assert_int_equal(baseline_commit(b), 0);
	assert_int_equal(baseline_sync(b), 0);
	assert_int_equal(baseline_del(b, "/b"), 0);
	assert_int_equal(baseline_put(b, "/c", &c), 0);
	assert_int_equal(baseline_commit(b), 0);
	baseline_close(b);

	assert_non_null(b = baseline_open(f->store));
	assert_int_equal(baseline_count(b), 2);
	assert_int_equal(baseline_get(b, "/a", &out), 1);
	assert_state_equal(&a, &out);
	assert_int_equal(baseline_get(b, "/b", &out), 0);
	assert_int_equal(baseline_get(b, "/c", &out), 1);
	assert_state_equal(&c, &out);

	/* An open transaction is committed by baseline_close(). */
	assert_int_equal(baseline_put(b, "/d", &c), 0);
	baseline_close(b);
	assert_non_null(b = baseline_open(f->store));
	assert_int_equal(baseline_get(b, "/d", &out), 1);
	assert_int_equal(baseline_count(b), 3);
	baseline_close(b);

	baseline_close(NULL);
}

/* What baseline_under() handed out, in order. */
struct seen {
	char	*paths[32];
	int64_t	 sizes[32];
	size_t	 n;
};

static void
collect(void *arg, const char *path, const struct file_state *fs)
{
	struct seen *s = arg;

	assert_true(s->n < 32);
	assert_non_null(s->paths[s->n] = strdup(path));
	s->sizes[s->n++] = fs->size;
}

static void
seen_free(struct seen *s)
{
	while (s->n > 0)
		free(s->paths[--s->n]);
}

static void
test_under(void **state)
{
	static const char *paths[] = {
		"/etc", "/etc.d", "/etc.d/x", "/etc/a", "/etc/b/c", "/etcx",
		"/et", "/usr/bin/ls",
	};
	struct fixture *f = *state;
	struct file_state fs;
	struct baseline *b;
	struct seen s = { .n = 0 };
	size_t i;

	assert_non_null(b = baseline_open(f->store));
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		state_of(&fs, (int)i);
		assert_int_equal(baseline_put(b, paths[i], &fs), 0);
	}

	/* "/etc" itself first, then below it; not "/etc.d" nor "/etcx". */
	assert_int_equal(baseline_under(b, "/etc", collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.paths[0], "/etc");
	assert_string_equal(s.paths[1], "/etc/a");
	assert_string_equal(s.paths[2], "/etc/b/c");
	assert_int_equal(s.sizes[1], 4096 + 3);
	seen_free(&s);

	/* A file is a directory with nothing below it. */
	assert_int_equal(baseline_under(b, "/etc/a", collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "/etc/a");
	seen_free(&s);

	/* Not in the baseline, with something below it. */
	assert_int_equal(baseline_under(b, "/usr", collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "/usr/bin/ls");
	seen_free(&s);

	assert_int_equal(baseline_under(b, "/var", collect, &s), 0);
	assert_int_equal(s.n, 0);

	/* The root holds everything, each path once. */
	assert_int_equal(baseline_put(b, "/", &fs), 0);
	assert_int_equal(baseline_under(b, "/", collect, &s), 0);
	assert_int_equal(s.n, sizeof(paths) / sizeof(paths[0]) + 1);
	assert_string_equal(s.paths[0], "/");
	for (i = 1; i < s.n; i++)
		assert_true(strcmp(s.paths[i - 1], s.paths[i]) < 0);
	seen_free(&s);
	baseline_close(b);
}

/* "/" then components of 'd' up to n bytes, ending in no slash. */
static void
long_dir(char *buf, size_t n)
{
	size_t i;

	buf[0] = '/';
	for (i = 1; i < n; i++)
		buf[i] = i % 64 == 0 ? '/' : 'd';
	buf[n - 1] = 'd';
	buf[n] = '\0';
}

static int
seen_has(const struct seen *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->paths[i], path) == 0)
			return 1;
	return 0;
}

/* Paths of KEY_KEEP bytes and more: kept whole, found by prefix. */
static void
test_long_paths(void **state)
{
	struct fixture *f = *state;
	char dir[1200], a[1300], c[1300], twin[1300], mid[1300], huge[4200];
	struct file_state out;
	struct baseline *b;
	struct seen s = { .n = 0 };
	size_t i;

	/* dir is longer than KEY_KEEP: every path below it is a long key. */
	long_dir(dir, KEY_KEEP + 20);
	snprintf(a, sizeof(a), "%s/%0600d", dir, 1);
	snprintf(c, sizeof(c), "%s/%0600d", dir, 2);
	/* Same first KEY_KEEP bytes as a and c, not below dir. */
	snprintf(twin, sizeof(twin), "%s.x/%0600d", dir, 1);
	/* Between KEY_KEEP and KEY_MAX: a plain key. */
	long_dir(mid, KEY_MAX - 10);
	for (i = 0; i < sizeof(huge) - 1; i++)
		huge[i] = i % 200 == 0 ? '/' : 'h';
	huge[4095] = '\0';

	assert_non_null(b = baseline_open(f->store));
	put_seeded(b, dir, 1);
	put_seeded(b, a, 2);
	put_seeded(b, c, 3);
	put_seeded(b, twin, 4);
	put_seeded(b, mid, 5);
	put_seeded(b, huge, 6);
	assert_int_equal(baseline_count(b), 6);
	assert_int_equal(baseline_commit(b), 0);
	baseline_close(b);

	assert_non_null(b = baseline_open(f->store));
	/* Sharing a key prefix, a and c are still two entries. */
	assert_seeded(b, a, 2);
	assert_seeded(b, c, 3);
	assert_seeded(b, mid, 5);
	assert_seeded(b, huge, 6);

	/* Below the long dir: whole paths, the neighbour among them. */
	assert_int_equal(baseline_under(b, dir, collect, &s), 0);
	assert_true(seen_has(&s, dir));
	assert_true(seen_has(&s, a));
	assert_true(seen_has(&s, c));
	assert_false(seen_has(&s, huge));
	/* Any other shares the key prefix (twin and mid do), each once. */
	for (i = 0; i < s.n; i++) {
		assert_memory_equal(s.paths[i], dir, KEY_KEEP);
		if (i > 0)
			assert_string_not_equal(s.paths[i - 1], s.paths[i]);
	}
	assert_true(s.n <= 5);
	seen_free(&s);

	/* A short dir above long paths: all of them, whole. */
	dir[64] = '\0';
	assert_int_equal(baseline_under(b, dir, collect, &s), 0);
	assert_int_equal(s.n, 5);
	dir[64] = '/';
	assert_true(seen_has(&s, dir));
	assert_true(seen_has(&s, a));
	assert_true(seen_has(&s, c));
	assert_true(seen_has(&s, twin));
	assert_true(seen_has(&s, mid));
	seen_free(&s);

	/* The same key prefix, deleted one at a time. */
	assert_int_equal(baseline_del(b, a), 0);
	assert_int_equal(baseline_get(b, a, &out), 0);
	assert_int_equal(baseline_get(b, c, &out), 1);
	assert_int_equal(baseline_get(b, twin, &out), 1);
	baseline_close(b);
}

static void
test_failed_put(void **state)
{
	struct fixture *f = *state;
	struct file_state fs, out;
	struct baseline *b;

	state_of(&fs, 1);
	assert_non_null(b = baseline_open(f->store));
	assert_int_equal(baseline_put(b, "/kept", &fs), 0);
	assert_int_equal(baseline_commit(b), 0);

	/* The failure loses its transaction: /lost goes with it. */
	assert_int_equal(baseline_put(b, "/lost", &fs), 0);
	put_fails = MDB_BAD_TXN;
	assert_int_equal(baseline_put(b, "/failed", &fs), -1);
	assert_int_equal(baseline_pending(b), 0);
	assert_int_equal(baseline_get(b, "/lost", &out), 0);
	assert_int_equal(baseline_get(b, "/failed", &out), 0);

	/* The next call begins another, which works and commits. */
	assert_int_equal(baseline_put(b, "/after", &fs), 0);
	assert_int_equal(baseline_commit(b), 0);
	baseline_close(b);

	assert_non_null(b = baseline_open(f->store));
	assert_int_equal(baseline_get(b, "/kept", &out), 1);
	assert_int_equal(baseline_get(b, "/after", &out), 1);
	assert_int_equal(baseline_get(b, "/lost", &out), 0);
	assert_int_equal(baseline_count(b), 2);
	baseline_close(b);
}

static void
test_map_full(void **state)
{
	struct fixture *f = *state;
	struct file_state fs, out;
	struct baseline *b;
	size_t first;

	state_of(&fs, 1);
	last_mapsize = 0;
	assert_non_null(b = baseline_open(f->store));
	assert_true((first = last_mapsize) > 0);

	put_fails = MDB_MAP_FULL;
	assert_int_equal(baseline_put(b, "/full", &fs), -1);
	assert_int_equal(last_mapsize, first * 2);
	assert_int_equal(baseline_put(b, "/full", &fs), 0);
	assert_int_equal(baseline_commit(b), 0);
	assert_int_equal(baseline_get(b, "/full", &out), 1);
	baseline_close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_get_del, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_under, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_paths, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_failed_put, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_map_full, setup,
		    teardown),
	};

	/* The failures injected are warned about; keep the output quiet. */
	log_set_level(LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

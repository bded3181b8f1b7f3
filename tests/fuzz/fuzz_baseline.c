/*
 * The FIM baseline reader (fim/baseline.h): the records LMDB hands back,
 * which may come from an older version, a torn write or anyone who could
 * write the store.
 *
 * Input: one byte choosing the mode (its lowest bit), then
 *   0: one record, decoded with baseline_record_decode; one that decodes
 *      must encode again to the same bytes (encode, decode, encode);
 *   1: entries written straight into an LMDB store, then read through
 *      the baseline as the scanner reads it (baseline_under from the
 *      root and from the first key, baseline_get of every key,
 *      baseline_count).  Each entry: one byte (bit 0: a well-formed
 *      record made by baseline_record_encode, else raw bytes), the key
 *      (two bytes of length, little-endian, then the bytes), then for a
 *      raw value two bytes of length and the bytes, or for a made one:
 *      its hash mask, mode and flags bytes.
 */
#include "config.h"

#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fim/baseline.h"
#include "harness.h"

#define MAX_ENTRIES	32
#define MAX_KEY		511	/* LMDB's default key size limit */

static volatile unsigned char sink;

struct entry {
	char	 key[MAX_KEY + 1];
	size_t	 keylen;
};

static void
touch(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		sink ^= b[i];
}

static void
check_roundtrip(const char *path, const struct file_state *fs)
{
	static unsigned char first[BASELINE_RECORD_MAX], again[BASELINE_RECORD_MAX];
	struct file_state fs2;
	size_t n1, n2;

	n1 = baseline_record_encode(path, fs, first);
	if (!baseline_record_decode(first, n1, &fs2, NULL, NULL))
		abort();	/* what we write, we must read */
	n2 = baseline_record_encode(path, &fs2, again);
	if (n1 != n2 || memcmp(first, again, n1) != 0)
		abort();
}

static void
fuzz_record(const uint8_t *data, size_t size)
{
	char path[BASELINE_PATH_MAX + 1];
	const char *long_path;
	struct file_state fs;
	size_t long_len;

	if (!baseline_record_decode(data, size, &fs, &long_path, &long_len))
		return;
	if (long_path == NULL) {
		check_roundtrip("/etc/passwd", &fs);
		return;
	}
	if (long_len > BASELINE_PATH_MAX)
		abort();
	touch(long_path, long_len);
	memcpy(path, long_path, long_len);
	path[long_len] = '\0';
	/* Only a path too long for a key, and without NUL, is kept so. */
	if (long_len > 480 && strlen(path) == long_len)
		check_roundtrip(path, &fs);
}

static size_t
take_len(struct fuzz_cursor *in, size_t max)
{
	size_t n = fuzz_byte(in);

	n |= (size_t)fuzz_byte(in) << 8;
	n %= max + 1;
	return n < in->n ? n : in->n;
}

/* A well-formed record made from a few bytes of the input. */
static size_t
made_record(struct fuzz_cursor *in, const char *path, unsigned char *buf)
{
	struct file_state fs;
	size_t i;

	memset(&fs, 0, sizeof(fs));
	fs.hashes.mask = fuzz_byte(in) & ((1u << hash_algo_count) - 1);
	fs.mode = 0100000 | (unsigned)fuzz_byte(in) << 1;
	fs.flags = fuzz_byte(in) & 0x0f;
	fs.size = 4096;
	for (i = 0; i < hash_algo_count; i++)
		memset(fs.hashes.d[i], (int)i, sizeof(fs.hashes.d[i]));
	return baseline_record_encode(path, &fs, buf);
}

/* Entries straight into the store, as another writer could leave them. */
static size_t
write_store(const char *dir, struct fuzz_cursor *in, struct entry *entries)
{
	static unsigned char buf[BASELINE_RECORD_MAX];
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k, v;
	size_t n = 0;
	uint8_t kind;

	if (mkdir(dir, 0700) == -1 || mdb_env_create(&env) != 0)
		abort();
	if (mdb_env_set_mapsize(env, 64 << 20) != 0 ||
	    mdb_env_open(env, dir, MDB_NOSYNC | MDB_NOTLS, 0600) != 0 ||
	    mdb_txn_begin(env, NULL, 0, &txn) != 0 ||
	    mdb_dbi_open(txn, NULL, 0, &dbi) != 0)
		abort();
	while (in->n > 0 && n < MAX_ENTRIES) {
		struct entry *e = &entries[n];

		kind = fuzz_byte(in);
		e->keylen = take_len(in, MAX_KEY);
		memcpy(e->key, in->p, e->keylen);
		e->key[e->keylen] = '\0';
		in->p += e->keylen;
		in->n -= e->keylen;
		k.mv_data = e->key;
		k.mv_size = e->keylen;
		if (kind & 1) {
			v.mv_size = made_record(in, e->key, buf);
			v.mv_data = buf;
		} else {
			v.mv_size = take_len(in, 8192);
			v.mv_data = (void *)in->p;
			in->p += v.mv_size;
			in->n -= v.mv_size;
		}
		if (k.mv_size > 0 && mdb_put(txn, dbi, &k, &v, 0) == 0)
			n++;
	}
	if (mdb_txn_commit(txn) != 0)
		abort();
	mdb_env_close(env);
	return n;
}

static void
seen(void *ctx, const char *path, const struct file_state *fs)
{
	size_t n = strlen(path);

	(void)ctx;
	if (n > BASELINE_PATH_MAX)
		abort();
	touch(path, n);
	touch(fs, sizeof(*fs));
}

static void
fuzz_store(struct fuzz_cursor *in)
{
	static struct entry entries[MAX_ENTRIES];
	char dir[4200];
	struct file_state fs;
	struct baseline *b;
	size_t n, i;

	snprintf(dir, sizeof(dir), "%s/store", fuzz_scratch_dir());
	fuzz_empty_dir(fuzz_scratch_dir());
	n = write_store(dir, in, entries);
	if ((b = baseline_open(dir)) == NULL)
		abort();
	(void)baseline_under(b, "/", seen, NULL);
	if (n > 0 && entries[0].key[0] != '\0')
		(void)baseline_under(b, entries[0].key, seen, NULL);
	for (i = 0; i < n; i++)
		if (entries[i].key[0] != '\0' &&
		    baseline_get(b, entries[i].key, &fs) == 1)
			touch(&fs, sizeof(fs));
	(void)baseline_count(b);
	baseline_close(b);
	fuzz_empty_dir(fuzz_scratch_dir());
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_cursor in = { data, size };
	uint8_t mode = fuzz_byte(&in);

	fuzz_init();
	if (mode & 1)
		fuzz_store(&in);
	else
		fuzz_record(in.p, in.n);
	return 0;
}

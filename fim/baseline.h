/*
 * The baseline: the last known state of every monitored file, in LMDB
 * under fim.state_path, so that changes made while the plugin was not
 * running are found by the next start's scan.
 *
 * Keys are paths, so a directory and everything below it are one range
 * of keys (see baseline_under).  All access happens on the FIM worker
 * thread inside one write transaction at a time: baseline_begin() opens
 * it, baseline_commit() ends it (the worker commits every few thousand
 * changes and at the end of every job) and baseline_sync() makes what
 * was committed durable (at the end of every job; see baseline.c).
 */
#ifndef AUDISP_ECS_BASELINE_H
#define AUDISP_ECS_BASELINE_H

#include <stddef.h>

#include "file_state.h"

struct baseline;

/* Opens or creates the store in dir (made 0700); NULL after logging. */
struct baseline	*baseline_open(const char *dir);
void		 baseline_close(struct baseline *);
int		 baseline_begin(struct baseline *);
int		 baseline_commit(struct baseline *);
/* Flush the commits since the last sync to disk (a no-op when none). */
int		 baseline_sync(struct baseline *);
/* Changes since baseline_begin(); the worker commits when many. */
size_t		 baseline_pending(const struct baseline *);
/* 1 and *fs filled when path is known, 0 when not, -1 on error. */
int		 baseline_get(struct baseline *, const char *path,
		    struct file_state *fs);
int		 baseline_put(struct baseline *, const char *path,
		    const struct file_state *fs);
int		 baseline_del(struct baseline *, const char *path);
/*
 * Calls fn for dir itself and every path below dir ("dir/..."), in key
 * order.  For a long dir (see baseline.c) fn is also called for other
 * paths sharing its first bytes, which it must skip.  fn must not change
 * the baseline; collect, then change.
 */
int		 baseline_under(struct baseline *, const char *dir,
		    void (*fn)(void *, const char *path,
		    const struct file_state *), void *ctx);
size_t		 baseline_count(struct baseline *);

/*
 * The record of one path, as stored in LMDB (for baseline.c, the tests
 * and the fuzz target).  A path longer than an LMDB key keeps its full
 * text in the record, up to BASELINE_PATH_MAX bytes.
 */
#define BASELINE_PATH_MAX	4096
#define BASELINE_HEADER_ROOM	256
#define BASELINE_RECORD_MAX	(BASELINE_HEADER_ROOM + \
	HASH_ALGO_MAX * HASH_MAX_DIGEST + BASELINE_PATH_MAX)
/* Writes the record of path into buf; its length. */
size_t		 baseline_record_encode(const char *path,
		    const struct file_state *,
		    unsigned char buf[BASELINE_RECORD_MAX]);
/*
 * Reads a record as LMDB hands it back, which may be from an older
 * version, torn or made up: 1 with fs filled (and, when long_path is not
 * NULL, *long_path and *long_len: the full path of a long key, or NULL),
 * 0 when it is not well-formed (the path then counts as unknown).
 */
int		 baseline_record_decode(const void *data, size_t len,
		    struct file_state *, const char **long_path,
		    size_t *long_len);

#endif

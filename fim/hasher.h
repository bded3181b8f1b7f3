/*
 * Hashing a file with every configured algorithm in one read pass.
 *
 * A hasher owns one context per algorithm and the read buffer; it is made
 * once per hashing thread and reused for every file (OpenSSL 3 fetching an
 * algorithm costs more than hashing a small file).  Reads are paced by a
 * byte rate so that a scan of a large tree yields the disk and the CPU to
 * the audit path.  Not thread-safe: one hasher per thread.
 */
#ifndef AUDISP_ECS_HASHER_H
#define AUDISP_ECS_HASHER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "hash_algo.h"

#define HASH_ALGO_MAX	16

struct digests {
	unsigned	 mask;			/* bit i: hash_algos[i] */
	unsigned char	 d[HASH_ALGO_MAX][HASH_MAX_DIGEST];
};

/*
 * At most rate bytes a second (0: unlimited), averaged over a second,
 * over every thread reading through it.
 */
struct read_pacer {
	pthread_mutex_t	 lock;
	long long	 rate;
	long		 window_start_ms;	/* may lie ahead: time owed */
	long long	 used;
};

void		 read_pacer_init(struct read_pacer *, long long rate);
void		 read_pacer_destroy(struct read_pacer *);

struct hasher;

/* NULL when an algorithm of mask cannot be set up (logged). */
struct hasher	*hasher_new(unsigned mask);
void		 hasher_free(struct hasher *);
/*
 * Reads fd to its end and fills out.  Stops early, returning -1 with
 * errno EINTR, when *stop becomes nonzero; -1 with errno EFBIG when there
 * are more than limit bytes (the file grew); -1 with errno from read()
 * on a read error.  *bytes gets the number of bytes read.
 */
int		 hasher_fd(struct hasher *, int fd, uint64_t limit,
		    struct read_pacer *, const atomic_int *stop,
		    struct digests *out, uint64_t *bytes);
/* Lower-case hex of digest i of d into buf (2 * 64 + 1 bytes). */
void		 digest_hex(const struct digests *d, int i, char *buf);

#endif

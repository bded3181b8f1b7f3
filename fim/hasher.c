/*
 * One read pass, every digest; see hasher.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "../common/log.h"
#include "../common/timeutil.h"
#include "blake2b.h"
#include "hasher.h"

/* Large enough that a big file costs few system calls, small for RSS. */
#define READ_BUFFER	(256 * 1024)
#define PACE_STEP_MS	100

struct hasher {
	unsigned	 mask;
	EVP_MD		*md[HASH_ALGO_MAX];
	EVP_MD_CTX	*ctx[HASH_ALGO_MAX];
	struct blake2b	 b2[HASH_ALGO_MAX];
	XXH64_state_t	*xxh;
	unsigned char	*buf;
};

void
hasher_free(struct hasher *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < HASH_ALGO_MAX; i++) {
		EVP_MD_CTX_free(h->ctx[i]);
		EVP_MD_free(h->md[i]);
	}
	if (h->xxh != NULL)
		XXH64_freeState(h->xxh);
	free(h->buf);
	free(h);
}

static int
setup_algo(struct hasher *h, size_t i)
{
	const struct hash_algo *a = &hash_algos[i];

	switch (a->kind) {
	case HASH_EVP:
		if ((h->md[i] = EVP_MD_fetch(NULL, a->evp_name, NULL)) ==
		    NULL || (h->ctx[i] = EVP_MD_CTX_new()) == NULL) {
			log_warnx("fim: OpenSSL cannot compute %s", a->name);
			return -1;
		}
		return 0;
	case HASH_XXH64:
		return (h->xxh = XXH64_createState()) == NULL ? -1 : 0;
	case HASH_BLAKE2B:
		return 0;
	}
	return -1;
}

struct hasher *
hasher_new(unsigned mask)
{
	struct hasher *h;
	size_t i;

	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->buf = malloc(READ_BUFFER)) == NULL) {
		free(h);
		return NULL;
	}
	h->mask = mask;
	for (i = 0; i < hash_algo_count; i++)
		if ((mask & (1u << i)) && setup_algo(h, i) == -1) {
			hasher_free(h);
			return NULL;
		}
	return h;
}

static void
begin(struct hasher *h)
{
	size_t i;

	for (i = 0; i < hash_algo_count; i++) {
		if (!(h->mask & (1u << i)))
			continue;
		if (h->ctx[i] != NULL)
			EVP_DigestInit_ex(h->ctx[i], h->md[i], NULL);
		else if (hash_algos[i].kind == HASH_BLAKE2B)
			blake2b_init(&h->b2[i], hash_algos[i].digest_len);
		else
			XXH64_reset(h->xxh, 0);
	}
}

static void
update(struct hasher *h, const unsigned char *data, size_t n)
{
	size_t i;

	for (i = 0; i < hash_algo_count; i++) {
		if (!(h->mask & (1u << i)))
			continue;
		if (h->ctx[i] != NULL)
			EVP_DigestUpdate(h->ctx[i], data, n);
		else if (hash_algos[i].kind == HASH_BLAKE2B)
			blake2b_update(&h->b2[i], data, n);
		else
			XXH64_update(h->xxh, data, n);
	}
}

static void
finish(struct hasher *h, struct digests *out)
{
	XXH64_canonical_t canon;
	size_t i;

	out->mask = h->mask;
	for (i = 0; i < hash_algo_count; i++) {
		if (!(h->mask & (1u << i)))
			continue;
		if (h->ctx[i] != NULL)
			EVP_DigestFinal_ex(h->ctx[i], out->d[i], NULL);
		else if (hash_algos[i].kind == HASH_BLAKE2B)
			blake2b_final(&h->b2[i], out->d[i]);
		else {
			/* Big-endian, as xxhsum prints it. */
			XXH64_canonicalFromHash(&canon, XXH64_digest(h->xxh));
			memcpy(out->d[i], canon.digest, 8);
		}
	}
}

void
read_pacer_init(struct read_pacer *p, long long rate)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	p->rate = rate;
	p->window_start_ms = monotonic_ms();
}

void
read_pacer_destroy(struct read_pacer *p)
{
	pthread_mutex_destroy(&p->lock);
}

/*
 * Count n bytes; over budget, sleep for the time the excess takes.  The
 * window is moved past that time before the lock is let go, so a thread
 * reading meanwhile counts against the next window and sleeps longer:
 * the rate holds for all readers together.
 */
static void
pace(struct read_pacer *p, size_t n, const atomic_int *stop)
{
	long now, wait_ms = 0, step;
	struct timespec ts;

	if (p == NULL || p->rate <= 0)	/* rate is set before any reader */
		return;
	pthread_mutex_lock(&p->lock);
	now = monotonic_ms();
	if (now - p->window_start_ms >= 1000) {
		p->window_start_ms = now;
		p->used = 0;
	}
	p->used += (long long)n;
	if (p->used >= p->rate) {
		wait_ms = (long)((p->used * 1000) / p->rate) - (now -
		    p->window_start_ms);
		if (wait_ms < 0)
			wait_ms = 0;
		p->window_start_ms = now + wait_ms;
		p->used = 0;
	}
	pthread_mutex_unlock(&p->lock);
	/* In steps, so that a stop is not kept waiting by the pacing. */
	while (wait_ms > 0 && (stop == NULL || !atomic_load(stop))) {
		step = wait_ms < PACE_STEP_MS ? wait_ms : PACE_STEP_MS;
		ts.tv_sec = step / 1000;
		ts.tv_nsec = (step % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		wait_ms -= step;
	}
}

int
hasher_fd(struct hasher *h, int fd, uint64_t limit, struct read_pacer *pacer,
    const atomic_int *stop, struct digests *out, uint64_t *bytes)
{
	size_t want;
	ssize_t n;

	*bytes = 0;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	begin(h);
	for (;;) {
		if (stop != NULL && atomic_load(stop)) {
			errno = EINTR;
			return -1;
		}
		/* One byte past the limit is enough to know it is over. */
		want = READ_BUFFER;
		if (limit - *bytes < READ_BUFFER)
			want = (size_t)(limit - *bytes) + 1;
		n = read(fd, h->buf, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		if ((uint64_t)n > limit - *bytes) {
			*bytes += (uint64_t)n;
			errno = EFBIG;
			return -1;
		}
		update(h, h->buf, (size_t)n);
		*bytes += (uint64_t)n;
		pace(pacer, (size_t)n, stop);
	}
	finish(h, out);
	return 0;
}

void
digest_hex(const struct digests *d, int i, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	size_t k, n = hash_algos[i].digest_len;

	for (k = 0; k < n; k++) {
		buf[2 * k] = hex[d->d[i][k] >> 4];
		buf[2 * k + 1] = hex[d->d[i][k] & 15];
	}
	buf[2 * n] = '\0';
}

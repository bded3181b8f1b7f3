/* BLAKE2b after RFC 7693; see blake2b.h. */
#include "config.h"

#include <string.h>

#include "blake2b.h"

static const uint64_t iv[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
	0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
	0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

/* The message word schedule of each of the twelve rounds. */
static const unsigned char sigma[12][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
	{ 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
	{ 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
	{ 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
	{ 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
	{ 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
	{ 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
	{ 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
	{ 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
};

static uint64_t
rotr(uint64_t x, int n)
{
	return (x >> n) | (x << (64 - n));
}

static uint64_t
load64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void
mix(uint64_t v[16], int a, int b, int c, int d, uint64_t x, uint64_t y)
{
	v[a] = v[a] + v[b] + x;
	v[d] = rotr(v[d] ^ v[a], 32);
	v[c] = v[c] + v[d];
	v[b] = rotr(v[b] ^ v[c], 24);
	v[a] = v[a] + v[b] + y;
	v[d] = rotr(v[d] ^ v[a], 16);
	v[c] = v[c] + v[d];
	v[b] = rotr(v[b] ^ v[c], 63);
}

static void
compress(struct blake2b *s, const unsigned char *block, int last)
{
	uint64_t v[16], m[16];
	int i, r;

	for (i = 0; i < 16; i++)
		m[i] = load64(block + 8 * i);
	for (i = 0; i < 8; i++) {
		v[i] = s->h[i];
		v[i + 8] = iv[i];
	}
	v[12] ^= s->t[0];
	v[13] ^= s->t[1];
	if (last)
		v[14] = ~v[14];
	for (r = 0; r < 12; r++) {
		const unsigned char *sg = sigma[r];

		mix(v, 0, 4, 8, 12, m[sg[0]], m[sg[1]]);
		mix(v, 1, 5, 9, 13, m[sg[2]], m[sg[3]]);
		mix(v, 2, 6, 10, 14, m[sg[4]], m[sg[5]]);
		mix(v, 3, 7, 11, 15, m[sg[6]], m[sg[7]]);
		mix(v, 0, 5, 10, 15, m[sg[8]], m[sg[9]]);
		mix(v, 1, 6, 11, 12, m[sg[10]], m[sg[11]]);
		mix(v, 2, 7, 8, 13, m[sg[12]], m[sg[13]]);
		mix(v, 3, 4, 9, 14, m[sg[14]], m[sg[15]]);
	}
	for (i = 0; i < 8; i++)
		s->h[i] ^= v[i] ^ v[i + 8];
}

static void
count_bytes(struct blake2b *s, size_t n)
{
	s->t[0] += n;
	if (s->t[0] < n)
		s->t[1]++;
}

void
blake2b_init(struct blake2b *s, size_t outlen)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->outlen = outlen;
	for (i = 0; i < 8; i++)
		s->h[i] = iv[i];
	/* Parameter block: digest length, no key, fanout 1, depth 1. */
	s->h[0] ^= 0x01010000ULL ^ (uint64_t)outlen;
}

void
blake2b_update(struct blake2b *s, const void *data, size_t len)
{
	const unsigned char *in = data;
	size_t take;

	while (len > 0) {
		/*
		 * A full block is compressed only when more input follows:
		 * the last block must be compressed with the final flag.
		 */
		if (s->fill == sizeof(s->block)) {
			count_bytes(s, s->fill);
			compress(s, s->block, 0);
			s->fill = 0;
		}
		take = sizeof(s->block) - s->fill;
		if (take > len)
			take = len;
		memcpy(s->block + s->fill, in, take);
		s->fill += take;
		in += take;
		len -= take;
	}
}

void
blake2b_final(struct blake2b *s, unsigned char *out)
{
	unsigned char bytes[64];
	size_t i;

	count_bytes(s, s->fill);
	memset(s->block + s->fill, 0, sizeof(s->block) - s->fill);
	compress(s, s->block, 1);
	for (i = 0; i < 64; i++)
		bytes[i] = (unsigned char)(s->h[i / 8] >> (8 * (i % 8)));
	memcpy(out, bytes, s->outlen);
}

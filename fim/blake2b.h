/*
 * BLAKE2b (RFC 7693), unkeyed, with any digest length from 1 to 64 bytes.
 *
 * OpenSSL 3.0 only offers BLAKE2b-512, while Auditbeat's blake2b_256 and
 * blake2b_384 are BLAKE2b with the digest length in the parameter block
 * (what b2sum -l computes), not a truncated BLAKE2b-512.
 */
#ifndef AUDISP_ECS_BLAKE2B_H
#define AUDISP_ECS_BLAKE2B_H

#include <stddef.h>
#include <stdint.h>

struct blake2b {
	uint64_t	h[8];
	uint64_t	t[2];		/* bytes compressed so far */
	unsigned char	block[128];
	size_t		fill;		/* bytes waiting in block */
	size_t		outlen;
};

void	blake2b_init(struct blake2b *, size_t outlen);
void	blake2b_update(struct blake2b *, const void *data, size_t len);
void	blake2b_final(struct blake2b *, unsigned char *out);

#endif

/*
 * The hash algorithms FIM can compute, by their Auditbeat names
 * (file.hash.<name>), and which of them FIPS 140 mode allows.
 *
 * An algorithm is a small index into hash_algos[]; a set of them is a
 * bit mask, so a baseline record can say which digests it holds.
 */
#ifndef AUDISP_ECS_HASH_ALGO_H
#define AUDISP_ECS_HASH_ALGO_H

#include <stddef.h>

#define HASH_MAX_DIGEST	64

enum hash_kind {
	HASH_EVP,	/* OpenSSL EVP digest named by evp_name */
	HASH_BLAKE2B,	/* ours: OpenSSL 3.0 has no BLAKE2b-256/384 */
	HASH_XXH64,	/* libxxhash */
};

struct hash_algo {
	const char	*name;		/* as in the config and file.hash.* */
	enum hash_kind	 kind;
	const char	*evp_name;
	size_t		 digest_len;
	int		 fips_approved;
};

extern const struct hash_algo hash_algos[];
extern const size_t hash_algo_count;

/* Index of the algorithm called name, or -1. */
int	hash_algo_find(const char *name);
/*
 * 1 when the kernel runs in FIPS mode (the file fips_enabled under
 * /proc/sys/crypto says 1).  fips_path overrides that file for tests;
 * NULL restores it.
 */
int	fips_mode_enabled(void);
void	fips_mode_set_path(const char *fips_path);

#endif

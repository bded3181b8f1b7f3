/*
 * The table of hash algorithms; see hash_algo.h.
 *
 * FIPS 180-4 and 202 approve SHA-1, the SHA-2 family and SHA-3 for
 * hashing; MD5, BLAKE2b and xxHash are not approved, so a host in FIPS
 * mode refuses them at configuration time rather than computing them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hash_algo.h"

#define FIPS_ENABLED_FILE	"/proc/sys/crypto/fips_enabled"

const struct hash_algo hash_algos[] = {
	{ "md5",	HASH_EVP,	"MD5",		16, 0 },
	{ "sha1",	HASH_EVP,	"SHA1",		20, 1 },
	{ "sha224",	HASH_EVP,	"SHA224",	28, 1 },
	{ "sha256",	HASH_EVP,	"SHA256",	32, 1 },
	{ "sha384",	HASH_EVP,	"SHA384",	48, 1 },
	{ "sha512",	HASH_EVP,	"SHA512",	64, 1 },
	{ "sha512_224",	HASH_EVP,	"SHA512-224",	28, 1 },
	{ "sha512_256",	HASH_EVP,	"SHA512-256",	32, 1 },
	{ "sha3_224",	HASH_EVP,	"SHA3-224",	28, 1 },
	{ "sha3_256",	HASH_EVP,	"SHA3-256",	32, 1 },
	{ "sha3_384",	HASH_EVP,	"SHA3-384",	48, 1 },
	{ "sha3_512",	HASH_EVP,	"SHA3-512",	64, 1 },
	{ "blake2b_256", HASH_BLAKE2B,	NULL,		32, 0 },
	{ "blake2b_384", HASH_BLAKE2B,	NULL,		48, 0 },
	{ "blake2b_512", HASH_BLAKE2B,	NULL,		64, 0 },
	{ "xxh64",	HASH_XXH64,	NULL,		8,  0 },
};
const size_t hash_algo_count = sizeof(hash_algos) / sizeof(hash_algos[0]);

static const char *fips_path = FIPS_ENABLED_FILE;

int
hash_algo_find(const char *name)
{
	size_t i;

	for (i = 0; i < hash_algo_count; i++)
		if (strcmp(hash_algos[i].name, name) == 0)
			return (int)i;
	return -1;
}

void
fips_mode_set_path(const char *path)
{
	fips_path = path != NULL ? path : FIPS_ENABLED_FILE;
}

int
fips_mode_enabled(void)
{
	FILE *f;
	int c;

	/* No such file: a kernel without FIPS support, so not in FIPS mode. */
	if ((f = fopen(fips_path, "re")) == NULL)
		return 0;
	c = fgetc(f);
	fclose(f);
	return c == '1';
}

/*
 * Unit tests for the fim section of the configuration (fim/fim_conf.c
 * through plugin/conf.c): defaults, FILE:LINE errors, FIPS mode refusing
 * algorithms it does not approve (with the fips_enabled file redirected).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fim/hash_algo.h"
#include "plugin/conf.h"

static char dir[64], conf_path[128], fips_path[128];

/* Loads text; returns the config (or NULL) and the errors in errbuf. */
static struct config *
load(const char *text, char *errbuf, size_t size)
{
	FILE *f = fopen(conf_path, "w"), *errors;
	struct config *cfg;

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	errors = fmemopen(errbuf, size, "w");
	assert_non_null(errors);
	cfg = config_load(conf_path, errors);
	fclose(errors);
	return cfg;
}

static void
test_defaults(void **state)
{
	char err[1024] = "";
	struct config *cfg = load("path: { data = \"/var/tmp/x\"; };\n"
	    "fim: { paths = [\"/etc/\"]; };\n", err, sizeof(err));

	assert_non_null(cfg);
	assert_string_equal(cfg->fim->paths.items[0], "/etc");
	assert_string_equal(cfg->fim->state_path, "/var/tmp/x/fim");
	assert_int_equal(cfg->fim->hash_mask, 1u << hash_algo_find("sha256"));
	assert_int_equal(cfg->fim->max_file_size, 100LL << 20);
	assert_int_equal(cfg->fim->scan_rate_per_sec, 50LL << 20);
	assert_int_equal(cfg->fim->recursive, 0);
	config_free(cfg);
	cfg = load("output: { file: {}; };\n", err, sizeof(err));
	assert_non_null(cfg);
	assert_null(cfg->fim);
	config_free(cfg);
}

static void
expect_error(const char *text, const char *message)
{
	char err[1024] = "", want[512];

	snprintf(want, sizeof(want), "%s:%s\n", conf_path, message);
	assert_null(load(text, err, sizeof(err)));
	assert_string_equal(err, want);
}

static void
test_errors(void **state)
{
	expect_error("fim: {\n  recursive = true;\n};\n",
	    "1: fim.paths: is required: which files to watch?");
	expect_error("fim: {\n  paths = [\"etc\"];\n};\n",
	    "2: fim.paths: \"etc\" must be an absolute path");
	expect_error("fim: {\n  paths = [\"/etc\", \"/etc/ssh\"];\n"
	    "  recursive = true;\n};\n",
	    "2: fim.paths: \"/etc/ssh\" is already watched through \"/etc\"");
	expect_error("fim: {\n  paths = [\"/\", \"/etc\"];\n"
	    "  recursive = true;\n};\n",
	    "2: fim.paths: \"/etc\" is already watched through \"/\"");
	expect_error("fim: {\n  paths = [\"/etc\"];\n"
	    "  hash_types = [\"sha257\"];\n};\n",
	    "3: fim.hash_types: \"sha257\" is not a hash type (md5, sha1, "
	    "sha224, sha256, sha384, sha512, sha512_224, sha512_256, "
	    "sha3_224, sha3_256, sha3_384, sha3_512, blake2b_256, "
	    "blake2b_384, blake2b_512, xxh64)");
	expect_error("fim: {\n  paths = [\"/etc\"];\n"
	    "  exclude_files = [\"(\"];\n};\n",
	    "3: fim.exclude_files: element 0 \"(\" is not a regular "
	    "expression: Unmatched ( or \\(");
	expect_error("fim: {\n  paths = [\"/etc\"];\n"
	    "  attributes = [\"colour\"];\n};\n",
	    "3: fim.attributes: \"colour\" is not an attribute (inode, mode, "
	    "nlink, uid, gid, size, blocks, mtime, ctime, acl, xattrs, hash)");
	expect_error("fim: {\n  paths = [\"/etc\"];\n"
	    "  scan_rate_per_sec = \"fast\";\n};\n",
	    "3: fim.scan_rate_per_sec: \"fast\" is not a rate such as "
	    "\"50 MiB\" or \"unlimited\"");
	expect_error("fim: {\n  paths = [\"/etc\"];\n  initial_scan = \"all\";\n};\n",
	    "3: fim.initial_scan: \"all\" is not one of state, none");
	expect_error("fim: {\n  paths = [\"/etc\"];\n  hashes = [];\n};\n",
	    "3: fim.hashes: unknown key");
}

static void
set_fips(const char *value)
{
	FILE *f = fopen(fips_path, "w");

	assert_non_null(f);
	fputs(value, f);
	fclose(f);
	fips_mode_set_path(fips_path);
}

static void
test_fips(void **state)
{
	char err[1024] = "";
	struct config *cfg;
	const char *text = "fim: {\n  paths = [\"/etc\"];\n"
	    "  hash_types = [\"sha512\", \"md5\"];\n};\n";

	set_fips("0\n");
	assert_non_null(cfg = load(text, err, sizeof(err)));
	config_free(cfg);
	set_fips("1\n");
	expect_error(text, "3: fim.hash_types: \"md5\" is not approved in "
	    "FIPS mode, which this kernel runs in; use sha256, sha512 or "
	    "sha3_256 (SHA-1, SHA-2 and SHA-3 are allowed)");
	assert_non_null(cfg = load("fim: {\n  paths = [\"/etc\"];\n"
	    "  hash_types = [\"sha512\", \"sha3_256\", \"sha1\"];\n};\n", err,
	    sizeof(err)));
	config_free(cfg);
	fips_mode_set_path(NULL);
	unlink(fips_path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_fips),
	};
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/test_fim_conf.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(conf_path, sizeof(conf_path), "%s/audisp-ecs.conf", dir);
	snprintf(fips_path, sizeof(fips_path), "%s/fips_enabled", dir);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(conf_path);
	rmdir(dir);
	return rc;
}

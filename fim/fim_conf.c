/*
 * Checking and compiling the fim section; see fim_conf.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fim_conf.h"
#include "hash_algo.h"

#define WHAT_LEN	256

static const char *const fim_attr_names[FIM_ATTR_COUNT] = {
	[FIM_ATTR_INODE] = "inode",	[FIM_ATTR_MODE] = "mode",
	[FIM_ATTR_NLINK] = "nlink",	[FIM_ATTR_UID] = "uid",
	[FIM_ATTR_GID] = "gid",		[FIM_ATTR_SIZE] = "size",
	[FIM_ATTR_BLOCKS] = "blocks",	[FIM_ATTR_MTIME] = "mtime",
	[FIM_ATTR_CTIME] = "ctime",	[FIM_ATTR_ACL] = "acl",
	[FIM_ATTR_XATTRS] = "xattrs",	[FIM_ATTR_HASH] = "hash",
};

static void
free_regexes(regex_t *re, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		regfree(&re[i]);
	free(re);
}

void
fim_config_free(struct fim_config *fc)
{
	if (fc == NULL)
		return;
	string_list_free(&fc->paths);
	string_list_free(&fc->exclude_files);
	string_list_free(&fc->include_files);
	string_list_free(&fc->hash_types);
	string_list_free(&fc->attributes);
	free(fc->state_path);
	free_regexes(fc->exclude, fc->nexclude);
	free_regexes(fc->include, fc->ninclude);
	free(fc);
}

/* Compiles every pattern of list; the index of a bad one in *bad. */
static int
compile(const struct string_list *list, regex_t **out, size_t *nout,
    char *what)
{
	regex_t *re;
	size_t i;
	int rc;

	*out = NULL;
	*nout = 0;
	if (list->count == 0)
		return 0;
	if ((re = calloc(list->count, sizeof(*re))) == NULL) {
		snprintf(what, WHAT_LEN, "out of memory");
		return -1;
	}
	for (i = 0; i < list->count; i++) {
		rc = regcomp(&re[i], list->items[i], REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char msg[128];

			regerror(rc, &re[i], msg, sizeof(msg));
			snprintf(what, WHAT_LEN, "element %zu \"%s\" is not a "
			    "regular expression: %s", i, list->items[i], msg);
			free_regexes(re, i);
			return -1;
		}
	}
	*out = re;
	*nout = list->count;
	return 0;
}

static int
compile_all(struct fim_config *fc, const char **key, char *what)
{
	*key = "fim.exclude_files";
	if (compile(&fc->exclude_files, &fc->exclude, &fc->nexclude, what))
		return -1;
	*key = "fim.include_files";
	return compile(&fc->include_files, &fc->include, &fc->ninclude, what);
}

static int
check_hashes(struct fim_config *fc, char *what)
{
	size_t i;
	int a;

	fc->hash_mask = 0;
	for (i = 0; i < fc->hash_types.count; i++) {
		const char *name = fc->hash_types.items[i];

		if ((a = hash_algo_find(name)) == -1) {
			snprintf(what, WHAT_LEN, "\"%s\" is not a hash type "
			    "(md5, sha1, sha224, sha256, sha384, sha512, "
			    "sha512_224, sha512_256, sha3_224, sha3_256, "
			    "sha3_384, sha3_512, blake2b_256, blake2b_384, "
			    "blake2b_512, xxh64)", name);
			return -1;
		}
		if (!hash_algos[a].fips_approved && fips_mode_enabled()) {
			snprintf(what, WHAT_LEN, "\"%s\" is not approved in "
			    "FIPS mode, which this kernel runs in; use sha256, "
			    "sha512 or sha3_256 (SHA-1, SHA-2 and SHA-3 are "
			    "allowed)", name);
			return -1;
		}
		fc->hash_mask |= 1u << a;
	}
	return 0;
}

static int
check_attributes(struct fim_config *fc, char *what)
{
	size_t i;
	int a;

	fc->attr_mask = 0;
	for (i = 0; i < fc->attributes.count; i++) {
		for (a = 0; a < FIM_ATTR_COUNT; a++)
			if (strcmp(fim_attr_names[a],
			    fc->attributes.items[i]) == 0)
				break;
		if (a == FIM_ATTR_COUNT) {
			snprintf(what, WHAT_LEN, "\"%s\" is not an attribute "
			    "(inode, mode, nlink, uid, gid, size, blocks, "
			    "mtime, ctime, acl, xattrs, hash)",
			    fc->attributes.items[i]);
			return -1;
		}
		fc->attr_mask |= 1u << a;
	}
	if ((fc->attr_mask & (1u << FIM_ATTR_HASH)) && fc->hash_mask == 0) {
		snprintf(what, WHAT_LEN, "\"hash\" needs at least one of "
		    "fim.hash_types");
		return -1;
	}
	return 0;
}

/* "/etc/" is "/etc"; the root stays "/". */
static void
strip_trailing_slashes(char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
}

static int
check_paths(struct fim_config *fc, char *what)
{
	size_t i, j;

	for (i = 0; i < fc->paths.count; i++) {
		if (fc->paths.items[i][0] != '/') {
			snprintf(what, WHAT_LEN, "\"%s\" must be an absolute "
			    "path", fc->paths.items[i]);
			return -1;
		}
		strip_trailing_slashes(fc->paths.items[i]);
	}
	for (i = 0; i < fc->paths.count; i++)
		for (j = 0; j < fc->paths.count; j++) {
			if (i == j)
				continue;
			if (strcmp(fc->paths.items[i], fc->paths.items[j]) ==
			    0 || (fc->recursive && fim_path_under(fc->paths.items[i],
			    fc->paths.items[j]))) {
				snprintf(what, WHAT_LEN, "\"%s\" is already "
				    "watched through \"%s\"",
				    fc->paths.items[i], fc->paths.items[j]);
				return -1;
			}
		}
	return 0;
}

int
fim_config_finish(struct fim_config *fc,
    void (*report)(void *, const char *key, const char *what), void *ctx)
{
	char what[WHAT_LEN];
	const char *key;
	int n = 0;

	if (fc->paths.count == 0) {
		report(ctx, "fim.paths", "is required: which files to watch?");
		n++;
	} else if (check_paths(fc, what) == -1) {
		report(ctx, "fim.paths", what);
		n++;
	}
	if (check_hashes(fc, what) == -1) {
		report(ctx, "fim.hash_types", what);
		n++;
	} else if (check_attributes(fc, what) == -1) {
		report(ctx, "fim.attributes", what);
		n++;
	}
	if (compile_all(fc, &key, what) == -1) {
		report(ctx, key, what);
		n++;
	}
	return n;
}

static int
copy_list(struct string_list *dst, const struct string_list *src)
{
	size_t i;

	for (i = 0; i < src->count; i++)
		if (string_list_add(dst, src->items[i]) == -1)
			return -1;
	return 0;
}

unsigned
fim_hash_threads(const struct fim_config *fc, int once)
{
	long n = fc->hash_workers;

	if (n <= 0)
		n = once ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
	if (n < 1)
		n = 1;
	return n > FIM_HASH_WORKERS_MAX ? FIM_HASH_WORKERS_MAX : (unsigned)n;
}

struct fim_config *
fim_config_dup(const struct fim_config *src)
{
	struct fim_config *fc;
	const char *key;
	char what[WHAT_LEN];

	if ((fc = calloc(1, sizeof(*fc))) == NULL)
		return NULL;
	*fc = *src;
	memset(&fc->paths, 0, sizeof(fc->paths));
	memset(&fc->exclude_files, 0, sizeof(fc->exclude_files));
	memset(&fc->include_files, 0, sizeof(fc->include_files));
	memset(&fc->hash_types, 0, sizeof(fc->hash_types));
	memset(&fc->attributes, 0, sizeof(fc->attributes));
	fc->exclude = fc->include = NULL;
	fc->nexclude = fc->ninclude = 0;
	fc->state_path = NULL;
	if (copy_list(&fc->paths, &src->paths) == -1 ||
	    copy_list(&fc->exclude_files, &src->exclude_files) == -1 ||
	    copy_list(&fc->include_files, &src->include_files) == -1 ||
	    copy_list(&fc->hash_types, &src->hash_types) == -1 ||
	    copy_list(&fc->attributes, &src->attributes) == -1 ||
	    (src->state_path != NULL &&
	    (fc->state_path = strdup(src->state_path)) == NULL) ||
	    compile_all(fc, &key, what) == -1) {
		fim_config_free(fc);
		return NULL;
	}
	return fc;
}

static int
matches_any(const regex_t *re, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (regexec(&re[i], path, 0, NULL, 0) == 0)
			return 1;
	return 0;
}

int
fim_config_wants(const struct fim_config *fc, const char *path, int is_dir)
{
	if (matches_any(fc->exclude, fc->nexclude, path))
		return 0;
	/* A directory is walked whatever include_files says: files below
	 * it may match. */
	return is_dir || fc->ninclude == 0 ||
	    matches_any(fc->include, fc->ninclude, path);
}

int
fim_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return path[0] == '/' && path[1] != '\0';
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

const char *
fim_config_root_of(const struct fim_config *fc, const char *path)
{
	const char *best = NULL;
	size_t i;

	for (i = 0; i < fc->paths.count; i++) {
		const char *r = fc->paths.items[i];

		if ((strcmp(path, r) == 0 || fim_path_under(path, r)) &&
		    (best == NULL || strlen(r) > strlen(best)))
			best = r;
	}
	return best;
}

int
fim_config_in_scope(const struct fim_config *fc, const char *root,
    const char *path)
{
	const char *slash;

	if (fc->recursive || strcmp(root, path) == 0)
		return 1;
	slash = strrchr(path, '/');
	return slash != NULL && (size_t)(slash - path) ==
	    (strcmp(root, "/") == 0 ? 0 : strlen(root));
}

int
fim_config_covers(const struct fim_config *fc, const char *path)
{
	const char *root = fim_config_root_of(fc, path);

	return root != NULL && fim_config_in_scope(fc, root, path);
}

/*
 * Reading a file's state from the file system; see file_state.h.
 *
 * ACLs are read as the system.posix_acl_* extended attributes (the
 * kernel's own encoding), so no libacl is needed; every other attribute
 * (security.selinux, security.capability, user.*, trusted.*) goes into
 * one digest over the sorted names and their values.
 */
#include "config.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "file_state.h"

#define XATTR_LIST_MAX_BYTES	65536
#define XATTR_VALUE_MAX_BYTES	65536

void
file_state_from_stat(struct file_state *fs, const struct stat *st)
{
	memset(fs, 0, sizeof(*fs));
	fs->mode = st->st_mode;
	fs->dev = st->st_dev;
	fs->ino = st->st_ino;
	fs->uid = st->st_uid;
	fs->gid = st->st_gid;
	fs->nlink = st->st_nlink;
	fs->size = st->st_size;
	fs->blocks = st->st_blocks;
	fs->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
	    st->st_mtim.tv_nsec;
	fs->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 +
	    st->st_ctim.tv_nsec;
}

static int
is_acl(const char *name)
{
	return strcmp(name, "system.posix_acl_access") == 0 ||
	    strcmp(name, "system.posix_acl_default") == 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Feeds name and value of each attribute of the chosen kind, in order. */
static int
digest_attrs(EVP_MD_CTX *ctx, const char *path, char **names, size_t n,
    int acls, unsigned char *value)
{
	ssize_t len;
	size_t i, fed = 0;

	for (i = 0; i < n; i++) {
		if (is_acl(names[i]) != acls)
			continue;
		len = lgetxattr(path, names[i], value, XATTR_VALUE_MAX_BYTES);
		if (len < 0)
			continue;
		EVP_DigestUpdate(ctx, names[i], strlen(names[i]) + 1);
		EVP_DigestUpdate(ctx, &len, sizeof(len));
		EVP_DigestUpdate(ctx, value, (size_t)len);
		fed++;
	}
	return fed > 0;
}

static void
finish_digest(EVP_MD_CTX *ctx, unsigned char out[ATTR_DIGEST_LEN])
{
	unsigned char full[EVP_MAX_MD_SIZE];

	EVP_DigestFinal_ex(ctx, full, NULL);
	memcpy(out, full, ATTR_DIGEST_LEN);
}

static void
digest_kinds(struct file_state *fs, const char *path, char **names,
    size_t n, int want_acl, int want_xattrs)
{
	unsigned char *value = malloc(XATTR_VALUE_MAX_BYTES);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (value == NULL || ctx == NULL)
		goto out;
	if (want_acl) {
		EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
		if (digest_attrs(ctx, path, names, n, 1, value))
			fs->flags |= FS_HAS_ACL;
		finish_digest(ctx, fs->acl_digest);
		if (!(fs->flags & FS_HAS_ACL))
			memset(fs->acl_digest, 0, ATTR_DIGEST_LEN);
	}
	if (want_xattrs) {
		EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
		if (digest_attrs(ctx, path, names, n, 0, value))
			fs->flags |= FS_HAS_XATTRS;
		finish_digest(ctx, fs->xattr_digest);
		if (!(fs->flags & FS_HAS_XATTRS))
			memset(fs->xattr_digest, 0, ATTR_DIGEST_LEN);
	}
out:
	EVP_MD_CTX_free(ctx);
	free(value);
}

void
file_state_read_xattrs(struct file_state *fs, const char *path,
    int want_acl, int want_xattrs)
{
	char list[XATTR_LIST_MAX_BYTES], *names[512];
	ssize_t len;
	size_t n = 0, off = 0;

	if (!want_acl && !want_xattrs)
		return;
	/* Most files have none: one system call settles it. */
	if ((len = llistxattr(path, list, sizeof(list))) <= 0)
		return;
	while (off < (size_t)len && n < sizeof(names) / sizeof(names[0])) {
		names[n++] = list + off;
		off += strlen(list + off) + 1;
	}
	qsort(names, n, sizeof(names[0]), compare_names);
	digest_kinds(fs, path, names, n, want_acl, want_xattrs);
}

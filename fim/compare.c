/*
 * Comparing two states of a file; see compare.h.
 *
 * Size, blocks and the digests are the content: a difference there is
 * "updated".  Everything else is metadata: "attributes_modified".  A
 * digest is compared only when both states hold it (a file that was too
 * large, or hashed with other algorithms, has nothing to compare).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../common/timefmt.h"
#include "compare.h"
#include "fim_conf.h"

void
fim_changes_add(struct fim_changes *c, const char *attribute,
    const char *old_value, const char *new_value)
{
	struct fim_change *ch;

	if (c->count >= FIM_MAX_CHANGES)
		return;
	ch = &c->items[c->count++];
	snprintf(ch->attribute, sizeof(ch->attribute), "%s", attribute);
	snprintf(ch->old_value, sizeof(ch->old_value), "%s", old_value);
	snprintf(ch->new_value, sizeof(ch->new_value), "%s", new_value);
	ch->old_text = ch->new_text = NULL;
}

void
fim_changes_add_paths(struct fim_changes *c, const char *old_path,
    const char *new_path)
{
	struct fim_change *ch;

	if (c->count >= FIM_MAX_CHANGES)
		return;
	ch = &c->items[c->count++];
	snprintf(ch->attribute, sizeof(ch->attribute), "path");
	ch->old_value[0] = ch->new_value[0] = '\0';
	ch->old_text = old_path;
	ch->new_text = new_path;
}

const char *
fim_change_old(const struct fim_change *ch)
{
	return ch->old_text != NULL ? ch->old_text : ch->old_value;
}

const char *
fim_change_new(const struct fim_change *ch)
{
	return ch->new_text != NULL ? ch->new_text : ch->new_value;
}

void
format_time_ns(int64_t ns, char *buf, size_t size)
{
	iso8601_format(buf, size, (time_t)(ns / 1000000000),
	    (long)(ns % 1000000000), 9);
}

static void
add_number(struct fim_changes *c, const char *name, unsigned long long a,
    unsigned long long b)
{
	char old_text[32], new_text[32];

	snprintf(old_text, sizeof(old_text), "%llu", a);
	snprintf(new_text, sizeof(new_text), "%llu", b);
	fim_changes_add(c, name, old_text, new_text);
}

static void
add_mode(struct fim_changes *c, uint32_t a, uint32_t b)
{
	char old_text[16], new_text[16];

	/* Permissions as Auditbeat writes file.mode; the type when it moved. */
	if ((a & S_IFMT) == (b & S_IFMT)) {
		snprintf(old_text, sizeof(old_text), "%04o", a & 07777);
		snprintf(new_text, sizeof(new_text), "%04o", b & 07777);
	} else {
		snprintf(old_text, sizeof(old_text), "%07o", a);
		snprintf(new_text, sizeof(new_text), "%07o", b);
	}
	fim_changes_add(c, "mode", old_text, new_text);
}

static void
add_time(struct fim_changes *c, const char *name, int64_t a, int64_t b)
{
	char old_text[48], new_text[48];

	format_time_ns(a, old_text, sizeof(old_text));
	format_time_ns(b, new_text, sizeof(new_text));
	fim_changes_add(c, name, old_text, new_text);
}

static void
hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* An attribute digest, or "" when the file has no such attribute. */
static void
add_digest(struct fim_changes *c, const char *name, const unsigned char *a,
    int a_set, const unsigned char *b, int b_set)
{
	char old_text[2 * ATTR_DIGEST_LEN + 1] = "", new_text[sizeof(old_text)] = "";

	if (a_set)
		hex(a, ATTR_DIGEST_LEN, old_text);
	if (b_set)
		hex(b, ATTR_DIGEST_LEN, new_text);
	fim_changes_add(c, name, old_text, new_text);
}

static int
compare_hashes(const struct file_state *a, const struct file_state *b,
    struct fim_changes *c)
{
	char name[24], old_text[2 * HASH_MAX_DIGEST + 1], new_text[sizeof(old_text)];
	unsigned both = a->hashes.mask & b->hashes.mask;
	size_t i;
	int n = 0;

	for (i = 0; i < hash_algo_count; i++) {
		if (!(both & (1u << i)) || memcmp(a->hashes.d[i],
		    b->hashes.d[i], hash_algos[i].digest_len) == 0)
			continue;
		snprintf(name, sizeof(name), "hash.%s", hash_algos[i].name);
		digest_hex(&a->hashes, (int)i, old_text);
		digest_hex(&b->hashes, (int)i, new_text);
		fim_changes_add(c, name, old_text, new_text);
		n++;
	}
	return n;
}

#define WANT(a)	(mask & (1u << (a)))

static void
compare_metadata(const struct file_state *a, const struct file_state *b,
    unsigned mask, struct fim_changes *c)
{
	if (WANT(FIM_ATTR_INODE) && (a->ino != b->ino || a->dev != b->dev))
		add_number(c, "inode", a->ino, b->ino);
	if (WANT(FIM_ATTR_MODE) && a->mode != b->mode)
		add_mode(c, a->mode, b->mode);
	if (WANT(FIM_ATTR_NLINK) && a->nlink != b->nlink)
		add_number(c, "nlink", a->nlink, b->nlink);
	if (WANT(FIM_ATTR_UID) && a->uid != b->uid)
		add_number(c, "uid", a->uid, b->uid);
	if (WANT(FIM_ATTR_GID) && a->gid != b->gid)
		add_number(c, "gid", a->gid, b->gid);
	if (WANT(FIM_ATTR_MTIME) && a->mtime_ns != b->mtime_ns)
		add_time(c, "mtime", a->mtime_ns, b->mtime_ns);
	if (WANT(FIM_ATTR_CTIME) && a->ctime_ns != b->ctime_ns)
		add_time(c, "ctime", a->ctime_ns, b->ctime_ns);
	if (WANT(FIM_ATTR_ACL) && ((a->flags ^ b->flags) & FS_HAS_ACL ||
	    memcmp(a->acl_digest, b->acl_digest, ATTR_DIGEST_LEN) != 0))
		add_digest(c, "acl", a->acl_digest, a->flags & FS_HAS_ACL,
		    b->acl_digest, b->flags & FS_HAS_ACL);
	if (WANT(FIM_ATTR_XATTRS) && ((a->flags ^ b->flags) & FS_HAS_XATTRS ||
	    memcmp(a->xattr_digest, b->xattr_digest, ATTR_DIGEST_LEN) != 0))
		add_digest(c, "xattrs", a->xattr_digest,
		    a->flags & FS_HAS_XATTRS, b->xattr_digest,
		    b->flags & FS_HAS_XATTRS);
}

int
fim_compare(const struct file_state *a, const struct file_state *b,
    unsigned mask, struct fim_changes *c)
{
	int content = 0, before = c->count;

	if (WANT(FIM_ATTR_SIZE) && a->size != b->size) {
		add_number(c, "size", (unsigned long long)a->size,
		    (unsigned long long)b->size);
		content++;
	}
	if (WANT(FIM_ATTR_BLOCKS) && a->blocks != b->blocks) {
		add_number(c, "blocks", (unsigned long long)a->blocks,
		    (unsigned long long)b->blocks);
		content++;
	}
	if (WANT(FIM_ATTR_HASH))
		content += compare_hashes(a, b, c);
	if (content > 0)
		c->actions |= FIM_ACT_UPDATED;
	before += content;
	compare_metadata(a, b, mask, c);
	if (c->count > before)
		c->actions |= FIM_ACT_ATTRIBUTES_MODIFIED;
	return c->count;
}

int
file_state_same(const struct file_state *a, const struct file_state *b)
{
	size_t i;

	if (a->flags != b->flags || a->mode != b->mode || a->dev != b->dev ||
	    a->ino != b->ino || a->uid != b->uid || a->gid != b->gid ||
	    a->nlink != b->nlink || a->size != b->size ||
	    a->blocks != b->blocks || a->mtime_ns != b->mtime_ns ||
	    a->ctime_ns != b->ctime_ns || a->hashes.mask != b->hashes.mask ||
	    memcmp(a->acl_digest, b->acl_digest, ATTR_DIGEST_LEN) != 0 ||
	    memcmp(a->xattr_digest, b->xattr_digest, ATTR_DIGEST_LEN) != 0)
		return 0;
	for (i = 0; i < hash_algo_count; i++)
		if ((a->hashes.mask & (1u << i)) && memcmp(a->hashes.d[i],
		    b->hashes.d[i], hash_algos[i].digest_len) != 0)
			return 0;
	return 1;
}

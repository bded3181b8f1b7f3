/*
 * What FIM knows about one file: its metadata, digests of its ACL and
 * extended attributes, and its content hashes.  The same struct describes
 * the file on disk now and as the baseline remembers it; compare.c tells
 * the differences.
 */
#ifndef AUDISP_ECS_FILE_STATE_H
#define AUDISP_ECS_FILE_STATE_H

#include <stdint.h>
#include <sys/stat.h>

#include "hasher.h"

#define ATTR_DIGEST_LEN	16

/* flags */
#define FS_TOO_LARGE	0x01	/* over max_file_size: not hashed */
#define FS_UNREADABLE	0x02	/* could not be opened or read */
#define FS_HAS_ACL	0x04	/* acl_digest is set */
#define FS_HAS_XATTRS	0x08	/* xattr_digest is set */

struct file_state {
	uint32_t	 flags;
	uint32_t	 mode;
	uint64_t	 dev, ino;
	uint32_t	 uid, gid;
	uint64_t	 nlink;
	int64_t		 size, blocks;
	int64_t		 mtime_ns, ctime_ns;
	unsigned char	 acl_digest[ATTR_DIGEST_LEN];
	unsigned char	 xattr_digest[ATTR_DIGEST_LEN];
	int		 read_errno;	/* why FS_UNREADABLE */
	struct digests	 hashes;	/* hashes.mask == 0: none */
};

/* The metadata of st into fs; flags, digests and hashes are cleared. */
void	file_state_from_stat(struct file_state *, const struct stat *);
/*
 * Digests of the POSIX ACLs and of the other extended attributes of path
 * (not followed if a symlink), as asked by want_acl/want_xattrs.
 */
void	file_state_read_xattrs(struct file_state *, const char *path,
	    int want_acl, int want_xattrs);

#endif

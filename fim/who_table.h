/*
 * The audit correlation table: who touched which inode lately, as the
 * audit stream's PATH records say, for the FIM worker to name the author
 * of a change it found.
 *
 * DESIGN: shared by two threads.  The parser thread notes, for every
 * live event with a SYSCALL and PATH records, each PATH item's device
 * and inode with the event's process; the FIM worker looks up the device
 * and inode of a file it reports (for a deletion, the last known ones,
 * which the DELETE item of the unlink carries too).  The table is a fixed
 * array indexed by a hash of (device, inode), allocated once: noting
 * costs a hash, a lock and a copy, never an allocation, and a collision
 * simply replaces the older entry (a lost hint, never a wrong one, as
 * entries are compared whole).  Entries older than the lookup's window
 * are ignored, so a reused inode number is not blamed on the process
 * that touched its predecessor long ago.
 */
#ifndef AUDISP_ECS_WHO_TABLE_H
#define AUDISP_ECS_WHO_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "fim_who.h"

#define WHO_TABLE_SLOTS	4096	/* a power of two */
#define WHO_WINDOW_MS	10000	/* how old an entry may be to count */

struct who_table;

struct who_key {
	uint64_t	 dev;	/* as stat's st_dev */
	uint64_t	 ino;
};

struct who_table *who_table_new(void);
void		 who_table_free(struct who_table *);
/* who (source audit, at_ms set) touched the n inodes of keys. */
void		 who_table_note(struct who_table *, const struct who_key *keys,
		    size_t n, const struct fim_who *who);
/* 1 and *out when (dev, ino) was touched within the window before now. */
int		 who_table_find(struct who_table *, uint64_t dev, uint64_t ino,
		    long now_ms, struct fim_who *out);
/*
 * An audit PATH record's dev field ("fd:01": hex major and minor) as
 * st_dev; -1 when it is not one.
 */
int		 who_audit_dev(const char *text, uint64_t *dev);

#endif

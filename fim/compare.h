/*
 * What changed between the baseline's state of a file and the disk's:
 * the list of monitored attributes that differ, each with its old and new
 * value as text, and the actions they amount to (Auditbeat's names).
 */
#ifndef AUDISP_ECS_COMPARE_H
#define AUDISP_ECS_COMPARE_H

#include "file_state.h"

/* event.action values; a document may carry several. */
#define FIM_ACT_CREATED			0x01
#define FIM_ACT_DELETED			0x02
#define FIM_ACT_UPDATED			0x04	/* content */
#define FIM_ACT_ATTRIBUTES_MODIFIED	0x08	/* metadata */
#define FIM_ACT_MOVED			0x10
#define FIM_ACT_INITIAL_SCAN		0x20

#define FIM_MAX_CHANGES	32
#define FIM_VALUE_LEN	(2 * HASH_MAX_DIGEST + 8)

struct fim_change {
	char		 attribute[24];	/* "mode", "hash.sha256", "path" */
	char		 old_value[FIM_VALUE_LEN];
	char		 new_value[FIM_VALUE_LEN];
	/* Values too long for the arrays (a move's paths), used instead
	 * when set: borrowed from the caller, see fim_changes_add_paths(). */
	const char	*old_text, *new_text;
};

struct fim_changes {
	unsigned		actions;
	int			count;
	struct fim_change	items[FIM_MAX_CHANGES];
};

/*
 * Fills out with the differences in the attributes of attr_mask (bits of
 * enum fim_attr); out->actions gets UPDATED and/or ATTRIBUTES_MODIFIED.
 * Returns the number of changes.
 */
int	fim_compare(const struct file_state *old, const struct file_state *now,
	    unsigned attr_mask, struct fim_changes *out);
/* Adds one change by hand; values are cut to FIM_VALUE_LEN - 1 bytes. */
void	fim_changes_add(struct fim_changes *, const char *attribute,
	    const char *old_value, const char *new_value);
/*
 * A move's "path" change, whole: the two paths are not copied and must
 * outlive the document written from the changes.
 */
void	fim_changes_add_paths(struct fim_changes *, const char *old_path,
	    const char *new_path);
/* The old and new values of a change as text. */
const char *fim_change_old(const struct fim_change *);
const char *fim_change_new(const struct fim_change *);
/* 1 when the two states would be stored identically. */
int	file_state_same(const struct file_state *, const struct file_state *);
/* Formats a time in ns since the epoch as RFC 3339 UTC into buf (40). */
void	format_time_ns(int64_t ns, char *buf, size_t size);

#endif

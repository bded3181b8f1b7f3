/*
 * The rule key table: which compliance control an audit rule's key
 * evidences (rules.d/keys.tsv), so that documents carry ECS rule.ruleset,
 * rule.id, rule.name and rule.reference next to tags.
 *
 * The table is read once, before the parser thread builds its first
 * document, and is read-only afterwards.  Its file is input like any
 * other: every line is checked (five tab-separated fields, bounded
 * lengths, no control bytes, no duplicate key) and the first bad one
 * makes the whole load fail with "FILE:LINE: what", so a half-read table
 * never labels events.
 */
#ifndef AUDISP_ECS_RULE_KEYS_H
#define AUDISP_ECS_RULE_KEYS_H

#include <stddef.h>

#include "../common/json_writer.h"

/* Limits of the table's file. */
#define RULE_KEYS_MAX_FILE	(4L << 20)	/* bytes */
#define RULE_KEYS_MAX_ENTRIES	65536
#define RULE_KEYS_MAX_KEY	256		/* the kernel's AUDIT_MAX_KEY_LEN */
#define RULE_KEYS_MAX_FIELD	1024

struct rule_info {
	const char	*key;
	const char	*ruleset;	/* "DISA STIG Red Hat Enterprise Linux 9" */
	const char	*id;		/* "RHEL-09-654010" */
	const char	*name;		/* the control's title */
	const char	*reference;	/* a URL */
};

struct rule_keys;

/*
 * Parses the table's text (len bytes; name is used in messages).
 * Returns the table, or NULL with the reason in err.
 */
struct rule_keys *rule_keys_parse(const char *text, size_t len,
	    const char *name, char *err, size_t errlen);
/* Reads and parses path.  Returns the table, or NULL with err set. */
struct rule_keys *rule_keys_load(const char *path, char *err, size_t errlen);
/* NULL is accepted. */
void	rule_keys_free(struct rule_keys *);
size_t	rule_keys_count(const struct rule_keys *);

/* The entry for the n bytes of key, or NULL (also when the table is NULL). */
const struct rule_info *rule_keys_find(const struct rule_keys *,
	    const char *key, size_t n);

/*
 * Writes the "rule" object for the first of an event's keys that the
 * table knows; nothing when none is (or the table is NULL).  keys is the
 * event's key field as the document's tags come from it: several keys
 * joined by 0x01, or one "name=value" key.
 */
void	rule_keys_write(const struct rule_keys *, struct jw *,
	    const char *keys, size_t n);

#endif

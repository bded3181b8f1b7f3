/*
 * The compliance profiles: the files of rules.d ("NN-NAME.rules", NAME is
 * the profile's name), what they say in their first comment line, and the
 * rule keys they add.  Shared by the "rules list", "rules install" and
 * "rules check" verbs.
 *
 * Rule files and "auditctl -l" listings are both read line by line with
 * the same reader: a line that adds a rule (-a, -A, -w) counts once for
 * each key it names (-k KEY, -F key=KEY).  Files are input like any other:
 * lines are bounded (RULES_LINE_MAX; a longer one is an error naming it),
 * so are the number of keys (RULES_KEYS_MAX).
 */
#ifndef AUDISP_ECS_RULES_CATALOG_H
#define AUDISP_ECS_RULES_CATALOG_H

#include <stddef.h>
#include <stdio.h>

#define RULES_LINE_MAX		8192
#define RULES_KEYS_MAX		4096
#define RULES_PROFILES_MAX	64
#define RULES_NAME_MAX		64

/* The profile generated on the host rather than shipped. */
#define RULES_PRIVILEGED_NAME	"privileged"
#define RULES_PRIVILEGED_FILE	"31-privileged.rules"

struct rules_profile {
	char	 name[RULES_NAME_MAX];	/* "stig" */
	char	 file[RULES_NAME_MAX + 16]; /* "30-stig.rules" */
	char	 summary[160];		/* its first comment line */
	int	 generated;		/* privileged: no file in the data dir */
};

struct rules_catalog {
	struct rules_profile profiles[RULES_PROFILES_MAX];
	size_t	 count;
};

struct key_count {
	char	 key[257];
	unsigned expected;		/* rules in the profile(s) */
	unsigned loaded;		/* rules in the kernel */
};

struct key_counts {
	struct key_count *items;
	size_t	 count;
};

/*
 * The profiles in dir (the installed data directory), in file name order,
 * plus the generated privileged profile.  Returns 0, or -1 with err set.
 */
int	rules_catalog_load(struct rules_catalog *, const char *dir,
	    char *err, size_t errlen);
/* The profile called name, or NULL. */
const struct rules_profile *rules_catalog_find(const struct rules_catalog *,
	    const char *name);

/*
 * Adds each rule line of in (name in messages) to counts: to expected
 * when loaded is 0, else to loaded.  Returns the number of rule lines, or
 * -1 with err set ("NAME:LINE: what").
 */
long	key_counts_read(struct key_counts *, FILE *in, const char *name,
	    int loaded, char *err, size_t errlen);
void	key_counts_free(struct key_counts *);

#endif

/*
 * The compliance profiles and the keys of rule lines; see rules_catalog.h.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/errbuf.h"
#include "rules_catalog.h"

static int	profile_of_file(const char *file, struct rules_profile *);
static void	read_summary(const char *dir, struct rules_profile *);
static int	add_key(struct key_counts *, const char *key, size_t n,
		    int loaded);
static int	line_keys(struct key_counts *, char *line, int loaded);
static int	profile_cmp(const void *, const void *);

/* "NN-NAME.rules" gives NAME; 0, or -1 when file is not a profile. */
static int
profile_of_file(const char *file, struct rules_profile *pr)
{
	size_t len = strlen(file), n;
	const char *suffix = ".rules";

	if (len < 3 + strlen(suffix) + 1 || len >= sizeof(pr->file) ||
	    file[0] < '0' || file[0] > '9' || file[1] < '0' || file[1] > '9' ||
	    file[2] != '-' || strcmp(file + len - strlen(suffix), suffix) != 0)
		return -1;
	n = len - 3 - strlen(suffix);
	if (n >= sizeof(pr->name))
		return -1;
	memset(pr, 0, sizeof(*pr));
	memcpy(pr->name, file + 3, n);
	snprintf(pr->file, sizeof(pr->file), "%s", file);
	return 0;
}

/* The text of the first "## " line, e.g. "audisp-ecs profile: ...". */
static void
read_summary(const char *dir, struct rules_profile *pr)
{
	char path[4096], line[RULES_LINE_MAX];
	const char *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, pr->file);
	if ((f = fopen(path, "re")) == NULL)
		return;
	if (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		s = line + strspn(line, "# ");
		if (strncmp(s, "audisp-ecs profile: ", 20) == 0)
			s += 20;
		snprintf(pr->summary, sizeof(pr->summary), "%s", s);
	}
	fclose(f);
}

static int
profile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rules_profile *)a)->file,
	    ((const struct rules_profile *)b)->file);
}

int
rules_catalog_load(struct rules_catalog *c, const char *dir, char *err,
    size_t errlen)
{
	struct rules_profile *pr;
	struct dirent *de;
	DIR *d;

	memset(c, 0, sizeof(*c));
	if ((d = opendir(dir)) == NULL) {
		seterr(err, errlen, "%s: %s (the profiles are installed "
		    "there; --profiles-dir names another directory)", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (c->count == RULES_PROFILES_MAX - 1)
			break;	/* room for the generated one */
		pr = &c->profiles[c->count];
		if (profile_of_file(de->d_name, pr) == -1 ||
		    strcmp(pr->name, RULES_PRIVILEGED_NAME) == 0)
			continue;
		read_summary(dir, pr);
		c->count++;
	}
	closedir(d);
	pr = &c->profiles[c->count++];
	profile_of_file(RULES_PRIVILEGED_FILE, pr);
	pr->generated = 1;
	snprintf(pr->summary, sizeof(pr->summary), "the host's setuid and "
	    "setgid programs (generated at install)");
	qsort(c->profiles, c->count, sizeof(c->profiles[0]), profile_cmp);
	return 0;
}

const struct rules_profile *
rules_catalog_find(const struct rules_catalog *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		if (strcmp(c->profiles[i].name, name) == 0)
			return &c->profiles[i];
	return NULL;
}

static int
add_key(struct key_counts *kc, const char *key, size_t n, int loaded)
{
	struct key_count *grown;
	size_t i;

	if (n == 0 || n >= sizeof(kc->items[0].key))
		return -1;
	for (i = 0; i < kc->count; i++) {
		if (strlen(kc->items[i].key) == n &&
		    memcmp(kc->items[i].key, key, n) == 0)
			break;
	}
	if (i == kc->count) {
		if (kc->count == RULES_KEYS_MAX)
			return -1;
		if ((grown = realloc(kc->items, (kc->count + 1) *
		    sizeof(*grown))) == NULL)
			return -1;
		kc->items = grown;
		memset(&grown[i], 0, sizeof(grown[i]));
		memcpy(grown[i].key, key, n);
		kc->count++;
	}
	if (loaded)
		kc->items[i].loaded++;
	else
		kc->items[i].expected++;
	return 0;
}

/*
 * The keys of one rule line ("-k KEY" or "-F key=KEY" words).  Returns
 * 1 for a rule line, 0 for any other line, -1 for a bad key.
 */
static int
line_keys(struct key_counts *kc, char *line, int loaded)
{
	char *word, *save = NULL, *next;
	int rule = 0, first = 1;

	for (word = strtok_r(line, " \t", &save); word != NULL;
	    word = strtok_r(NULL, " \t", &save), first = 0) {
		if (first) {
			if (strcmp(word, "-a") != 0 && strcmp(word, "-A") != 0 &&
			    strcmp(word, "-w") != 0)
				return 0;
			rule = 1;
			continue;
		}
		if (strcmp(word, "-k") == 0) {
			if ((next = strtok_r(NULL, " \t", &save)) == NULL ||
			    add_key(kc, next, strlen(next), loaded) == -1)
				return -1;
		} else if (strcmp(word, "-F") == 0) {
			if ((next = strtok_r(NULL, " \t", &save)) == NULL)
				return -1;
			if (strncmp(next, "key=", 4) == 0 &&
			    add_key(kc, next + 4, strlen(next + 4), loaded) == -1)
				return -1;
		}
	}
	return rule;
}

long
key_counts_read(struct key_counts *kc, FILE *in, const char *name,
    int loaded, char *err, size_t errlen)
{
	char line[RULES_LINE_MAX];
	unsigned long lineno = 0;
	long rules = 0;
	size_t len;
	int rc;

	while (fgets(line, sizeof(line), in) != NULL) {
		lineno++;
		len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			seterr(err, errlen, "%s:%lu: longer than %d bytes",
			    name, lineno, RULES_LINE_MAX - 2);
			return -1;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if ((rc = line_keys(kc, line, loaded)) == -1) {
			seterr(err, errlen, "%s:%lu: a rule's key is missing, "
			    "longer than 256 bytes, or one too many (%d)",
			    name, lineno, RULES_KEYS_MAX);
			return -1;
		}
		rules += rc;
	}
	if (ferror(in)) {
		seterr(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	return rules;
}

void
key_counts_free(struct key_counts *kc)
{
	free(kc->items);
	kc->items = NULL;
	kc->count = 0;
}

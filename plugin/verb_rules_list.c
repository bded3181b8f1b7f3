/*
 * "rules list": the compliance profiles, whether each is in augenrules'
 * directory (installed, differs: an administrator's file of that name,
 * or not installed) and what it is for.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rules_catalog.h"
#include "rules_options.h"
#include "verb.h"

static int	verb_rules_list_exec(struct verb_args *);
static const char *state_of(const struct rules_options *,
		    const struct rules_profile *);
static int	same_file(const char *a, const char *b);

const struct verb_entry verb_rules_list_entry = {
	.name = "rules list",
	.usage = "[--profiles-dir DIR] [--rules-dir DIR]",
	.options = NULL,
	.longopts = NULL,
	.lower = 0,
	.upper = -1,
	.exec = verb_rules_list_exec
};

/* 1 when both files have the same bytes, else 0. */
static int
same_file(const char *a, const char *b)
{
	char ba[8192], bb[8192];
	size_t na, nb;
	FILE *fa, *fb;
	int same = 0;

	if ((fa = fopen(a, "re")) == NULL)
		return 0;
	if ((fb = fopen(b, "re")) == NULL) {
		fclose(fa);
		return 0;
	}
	for (;;) {
		na = fread(ba, 1, sizeof(ba), fa);
		nb = fread(bb, 1, sizeof(bb), fb);
		if (na != nb || memcmp(ba, bb, na) != 0)
			break;
		if (na == 0) {
			same = !ferror(fa) && !ferror(fb);
			break;
		}
	}
	fclose(fa);
	fclose(fb);
	return same;
}

static const char *
state_of(const struct rules_options *o, const struct rules_profile *pr)
{
	char src[4096], dst[4096];
	struct stat st;

	snprintf(dst, sizeof(dst), "%s/%s", o->rules_dir, pr->file);
	if (lstat(dst, &st) == -1)
		return "not installed";
	/* A generated profile differs from host to host: present is enough. */
	if (pr->generated)
		return "installed";
	snprintf(src, sizeof(src), "%s/%s", o->profiles_dir, pr->file);
	return same_file(src, dst) ? "installed" : "differs";
}

static int
verb_rules_list_exec(struct verb_args *args)
{
	struct rules_options o;
	struct rules_catalog cat;
	const struct rules_profile *pr;
	char err[4200];
	size_t i;

	if (rules_options_parse(&o, RO_PROFILES_DIR | RO_RULES_DIR,
	    args->argc, args->argv) == -1 || o.argc != 0)
		return VERB_USAGE;
	if (rules_catalog_load(&cat, o.profiles_dir, err, sizeof(err)) == -1) {
		fprintf(stderr, "audisp-ecs: %s\n", err);
		return 1;
	}
	printf("%-12s %-22s %-14s %s\n", "PROFILE", "FILE", "STATE",
	    "WHAT");
	for (i = 0; i < cat.count; i++) {
		pr = &cat.profiles[i];
		printf("%-12s %-22s %-14s %s\n", pr->name, pr->file,
		    state_of(&o, pr), pr->summary);
	}
	return 0;
}

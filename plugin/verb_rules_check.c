/*
 * "rules check [PROFILE...]": are the profiles in force?  For each
 * profile (the operands, or every profile installed in augenrules'
 * directory), every rule key must have as many rules loaded in the kernel
 * (auditctl -l, or --loaded FILE) as the profile adds; and auditd.conf
 * (--auditd-conf) must have the values the STIG asks for.  What is
 * missing is printed; the exit status is 1 when anything is, 0 when all
 * is in force, 2 for a bad command line.  With --documents the result is
 * written to stdout as ECS documents (rules_posture.h) instead of text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/json_writer.h"
#include "../parsers/rule_keys.h"
#include "conf.h"
#include "rules_auditd_conf.h"
#include "rules_catalog.h"
#include "rules_loaded.h"
#include "rules_options.h"
#include "rules_posture.h"
#include "verb.h"

struct check_run {
	const struct rules_options *o;
	struct posture	 posture;
	struct jw	 w;
	int		 missing;	/* controls not met */
};

static int	verb_rules_check_exec(struct verb_args *);
static int	check_profile(struct check_run *, const struct rules_profile *);
static int	check_auditd_conf(struct check_run *);
static int	flush_documents(struct check_run *);
static struct rule_keys *keys_for_documents(const struct rules_options *,
		    char **data_dir);

const struct verb_entry verb_rules_check_entry = {
	.name = "rules check",
	.usage = "[--profiles-dir DIR] [--rules-dir DIR] [--loaded FILE] "
	    "[--auditd-conf FILE] [--documents [-c FILE]] [PROFILE...]",
	.options = NULL,
	.longopts = NULL,
	.lower = 0,
	.upper = -1,
	.exec = verb_rules_check_exec
};

static int
flush_documents(struct check_run *run)
{
	if (!run->o->documents)
		return 0;
	if (jw_failed(&run->w)) {
		fprintf(stderr, "audisp-ecs: out of memory\n");
		return -1;
	}
	if (fwrite(jw_data(&run->w), 1, jw_len(&run->w), stdout) !=
	    jw_len(&run->w)) {
		perror("audisp-ecs: stdout");
		return -1;
	}
	jw_reset(&run->w);
	return 0;
}

/*
 * The profile's file: the copy in augenrules' directory when there is one
 * (for the generated profile, the only one), else the shipped one.
 */
static int
check_profile(struct check_run *run, const struct rules_profile *pr)
{
	struct key_counts kc = { NULL, 0 };
	char path[4096], err[4200];
	const struct key_count *k;
	size_t i;
	FILE *in;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", run->o->rules_dir, pr->file);
	if (access(path, F_OK) == -1)
		snprintf(path, sizeof(path), "%s/%s", run->o->profiles_dir,
		    pr->file);
	if ((in = fopen(path, "re")) == NULL) {
		fprintf(stderr, "audisp-ecs: %s: %s: cannot read%s\n",
		    pr->name, path, pr->generated ? " (generate it with "
		    "'audisp-ecs rules install privileged')" : "");
		return -1;
	}
	if (key_counts_read(&kc, in, path, 0, err, sizeof(err)) == -1 ||
	    rules_loaded_read(&kc, run->o->loaded, err, sizeof(err)) == -1) {
		fprintf(stderr, "audisp-ecs: %s\n", err);
		goto out;
	}
	for (i = 0; i < kc.count; i++) {
		k = &kc.items[i];
		if (k->expected == 0)
			continue;	/* another profile's, or local */
		if (run->o->documents)
			posture_rule_document(&run->posture, &run->w, pr->name,
			    k->key, k->expected, k->loaded);
		if (k->loaded >= k->expected)
			continue;
		run->missing++;
		if (!run->o->documents)
			printf("missing: %s: key %s: %u of %u rules loaded\n",
			    pr->name, k->key, k->loaded, k->expected);
	}
	if (!run->o->documents)
		printf("%s: %zu keys checked\n", pr->name, kc.count);
	rc = flush_documents(run);
out:
	fclose(in);
	key_counts_free(&kc);
	return rc;
}

static int
check_auditd_conf(struct check_run *run)
{
	struct conf_finding *f;
	size_t i, n = auditd_conf_check_count();
	char err[4200];
	int failed, rc = -1;

	if ((f = calloc(n, sizeof(*f))) == NULL)
		return -1;
	if ((failed = auditd_conf_check(run->o->auditd_conf, f, err,
	    sizeof(err))) == -1) {
		fprintf(stderr, "audisp-ecs: %s\n", err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (run->o->documents)
			posture_setting_document(&run->posture, &run->w,
			    run->o->auditd_conf, &f[i]);
		else if (!f[i].ok)
			printf("missing: %s: %s is %s%s%s, want %s (%s)\n",
			    run->o->auditd_conf, f[i].setting,
			    f[i].set ? "\"" : "not set", f[i].set ?
			    f[i].value : "", f[i].set ? "\"" : "", f[i].want,
			    f[i].key);
	}
	run->missing += failed;
	if (!run->o->documents)
		printf("%s: %zu settings checked\n", run->o->auditd_conf, n);
	rc = flush_documents(run);
out:
	free(f);
	return rc;
}

/* The table and path.data of the configuration, for rule.* and agent.*. */
static struct rule_keys *
keys_for_documents(const struct rules_options *o, char **data_dir)
{
	struct config *cfg;
	struct rule_keys *t;
	char err[4200];
	const char *path = RULES_KEYS_FILE;

	*data_dir = NULL;
	if ((cfg = config_load(o->config_path, stderr)) == NULL)
		return NULL;
	if (cfg->rules_keys_file != NULL && cfg->rules_keys_file[0] != '\0')
		path = cfg->rules_keys_file;
	if ((t = rule_keys_load(path, err, sizeof(err))) == NULL)
		fprintf(stderr, "audisp-ecs: %s: documents without rule.*\n",
		    err);
	if (cfg->data_dir != NULL && access(cfg->data_dir, W_OK) == 0)
		*data_dir = strdup(cfg->data_dir);
	config_free(cfg);
	return t;
}

static int
verb_rules_check_exec(struct verb_args *args)
{
	struct rules_options o;
	struct rules_catalog cat;
	struct check_run run;
	struct rule_keys *keys = NULL;
	const struct rules_profile *pr;
	char err[4200], path[4096], *data_dir = NULL;
	int i, checked = 0, status = 1;
	size_t j;

	if (rules_options_parse(&o, RO_PROFILES_DIR | RO_RULES_DIR |
	    RO_LOADED | RO_AUDITD_CONF | RO_DOCUMENTS | RO_CONFIG,
	    args->argc, args->argv) == -1)
		return VERB_USAGE;
	if (rules_catalog_load(&cat, o.profiles_dir, err, sizeof(err)) == -1) {
		fprintf(stderr, "audisp-ecs: %s\n", err);
		return 1;
	}
	for (i = 0; i < o.argc; i++) {
		if (rules_catalog_find(&cat, o.argv[i]) == NULL) {
			fprintf(stderr, "audisp-ecs: no profile '%s' (see "
			    "'audisp-ecs rules list')\n", o.argv[i]);
			return 1;
		}
	}
	memset(&run, 0, sizeof(run));
	run.o = &o;
	jw_init(&run.w);
	if (o.documents) {
		keys = keys_for_documents(&o, &data_dir);
		if (posture_init(&run.posture, keys, data_dir) == -1)
			goto out;
	}
	if (o.argc > 0) {
		for (i = 0; i < o.argc; i++) {
			pr = rules_catalog_find(&cat, o.argv[i]);
			if (check_profile(&run, pr) == -1)
				goto out;
			checked++;
		}
	} else {
		/* the profiles found in augenrules' directory */
		for (j = 0; j < cat.count; j++) {
			pr = &cat.profiles[j];
			snprintf(path, sizeof(path), "%s/%s", o.rules_dir,
			    pr->file);
			if (access(path, F_OK) == -1 ||
			    strcmp(pr->name, "finalize") == 0 ||
			    strcmp(pr->name, "base-config") == 0)
				continue;
			if (check_profile(&run, pr) == -1)
				goto out;
			checked++;
		}
		if (checked == 0 && !o.documents)
			printf("no profile installed in %s (name one, or "
			    "'audisp-ecs rules install')\n", o.rules_dir);
	}
	if (check_auditd_conf(&run) == -1)
		goto out;
	if (!o.documents)
		printf("%s\n", run.missing ? "NOT IN FORCE: see the missing "
		    "lines above" : "in force");
	status = run.missing ? 1 : 0;
out:
	if (fflush(stdout) == EOF)
		status = 1;
	jw_release(&run.w);
	if (o.documents)
		posture_release(&run.posture);
	rule_keys_free(keys);
	free(data_dir);
	return status;
}

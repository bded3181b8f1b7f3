/* The command line of the "rules" verbs; see rules_options.h. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "rules_options.h"

static const struct {
	int		 bit;
	struct option	 opt;
} table[] = {
	{ RO_PROFILES_DIR, { "profiles-dir", required_argument, NULL, 'P' } },
	{ RO_RULES_DIR, { "rules-dir", required_argument, NULL, 'R' } },
	{ RO_LOADED, { "loaded", required_argument, NULL, 'L' } },
	{ RO_AUDITD_CONF, { "auditd-conf", required_argument, NULL, 'A' } },
	{ RO_DOCUMENTS, { "documents", no_argument, NULL, 'D' } },
	{ RO_SCAN_DIR, { "scan-dir", required_argument, NULL, 'S' } },
};

int
rules_options_parse(struct rules_options *o, int accepted, int argc,
    char **argv)
{
	struct option longopts[sizeof(table) / sizeof(table[0]) + 1];
	size_t i, n = 0, nscan = 0;
	int ch;

	memset(o, 0, sizeof(*o));
	o->profiles_dir = RULES_DATADIR;
	o->rules_dir = RULES_AUGENRULES_DIR;
	o->auditd_conf = RULES_AUDITD_CONF;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (accepted & table[i].bit)
			longopts[n++] = table[i].opt;
	memset(&longopts[n], 0, sizeof(longopts[n]));
	/* argv[-1] is the verb's last word: getopt skips it as argv[0]. */
	optind = 1;
	while ((ch = getopt_long(argc + 1, argv - 1, "+c:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (!(accepted & RO_CONFIG))
				return -1;
			o->config_path = optarg;
			break;
		case 'P':
			o->profiles_dir = optarg;
			break;
		case 'R':
			o->rules_dir = optarg;
			break;
		case 'L':
			o->loaded = optarg;
			break;
		case 'A':
			o->auditd_conf = optarg;
			break;
		case 'D':
			o->documents = 1;
			break;
		case 'S':
			if (nscan == RO_SCAN_DIRS_MAX) {
				fprintf(stderr, "audisp-ecs: at most %d "
				    "--scan-dir\n", RO_SCAN_DIRS_MAX);
				return -1;
			}
			o->scan_dirs[nscan++] = optarg;
			break;
		default:
			return -1;
		}
	}
	o->argc = argc + 1 - optind;
	o->argv = argv - 1 + optind;
	return 0;
}

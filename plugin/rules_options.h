/*
 * The command line of the "rules" verbs: their entries in verb.h take no
 * shared options (main.c hands them every argument) because several
 * options here take a value.  Each verb says which it accepts.
 */
#ifndef AUDISP_ECS_RULES_OPTIONS_H
#define AUDISP_ECS_RULES_OPTIONS_H

#include "rules_paths.h"

/* Bits of what a verb accepts. */
#define RO_PROFILES_DIR	0x01	/* --profiles-dir DIR */
#define RO_RULES_DIR	0x02	/* --rules-dir DIR */
#define RO_LOADED	0x04	/* --loaded FILE */
#define RO_AUDITD_CONF	0x08	/* --auditd-conf FILE */
#define RO_DOCUMENTS	0x10	/* --documents */
#define RO_SCAN_DIR	0x20	/* --scan-dir DIR */
#define RO_CONFIG	0x40	/* -c FILE */

#define RO_SCAN_DIRS_MAX	16

struct rules_options {
	const char	*profiles_dir;	/* the installed profiles */
	const char	*rules_dir;	/* augenrules' directory */
	const char	*loaded;	/* NULL: run auditctl -l */
	const char	*auditd_conf;
	const char	*config_path;	/* -c */
	int		 documents;
	const char	*scan_dirs[RO_SCAN_DIRS_MAX + 1];	/* NULL-ended */
	int		 argc;		/* the operands */
	char		**argv;
};

/*
 * Parses argv (argc words after the verb's name) into o, with the
 * defaults for what is not given.  Returns 0, or -1 after saying on
 * stderr what is wrong.
 */
int	rules_options_parse(struct rules_options *o, int accepted, int argc,
	    char **argv);

#endif

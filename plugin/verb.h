/*
 * Verbs: what the command line asks audisp-ecs to do.
 *
 * Each verb is data, one per file (verb_*.c), exporting only its entry:
 * its name, its usage line, the options it takes and the function that
 * runs it.  main.c keeps the table of entries; it finds the verb, parses
 * the options it shares (-c, -f, -h, -V), prints every usage line from the
 * table and calls exec.
 */
#ifndef AUDISP_ECS_VERB_H
#define AUDISP_ECS_VERB_H

struct option;

/* An exec's return for a bad command line: usage on stderr, exit 2. */
#define VERB_USAGE	(-1)

/* What main.c parsed for a verb. */
struct verb_args {
	const char	 *config_path;	/* -c FILE; NULL: the default */
	int		  foreground;	/* -f */
	int		  argc;		/* operands (all of argv after the */
	char		**argv;		/*   name when options is NULL) */
};

struct verb_entry {
	const char	*name;		/* "replay", "test config"; NULL: none */
	const char	*usage;		/* what follows the name */
	/*
	 * The shared options the verb takes, as for getopt(3): some of
	 * "c:fhV".  NULL: main.c parses nothing and exec gets every argument
	 * after the name.
	 */
	const char	*options;
	/*
	 * The verb's own long options, for getopt_long(3), or NULL.  Each
	 * sets a flag of the verb's file (flag and val in struct option).
	 */
	const struct option *longopts;
	int		 lower;		/* fewest operands */
	int		 upper;		/* most operands; -1: no limit */
	/* Returns the exit status, or VERB_USAGE. */
	int		(*exec)(struct verb_args *);
};

/* verb_run.c, verb_replay.c, verb_fim_scan.c, verb_test_config.c,
 * verb_test_output.c, verb_setup.c, verb_status.c */
extern const struct verb_entry verb_run_entry;
extern const struct verb_entry verb_replay_entry;
extern const struct verb_entry verb_fim_scan_entry;
extern const struct verb_entry verb_test_config_entry;
extern const struct verb_entry verb_test_output_entry;
extern const struct verb_entry verb_setup_entry;
extern const struct verb_entry verb_status_entry;
/* verb_rules_list.c, verb_rules_install.c, verb_rules_check.c */
extern const struct verb_entry verb_rules_list_entry;
extern const struct verb_entry verb_rules_install_entry;
extern const struct verb_entry verb_rules_check_entry;

#endif

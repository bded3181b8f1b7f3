/*
 * audisp-ecs: an auditd plugin that turns audit events into ECS documents.
 *
 * The command line picks a verb; each is an entry in its own file
 * (verb_*.c, see verb.h) and this file keeps their table.  Without a verb,
 * plugin mode: audit records from auditd on stdin.
 */
#include "config.h"

#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "verb.h"

/* Every option a verb may take; each entry says which it does. */
#define SHARED_OPTIONS	"+c:fhV"

static void	usage(FILE *);
static size_t	verb_match(const struct verb_entry *, int, char **);
static int	verb_parse(const struct verb_entry *, int, char **,
		    struct verb_args *);

/* In usage order; the entry without a name comes first and is the default. */
static const struct verb_entry *const verb_table[] = {
	&verb_run_entry,
	&verb_replay_entry,
	&verb_fim_scan_entry,
	&verb_test_config_entry,
	&verb_test_output_entry,
	&verb_setup_entry,
	&verb_status_entry,
	&verb_rules_list_entry,
	&verb_rules_install_entry,
	&verb_rules_check_entry,
	NULL
};

static void
usage(FILE *out)
{
	const struct verb_entry *const	*v;
	const struct verb_entry		*e;

	for (v = verb_table; (e = *v) != NULL; v++) {
		fprintf(out, "%s audisp-ecs%s%s%s%s\n",
		    v == verb_table ? "usage:" : "      ",
		    e->name != NULL ? " " : "", e->name != NULL ? e->name : "",
		    *e->usage != '\0' ? " " : "", e->usage);
	}
	fprintf(out,
	    "       audisp-ecs -V | -h\n"
	    "\n"
	    "Without a verb, reads audit records from auditd on stdin.\n"
	    "  -c FILE  configuration (default %s)\n"
	    "  -f       also log to stderr\n",
	    CONFIG_DEFAULT_PATH);
}

/*
 * Returns how many words of argv, after the program's name, spell the
 * entry's name ("test config" is two), or 0 when they do not.
 */
static size_t
verb_match(const struct verb_entry *e, int argc, char **argv)
{
	const char	*word, *end;
	size_t		 len, n = 0;

	if (e->name == NULL)
		return 0;
	for (word = e->name; *word != '\0'; word = end) {
		end = word + strcspn(word, " ");
		len = end - word;
		if ((int)n + 1 >= argc || strlen(argv[n + 1]) != len ||
		    strncmp(argv[n + 1], word, len) != 0)
			return 0;
		n++;
		end += strspn(end, " ");
	}
	return n;
}

/*
 * Parses the options the entry takes from argv (argv[0] is the last word
 * of its name, or the program's); -h and -V answer and exit.  Returns 0,
 * or -1 for a bad command line.
 */
static int
verb_parse(const struct verb_entry *e, int argc, char **argv,
    struct verb_args *args)
{
	int	ch;

	memset(args, 0, sizeof *args);
	if (e->options == NULL) {
		args->argc = argc - 1;
		args->argv = argv + 1;
		return 0;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, SHARED_OPTIONS, e->longopts,
	    NULL)) != -1) {
		if (ch == 0)	/* a long option set its flag */
			continue;
		if (ch == '?' || ch == ':' || strchr(e->options, ch) == NULL)
			return -1;
		switch (ch) {
		case 'c':
			args->config_path = optarg;
			break;
		case 'f':
			args->foreground = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			exit(0);
		}
	}
	args->argc = argc - optind;
	args->argv = argv + optind;
	return 0;
}

int
main(int argc, char *argv[])
{
	const struct verb_entry *const	*v;
	const struct verb_entry		*e = verb_table[0];
	struct verb_args		 args;
	size_t				 words = 0;
	int				 status;

	/* Before any thread: curl's global state is not thread-safe. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "audisp-ecs: cannot initialise libcurl\n");
		return 1;
	}
	for (v = verb_table; *v != NULL; v++) {
		if ((words = verb_match(*v, argc, argv)) != 0) {
			e = *v;
			break;
		}
	}
	if (verb_parse(e, argc - words, argv + words, &args) != 0)
		goto bad;
	if (args.argc < e->lower || (e->upper != -1 && args.argc > e->upper)) {
		/* In plugin mode, an operand is a verb we do not know. */
		if (e->name == NULL)
			fprintf(stderr, "audisp-ecs: unknown verb '%s'\n",
			    args.argv[0]);
		goto bad;
	}
	if ((status = e->exec(&args)) != VERB_USAGE)
		return status;
bad:
	usage(stderr);
	return 2;
}

/*
 * audisp-ecs: an auditd plugin that turns audit events into ECS documents.
 *
 * The command line picks a verb; each lives in its own file:
 *   audisp-ecs [-f] [-c FILE]              plugin mode (daemon.c)
 *   audisp-ecs replay [-c FILE] [LOG...]   files to documents (replay.c)
 *   audisp-ecs fim-scan [-c FILE]          one file integrity scan (fim_scan.c)
 *   audisp-ecs test config [-c FILE]       validate the configuration
 *   audisp-ecs test config --print-defaults every key, its default, range
 *   audisp-ecs test output [-c FILE]       try the output (test_output.c)
 *   audisp-ecs setup [-c FILE] [--ilm]     Elasticsearch templates (setup.c)
 */
#include "config.h"

#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "daemon.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: audisp-ecs [-f] [-c FILE]\n"
	    "       audisp-ecs replay [-c FILE] [LOG...]\n"
	    "       audisp-ecs fim-scan [-c FILE]\n"
	    "       audisp-ecs test config [-c FILE] | --print-defaults\n"
	    "       audisp-ecs test output [-c FILE]\n"
	    "       audisp-ecs setup [-c FILE] [--ilm]\n"
	    "       audisp-ecs -V | -h\n"
	    "\n"
	    "Without a verb, reads audit records from auditd on stdin.\n"
	    "  -c FILE  configuration (default %s)\n"
	    "  -f       also log to stderr\n",
	    CONFIG_DEFAULT_PATH);
}

/* Parses -c/-f/-h/-V; returns the index of the first operand. */
static int
parse_options(int argc, char *argv[], const char **config_path,
    int *foreground)
{
	int ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "+c:fhV")) != -1) {
		switch (ch) {
		case 'c':
			*config_path = optarg;
			break;
		case 'f':
			if (foreground == NULL)
				goto bad;
			*foreground = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			exit(0);
		default:
			goto bad;
		}
	}
	return optind;
bad:
	usage(stderr);
	exit(2);
}

static int
test_config(const char *config_path)
{
	struct config *cfg;

	if ((cfg = config_load(config_path, stderr)) == NULL)
		return 1;
	printf("%s: OK\n", cfg->source ? cfg->source :
	    "no configuration file; built-in defaults");
	config_free(cfg);
	return 0;
}

/* setup [-c FILE] [--ilm] */
static int
setup_verb(int argc, char *argv[])
{
	const char *config_path = NULL;
	int i, ilm = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--ilm") == 0)
			ilm = 1;
		else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			config_path = argv[++i];
		else {
			usage(stderr);
			return 2;
		}
	}
	return setup_main(config_path, ilm);
}

int
main(int argc, char *argv[])
{
	const char *config_path = NULL;
	int foreground = 0, first;

	/* Before any thread: curl's global state is not thread-safe. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "audisp-ecs: cannot initialise libcurl\n");
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "setup") == 0)
		return setup_verb(argc - 1, argv + 1);

	if (argc > 1 && strcmp(argv[1], "replay") == 0) {
		first = parse_options(argc - 1, argv + 1, &config_path, NULL);
		return replay_main(config_path, argv + 1 + first,
		    argc - 1 - first);
	}
	if (argc > 1 && strcmp(argv[1], "fim-scan") == 0) {
		first = parse_options(argc - 1, argv + 1, &config_path, NULL);
		if (first != argc - 1) {
			usage(stderr);
			return 2;
		}
		return fim_scan_main(config_path);
	}
	if (argc == 4 && strcmp(argv[1], "test") == 0 &&
	    strcmp(argv[2], "config") == 0 &&
	    strcmp(argv[3], "--print-defaults") == 0) {
		config_print_defaults(stdout);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "test") == 0 &&
	    (strcmp(argv[2], "config") == 0 || strcmp(argv[2], "output") == 0)) {
		first = parse_options(argc - 2, argv + 2, &config_path, NULL);
		if (first != argc - 2) {
			usage(stderr);
			return 2;
		}
		return strcmp(argv[2], "config") == 0 ?
		    test_config(config_path) : test_output(config_path);
	}
	first = parse_options(argc, argv, &config_path, &foreground);
	if (first != argc) {
		fprintf(stderr, "audisp-ecs: unknown verb '%s'\n", argv[first]);
		usage(stderr);
		return 2;
	}
	return daemon_main(config_path, foreground);
}

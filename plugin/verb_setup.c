/*
 * "setup": the Elasticsearch index templates and, with --ilm, the
 * lifecycle policy (setup.c).  It parses its own arguments: a long option
 * and -c, in any order, and nothing else (not even -h).
 */
#include "config.h"

#include <string.h>

#include "daemon.h"
#include "verb.h"

static int	verb_setup_exec(struct verb_args *);

const struct verb_entry verb_setup_entry = {
	.name = "setup",
	.usage = "[-c FILE] [--ilm]",
	.options = NULL,
	.longopts = NULL,
	.lower = 0,
	.upper = -1,
	.exec = verb_setup_exec
};

static int
verb_setup_exec(struct verb_args *args)
{
	const char	*config_path = NULL;
	int		 i, ilm = 0;

	for (i = 0; i < args->argc; i++) {
		if (strcmp(args->argv[i], "--ilm") == 0)
			ilm = 1;
		else if (strcmp(args->argv[i], "-c") == 0 &&
		    i + 1 < args->argc)
			config_path = args->argv[++i];
		else
			return VERB_USAGE;
	}
	return setup_main(config_path, ilm);
}

/*
 * "test config": load the configuration and say whether it is valid.
 * Prints "FILE: OK", or every problem (conf.c reports them) and exits 1.
 * With --print-defaults, every key the schema knows with its type,
 * default and range instead.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "conf.h"
#include "verb.h"

static int	verb_test_config_exec(struct verb_args *);

static int	print_defaults;
static const struct option longopts[] = {
	{ "print-defaults", no_argument, &print_defaults, 1 },
	{ NULL, 0, NULL, 0 }
};

const struct verb_entry verb_test_config_entry = {
	.name = "test config",
	.usage = "[-c FILE] | --print-defaults",
	.options = "c:hV",
	.longopts = longopts,
	.lower = 0,
	.upper = 0,
	.exec = verb_test_config_exec
};

static int
verb_test_config_exec(struct verb_args *args)
{
	struct config	*cfg;

	if (print_defaults) {
		config_print_defaults(stdout);
		return 0;
	}
	if ((cfg = config_load(args->config_path, stderr)) == NULL)
		return 1;
	printf("%s: OK\n", cfg->source ? cfg->source :
	    "no configuration file; built-in defaults");
	config_free(cfg);
	return 0;
}

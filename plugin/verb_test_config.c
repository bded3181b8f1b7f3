/*
 * "test config": load the configuration and say whether it is valid.
 * Prints "FILE: OK", or every problem (conf.c reports them) and exits 1.
 */
#include "config.h"

#include <stdio.h>

#include "conf.h"
#include "verb.h"

static int	verb_test_config_exec(struct verb_args *);

const struct verb_entry verb_test_config_entry = {
	.name = "test config",
	.usage = "[-c FILE]",
	.options = "c:hV",
	.longopts = NULL,
	.lower = 0,
	.upper = 0,
	.exec = verb_test_config_exec
};

static int
verb_test_config_exec(struct verb_args *args)
{
	struct config	*cfg;

	if ((cfg = config_load(args->config_path, stderr)) == NULL)
		return 1;
	printf("%s: OK\n", cfg->source ? cfg->source :
	    "no configuration file; built-in defaults");
	config_free(cfg);
	return 0;
}

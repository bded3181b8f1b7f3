/* "test output": try the configured output (test_output.c). */
#include "config.h"

#include <stddef.h>

#include "daemon.h"
#include "verb.h"

static int	verb_test_output_exec(struct verb_args *);

const struct verb_entry verb_test_output_entry = {
	.name = "test output",
	.usage = "[-c FILE]",
	.options = "c:hV",
	.longopts = NULL,
	.lower = 0,
	.upper = 0,
	.exec = verb_test_output_exec
};

static int
verb_test_output_exec(struct verb_args *args)
{
	return test_output(args->config_path);
}

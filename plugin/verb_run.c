/*
 * Plugin mode, the verb without a name: audit records from auditd on
 * stdin (daemon.c).
 */
#include "config.h"

#include <stddef.h>

#include "daemon.h"
#include "verb.h"

static int	verb_run_exec(struct verb_args *);

const struct verb_entry verb_run_entry = {
	.name = NULL,
	.usage = "[-f] [-c FILE]",
	.options = "c:fhV",
	.longopts = NULL,
	.lower = 0,
	.upper = 0,
	.exec = verb_run_exec
};

static int
verb_run_exec(struct verb_args *args)
{
	return daemon_main(args->config_path, args->foreground);
}

/* The fim-scan verb: one file integrity scan, then exit (fim_scan.c). */
#include "config.h"

#include <stddef.h>

#include "daemon.h"
#include "verb.h"

static int	verb_fim_scan_exec(struct verb_args *);

const struct verb_entry verb_fim_scan_entry = {
	.name = "fim-scan",
	.usage = "[-c FILE]",
	.options = "c:hV",
	.longopts = NULL,
	.lower = 0,
	.upper = 0,
	.exec = verb_fim_scan_exec
};

static int
verb_fim_scan_exec(struct verb_args *args)
{
	return fim_scan_main(args->config_path);
}

/* The replay verb: documents for audit records kept in files (replay.c). */
#include "config.h"

#include <stddef.h>

#include "daemon.h"
#include "verb.h"

static int	verb_replay_exec(struct verb_args *);

const struct verb_entry verb_replay_entry = {
	.name = "replay",
	.usage = "[-c FILE] [LOG...]",
	.options = "c:hV",
	.longopts = NULL,
	.lower = 0,
	.upper = -1,
	.exec = verb_replay_exec
};

static int
verb_replay_exec(struct verb_args *args)
{
	return replay_main(args->config_path, args->argv, args->argc);
}

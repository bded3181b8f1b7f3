/*
 * The argument vector of an execve, rebuilt from EXECVE records.
 *
 * The kernel writes argc, then a0, a1, ... each quoted or hex-encoded; an
 * argument too long for one record comes as aN_len=TOTAL followed by pieces
 * aN[0], aN[1], ..., and the arguments of one exec may span several EXECVE
 * records.  Every argument ends up whole, in order, with its exact bytes
 * (empty arguments and embedded newlines included).
 */
#ifndef AUDISP_ECS_EXECVE_ARGS_H
#define AUDISP_ECS_EXECVE_ARGS_H

#include <stddef.h>

#include "arena.h"
#include "audit_value.h"

/* More arguments than this are counted in argc but not kept. */
#define EXECVE_MAX_ARGS	(1U << 20)

struct execve_args {
	struct sv	*argv;
	size_t		 cap;
	size_t		 count;		/* highest index seen + 1 */
	long		 argc;		/* from the record, -1 if absent */
	int		 present;	/* an EXECVE record was seen */
	/* The split argument being assembled, if any. */
	size_t		 split_index;
	char		*split_buf;
	size_t		 split_len;
	size_t		 split_cap;
};

void	execve_args_init(struct execve_args *);
/*
 * Take one field of an EXECVE record.  Returns 0 if used, 1 if the field
 * is not an argument field, -1 when out of memory.
 */
int	execve_args_field(struct execve_args *, struct arena *,
	    const char *name, const char *raw);
/* Close the split argument in progress, if any. */
void	execve_args_finish(struct execve_args *);

#endif

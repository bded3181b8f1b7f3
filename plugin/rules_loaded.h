/*
 * The rules the kernel has loaded, as "auditctl -l" lists them (run with
 * a fixed argument list, no shell), or as a saved listing read from a
 * file (tests, or a listing taken on another host).
 */
#ifndef AUDISP_ECS_RULES_LOADED_H
#define AUDISP_ECS_RULES_LOADED_H

#include <stddef.h>

#include "rules_catalog.h"

/*
 * Adds the loaded rules' keys to counts (their "loaded" numbers).  file:
 * a saved listing; NULL: run auditctl -l.  Returns 0, or -1 with err set.
 */
int	rules_loaded_read(struct key_counts *, const char *file, char *err,
	    size_t errlen);

#endif

/*
 * Opening the rule key table for the documents; see rules_paths.h.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../parsers/rule_keys.h"
#include "conf.h"
#include "rules_paths.h"

struct rule_keys *
rules_keys_open(const struct config *cfg)
{
	struct rule_keys *t;
	const char *path = RULES_KEYS_FILE;
	char err[512];
	int configured = 0;

	if (cfg->rules_keys_file != NULL && cfg->rules_keys_file[0] != '\0') {
		path = cfg->rules_keys_file;
		configured = 1;
	}
	/* Not installed (a build tree): nothing to say unless asked for. */
	if (!configured && access(path, F_OK) == -1 && errno == ENOENT) {
		log_debug("no rule key table at %s: documents have no rule.*",
		    path);
		return NULL;
	}
	if ((t = rule_keys_load(path, err, sizeof(err))) == NULL) {
		log_errorx("rules.keys_file: %s; documents are written "
		    "without rule.*", err);
		return NULL;
	}
	log_info("rule key table %s: %zu keys", path, rule_keys_count(t));
	return t;
}

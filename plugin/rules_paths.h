/*
 * Where the compliance rule sets live: the profiles and the rule key
 * table installed by "make install" (RULES_DATADIR, from pkgdatadir), and
 * the directory augenrules reads.
 */
#ifndef AUDISP_ECS_RULES_PATHS_H
#define AUDISP_ECS_RULES_PATHS_H

#ifndef RULES_DATADIR
#define RULES_DATADIR		"/usr/share/audisp-ecs/rules.d"
#endif
#define RULES_KEYS_FILE		RULES_DATADIR "/keys.tsv"
#define RULES_AUGENRULES_DIR	"/etc/audit/rules.d"
#define RULES_AUDITD_CONF	"/etc/audit/auditd.conf"

struct config;
struct rule_keys;

/*
 * The rule key table the configuration names (rules.keys_file, or the
 * installed one), for the documents' rule.* fields.  Returns NULL when
 * there is none or it is bad, saying so in the log: documents are then
 * written without rule.*, never refused.
 */
struct rule_keys *rules_keys_open(const struct config *);

#endif

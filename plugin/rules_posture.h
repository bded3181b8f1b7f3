/*
 * The result of "rules check --documents" as ECS documents, one per
 * control checked (a profile's rule key, an auditd.conf setting), with
 * event.kind "state" so the host's audit posture can be searched next to
 * its events: event.outcome says whether the control is met, rule.* which
 * control it is (from the key table), audisp_ecs.compliance.* the counts
 * or values compared.
 */
#ifndef AUDISP_ECS_RULES_POSTURE_H
#define AUDISP_ECS_RULES_POSTURE_H

#include "../common/json_writer.h"

struct rule_keys;
struct conf_finding;

struct posture {
	char		 timestamp[40];
	char		*constants;	/* host, agent, ecs members */
	const struct rule_keys *keys;	/* may be NULL */
};

/* data_dir may be NULL.  Returns 0, or -1 when out of memory. */
int	posture_init(struct posture *, const struct rule_keys *,
	    const char *data_dir);
void	posture_release(struct posture *);

void	posture_rule_document(struct posture *, struct jw *,
	    const char *profile, const char *key, unsigned expected,
	    unsigned loaded);
void	posture_setting_document(struct posture *, struct jw *,
	    const char *file, const struct conf_finding *);

#endif

/*
 * The auditd.conf settings the RHEL 9 STIG checks (RHEL-09-653xxx), as a
 * table: the setting, the values that pass, the control.  The file is
 * read as auditd does ("name = value" lines, '#' comments, names and
 * choice values without regard to case), with bounded lines.
 */
#ifndef AUDISP_ECS_RULES_AUDITD_CONF_H
#define AUDISP_ECS_RULES_AUDITD_CONF_H

#include <stddef.h>

#define AUDITD_CONF_VALUE_MAX	128

struct conf_finding {
	const char	*setting;	/* "disk_full_action" */
	const char	*want;		/* "HALT, SINGLE or SYSLOG" */
	const char	*key;		/* the control's key in keys.tsv */
	char		 value[AUDITD_CONF_VALUE_MAX];	/* "" when not set */
	int		 set;
	int		 ok;
};

/* How many settings the table checks. */
size_t	auditd_conf_check_count(void);

/*
 * Checks path; out has auditd_conf_check_count() entries.  Returns the
 * number that fail, or -1 with err set (the file cannot be read, or a
 * line is too long).
 */
int	auditd_conf_check(const char *path, struct conf_finding *out,
	    char *err, size_t errlen);

#endif

/* Checking auditd.conf against the STIG; see rules_auditd_conf.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../common/errbuf.h"
#include "rules_auditd_conf.h"

#define LINE_MAX_BYTES	4096

/* Values that pass, '|'-separated; compared without regard to case. */
static const struct {
	const char	*setting;
	const char	*pass;
	const char	*want;
	const char	*key;
} checks[] = {
	{ "disk_error_action", "SYSLOG|SINGLE|HALT", "SYSLOG, SINGLE or HALT",
	    "stig-RHEL-09-653020" },
	{ "disk_full_action", "SYSLOG|SINGLE|HALT", "SYSLOG, SINGLE or HALT",
	    "stig-RHEL-09-653025" },
	{ "space_left_action", "EMAIL", "EMAIL", "stig-RHEL-09-653040" },
	{ "admin_space_left_action", "SINGLE|HALT", "SINGLE or HALT",
	    "stig-RHEL-09-653050" },
	{ "max_log_file_action", "ROTATE", "ROTATE", "stig-RHEL-09-653055" },
	{ "name_format", "HOSTNAME|FQD|NUMERIC", "HOSTNAME, FQD or NUMERIC",
	    "stig-RHEL-09-653060" },
	{ "overflow_action", "SYSLOG|SINGLE|HALT", "SYSLOG, SINGLE or HALT",
	    "stig-RHEL-09-653065" },
	{ "action_mail_acct", "root", "root", "stig-RHEL-09-653070" },
	{ "local_events", "yes", "yes", "stig-RHEL-09-653075" },
	{ "log_format", "ENRICHED", "ENRICHED", "stig-RHEL-09-653100" },
	{ "write_logs", "yes", "yes", "stig-RHEL-09-653105" },
};

#define NCHECKS	(sizeof(checks) / sizeof(checks[0]))

static int	passes(const char *pass, const char *value);
static char	*trim(char *);

size_t
auditd_conf_check_count(void)
{
	return NCHECKS;
}

static int
passes(const char *pass, const char *value)
{
	const char *p = pass, *bar;
	size_t n;

	for (;;) {
		bar = strchr(p, '|');
		n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (strlen(value) == n && strncasecmp(p, value, n) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int
auditd_conf_check(const char *path, struct conf_finding *out, char *err,
    size_t errlen)
{
	char line[LINE_MAX_BYTES], *name, *value, *eq;
	unsigned long lineno = 0;
	size_t i, len;
	int failed = 0;
	FILE *f;

	for (i = 0; i < NCHECKS; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].setting = checks[i].setting;
		out[i].want = checks[i].want;
		out[i].key = checks[i].key;
	}
	if ((f = fopen(path, "re")) == NULL) {
		seterr(err, errlen, "%s: %s (--auditd-conf names another)",
		    path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			seterr(err, errlen, "%s:%lu: longer than %d bytes",
			    path, lineno, LINE_MAX_BYTES - 2);
			fclose(f);
			return -1;
		}
		line[strcspn(line, "#\r\n")] = '\0';
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		name = trim(line);
		value = trim(eq + 1);
		for (i = 0; i < NCHECKS; i++) {
			if (strcasecmp(name, checks[i].setting) != 0)
				continue;
			/* the last one counts, as for auditd */
			out[i].set = 1;
			snprintf(out[i].value, sizeof(out[i].value), "%s",
			    value);
		}
	}
	fclose(f);
	for (i = 0; i < NCHECKS; i++) {
		out[i].ok = out[i].set && passes(checks[i].pass, out[i].value);
		failed += !out[i].ok;
	}
	return failed;
}

/* auditd.conf's log_file and write_logs; see auditd_conf.h. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auditd_conf.h"

/* "name = value" (auditd's syntax): value trimmed, or NULL. */
static char *
value_of(char *line, const char *name)
{
	size_t n = strlen(name);
	char *p = line, *end;

	while (isspace((unsigned char)*p))
		p++;
	if (strncmp(p, name, n) != 0)
		return NULL;
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '=')
		return NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return p;
}

char *
auditd_log_file(const char *path)
{
	char line[4096], *v, *log = NULL;
	int writes = 1;
	FILE *f;

	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if ((v = value_of(line, "log_file")) != NULL &&
			    v[0] == '/') {
				free(log);
				log = strdup(v);
			} else if ((v = value_of(line, "write_logs")) != NULL)
				writes = strcasecmp(v, "no") != 0;
		}
		fclose(f);
	}
	if (!writes) {
		free(log);
		return NULL;
	}
	return log != NULL ? log : strdup(AUDITD_DEFAULT_LOG);
}

/*
 * The RPM database, read through "rpm -qa --qf" (no librpm at build time):
 * one line per package, its fields separated by tabs.  The output is read
 * as hostile input like any file.
 */
#ifndef AUDISP_ECS_RPM_LIST_H
#define AUDISP_ECS_RPM_LIST_H

#include <stddef.h>

#include "pkg_db.h"

/* The --queryformat given to rpm; rpm_qf_parse reads its lines. */
#define RPM_QUERY_FORMAT "%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t" \
	"%{LICENSE}\\t%{INSTALLTIME}\\t%{SIZE}\\t%{URL}\\t%{SUMMARY}\\n"

/*
 * Adds the packages of text (rpm's output, len bytes and a NUL after
 * them; changed in place) to t; bad lines are logged and skipped.
 * 0, or -1 with err (out of memory, too many packages).
 */
int	rpm_qf_parse(char *text, size_t len, struct pkg_table *t, char *err,
	    size_t errlen);
/*
 * Runs rpm when this machine has an RPM database and the rpm program:
 * 0 with the packages added to t; 1 when there is no RPM database; -1
 * with err (rpm failed, took longer than a minute, said too much).
 */
int	rpm_list(struct pkg_table *t, char *err, size_t errlen);

#endif

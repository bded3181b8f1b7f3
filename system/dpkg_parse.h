/*
 * dpkg's status file (/var/lib/dpkg/status, deb822 stanzas), read as
 * hostile input: a stanza is a package when its Status says "installed"
 * and it has a Package and a Version; malformed lines and stanzas are
 * logged with FILE:LINE and skipped.
 */
#ifndef AUDISP_ECS_DPKG_PARSE_H
#define AUDISP_ECS_DPKG_PARSE_H

#include <stddef.h>

#include "pkg_db.h"

/*
 * Adds the installed packages of text (len bytes and a NUL after them;
 * changed in place) to t.  origin names the file in messages.  info_dir,
 * when not NULL, is dpkg's info directory: the modification time of a
 * package's .list file there is its install time.  0, or -1 with err
 * (out of memory, more than PKG_TABLE_MAX packages).
 */
int	dpkg_status_parse(char *text, size_t len, const char *origin,
	    const char *info_dir, struct pkg_table *t, char *err,
	    size_t errlen);

#endif

/*
 * Records libauparse mishandles, made safe before it sees them.
 *
 * libauparse 3.0.9 (Debian 12) keeps the cwd of a CWD record aside, to
 * interpret relative paths, and overwrites it without freeing it when the
 * record holds another cwd field: every such record leaks the earlier
 * values, for as long as the plugin runs.  No kernel writes two (it
 * hex-encodes a directory name with a space in it), but records also come
 * from elsewhere: a log being replayed, or a remote machine through
 * auditd's network listener.  So the second and later cwd fields are
 * renamed cwd2, cwd3, ... in the copy libauparse reads: the document keeps
 * the first as process.working_directory (as before) and now also shows
 * the others, as auditd.data.cwd2 and so on, rather than dropping them.
 *
 * A field is what libauparse takes for one: a token after a space (before
 * the 0x1D that starts the ENRICHED part), possibly behind "msg='" and a
 * '(', which it strips from names.
 */
#ifndef AUDISP_ECS_AUPARSE_QUIRKS_H
#define AUDISP_ECS_AUPARSE_QUIRKS_H

#include <stddef.h>

/*
 * How many bytes line[0..len) grows by when its extra cwd fields are
 * renamed; 0 when it holds at most one.  *fields gets how many it holds.
 */
size_t	cwd_fields_growth(const char *line, size_t len, size_t *fields);
/*
 * Copy line into out, which holds len + cwd_fields_growth() bytes, with
 * the second and later cwd fields renamed; returns the length written.
 */
size_t	cwd_fields_rename(const char *line, size_t len, char *out);

#endif

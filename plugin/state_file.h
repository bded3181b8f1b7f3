/*
 * Small state kept in path.data across runs: the last audit serial whose
 * document is stored (in the spool or the output file), so that the next
 * start can tell which events were lost while the plugin was not running.
 */
#ifndef AUDISP_ECS_STATE_FILE_H
#define AUDISP_ECS_STATE_FILE_H

#include "../parsers/seq_tracker.h"

/*
 * 0 when there is none (first start, or after a reboot it is just old).
 * *holes_known says whether holes was read too: the serials above the
 * settled one that were stored as well (see seq_tracker_resume_seen).
 */
unsigned long	state_load_serial(const char *data_dir, struct seq_holes *holes,
		    int *holes_known);

/*
 * The serial is saved after every batch stored, so the file
 * stays open and each save is one pwrite of a fixed-width line over the
 * last: no temporary file, rename or fsync.  A killed plugin leaves the
 * last save in the page cache; a power cut may leave an older one, which
 * only makes the next start report some stored events as lost.
 */
struct serial_file;

/* NULL (logged) if the file cannot be opened; saves are then skipped. */
struct serial_file *state_serial_open(const char *data_dir);
/* Errors are logged, rate-limited.  holes may be NULL (not known). */
void		 state_serial_save(struct serial_file *, unsigned long serial,
		    const struct seq_holes *holes);
void		 state_serial_close(struct serial_file *);

#endif

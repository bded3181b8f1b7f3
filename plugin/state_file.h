/*
 * What the previous run stored, so that the next start can tell which
 * events were lost while the plugin was not running: the mark of the
 * serials stored (seq_tracker_mark: every one up to the settled serial,
 * and which above it), kept in path.data/last-serial after every batch
 * stored and, with a network output, in each spool record with its
 * documents.
 */
#ifndef AUDISP_ECS_STATE_FILE_H
#define AUDISP_ECS_STATE_FILE_H

#include <stddef.h>

struct config;
struct reassembly;

/*
 * Carry on the serial count of the previous run (live input).  The
 * spool's newest mark is exact, even after a SIGKILL; last-serial is
 * written right after each batch is stored, so it is exact too unless the
 * kill came in between, and it is what the file output has, or a spool
 * whose records were all acknowledged.
 */
void		state_resume_serials(const struct config *, struct reassembly *);

/*
 * The settled serial of last-serial, 0 when there is none (first start;
 * after a reboot it is just old); its mark into mark (SEQ_MARK_MAX
 * bytes), *mark_len 0 when it holds none (a file of an older version).
 */
unsigned long	state_load_serial(const char *data_dir, unsigned char *mark,
		    size_t *mark_len);

/*
 * last-serial stays open and each save is one pwrite of a fixed-width
 * line over the last: no temporary file, rename or fsync.  A killed
 * plugin leaves the last save in the page cache; a power cut may leave an
 * older one, which only makes the next start look for stored events in
 * auditd's log (backfill) or report them lost.
 */
struct serial_file;

/* NULL (logged) if the file cannot be opened; saves are then skipped. */
struct serial_file *state_serial_open(const char *data_dir);
/* Errors are logged, rate-limited; mark_len may be 0. */
void		 state_serial_save(struct serial_file *, unsigned long serial,
		    const unsigned char *mark, size_t mark_len);
void		 state_serial_close(struct serial_file *);

#endif

/*
 * What the previous run stored, so that the next start can tell which
 * events were lost while the plugin was not running: the last audit
 * serial whose document is stored (path.data/last-serial), and, with a
 * network output, the mark of the spool's newest record, which says
 * exactly which serials its documents hold.
 */
#ifndef AUDISP_ECS_STATE_FILE_H
#define AUDISP_ECS_STATE_FILE_H

struct config;
struct reassembly;

/*
 * Carry on the serial count of the previous run (live input).  With a
 * network output the spool's mark is exact, even after a SIGKILL: only
 * serials whose documents never reached the spool are reported lost.
 * last-serial, saved at most every 100 ms, is what the file output has,
 * and what is used when the spool holds no mark, or an older one (its
 * documents were dropped, or the output changed).
 */
void		state_resume_serials(const struct config *, struct reassembly *);

/* 0 when there is none (first start, or after a reboot it is just old). */
unsigned long	state_load_serial(const char *data_dir);

/*
 * The serial is saved often (every 100 ms while events flow), so the file
 * stays open and each save is one pwrite of a fixed-width line over the
 * last: no temporary file, rename or fsync.  A killed plugin leaves the
 * last save in the page cache; a power cut may leave an older one, which
 * only makes the next start report some stored events as lost.
 */
struct serial_file;

/* NULL (logged) if the file cannot be opened; saves are then skipped. */
struct serial_file *state_serial_open(const char *data_dir);
/* Errors are logged, rate-limited. */
void		 state_serial_save(struct serial_file *, unsigned long serial);
void		 state_serial_close(struct serial_file *);

#endif

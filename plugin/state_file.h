/*
 * Small state kept in path.data across runs: the last audit serial whose
 * document is stored (in the spool or the output file), so that the next
 * start can tell which events were lost while the plugin was not running.
 */
#ifndef AUDISP_ECS_STATE_FILE_H
#define AUDISP_ECS_STATE_FILE_H

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

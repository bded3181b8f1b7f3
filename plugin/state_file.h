/*
 * Small state kept in path.data across runs: the last audit serial whose
 * document is stored (in the spool or the output file), so that the next
 * start can tell which events were lost while the plugin was not running.
 */
#ifndef AUDISP_ECS_STATE_FILE_H
#define AUDISP_ECS_STATE_FILE_H

/* 0 when there is none (first start, or after a reboot it is just old). */
unsigned long	state_load_serial(const char *data_dir);
/* Replaced by rename: never torn.  Errors are logged, rate-limited. */
void		state_save_serial(const char *data_dir, unsigned long serial);

#endif

/* Plugin mode (see daemon.c) and the replay verb (see replay.c). */
#ifndef AUDISP_ECS_DAEMON_H
#define AUDISP_ECS_DAEMON_H

/* Returns the process exit status. */
int	daemon_main(const char *config_path, int foreground);
int	replay_main(const char *config_path, char *const paths[], int npaths);
/* The fim-scan verb (fim_scan.c). */
int	fim_scan_main(const char *config_path);
/* "test output" (test_output.c). */
int	test_output(const char *config_path);
/* "setup": Elasticsearch index template and lifecycle policy (setup.c). */
int	setup_main(const char *config_path, int ilm);

#endif

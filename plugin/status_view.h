/*
 * What the status verb gathers besides the kernel's status: auditd's own
 * report of its state (its plugin queue) and the running plugin's
 * counters (stats.json).
 *
 * Both are asked for fresh, the way their owners offer it: auditd writes
 * its report on SIGCONT, the plugin its counters on SIGUSR1; a signal
 * goes only to a process that is what it claims to be.
 */
#ifndef AUDISP_ECS_STATUS_VIEW_H
#define AUDISP_ECS_STATUS_VIEW_H

#include <sys/types.h>

#include <json-c/json.h>

#define AUDITD_STATE_PATH	"/var/run/auditd.state"

/* auditd's report: "name = value" lines, as a JSON object; NULL if none. */
struct json_object	*auditd_state_read(pid_t auditd_pid, const char *path);
/*
 * DATA_DIR/stats.json as a JSON object, with "running" added (the plugin
 * that wrote it still runs); NULL if there is none or it is not valid.
 */
struct json_object	*plugin_stats_read(const char *data_dir);

#endif

/*
 * What the plugin needs to know of auditd's own configuration: where it
 * writes its log (input.backfill reads it to heal gaps).
 */
#ifndef AUDISP_ECS_AUDITD_CONF_H
#define AUDISP_ECS_AUDITD_CONF_H

#define AUDITD_CONF_PATH	"/etc/audit/auditd.conf"
#define AUDITD_DEFAULT_LOG	"/var/log/audit/audit.log"

/*
 * The log file auditd.conf at path names (log_file, auditd's default when
 * it names none), copied; NULL when auditd writes no log (write_logs =
 * no) or on out of memory.
 */
char	*auditd_log_file(const char *path);

#endif

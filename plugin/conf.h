/*
 * The configuration file (libconfig syntax) and its validation.
 *
 * Every accepted key is listed once in the schema table in conf.c with
 * its type, default and check; config_load() reports every unknown key,
 * wrong type and bad value as "FILE:LINE: key: what is wrong" and fails if
 * there was any.  Option names follow Auditbeat/libbeat where the concept
 * is the same.
 */
#ifndef AUDISP_ECS_CONF_H
#define AUDISP_ECS_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "../common/log.h"
#include "../fim/fim_conf.h"
#include "../outputs/output_conf.h"
#include "../parsers/event_filter.h"
#include "../system/system_conf.h"

#define CONFIG_DEFAULT_PATH	"/etc/audisp-ecs/audisp-ecs.conf"
#define CONFIG_DEFAULT_DATA_DIR	"/var/lib/audisp-ecs"

/* input.source: where the audit records come from. */
enum input_source {
	INPUT_STDIN,		/* auditd writes them (plugin mode) */
	INPUT_NETLINK,		/* the kernel's multicast group */
	INPUT_UNIX,		/* auditd's af_unix socket */
};

struct config {
	char	*source;		/* file it came from, or NULL */
	int	 has_outputs;		/* an output: section names one */
	struct file_output_config *file_output;	/* NULL unless configured */
	struct logstash_output_config *logstash;	/* likewise */
	struct es_output_config *elasticsearch;	/* likewise */
	struct spool_config spool;	/* queue.spool */
	long	 metrics_period_ms;	/* logging.metrics.period */
	long	 input_buffer_size;	/* bytes of documents held, outputs behind */
	long	 max_record_size;
	long	 eoe_timeout;
	long	 input_source;		/* enum input_source */
	long long netlink_buffer_size;	/* input.netlink.buffer_size */
	char	*unix_path;		/* input.unix.path */
	int	 backfill_enabled;	/* input.backfill.* */
	char	*backfill_log_file;	/* "": auditd.conf's log_file */
	long	 backfill_max_age_ms;
	long	 backfill_max_events;
	long long backfill_max_bytes;
	long long backfill_rate;	/* bytes/s, 0: unlimited */
	long	 status_period_ms;	/* input.status_period; 0: off */
	int	 status_documents;	/* input.status_documents */
	long	 queue_events;		/* documents between parser and outputs */
	long	 flush_timeout_ms;	/* queue.mem.flush.timeout */
	long	 log_level;		/* enum log_level */
	int	 log_to_stderr;
	int	 include_raw_message;	/* auditd.include_raw_message */
	int	 resolve_ids;		/* auditd.resolve_ids */
	long	 args_max_bytes;	/* auditd.args_max_bytes, 0: no cap */
	char	*data_dir;		/* path.data */
	char	*rules_keys_file;	/* rules.keys_file; "": the installed */
	char	*run_as;		/* user to become after start; "": root */
	struct event_filter drop_event;	/* events not to write */
	struct fim_config *fim;		/* file integrity; NULL: off */
	struct system_config *system;	/* system datasets; NULL: off */
};

/*
 * Load path; if path is NULL the default file is read when it exists, and
 * built-in defaults apply otherwise.  On error, messages go to errors and
 * NULL is returned.
 */
struct config	*config_load(const char *path, FILE *errors);
/* The built-in defaults alone. */
struct config	*config_defaults(void);
void		 config_free(struct config *);
/* Writes every key with its type, default and range, from the schema. */
void		 config_print_defaults(FILE *);

#endif

/*
 * The configuration file (libconfig syntax) and its validation.
 *
 * Every accepted key is listed once in the schema table in config.c with
 * its type, default and check; config_load() reports every unknown key,
 * wrong type and bad value as "FILE:LINE: key: what is wrong" and fails if
 * there was any.  Option names follow Auditbeat/libbeat where the concept
 * is the same.
 */
#ifndef AUDISP_ECS_CONF_H
#define AUDISP_ECS_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "../fim/fim_conf.h"
#include "../parsers/event_filter.h"

#define CONFIG_DEFAULT_PATH	"/etc/audisp-ecs/audisp-ecs.conf"
#define CONFIG_DEFAULT_DATA_DIR	"/var/lib/audisp-ecs"
#define LOG_LEVEL_DEBUG		3
/* A data stream: "logs-" so that Kibana's log views find it. */
#define ES_DEFAULT_INDEX	"logs-audisp_ecs-default"
#define ES_DEFAULT_DEAD_LETTER_INDEX	"audisp-ecs-dead-letter"

struct file_output_config {
	char	*path;
	long	 rotate_every_kb;
	long	 number_of_files;
	int	 permissions;
};

/* The ssl.* settings of a network output, as libbeat's. */
struct ssl_settings {
	int	 enabled;
	struct string_list cas;		/* certificate_authorities */
	char	*certificate;
	char	*key;
	char	*key_passphrase;
	long	 verification_mode;	/* enum tls_verify */
	struct string_list protocols;	/* supported_protocols */
	struct string_list ciphers;	/* cipher_suites */
};

/* output.logstash; option names and defaults as libbeat's. */
struct logstash_output_config {
	struct string_list hosts;
	int	 loadbalance;
	long	 worker;
	long	 bulk_max_size;
	long	 compression_level;
	long	 pipelining;
	long	 timeout_ms;
	long	 backoff_init_ms;
	long	 backoff_max_ms;
	long	 ttl_ms;
	int	 escape_html;
	char	*index;
	struct ssl_settings ssl;
};

enum es_protocol {
	ES_PROTOCOL_HTTP,
	ES_PROTOCOL_HTTPS,
};

enum non_indexable_policy {
	NON_INDEXABLE_DROP,
	NON_INDEXABLE_DEAD_LETTER_INDEX,
	NON_INDEXABLE_DEAD_LETTER_FILE,
};

/* output.elasticsearch; option names and defaults as libbeat's. */
struct es_output_config {
	struct string_list hosts;	/* "https://host:9200", "host", ... */
	long	 protocol;		/* enum es_protocol: for bare hosts */
	char	*path;			/* URL path prefix, e.g. behind a proxy */
	struct string_list headers;	/* "Name: value" */
	struct string_list parameters;	/* "name=value", URL-encoded */
	char	*username;
	char	*password;		/* or read from password_file */
	char	*api_key;		/* "id:key"; or from api_key_file */
	char	*index;
	char	*pipeline;
	int	 loadbalance;
	long	 worker;
	long	 bulk_max_size;
	long	 flush_interval_ms;
	long	 compression_level;	/* gzip; 0: none */
	long	 timeout_ms;
	long	 max_retries;		/* per document, for 5xx item errors */
	long	 backoff_init_ms;
	long	 backoff_max_ms;
	long	 non_indexable_policy;	/* enum non_indexable_policy */
	char	*dead_letter_index;
	char	*dead_letter_file;
	struct ssl_settings ssl;
};

enum spool_full_policy {
	POLICY_DROP_OLDEST,
	POLICY_BLOCK,
};

struct config {
	char	*source;		/* file it came from, or NULL */
	int	 has_outputs;		/* an output: section names one */
	struct file_output_config *file_output;	/* NULL unless configured */
	struct logstash_output_config *logstash;	/* likewise */
	struct es_output_config *elasticsearch;	/* likewise */
	char	*spool_path;		/* queue.spool.path */
	long long spool_max_size;	/* queue.spool.max_size, bytes */
	long	 spool_policy;		/* queue.spool.policy */
	long	 metrics_period_ms;	/* logging.metrics.period */
	long	 input_buffer_size;	/* bytes of raw records queued */
	long	 max_record_size;
	long	 eoe_timeout;
	long	 queue_events;		/* documents between parser and outputs */
	long	 log_level;		/* 0 error, 1 warning, 2 info, 3 debug */
	int	 log_to_stderr;
	int	 include_raw_message;	/* auditd.include_raw_message */
	int	 resolve_ids;		/* auditd.resolve_ids */
	long	 args_max_bytes;	/* auditd.args_max_bytes, 0: no cap */
	char	*data_dir;		/* path.data */
	struct event_filter drop_event;	/* events not to write */
	struct fim_config *fim;		/* file integrity; NULL: off */
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
/* Writes the schema (key, type, default) for the documentation. */
void		 config_print_schema(FILE *);

#endif

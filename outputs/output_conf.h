/*
 * The settings of each output and of the spool in front of the network
 * outputs, as the outputs take them: plugin/conf.c fills them from the
 * configuration file, and nothing here knows about that file.  Option
 * names and defaults follow libbeat's where the concept is the same.
 */
#ifndef AUDISP_ECS_OUTPUT_CONF_H
#define AUDISP_ECS_OUTPUT_CONF_H

#include "../common/string_list.h"

/* A data stream: "logs-" so that Kibana's log views find it. */
#define ES_DEFAULT_INDEX	"logs-audisp_ecs-default"
#define ES_DEFAULT_DEAD_LETTER_INDEX	"audisp-ecs-dead-letter"

/* queue.spool: where the network outputs keep what is not acknowledged. */
struct spool_config {
	char		*path;
	long long	 max_size;	/* bytes */
	long		 policy;	/* enum spool_policy (spool.h) */
};

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

#endif

/*
 * Loading and validating the configuration; see conf.h.
 *
 * The schema table is the single list of accepted keys: the loader walks
 * every setting in the file and looks it up there, so a typo is an
 * "unknown key" error with its line rather than a silently ignored option.
 */
#include "config.h"

#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../outputs/spool.h"
#include "../outputs/tls.h"
#include "conf.h"

/* What is wrong with a value; its size travels with it. */
struct err {
	char	msg[256];
};

static void errf(struct err *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

struct choice {
	const char	*word;
	long		 value;
};

struct key_spec;
typedef int (*store_fn)(const struct key_spec *, const config_setting_t *,
    struct config *, struct err *err);

/* Which struct a setting is stored in. */
enum target {
	IN_CONFIG,		/* struct config */
	IN_FILE_OUTPUT,		/* struct file_output_config */
	IN_LOGSTASH,		/* struct logstash_output_config */
	IN_ES,			/* struct es_output_config */
	IN_FIM,			/* struct fim_config */
	IN_SYSTEM,		/* struct system_config */
};

/* Value types beyond libconfig's: a number or a string with a unit. */
#define TYPE_DURATION	100	/* 30, "30s", "500ms", "2m", "1h" */
#define TYPE_SIZE	101	/* 1073741824, "1GiB", "500MB", "64KiB" */
#define TYPE_RATE	102	/* a size per second, or "unlimited" */

/* key_spec flags. */
#define KEY_SECRET	0x1	/* the file holding it must be 0600 */
#define KEY_REQUIRED	0x2	/* no default: the section needs it */

struct key_spec {
	const char	*path;
	int		 type;		/* CONFIG_TYPE_* or TYPE_* */
	/*
	 * The default as a value in the file would be written, stored by
	 * store like one; NULL: none.  "${path.data}" stands for path.data
	 * and is resolved once the file is read.
	 */
	const char	*def;
	store_fn	 store;		/* NULL for groups */
	long		 min, max;	/* integers, quantities (ms, bytes),
					   list lengths */
	enum target	 target;	/* where the value goes: */
	size_t		 offset;
	const struct choice *choices;	/* store_choice: the allowed words */
	int		 flags;		/* KEY_* */
};

#define AT_CONFIG(field)	IN_CONFIG, offsetof(struct config, field)
#define AT_FILE(field)		IN_FILE_OUTPUT, \
				offsetof(struct file_output_config, field)
#define AT_LS(field)		IN_LOGSTASH, \
				offsetof(struct logstash_output_config, field)
#define AT_ES(field)		IN_ES, offsetof(struct es_output_config, field)
#define AT_FIM(field)		IN_FIM, offsetof(struct fim_config, field)
#define AT_SYSTEM(field)	IN_SYSTEM, \
				offsetof(struct system_config, field)
#define GROUP(path)		{ path, CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, \
				  IN_CONFIG, 0, NULL, 0 }

#define STORE_FN(name) static int name(const struct key_spec *, \
    const config_setting_t *, struct config *, struct err *)
STORE_FN(store_int);
STORE_FN(store_bool);
STORE_FN(store_string);
STORE_FN(store_path);
STORE_FN(store_strings);
STORE_FN(store_duration);
STORE_FN(store_size);
STORE_FN(store_choice);
STORE_FN(store_permissions);
STORE_FN(store_headers);
STORE_FN(store_parameters);
STORE_FN(store_secret_file);

/*
 * The ssl.* rows of a network output, under prefix P, stored with AT (a
 * struct holding a struct ssl_settings named ssl).
 */
#define SSL_ROWS(P, AT) \
	GROUP(P ".ssl"), \
	{ P ".ssl.enabled", CONFIG_TYPE_BOOL, "false", \
	    store_bool, 0, 0, AT(ssl.enabled), NULL, 0 }, \
	{ P ".ssl.certificate_authorities", CONFIG_TYPE_ARRAY, \
	    NULL, store_strings, 1, 64, AT(ssl.cas), NULL, 0 }, \
	{ P ".ssl.certificate", CONFIG_TYPE_STRING, NULL, \
	    store_path, 0, 0, AT(ssl.certificate), NULL, 0 }, \
	{ P ".ssl.key", CONFIG_TYPE_STRING, NULL, \
	    store_path, 0, 0, AT(ssl.key), NULL, 0 }, \
	{ P ".ssl.key_passphrase", CONFIG_TYPE_STRING, NULL, \
	    store_string, 0, 0, AT(ssl.key_passphrase), NULL, KEY_SECRET }, \
	{ P ".ssl.verification_mode", CONFIG_TYPE_STRING, \
	    "\"full\"", store_choice, 0, 0, AT(ssl.verification_mode), \
	    verification_modes, 0 }, \
	{ P ".ssl.supported_protocols", CONFIG_TYPE_ARRAY, \
	    "[\"TLSv1.2\", \"TLSv1.3\"]", store_strings, 1, 8, \
	    AT(ssl.protocols), NULL, 0 }, \
	{ P ".ssl.cipher_suites", CONFIG_TYPE_ARRAY, \
	    NULL, store_strings, 1, 64, AT(ssl.ciphers), \
	    NULL, 0 }
STORE_FN(store_rate);

/* The words a setting accepts and the enum value each one stands for. */
static const struct choice log_levels[] = {
	{ "error", LOG_LEVEL_ERROR }, { "warning", LOG_LEVEL_WARNING },
	{ "info", LOG_LEVEL_INFO }, { "debug", LOG_LEVEL_DEBUG }, { NULL, 0 } };
static const struct choice verification_modes[] = {
	{ "full", TLS_VERIFY_FULL }, { "strict", TLS_VERIFY_STRICT },
	{ "certificate", TLS_VERIFY_CERTIFICATE }, { "none", TLS_VERIFY_NONE },
	{ NULL, 0 } };
static const struct choice spool_policies[] = {
	{ "drop_oldest", SPOOL_DROP_OLDEST }, { "block", SPOOL_BLOCK },
	{ NULL, 0 } };
static const struct choice protocols[] = {
	{ "http", ES_PROTOCOL_HTTP }, { "https", ES_PROTOCOL_HTTPS },
	{ NULL, 0 } };
static const struct choice non_indexable_policies[] = {
	{ "drop", NON_INDEXABLE_DROP },
	{ "dead_letter_index", NON_INDEXABLE_DEAD_LETTER_INDEX },
	{ "dead_letter_file", NON_INDEXABLE_DEAD_LETTER_FILE }, { NULL, 0 } };
static const struct choice input_sources[] = {
	{ "stdin", INPUT_STDIN }, { "netlink", INPUT_NETLINK },
	{ "unix", INPUT_UNIX }, { NULL, 0 } };
static const struct choice fim_initial_scans[] = {
	{ "state", FIM_INITIAL_STATE }, { "none", FIM_INITIAL_NONE },
	{ NULL, 0 } };
static const struct choice fim_backends[] = {
	{ "auto", FIM_BACKEND_AUTO }, { "inotify", FIM_BACKEND_INOTIFY },
	{ "fanotify", FIM_BACKEND_FANOTIFY }, { NULL, 0 } };

static const struct key_spec schema[] = {
	GROUP("output"),
	GROUP("output.file"),
	{ "output.file.path", CONFIG_TYPE_STRING,
	    "\"/var/log/audisp-ecs/events.json\"", store_path, 0, 0,
	    AT_FILE(path), NULL, 0 },
	{ "output.file.rotate_every_kb", CONFIG_TYPE_INT, "10240",
	    store_int, 1, 1L << 30, AT_FILE(rotate_every_kb), NULL, 0 },
	{ "output.file.number_of_files", CONFIG_TYPE_INT, "7",
	    store_int, 2, 1024, AT_FILE(number_of_files), NULL, 0 },
	{ "output.file.permissions", CONFIG_TYPE_STRING, "\"0600\"",
	    store_permissions, 0, 0, AT_FILE(permissions), NULL, 0 },
	GROUP("output.logstash"),
	{ "output.logstash.hosts", CONFIG_TYPE_ARRAY, NULL,
	    store_strings, 1, 64, AT_LS(hosts), NULL, KEY_REQUIRED },
	{ "output.logstash.loadbalance", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_LS(loadbalance), NULL, 0 },
	{ "output.logstash.worker", CONFIG_TYPE_INT, "1",
	    store_int, 1, 64, AT_LS(worker), NULL, 0 },
	{ "output.logstash.bulk_max_size", CONFIG_TYPE_INT, "2048",
	    store_int, 1, 65536, AT_LS(bulk_max_size), NULL, 0 },
	{ "output.logstash.compression_level", CONFIG_TYPE_INT, "3",
	    store_int, 0, 9, AT_LS(compression_level), NULL, 0 },
	{ "output.logstash.pipelining", CONFIG_TYPE_INT, "2",
	    store_int, 0, 64, AT_LS(pipelining), NULL, 0 },
	{ "output.logstash.timeout", TYPE_DURATION, "\"30s\"",
	    store_duration, 100, 3600000, AT_LS(timeout_ms), NULL, 0 },
	GROUP("output.logstash.backoff"),
	{ "output.logstash.backoff.init", TYPE_DURATION, "\"1s\"",
	    store_duration, 1, 3600000, AT_LS(backoff_init_ms), NULL, 0 },
	{ "output.logstash.backoff.max", TYPE_DURATION, "\"60s\"",
	    store_duration, 1, 3600000, AT_LS(backoff_max_ms), NULL, 0 },
	{ "output.logstash.ttl", TYPE_DURATION, "0",
	    store_duration, 0, 86400000, AT_LS(ttl_ms), NULL, 0 },
	{ "output.logstash.escape_html", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_LS(escape_html), NULL, 0 },
	{ "output.logstash.index", CONFIG_TYPE_STRING, "\"audisp-ecs\"",
	    store_string, 0, 0, AT_LS(index), NULL, 0 },
	SSL_ROWS("output.logstash", AT_LS),
	GROUP("output.elasticsearch"),
	{ "output.elasticsearch.hosts", CONFIG_TYPE_ARRAY,
	    NULL, store_strings, 1, 64, AT_ES(hosts), NULL,
	    KEY_REQUIRED },
	{ "output.elasticsearch.protocol", CONFIG_TYPE_STRING, "\"http\"",
	    store_choice, 0, 0, AT_ES(protocol), protocols, 0 },
	{ "output.elasticsearch.path", CONFIG_TYPE_STRING, "\"\"",
	    store_string, 0, 0, AT_ES(path), NULL, 0 },
	{ "output.elasticsearch.headers", CONFIG_TYPE_GROUP, "{}",
	    store_headers, 0, 0, AT_ES(headers), NULL, 0 },
	{ "output.elasticsearch.parameters", CONFIG_TYPE_GROUP, "{}",
	    store_parameters, 0, 0, AT_ES(parameters), NULL, 0 },
	{ "output.elasticsearch.username", CONFIG_TYPE_STRING, NULL,
	    store_string, 0, 0, AT_ES(username), NULL, 0 },
	{ "output.elasticsearch.password", CONFIG_TYPE_STRING, NULL,
	    store_string, 0, 0, AT_ES(password), NULL, KEY_SECRET },
	{ "output.elasticsearch.password_file", CONFIG_TYPE_STRING, NULL,
	    store_secret_file, 0, 0, AT_ES(password), NULL, 0 },
	{ "output.elasticsearch.api_key", CONFIG_TYPE_STRING, NULL,
	    store_string, 0, 0, AT_ES(api_key), NULL, KEY_SECRET },
	{ "output.elasticsearch.api_key_file", CONFIG_TYPE_STRING, NULL,
	    store_secret_file, 0, 0, AT_ES(api_key), NULL, 0 },
	{ "output.elasticsearch.index", CONFIG_TYPE_STRING,
	    "\"" ES_DEFAULT_INDEX "\"", store_string, 0, 0, AT_ES(index),
	    NULL, 0 },
	{ "output.elasticsearch.pipeline", CONFIG_TYPE_STRING, NULL,
	    store_string, 0, 0, AT_ES(pipeline), NULL, 0 },
	{ "output.elasticsearch.loadbalance", CONFIG_TYPE_BOOL, "true",
	    store_bool, 0, 0, AT_ES(loadbalance), NULL, 0 },
	{ "output.elasticsearch.worker", CONFIG_TYPE_INT, "1",
	    store_int, 1, 64, AT_ES(worker), NULL, 0 },
	{ "output.elasticsearch.bulk_max_size", CONFIG_TYPE_INT, "1600",
	    store_int, 1, 100000, AT_ES(bulk_max_size), NULL, 0 },
	{ "output.elasticsearch.flush_interval", TYPE_DURATION, "\"1s\"",
	    store_duration, 0, 60000, AT_ES(flush_interval_ms), NULL, 0 },
	{ "output.elasticsearch.compression_level", CONFIG_TYPE_INT, "1",
	    store_int, 0, 9, AT_ES(compression_level), NULL, 0 },
	{ "output.elasticsearch.timeout", TYPE_DURATION, "\"90s\"",
	    store_duration, 100, 3600000, AT_ES(timeout_ms), NULL, 0 },
	{ "output.elasticsearch.max_retries", CONFIG_TYPE_INT, "3",
	    store_int, -1, 1000000, AT_ES(max_retries), NULL, 0 },
	GROUP("output.elasticsearch.backoff"),
	{ "output.elasticsearch.backoff.init", TYPE_DURATION, "\"1s\"",
	    store_duration, 1, 3600000, AT_ES(backoff_init_ms), NULL, 0 },
	{ "output.elasticsearch.backoff.max", TYPE_DURATION, "\"60s\"",
	    store_duration, 1, 3600000, AT_ES(backoff_max_ms), NULL, 0 },
	{ "output.elasticsearch.non_indexable_policy", CONFIG_TYPE_STRING,
	    "\"dead_letter_file\"", store_choice, 0, 0,
	    AT_ES(non_indexable_policy), non_indexable_policies, 0 },
	{ "output.elasticsearch.dead_letter_index", CONFIG_TYPE_STRING,
	    "\"" ES_DEFAULT_DEAD_LETTER_INDEX "\"", store_string, 0, 0,
	    AT_ES(dead_letter_index), NULL, 0 },
	{ "output.elasticsearch.dead_letter_file", CONFIG_TYPE_STRING,
	    "\"${path.data}/dead-letter.ndjson\"", store_path, 0, 0,
	    AT_ES(dead_letter_file), NULL, 0 },
	SSL_ROWS("output.elasticsearch", AT_ES),
	GROUP("input"),
	{ "input.buffer_size", CONFIG_TYPE_INT, "67108864",
	    store_int, 65536, 1L << 30, AT_CONFIG(input_buffer_size), NULL, 0 },
	{ "input.max_record_size", CONFIG_TYPE_INT, "65536",
	    store_int, 8192, 16L << 20, AT_CONFIG(max_record_size), NULL, 0 },
	{ "input.eoe_timeout", CONFIG_TYPE_INT, "2",
	    store_int, 1, 60, AT_CONFIG(eoe_timeout), NULL, 0 },
	{ "input.source", CONFIG_TYPE_STRING, "\"stdin\"",
	    store_choice, 0, 0, AT_CONFIG(input_source), input_sources, 0 },
	GROUP("input.netlink"),
	{ "input.netlink.buffer_size", TYPE_SIZE, "\"16MiB\"",
	    store_size, 64L << 10, 1L << 30, AT_CONFIG(netlink_buffer_size),
	    NULL, 0 },
	GROUP("input.unix"),
	{ "input.unix.path", CONFIG_TYPE_STRING,
	    "\"/var/run/audispd_events\"", store_path, 0, 0,
	    AT_CONFIG(unix_path), NULL, 0 },
	GROUP("input.backfill"),
	{ "input.backfill.enabled", CONFIG_TYPE_BOOL, "true",
	    store_bool, 0, 0, AT_CONFIG(backfill_enabled), NULL, 0 },
	{ "input.backfill.log_file", CONFIG_TYPE_STRING, "\"\"",
	    store_string, 0, 0, AT_CONFIG(backfill_log_file), NULL, 0 },
	{ "input.backfill.max_age", TYPE_DURATION, "\"1h\"",
	    store_duration, 1000, 31L * 86400000, AT_CONFIG(backfill_max_age_ms),
	    NULL, 0 },
	{ "input.backfill.max_events", CONFIG_TYPE_INT, "10000",
	    store_int, 1, 1000000, AT_CONFIG(backfill_max_events), NULL, 0 },
	{ "input.backfill.max_bytes", TYPE_SIZE, "\"256MiB\"",
	    store_size, 1L << 20, 1L << 40, AT_CONFIG(backfill_max_bytes),
	    NULL, 0 },
	{ "input.backfill.rate", TYPE_RATE, "\"64MiB\"",
	    store_rate, 1L << 20, 1L << 40, AT_CONFIG(backfill_rate), NULL, 0 },
	{ "input.status_period", TYPE_DURATION, "\"10s\"",
	    store_duration, 0, 86400000, AT_CONFIG(status_period_ms), NULL, 0 },
	{ "input.status_documents", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_CONFIG(status_documents), NULL, 0 },
	GROUP("queue"),
	GROUP("queue.mem"),
	{ "queue.mem.events", CONFIG_TYPE_INT, "65536",
	    store_int, 64, 1L << 24, AT_CONFIG(queue_events), NULL, 0 },
	GROUP("queue.mem.flush"),
	{ "queue.mem.flush.timeout", TYPE_DURATION, "\"10ms\"",
	    store_duration, 0, 10000, AT_CONFIG(flush_timeout_ms), NULL, 0 },
	GROUP("queue.spool"),
	{ "queue.spool.path", CONFIG_TYPE_STRING,
	    "\"${path.data}/spool\"", store_path, 0, 0,
	    AT_CONFIG(spool.path), NULL, 0 },
	{ "queue.spool.max_size", TYPE_SIZE, "\"1GiB\"",
	    store_size, 1L << 20, LONG_MAX, AT_CONFIG(spool.max_size), NULL, 0 },
	{ "queue.spool.policy", CONFIG_TYPE_STRING, "\"drop_oldest\"",
	    store_choice, 0, 0, AT_CONFIG(spool.policy), spool_policies, 0 },
	GROUP("logging"),
	{ "logging.level", CONFIG_TYPE_STRING, "\"info\"",
	    store_choice, 0, 0, AT_CONFIG(log_level), log_levels, 0 },
	{ "logging.to_stderr", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_CONFIG(log_to_stderr), NULL, 0 },
	GROUP("logging.metrics"),
	{ "logging.metrics.period", TYPE_DURATION, "\"30s\"",
	    store_duration, 0, 86400000, AT_CONFIG(metrics_period_ms), NULL, 0 },
	GROUP("auditd"),
	{ "auditd.include_raw_message", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_CONFIG(include_raw_message), NULL, 0 },
	{ "auditd.resolve_ids", CONFIG_TYPE_BOOL, "true",
	    store_bool, 0, 0, AT_CONFIG(resolve_ids), NULL, 0 },
	{ "auditd.args_max_bytes", CONFIG_TYPE_INT, "1048576",
	    store_int, 0, 1L << 30, AT_CONFIG(args_max_bytes), NULL, 0 },
	{ "drop_event", CONFIG_TYPE_LIST, "()", NULL, 0, 0, IN_CONFIG, 0,
	    NULL, 0 },
	GROUP("path"),
	{ "path.data", CONFIG_TYPE_STRING, "\"" CONFIG_DEFAULT_DATA_DIR "\"",
	    store_path, 0, 0, AT_CONFIG(data_dir), NULL, 0 },
	/* Compliance rule keys and the process's privileges (hardening.c). */
	GROUP("rules"),
	{ "rules.keys_file", CONFIG_TYPE_STRING, "\"\"",
	    store_string, 0, 0, AT_CONFIG(rules_keys_file), NULL, 0 },
	{ "run_as", CONFIG_TYPE_STRING, "\"\"",
	    store_string, 0, 0, AT_CONFIG(run_as), NULL, 0 },
	/* File integrity monitoring (fim/fim_conf.h checks the whole). */
	GROUP("fim"),
	{ "fim.paths", CONFIG_TYPE_ARRAY, NULL,
	    store_strings, 1, 4096, AT_FIM(paths), NULL, KEY_REQUIRED },
	{ "fim.recursive", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_FIM(recursive), NULL, 0 },
	{ "fim.exclude_files", CONFIG_TYPE_ARRAY, "[]",
	    store_strings, 0, 1024, AT_FIM(exclude_files), NULL, 0 },
	{ "fim.include_files", CONFIG_TYPE_ARRAY, "[]",
	    store_strings, 0, 1024, AT_FIM(include_files), NULL, 0 },
	{ "fim.hash_types", CONFIG_TYPE_ARRAY, "[\"sha256\"]",
	    store_strings, 0, 16, AT_FIM(hash_types), NULL, 0 },
	{ "fim.attributes", CONFIG_TYPE_ARRAY, "[\"inode\", \"mode\", \"nlink\", \"uid\", \"gid\", "
	    "\"size\", \"mtime\", \"acl\", \"xattrs\", \"hash\"]",
	    store_strings, 1, 16, AT_FIM(attributes), NULL, 0 },
	{ "fim.max_file_size", TYPE_SIZE, "\"100 MiB\"",
	    store_size, 1L << 20, LONG_MAX, AT_FIM(max_file_size), NULL, 0 },
	{ "fim.scan_at_start", CONFIG_TYPE_BOOL, "true",
	    store_bool, 0, 0, AT_FIM(scan_at_start), NULL, 0 },
	{ "fim.scan_rate_per_sec", TYPE_RATE, "\"50 MiB\"",
	    store_rate, 1L << 16, LONG_MAX, AT_FIM(scan_rate_per_sec), NULL, 0 },
	{ "fim.state_path", CONFIG_TYPE_STRING, "\"${path.data}/fim\"",
	    store_path, 0, 0, AT_FIM(state_path), NULL, 0 },
	{ "fim.initial_scan", CONFIG_TYPE_STRING, "\"state\"",
	    store_choice, 0, 0, AT_FIM(initial_scan), fim_initial_scans, 0 },
	{ "fim.quiet_period", TYPE_DURATION, "\"250ms\"",
	    store_duration, 0, 60000, AT_FIM(quiet_period_ms), NULL, 0 },
	{ "fim.backend", CONFIG_TYPE_STRING, "\"auto\"",
	    store_choice, 0, 0, AT_FIM(backend), fim_backends, 0 },
	{ "fim.hash_workers", CONFIG_TYPE_INT, "0",
	    store_int, 0, FIM_HASH_WORKERS_MAX, AT_FIM(hash_workers), NULL, 0 },
	/* System datasets (system/system_conf.h checks the whole). */
	GROUP("system"),
	{ "system.datasets", CONFIG_TYPE_ARRAY, "[]",
	    store_strings, 0, 16, AT_SYSTEM(datasets), NULL, 0 },
	{ "system.period", TYPE_DURATION, "\"10s\"",
	    store_duration, 1000, 86400000, AT_SYSTEM(period_ms), NULL, 0 },
	GROUP("system.state"),
	{ "system.state.period", TYPE_DURATION, "\"12h\"",
	    store_duration, 1000, 30L * 86400000, AT_SYSTEM(state_period_ms),
	    NULL, 0 },
	{ "system.state_path", CONFIG_TYPE_STRING, "\"${path.data}/system\"",
	    store_path, 0, 0, AT_SYSTEM(state_path), NULL, 0 },
	GROUP("system.login"),
	{ "system.login.wtmp_file_pattern", CONFIG_TYPE_STRING,
	    "\"/var/log/wtmp*\"", store_string, 0, 0,
	    AT_SYSTEM(login_wtmp_pattern), NULL, 0 },
	{ "system.login.btmp_file_pattern", CONFIG_TYPE_STRING,
	    "\"/var/log/btmp*\"", store_string, 0, 0,
	    AT_SYSTEM(login_btmp_pattern), NULL, 0 },
	GROUP("system.socket"),
	{ "system.socket.include_localhost", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_SYSTEM(socket_include_localhost), NULL, 0 },
	GROUP("system.user"),
	{ "system.user.detect_password_changes", CONFIG_TYPE_BOOL, "true",
	    store_bool, 0, 0, AT_SYSTEM(detect_password_changes), NULL, 0 },
};

static const struct key_spec *
find_spec(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		if (strcmp(schema[i].path, path) == 0)
			return &schema[i];
	return NULL;
}

static const char *
type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_GROUP:		return "a group { ... }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:		return "an integer";
	case CONFIG_TYPE_FLOAT:		return "a number";
	case CONFIG_TYPE_STRING:	return "a string";
	case CONFIG_TYPE_BOOL:		return "true or false";
	case CONFIG_TYPE_ARRAY:		return "an array [ ... ]";
	case CONFIG_TYPE_LIST:		return "a list ( ... )";
	case TYPE_DURATION:		return "a duration (\"30s\", \"500ms\")";
	case TYPE_SIZE:			return "a size (\"1GiB\", \"500MB\")";
	case TYPE_RATE:			return "a rate (\"50 MiB\", \"unlimited\")";
	}
	return "unknown";
}

static void
errf(struct err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/*
 * The sections struct config points to.  Each is created, with the
 * schema's defaults for it, when the file names it or one of its keys.
 */
static const struct section {
	enum target	 target;
	const char	*path;		/* its group in the file */
	size_t		 at;		/* its pointer in struct config */
	size_t		 size;
} sections[] = {
	{ IN_FILE_OUTPUT, "output.file", offsetof(struct config, file_output),
	    sizeof(struct file_output_config) },
	{ IN_LOGSTASH, "output.logstash", offsetof(struct config, logstash),
	    sizeof(struct logstash_output_config) },
	{ IN_ES, "output.elasticsearch", offsetof(struct config,
	    elasticsearch), sizeof(struct es_output_config) },
	{ IN_FIM, "fim", offsetof(struct config, fim),
	    sizeof(struct fim_config) },
	{ IN_SYSTEM, "system", offsetof(struct config, system),
	    sizeof(struct system_config) },
};

static int apply_defaults(struct config *, enum target, int);

static void **
section_ptr(struct config *cfg, const struct section *sec)
{
	return (void **)((char *)cfg + sec->at);
}

static const struct section *
find_section(enum target target, const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (path != NULL ? strcmp(sections[i].path, path) == 0 :
		    sections[i].target == target)
			return &sections[i];
	return NULL;
}

/* The struct settings of target go in, created if need be; NULL: no memory. */
static char *
target_struct(enum target target, struct config *cfg)
{
	const struct section *sec;
	void **p;

	if ((sec = find_section(target, NULL)) == NULL)
		return (char *)cfg;
	p = section_ptr(cfg, sec);
	if (*p == NULL) {
		if ((*p = calloc(1, sec->size)) == NULL ||
		    apply_defaults(cfg, target, 0) == -1)
			return NULL;
	}
	return *p;
}

/* Where spec's value goes, or NULL (and err says why). */
static void *
slot(const struct key_spec *spec, struct config *cfg, struct err *err)
{
	char *base;

	if ((base = target_struct(spec->target, cfg)) == NULL) {
		errf(err, "out of memory");
		return NULL;
	}
	return base + spec->offset;
}

static int
store_int(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	long long v = config_setting_get_int64(s);
	long *dst;

	if (v < spec->min || v > spec->max) {
		errf(err, "%lld is out of range (%ld..%ld)", v,
		    spec->min, spec->max);
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = (long)v;
	return 0;
}

static int
store_bool(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	int *dst;

	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = config_setting_get_bool(s);
	return 0;
}

static int
replace_string(char **dst, const char *value, struct err *err)
{
	char *copy;

	if ((copy = strdup(value)) == NULL) {
		errf(err, "out of memory");
		return -1;
	}
	free(*dst);
	*dst = copy;
	return 0;
}

static int
store_string(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	char **dst;

	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	return replace_string(dst, config_setting_get_string(s), err);
}

static int
store_path(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	const char *path = config_setting_get_string(s);

	if (path[0] != '/') {
		errf(err, "must be an absolute path, not \"%s\"",
		    path);
		return -1;
	}
	return store_string(spec, s, cfg, err);
}

static int
store_strings(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	struct string_list *dst;
	const config_setting_t *e;
	int i, n = config_setting_length(s);

	if (n < spec->min || n > spec->max) {
		errf(err, "must have %ld to %ld elements, not %d",
		    spec->min, spec->max, n);
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	string_list_free(dst);		/* the file's list replaces the default */
	for (i = 0; (e = config_setting_get_elem(s, (unsigned)i)) != NULL;
	    i++) {
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			errf(err, "element %d must be a string", i);
			return -1;
		}
		if (string_list_add(dst, config_setting_get_string(e)) == -1) {
			errf(err, "out of memory");
			return -1;
		}
	}
	return 0;
}

/*
 * "Number + unit" values: one parser, the units as data.  A bare number
 * (an integer or a float in the file, or a string without a unit) is in
 * the type's bare unit: seconds for durations, bytes for sizes.
 */
struct unit {
	const char	*name;
	long long	 factor;	/* in the stored unit: ms or bytes */
};

static const struct unit duration_units[] = {
	{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	{ "", 1000 }, { NULL, 0 } };
static const struct unit size_units[] = {
	{ "B", 1 }, { "KB", 1000 }, { "MB", 1000000 }, { "GB", 1000000000LL },
	{ "TB", 1000000000000LL }, { "KiB", 1LL << 10 }, { "MiB", 1LL << 20 },
	{ "GiB", 1LL << 30 }, { "TiB", 1LL << 40 }, { "", 1 }, { NULL, 0 } };

struct quantity {
	int		 type;
	const struct unit *units;
	const char	*what;		/* for "is not ..." */
	const char	*unit;		/* of the stored value, for ranges */
};

static const struct quantity quantities[] = {
	{ TYPE_DURATION, duration_units,
	    "a duration such as \"30s\", \"500ms\" or \"2m\"", "ms" },
	{ TYPE_SIZE, size_units, "a size such as \"1GiB\" or \"500MB\"", "B" },
	{ TYPE_RATE, size_units,
	    "a rate such as \"50 MiB\" or \"unlimited\"", "B" },
};

static const struct quantity *
find_quantity(int type)
{
	size_t i;

	for (i = 0; i < sizeof(quantities) / sizeof(quantities[0]); i++)
		if (quantities[i].type == type)
			return &quantities[i];
	return NULL;
}

static const struct unit *
find_unit(const struct unit *units, const char *name)
{
	for (; units->name != NULL; units++)
		if (strcmp(units->name, name) == 0)
			return units;
	return NULL;
}

/* The bare unit of a table: the factor of a number given alone. */
static long long
bare_factor(const struct unit *units)
{
	const struct unit *u = find_unit(units, "");

	return u != NULL ? u->factor : 1;
}

/*
 * Decimal digits, an optional fraction and exponent, then the unit: no
 * sign, no hex, no "inf" or "nan", which strtod() alone would take.
 * Returns the length of the number, 0 if there is none.
 */
static size_t
number_length(const char *t)
{
	size_t n = 0, digits = 0;

	while (t[n] >= '0' && t[n] <= '9')
		n++, digits++;
	if (t[n] == '.')
		for (n++; t[n] >= '0' && t[n] <= '9'; n++)
			digits++;
	if (digits == 0)
		return 0;
	if (t[n] == 'e' || t[n] == 'E') {
		size_t e = n + 1;

		if (t[e] == '+' || t[e] == '-')
			e++;
		if (t[e] >= '0' && t[e] <= '9') {
			while (t[e] >= '0' && t[e] <= '9')
				e++;
			n = e;
		}
	}
	return n;
}

/* v times factor, if finite, not negative, and at most max. */
static int
scale(double v, long long factor, long max, long long *out)
{
	double r = v * (double)factor;

	/* (double)LONG_MAX rounds up to 2^63, so >= is the bound. */
	if (!isfinite(r) || r < 0 || r >= (double)LONG_MAX || r > (double)max)
		return -1;
	*out = (long long)r;
	return 0;
}

/* An integer of the file in the bare unit; refuses what would wrap. */
static int
scale_int(long long v, long long factor, long max, long long *out)
{
	if (v < 0 || v > max / factor)
		return -1;
	*out = v * factor;
	return 0;
}

/*
 * The value of s in q's stored unit, within spec's range; -1 and err
 * when it is not a quantity or out of range.
 */
static int
parse_quantity(const struct key_spec *spec, const struct quantity *q,
    const config_setting_t *s, long long *out, struct err *err)
{
	const struct unit *u;
	const char *text;
	char number[64];
	size_t n;
	int rc;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_STRING:
		text = config_setting_get_string(s);
		n = number_length(text);
		if (n == 0 || n >= sizeof(number))
			goto bad;
		memcpy(number, text, n);
		number[n] = '\0';
		while (text[n] == ' ')
			n++;
		if ((u = find_unit(q->units, text + n)) == NULL)
			goto bad;
		rc = scale(strtod(number, NULL), u->factor, spec->max, out);
		break;
	case CONFIG_TYPE_FLOAT:
		rc = scale(config_setting_get_float(s), bare_factor(q->units),
		    spec->max, out);
		break;
	default:
		rc = scale_int(config_setting_get_int64(s),
		    bare_factor(q->units), spec->max, out);
		break;
	}
	if (rc == -1 || *out < spec->min) {
		errf(err, "out of range (%ld%s to %ld%s)", spec->min, q->unit,
		    spec->max, q->unit);
		return -1;
	}
	return 0;
bad:
	errf(err, "\"%s\" is not %s", text, q->what);
	return -1;
}

static int
store_duration(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	long long v;
	long *dst;

	if (parse_quantity(spec, find_quantity(TYPE_DURATION), s, &v,
	    err) == -1 || (dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = (long)v;
	return 0;
}

static int
store_size(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	long long v, *dst;

	if (parse_quantity(spec, find_quantity(TYPE_SIZE), s, &v, err) == -1 ||
	    (dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = v;
	return 0;
}

/* A size per second; 0 or "unlimited" lifts the limit. */
static int
store_rate(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	struct key_spec from_zero = *spec;
	long long v = 0, *dst;

	from_zero.min = 0;
	if ((config_setting_type(s) != CONFIG_TYPE_STRING ||
	    strcmp(config_setting_get_string(s), "unlimited") != 0) &&
	    parse_quantity(&from_zero, find_quantity(TYPE_RATE), s, &v,
	    err) == -1)
		return -1;
	if (v != 0 && v < spec->min) {
		errf(err, "must be 0 (unlimited) or at least %ldB", spec->min);
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = v;
	return 0;
}

/* A word from spec->choices, stored as the value it stands for. */
static int
store_choice(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	const char *word = config_setting_get_string(s);
	long *dst;
	size_t i, n = 0;

	for (i = 0; spec->choices[i].word != NULL; i++)
		if (strcmp(spec->choices[i].word, word) == 0)
			break;
	if (spec->choices[i].word == NULL) {
		errf(err, "\"%s\" is not one of", word);
		for (i = 0; spec->choices[i].word != NULL; i++) {
			n = strlen(err->msg);
			snprintf(err->msg + n, sizeof(err->msg) - n, "%s %s",
			    i ? "," : "", spec->choices[i].word);
		}
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = spec->choices[i].value;
	return 0;
}

static int
store_permissions(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	const char *text = config_setting_get_string(s);
	char *end;
	long mode;
	int *dst;

	errno = 0;
	mode = strtol(text, &end, 8);
	if (errno != 0 || *end != '\0' || text[0] == '\0' || mode < 0 ||
	    mode > 0777) {
		errf(err, "\"%s\" is not an octal file mode such "
		    "as \"0600\"", text);
		return -1;
	}
	if (mode & 0007) {
		errf(err, "\"%s\" would let any user read the audit "
		    "trail; use at most \"0640\"", text);
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = (int)mode;
	return 0;
}

/*
 * A group of name = "value" settings with names of the user's choosing
 * (HTTP headers, URL parameters), each stored as name, sep, value.
 */
static int
store_map(const struct key_spec *spec, const config_setting_t *group,
    struct config *cfg, const char *sep, struct err *err)
{
	const config_setting_t *e;
	struct string_list *dst;
	char *item;
	int i, rc;

	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	for (i = 0; (e = config_setting_get_elem(group, (unsigned)i)) != NULL;
	    i++) {
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			errf(err, "%s must be a string",
			    config_setting_name(e));
			return -1;
		}
		if (asprintf(&item, "%s%s%s", config_setting_name(e), sep,
		    config_setting_get_string(e)) == -1) {
			errf(err, "out of memory");
			return -1;
		}
		rc = string_list_add(dst, item);
		free(item);
		if (rc == -1) {
			errf(err, "out of memory");
			return -1;
		}
	}
	return 0;
}

static int
store_headers(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	return store_map(spec, s, cfg, ": ", err);
}

static int
store_parameters(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	return store_map(spec, s, cfg, "=", err);
}

/*
 * A secret (password, API key) read from a file of its own, which must be
 * readable by its owner alone; one line, its newline dropped.
 */
static int
store_secret_file(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, struct err *err)
{
	const char *path = config_setting_get_string(s);
	char buf[4096], **dst;
	struct stat st;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL) {
		errf(err, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 0077) != 0) {
		errf(err, "%s is readable by group or others "
		    "(mode %04o): chmod 600 %s", path,
		    (unsigned)(st.st_mode & 07777), path);
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0') {
		errf(err, "%s is empty", path);
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	n = replace_string(dst, buf, err) == -1 ? 1 : 0;
	explicit_bzero(buf, sizeof(buf));
	return n ? -1 : 0;
}

static int
type_matches(int want, int have)
{
	switch (want) {
	case CONFIG_TYPE_INT:
		return have == CONFIG_TYPE_INT || have == CONFIG_TYPE_INT64;
	case TYPE_DURATION:
		return have == CONFIG_TYPE_INT || have == CONFIG_TYPE_INT64 ||
		    have == CONFIG_TYPE_FLOAT || have == CONFIG_TYPE_STRING;
	case TYPE_SIZE:
	case TYPE_RATE:
		return have == CONFIG_TYPE_INT || have == CONFIG_TYPE_INT64 ||
		    have == CONFIG_TYPE_STRING;
	case CONFIG_TYPE_ARRAY:
		return have == CONFIG_TYPE_ARRAY || have == CONFIG_TYPE_LIST;
	}
	return want == have;
}

static void
report(FILE *errors, const char *file, const config_setting_t *s,
    const char *path, const char *what)
{
	fprintf(errors, "%s:%d: %s: %s\n", file,
	    config_setting_source_line(s), path, what);
}

/* One condition of a drop_event rule: an array of strings or of ids. */
static int
store_rule_list(const config_setting_t *s, struct filter_rule *rule,
    const char *name, struct err *err)
{
	const config_setting_t *e;
	int i, ids = strcmp(name, "uids") == 0 || strcmp(name, "auids") == 0;
	struct string_list *strings = strcmp(name, "keys") == 0 ? &rule->keys :
	    strcmp(name, "record_types") == 0 ? &rule->record_types :
	    &rule->executables;
	struct id_list *list = strcmp(name, "uids") == 0 ? &rule->uids :
	    &rule->auids;

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST) {
		errf(err, "must be an array [ ... ] of %s",
		    ids ? "ids" : "strings");
		return -1;
	}
	for (i = 0; (e = config_setting_get_elem(s, (unsigned)i)) != NULL;
	    i++) {
		if (ids && (config_setting_type(e) == CONFIG_TYPE_INT ||
		    config_setting_type(e) == CONFIG_TYPE_INT64) &&
		    config_setting_get_int64(e) >= 0) {
			if (id_list_add(list,
			    (unsigned long)config_setting_get_int64(e)) == -1)
				goto oom;
		} else if (!ids &&
		    config_setting_type(e) == CONFIG_TYPE_STRING) {
			if (string_list_add(strings,
			    config_setting_get_string(e)) == -1)
				goto oom;
		} else {
			errf(err, "element %d must be %s", i,
			    ids ? "a user id (a number)" : "a string");
			return -1;
		}
	}
	if (i == 0) {
		errf(err, "is empty: it would match nothing");
		return -1;
	}
	return 0;
oom:
	errf(err, "out of memory");
	return -1;
}

/* drop_event = ( { keys = [...]; success = false; ... }, ... ); */
static int
walk_drop_event(const config_setting_t *list, struct config *cfg,
    const char *file, FILE *errors)
{
	static const char *const conditions[] = { "keys", "record_types",
	    "executables", "uids", "auids", "success" };
	const config_setting_t *g, *s;
	struct filter_rule *rule;
	char path[256];
	struct err err;
	int i, j, nerrors = 0;
	size_t c;

	for (i = 0; (g = config_setting_get_elem(list, (unsigned)i)) != NULL;
	    i++) {
		snprintf(path, sizeof(path), "drop_event.[%d]", i);
		if (config_setting_type(g) != CONFIG_TYPE_GROUP ||
		    config_setting_length(g) == 0) {
			report(errors, file, g, path, "must be a group { ... } "
			    "with at least one condition");
			nerrors++;
			continue;
		}
		if ((rule = event_filter_add_rule(&cfg->drop_event)) == NULL)
			return nerrors + 1;
		for (j = 0; (s = config_setting_get_elem(g, (unsigned)j)) !=
		    NULL; j++) {
			const char *name = config_setting_name(s);

			snprintf(path, sizeof(path), "drop_event.[%d].%s", i,
			    name);
			for (c = 0; c < sizeof(conditions) /
			    sizeof(conditions[0]); c++)
				if (strcmp(conditions[c], name) == 0)
					break;
			err.msg[0] = '\0';
			if (c == sizeof(conditions) / sizeof(conditions[0]))
				errf(&err, "unknown condition (one "
				    "of keys, record_types, executables, uids, "
				    "auids, success)");
			else if (strcmp(name, "success") == 0) {
				if (config_setting_type(s) != CONFIG_TYPE_BOOL)
					errf(&err, "must be true or "
					    "false");
				else
					rule->success =
					    config_setting_get_bool(s);
			} else
				(void)store_rule_list(s, rule, name, &err);
			if (err.msg[0] != '\0') {
				report(errors, file, s, path, err.msg);
				nerrors++;
			}
		}
	}
	return nerrors;
}

/* Checks and stores every setting under group; returns the error count. */
static int
walk(const config_setting_t *group, const char *prefix, struct config *cfg,
    const char *file, FILE *errors)
{
	const config_setting_t *s;
	const struct key_spec *spec;
	const struct section *sec;
	char path[256], what[sizeof(struct err) + 64];
	struct err err;
	int i, nerrors = 0;

	for (i = 0; (s = config_setting_get_elem(group, (unsigned)i)) != NULL;
	    i++) {
		snprintf(path, sizeof(path), "%s%s%s", prefix,
		    prefix[0] ? "." : "", config_setting_name(s));
		if ((spec = find_spec(path)) == NULL) {
			report(errors, file, s, path, "unknown key");
			nerrors++;
			continue;
		}
		if (!type_matches(spec->type, config_setting_type(s))) {
			snprintf(what, sizeof(what), "must be %s, not %s",
			    type_name(spec->type),
			    type_name(config_setting_type(s)));
			report(errors, file, s, path, what);
			nerrors++;
			continue;
		}
		if (strcmp(path, "drop_event") == 0) {
			nerrors += walk_drop_event(s, cfg, file, errors);
			continue;
		}
		if (spec->type == CONFIG_TYPE_GROUP && spec->store == NULL) {
			/* An output named, even empty, is an output wanted. */
			if ((sec = find_section(IN_CONFIG, path)) != NULL &&
			    target_struct(sec->target, cfg) == NULL)
				nerrors++;
			nerrors += walk(s, path, cfg, file, errors);
			continue;
		}
		err.msg[0] = '\0';
		if (spec->store(spec, s, cfg, &err) == -1) {
			report(errors, file, s, path, err.msg);
			nerrors++;
		}
	}
	return nerrors;
}

/* def with "${path.data}" replaced by data_dir, quoted for libconfig. */
static char *
expand_default(const char *def, const char *data_dir)
{
	static const char token[] = "${path.data}";
	const char *at = strstr(def, token), *c;
	char *out, *o;

	if (at == NULL)
		return strdup(def);
	if ((out = malloc(strlen(def) + 2 * strlen(data_dir) + 1)) == NULL)
		return NULL;
	o = out;
	memcpy(o, def, (size_t)(at - def));
	o += at - def;
	for (c = data_dir; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			*o++ = '\\';
		*o++ = *c;
	}
	strcpy(o, at + sizeof(token) - 1);
	return out;
}

/* Stores spec's default as store would store the same text in a file. */
static int
store_default(const struct key_spec *spec, struct config *cfg,
    struct err *err)
{
	const config_setting_t *s;
	config_t lc;
	char *text, *doc = NULL;
	int rc = -1;

	if ((text = expand_default(spec->def, cfg->data_dir ? cfg->data_dir :
	    CONFIG_DEFAULT_DATA_DIR)) == NULL ||
	    asprintf(&doc, "v = %s;", text) == -1) {
		free(text);
		errf(err, "out of memory");
		return -1;
	}
	config_init(&lc);
	if (config_read_string(&lc, doc) != CONFIG_TRUE ||
	    (s = config_lookup(&lc, "v")) == NULL)
		errf(err, "%s does not parse", text);
	else if (!type_matches(spec->type, config_setting_type(s)))
		errf(err, "%s is not %s", text, type_name(spec->type));
	else
		rc = spec->store(spec, s, cfg, err);
	config_destroy(&lc);
	free(doc);
	free(text);
	return rc;
}

/*
 * Applies the schema's defaults for the struct of target: those that
 * depend on path.data when late (once the file is read, and only where the
 * file left the key unset), the others when early.
 */
static int
apply_defaults(struct config *cfg, enum target target, int late)
{
	const struct key_spec *spec;
	struct err err;
	char **set;
	size_t i;

	for (i = 0; i < sizeof(schema) / sizeof(schema[0]); i++) {
		spec = &schema[i];
		if (spec->target != target || spec->def == NULL ||
		    spec->store == NULL ||
		    (strstr(spec->def, "${path.data}") != NULL) != late)
			continue;
		/* Late defaults are strings: NULL until the file sets one. */
		if (late && (set = slot(spec, cfg, &err)) != NULL &&
		    *set != NULL)
			continue;
		if (store_default(spec, cfg, &err) == -1) {
			fprintf(stderr, "built-in default of %s: %s\n",
			    spec->path, err.msg);
			return -1;
		}
	}
	return 0;
}

/* The late defaults, for struct config and every section it has. */
static int
apply_late_defaults(struct config *cfg)
{
	size_t i;

	if (apply_defaults(cfg, IN_CONFIG, 1) == -1)
		return -1;
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (*section_ptr(cfg, &sections[i]) != NULL &&
		    apply_defaults(cfg, sections[i].target, 1) == -1)
			return -1;
	return 0;
}

/* A struct config with the early defaults. */
static struct config *
config_new(void)
{
	struct config *cfg;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		return NULL;
	if (apply_defaults(cfg, IN_CONFIG, 0) == -1) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct config *
config_defaults(void)
{
	struct config *cfg;

	if ((cfg = config_new()) == NULL)
		return NULL;
	if (apply_late_defaults(cfg) == -1) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

/*
 * A file that holds a secret must be readable by its owner alone: auditd
 * plugins run as root, and the passphrase of a private key or the
 * credentials of the Elasticsearch cluster are not for every user of the
 * host.  Secrets read from files of their own were checked as they were read.
 */
static const char *
secret_held(config_t *lc)
{
	size_t i;

	for (i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		if ((schema[i].flags & KEY_SECRET) &&
		    config_lookup(lc, schema[i].path) != NULL)
			return schema[i].path;
	return NULL;
}

static int
check_secret_mode(config_t *lc, const char *file, FILE *errors)
{
	const char *key;
	struct stat st;

	if ((key = secret_held(lc)) == NULL)
		return 0;
	if (stat(file, &st) == 0 && (st.st_mode & 0077) != 0) {
		fprintf(errors, "%s: holds %s but is readable by group or "
		    "others (mode %04o): chmod 600 %s\n", file, key,
		    (unsigned)(st.st_mode & 07777), file);
		return -1;
	}
	return 0;
}

/* Checks shared by the network outputs' ssl sections. */
static int
check_ssl(struct ssl_settings *ssl, config_t *lc, const char *prefix,
    const char *file, FILE *errors)
{
	const config_setting_t *s;
	char path[128], enabled[128];

	snprintf(path, sizeof(path), "%s.ssl", prefix);
	snprintf(enabled, sizeof(enabled), "%s.ssl.enabled", prefix);
	/* As in libbeat, an ssl section means TLS unless it says no. */
	if ((s = config_lookup(lc, path)) == NULL)
		return 0;
	if (config_lookup(lc, enabled) == NULL)
		ssl->enabled = 1;
	if ((ssl->certificate == NULL) != (ssl->key == NULL)) {
		report(errors, file, s, path,
		    "certificate and key go together (for mutual TLS)");
		return -1;
	}
	return 0;
}

static int
check_logstash(struct config *cfg, config_t *lc, const char *file,
    FILE *errors)
{
	struct logstash_output_config *ls = cfg->logstash;
	const config_setting_t *s = config_lookup(lc, "output.logstash");

	if (ls->hosts.count == 0) {
		report(errors, file, s, "output.logstash.hosts",
		    "is required: where is Logstash?");
		return -1;
	}
	if (check_ssl(&ls->ssl, lc, "output.logstash", file, errors) == -1)
		return -1;
	if (ls->backoff_init_ms > ls->backoff_max_ms) {
		report(errors, file, s, "output.logstash.backoff",
		    "init must not be larger than max");
		return -1;
	}
	return 0;
}

static int
check_es_auth(struct es_output_config *es, const config_setting_t *s,
    const char *file, FILE *errors)
{
	if (es->api_key != NULL && es->username != NULL) {
		report(errors, file, s, "output.elasticsearch", "username and "
		    "api_key are two ways to authenticate: choose one");
		return -1;
	}
	if ((es->username == NULL) != (es->password == NULL)) {
		report(errors, file, s, "output.elasticsearch", "username and "
		    "password (or password_file) go together");
		return -1;
	}
	if (es->api_key != NULL && (strchr(es->api_key, ':') == NULL ||
	    es->api_key[0] == ':')) {
		report(errors, file, s, "output.elasticsearch.api_key",
		    "must be \"id:key\" (the id and api_key that Elasticsearch "
		    "returned when the key was created)");
		return -1;
	}
	return 0;
}

static int
check_elasticsearch(struct config *cfg, config_t *lc, const char *file,
    FILE *errors)
{
	struct es_output_config *es = cfg->elasticsearch;
	const config_setting_t *s = config_lookup(lc, "output.elasticsearch");

	if (es->hosts.count == 0) {
		report(errors, file, s, "output.elasticsearch.hosts",
		    "is required: where is Elasticsearch?");
		return -1;
	}
	if (check_ssl(&es->ssl, lc, "output.elasticsearch", file,
	    errors) == -1 || check_es_auth(es, s, file, errors) == -1)
		return -1;
	if (es->backoff_init_ms > es->backoff_max_ms) {
		report(errors, file, s, "output.elasticsearch.backoff",
		    "init must not be larger than max");
		return -1;
	}
	return 0;
}

/* How many outputs the file names. */
static int
count_outputs(const struct config *cfg)
{
	return (cfg->file_output != NULL) + (cfg->logstash != NULL) +
	    (cfg->elasticsearch != NULL);
}

struct fim_check {
	config_t	*lc;
	const char	*file;
	FILE		*errors;
};

static void
fim_report(void *arg, const char *key, const char *what)
{
	struct fim_check *fc = arg;
	const config_setting_t *s = config_lookup(fc->lc, key);

	if (s == NULL)
		s = config_lookup(fc->lc, "fim");
	report(fc->errors, fc->file, s, key, what);
}

/* The fim section as a whole (fim/fim_conf.c), its defaults applied. */
static int
check_fim(struct config *cfg, config_t *lc, const char *file, FILE *errors)
{
	struct fim_check fc = { lc, file, errors };

	return fim_config_finish(cfg->fim, fim_report, &fc) > 0 ? -1 : 0;
}

static void
system_report(void *arg, const char *key, const char *what)
{
	struct fim_check *fc = arg;
	const config_setting_t *s = config_lookup(fc->lc, key);

	if (s == NULL)
		s = config_lookup(fc->lc, "system");
	report(fc->errors, fc->file, s, key, what);
}

/* The system section as a whole (system/system_conf.c). */
static int
check_system(struct config *cfg, config_t *lc, const char *file,
    FILE *errors)
{
	struct fim_check fc = { lc, file, errors };

	return system_config_finish(cfg->system, system_report, &fc) > 0 ?
	    -1 : 0;
}

/* Checks that only make sense once the whole file is read. */
static int
check_complete(struct config *cfg, config_t *lc, const char *file,
    FILE *errors)
{
	const config_setting_t *s = config_lookup(lc, "output");

	if (s != NULL && config_setting_length(s) == 0) {
		report(errors, file, s, "output", "names no output");
		return -1;
	}
	if (count_outputs(cfg) > 1) {
		report(errors, file, s, "output", "only one output can be "
		    "enabled (file, logstash or elasticsearch)");
		return -1;
	}
	if (cfg->logstash != NULL &&
	    check_logstash(cfg, lc, file, errors) == -1)
		return -1;
	if (cfg->elasticsearch != NULL &&
	    check_elasticsearch(cfg, lc, file, errors) == -1)
		return -1;
	if (cfg->fim != NULL && check_fim(cfg, lc, file, errors) == -1)
		return -1;
	if (cfg->system != NULL && check_system(cfg, lc, file, errors) == -1)
		return -1;
	cfg->has_outputs = count_outputs(cfg) > 0;
	return check_secret_mode(lc, file, errors);
}

struct config *
config_load(const char *path, FILE *errors)
{
	config_t lc;
	struct config *cfg;
	int nerrors;

	if (path == NULL && access(CONFIG_DEFAULT_PATH, F_OK) != 0)
		return config_defaults();
	if (path == NULL)
		path = CONFIG_DEFAULT_PATH;
	if ((cfg = config_new()) == NULL) {
		fprintf(errors, "out of memory\n");
		return NULL;
	}
	if ((cfg->source = strdup(path)) == NULL) {
		config_free(cfg);
		return NULL;
	}
	config_init(&lc);
	if (config_read_file(&lc, path) != CONFIG_TRUE) {
		if (config_error_type(&lc) == CONFIG_ERR_FILE_IO)
			fprintf(errors, "%s: cannot read: %s\n", path,
			    strerror(errno));
		else
			fprintf(errors, "%s:%d: %s\n",
			    config_error_file(&lc) ? config_error_file(&lc) :
			    path, config_error_line(&lc),
			    config_error_text(&lc));
		config_destroy(&lc);
		config_free(cfg);
		return NULL;
	}
	nerrors = walk(config_root_setting(&lc), "", cfg, path, errors);
	if (nerrors == 0 && apply_late_defaults(cfg) == -1)
		nerrors++;
	if (nerrors == 0)
		nerrors += check_complete(cfg, &lc, path, errors) == -1;
	config_destroy(&lc);
	if (nerrors > 0) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

/* Frees a string that held a secret, wiping it first. */
static void
free_secret(char *secret)
{
	if (secret != NULL)
		explicit_bzero(secret, strlen(secret));
	free(secret);
}

static void
ssl_settings_free(struct ssl_settings *ssl)
{
	string_list_free(&ssl->cas);
	string_list_free(&ssl->protocols);
	string_list_free(&ssl->ciphers);
	free(ssl->certificate);
	free(ssl->key);
	free_secret(ssl->key_passphrase);
}

static void
logstash_free(struct logstash_output_config *ls)
{
	if (ls == NULL)
		return;
	string_list_free(&ls->hosts);
	free(ls->index);
	ssl_settings_free(&ls->ssl);
	free(ls);
}

static void
es_free(struct es_output_config *es)
{
	if (es == NULL)
		return;
	string_list_free(&es->hosts);
	string_list_free(&es->headers);
	string_list_free(&es->parameters);
	free(es->path);
	free(es->username);
	free_secret(es->password);
	free_secret(es->api_key);
	free(es->index);
	free(es->pipeline);
	free(es->dead_letter_index);
	free(es->dead_letter_file);
	ssl_settings_free(&es->ssl);
	free(es);
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	if (cfg->file_output != NULL)
		free(cfg->file_output->path);
	free(cfg->file_output);
	logstash_free(cfg->logstash);
	es_free(cfg->elasticsearch);
	free(cfg->spool.path);
	free(cfg->unix_path);
	free(cfg->backfill_log_file);
	free(cfg->data_dir);
	free(cfg->rules_keys_file);
	free(cfg->run_as);
	event_filter_free(&cfg->drop_event);
	fim_config_free(cfg->fim);
	system_config_free(cfg->system);
	free(cfg->source);
	free(cfg);
}

/* The words of a type in the reference, where type_name() makes a sentence. */
static const struct {
	int		 type;
	const char	*word;
} type_words[] = {
	{ CONFIG_TYPE_INT, "integer" }, { CONFIG_TYPE_BOOL, "bool" },
	{ CONFIG_TYPE_STRING, "string" }, { CONFIG_TYPE_ARRAY, "array" },
	{ CONFIG_TYPE_GROUP, "group" }, { CONFIG_TYPE_LIST, "list" },
	{ TYPE_DURATION, "duration" }, { TYPE_SIZE, "size" },
	{ TYPE_RATE, "rate" },
};

static const char *
type_word(int type)
{
	size_t i;

	for (i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
		if (type_words[i].type == type)
			return type_words[i].word;
	return "?";
}

/* The values spec accepts, as the reference shows them. */
static void
print_range(FILE *out, const struct key_spec *spec)
{
	const struct quantity *q = find_quantity(spec->type);
	size_t i;

	if (spec->choices != NULL) {
		for (i = 0; spec->choices[i].word != NULL; i++)
			fprintf(out, "%s%s", i ? "|" : "",
			    spec->choices[i].word);
	} else if (spec->type == TYPE_RATE)
		fprintf(out, "0 (unlimited) or %ld%s..", spec->min, q->unit);
	else if (q != NULL && spec->max == LONG_MAX)
		fprintf(out, "%ld%s..", spec->min, q->unit);
	else if (q != NULL)
		fprintf(out, "%ld%s..%ld%s", spec->min, q->unit, spec->max,
		    q->unit);
	else if (spec->store == store_int)
		fprintf(out, "%ld..%ld", spec->min, spec->max);
	else if (spec->store == store_strings)
		fprintf(out, "%ld..%ld elements", spec->min, spec->max);
	else
		fprintf(out, "-");
}

/*
 * One line per key: key, type, default (as it would be written in the
 * file; "required" or "none" when there is none), accepted values, and
 * "secret" for keys that make the file need mode 0600; tab-separated.
 */
void
config_print_defaults(FILE *out)
{
	const struct key_spec *spec;
	size_t i;

	for (i = 0; i < sizeof(schema) / sizeof(schema[0]); i++) {
		spec = &schema[i];
		if (spec->type == CONFIG_TYPE_GROUP && spec->store == NULL)
			continue;
		fprintf(out, "%s\t%s\t%s\t", spec->path, type_word(spec->type),
		    spec->def != NULL ? spec->def :
		    (spec->flags & KEY_REQUIRED) ? "required" : "none");
		print_range(out, spec);
		fprintf(out, "%s\n", (spec->flags & KEY_SECRET) ? "\tsecret" :
		    "");
	}
}

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
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../outputs/spool.h"
#include "../outputs/tls.h"
#include "conf.h"

#define ERRLEN	256

struct choice {
	const char	*word;
	long		 value;
};

struct key_spec;
typedef int (*store_fn)(const struct key_spec *, const config_setting_t *,
    struct config *, char *err);

/* Which struct a setting is stored in. */
enum target {
	IN_CONFIG,		/* struct config */
	IN_FILE_OUTPUT,		/* struct file_output_config */
	IN_LOGSTASH,		/* struct logstash_output_config */
	IN_ES,			/* struct es_output_config */
	IN_FIM,			/* struct fim_config */
};

/* Value types beyond libconfig's: a number or a string with a unit. */
#define TYPE_DURATION	100	/* 30, "30s", "500ms", "2m", "1h" */
#define TYPE_SIZE	101	/* 1073741824, "1GiB", "500MB", "64KiB" */

struct key_spec {
	const char	*path;
	int		 type;		/* CONFIG_TYPE_* or TYPE_* */
	const char	*default_text;	/* for config_print_schema */
	store_fn	 store;		/* NULL for groups */
	long		 min, max;	/* integers, durations (ms) */
	enum target	 target;	/* where the value goes: */
	size_t		 offset;
	const struct choice *choices;	/* store_choice: the allowed words */
};

#define AT_CONFIG(field)	IN_CONFIG, offsetof(struct config, field)
#define AT_FILE(field)		IN_FILE_OUTPUT, \
				offsetof(struct file_output_config, field)
#define AT_LS(field)		IN_LOGSTASH, \
				offsetof(struct logstash_output_config, field)
#define AT_ES(field)		IN_ES, offsetof(struct es_output_config, field)
#define AT_FIM(field)		IN_FIM, offsetof(struct fim_config, field)
#define GROUP(path)		{ path, CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, \
				  IN_CONFIG, 0, NULL }

#define STORE_FN(name) static int name(const struct key_spec *, \
    const config_setting_t *, struct config *, char *)
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
	{ P ".ssl.enabled", CONFIG_TYPE_BOOL, "true", \
	    store_bool, 0, 0, AT(ssl.enabled), NULL }, \
	{ P ".ssl.certificate_authorities", CONFIG_TYPE_ARRAY, \
	    "[]", store_strings, 1, 64, AT(ssl.cas), NULL }, \
	{ P ".ssl.certificate", CONFIG_TYPE_STRING, "none", \
	    store_path, 0, 0, AT(ssl.certificate), NULL }, \
	{ P ".ssl.key", CONFIG_TYPE_STRING, "none", \
	    store_path, 0, 0, AT(ssl.key), NULL }, \
	{ P ".ssl.key_passphrase", CONFIG_TYPE_STRING, "none", \
	    store_string, 0, 0, AT(ssl.key_passphrase), NULL }, \
	{ P ".ssl.verification_mode", CONFIG_TYPE_STRING, \
	    "\"full\"", store_choice, 0, 0, AT(ssl.verification_mode), \
	    verification_modes }, \
	{ P ".ssl.supported_protocols", CONFIG_TYPE_ARRAY, \
	    "[\"TLSv1.2\", \"TLSv1.3\"]", store_strings, 1, 8, \
	    AT(ssl.protocols), NULL }, \
	{ P ".ssl.cipher_suites", CONFIG_TYPE_ARRAY, \
	    "OpenSSL's defaults", store_strings, 1, 64, AT(ssl.ciphers), \
	    NULL }
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
	    AT_FILE(path), NULL },
	{ "output.file.rotate_every_kb", CONFIG_TYPE_INT, "10240",
	    store_int, 1, 1L << 30, AT_FILE(rotate_every_kb), NULL },
	{ "output.file.number_of_files", CONFIG_TYPE_INT, "7",
	    store_int, 2, 1024, AT_FILE(number_of_files), NULL },
	{ "output.file.permissions", CONFIG_TYPE_STRING, "\"0600\"",
	    store_permissions, 0, 0, AT_FILE(permissions), NULL },
	GROUP("output.logstash"),
	{ "output.logstash.hosts", CONFIG_TYPE_ARRAY, "[\"localhost:5044\"]",
	    store_strings, 1, 64, AT_LS(hosts), NULL },
	{ "output.logstash.loadbalance", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_LS(loadbalance), NULL },
	{ "output.logstash.worker", CONFIG_TYPE_INT, "1",
	    store_int, 1, 64, AT_LS(worker), NULL },
	{ "output.logstash.bulk_max_size", CONFIG_TYPE_INT, "2048",
	    store_int, 1, 65536, AT_LS(bulk_max_size), NULL },
	{ "output.logstash.compression_level", CONFIG_TYPE_INT, "3",
	    store_int, 0, 9, AT_LS(compression_level), NULL },
	{ "output.logstash.pipelining", CONFIG_TYPE_INT, "2",
	    store_int, 0, 64, AT_LS(pipelining), NULL },
	{ "output.logstash.timeout", TYPE_DURATION, "\"30s\"",
	    store_duration, 100, 3600000, AT_LS(timeout_ms), NULL },
	GROUP("output.logstash.backoff"),
	{ "output.logstash.backoff.init", TYPE_DURATION, "\"1s\"",
	    store_duration, 1, 3600000, AT_LS(backoff_init_ms), NULL },
	{ "output.logstash.backoff.max", TYPE_DURATION, "\"60s\"",
	    store_duration, 1, 3600000, AT_LS(backoff_max_ms), NULL },
	{ "output.logstash.ttl", TYPE_DURATION, "0",
	    store_duration, 0, 86400000, AT_LS(ttl_ms), NULL },
	{ "output.logstash.escape_html", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_LS(escape_html), NULL },
	{ "output.logstash.index", CONFIG_TYPE_STRING, "\"audisp-ecs\"",
	    store_string, 0, 0, AT_LS(index), NULL },
	SSL_ROWS("output.logstash", AT_LS),
	GROUP("output.elasticsearch"),
	{ "output.elasticsearch.hosts", CONFIG_TYPE_ARRAY,
	    "[\"localhost:9200\"]", store_strings, 1, 64, AT_ES(hosts), NULL },
	{ "output.elasticsearch.protocol", CONFIG_TYPE_STRING, "\"http\"",
	    store_choice, 0, 0, AT_ES(protocol), protocols },
	{ "output.elasticsearch.path", CONFIG_TYPE_STRING, "\"\"",
	    store_string, 0, 0, AT_ES(path), NULL },
	{ "output.elasticsearch.headers", CONFIG_TYPE_GROUP, "{}",
	    store_headers, 0, 0, AT_ES(headers), NULL },
	{ "output.elasticsearch.parameters", CONFIG_TYPE_GROUP, "{}",
	    store_parameters, 0, 0, AT_ES(parameters), NULL },
	{ "output.elasticsearch.username", CONFIG_TYPE_STRING, "none",
	    store_string, 0, 0, AT_ES(username), NULL },
	{ "output.elasticsearch.password", CONFIG_TYPE_STRING, "none",
	    store_string, 0, 0, AT_ES(password), NULL },
	{ "output.elasticsearch.password_file", CONFIG_TYPE_STRING, "none",
	    store_secret_file, 0, 0, AT_ES(password), NULL },
	{ "output.elasticsearch.api_key", CONFIG_TYPE_STRING, "none",
	    store_string, 0, 0, AT_ES(api_key), NULL },
	{ "output.elasticsearch.api_key_file", CONFIG_TYPE_STRING, "none",
	    store_secret_file, 0, 0, AT_ES(api_key), NULL },
	{ "output.elasticsearch.index", CONFIG_TYPE_STRING,
	    "\"" ES_DEFAULT_INDEX "\"", store_string, 0, 0, AT_ES(index),
	    NULL },
	{ "output.elasticsearch.pipeline", CONFIG_TYPE_STRING, "none",
	    store_string, 0, 0, AT_ES(pipeline), NULL },
	{ "output.elasticsearch.loadbalance", CONFIG_TYPE_BOOL, "true",
	    store_bool, 0, 0, AT_ES(loadbalance), NULL },
	{ "output.elasticsearch.worker", CONFIG_TYPE_INT, "1",
	    store_int, 1, 64, AT_ES(worker), NULL },
	{ "output.elasticsearch.bulk_max_size", CONFIG_TYPE_INT, "1600",
	    store_int, 1, 100000, AT_ES(bulk_max_size), NULL },
	{ "output.elasticsearch.flush_interval", TYPE_DURATION, "\"1s\"",
	    store_duration, 0, 60000, AT_ES(flush_interval_ms), NULL },
	{ "output.elasticsearch.compression_level", CONFIG_TYPE_INT, "1",
	    store_int, 0, 9, AT_ES(compression_level), NULL },
	{ "output.elasticsearch.timeout", TYPE_DURATION, "\"90s\"",
	    store_duration, 100, 3600000, AT_ES(timeout_ms), NULL },
	{ "output.elasticsearch.max_retries", CONFIG_TYPE_INT, "3",
	    store_int, -1, 1000000, AT_ES(max_retries), NULL },
	GROUP("output.elasticsearch.backoff"),
	{ "output.elasticsearch.backoff.init", TYPE_DURATION, "\"1s\"",
	    store_duration, 1, 3600000, AT_ES(backoff_init_ms), NULL },
	{ "output.elasticsearch.backoff.max", TYPE_DURATION, "\"60s\"",
	    store_duration, 1, 3600000, AT_ES(backoff_max_ms), NULL },
	{ "output.elasticsearch.non_indexable_policy", CONFIG_TYPE_STRING,
	    "\"dead_letter_file\"", store_choice, 0, 0,
	    AT_ES(non_indexable_policy), non_indexable_policies },
	{ "output.elasticsearch.dead_letter_index", CONFIG_TYPE_STRING,
	    "\"" ES_DEFAULT_DEAD_LETTER_INDEX "\"", store_string, 0, 0,
	    AT_ES(dead_letter_index), NULL },
	{ "output.elasticsearch.dead_letter_file", CONFIG_TYPE_STRING,
	    "path.data + \"/dead-letter.ndjson\"", store_path, 0, 0,
	    AT_ES(dead_letter_file), NULL },
	SSL_ROWS("output.elasticsearch", AT_ES),
	GROUP("input"),
	{ "input.buffer_size", CONFIG_TYPE_INT, "67108864",
	    store_int, 65536, 1L << 30, AT_CONFIG(input_buffer_size), NULL },
	{ "input.max_record_size", CONFIG_TYPE_INT, "65536",
	    store_int, 8192, 16L << 20, AT_CONFIG(max_record_size), NULL },
	{ "input.eoe_timeout", CONFIG_TYPE_INT, "2",
	    store_int, 1, 60, AT_CONFIG(eoe_timeout), NULL },
	GROUP("queue"),
	GROUP("queue.mem"),
	{ "queue.mem.events", CONFIG_TYPE_INT, "65536",
	    store_int, 64, 1L << 24, AT_CONFIG(queue_events), NULL },
	GROUP("queue.spool"),
	{ "queue.spool.path", CONFIG_TYPE_STRING,
	    "\"/var/lib/audisp-ecs/spool\"", store_path, 0, 0,
	    AT_CONFIG(spool.path), NULL },
	{ "queue.spool.max_size", TYPE_SIZE, "\"1GiB\"",
	    store_size, 0, 0, AT_CONFIG(spool.max_size), NULL },
	{ "queue.spool.policy", CONFIG_TYPE_STRING, "\"drop_oldest\"",
	    store_choice, 0, 0, AT_CONFIG(spool.policy), spool_policies },
	GROUP("logging"),
	{ "logging.level", CONFIG_TYPE_STRING, "\"info\"",
	    store_choice, 0, 0, AT_CONFIG(log_level), log_levels },
	{ "logging.to_stderr", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_CONFIG(log_to_stderr), NULL },
	GROUP("logging.metrics"),
	{ "logging.metrics.period", TYPE_DURATION, "\"30s\"",
	    store_duration, 0, 86400000, AT_CONFIG(metrics_period_ms), NULL },
	GROUP("auditd"),
	{ "auditd.include_raw_message", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_CONFIG(include_raw_message), NULL },
	{ "auditd.resolve_ids", CONFIG_TYPE_BOOL, "true",
	    store_bool, 0, 0, AT_CONFIG(resolve_ids), NULL },
	{ "auditd.args_max_bytes", CONFIG_TYPE_INT, "1048576",
	    store_int, 0, 1L << 30, AT_CONFIG(args_max_bytes), NULL },
	{ "drop_event", CONFIG_TYPE_LIST, "()", NULL, 0, 0, IN_CONFIG, 0,
	    NULL },
	GROUP("path"),
	{ "path.data", CONFIG_TYPE_STRING, "\"/var/lib/audisp-ecs\"",
	    store_path, 0, 0, AT_CONFIG(data_dir), NULL },
	/* File integrity monitoring (fim/fim_conf.h checks the whole). */
	GROUP("fim"),
	{ "fim.paths", CONFIG_TYPE_ARRAY, "required",
	    store_strings, 1, 4096, AT_FIM(paths), NULL },
	{ "fim.recursive", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_FIM(recursive), NULL },
	{ "fim.exclude_files", CONFIG_TYPE_ARRAY, "[]",
	    store_strings, 0, 1024, AT_FIM(exclude_files), NULL },
	{ "fim.include_files", CONFIG_TYPE_ARRAY, "[]",
	    store_strings, 0, 1024, AT_FIM(include_files), NULL },
	{ "fim.hash_types", CONFIG_TYPE_ARRAY, "[\"sha256\"]",
	    store_strings, 0, 16, AT_FIM(hash_types), NULL },
	{ "fim.attributes", CONFIG_TYPE_ARRAY, "all but ctime, blocks",
	    store_strings, 1, 16, AT_FIM(attributes), NULL },
	{ "fim.max_file_size", TYPE_SIZE, "\"100 MiB\"",
	    store_size, 0, 0, AT_FIM(max_file_size), NULL },
	{ "fim.scan_at_start", CONFIG_TYPE_BOOL, "true",
	    store_bool, 0, 0, AT_FIM(scan_at_start), NULL },
	{ "fim.scan_rate_per_sec", TYPE_SIZE, "\"50 MiB\"",
	    store_rate, 0, 0, AT_FIM(scan_rate_per_sec), NULL },
	{ "fim.state_path", CONFIG_TYPE_STRING, "path.data + \"/fim\"",
	    store_path, 0, 0, AT_FIM(state_path), NULL },
	{ "fim.initial_scan", CONFIG_TYPE_STRING, "\"state\"",
	    store_choice, 0, 0, AT_FIM(initial_scan), fim_initial_scans },
	{ "fim.quiet_period", TYPE_DURATION, "\"250ms\"",
	    store_duration, 0, 60000, AT_FIM(quiet_period_ms), NULL },
	{ "fim.backend", CONFIG_TYPE_STRING, "\"auto\"",
	    store_choice, 0, 0, AT_FIM(backend), fim_backends },
	{ "fim.hash_workers", CONFIG_TYPE_INT, "0",
	    store_int, 0, FIM_HASH_WORKERS_MAX, AT_FIM(hash_workers), NULL },
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
	}
	return "unknown";
}

static struct file_output_config *
file_output(struct config *cfg)
{
	if (cfg->file_output == NULL) {
		cfg->file_output = calloc(1, sizeof(*cfg->file_output));
		if (cfg->file_output == NULL)
			return NULL;
		cfg->file_output->rotate_every_kb = 10240;
		cfg->file_output->number_of_files = 7;
		cfg->file_output->permissions = 0600;
	}
	return cfg->file_output;
}

static struct logstash_output_config *
logstash_output(struct config *cfg)
{
	struct logstash_output_config *ls;

	if (cfg->logstash != NULL)
		return cfg->logstash;
	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		return NULL;
	ls->worker = 1;
	ls->bulk_max_size = 2048;
	ls->compression_level = 3;
	ls->pipelining = 2;
	ls->timeout_ms = 30000;
	ls->backoff_init_ms = 1000;
	ls->backoff_max_ms = 60000;
	ls->ssl.verification_mode = 0;		/* full */
	return cfg->logstash = ls;
}

static struct es_output_config *
es_output(struct config *cfg)
{
	struct es_output_config *es;

	if (cfg->elasticsearch != NULL)
		return cfg->elasticsearch;
	if ((es = calloc(1, sizeof(*es))) == NULL)
		return NULL;
	es->loadbalance = 1;
	es->worker = 1;
	es->bulk_max_size = 1600;
	es->flush_interval_ms = 1000;
	es->compression_level = 1;
	es->timeout_ms = 90000;
	es->max_retries = 3;
	es->backoff_init_ms = 1000;
	es->backoff_max_ms = 60000;
	es->non_indexable_policy = NON_INDEXABLE_DEAD_LETTER_FILE;
	return cfg->elasticsearch = es;
}

static struct fim_config *
fim_section(struct config *cfg)
{
	if (cfg->fim == NULL)
		cfg->fim = fim_config_new();
	return cfg->fim;
}

/* The struct a setting of spec is stored in; NULL when out of memory. */
static char *
target_struct(const struct key_spec *spec, struct config *cfg)
{
	switch (spec->target) {
	case IN_FILE_OUTPUT:	return (char *)file_output(cfg);
	case IN_LOGSTASH:	return (char *)logstash_output(cfg);
	case IN_ES:		return (char *)es_output(cfg);
	case IN_FIM:		return (char *)fim_section(cfg);
	case IN_CONFIG:		break;
	}
	return (char *)cfg;
}

/* Where spec's value goes, or NULL (and err says why). */
static void *
slot(const struct key_spec *spec, struct config *cfg, char *err)
{
	char *base;

	if ((base = target_struct(spec, cfg)) == NULL) {
		snprintf(err, ERRLEN, "out of memory");
		return NULL;
	}
	return base + spec->offset;
}

static int
store_int(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	long long v = config_setting_get_int64(s);
	long *dst;

	if (v < spec->min || v > spec->max) {
		snprintf(err, ERRLEN, "%lld is out of range (%ld..%ld)", v,
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
    struct config *cfg, char *err)
{
	int *dst;

	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = config_setting_get_bool(s);
	return 0;
}

static int
replace_string(char **dst, const char *value, char *err)
{
	char *copy;

	if ((copy = strdup(value)) == NULL) {
		snprintf(err, ERRLEN, "out of memory");
		return -1;
	}
	free(*dst);
	*dst = copy;
	return 0;
}

static int
store_string(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	char **dst;

	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	return replace_string(dst, config_setting_get_string(s), err);
}

static int
store_path(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	const char *path = config_setting_get_string(s);

	if (path[0] != '/') {
		snprintf(err, ERRLEN, "must be an absolute path, not \"%s\"",
		    path);
		return -1;
	}
	return store_string(spec, s, cfg, err);
}

static int
store_strings(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	struct string_list *dst;
	const config_setting_t *e;
	int i, n = config_setting_length(s);

	if (n < spec->min || n > spec->max) {
		snprintf(err, ERRLEN, "must have %ld to %ld elements, not %d",
		    spec->min, spec->max, n);
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	for (i = 0; (e = config_setting_get_elem(s, (unsigned)i)) != NULL;
	    i++) {
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			snprintf(err, ERRLEN, "element %d must be a string", i);
			return -1;
		}
		if (string_list_add(dst, config_setting_get_string(e)) == -1) {
			snprintf(err, ERRLEN, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* A number with a unit from units[]; -1 when the text is not one. */
static int
parse_with_unit(const char *text, const char *const units[],
    const long long factors[], long long *out)
{
	char *end;
	double v;
	size_t i;

	v = strtod(text, &end);
	if (end == text || v < 0)
		return -1;
	while (*end == ' ')
		end++;
	for (i = 0; units[i] != NULL; i++)
		if (strcmp(end, units[i]) == 0) {
			*out = (long long)(v * (double)factors[i]);
			return 0;
		}
	return -1;
}

static int
store_duration(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	static const char *const units[] = { "ms", "s", "m", "h", "", NULL };
	static const long long ms[] = { 1, 1000, 60000, 3600000, 1000 };
	long long v;
	long *dst;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (parse_with_unit(config_setting_get_string(s), units, ms,
		    &v) == -1) {
			snprintf(err, ERRLEN, "\"%s\" is not a duration such "
			    "as \"30s\", \"500ms\" or \"2m\"",
			    config_setting_get_string(s));
			return -1;
		}
	} else if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		v = (long long)(config_setting_get_float(s) * 1000);
	else
		v = config_setting_get_int64(s) * 1000;	/* seconds */
	if (v < spec->min || v > spec->max) {
		snprintf(err, ERRLEN, "out of range (%ld ms to %ld ms)",
		    spec->min, spec->max);
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = (long)v;
	return 0;
}

static int
store_size(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	static const char *const units[] = { "B", "KB", "MB", "GB", "TB",
	    "KiB", "MiB", "GiB", "TiB", "", NULL };
	static const long long bytes[] = { 1, 1000, 1000000, 1000000000LL,
	    1000000000000LL, 1LL << 10, 1LL << 20, 1LL << 30, 1LL << 40, 1 };
	long long v, *dst;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (parse_with_unit(config_setting_get_string(s), units, bytes,
		    &v) == -1) {
			snprintf(err, ERRLEN, "\"%s\" is not a size such as "
			    "\"1GiB\" or \"500MB\"",
			    config_setting_get_string(s));
			return -1;
		}
	} else
		v = config_setting_get_int64(s);
	if (v < 1 << 20) {
		snprintf(err, ERRLEN, "must be at least 1MiB");
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
    struct config *cfg, char *err)
{
	const char *word = config_setting_get_string(s);
	long *dst;
	size_t i, n = 0;

	for (i = 0; spec->choices[i].word != NULL; i++)
		if (strcmp(spec->choices[i].word, word) == 0)
			break;
	if (spec->choices[i].word == NULL) {
		n = (size_t)snprintf(err, ERRLEN, "\"%s\" is not one of", word);
		for (i = 0; spec->choices[i].word != NULL && n < ERRLEN; i++)
			n += (size_t)snprintf(err + n, ERRLEN - n, "%s %s",
			    i ? "," : "", spec->choices[i].word);
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = spec->choices[i].value;
	return 0;
}

static int
store_permissions(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	const char *text = config_setting_get_string(s);
	char *end;
	long mode;
	int *dst;

	errno = 0;
	mode = strtol(text, &end, 8);
	if (errno != 0 || *end != '\0' || text[0] == '\0' || mode < 0 ||
	    mode > 0777) {
		snprintf(err, ERRLEN, "\"%s\" is not an octal file mode such "
		    "as \"0600\"", text);
		return -1;
	}
	if (mode & 0007) {
		snprintf(err, ERRLEN, "\"%s\" would let any user read the audit "
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
    struct config *cfg, const char *sep, char *err)
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
			snprintf(err, ERRLEN, "%s must be a string",
			    config_setting_name(e));
			return -1;
		}
		if (asprintf(&item, "%s%s%s", config_setting_name(e), sep,
		    config_setting_get_string(e)) == -1) {
			snprintf(err, ERRLEN, "out of memory");
			return -1;
		}
		rc = string_list_add(dst, item);
		free(item);
		if (rc == -1) {
			snprintf(err, ERRLEN, "out of memory");
			return -1;
		}
	}
	return 0;
}

static int
store_headers(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	return store_map(spec, s, cfg, ": ", err);
}

static int
store_parameters(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	return store_map(spec, s, cfg, "=", err);
}

/*
 * A secret (password, API key) read from a file of its own, which must be
 * readable by its owner alone; one line, its newline dropped.
 */
static int
store_secret_file(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	const char *path = config_setting_get_string(s);
	char buf[4096], **dst;
	struct stat st;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, ERRLEN, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 0077) != 0) {
		snprintf(err, ERRLEN, "%s is readable by group or others "
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
		snprintf(err, ERRLEN, "%s is empty", path);
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	n = replace_string(dst, buf, err) == -1 ? 1 : 0;
	explicit_bzero(buf, sizeof(buf));
	return n ? -1 : 0;
}

/* A size per second; 0 or "unlimited" lifts the limit. */
static int
store_rate(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	static const char *const units[] = { "B", "KB", "MB", "GB", "KiB",
	    "MiB", "GiB", "", NULL };
	static const long long bytes[] = { 1, 1000, 1000000, 1000000000LL,
	    1LL << 10, 1LL << 20, 1LL << 30, 1 };
	const char *text;
	long long v, *dst;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		v = config_setting_get_int64(s);
	else if (strcmp((text = config_setting_get_string(s)),
	    "unlimited") == 0)
		v = 0;
	else if (parse_with_unit(text, units, bytes, &v) == -1) {
		snprintf(err, ERRLEN, "\"%s\" is not a rate such as \"50 MiB\" "
		    "or \"unlimited\"", text);
		return -1;
	}
	if (v < 0 || (v > 0 && v < 1 << 16)) {
		snprintf(err, ERRLEN, "must be 0 (unlimited) or at least "
		    "64KiB");
		return -1;
	}
	if ((dst = slot(spec, cfg, err)) == NULL)
		return -1;
	*dst = v;
	return 0;
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
    const char *name, char *err)
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
		snprintf(err, ERRLEN, "must be an array [ ... ] of %s",
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
			snprintf(err, ERRLEN, "element %d must be %s", i,
			    ids ? "a user id (a number)" : "a string");
			return -1;
		}
	}
	if (i == 0) {
		snprintf(err, ERRLEN, "is empty: it would match nothing");
		return -1;
	}
	return 0;
oom:
	snprintf(err, ERRLEN, "out of memory");
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
	char path[256], err[ERRLEN];
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
			err[0] = '\0';
			if (c == sizeof(conditions) / sizeof(conditions[0]))
				snprintf(err, ERRLEN, "unknown condition (one "
				    "of keys, record_types, executables, uids, "
				    "auids, success)");
			else if (strcmp(name, "success") == 0) {
				if (config_setting_type(s) != CONFIG_TYPE_BOOL)
					snprintf(err, ERRLEN, "must be true or "
					    "false");
				else
					rule->success =
					    config_setting_get_bool(s);
			} else
				(void)store_rule_list(s, rule, name, err);
			if (err[0] != '\0') {
				report(errors, file, s, path, err);
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
	char path[256], err[ERRLEN], what[ERRLEN + 64];
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
			if ((strcmp(path, "output.file") == 0 &&
			    file_output(cfg) == NULL) ||
			    (strcmp(path, "output.logstash") == 0 &&
			    logstash_output(cfg) == NULL) ||
			    (strcmp(path, "output.elasticsearch") == 0 &&
			    es_output(cfg) == NULL) ||
			    (strcmp(path, "fim") == 0 && fim_section(cfg) == NULL))
				nerrors++;
			nerrors += walk(s, path, cfg, file, errors);
			continue;
		}
		err[0] = '\0';
		if (spec->store(spec, s, cfg, err) == -1) {
			report(errors, file, s, path, err);
			nerrors++;
		}
	}
	return nerrors;
}

struct config *
config_defaults(void)
{
	struct config *cfg;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		return NULL;
	cfg->input_buffer_size = 64 * 1024 * 1024;
	cfg->max_record_size = 65536;
	cfg->eoe_timeout = 2;
	cfg->queue_events = 65536;
	cfg->resolve_ids = 1;
	cfg->args_max_bytes = 1048576;
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->spool.max_size = 1LL << 30;
	cfg->spool.policy = SPOOL_DROP_OLDEST;
	cfg->metrics_period_ms = 30000;
	if ((cfg->data_dir = strdup(CONFIG_DEFAULT_DATA_DIR)) == NULL) {
		free(cfg);
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
	static const char *const keys[] = {
		"output.logstash.ssl.key_passphrase",
		"output.elasticsearch.ssl.key_passphrase",
		"output.elasticsearch.password",
		"output.elasticsearch.api_key",
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (config_lookup(lc, keys[i]) != NULL)
			return keys[i];
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
		return 1;
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
		return 1;
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
		return 1;
	}
	if (check_ssl(&ls->ssl, lc, "output.logstash", file, errors))
		return 1;
	if (ls->backoff_init_ms > ls->backoff_max_ms) {
		report(errors, file, s, "output.logstash.backoff",
		    "init must not be larger than max");
		return 1;
	}
	if (ls->index == NULL && (ls->index = strdup("audisp-ecs")) == NULL)
		return 1;
	return 0;
}

static int
check_es_auth(struct es_output_config *es, const config_setting_t *s,
    const char *file, FILE *errors)
{
	if (es->api_key != NULL && es->username != NULL) {
		report(errors, file, s, "output.elasticsearch", "username and "
		    "api_key are two ways to authenticate: choose one");
		return 1;
	}
	if ((es->username == NULL) != (es->password == NULL)) {
		report(errors, file, s, "output.elasticsearch", "username and "
		    "password (or password_file) go together");
		return 1;
	}
	if (es->api_key != NULL && (strchr(es->api_key, ':') == NULL ||
	    es->api_key[0] == ':')) {
		report(errors, file, s, "output.elasticsearch.api_key",
		    "must be \"id:key\" (the id and api_key that Elasticsearch "
		    "returned when the key was created)");
		return 1;
	}
	return 0;
}

static int
check_elasticsearch(struct config *cfg, config_t *lc, const char *file,
    FILE *errors)
{
	struct es_output_config *es = cfg->elasticsearch;
	const config_setting_t *s = config_lookup(lc, "output.elasticsearch");
	char path[4096];

	if (es->hosts.count == 0) {
		report(errors, file, s, "output.elasticsearch.hosts",
		    "is required: where is Elasticsearch?");
		return 1;
	}
	if (check_ssl(&es->ssl, lc, "output.elasticsearch", file, errors) ||
	    check_es_auth(es, s, file, errors))
		return 1;
	if (es->backoff_init_ms > es->backoff_max_ms) {
		report(errors, file, s, "output.elasticsearch.backoff",
		    "init must not be larger than max");
		return 1;
	}
	if (es->index == NULL && (es->index = strdup(ES_DEFAULT_INDEX)) == NULL)
		return 1;
	if (es->dead_letter_index == NULL && (es->dead_letter_index =
	    strdup(ES_DEFAULT_DEAD_LETTER_INDEX)) == NULL)
		return 1;
	if (es->dead_letter_file == NULL) {
		snprintf(path, sizeof(path), "%s/dead-letter.ndjson",
		    cfg->data_dir);
		if ((es->dead_letter_file = strdup(path)) == NULL)
			return 1;
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

static int
fim_key_given(void *arg, const char *key)
{
	struct fim_check *fc = arg;

	return config_lookup(fc->lc, key) != NULL;
}

static void
fim_report(void *arg, const char *key, const char *what)
{
	struct fim_check *fc = arg;
	const config_setting_t *s = config_lookup(fc->lc, key);

	if (s == NULL)
		s = config_lookup(fc->lc, "fim");
	report(fc->errors, fc->file, s, key, what);
}

/* The fim section as a whole (fim/fim_conf.c), once path.data is known. */
static int
check_fim(struct config *cfg, config_t *lc, const char *file, FILE *errors)
{
	struct fim_check fc = { lc, file, errors };

	return fim_config_finish(cfg->fim, cfg->data_dir, fim_key_given,
	    fim_report, &fc) > 0;
}

/* Checks that only make sense once the whole file is read. */
static int
check_complete(struct config *cfg, config_t *lc, const char *file,
    FILE *errors)
{
	const config_setting_t *s = config_lookup(lc, "output");
	char path[4096];

	if (s != NULL && config_setting_length(s) == 0) {
		report(errors, file, s, "output", "names no output");
		return 1;
	}
	if (count_outputs(cfg) > 1) {
		report(errors, file, s, "output", "only one output can be "
		    "enabled (file, logstash or elasticsearch)");
		return 1;
	}
	if (cfg->file_output != NULL && cfg->file_output->path == NULL &&
	    (cfg->file_output->path =
	    strdup("/var/log/audisp-ecs/events.json")) == NULL)
		return 1;
	if (cfg->logstash != NULL && check_logstash(cfg, lc, file, errors))
		return 1;
	if (cfg->elasticsearch != NULL &&
	    check_elasticsearch(cfg, lc, file, errors))
		return 1;
	if (cfg->fim != NULL && check_fim(cfg, lc, file, errors))
		return 1;
	if (cfg->spool.path == NULL) {
		snprintf(path, sizeof(path), "%s/spool", cfg->data_dir);
		if ((cfg->spool.path = strdup(path)) == NULL)
			return 1;
	}
	cfg->has_outputs = count_outputs(cfg) > 0;
	return check_secret_mode(lc, file, errors);
}

struct config *
config_load(const char *path, FILE *errors)
{
	config_t lc;
	struct config *cfg;
	int nerrors;

	if ((cfg = config_defaults()) == NULL) {
		fprintf(errors, "out of memory\n");
		return NULL;
	}
	if (path == NULL) {
		if (access(CONFIG_DEFAULT_PATH, F_OK) != 0)
			return cfg;
		path = CONFIG_DEFAULT_PATH;
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
	nerrors += check_complete(cfg, &lc, path, errors);
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
	free(cfg->data_dir);
	event_filter_free(&cfg->drop_event);
	fim_config_free(cfg->fim);
	free(cfg->source);
	free(cfg);
}

void
config_print_schema(FILE *out)
{
	size_t i;

	for (i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		if (schema[i].store != NULL)
			fprintf(out, "%-32s %-14s %s\n", schema[i].path,
			    type_name(schema[i].type), schema[i].default_text);
}

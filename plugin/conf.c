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
#include <unistd.h>

#include "conf.h"

#define ERRLEN	256

struct key_spec;
typedef int (*store_fn)(const struct key_spec *, const config_setting_t *,
    struct config *, char *err);

/* Which struct a plain integer or boolean setting is stored in. */
enum target {
	IN_CONFIG,		/* struct config */
	IN_FILE_OUTPUT,		/* struct file_output_config */
};

struct key_spec {
	const char	*path;
	int		 type;		/* CONFIG_TYPE_* */
	const char	*default_text;	/* for config_print_schema */
	store_fn	 store;		/* NULL for groups */
	long		 min, max;	/* for integers */
	enum target	 target;	/* for store_int and store_bool: */
	size_t		 offset;	/* where, a long or an int */
};

#define AT_CONFIG(field)	IN_CONFIG, offsetof(struct config, field)
#define AT_FILE(field)		IN_FILE_OUTPUT, \
				offsetof(struct file_output_config, field)

static int store_file_path(const struct key_spec *, const config_setting_t *,
    struct config *, char *);
static int store_int(const struct key_spec *, const config_setting_t *,
    struct config *, char *);
static int store_bool(const struct key_spec *, const config_setting_t *,
    struct config *, char *);
static int store_permissions(const struct key_spec *, const config_setting_t *,
    struct config *, char *);
static int store_log_level(const struct key_spec *, const config_setting_t *,
    struct config *, char *);
static int store_data_dir(const struct key_spec *, const config_setting_t *,
    struct config *, char *);

static const struct key_spec schema[] = {
	{ "output", CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, 0, 0 },
	{ "output.file", CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, 0, 0 },
	{ "output.file.path", CONFIG_TYPE_STRING,
	    "\"/var/log/audisp-ecs/events.json\"", store_file_path, 0, 0, 0, 0 },
	{ "output.file.rotate_every_kb", CONFIG_TYPE_INT, "10240",
	    store_int, 1, 1L << 30, AT_FILE(rotate_every_kb) },
	{ "output.file.number_of_files", CONFIG_TYPE_INT, "7",
	    store_int, 2, 1024, AT_FILE(number_of_files) },
	{ "output.file.permissions", CONFIG_TYPE_STRING, "\"0600\"",
	    store_permissions, 0, 0, 0, 0 },
	{ "input", CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, 0, 0 },
	{ "input.buffer_size", CONFIG_TYPE_INT, "67108864",
	    store_int, 65536, 1L << 30, AT_CONFIG(input_buffer_size) },
	{ "input.max_record_size", CONFIG_TYPE_INT, "65536",
	    store_int, 8192, 16L << 20, AT_CONFIG(max_record_size) },
	{ "input.eoe_timeout", CONFIG_TYPE_INT, "2",
	    store_int, 1, 60, AT_CONFIG(eoe_timeout) },
	{ "queue", CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, 0, 0 },
	{ "queue.mem", CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, 0, 0 },
	{ "queue.mem.events", CONFIG_TYPE_INT, "65536",
	    store_int, 64, 1L << 24, AT_CONFIG(queue_events) },
	{ "logging", CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, 0, 0 },
	{ "logging.level", CONFIG_TYPE_STRING, "\"info\"",
	    store_log_level, 0, 0, 0, 0 },
	{ "logging.to_stderr", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_CONFIG(log_to_stderr) },
	{ "auditd", CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, 0, 0 },
	{ "auditd.include_raw_message", CONFIG_TYPE_BOOL, "false",
	    store_bool, 0, 0, AT_CONFIG(include_raw_message) },
	{ "auditd.resolve_ids", CONFIG_TYPE_BOOL, "true",
	    store_bool, 0, 0, AT_CONFIG(resolve_ids) },
	{ "auditd.args_max_bytes", CONFIG_TYPE_INT, "1048576",
	    store_int, 0, 1L << 30, AT_CONFIG(args_max_bytes) },
	{ "drop_event", CONFIG_TYPE_LIST, "()", NULL, 0, 0, 0, 0 },
	{ "path", CONFIG_TYPE_GROUP, NULL, NULL, 0, 0, 0, 0 },
	{ "path.data", CONFIG_TYPE_STRING, "\"/var/lib/audisp-ecs\"",
	    store_data_dir, 0, 0, 0, 0 },
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

static int
store_file_path(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	const char *path = config_setting_get_string(s);
	struct file_output_config *fo;

	if (path[0] != '/') {
		snprintf(err, ERRLEN, "must be an absolute path, not \"%s\"",
		    path);
		return -1;
	}
	if ((fo = file_output(cfg)) == NULL || (free(fo->path),
	    fo->path = strdup(path)) == NULL) {
		snprintf(err, ERRLEN, "out of memory");
		return -1;
	}
	return 0;
}

/* The struct a setting of spec is stored in; NULL when out of memory. */
static char *
target_struct(const struct key_spec *spec, struct config *cfg)
{
	if (spec->target == IN_FILE_OUTPUT)
		return (char *)file_output(cfg);
	return (char *)cfg;
}

static int
store_int(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	long long v = config_setting_get_int64(s);
	char *base;

	if (v < spec->min || v > spec->max) {
		snprintf(err, ERRLEN, "%lld is out of range (%ld..%ld)", v,
		    spec->min, spec->max);
		return -1;
	}
	if ((base = target_struct(spec, cfg)) == NULL) {
		snprintf(err, ERRLEN, "out of memory");
		return -1;
	}
	*(long *)(void *)(base + spec->offset) = (long)v;
	return 0;
}

static int
store_bool(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	char *base;

	if ((base = target_struct(spec, cfg)) == NULL) {
		snprintf(err, ERRLEN, "out of memory");
		return -1;
	}
	*(int *)(void *)(base + spec->offset) = config_setting_get_bool(s);
	return 0;
}

static int
store_permissions(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	const char *text = config_setting_get_string(s);
	struct file_output_config *fo;
	char *end;
	long mode;

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
	if ((fo = file_output(cfg)) == NULL) {
		snprintf(err, ERRLEN, "out of memory");
		return -1;
	}
	fo->permissions = (int)mode;
	return 0;
}

static int
store_data_dir(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	const char *path = config_setting_get_string(s);
	char *copy;

	if (path[0] != '/') {
		snprintf(err, ERRLEN, "must be an absolute path, not \"%s\"",
		    path);
		return -1;
	}
	if ((copy = strdup(path)) == NULL) {
		snprintf(err, ERRLEN, "out of memory");
		return -1;
	}
	free(cfg->data_dir);
	cfg->data_dir = copy;
	return 0;
}

static int
store_log_level(const struct key_spec *spec, const config_setting_t *s,
    struct config *cfg, char *err)
{
	const char *level = config_setting_get_string(s);

	if (strcmp(level, "debug") == 0)
		cfg->log_level_debug = 1;
	else if (strcmp(level, "info") == 0 || strcmp(level, "warning") == 0 ||
	    strcmp(level, "error") == 0)
		cfg->log_level_debug = 0;
	else {
		snprintf(err, ERRLEN, "\"%s\" is not one of debug, info, "
		    "warning, error", level);
		return -1;
	}
	return 0;
}

static int
type_matches(int want, int have)
{
	if (want == CONFIG_TYPE_INT)
		return have == CONFIG_TYPE_INT || have == CONFIG_TYPE_INT64;
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
		if (spec->type == CONFIG_TYPE_GROUP) {
			if (strcmp(path, "output.file") == 0 &&
			    file_output(cfg) == NULL)
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
	if ((cfg->data_dir = strdup(CONFIG_DEFAULT_DATA_DIR)) == NULL) {
		free(cfg);
		return NULL;
	}
	return cfg;
}

/* Checks that only make sense once the whole file is read. */
static int
check_complete(struct config *cfg, config_t *lc, const char *file,
    FILE *errors)
{
	const config_setting_t *s;

	if (cfg->file_output != NULL && cfg->file_output->path == NULL) {
		cfg->file_output->path =
		    strdup("/var/log/audisp-ecs/events.json");
		if (cfg->file_output->path == NULL)
			return 1;
	}
	if ((s = config_lookup(lc, "output")) != NULL &&
	    config_setting_length(s) == 0) {
		report(errors, file, s, "output", "names no output");
		return 1;
	}
	cfg->has_outputs = cfg->file_output != NULL;
	return 0;
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

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	if (cfg->file_output != NULL)
		free(cfg->file_output->path);
	free(cfg->file_output);
	free(cfg->data_dir);
	event_filter_free(&cfg->drop_event);
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

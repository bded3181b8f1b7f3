/*
 * Unit tests for loading and validating the configuration (plugin/conf.h).
 * Each test writes a configuration into a temporary directory and checks
 * the values loaded or the exact error messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin/conf.h"
#include "helpers.h"

struct fixture {
	char		 dir[64];
	char		 path[128];
	char		*errors;	/* what config_load wrote */
	size_t		 errors_len;
	const void	*arg;		/* a table-driven test's case */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_conf.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/audisp-ecs.conf", f->dir);
	f->arg = *state;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	free(f->errors);
	free(f);
	return 0;
}

static void
write_config(struct fixture *f, const char *text)
{
	FILE *fp = fopen(f->path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* config_load on the fixture's file, keeping the error output. */
static struct config *
load(struct fixture *f)
{
	struct config *cfg;
	FILE *errors;

	free(f->errors);
	f->errors = NULL;
	errors = open_memstream(&f->errors, &f->errors_len);
	assert_non_null(errors);
	cfg = config_load(f->path, errors);
	assert_int_equal(fclose(errors), 0);
	return cfg;
}

/* The expected error text; an "F" starting a line stands for the path. */
static void
assert_errors(struct fixture *f, const char *want)
{
	char expected[2048];
	size_t len = 0;
	const char *p;

	for (p = want; *p != '\0'; p++) {
		if (*p == 'F' && (p == want || p[-1] == '\n'))
			len += (size_t)snprintf(expected + len,
			    sizeof(expected) - len, "%s", f->path);
		else
			expected[len++] = *p;
		assert_true(len < sizeof(expected));
	}
	expected[len] = '\0';
	assert_string_equal(f->errors, expected);
}

/* text loads without an error: its configuration. */
static struct config *
load_text(struct fixture *f, const char *text)
{
	struct config *cfg;

	write_config(f, text);
	if ((cfg = load(f)) == NULL)
		fail_msg("config_load failed: %s", f->errors);
	assert_string_equal(f->errors, "");
	return cfg;
}

/* text is refused: the errors are in f->errors. */
static void
refuse_text(struct fixture *f, const char *text)
{
	write_config(f, text);
	if (load(f) != NULL)
		fail_msg("config_load took \"%s\"", text);
}

/* A configuration, and the values it loads to. */
static const struct load_case {
	const char	*name;
	const char	*text;
	long		 input_buffer_size;
	long		 max_record_size;
	long		 eoe_timeout;
	long		 queue_events;
	long		 log_level;
	int		 log_to_stderr;
	const char	*file_path;	/* NULL: no file output */
	long		 rotate_every_kb;
	long		 number_of_files;
	long		 permissions;
} load_cases[] = {
	{ "empty file gives defaults", "",
	    64 * 1024 * 1024, 65536, 2, 65536, LOG_LEVEL_INFO, 0,
	    NULL, 0, 0, 0 },
	{ "comments only file gives defaults",
	    "# nothing set\n// still nothing\n",
	    64 * 1024 * 1024, 65536, 2, 65536, LOG_LEVEL_INFO, 0,
	    NULL, 0, 0, 0 },
	{ "input, queue and logging values",
	    "input: { buffer_size = 1048576; max_record_size = 16384;\n"
	    "         eoe_timeout = 5; };\n"
	    "queue: { mem: { events = 4096; }; };\n"
	    "logging: { level = \"debug\"; to_stderr = true; };\n",
	    1048576, 16384, 5, 4096, LOG_LEVEL_DEBUG, 1,
	    NULL, 0, 0, 0 },
	{ "file output values",
	    "output: {\n"
	    "  file: {\n"
	    "    path = \"/var/log/ecs/audit.json\";\n"
	    "    rotate_every_kb = 2048;\n"
	    "    number_of_files = 3;\n"
	    "    permissions = \"0640\";\n"
	    "  };\n"
	    "};\n",
	    64 * 1024 * 1024, 65536, 2, 65536, LOG_LEVEL_INFO, 0,
	    "/var/log/ecs/audit.json", 2048, 3, 0640 },
	{ "file output defaults", "output: { file: { }; };\n",
	    64 * 1024 * 1024, 65536, 2, 65536, LOG_LEVEL_INFO, 0,
	    "/var/log/audisp-ecs/events.json", 10240, 7, 0600 },
};

static void
test_loads(void **state)
{
	struct fixture *f = *state;
	const struct load_case *c = f->arg;
	struct config *cfg = load_text(f, c->text);

	assert_string_equal(cfg->source, f->path);
	assert_int_equal(cfg->input_buffer_size, c->input_buffer_size);
	assert_int_equal(cfg->max_record_size, c->max_record_size);
	assert_int_equal(cfg->eoe_timeout, c->eoe_timeout);
	assert_int_equal(cfg->queue_events, c->queue_events);
	assert_int_equal(cfg->log_level, c->log_level);
	assert_int_equal(cfg->log_to_stderr, c->log_to_stderr);
	assert_int_equal(cfg->has_outputs, c->file_path != NULL);
	if (c->file_path == NULL) {
		assert_null(cfg->file_output);
	} else {
		assert_non_null(cfg->file_output);
		assert_string_equal(cfg->file_output->path, c->file_path);
		assert_int_equal(cfg->file_output->rotate_every_kb,
		    c->rotate_every_kb);
		assert_int_equal(cfg->file_output->number_of_files,
		    c->number_of_files);
		assert_int_equal(cfg->file_output->permissions,
		    c->permissions);
	}
	config_free(cfg);
}

/* A configuration that is refused, with exactly these errors. */
static const struct refused_case {
	const char	*name;
	const char	*text;
	const char	*errors;	/* as assert_errors wants them */
} refused_cases[] = {
	{ "unknown key",
	    "input: {\n"
	    "  eoe_timeout = 3;\n"
	    "  eoe_timeotu = 3;\n"
	    "};\n",
	    "F:3: input.eoe_timeotu: unknown key\n" },
	{ "unknown top level group",
	    "\noutputs: { file: { }; };\n",
	    "F:2: outputs: unknown key\n" },
	{ "string where integer expected",
	    "input: { eoe_timeout = \"2\"; };\n",
	    "F:1: input.eoe_timeout: must be an integer, not a string\n" },
	{ "integer where group expected",
	    "logging = 1;\n",
	    "F:1: logging: must be a group { ... }, not an integer\n" },
	{ "rotate_every_kb zero out of range",
	    "output: { file: {\n  rotate_every_kb = 0;\n}; };\n",
	    "F:2: output.file.rotate_every_kb: 0 is out of range "
	    "(1..1073741824)\n" },
	{ "world readable permissions refused",
	    "output: { file: { permissions = \"0666\"; }; };\n",
	    "F:1: output.file.permissions: \"0666\" would let "
	    "any user read the audit trail; use at most \"0640\"\n" },
	{ "permissions not octal",
	    "output: { file: { permissions = \"0689\"; }; };\n",
	    "F:1: output.file.permissions: \"0689\" is not an "
	    "octal file mode such as \"0600\"\n" },
	{ "relative path refused",
	    "output: { file: { path = \"logs/events.json\"; }; };\n",
	    "F:1: output.file.path: must be an absolute path, "
	    "not \"logs/events.json\"\n" },
	{ "bad log level",
	    "logging: { level = \"verbose\"; };\n",
	    "F:1: logging.level: \"verbose\" is not one of error, "
	    "warning, info, debug\n" },
	{ "empty output group names no output",
	    "output: { };\n",
	    "F:1: output: names no output\n" },
	{ "every error reported",
	    "output: {\n"
	    "  file: {\n"
	    "    path = \"relative.json\";\n"
	    "    rotate_every_kb = 0;\n"
	    "    permissions = \"0666\";\n"
	    "    number_of_files = \"seven\";\n"
	    "  };\n"
	    "};\n"
	    "input: { colour = \"blue\"; eoe_timeout = 61; };\n"
	    "logging: { to_stderr = \"yes\"; };\n",
	    "F:3: output.file.path: must be an absolute path, "
	    "not \"relative.json\"\n"
	    "F:4: output.file.rotate_every_kb: 0 is out of range "
	    "(1..1073741824)\n"
	    "F:5: output.file.permissions: \"0666\" would let any user read "
	    "the audit trail; use at most \"0640\"\n"
	    "F:6: output.file.number_of_files: must be an integer, "
	    "not a string\n"
	    "F:9: input.colour: unknown key\n"
	    "F:9: input.eoe_timeout: 61 is out of range (1..60)\n"
	    "F:10: logging.to_stderr: must be true or false, not a string\n" },
};

static void
test_refused(void **state)
{
	struct fixture *f = *state;
	const struct refused_case *c = f->arg;

	refuse_text(f, c->text);
	assert_errors(f, c->errors);
}

/* The one line of errors starts with the path, then after_path. */
static void
assert_one_error_line(struct fixture *f, const char *after_path)
{
	char prefix[256];

	snprintf(prefix, sizeof(prefix), "%s%s", f->path, after_path);
	if (strncmp(f->errors, prefix, strlen(prefix)) != 0)
		fail_msg("expected \"%s...\", got \"%s\"", prefix, f->errors);
	assert_ptr_equal(strchr(f->errors, '\n'),
	    f->errors + strlen(f->errors) - 1);
}

static void
test_syntax_error(void **state)
{
	struct fixture *f = *state;

	refuse_text(f,
	    "input: {\n  eoe_timeout = 2;\n  max_record_size = ;\n};\n");
	/* libconfig's "syntax error" (and any detail it gives), one line. */
	assert_one_error_line(f, ":3: syntax error");
}

static void
test_syntax_error_stops_before_checking_keys(void **state)
{
	struct fixture *f = *state;

	/* The file is not half-read: only the syntax error is reported. */
	refuse_text(f, "bogus = 1;\nlogging: { level = \"debug\" \n");
	assert_one_error_line(f, ":");
	assert_null(strstr(f->errors, "bogus"));
}

static void
test_missing_file_cannot_be_read(void **state)
{
	struct fixture *f = *state;
	char want[256];

	assert_null(load(f));
	snprintf(want, sizeof(want), "%s: cannot read: "
	    "No such file or directory\n", f->path);
	assert_string_equal(f->errors, want);
}

/* text is refused, with want in the one error line. */
static void
assert_refused(struct fixture *f, const char *text, const char *want)
{
	refuse_text(f, text);
	if (strstr(f->errors, want) == NULL)
		fail_msg("for %s: want \"%s\", got \"%s\"", text, want,
		    f->errors);
}

static void
test_quantities_with_units(void **state)
{
	struct fixture *f = *state;
	struct config *cfg;

	cfg = load_text(f, "output: { logstash: { hosts = [\"h\"];\n"
	    "  timeout = \"500ms\"; ttl = \"2m\"; backoff: { init = 1.5;\n"
	    "  max = \"1.5e1 s\"; }; }; };\n"
	    "logging: { metrics: { period = 0; }; };\n"
	    "queue: { spool: { max_size = \"500MB\"; }; };\n"
	    "fim: { paths = [\"/etc\"]; max_file_size = 2097152;\n"
	    "  scan_rate_per_sec = \"unlimited\"; };\n");
	assert_int_equal(cfg->logstash->timeout_ms, 500);
	assert_int_equal(cfg->logstash->ttl_ms, 120000);
	assert_int_equal(cfg->logstash->backoff_init_ms, 1500);
	assert_int_equal(cfg->logstash->backoff_max_ms, 15000);
	assert_int_equal(cfg->metrics_period_ms, 0);
	assert_int_equal(cfg->spool.max_size, 500000000LL);
	assert_int_equal(cfg->fim->max_file_size, 2097152);
	assert_int_equal(cfg->fim->scan_rate_per_sec, 0);
	config_free(cfg);
}

static void
test_quantities_refused(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "logging: { metrics: { period = \"inf\"; }; };",
		    "period: \"inf\" is not a duration such as \"30s\"" },
		{ "logging: { metrics: { period = \"nan\"; }; };",
		    "period: \"nan\" is not a duration" },
		{ "logging: { metrics: { period = \"0x10s\"; }; };",
		    "period: \"0x10s\" is not a duration" },
		{ "logging: { metrics: { period = \"-5s\"; }; };",
		    "period: \"-5s\" is not a duration" },
		{ "logging: { metrics: { period = \"5 parsecs\"; }; };",
		    "period: \"5 parsecs\" is not a duration" },
		{ "logging: { metrics: { period = \"1e400ms\"; }; };",
		    "period: out of range (0ms to 86400000ms)" },
		{ "logging: { metrics: { period = 1e300; }; };",
		    "period: out of range (0ms to 86400000ms)" },
		{ "logging: { metrics: { period = -1; }; };",
		    "period: out of range (0ms to 86400000ms)" },
		{ "output: { logstash: { hosts = [\"h\"];\n"
		    "  timeout = 18446744073709552L; }; };",
		    "timeout: out of range (100ms to 3600000ms)" },
		{ "output: { logstash: { hosts = [\"h\"];\n"
		    "  timeout = 9223372036854775807L; }; };",
		    "timeout: out of range (100ms to 3600000ms)" },
		{ "queue: { spool: { max_size = \"1e30 GiB\"; }; };",
		    "max_size: out of range (1048576B to 9223372036854775807B)" },
		{ "queue: { spool: { max_size = \"0x10MiB\"; }; };",
		    "max_size: \"0x10MiB\" is not a size such as \"1GiB\"" },
		{ "queue: { spool: { max_size = \"-1GiB\"; }; };",
		    "max_size: \"-1GiB\" is not a size" },
		{ "queue: { spool: { max_size = \"infGiB\"; }; };",
		    "max_size: \"infGiB\" is not a size" },
		{ "queue: { spool: { max_size = -5; }; };",
		    "max_size: out of range" },
		{ "queue: { spool: { max_size = \"1KiB\"; }; };",
		    "max_size: out of range (1048576B to" },
		{ "fim: { paths = [\"/etc\"]; scan_rate_per_sec = \"1KiB\"; };",
		    "scan_rate_per_sec: must be 0 (unlimited) or at least 65536B" },
		{ "fim: { paths = [\"/etc\"]; scan_rate_per_sec = \"nan\"; };",
		    "scan_rate_per_sec: \"nan\" is not a rate" },
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_refused(f, cases[i].text, cases[i].want);
}

/* The schema's "${path.data}/..." defaults follow path.data. */
static void
test_defaults_follow_path_data(void **state)
{
	struct fixture *f = *state;
	struct config *cfg;

	cfg = load_text(f,
	    "output: { elasticsearch: { hosts = [\"es\"]; }; };\n"
	    "fim: { paths = [\"/etc\"]; };\n"
	    "path: { data = \"/srv/ecs\"; };\n");
	assert_string_equal(cfg->spool.path, "/srv/ecs/spool");
	assert_string_equal(cfg->elasticsearch->dead_letter_file,
	    "/srv/ecs/dead-letter.ndjson");
	assert_string_equal(cfg->fim->state_path, "/srv/ecs/fim");
	assert_string_equal(cfg->elasticsearch->index, ES_DEFAULT_INDEX);
	assert_string_equal(cfg->elasticsearch->dead_letter_index,
	    ES_DEFAULT_DEAD_LETTER_INDEX);
	assert_int_equal(cfg->elasticsearch->non_indexable_policy,
	    NON_INDEXABLE_DEAD_LETTER_FILE);
	assert_int_equal(cfg->elasticsearch->ssl.protocols.count, 2);
	assert_int_equal(cfg->elasticsearch->ssl.enabled, 0);
	config_free(cfg);

	cfg = load_text(f, "queue: { spool: { path = \"/q\"; }; };\n"
	    "path: { data = \"/srv/ecs\"; };\n");
	assert_string_equal(cfg->spool.path, "/q");
	config_free(cfg);

	assert_non_null(cfg = config_defaults());
	assert_string_equal(cfg->spool.path, CONFIG_DEFAULT_DATA_DIR "/spool");
	config_free(cfg);
}

/* A list in the file replaces the default list; it does not add to it. */
static void
test_list_replaces_default(void **state)
{
	struct fixture *f = *state;
	struct config *cfg;

	cfg = load_text(f,
	    "fim: { paths = [\"/etc\"]; hash_types = [\"md5\"];\n"
	    "  attributes = [\"size\"]; };\n");
	assert_int_equal(cfg->fim->hash_types.count, 1);
	assert_string_equal(cfg->fim->hash_types.items[0], "md5");
	assert_int_equal(cfg->fim->attributes.count, 1);
	config_free(cfg);

	cfg = load_text(f, "fim: { paths = [\"/etc\"]; };\n");
	assert_int_equal(cfg->fim->hash_types.count, 1);
	assert_string_equal(cfg->fim->hash_types.items[0], "sha256");
	assert_int_equal(cfg->fim->attributes.count, 10);
	config_free(cfg);
}

/* The secret keys come from the schema's flag. */
static void
test_secret_needs_private_file(void **state)
{
	struct fixture *f = *state;

	write_config(f, "output: { elasticsearch: { hosts = [\"es\"];\n"
	    "  api_key = \"id:key\"; }; };\n");
	assert_int_equal(chmod(f->path, 0644), 0);
	assert_null(load(f));
	assert_non_null(strstr(f->errors,
	    "holds output.elasticsearch.api_key but is readable"));
}

/* Every key the reference lists has a default that stores cleanly. */
static void
test_print_defaults(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	config_print_defaults(out);
	assert_int_equal(fclose(out), 0);
	assert_non_null(strstr(text,
	    "\nqueue.spool.path\tstring\t\"${path.data}/spool\"\t-\n"));
	assert_non_null(strstr(text,
	    "\noutput.logstash.timeout\tduration\t\"30s\"\t100ms..3600000ms\n"));
	assert_non_null(strstr(text,
	    "\noutput.elasticsearch.password\tstring\tnone\t-\tsecret\n"));
	assert_non_null(strstr(text, "\nfim.paths\tarray\trequired\t"));
	free(text);
}

int
main(void)
{
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		CASES_SETUP(test_loads, load_cases, setup, teardown),
		CASES_SETUP(test_refused, refused_cases, setup, teardown),
		T(test_syntax_error),
		T(test_syntax_error_stops_before_checking_keys),
		T(test_missing_file_cannot_be_read),
		T(test_quantities_with_units),
		T(test_quantities_refused),
		T(test_defaults_follow_path_data),
		T(test_list_replaces_default),
		T(test_secret_needs_private_file),
		T(test_print_defaults),
	};
#undef T

	return run_group(tests, NULL, NULL);
}

/*
 * Finding a gap's records in auditd's log (parsers/log_scan.h): records
 * on both sides of the 1 MiB chunks the file is read in, handed over in
 * log order; the rotated file read when the current one does not reach
 * back far enough; the byte budget; the age bound (serials start again
 * after a reboot); a last line still being written; auditd's own records.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parsers/log_scan.h"

#define T0		1700000000UL	/* the time of serial 1 */
#define PAD		"x"		/* repeated to make records long */

static char dir[64];

static const struct log_scan_limits unlimited = {
	.max_bytes = 1LL << 40, .rate = 0, .max_age = 3600, .max_files = 3,
	.max_record_size = 65536,
};

/* Serials seen by the callback, in order. */
struct seen {
	unsigned long	 serial[8192];
	size_t		 n;
	int		 bad;		/* a line that is not a whole record */
};

static void
take(void *ctx, const char *line, size_t len, unsigned long serial)
{
	struct seen *s = ctx;

	if (len < 5 || strncmp(line, "type=", 5) != 0 ||
	    memchr(line, '\n', len) != NULL || line[len - 1] != 'z')
		s->bad++;
	if (s->n < 8192)
		s->serial[s->n++] = serial;
}

/*
 * Append records for serials first..last to path, two records each, the
 * time of serial s T0 + s / 10 (sec_shift added), about 700 bytes each.
 */
static void
write_records(const char *path, unsigned long first, unsigned long last,
    long sec_shift, const char *mode)
{
	FILE *f = fopen(path, mode);
	unsigned long s;

	assert_non_null(f);
	for (s = first; s <= last; s++) {
		unsigned long sec = T0 + s / 10 + (unsigned long)sec_shift;

		fprintf(f, "type=SYSCALL msg=audit(%lu.123:%lu): arch=c000003e "
		    "syscall=59 pad=%0*d z\n", sec, s, 600, 0);
		fprintf(f, "type=EOE msg=audit(%lu.123:%lu): z\n", sec, s);
	}
	fclose(f);
}

static char *
path_of(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test-log-scan.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
assert_serials(const struct seen *s, unsigned long first, unsigned long last)
{
	unsigned long want;
	size_t i = 0;

	assert_int_equal(s->bad, 0);
	for (want = first; want <= last; want++) {
		assert_true(i + 1 < s->n + 1);
		assert_int_equal(s->serial[i++], want);	/* SYSCALL */
		assert_int_equal(s->serial[i++], want);	/* EOE */
	}
	assert_int_equal(i, s->n);
}

/* 6000 serials (8 MiB): a gap in the middle straddles chunk boundaries. */
static void
test_gap_across_chunks(void **state)
{
	struct log_scan_result res;
	struct seen *s = calloc(1, sizeof(*s));

	(void)state;
	write_records(path_of("audit.log"), 1, 6000, 0, "w");
	assert_int_equal(log_scan(path_of("audit.log"), 2000, 3999,
	    T0 + 400, &unlimited, take, s, &res), 0);
	assert_serials(s, 2000, 3999);
	assert_true(res.complete);
	assert_true(res.bytes < 6LL << 20);	/* stopped once past 2000 */
	free(s);
}

static void
test_rotated_file(void **state)
{
	struct log_scan_result res;
	struct seen *s = calloc(1, sizeof(*s));

	(void)state;
	write_records(path_of("audit.log.1"), 1, 1000, 0, "w");
	write_records(path_of("audit.log"), 1001, 1500, 0, "w");
	assert_int_equal(log_scan(path_of("audit.log"), 900, 1100, T0 + 110,
	    &unlimited, take, s, &res), 0);
	assert_serials(s, 900, 1100);
	free(s);
}

static void
test_byte_budget(void **state)
{
	struct log_scan_limits lim = unlimited;
	struct log_scan_result res;
	struct seen *s = calloc(1, sizeof(*s));

	(void)state;
	write_records(path_of("audit.log"), 1, 6000, 0, "w");
	lim.max_bytes = 1 << 20;
	assert_int_equal(log_scan(path_of("audit.log"), 10, 20, T0 + 2,
	    &lim, take, s, &res), 0);
	assert_int_equal(s->n, 0);
	assert_false(res.complete);
	assert_true(res.bytes <= 1 << 20);
	free(s);
}

/* A previous boot's serials, two hours older, are no match. */
static void
test_age_bound(void **state)
{
	struct log_scan_result res;
	struct seen *s = calloc(1, sizeof(*s));

	(void)state;
	write_records(path_of("audit.log"), 100, 200, -7200, "w");
	write_records(path_of("audit.log"), 1, 150, 0, "a");
	assert_int_equal(log_scan(path_of("audit.log"), 120, 130, T0 + 14,
	    &unlimited, take, s, &res), 0);
	assert_serials(s, 120, 130);
	free(s);
}

/* The last line without its newline may be half written: not taken. */
static void
test_last_line_being_written(void **state)
{
	struct log_scan_result res;
	struct seen *s = calloc(1, sizeof(*s));
	FILE *f;

	(void)state;
	write_records(path_of("audit.log"), 1, 10, 0, "w");
	assert_non_null(f = fopen(path_of("audit.log"), "a"));
	fprintf(f, "type=SYSCALL msg=audit(%lu.123:11): arch=c0", T0 + 1);
	fclose(f);
	assert_int_equal(log_scan(path_of("audit.log"), 5, 11, T0 + 1,
	    &unlimited, take, s, &res), 0);
	assert_serials(s, 5, 10);
	free(s);
}

static void
test_daemon_records_and_junk_skipped(void **state)
{
	struct log_scan_result res;
	struct seen *s = calloc(1, sizeof(*s));
	FILE *f;

	(void)state;
	assert_non_null(f = fopen(path_of("audit.log"), "w"));
	fprintf(f, "type=DAEMON_START msg=audit(%lu.1:5): op=start z\n", T0);
	fprintf(f, "not a record at all\n\n");
	fclose(f);
	write_records(path_of("audit.log"), 5, 6, 0, "a");
	assert_int_equal(log_scan(path_of("audit.log"), 5, 6, T0 + 1,
	    &unlimited, take, s, &res), 0);
	assert_serials(s, 5, 6);
	free(s);
}

static void
test_missing_log(void **state)
{
	struct log_scan_result res;
	struct seen *s = calloc(1, sizeof(*s));

	(void)state;
	assert_int_equal(log_scan(path_of("nothing"), 1, 2, T0, &unlimited,
	    take, s, &res), -1);
	assert_int_equal(s->n, 0);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gap_across_chunks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotated_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_byte_budget, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_age_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_line_being_written,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_daemon_records_and_junk_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_log, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

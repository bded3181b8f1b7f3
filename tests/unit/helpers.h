/*
 * Small helpers that several unit tests share: the monotonic clock, and
 * running a table of cases.
 *
 * A table-driven test runs each case as a cmocka test of its own, named
 * by the case: a failure says which case failed, and the other cases still
 * run.  The structure of a case starts with its name:
 *
 *	static const struct frob_case {
 *		const char	*name;
 *		const char	*input;
 *		int		 want;
 *	} frob_cases[] = { ... };
 *
 *	static void
 *	test_frob(void **state)
 *	{
 *		const struct frob_case *c = *state;
 *		...
 *	}
 *
 *	const struct CMUnitTest tests[] = {
 *		CASES(test_frob, frob_cases),
 *		cmocka_unit_test(test_other),
 *	};
 *
 *	return run_group(tests, NULL, NULL);
 *
 * With CASES_SETUP, each case runs between a setup and a teardown; the
 * setup finds the case in *state and keeps it in what it puts there.
 *
 * Include after cmocka.h; every function is static to the test program.
 */
#ifndef AUDISP_ECS_TEST_HELPERS_H
#define AUDISP_ECS_TEST_HELPERS_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define N_ELEMENTS(a)	(sizeof(a) / sizeof((a)[0]))

/* Milliseconds since start, a CLOCK_MONOTONIC reading. */
static inline long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Sleeps ms milliseconds, signals or not. */
static inline void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* A table of cases: n of size bytes each, at cases. */
struct case_table {
	const void	*cases;
	size_t		 size;
	size_t		 n;
};

/*
 * In the tests of run_group: each case of table, as a test of its own
 * run by fn (between setup and teardown with CASES_SETUP).
 */
#define CASES(fn, table)	CASES_SETUP(fn, table, NULL, NULL)
#define CASES_SETUP(fn, table, setup, teardown)				\
	{ NULL, (fn), (setup), (teardown), (void *)&(const struct case_table) \
	    { (table), sizeof((table)[0]), N_ELEMENTS(table) } }

/*
 * As cmocka_run_group_tests, once every CASES entry of the n tests is
 * replaced by the cases of its table; returns how many tests failed.
 */
static inline int
run_group_of(const char *group, const struct CMUnitTest *tests, size_t n,
    CMFixtureFunction group_setup, CMFixtureFunction group_teardown)
{
	const struct case_table *t;
	struct CMUnitTest *all, *u;
	const char *c;
	size_t i, j, total = 0;
	int failed;

	for (i = 0; i < n; i++)
		total += tests[i].name != NULL ? 1 :
		    ((const struct case_table *)tests[i].initial_state)->n;
	if ((all = calloc(total, sizeof(*all))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", group);
		return (int)total;
	}
	for (i = 0, u = all; i < n; i++) {
		if (tests[i].name != NULL) {
			*u++ = tests[i];
			continue;
		}
		t = tests[i].initial_state;
		for (j = 0, c = t->cases; j < t->n; j++, c += t->size, u++) {
			*u = tests[i];
			u->name = *(const char *const *)(const void *)c;
			u->initial_state = (void *)c;
		}
	}
	failed = _cmocka_run_group_tests(group, all, total, group_setup,
	    group_teardown);
	free(all);
	return failed;
}

#define run_group(tests, group_setup, group_teardown)			\
	run_group_of(#tests, (tests), N_ELEMENTS(tests), (group_setup),	\
	    (group_teardown))

#define run_group_name(name, tests, group_setup, group_teardown)	\
	run_group_of((name), (tests), N_ELEMENTS(tests), (group_setup),	\
	    (group_teardown))

/* Remove a test's scratch directory and the files in it (no subdirectories). */
static inline void
remove_flat_dir(const char *dir)
{
	struct dirent *de;
	char path[4096];
	DIR *d;

	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

#endif

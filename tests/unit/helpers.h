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
 *	failed += run_cases(test_frob, frob_cases);
 *
 * With run_cases_setup, each case runs between a setup and a teardown;
 * the setup finds the case in *state and keeps it in what it puts there.
 *
 * Include after cmocka.h; every function is static to the test program.
 */
#ifndef AUDISP_ECS_TEST_HELPERS_H
#define AUDISP_ECS_TEST_HELPERS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

/*
 * Runs fn on each of the n cases of size bytes at table, as a group named
 * group, each between setup and teardown (either may be NULL); returns how
 * many failed.
 */
static inline int
run_case_table(const char *group, CMUnitTestFunction fn, const void *table,
    size_t size, size_t n, CMFixtureFunction setup,
    CMFixtureFunction teardown)
{
	struct CMUnitTest *tests;
	const char *c = table;
	size_t i;
	int failed;

	if ((tests = calloc(n, sizeof(*tests))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", group);
		return (int)n;
	}
	for (i = 0; i < n; i++, c += size) {
		tests[i].name = *(const char *const *)(const void *)c;
		tests[i].test_func = fn;
		tests[i].setup_func = setup;
		tests[i].teardown_func = teardown;
		tests[i].initial_state = (void *)c;
	}
	failed = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	free(tests);
	return failed;
}

#define run_cases(fn, table)						\
	run_case_table(#fn, (fn), (table), sizeof((table)[0]),		\
	    N_ELEMENTS(table), NULL, NULL)

#define run_cases_setup(fn, table, setup, teardown)			\
	run_case_table(#fn, (fn), (table), sizeof((table)[0]),		\
	    N_ELEMENTS(table), (setup), (teardown))

#endif

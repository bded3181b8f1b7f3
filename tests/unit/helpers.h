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
 *	const struct case_table tables[] = {
 *		CASE_TABLE(test_frob, frob_cases),
 *	};
 *
 *	return run_group(tests, tables);
 *
 * With CASE_TABLE_SETUP, each case runs between a setup and a teardown;
 * the setup finds the case in *state and keeps it in what it puts there.
 *
 * Include after cmocka.h; every function is static to the test program.
 */
#ifndef AUDISP_ECS_TEST_HELPERS_H
#define AUDISP_ECS_TEST_HELPERS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A table of cases, each run by fn (between setup and teardown). */
struct case_table {
	CMUnitTestFunction	 fn;
	const void		*cases;
	size_t			 size;		/* of one case */
	size_t			 n;
	CMFixtureFunction	 setup;
	CMFixtureFunction	 teardown;
};

#define CASE_TABLE(fn, table)						\
	{ (fn), (table), sizeof((table)[0]), N_ELEMENTS(table), NULL, NULL }
#define CASE_TABLE_SETUP(fn, table, setup, teardown)			\
	{ (fn), (table), sizeof((table)[0]), N_ELEMENTS(table),		\
	    (setup), (teardown) }

/*
 * Runs the ntests tests, then every case of the ntables tables, as one
 * group (between group_setup and group_teardown, either may be NULL);
 * returns how many failed, as cmocka_run_group_tests does.
 */
static inline int
run_group_of(const char *group, const struct CMUnitTest *tests,
    size_t ntests, const struct case_table *tables, size_t ntables,
    CMFixtureFunction group_setup, CMFixtureFunction group_teardown)
{
	const struct case_table *t;
	struct CMUnitTest *all, *u;
	const char *c;
	size_t i, n = ntests;
	int failed;

	for (t = tables; t < tables + ntables; t++)
		n += t->n;
	if ((all = calloc(n, sizeof(*all))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", group);
		return (int)n;
	}
	memcpy(all, tests, ntests * sizeof(*all));
	u = all + ntests;
	for (t = tables; t < tables + ntables; t++) {
		for (i = 0, c = t->cases; i < t->n; i++, c += t->size, u++) {
			u->name = *(const char *const *)(const void *)c;
			u->test_func = t->fn;
			u->setup_func = t->setup;
			u->teardown_func = t->teardown;
			u->initial_state = (void *)c;
		}
	}
	failed = _cmocka_run_group_tests(group, all, n, group_setup,
	    group_teardown);
	free(all);
	return failed;
}

#define run_group(tests, tables)					\
	run_group_of(#tests, (tests), N_ELEMENTS(tests), (tables),	\
	    N_ELEMENTS(tables), NULL, NULL)

#define run_group_setup(name, tests, tables, setup, teardown)		\
	run_group_of((name), (tests), N_ELEMENTS(tests), (tables),	\
	    N_ELEMENTS(tables), (setup), (teardown))

#endif

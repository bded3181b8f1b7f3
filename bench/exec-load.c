/*
 * exec-load: the audited workload of bench/live.sh.
 *
 *   exec-load COUNT RATE [WORKERS]
 *
 * Runs /bin/true COUNT times, RATE executions a second in total (0: as fast
 * as it can), from WORKERS processes (default 1) that each spawn and reap
 * their share.  A paced worker that falls behind does not burst to catch
 * up more than a tenth of a second's worth, so a slow host shows as a lower
 * rate instead of a storm.  Prints "COUNT SECONDS" (the executions done and
 * the wall time they took) on stdout.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

static int
run_true(void)
{
	char *argv[] = { "/bin/true", NULL };
	pid_t pid;
	int status;

	if ((errno = posix_spawn(&pid, "/bin/true", NULL, NULL, argv,
	    environ)) != 0) {
		perror("exec-load: posix_spawn /bin/true");
		return -1;
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			perror("exec-load: waitpid");
			return -1;
		}
	return 0;
}

/* One worker's share: count executions at rate a second (0: no pacing). */
static int
worker(long count, double rate)
{
	double start = now_s(), due;
	long done;

	for (done = 0; done < count; done++) {
		if (rate > 0) {
			due = start + (double)done / rate;
			if (now_s() - due > 0.1)
				start = now_s() - 0.1 - (double)done / rate;
			else
				sleep_until(due);
		}
		if (run_true() == -1)
			return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	long count, share, i, workers = 1;
	double rate, t0, t1;
	int status, failed = 0;
	pid_t pid;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: exec-load COUNT RATE [WORKERS]\n");
		return 2;
	}
	count = strtol(argv[1], NULL, 10);
	rate = strtod(argv[2], NULL);
	if (argc == 4)
		workers = strtol(argv[3], NULL, 10);
	if (count <= 0 || rate < 0 || workers <= 0 || workers > 64) {
		fprintf(stderr, "exec-load: bad COUNT, RATE or WORKERS\n");
		return 2;
	}
	t0 = now_s();
	for (i = 0; i < workers; i++) {
		share = count / workers + (i < count % workers ? 1 : 0);
		if ((pid = fork()) == -1) {
			perror("exec-load: fork");
			return 1;
		}
		if (pid == 0)
			_exit(worker(share, rate / (double)workers));
	}
	for (;;) {
		if (wait(&status) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	}
	t1 = now_s();
	printf("%ld %.3f\n", count, t1 - t0);
	return failed;
}

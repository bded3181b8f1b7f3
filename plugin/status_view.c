/* auditd's state report and the plugin's counters; see status_view.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "status_view.h"

#define FRESH_WAIT_MS	1000	/* for a report to be rewritten */
#define FRESH_STEP_MS	20
#define REPORT_MAX	(256 * 1024)	/* bytes read of either file */

/* /proc/PID/comm is name (a short name: the kernel keeps 15 bytes). */
static int
process_is(pid_t pid, const char *name)
{
	char path[64], comm[32];
	FILE *f;
	int same = 0;

	snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(comm, sizeof(comm), f) != NULL) {
		comm[strcspn(comm, "\n")] = '\0';
		same = strncmp(comm, name, 15) == 0;
	}
	fclose(f);
	return same;
}

static long long
mtime_ns(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return -1;
	return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

/* Signal pid, then wait a little for path to be written again. */
static void
ask_fresh(pid_t pid, int sig, const char *path)
{
	struct timespec step = { 0, FRESH_STEP_MS * 1000000L };
	long long before = mtime_ns(path);
	int waited;

	if (kill(pid, sig) == -1)
		return;
	for (waited = 0; waited < FRESH_WAIT_MS; waited += FRESH_STEP_MS) {
		nanosleep(&step, NULL);
		if (mtime_ns(path) != before && mtime_ns(path) != -1)
			break;
	}
	/* The writer may still be at it: a moment for it to finish. */
	nanosleep(&step, NULL);
}

/* The whole file, NUL-terminated, bounded; NULL if unreadable. */
static char *
read_small_file(const char *path)
{
	FILE *f;
	char *buf;
	size_t n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if ((buf = malloc(REPORT_MAX + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, REPORT_MAX, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* "name = value": name with '_' for blanks, value a number where it is. */
static void
add_state_line(struct json_object *o, char *line)
{
	char *eq = strstr(line, " = "), *value, *end, *c;
	long long n;

	if (eq == NULL)
		return;
	*eq = '\0';
	value = eq + 3;
	value[strcspn(value, "\n")] = '\0';
	for (c = line; *c != '\0'; c++)
		*c = isalnum((unsigned char)*c) ? (char)tolower((unsigned char)*c) :
		    '_';
	errno = 0;
	n = strtoll(value, &end, 10);
	if (*value != '\0' && *end == '\0' && errno == 0)
		json_object_object_add(o, line, json_object_new_int64(n));
	else
		json_object_object_add(o, line, json_object_new_string(value));
}

struct json_object *
auditd_state_read(pid_t pid, const char *path)
{
	struct json_object *o;
	char *text, *line, *save = NULL;

	if (pid > 0 && process_is(pid, "auditd"))
		ask_fresh(pid, SIGCONT, path);
	if ((text = read_small_file(path)) == NULL)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "state_file", json_object_new_string(path));
	json_object_object_add(o, "age_seconds", json_object_new_int64(
	    (long long)time(NULL) - mtime_ns(path) / 1000000000LL));
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		add_state_line(o, line);
	free(text);
	return o;
}

static struct json_object *
parse_stats(const char *path)
{
	struct json_object *o;
	char *text;

	if ((text = read_small_file(path)) == NULL)
		return NULL;
	o = json_tokener_parse(text);
	free(text);
	if (o != NULL && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The pid the file names, if it is an audisp-ecs process; else 0. */
static pid_t
running_writer(struct json_object *stats)
{
	struct json_object *v;
	long long pid;

	if (stats == NULL || !json_object_object_get_ex(stats, "pid", &v) ||
	    !json_object_is_type(v, json_type_int))
		return 0;
	pid = json_object_get_int64(v);
	if (pid <= 0 || pid > INT_MAX || !process_is((pid_t)pid, "audisp-ecs"))
		return 0;
	return (pid_t)pid;
}

struct json_object *
plugin_stats_read(const char *data_dir)
{
	struct json_object *stats;
	char path[PATH_MAX];
	pid_t pid;

	if (snprintf(path, sizeof(path), "%s/stats.json", data_dir) >=
	    (int)sizeof(path))
		return NULL;
	stats = parse_stats(path);
	if ((pid = running_writer(stats)) != 0) {
		ask_fresh(pid, SIGUSR1, path);
		json_object_put(stats);
		stats = parse_stats(path);
	}
	if (stats == NULL)
		return NULL;
	json_object_object_add(stats, "running",
	    json_object_new_boolean(running_writer(stats) != 0));
	json_object_object_add(stats, "stats_file",
	    json_object_new_string(path));
	return stats;
}

/*
 * "status": the kernel's audit status (as auditctl -s), auditd's plugin
 * queue and the running plugin's counters in one view, as text or JSON.
 *
 * The exit status says whether all is well: 0 yes; 1 audit is disabled
 * or events are being lost (the kernel's lost counter rose while we
 * looked, auditd's plugin queue overflowed, or the plugin counted lost or
 * dropped events); 3 the kernel's status could not be read (it needs
 * CAP_AUDIT_CONTROL).
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "kernel_status.h"
#include "status_view.h"
#include "verb.h"

#define STATUS_EXIT_PROBLEM	1
#define STATUS_EXIT_NO_KERNEL	3
#define LOST_WINDOW_MS		1000	/* the kernel's lost counter watched */

static int	verb_status_exec(struct verb_args *);

const struct verb_entry verb_status_entry = {
	.name = "status",
	.usage = "[-c FILE] [--json]",
	.options = NULL,
	.longopts = NULL,
	.lower = 0,
	.upper = -1,
	.exec = verb_status_exec
};

static struct json_object *
kernel_json(const struct audit_status_report *st)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "enabled", json_object_new_int64(st->enabled));
	json_object_object_add(o, "failure", json_object_new_int64(st->failure));
	json_object_object_add(o, "pid", json_object_new_int64(st->pid));
	json_object_object_add(o, "rate_limit",
	    json_object_new_int64(st->rate_limit));
	json_object_object_add(o, "backlog_limit",
	    json_object_new_int64(st->backlog_limit));
	json_object_object_add(o, "lost", json_object_new_int64(st->lost));
	json_object_object_add(o, "backlog", json_object_new_int64(st->backlog));
	json_object_object_add(o, "backlog_wait_time",
	    json_object_new_int64(st->backlog_wait_time));
	return o;
}

/* A member that is a number, or 0. */
static long long
number_at(struct json_object *o, const char *group, const char *key)
{
	struct json_object *g = o, *v;

	if (o == NULL)
		return 0;
	if (group != NULL && (!json_object_object_get_ex(o, group, &g) ||
	    !json_object_is_type(g, json_type_object)))
		return 0;
	if (!json_object_object_get_ex(g, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_int64(v);
}

static int
string_is(struct json_object *o, const char *key, const char *want)
{
	struct json_object *v;

	return o != NULL && json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), want) == 0;
}

/* What is wrong, one sentence each, into problems (a JSON array). */
static void
find_problems(struct json_object *problems,
    const struct audit_status_report *first,
    const struct audit_status_report *last, struct json_object *auditd,
    struct json_object *plugin)
{
	char text[200];

	if (last->enabled == 0)
		json_object_array_add(problems,
		    json_object_new_string("kernel audit is disabled"));
	if (last->lost > first->lost) {
		snprintf(text, sizeof(text), "the kernel lost %u events while "
		    "we looked", last->lost - first->lost);
		json_object_array_add(problems, json_object_new_string(text));
	}
	if (string_is(auditd, "plugin_queue_overflow_detected", "yes"))
		json_object_array_add(problems, json_object_new_string(
		    "auditd's plugin queue overflowed"));
	if (number_at(plugin, NULL, "lost_upstream") > 0 ||
	    number_at(plugin, NULL, "dropped") > 0 ||
	    number_at(plugin, "input", "netlink_overruns") > 0 ||
	    number_at(plugin, "kernel", "lost") > 0) {
		snprintf(text, sizeof(text), "the plugin counted %lld lost "
		    "upstream, %lld dropped, %lld netlink overruns, %lld lost "
		    "by the kernel", number_at(plugin, NULL, "lost_upstream"),
		    number_at(plugin, NULL, "dropped"),
		    number_at(plugin, "input", "netlink_overruns"),
		    number_at(plugin, "kernel", "lost"));
		json_object_array_add(problems, json_object_new_string(text));
	}
}

static void
print_members(struct json_object *o, const char *indent)
{
	json_object_object_foreach(o, key, v) {
		if (json_object_is_type(v, json_type_object)) {
			printf("%s%s:\n", indent, key);
			print_members(v, "    ");
		} else
			printf("%s%-32s %s\n", indent, key,
			    json_object_get_string(v));
	}
}

static void
print_text(struct json_object *view)
{
	struct json_object *part, *problems;
	size_t i;

	json_object_object_get_ex(view, "kernel", &part);
	printf("kernel:\n");
	print_members(part, "  ");
	if (json_object_object_get_ex(view, "auditd", &part) && part != NULL) {
		printf("auditd:\n");
		print_members(part, "  ");
	} else
		printf("auditd: no state report (%s)\n", AUDITD_STATE_PATH);
	if (json_object_object_get_ex(view, "plugin", &part) && part != NULL) {
		printf("audisp-ecs:\n");
		print_members(part, "  ");
	} else
		printf("audisp-ecs: no counters (stats.json in path.data)\n");
	json_object_object_get_ex(view, "problems", &problems);
	if (json_object_array_length(problems) == 0)
		printf("ok\n");
	for (i = 0; i < json_object_array_length(problems); i++)
		printf("PROBLEM: %s\n", json_object_get_string(
		    json_object_array_get_idx(problems, i)));
}

static int
gather(const char *config_path, struct json_object *view)
{
	struct audit_status_report first, last;
	struct timespec window = { LOST_WINDOW_MS / 1000,
	    (LOST_WINDOW_MS % 1000) * 1000000L };
	struct json_object *auditd, *plugin, *problems;
	struct config *cfg;

	memset(&first, 0, sizeof(first));
	if (kernel_status_get(&first) == -1) {
		fprintf(stderr, "audisp-ecs: cannot read the kernel's audit "
		    "status: %s%s\n", strerror(errno), errno == EPERM ?
		    " (it needs CAP_AUDIT_CONTROL: run as root)" : "");
		return STATUS_EXIT_NO_KERNEL;
	}
	if ((cfg = config_load(config_path, stderr)) == NULL)
		return STATUS_EXIT_PROBLEM;
	auditd = auditd_state_read((pid_t)first.pid, AUDITD_STATE_PATH);
	plugin = plugin_stats_read(cfg->data_dir);
	config_free(cfg);
	nanosleep(&window, NULL);
	last = first;
	(void)kernel_status_get(&last);
	problems = json_object_new_array();
	find_problems(problems, &first, &last, auditd, plugin);
	json_object_object_add(view, "kernel", kernel_json(&last));
	json_object_object_add(view, "auditd", auditd);
	json_object_object_add(view, "plugin", plugin);
	json_object_object_add(view, "problems", problems);
	return json_object_array_length(problems) == 0 ? 0 :
	    STATUS_EXIT_PROBLEM;
}

static int
verb_status_exec(struct verb_args *args)
{
	const char *config_path = NULL;
	struct json_object *view;
	int i, as_json = 0, rc;

	for (i = 0; i < args->argc; i++) {
		if (strcmp(args->argv[i], "--json") == 0)
			as_json = 1;
		else if (strcmp(args->argv[i], "-c") == 0 &&
		    i + 1 < args->argc)
			config_path = args->argv[++i];
		else
			return VERB_USAGE;
	}
	view = json_object_new_object();
	rc = gather(config_path, view);
	if (rc != STATUS_EXIT_NO_KERNEL && json_object_object_length(view) > 0) {
		if (as_json)
			printf("%s\n", json_object_to_json_string_ext(view,
			    JSON_C_TO_STRING_PLAIN));
		else
			print_text(view);
	}
	json_object_put(view);
	return rc;
}

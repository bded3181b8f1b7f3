/*
 * Checking the system section; see system_conf.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "system_conf.h"

static const char *const dataset_names[SYS_DATASET_COUNT] = {
	[SYS_DATASET_USER] = "user",
	[SYS_DATASET_HOST] = "host",
	[SYS_DATASET_PACKAGE] = "package",
	[SYS_DATASET_PROCESS] = "process",
	[SYS_DATASET_SOCKET] = "socket",
	[SYS_DATASET_LOGIN] = "login",
};

const char *
sys_dataset_name(enum sys_dataset d)
{
	return (unsigned)d < SYS_DATASET_COUNT ? dataset_names[d] : NULL;
}

static int
dataset_index(const char *name)
{
	int i;

	for (i = 0; i < SYS_DATASET_COUNT; i++)
		if (strcmp(dataset_names[i], name) == 0)
			return i;
	return -1;
}

int
system_config_finish(struct system_config *cfg, system_report_fn report,
    void *arg)
{
	char what[192];
	size_t i;
	int problems = 0, d;

	cfg->dataset_mask = 0;
	for (i = 0; i < cfg->datasets.count; i++) {
		const char *name = cfg->datasets.items[i];

		if ((d = dataset_index(name)) == -1) {
			snprintf(what, sizeof(what), "unknown dataset "
			    "\"%.64s\" (host, login, package, process, "
			    "socket, user)", name);
			report(arg, "system.datasets", what);
			problems++;
		} else if (cfg->dataset_mask & (1u << d)) {
			snprintf(what, sizeof(what),
			    "dataset \"%.64s\" named twice", name);
			report(arg, "system.datasets", what);
			problems++;
		} else
			cfg->dataset_mask |= 1u << d;
	}
	if (cfg->state_period_ms < cfg->period_ms) {
		report(arg, "system.state.period",
		    "must not be shorter than system.period");
		problems++;
	}
	return problems;
}

static int
copy_list(struct string_list *dst, const struct string_list *src)
{
	size_t i;

	for (i = 0; i < src->count; i++)
		if (string_list_add(dst, src->items[i]) == -1)
			return -1;
	return 0;
}

static int
copy_string(char **dst, const char *src)
{
	if (src == NULL)
		return 0;
	return (*dst = strdup(src)) == NULL ? -1 : 0;
}

struct system_config *
system_config_copy(const struct system_config *cfg)
{
	struct system_config *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	*c = *cfg;
	memset(&c->datasets, 0, sizeof(c->datasets));
	c->state_path = c->login_wtmp_pattern = c->login_btmp_pattern = NULL;
	if (copy_list(&c->datasets, &cfg->datasets) == -1 ||
	    copy_string(&c->state_path, cfg->state_path) == -1 ||
	    copy_string(&c->login_wtmp_pattern,
	    cfg->login_wtmp_pattern) == -1 ||
	    copy_string(&c->login_btmp_pattern,
	    cfg->login_btmp_pattern) == -1) {
		system_config_free(c);
		return NULL;
	}
	return c;
}

void
system_config_free(struct system_config *cfg)
{
	if (cfg == NULL)
		return;
	string_list_free(&cfg->datasets);
	free(cfg->state_path);
	free(cfg->login_wtmp_pattern);
	free(cfg->login_btmp_pattern);
	free(cfg);
}

/*
 * What every document says about the machine and the agent: host.* and
 * agent.*, read once at start-up (they do not change while we run) and
 * written into each document as one pre-rendered piece of JSON.
 *
 * agent.id survives restarts: it is kept in DATA_DIR/agent-id, created on
 * first use.  agent.ephemeral_id is new for every start, and the same for
 * every host_info loaded by one process (audit and FIM documents alike).
 */
#ifndef AUDISP_ECS_HOST_INFO_H
#define AUDISP_ECS_HOST_INFO_H

#include <stddef.h>

#define HOST_INFO_FIELD	256
/* The ECS version our documents follow (ecs.version). */
#define ECS_VERSION	"8.11.0"

struct host_info {
	char	hostname[HOST_INFO_FIELD];
	char	id[HOST_INFO_FIELD];		/* /etc/machine-id, or "" */
	char	os_family[HOST_INFO_FIELD];	/* os-release ID_LIKE or ID */
	char	os_name[HOST_INFO_FIELD];
	char	os_version[HOST_INFO_FIELD];
	char	os_platform[HOST_INFO_FIELD];	/* os-release ID */
	char	kernel[HOST_INFO_FIELD];
	char	architecture[HOST_INFO_FIELD];
	char	agent_id[40];			/* "" when it cannot be kept */
	char	agent_ephemeral_id[40];
};

/* data_dir may be NULL: no persistent agent.id then. */
void	host_info_load(struct host_info *, const char *data_dir);
/*
 * The members "service" (when service_type is not NULL), "host", "agent"
 * and "ecs" as JSON text, without braces, ready to be spliced into an
 * object.  Returns a malloc'd string or NULL when out of memory.
 */
char	*host_info_render(const struct host_info *, const char *service_type);

#endif

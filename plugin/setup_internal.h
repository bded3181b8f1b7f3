/*
 * What setup.c and setup_opensearch.c share: how a resource's digest is
 * taken, and what the OpenSearch side adds.
 */
#ifndef AUDISP_ECS_SETUP_INTERNAL_H
#define AUDISP_ECS_SETUP_INTERNAL_H

#include <json-c/json.h>

struct es_client;
struct es_engine;

/* The name of the lifecycle policy, ILM's or ISM's. */
#define SETUP_POLICY_NAME	"audisp-ecs"
/* Above Elasticsearch's built-in templates (100 and 200). */
#define SETUP_TEMPLATE_PRIORITY	300

/* SHA-256 of the JSON text of o, in hex ("" when it cannot be taken). */
void	setup_digest_of(json_object *o, char out[65]);

/*
 * For an engine without the match_only_text type (OpenSearch before
 * 2.12), every mapping of that type in o becomes text.  Nothing for one
 * that has it.
 */
void	setup_os_adapt_mappings(json_object *o, const struct es_engine *);

/*
 * Installs OpenSearch's Index State Management policy for the data
 * stream index (unless it is there already with the same digest), which
 * takes the place of ILM; prints what it did.  0 or -1.
 */
int	setup_os_install_ism(struct es_client *c, const char *index,
	    const struct es_engine *);

#endif

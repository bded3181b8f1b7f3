/*
 * OpenSearch's Index State Management (ISM) answers, read as hostile
 * input like every other answer (es_response.h).
 *
 * ISM takes the place of Elasticsearch's ILM on OpenSearch.  Its policies
 * have no _meta, so "setup" keeps the digest of what it wrote at the end
 * of the policy's description, "... (digest HEX)"; and a policy that
 * exists is only replaced by naming the _seq_no and _primary_term it was
 * read at (optimistic concurrency), which a GET answer carries.
 */
#ifndef AUDISP_ECS_ES_ISM_H
#define AUDISP_ECS_ES_ISM_H

#include <stddef.h>
#include <stdint.h>

#include "es_response.h"

/* How setup ends a policy's description: " (digest " HEX ")". */
#define ES_ISM_DIGEST_OPEN	" (digest "

struct es_ism_state {
	char	 digest[ES_DIGEST_LEN + 1];	/* "" when it has none */
	int64_t	 seq_no;			/* >= 0 */
	int64_t	 primary_term;			/* >= 1 */
};

/*
 * The answer to GET _plugins/_ism/policies/NAME (its 200 body): 1 with
 * the digest at the end of policy.description in st, 0 with st->digest
 * "" for a policy without one, both with _seq_no and _primary_term; -1
 * with err for an answer that is not what OpenSearch sends (a member
 * missing or of the wrong type, a negative sequence number).
 */
int	es_ism_policy_state(const char *body, size_t len,
	    struct es_ism_state *st, char *err, size_t errlen);

/*
 * The answer to PUT _plugins/_ism/policies/NAME (201 new, 200 replaced):
 * 0 when it names the policy it stored (_id, a string, and a policy
 * object), else -1 with err.
 */
int	es_ism_policy_written(const char *body, size_t len, char *err,
	    size_t errlen);

#endif

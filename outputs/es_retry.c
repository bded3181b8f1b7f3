/* The Elasticsearch output's split and retry decisions; see es_retry.h. */
#include "config.h"

#include "es_retry.h"

enum es_request_action
es_request_action(long status, size_t n, size_t *first)
{
	if (status == 200)
		return ES_REQUEST_ITEMS;
	if (status != 413 && status != 400)
		return ES_REQUEST_FAILED;
	if (n <= 1)
		return ES_REQUEST_REJECT;
	*first = n / 2;
	return ES_REQUEST_SPLIT;
}

enum es_item_fate
es_item_fate(const struct es_item_result *r, int *attempts,
    long max_retries)
{
	switch (r->outcome) {
	case ES_ITEM_DONE:
		return ES_FATE_DONE;
	case ES_ITEM_RETRY:
		/* 429 is the cluster asking for patience, not failing. */
		if (r->status == 429 || max_retries < 0 ||
		    ++*attempts <= max_retries)
			return ES_FATE_RETRY;
		return ES_FATE_NON_INDEXABLE;
	case ES_ITEM_MALFORMED:
		/* The answer is at fault, not the document: never counted. */
		return ES_FATE_RETRY;
	default:
		return ES_FATE_NON_INDEXABLE;
	}
}

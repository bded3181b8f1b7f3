/*
 * What the Elasticsearch output does next with the documents of a bulk
 * request, from what the answer says: the decisions of es_publisher.c,
 * apart from its I/O so that they can be tested alone.
 *
 * DESIGN
 * A whole-request 413 (too large) or 400 (unreadable) splits the batch in
 * two halves, first n / 2 then the rest, each sent on its own; a single
 * document answered so is non-indexable.  Any other status but 200 fails
 * the request: the ticket goes back to the spool.
 * Items of a 200 answer: 2xx and 409 (already indexed) are done; 429 is
 * sent again, always; 5xx is sent again until the document has failed
 * more than max_retries times (-1: no limit), then it is non-indexable;
 * other statuses are non-indexable (non_indexable_policy).  An item that
 * makes no sense (ES_ITEM_MALFORMED) is sent again, always: the answer
 * says nothing about the document, and dropping it could lose it.
 */
#ifndef AUDISP_ECS_ES_RETRY_H
#define AUDISP_ECS_ES_RETRY_H

#include <stddef.h>

#include "es_bulk.h"

/* What to do with a batch after the whole request's HTTP status. */
enum es_request_action {
	ES_REQUEST_ITEMS,	/* 200: settle each item */
	ES_REQUEST_SPLIT,	/* send the halves on their own */
	ES_REQUEST_REJECT,	/* the one document is non-indexable */
	ES_REQUEST_FAILED,	/* the batch goes back to the spool */
};

/* What became of one item, counting its failures. */
enum es_item_fate {
	ES_FATE_DONE,		/* indexed, now or before (409) */
	ES_FATE_RETRY,		/* to be sent again */
	ES_FATE_NON_INDEXABLE,	/* to the non_indexable_policy */
};

/*
 * For n documents (n > 0) answered with status as a whole; with
 * ES_REQUEST_SPLIT, *first is the size of the first half (the second is
 * n - *first, both at least 1).
 */
enum es_request_action es_request_action(long status, size_t n,
		    size_t *first);
/*
 * The fate of an item given its result; *attempts counts the document's
 * 5xx failures (left alone when max_retries < 0, meaning no limit).
 */
enum es_item_fate es_item_fate(const struct es_item_result *r,
		    int *attempts, long max_retries);

#endif

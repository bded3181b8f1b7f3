/*
 * Elasticsearch's _bulk API: the request body and what the response says
 * about each document.
 *
 * DESIGN
 * Every document is sent with the action "create" and _id = its event.id
 * (deterministic: the same audit event always has the same id).  When a
 * batch is sent again after a failure, the documents Elasticsearch already
 * took answer 409 (version conflict), which counts as delivered: exactly
 * once into the index.  (An _id is unique within one index: if a data
 * stream rolls over between two attempts, the second lands in the new
 * backing index.)  A document without an event.id gets the SHA-256 of
 * its own bytes as _id, deterministic in the same way.
 *
 * The response is requested with filter_path=errors,items.*.error,
 * items.*.status so that Elasticsearch sends back only what is needed.
 * It is read whole and believed only when it is what Elasticsearch sends
 * (es_response.h): a body cut short, or without one item per document,
 * fails the whole request, which is then sent again; an item that makes
 * no sense (not an object, a status that is not an HTTP status, an error
 * of the wrong shape) sends its document again.  Nothing is taken as
 * indexed unless an item says so.  The answer of most requests, every
 * document indexed, is recognised whole by a strict reader of its own
 * (json-c would cost about a microsecond per item); anything else,
 * however close, goes through json-c.
 */
#ifndef AUDISP_ECS_ES_BULK_H
#define AUDISP_ECS_ES_BULK_H

#include <stddef.h>

#include "../common/buf.h"
#include "../common/sv.h"

#define ES_BULK_FILTER	"filter_path=errors,items.*.error,items.*.status"
#define ES_ID_MAX	80
/*
 * The largest request body: Elasticsearch's http.max_content_length
 * cannot be set above 2 GiB, so a larger body could never be taken.
 * Smaller ones the cluster refuses come back as 413 and are split.
 */
#define ES_BODY_MAX	((size_t)0x7fffffff)
/* A request path with its query: an index name and a few parameters. */
#define ES_PATH_MAX	(64 * 1024)
/*
 * JSON values a bulk response may hold per document (and as many again
 * of its own): an item with its error and a chain of causes is some 30,
 * a whole item (if filter_path is lost on the way) about 25.
 */
#define ES_BULK_VALUES_PER_ITEM	64

/* What became of one document of a bulk request. */
enum es_item_outcome {
	ES_ITEM_DONE,		/* 2xx, or 409: it is in the index */
	ES_ITEM_RETRY,		/* 429, 5xx: send it again later */
	ES_ITEM_REJECTED,	/* other 4xx: it will never be indexed */
	ES_ITEM_MALFORMED,	/* the item makes no sense: send it again */
};

struct es_item_result {
	enum es_item_outcome outcome;
	int	 status;
	char	 error[256];	/* "type: reason", or what is wrong */
};

/*
 * The _id of a document: its event.id, or the SHA-256 of its bytes ("" if
 * even that fails: Elasticsearch then makes one up).
 */
void	es_document_id(const char *doc, size_t len, char id[ES_ID_MAX]);
/*
 * Appends to body one create action (with the document's _id; the index
 * is in the request's path) and the document, each ending in a newline.
 * -1 (errno EMSGSIZE past body's maximum, ENOMEM), body then unchanged.
 */
int	es_bulk_add(struct buf *body, struct sv doc);
/*
 * Reads a 200 response to a bulk request of n documents into results
 * (n entries; a malformed item is ES_ITEM_MALFORMED, status 0, with what
 * was wrong in error).  Returns 0, or -1 with err when the response as a
 * whole is not what Elasticsearch sends: not JSON, cut short, not an
 * object with an "errors" boolean and one item per document, or more
 * than ES_BULK_VALUES_PER_ITEM JSON values per document (the caller then
 * treats the request as failed).
 */
int	es_bulk_parse(const char *response, size_t len, size_t n,
	    struct es_item_result *results, char *err, size_t errlen);
/* The outcome for an HTTP status of an item. */
enum es_item_outcome es_item_outcome_of(int status);

/*
 * Appends s percent-encoded, for a URL path segment or query value.
 * 0, or -1 as for buf_append (what was appended of s stays).
 */
int	es_append_escaped(struct buf *, const char *s);

#endif

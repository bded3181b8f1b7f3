/*
 * Documents Elasticsearch will never index (a mapping conflict, a document
 * larger than the cluster takes): output.elasticsearch.non_indexable_policy.
 *
 *   drop               counted and logged, nothing else
 *   dead_letter_index  a dead-letter document goes to dead_letter_index:
 *                      the original as a string in "message", the error in
 *                      error.*, event.kind "pipeline_error", and event.id
 *                      the original's (so its _id is too: exactly once)
 *   dead_letter_file   the same dead-letter document, appended as one line
 *                      to dead_letter_file (mode 0600); also where a
 *                      dead-letter document goes when the dead-letter
 *                      index refuses it in turn
 */
#ifndef AUDISP_ECS_ES_DEAD_LETTER_H
#define AUDISP_ECS_ES_DEAD_LETTER_H

#include "../common/sv.h"
#include "es_bulk.h"

struct dead_letter_file;

/*
 * The dead-letter document for doc (one line, with its newline) appended
 * to out; -1 when out of memory or past out's maximum (out unchanged).
 */
int	dead_letter_document(struct buf *out, struct sv doc, int status,
	    const char *error, const char *index);

/* path is opened on first use; the writer may be shared by threads. */
struct dead_letter_file *dead_letter_file_new(const char *path);
void	dead_letter_file_free(struct dead_letter_file *);
/* Appends the dead-letter document of doc; -1 (logged) on failure. */
int	dead_letter_file_write(struct dead_letter_file *, struct sv doc,
	    int status, const char *error, const char *index);

#endif

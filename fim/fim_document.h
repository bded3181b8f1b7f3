/*
 * The ECS document of a file integrity event, shaped as Auditbeat's
 * file_integrity module writes it (event.module "file_integrity",
 * file.*, file.hash.*), plus file_integrity.changes[] naming each
 * attribute that changed with its old and new value, and process.* /
 * user.* when it is known who made the change.
 *
 * A writer is owned by one thread (it caches uid/gid names).
 */
#ifndef AUDISP_ECS_FIM_DOCUMENT_H
#define AUDISP_ECS_FIM_DOCUMENT_H

#include "../common/event_id.h"
#include "../common/host_info.h"
#include "../common/idcache.h"
#include "../common/json_writer.h"
#include "compare.h"
#include "file_state.h"
#include "fim_who.h"

struct fim_doc_writer {
	struct host_info host;
	char		*constants;	/* host/agent/ecs members */
	size_t		 constants_len;
	struct id_hasher hasher;
	struct idcache	 ids;
};

int	fim_doc_writer_init(struct fim_doc_writer *, const char *data_dir);
void	fim_doc_writer_release(struct fim_doc_writer *);

/*
 * One document, ending with a newline, appended to w.  fs is the file's
 * state now, or its last known state for a deletion.  changes and who
 * may be NULL; note, when not NULL, goes to error.message (a file that
 * could not be read, or was too large to hash).  -1 when out of memory.
 */
int	fim_document_write(struct fim_doc_writer *, struct jw *w,
	    const char *path, const struct file_state *fs, unsigned actions,
	    const struct fim_changes *changes, const struct fim_who *who,
	    const char *note);
/* A note about the monitoring itself (a rescan after an overflow). */
int	fim_notice_write(struct fim_doc_writer *, struct jw *w,
	    const char *action, const char *path, const char *message);

#endif

/* Dead-letter documents; see es_dead_letter.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/json_writer.h"
#include "../common/log.h"
#include "../common/timefmt.h"
#include "es_dead_letter.h"
#include "../common/fsutil.h"
#include "output.h"

struct dead_letter_file {
	char		*path;
	int		 fd;
	pthread_mutex_t	 lock;
	struct ratelimit errors;
};

int
dead_letter_document(struct buf *out, struct sv doc, int status,
    const char *error, const char *index)
{
	char ts[40], id[ES_ID_MAX];
	struct jw w;
	int rc;

	iso8601_now_ms(ts, sizeof(ts));
	es_document_id(doc.p, doc.n, id);
	jw_init(&w);
	jw_begin_document(&w);
	jw_object_open(&w, NULL);
	jw_cstring(&w, "@timestamp", ts);
	jw_string(&w, "message", doc.p, doc.n);
	jw_object_open(&w, "event");
	jw_cstring(&w, "kind", "pipeline_error");
	jw_cstring(&w, "id", id);
	jw_object_close(&w);
	jw_object_open(&w, "error");
	jw_cstring(&w, "type", "non_indexable");
	jw_int(&w, "code", status);
	jw_cstring(&w, "message", error);
	jw_object_close(&w);
	jw_object_open(&w, "audisp_ecs");
	jw_cstring(&w, "index", index);
	jw_object_close(&w);
	jw_object_close(&w);
	jw_append(&w, "\n", 1);
	rc = jw_failed(&w) ? -1 : buf_append(out, jw_data(&w), jw_len(&w));
	jw_release(&w);
	return rc;
}

struct dead_letter_file *
dead_letter_file_new(const char *path)
{
	struct dead_letter_file *f;

	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->path = strdup(path)) == NULL) {
		free(f);
		return NULL;
	}
	f->fd = -1;
	f->errors = (struct ratelimit)RATELIMIT_INIT(30, 3);
	pthread_mutex_init(&f->lock, NULL);
	return f;
}

void
dead_letter_file_free(struct dead_letter_file *f)
{
	if (f == NULL)
		return;
	if (f->fd != -1)
		close(f->fd);
	pthread_mutex_destroy(&f->lock);
	free(f->path);
	free(f);
}

static int
open_file(struct dead_letter_file *f)
{
	char dir[4096], *slash;

	snprintf(dir, sizeof(dir), "%s", f->path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		(void)mkdir_p(dir, 0700);
	}
	f->fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600);
	return f->fd == -1 ? -1 : 0;
}

int
dead_letter_file_write(struct dead_letter_file *f, struct sv doc, int status,
    const char *error, const char *index)
{
	struct buf line = BUF_INITIALIZER(ES_BODY_MAX);
	int rc = -1;

	if (dead_letter_document(&line, doc, status, error, index) == -1) {
		log_ratelimited(&f->errors, "dead-letter file: %s",
		    errno == EMSGSIZE ? "document too large" : "out of memory");
		return -1;
	}
	pthread_mutex_lock(&f->lock);
	if ((f->fd != -1 || open_file(f) == 0) &&
	    write_all(f->fd, line.p, line.len) == 0)
		rc = 0;
	else
		log_ratelimited(&f->errors, "dead-letter file %s: %s", f->path,
		    strerror(errno));
	pthread_mutex_unlock(&f->lock);
	buf_release(&line);
	return rc;
}

/*
 * Writing system dataset documents; see sys_doc.h.
 */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/timefmt.h"
#include "sys_doc.h"

#define EMIT_BYTES	(256 * 1024)	/* a batch is handed on past this */

int
sys_doc_writer_init(struct sys_doc_writer *dw, const char *data_dir,
    const struct system_hooks *hooks)
{
	memset(dw, 0, sizeof(*dw));
	dw->hooks = *hooks;
	jw_init(&dw->w);
	(void)id_hasher_init(&dw->hasher);	/* a failure has a fallback */
	host_info_load(&dw->host, data_dir);
	if ((dw->constants = host_info_render(&dw->host, "system")) == NULL)
		return -1;
	dw->constants_len = strlen(dw->constants);
	return 0;
}

void
sys_doc_writer_release(struct sys_doc_writer *dw)
{
	sys_doc_flush(dw);
	jw_release(&dw->w);
	free(dw->constants);
	dw->constants = NULL;
	id_hasher_release(&dw->hasher);
}

void
sys_doc_begin(struct sys_doc_writer *dw, const struct sys_event *ev,
    const char *message)
{
	struct jw *w = &dw->w;
	struct timespec now;
	char ts[ISO8601_MAX], id[EVENT_ID_LEN + 1], extra[512], dataset[64];
	size_t i;

	clock_gettime(CLOCK_REALTIME, &now);
	if (ev->at_us > 0) {
		/* When it happened (a login record's time), not now. */
		now.tv_sec = (time_t)(ev->at_us / 1000000);
		now.tv_nsec = (long)(ev->at_us % 1000000) * 1000;
	}
	iso8601_format(ts, sizeof(ts), now.tv_sec, now.tv_nsec, 3);
	/* Dataset, action, object and the exact moment make the id. */
	snprintf(extra, sizeof(extra), "system:%s:%s:%09ld:%lu:%s",
	    ev->dataset, ev->action, now.tv_nsec, dw->serial++, ev->what);
	event_id(&dw->hasher, dw->host.id, (unsigned long)now.tv_sec,
	    (unsigned)(now.tv_nsec / 1000000), 0, extra, id);
	snprintf(dataset, sizeof(dataset), "system.%s", ev->dataset);

	dw->mark = jw_len(w);
	jw_begin_document(w);
	jw_object_open(w, NULL);
	jw_cstring(w, "@timestamp", ts);
	jw_object_open(w, "event");
	jw_cstring(w, "id", id);
	jw_cstring(w, "kind", ev->kind);
	jw_cstring(w, "module", "system");
	jw_cstring(w, "dataset", dataset);
	jw_cstring(w, "action", ev->action);
	jw_array_open(w, "category");
	jw_cstring(w, NULL, ev->category);
	jw_array_close(w);
	jw_array_open(w, "type");
	for (i = 0; ev->types[i] != NULL; i++)
		jw_cstring(w, NULL, ev->types[i]);
	jw_array_close(w);
	if (ev->outcome != NULL)
		jw_cstring(w, "outcome", ev->outcome);
	if (ev->origin != NULL)
		jw_cstring(w, "origin", ev->origin);
	jw_object_close(w);
	jw_cstring(w, "message", message);
}

int
sys_doc_end(struct sys_doc_writer *dw)
{
	return sys_doc_end_with(dw, dw->constants, dw->constants_len);
}

int
sys_doc_end_with(struct sys_doc_writer *dw, const char *members, size_t len)
{
	struct jw *w = &dw->w;

	jw_raw(w, NULL, members, len);
	jw_object_close(w);
	jw_append(w, "\n", 1);
	if (jw_failed(w)) {
		jw_rewind(w, dw->mark);
		return -1;
	}
	dw->ndocs++;
	if (jw_len(w) >= EMIT_BYTES)
		sys_doc_flush(dw);
	return 0;
}

void
sys_doc_flush(struct sys_doc_writer *dw)
{
	size_t len;
	char *text;

	if (dw->ndocs == 0)
		return;
	if ((text = jw_take(&dw->w, &len)) == NULL)
		return;		/* kept: the next flush tries again */
	dw->hooks.emit(dw->hooks.ctx, text, len, dw->ndocs);
	dw->ndocs = 0;
}

void
sys_entity_id(const char *host_id, const char *a, const char *b, char out[17])
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int i, o = 0;

	out[0] = '\0';
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, host_id, strlen(host_id)) == 1 &&
	    EVP_DigestUpdate(ctx, a, strlen(a)) == 1 &&
	    EVP_DigestUpdate(ctx, b, strlen(b)) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen >= 12) {
		for (i = 0; i < 12; i += 3) {
			unsigned v = (unsigned)md[i] << 16 |
			    (unsigned)md[i + 1] << 8 | md[i + 2];

			out[o++] = b64[v >> 18 & 63];
			out[o++] = b64[v >> 12 & 63];
			out[o++] = b64[v >> 6 & 63];
			out[o++] = b64[v & 63];
		}
		out[o] = '\0';
	}
	EVP_MD_CTX_free(ctx);
}

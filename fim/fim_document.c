/*
 * Writing FIM documents; see fim_document.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/timefmt.h"
#include "fim_document.h"
#include "fim_conf.h"

/* The kernel's (u32)-1: no login uid, no session. */
#define AUDIT_UNSET	4294967295L

static const struct {
	unsigned	 bit;
	const char	*action;
	const char	*type;		/* event.type */
} actions_table[] = {
	{ FIM_ACT_INITIAL_SCAN,		"initial_scan",		"info" },
	{ FIM_ACT_CREATED,		"created",		"creation" },
	{ FIM_ACT_DELETED,		"deleted",		"deletion" },
	{ FIM_ACT_MOVED,		"moved",		"change" },
	{ FIM_ACT_UPDATED,		"updated",		"change" },
	{ FIM_ACT_ATTRIBUTES_MODIFIED,	"attributes_modified",	"change" },
};
#define NACTIONS	(sizeof(actions_table) / sizeof(actions_table[0]))

int
fim_doc_writer_init(struct fim_doc_writer *dw, const char *data_dir)
{
	memset(dw, 0, sizeof(*dw));
	idcache_init(&dw->ids);
	(void)id_hasher_init(&dw->hasher);	/* a failure has a fallback */
	host_info_load(&dw->host, data_dir);
	/* No service.type: that is "auditd", the audit documents' source. */
	if ((dw->constants = host_info_render(&dw->host, NULL)) == NULL)
		return -1;
	dw->constants_len = strlen(dw->constants);
	return 0;
}

void
fim_doc_writer_release(struct fim_doc_writer *dw)
{
	free(dw->constants);
	dw->constants = NULL;
	id_hasher_release(&dw->hasher);
}

static void
write_timestamp_and_id(struct fim_doc_writer *dw, struct jw *w,
    const char *path, const char *what, char id[EVENT_ID_LEN + 1])
{
	struct timespec now;
	char ts[ISO8601_MAX], extra[4200];

	clock_gettime(CLOCK_REALTIME, &now);
	iso8601_format(ts, sizeof(ts), now.tv_sec, now.tv_nsec, 3);
	jw_cstring(w, "@timestamp", ts);
	/* What, where and the exact moment make the id of this document. */
	snprintf(extra, sizeof(extra), "fim:%s:%09ld:%s", what, now.tv_nsec,
	    path);
	event_id(&dw->hasher, dw->host.id, (unsigned long)now.tv_sec,
	    (unsigned)(now.tv_nsec / 1000000), 0, extra, id);
}

static void
write_event(struct jw *w, const char *id, unsigned actions)
{
	const char *types[NACTIONS];
	size_t i, j, ntypes = 0;

	jw_object_open(w, "event");
	jw_cstring(w, "id", id);
	jw_cstring(w, "kind", actions & FIM_ACT_INITIAL_SCAN ? "state" :
	    "event");
	jw_cstring(w, "module", "file_integrity");
	jw_cstring(w, "dataset", "file");
	jw_array_open(w, "action");
	for (i = 0; i < NACTIONS; i++)
		if (actions & actions_table[i].bit)
			jw_cstring(w, NULL, actions_table[i].action);
	jw_array_close(w);
	jw_array_open(w, "category");
	jw_cstring(w, NULL, "file");
	jw_array_close(w);
	jw_array_open(w, "type");
	for (i = 0; i < NACTIONS; i++) {
		if (!(actions & actions_table[i].bit))
			continue;
		for (j = 0; j < ntypes; j++)
			if (strcmp(types[j], actions_table[i].type) == 0)
				break;
		if (j == ntypes) {
			types[ntypes++] = actions_table[i].type;
			jw_cstring(w, NULL, actions_table[i].type);
		}
	}
	jw_array_close(w);
	jw_object_close(w);
}

static const char *
file_type(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return "file";
	case S_IFDIR:	return "dir";
	case S_IFLNK:	return "symlink";
	case S_IFIFO:	return "fifo";
	case S_IFSOCK:	return "socket";
	case S_IFCHR:	return "char_device";
	case S_IFBLK:	return "block_device";
	}
	return "unknown";
}

static void
write_hashes(struct jw *w, const struct digests *d)
{
	char hex[2 * HASH_MAX_DIGEST + 1];
	size_t i;

	if (d->mask == 0)
		return;
	jw_object_open(w, "hash");
	for (i = 0; i < hash_algo_count; i++)
		if (d->mask & (1u << i)) {
			digest_hex(d, (int)i, hex);
			jw_cstring(w, hash_algos[i].name, hex);
		}
	jw_object_close(w);
}

static void
write_ids(struct fim_doc_writer *dw, struct jw *w,
    const struct file_state *fs)
{
	const char *name;
	char num[24];

	snprintf(num, sizeof(num), "%lu", (unsigned long)fs->uid);
	jw_cstring(w, "uid", num);
	snprintf(num, sizeof(num), "%lu", (unsigned long)fs->gid);
	jw_cstring(w, "gid", num);
	if ((name = idcache_user(&dw->ids, fs->uid)) != NULL)
		jw_cstring(w, "owner", name);
	if ((name = idcache_group(&dw->ids, fs->gid)) != NULL)
		jw_cstring(w, "group", name);
}

static void
write_file(struct fim_doc_writer *dw, struct jw *w, const char *path,
    const struct file_state *fs, unsigned actions)
{
	char text[64], target[4096];
	const char *base = strrchr(path, '/');
	ssize_t n;

	jw_object_open(w, "file");
	jw_cstring(w, "path", path);
	if (base != NULL && base[1] != '\0')
		jw_cstring(w, "name", base + 1);
	if (S_ISLNK(fs->mode) && !(actions & FIM_ACT_DELETED) &&
	    (n = readlink(path, target, sizeof(target) - 1)) >= 0)
		jw_string(w, "target_path", target, (size_t)n);
	jw_cstring(w, "type", file_type(fs->mode));
	snprintf(text, sizeof(text), "%llu", (unsigned long long)fs->ino);
	jw_cstring(w, "inode", text);
	snprintf(text, sizeof(text), "%llu", (unsigned long long)fs->dev);
	jw_cstring(w, "device", text);
	write_ids(dw, w, fs);
	snprintf(text, sizeof(text), "%04o", fs->mode & 07777);
	jw_cstring(w, "mode", text);
	jw_int(w, "size", fs->size);
	format_time_ns(fs->mtime_ns, text, sizeof(text));
	jw_cstring(w, "mtime", text);
	format_time_ns(fs->ctime_ns, text, sizeof(text));
	jw_cstring(w, "ctime", text);
	if (fs->mode & S_ISUID)
		jw_bool(w, "setuid", 1);
	if (fs->mode & S_ISGID)
		jw_bool(w, "setgid", 1);
	write_hashes(w, &fs->hashes);
	jw_object_close(w);
}

static void
write_integrity(struct jw *w, const struct file_state *fs,
    const struct fim_changes *changes, const struct fim_who *who)
{
	int i;

	jw_object_open(w, "file_integrity");
	jw_uint(w, "nlink", fs->nlink);
	jw_int(w, "blocks", fs->blocks);
	if (fs->flags & FS_TOO_LARGE)
		jw_bool(w, "too_large", 1);
	if (fs->flags & FS_UNREADABLE)
		jw_bool(w, "unreadable", 1);
	if (who != NULL && who->pid > 0 && who->source != NULL)
		jw_cstring(w, "who_source", who->source);
	if (who != NULL && who->pid > 0 && who->session >= 0 &&
	    who->session != AUDIT_UNSET)
		jw_int(w, "session", who->session);
	if (changes != NULL && changes->count > 0) {
		jw_array_open(w, "changes");
		for (i = 0; i < changes->count; i++) {
			jw_object_open(w, NULL);
			jw_cstring(w, "attribute", changes->items[i].attribute);
			jw_cstring(w, "old",
			    fim_change_old(&changes->items[i]));
			jw_cstring(w, "new",
			    fim_change_new(&changes->items[i]));
			jw_object_close(w);
		}
		jw_array_close(w);
	}
	jw_object_close(w);
}

/* A name the record carried, or the one this host gives the id. */
static const char *
user_name(struct fim_doc_writer *dw, const char *given, long id)
{
	return given[0] != '\0' ? given : idcache_user(&dw->ids,
	    (unsigned long)id);
}

static void
write_id(struct jw *w, long id)
{
	char num[24];

	snprintf(num, sizeof(num), "%ld", id);
	jw_cstring(w, "id", num);
}

static void
write_who(struct fim_doc_writer *dw, struct jw *w, const struct fim_who *who)
{
	const char *name;

	if (who == NULL || who->pid <= 0)
		return;
	jw_object_open(w, "process");
	jw_int(w, "pid", who->pid);
	if (who->executable[0] != '\0')
		jw_cstring(w, "executable", who->executable);
	if (who->name[0] != '\0')
		jw_cstring(w, "name", who->name);
	jw_object_close(w);
	if (who->uid < 0 && who->auid < 0)
		return;
	jw_object_open(w, "user");
	if (who->uid >= 0) {
		write_id(w, who->uid);
		if ((name = user_name(dw, who->user_name, who->uid)) != NULL)
			jw_cstring(w, "name", name);
	}
	if (who->gid >= 0) {
		jw_object_open(w, "group");
		write_id(w, who->gid);
		if ((name = idcache_group(&dw->ids, (unsigned long)who->gid)))
			jw_cstring(w, "name", name);
		jw_object_close(w);
	}
	/* "unset": a daemon that never logged in. */
	if (who->auid >= 0 && who->auid != AUDIT_UNSET) {
		jw_object_open(w, "audit");
		write_id(w, who->auid);
		if ((name = user_name(dw, who->audit_name, who->auid)) != NULL)
			jw_cstring(w, "name", name);
		jw_object_close(w);
	}
	jw_object_close(w);
}

/*
 * The end every FIM document shares: service, the host and agent
 * constants, the closing brace and the newline.  -1 when out of memory.
 */
static int
finish_document(struct fim_doc_writer *dw, struct jw *w)
{
	jw_object_open(w, "service");
	jw_cstring(w, "type", "file_integrity");
	jw_object_close(w);
	jw_raw(w, NULL, dw->constants, dw->constants_len);
	jw_object_close(w);
	jw_append(w, "\n", 1);
	return jw_failed(w) ? -1 : 0;
}

int
fim_document_write(struct fim_doc_writer *dw, struct jw *w,
    const char *path, const struct file_state *fs, unsigned actions,
    const struct fim_changes *changes, const struct fim_who *who,
    const char *note)
{
	char id[EVENT_ID_LEN + 1], what[16];

	snprintf(what, sizeof(what), "%x", actions);
	jw_begin_document(w);
	jw_object_open(w, NULL);
	write_timestamp_and_id(dw, w, path, what, id);
	write_event(w, id, actions);
	write_file(dw, w, path, fs, actions);
	write_integrity(w, fs, changes, who);
	write_who(dw, w, who);
	if (note != NULL) {
		jw_object_open(w, "error");
		jw_cstring(w, "message", note);
		jw_object_close(w);
	}
	return finish_document(dw, w);
}

int
fim_notice_write(struct fim_doc_writer *dw, struct jw *w, const char *action,
    const char *path, const char *message)
{
	char id[EVENT_ID_LEN + 1];

	jw_begin_document(w);
	jw_object_open(w, NULL);
	write_timestamp_and_id(dw, w, path, action, id);
	jw_cstring(w, "message", message);
	jw_object_open(w, "event");
	jw_cstring(w, "id", id);
	jw_cstring(w, "kind", "event");
	jw_cstring(w, "module", "file_integrity");
	jw_cstring(w, "dataset", "file");
	jw_array_open(w, "action");
	jw_cstring(w, NULL, action);
	jw_array_close(w);
	jw_array_open(w, "category");
	jw_cstring(w, NULL, "file");
	jw_array_close(w);
	jw_array_open(w, "type");
	jw_cstring(w, NULL, "info");
	jw_array_close(w);
	jw_object_close(w);
	jw_object_open(w, "file");
	jw_cstring(w, "path", path);
	jw_object_close(w);
	return finish_document(dw, w);
}

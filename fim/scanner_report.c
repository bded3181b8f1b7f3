/*
 * The scanner's output: documents about changes, batched to the sink,
 * and the baseline transactions that record them, committed only after
 * the documents left (scanner.h, DESIGN: a crash in between reports a
 * change twice, never not at all).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/log.h"
#include "../common/timeutil.h"
#include "baseline.h"
#include "scanner_internal.h"
#include "who_recent.h"

#define COMMIT_EVERY	4096		/* baseline changes per transaction */
#define EMIT_BYTES	(256 * 1024)	/* documents per batch */

/* Hand the documents written so far to the sink. */
static void
scanner_flush(struct scanner *sc)
{
	size_t len;
	char *text;

	if (sc->ndocs == 0)
		return;
	text = jw_take(&sc->w, &len);
	sc->hooks.emit(sc->hooks.ctx, text, len, sc->ndocs);
	sc->ndocs = 0;
}

void
scanner_commit(struct scanner *sc)
{
	scanner_flush(sc);
	baseline_commit(sc->base);
}

void
scanner_maybe_commit(struct scanner *sc)
{
	if (jw_len(&sc->w) >= EMIT_BYTES)
		scanner_flush(sc);
	if (baseline_pending(sc->base) >= COMMIT_EVERY)
		scanner_commit(sc);
}

/*
 * The author of a change: the audit record of the same inode when it is
 * about the process fanotify saw (or fanotify saw none), as it carries
 * the kernel's own ids and names; otherwise the latest of the two.
 */
static const struct fim_who *
author(struct scanner *sc, const char *path, const struct file_state *fs,
    struct fim_who *audit)
{
	const struct fim_who *seen = who_recent_get(sc->recent, path,
	    monotonic_ms());
	int audited = sc->hooks.who != NULL &&
	    sc->hooks.who(sc->hooks.ctx, path, fs, audit);

	if (!audited)
		return seen;
	if (seen == NULL || seen->pid == audit->pid ||
	    audit->at_ms >= seen->at_ms)
		return audit;
	return seen;
}

/* Why a file's contents are not in its document, or NULL; why: room. */
static const char *
unhashed_note(const struct file_state *fs, char *why, size_t whylen)
{
	if (fs->flags & FS_TOO_LARGE)
		return "larger than fim.max_file_size: not hashed";
	if (fs->flags & FS_UNREADABLE) {
		snprintf(why, whylen, "cannot be read: %s",
		    strerror(fs->read_errno ? fs->read_errno : EIO));
		return why;
	}
	return NULL;
}

void
scanner_document(struct scanner *sc, const char *path,
    const struct file_state *fs, unsigned actions,
    const struct fim_changes *changes)
{
	struct fim_who audit;
	const struct fim_who *who = NULL;
	const char *note;
	char why[160];

	if (!(actions & FIM_ACT_INITIAL_SCAN))
		who = author(sc, path, fs, &audit);
	note = unhashed_note(fs, why, sizeof(why));
	if (fim_document_write(&sc->writer, &sc->w, path, fs, actions,
	    changes, who, note) == -1) {
		log_warnx("fim: out of memory writing the document of %s",
		    path);
		jw_release(&sc->w);
		sc->ndocs = 0;
		return;
	}
	sc->ndocs++;
	if (!(actions & FIM_ACT_INITIAL_SCAN))
		atomic_fetch_add(&sc->counters->changes, 1);
}

void
scanner_notice(struct scanner *sc, const char *action, const char *path,
    const char *message)
{
	if (fim_notice_write(&sc->writer, &sc->w, action, path, message) == 0)
		sc->ndocs++;
	scanner_flush(sc);
}

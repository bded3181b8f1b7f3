/*
 * The spool: a write-ahead queue of documents on disk, between the parser
 * and the network outputs.
 *
 * DESIGN
 * Every batch of documents is appended to the current segment file before
 * an output sees it, and leaves the spool only when the output has
 * acknowledged every document in it (at-least-once).  Appends go to the
 * page cache, so a crash of the plugin (even SIGKILL) loses nothing that
 * was spooled; the next start sends what was not acknowledged first.  The
 * page cache is also the "memory" part of the queue: outputs read back
 * batches that were just written without touching the disk.
 *
 * Files in the spool directory:
 *   NNNNNNNNNNNNNNNN.seg  segments, 16 hex digits, in order; a new one is
 *                         started past the segment size (small enough
 *                         that dropping or freeing one is a fine step)
 *   ack                   "SEGMENT OFFSET": everything before it is
 *                         acknowledged (replaced by rename, never torn)
 * A record is a 16-byte header (magic, payload length, document count,
 * CRC-32 of the payload) and the payload: documents, one JSON line each;
 * a record with the other magic also holds a mark after the documents
 * (the mark, then its length in 2 bytes), see spool_append_marked.
 * A torn or corrupt record (a crash mid-write, a bad disk) is detected by
 * its length or checksum, reported, and skipped with the rest of its
 * segment; it is never fatal.  (Records this process wrote are read back
 * from the page cache without checking their checksum again.)
 *
 * Bounded: when appending would take the spool past max_size, the policy
 * applies: SPOOL_DROP_OLDEST deletes the oldest segment (its documents not
 * yet sent are counted as dropped), SPOOL_BLOCK makes the appender wait
 * for acknowledgements (and so, further up, the input).  A write the disk
 * refuses (ENOSPC, EIO) is a write error, not a drop: it is counted, and
 * the same policy applies (SPOOL_DROP_OLDEST gives up the oldest segment
 * and writes again, SPOOL_BLOCK waits for acknowledgements to free room);
 * documents that still find no room are counted as unstored.
 *
 * Threads: one appender (the output stage), any number of takers (the
 * output workers); every function is thread-safe.
 */
#ifndef AUDISP_ECS_SPOOL_H
#define AUDISP_ECS_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "../common/sv.h"

/* Segments hold at most this, and an eighth of max_size (at least 64 KiB). */
#define SPOOL_SEGMENT_SIZE	(16 * 1024 * 1024)
#define SPOOL_SEGMENT_MIN	(64 * 1024)

enum spool_policy {
	SPOOL_DROP_OLDEST,
	SPOOL_BLOCK,
};

struct spool;

/* A run of documents handed to one output worker. */
struct spool_ticket {
	uint64_t	 id;		/* issue order */
	uint64_t	 end_seg;	/* position just after its last record */
	uint64_t	 end_off;
	char		*buf;		/* documents, each ending in '\n' */
	size_t		 len;
	size_t		 ndocs;
	size_t		 done;		/* documents already acknowledged */
	int		 acked;
	struct spool_ticket *next;
};

struct spool_stats {
	uint64_t	 appended;	/* documents written to the spool */
	uint64_t	 acked;		/* documents acknowledged */
	uint64_t	 dropped;	/* documents dropped by the policy */
	uint64_t	 pending;	/* documents in the spool, unacknowledged */
	uint64_t	 bytes;		/* size of the segment files */
	uint64_t	 recovered;	/* documents found unacknowledged at start */
	uint64_t	 torn;		/* torn or corrupt records skipped */
	uint64_t	 write_errors;	/* writes the disk refused */
	uint64_t	 unstored;	/* documents lost to write errors */
};

/*
 * Open (creating the directory, mode 0700) and recover the spool at path.
 * Returns NULL with a message in err.
 */
struct spool	*spool_open(const char *path, uint64_t max_size,
		    enum spool_policy, char *err, size_t errlen);
void		 spool_free(struct spool *);

/*
 * Append documents (ndocs lines).  Returns 0, or -1 when they could not be
 * stored: counted as dropped when the policy or their size said no (a
 * batch larger than the whole spool), as unstored when the disk refused
 * them and nothing could be given up for room.  With SPOOL_BLOCK this
 * waits for room, on a full disk too.
 */
int		 spool_append(struct spool *, const char *docs, size_t len,
		    size_t ndocs);
/*
 * The same, with a mark stored in the same record (at most SPOOL_MARK_MAX
 * bytes; none when mark_len is 0): what the caller needs to know, after a
 * crash, about what the spool holds (the audit serials of its documents).
 */
#define SPOOL_MARK_MAX	4096
int		 spool_append_marked(struct spool *, const char *docs,
		    size_t len, size_t ndocs, const void *mark,
		    size_t mark_len);
/*
 * The mark of the newest whole record that has one in the spool at path,
 * as a previous run left it, into buf (size bytes); its length, 0 when
 * there is none.  Reads the files only, checking every record, so it may
 * run beside a spool_open recovering the same spool, but not beside
 * appends.
 */
size_t		 spool_last_mark(const char *path, unsigned char *buf,
		    size_t size);
/*
 * The next documents to send, at most max_docs (whole records; at least
 * one record), retried ones first.  Waits up to timeout_ms; NULL when
 * there is nothing (or the spool is closed and empty).
 */
struct spool_ticket *spool_take(struct spool *, size_t max_docs,
		    int timeout_ms);
/*
 * The ticket's documents (one JSON object per line) as views into its
 * buffer, without their newlines: *n of them, in an array to free().
 * NULL when out of memory.
 */
struct sv	*spool_ticket_docs(const struct spool_ticket *, size_t *n);
/* Every document of the ticket was acknowledged; frees it. */
void		 spool_ack(struct spool *, struct spool_ticket *);
/* Not delivered (documents from t->done on); it will be taken again. */
void		 spool_retry(struct spool *, struct spool_ticket *);
/* No more appends: takers get what is left, then NULL. */
void		 spool_close_input(struct spool *);
/* Unblock everyone now (shutdown deadline): appends fail, takes return NULL. */
void		 spool_abort(struct spool *);
/* 1 when everything appended has been acknowledged. */
int		 spool_drained(struct spool *);
/* About how many documents are waiting to be taken (for batching). */
size_t		 spool_ready(struct spool *);
/* 1 once spool_close_input() or spool_abort() was called. */
int		 spool_input_closed(struct spool *);
/* 1 when takers are done: aborted, or input closed and drained. */
int		 spool_finished(struct spool *);
void		 spool_get_stats(struct spool *, struct spool_stats *);
/*
 * Documents dropped or unstored and not yet reported in an events-dropped
 * document.
 */
uint64_t	 spool_take_unreported_drops(struct spool *);

#endif

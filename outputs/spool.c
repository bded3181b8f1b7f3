/* The write-ahead spool of documents; see spool.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "../common/atomic_file.h"
#include "../common/fsutil.h"
#include "../common/log.h"
#include "../common/timeutil.h"
#include "spool.h"

#define RECORD_MAGIC	0x52534541u	/* "AESR" in little endian */
/*
 * A record with a mark: the payload is the documents, the mark, and the
 * mark's length (2 bytes, little endian); the CRC covers all of it.
 */
#define MARKED_MAGIC	0x4d534541u	/* "AESM" */
#define MARK_TRAILER	2
#define HEADER_SIZE	16
#define RECORD_MAX	(256u * 1024 * 1024)	/* a sane bound on one batch */

struct header {
	uint32_t	 magic;
	uint32_t	 len;
	uint32_t	 ndocs;
	uint32_t	 crc;
};

struct segment {
	uint64_t	 seq;
	uint64_t	 size;
};

struct spool {
	pthread_mutex_t	 lock;
	pthread_cond_t	 changed;
	char		*dir;
	uint64_t	 max_size;
	enum spool_policy policy;

	struct segment	*segs;		/* oldest first; the last is written */
	size_t		 nsegs, cap;
	uint64_t	 total;		/* bytes in all segments */

	int		 wfd;		/* the last segment, for appends */
	uint64_t	 rseg, roff;	/* the next record to take */
	int		 rfd;
	uint64_t	 rfd_seq;
	uint64_t	 aseg, aoff;	/* everything before is acknowledged */

	uint64_t	 next_id;
	uint64_t	 in_flight;	/* documents of tickets handed out */
	struct spool_ticket *out_head, *out_tail;	/* issued, in order */
	struct spool_ticket **retry;	/* to send again */
	size_t		 nretry, retry_cap;

	uint64_t	 segment_size;
	uint64_t	 first_own_seq;	/* segments from here were written by us */
	int		 input_closed;
	int		 aborted;
	struct spool_stats stats;
	uint64_t	 unreported_drops;
	struct ratelimit errors;
};

static void
segment_path(const struct spool *sp, uint64_t seq, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%016llx.seg", sp->dir, (unsigned long long)seq);
}

static struct segment *
find_segment(struct spool *sp, uint64_t seq)
{
	size_t i;

	for (i = 0; i < sp->nsegs; i++)
		if (sp->segs[i].seq == seq)
			return &sp->segs[i];
	return NULL;
}

/* (a, b) before (c, d)? */
static int
position_before(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	return a < c || (a == c && b < d);
}

static int
add_segment(struct spool *sp, uint64_t seq, uint64_t size)
{
	struct segment *segs;

	if (sp->nsegs == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 16;

		if ((segs = realloc(sp->segs, cap * sizeof(*segs))) == NULL)
			return -1;
		sp->segs = segs;
		sp->cap = cap;
	}
	sp->segs[sp->nsegs].seq = seq;
	sp->segs[sp->nsegs].size = size;
	sp->nsegs++;
	sp->total += size;
	return 0;
}

/* Read the header at off; 0 ok, -1 end or torn (nothing valid there). */
static int
read_header(int fd, uint64_t off, uint64_t size, struct header *h)
{
	if (off + HEADER_SIZE > size ||
	    pread(fd, h, HEADER_SIZE, (off_t)off) != HEADER_SIZE)
		return -1;
	if ((h->magic != RECORD_MAGIC && h->magic != MARKED_MAGIC) ||
	    h->len > RECORD_MAX ||
	    off + HEADER_SIZE + h->len > size)
		return -1;
	return 0;
}

/* Documents in a payload: each is one line, ending with its newline. */
static uint32_t
count_lines(const char *p, size_t len)
{
	const char *end = p + len;
	uint32_t n = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * The length of the documents in a payload; that of a record's mark in
 * *mark_len (0 for an unmarked record).  -1 when the mark's length does
 * not fit the payload.
 */
static int
documents_length(const struct header *h, const char *payload, uint32_t *docs,
    uint32_t *mark_len)
{
	const unsigned char *end = (const unsigned char *)payload + h->len;
	uint32_t n;

	*docs = h->len;
	*mark_len = 0;
	if (h->magic != MARKED_MAGIC)
		return 0;
	if (h->len < MARK_TRAILER)
		return -1;
	n = (uint32_t)end[-2] | (uint32_t)end[-1] << 8;
	if (n > h->len - MARK_TRAILER)
		return -1;
	*mark_len = n;
	*docs = h->len - MARK_TRAILER - n;
	return 0;
}

/*
 * Read a whole record; the payload is malloc'd into *buf, its documents
 * the first *docs bytes (the rest is the mark, if any).  Unless trusted
 * (we wrote it, and it never left the page cache), its checksum is checked
 * and so is its document count, which the checksum does not cover: a
 * count that lies would make a reader allocate for billions of documents
 * and fail on that ticket for ever.
 */
static int
read_record(int fd, uint64_t off, uint64_t size, struct header *h, char **buf,
    uint32_t *docs, int trusted)
{
	uint32_t mark_len;
	char *p;

	*buf = NULL;
	if (read_header(fd, off, size, h) == -1)
		return -1;
	if ((p = malloc(h->len + 1)) == NULL)
		return -1;
	if (pread(fd, p, h->len, (off_t)(off + HEADER_SIZE)) != (ssize_t)h->len ||
	    (!trusted && crc32(0L, (const Bytef *)p, h->len) != h->crc) ||
	    documents_length(h, p, docs, &mark_len) == -1 ||
	    (!trusted && count_lines(p, *docs) != h->ndocs)) {
		free(p);
		return -1;
	}
	*buf = p;
	return 0;
}

/*
 * Flushed to disk on every move: after a crash, an ack file cut short or
 * lost reads as "nothing acknowledged", and the whole spool goes out again.
 */
static void
write_ack_file(struct spool *sp)
{
	char path[4096], line[64];
	int n;

	snprintf(path, sizeof(path), "%s/ack", sp->dir);
	n = snprintf(line, sizeof(line), "%llu %llu\n",
	    (unsigned long long)sp->aseg, (unsigned long long)sp->aoff);
	if (atomic_replace(path, line, (size_t)n, 0600) == -1)
		log_ratelimited(&sp->errors, "spool: cannot update %s: %s",
		    path, strerror(errno));
}

/* Remove the oldest segment from disk and from the list. */
static void
remove_oldest(struct spool *sp)
{
	char path[4200];

	segment_path(sp, sp->segs[0].seq, path, sizeof(path));
	if (unlink(path) == -1 && errno != ENOENT)
		log_ratelimited(&sp->errors, "spool: cannot remove %s: %s",
		    path, strerror(errno));
	if (sp->rfd != -1 && sp->rfd_seq == sp->segs[0].seq) {
		close(sp->rfd);
		sp->rfd = -1;
	}
	sp->total -= sp->segs[0].size;
	memmove(sp->segs, sp->segs + 1, (sp->nsegs - 1) * sizeof(sp->segs[0]));
	sp->nsegs--;
}

/* Segments wholly before the ack point are done with. */
static void
remove_acknowledged(struct spool *sp)
{
	while (sp->nsegs > 1 && (sp->segs[0].seq < sp->aseg ||
	    (sp->segs[0].seq == sp->aseg && sp->aoff >= sp->segs[0].size))) {
		if (sp->segs[0].seq == sp->aseg) {
			sp->aseg = sp->segs[1].seq;
			sp->aoff = 0;
		}
		remove_oldest(sp);
	}
}

static int
start_segment(struct spool *sp)
{
	char path[4200];
	uint64_t seq = sp->nsegs > 0 ? sp->segs[sp->nsegs - 1].seq + 1 : 1;

	if (sp->wfd != -1) {
		/* A full segment is flushed to disk once, not every append. */
		(void)fdatasync(sp->wfd);
		close(sp->wfd);
	}
	segment_path(sp, seq, path, sizeof(path));
	sp->wfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0600);
	if (sp->wfd == -1 || add_segment(sp, seq, 0) == -1) {
		log_warn("spool: cannot create %s", path);
		if (sp->wfd != -1)
			close(sp->wfd);
		sp->wfd = -1;
		return -1;
	}
	return 0;
}

/* Open (and cache) the segment the read cursor is in. */
static int
reader_fd(struct spool *sp, uint64_t seq)
{
	char path[4200];

	if (sp->rfd != -1 && sp->rfd_seq == seq)
		return sp->rfd;
	if (sp->rfd != -1)
		close(sp->rfd);
	segment_path(sp, seq, path, sizeof(path));
	sp->rfd = open(path, O_RDONLY | O_CLOEXEC);
	sp->rfd_seq = seq;
	return sp->rfd;
}

/* Documents from (seq, off) to the end of that segment, by headers. */
static uint64_t
count_docs(struct spool *sp, uint64_t seq, uint64_t off)
{
	struct segment *s = find_segment(sp, seq);
	struct header h;
	uint64_t n = 0;
	int fd;

	if (s == NULL || (fd = reader_fd(sp, seq)) == -1)
		return 0;
	while (read_header(fd, off, s->size, &h) == 0) {
		n += h.ndocs;
		off += HEADER_SIZE + h.len;
	}
	return n;
}

/* SPOOL_DROP_OLDEST: make room by dropping the oldest segment. */
static int
drop_oldest(struct spool *sp)
{
	uint64_t seq, from, lost;

	if (sp->nsegs == 1 && start_segment(sp) == -1)
		return -1;
	seq = sp->segs[0].seq;
	/* What was already taken is in flight; what was not is lost. */
	from = sp->rseg == seq ? sp->roff : sp->rseg > seq ? sp->segs[0].size : 0;
	lost = count_docs(sp, seq, from);
	sp->stats.dropped += lost;
	sp->stats.pending -= lost < sp->stats.pending ? lost : sp->stats.pending;
	sp->unreported_drops += lost;
	log_ratelimited(&sp->errors, "spool full: dropped %llu documents "
	    "(oldest segment)", (unsigned long long)lost);
	if (sp->rseg <= seq) {
		sp->rseg = sp->segs[1].seq;
		sp->roff = 0;
	}
	if (sp->aseg <= seq) {
		sp->aseg = sp->segs[1].seq;
		sp->aoff = 0;
		write_ack_file(sp);
	}
	remove_oldest(sp);
	return 0;
}

/* Make room for a record of size bytes; -1 when the policy says no. */
static int
make_room(struct spool *sp, uint64_t size)
{
	while (sp->total + size > sp->max_size && !sp->aborted) {
		if (size > sp->max_size)
			return -1;
		if (sp->policy == SPOOL_BLOCK) {
			/*
			 * The segment being written may be all acknowledged:
			 * start a new one so it can go.
			 */
			if (sp->nsegs > 0 && sp->segs[sp->nsegs - 1].size > 0 &&
			    sp->aseg == sp->segs[sp->nsegs - 1].seq &&
			    sp->aoff >= sp->segs[sp->nsegs - 1].size &&
			    start_segment(sp) == 0) {
				remove_acknowledged(sp);
				continue;
			}
			pthread_cond_wait(&sp->changed, &sp->lock);
			continue;
		}
		if (sp->nsegs == 0 || drop_oldest(sp) == -1)
			return -1;
	}
	return sp->aborted ? -1 : 0;
}

/* What a record is written from: the header, then the payload's parts. */
struct record_parts {
	const void	*p[4];
	size_t		 n[4];
	int		 count;
	size_t		 len;		/* of the payload */
};

/*
 * Write a record at the end of the last segment.  A write that fails
 * (ENOSPC, EIO) leaves no torn record behind: it is cut off, or a new
 * segment started.  -1 with errno set.
 */
static int
write_record(struct spool *sp, const struct record_parts *part)
{
	struct segment *w = &sp->segs[sp->nsegs - 1];
	ssize_t n;
	int i, saved;

	for (i = 0; i < part->count; i++) {
		const char *p = part->p[i];
		size_t left = part->n[i];

		while (left > 0) {
			if ((n = write(sp->wfd, p, left)) == -1) {
				if (errno == EINTR)
					continue;
				saved = errno;
				if (ftruncate(sp->wfd, (off_t)w->size) == -1)
					(void)start_segment(sp);
				errno = saved;
				return -1;
			}
			p += n;
			left -= (size_t)n;
		}
	}
	w->size += HEADER_SIZE + part->len;
	sp->total += HEADER_SIZE + part->len;
	return 0;
}

/* The last segment, started anew when the record would not fit in it. */
static int
writable_segment(struct spool *sp, size_t len)
{
	struct segment *w = &sp->segs[sp->nsegs - 1];

	if ((w->size + HEADER_SIZE + len > sp->segment_size && w->size > 0) ||
	    sp->wfd == -1)
		return start_segment(sp);
	return 0;
}

/*
 * A write failed: the disk is full or failing.  The policy decides, as
 * when the spool reaches max_size: SPOOL_DROP_OLDEST gives up the oldest
 * segment to make room, if there is one holding anything; SPOOL_BLOCK
 * waits (a second at a time) for acknowledgements to free segments.
 * Returns 0 when the write is worth trying again, -1 to give up.
 */
static int
room_after_write_error(struct spool *sp)
{
	struct timespec deadline;

	if (sp->aborted)
		return -1;
	if (sp->policy == SPOOL_BLOCK) {
		if (sp->nsegs > 0 && sp->segs[sp->nsegs - 1].size > 0 &&
		    sp->aseg == sp->segs[sp->nsegs - 1].seq &&
		    sp->aoff >= sp->segs[sp->nsegs - 1].size &&
		    start_segment(sp) == 0) {
			remove_acknowledged(sp);
			return 0;
		}
		deadline_after_ms(&deadline, 1000);
		(void)pthread_cond_timedwait(&sp->changed, &sp->lock,
		    &deadline);
		remove_acknowledged(sp);
		return sp->aborted ? -1 : 0;
	}
	if (sp->nsegs == 0 || (sp->nsegs == 1 && sp->segs[0].size == 0))
		return -1;	/* nothing left to give up */
	return drop_oldest(sp);
}

int
spool_append(struct spool *sp, const char *docs, size_t len, size_t ndocs)
{
	return spool_append_marked(sp, docs, len, ndocs, NULL, 0);
}

/* The header and the parts of a record; -1 if it is too large. */
static int
build_record(struct record_parts *part, struct header *h,
    unsigned char trailer[MARK_TRAILER], const char *docs, size_t len,
    size_t ndocs, const void *mark, size_t mark_len)
{
	uLong crc;

	if (mark_len > SPOOL_MARK_MAX)
		mark_len = 0;	/* a caller's bug: store the documents alone */
	part->len = len + (mark_len > 0 ? mark_len + MARK_TRAILER : 0);
	if (part->len > RECORD_MAX)
		return -1;
	h->magic = mark_len > 0 ? MARKED_MAGIC : RECORD_MAGIC;
	h->len = (uint32_t)part->len;
	h->ndocs = (uint32_t)ndocs;
	crc = crc32(0L, (const Bytef *)docs, (uInt)len);
	part->p[0] = h;
	part->n[0] = HEADER_SIZE;
	part->p[1] = docs;
	part->n[1] = len;
	part->count = 2;
	if (mark_len > 0) {
		trailer[0] = (unsigned char)(mark_len & 0xff);
		trailer[1] = (unsigned char)(mark_len >> 8);
		crc = crc32(crc, mark, (uInt)mark_len);
		crc = crc32(crc, trailer, MARK_TRAILER);
		part->p[2] = mark;
		part->n[2] = mark_len;
		part->p[3] = trailer;
		part->n[3] = MARK_TRAILER;
		part->count = 4;
	}
	h->crc = (uint32_t)crc;
	return 0;
}

int
spool_append_marked(struct spool *sp, const char *docs, size_t len,
    size_t ndocs, const void *mark, size_t mark_len)
{
	struct record_parts part;
	struct header h;
	unsigned char trailer[MARK_TRAILER];
	int rc = -1;

	if (len > RECORD_MAX || build_record(&part, &h, trailer, docs, len,
	    ndocs, mark, mark_len) == -1) {
		pthread_mutex_lock(&sp->lock);
		sp->stats.dropped += ndocs;
		goto lost;
	}
	pthread_mutex_lock(&sp->lock);
	if (make_room(sp, HEADER_SIZE + part.len) == -1) {
		sp->stats.dropped += ndocs;
		goto lost;
	}
	for (;;) {
		if (writable_segment(sp, part.len) == 0 &&
		    write_record(sp, &part) == 0) {
			rc = 0;
			break;
		}
		sp->stats.write_errors++;
		log_ratelimited(&sp->errors, "spool: write: %s",
		    strerror(errno));
		if (room_after_write_error(sp) == -1) {
			sp->stats.unstored += ndocs;
			goto lost;
		}
	}
	sp->stats.appended += ndocs;
	sp->stats.pending += ndocs;
	pthread_cond_broadcast(&sp->changed);
	pthread_mutex_unlock(&sp->lock);
	return rc;
lost:
	sp->unreported_drops += ndocs;
	pthread_mutex_unlock(&sp->lock);
	return -1;
}

/* The record at the read cursor, moving over ended segments. */
static int
next_record(struct spool *sp, struct header *h, char **buf, uint32_t *docs)
{
	struct segment *s;
	uint64_t skipped;
	int fd;

	for (;;) {
		if ((s = find_segment(sp, sp->rseg)) == NULL) {
			/* Its segment was dropped: go on with the oldest. */
			if (sp->nsegs == 0 || sp->rseg > sp->segs[sp->nsegs - 1].seq)
				return -1;
			sp->rseg = sp->segs[0].seq;
			sp->roff = 0;
			continue;
		}
		if (sp->roff < s->size) {
			if ((fd = reader_fd(sp, sp->rseg)) != -1 &&
			    read_record(fd, sp->roff, s->size, h, buf, docs,
			    sp->rseg >= sp->first_own_seq) == 0)
				return 0;
			/*
			 * The skipped documents were counted as pending (by
			 * their headers, as here); they will never be
			 * acknowledged, so they must not keep the spool from
			 * draining.
			 */
			skipped = count_docs(sp, sp->rseg, sp->roff);
			sp->stats.pending -= skipped < sp->stats.pending ?
			    skipped : sp->stats.pending;
			sp->stats.torn++;
			log_ratelimited(&sp->errors, "spool: torn or corrupt "
			    "record in segment %016llx at %llu: rest of the "
			    "segment skipped", (unsigned long long)sp->rseg,
			    (unsigned long long)sp->roff);
			sp->roff = s->size;
		}
		if (s == &sp->segs[sp->nsegs - 1])
			return -1;	/* caught up with the writer */
		sp->rseg = s[1].seq;
		sp->roff = 0;
	}
}

static struct spool_ticket *
take_retry(struct spool *sp)
{
	struct spool_ticket *t;
	size_t i, best = 0;

	if (sp->nretry == 0)
		return NULL;
	for (i = 1; i < sp->nretry; i++)
		if (sp->retry[i]->id < sp->retry[best]->id)
			best = i;
	t = sp->retry[best];
	sp->retry[best] = sp->retry[--sp->nretry];
	return t;
}

/* Gather records into a new ticket; NULL if there is nothing. */
static struct spool_ticket *
take_new(struct spool *sp, size_t max_docs)
{
	struct spool_ticket *t;
	struct header h;
	char *buf, *grown;
	uint32_t docs;
	size_t cap;

	if (next_record(sp, &h, &buf, &docs) == -1)
		return NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		free(buf);
		return NULL;
	}
	t->buf = buf;
	t->len = docs;
	t->ndocs = h.ndocs;
	cap = h.len + 1;
	sp->roff += HEADER_SIZE + h.len;
	/*
	 * More whole records, while they fit.  auditd hands over a few
	 * records at a time, so a ticket may gather thousands of small ones:
	 * the buffer grows by doubling, not record by record.
	 */
	while (t->ndocs < max_docs && next_record(sp, &h, &buf, &docs) == 0) {
		if (t->ndocs + h.ndocs > max_docs) {
			free(buf);
			break;
		}
		if (t->len + docs + 1 > cap) {
			while (t->len + docs + 1 > cap)
				cap *= 2;
			if ((grown = realloc(t->buf, cap)) == NULL) {
				free(buf);
				break;
			}
			t->buf = grown;
		}
		memcpy(t->buf + t->len, buf, docs);
		free(buf);
		t->len += docs;
		t->ndocs += h.ndocs;
		sp->roff += HEADER_SIZE + h.len;
	}
	t->end_seg = sp->rseg;
	t->end_off = sp->roff;
	t->id = sp->next_id++;
	if (sp->out_tail != NULL)
		sp->out_tail->next = t;
	else
		sp->out_head = t;
	sp->out_tail = t;
	return t;
}

struct spool_ticket *
spool_take(struct spool *sp, size_t max_docs, int timeout_ms)
{
	struct spool_ticket *t = NULL;
	struct timespec deadline;

	deadline_after_ms(&deadline, timeout_ms);
	pthread_mutex_lock(&sp->lock);
	while (!sp->aborted) {
		if ((t = take_retry(sp)) != NULL ||
		    (t = take_new(sp, max_docs)) != NULL) {
			sp->in_flight += t->ndocs;
			break;
		}
		if (sp->input_closed)
			break;
		if (pthread_cond_timedwait(&sp->changed, &sp->lock,
		    &deadline) != 0)
			break;
	}
	pthread_mutex_unlock(&sp->lock);
	return t;
}

void
spool_ack(struct spool *sp, struct spool_ticket *t)
{
	struct spool_ticket *head;
	int moved = 0;

	pthread_mutex_lock(&sp->lock);
	t->acked = 1;
	sp->in_flight -= t->ndocs;
	sp->stats.acked += t->ndocs;
	sp->stats.pending -= t->ndocs < sp->stats.pending ? t->ndocs :
	    sp->stats.pending;
	/* The ack point moves over every ticket acked in issue order. */
	while ((head = sp->out_head) != NULL && head->acked) {
		if (position_before(sp->aseg, sp->aoff, head->end_seg,
		    head->end_off)) {
			sp->aseg = head->end_seg;
			sp->aoff = head->end_off;
			moved = 1;
		}
		sp->out_head = head->next;
		if (sp->out_head == NULL)
			sp->out_tail = NULL;
		free(head->buf);
		free(head);
	}
	if (moved) {
		remove_acknowledged(sp);
		write_ack_file(sp);
	}
	pthread_cond_broadcast(&sp->changed);
	pthread_mutex_unlock(&sp->lock);
}

void
spool_retry(struct spool *sp, struct spool_ticket *t)
{
	struct spool_ticket **retry;

	pthread_mutex_lock(&sp->lock);
	if (sp->nretry == sp->retry_cap) {
		size_t cap = sp->retry_cap ? sp->retry_cap * 2 : 8;

		if ((retry = realloc(sp->retry, cap * sizeof(*retry))) == NULL) {
			/* Cannot queue it: it is sent again at the next start. */
			sp->in_flight -= t->ndocs;
			pthread_mutex_unlock(&sp->lock);
			return;
		}
		sp->retry = retry;
		sp->retry_cap = cap;
	}
	sp->retry[sp->nretry++] = t;
	sp->in_flight -= t->ndocs;
	pthread_cond_broadcast(&sp->changed);
	pthread_mutex_unlock(&sp->lock);
}

void
spool_close_input(struct spool *sp)
{
	pthread_mutex_lock(&sp->lock);
	sp->input_closed = 1;
	pthread_cond_broadcast(&sp->changed);
	pthread_mutex_unlock(&sp->lock);
}

void
spool_abort(struct spool *sp)
{
	pthread_mutex_lock(&sp->lock);
	sp->aborted = 1;
	pthread_cond_broadcast(&sp->changed);
	pthread_mutex_unlock(&sp->lock);
}

int
spool_drained(struct spool *sp)
{
	int drained;

	pthread_mutex_lock(&sp->lock);
	drained = sp->out_head == NULL && sp->nretry == 0 &&
	    sp->stats.pending == 0;
	pthread_mutex_unlock(&sp->lock);
	return drained;
}

size_t
spool_ready(struct spool *sp)
{
	uint64_t ready;

	pthread_mutex_lock(&sp->lock);
	ready = sp->stats.pending > sp->in_flight ?
	    sp->stats.pending - sp->in_flight : 0;
	pthread_mutex_unlock(&sp->lock);
	return (size_t)ready;
}

int
spool_input_closed(struct spool *sp)
{
	int closed;

	pthread_mutex_lock(&sp->lock);
	closed = sp->input_closed || sp->aborted;
	pthread_mutex_unlock(&sp->lock);
	return closed;
}

int
spool_finished(struct spool *sp)
{
	int finished;

	pthread_mutex_lock(&sp->lock);
	finished = sp->aborted || (sp->input_closed && sp->out_head == NULL &&
	    sp->nretry == 0 && sp->stats.pending == 0);
	pthread_mutex_unlock(&sp->lock);
	return finished;
}

void
spool_get_stats(struct spool *sp, struct spool_stats *s)
{
	pthread_mutex_lock(&sp->lock);
	*s = sp->stats;
	s->bytes = sp->total;
	pthread_mutex_unlock(&sp->lock);
}

uint64_t
spool_take_unreported_drops(struct spool *sp)
{
	uint64_t n;

	pthread_mutex_lock(&sp->lock);
	n = sp->unreported_drops;
	sp->unreported_drops = 0;
	pthread_mutex_unlock(&sp->lock);
	return n;
}

static int
compare_segments(const void *a, const void *b)
{
	const struct segment *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Every NNNNNNNNNNNNNNNN.seg file, oldest first. */
static int
scan_segments(struct spool *sp)
{
	char name[32], path[4200];
	struct dirent *de;
	struct stat st;
	unsigned long long seq;
	DIR *d;

	if ((d = opendir(sp->dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != 20 ||
		    sscanf(de->d_name, "%16llx%31s", &seq, name) != 2 ||
		    strcmp(name, ".seg") != 0)
			continue;
		segment_path(sp, seq, path, sizeof(path));
		if (stat(path, &st) == -1 || add_segment(sp, seq,
		    (uint64_t)st.st_size) == -1) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	if (sp->nsegs > 1)
		qsort(sp->segs, sp->nsegs, sizeof(sp->segs[0]),
		    compare_segments);
	return 0;
}

static void
read_ack_file(struct spool *sp)
{
	unsigned long long seg = 0, off = 0;
	char path[4096];
	FILE *f;

	sp->aseg = sp->nsegs > 0 ? sp->segs[0].seq : 1;
	sp->aoff = 0;
	snprintf(path, sizeof(path), "%s/ack", sp->dir);
	if ((f = fopen(path, "re")) == NULL)
		return;
	if (fscanf(f, "%llu %llu", &seg, &off) == 2 &&
	    find_segment(sp, seg) != NULL) {
		sp->aseg = seg;
		sp->aoff = off;
	}
	fclose(f);
}

/*
 * The last segment was being written when we stopped: a record cut short
 * there is removed, so appends and reads see only whole records.
 */
static void
repair_last_segment(struct spool *sp)
{
	struct segment *s = &sp->segs[sp->nsegs - 1];
	struct header h;
	uint64_t off = 0;
	uint32_t docs;
	char *buf, path[4200];
	int fd;

	segment_path(sp, s->seq, path, sizeof(path));
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		return;
	while (read_record(fd, off, s->size, &h, &buf, &docs, 0) == 0) {
		free(buf);
		off += HEADER_SIZE + h.len;
	}
	if (off < s->size) {
		log_warnx("spool: segment %016llx ends in a torn record "
		    "(%llu bytes); removed", (unsigned long long)s->seq,
		    (unsigned long long)(s->size - off));
		sp->stats.torn++;
		if (ftruncate(fd, (off_t)off) == 0) {
			sp->total -= s->size - off;
			s->size = off;
		}
	}
	close(fd);
}

/*
 * The mark of the last whole marked record of one segment file into buf;
 * its length, 0 when there is none.  Reads what a crash left: every
 * record is checked, and the first torn one ends the walk.
 */
static size_t
segment_last_mark(const char *path, unsigned char *buf, size_t size)
{
	struct header h;
	struct stat st;
	uint64_t off = 0;
	uint32_t docs;
	size_t found = 0, mark_len;
	char *payload;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return 0;
	}
	while (read_record(fd, off, (uint64_t)st.st_size, &h, &payload, &docs,
	    0) == 0) {
		mark_len = h.len - docs;
		if (h.magic == MARKED_MAGIC && mark_len > MARK_TRAILER &&
		    mark_len - MARK_TRAILER <= size) {
			found = mark_len - MARK_TRAILER;
			memcpy(buf, payload + docs, found);
		}
		free(payload);
		off += HEADER_SIZE + h.len;
	}
	close(fd);
	return found;
}

size_t
spool_last_mark(const char *path, unsigned char *buf, size_t size)
{
	struct spool scan;
	char seg[4200];
	size_t i, n = 0;

	memset(&scan, 0, sizeof(scan));
	if ((scan.dir = strdup(path)) == NULL)
		return 0;
	if (scan_segments(&scan) == 0)
		for (i = scan.nsegs; i > 0 && n == 0; i--) {
			segment_path(&scan, scan.segs[i - 1].seq, seg,
			    sizeof(seg));
			n = segment_last_mark(seg, buf, size);
		}
	free(scan.segs);
	free(scan.dir);
	return n;
}

static int
recover(struct spool *sp)
{
	size_t i;

	if (scan_segments(sp) == -1)
		return -1;
	read_ack_file(sp);
	while (sp->nsegs > 0 && sp->segs[0].seq < sp->aseg)
		remove_oldest(sp);
	if (sp->nsegs > 0)
		repair_last_segment(sp);
	for (i = 0; i < sp->nsegs; i++)
		sp->stats.pending += count_docs(sp, sp->segs[i].seq,
		    sp->segs[i].seq == sp->aseg ? sp->aoff : 0);
	sp->stats.recovered = sp->stats.pending;
	sp->rseg = sp->aseg;
	sp->roff = sp->aoff;
	sp->first_own_seq = sp->nsegs > 0 ? sp->segs[sp->nsegs - 1].seq + 1 : 1;
	if (sp->stats.recovered > 0)
		log_info("spool: %llu documents not yet acknowledged from the "
		    "last run are sent first",
		    (unsigned long long)sp->stats.recovered);
	return start_segment(sp);
}

struct spool *
spool_open(const char *path, uint64_t max_size, enum spool_policy policy,
    char *err, size_t errlen)
{
	struct spool *sp;
	pthread_condattr_t attr;

	if ((sp = calloc(1, sizeof(*sp))) == NULL ||
	    (sp->dir = strdup(path)) == NULL) {
		free(sp);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	sp->max_size = max_size;
	sp->policy = policy;
	sp->segment_size = max_size / 8 < SPOOL_SEGMENT_SIZE ? max_size / 8 :
	    SPOOL_SEGMENT_SIZE;
	if (sp->segment_size < SPOOL_SEGMENT_MIN)
		sp->segment_size = SPOOL_SEGMENT_MIN;
	sp->wfd = sp->rfd = -1;
	sp->next_id = 1;
	sp->errors = (struct ratelimit)RATELIMIT_INIT(10, 5);
	pthread_mutex_init(&sp->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&sp->changed, &attr);
	pthread_condattr_destroy(&attr);
	if (mkdir_p(path, 0700) == -1 || recover(sp) == -1) {
		snprintf(err, errlen, "spool %s: %s", path, strerror(errno));
		spool_free(sp);
		return NULL;
	}
	return sp;
}

void
spool_free(struct spool *sp)
{
	struct spool_ticket *t, *next;

	if (sp == NULL)
		return;
	for (t = sp->out_head; t != NULL; t = next) {
		next = t->next;
		free(t->buf);
		free(t);
	}
	if (sp->wfd != -1)
		close(sp->wfd);
	if (sp->rfd != -1)
		close(sp->rfd);
	pthread_mutex_destroy(&sp->lock);
	pthread_cond_destroy(&sp->changed);
	free(sp->retry);
	free(sp->segs);
	free(sp->dir);
	free(sp);
}

struct sv *
spool_ticket_docs(const struct spool_ticket *t, size_t *n)
{
	struct sv *docs;
	const char *p = t->buf, *end = t->buf + t->len, *nl;
	size_t i = 0;

	if ((docs = calloc(t->ndocs + 1, sizeof(*docs))) == NULL)
		return NULL;
	while (p < end && i < t->ndocs + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p)
			docs[i++] = (struct sv){ p, (size_t)(nl - p) };
		p = nl + 1;
	}
	*n = i;
	return docs;
}

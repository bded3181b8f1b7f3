/* Unit tests for the disk spool between the parser and the outputs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"

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

#include "common/log.h"
#include "outputs/spool.h"
#include "call_probe.h"

#define HEADER_SIZE	16		/* of a record, see spool.h */
#define BIG_DOC		4080		/* with its header, 4 KiB a record */
#define BIG_RECORD	(HEADER_SIZE + BIG_DOC)
#define PER_SEGMENT	(SPOOL_SEGMENT_MIN / BIG_RECORD)

struct fixture {
	char		 dir[256];
};

static int
setup(void **state)
{
	struct fixture *f;
	const char *tmp = getenv("TMPDIR");

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test_spool.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

/* The spool directory holds only plain files: remove them, then it. */
static int
teardown(void **state)
{
	struct fixture *f = *state;

	remove_flat_dir(f->dir);
	free(f);
	return 0;
}

static struct spool *
open_spool(const struct fixture *f, uint64_t max_size, enum spool_policy p)
{
	char err[256] = "";
	struct spool *sp;

	sp = spool_open(f->dir, max_size, p, err, sizeof(err));
	if (sp == NULL)
		fail_msg("spool_open: %s", err);
	return sp;
}

static void
segment_file(const struct fixture *f, uint64_t seq, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%016llx.seg", f->dir, (unsigned long long)seq);
}

/* Document n, padded with 'x' to len bytes (newline included). */
static size_t
make_doc(char *buf, size_t len, int n)
{
	int k;

	k = snprintf(buf, len, "{\"n\":%d,\"p\":\"", n);
	assert_true(k > 0 && (size_t)k + 3 <= len);
	memset(buf + k, 'x', len - (size_t)k - 3);
	memcpy(buf + len - 3, "\"}\n", 3);
	return len;
}

/* One record holding documents first .. first + ndocs - 1. */
static int
append_docs(struct spool *sp, int first, size_t ndocs, size_t doclen)
{
	char *buf;
	size_t i;
	int rc;

	assert_non_null(buf = malloc(ndocs * doclen));
	for (i = 0; i < ndocs; i++)
		make_doc(buf + i * doclen, doclen, first + (int)i);
	rc = spool_append(sp, buf, ndocs * doclen, ndocs);
	free(buf);
	return rc;
}

/* Records of one small document each, numbered from first. */
static void
append_small(struct spool *sp, int first, int count)
{
	int i;

	for (i = 0; i < count; i++)
		assert_int_equal(append_docs(sp, first + i, 1, 32), 0);
}

static int
doc_number(struct sv doc)
{
	char copy[32];
	size_t n = doc.n < sizeof(copy) - 1 ? doc.n : sizeof(copy) - 1;
	int num = -1;

	memcpy(copy, doc.p, n);
	copy[n] = '\0';
	assert_int_equal(sscanf(copy, "{\"n\":%d,", &num), 1);
	return num;
}

/* The ticket holds documents first .. first + count - 1, in order. */
static void
assert_ticket(const struct spool_ticket *t, int first, size_t count)
{
	struct sv *docs;
	size_t i, n = 0;

	assert_non_null(t);
	assert_int_equal(t->ndocs, count);
	assert_non_null(docs = spool_ticket_docs(t, &n));
	assert_int_equal(n, count);
	for (i = 0; i < n; i++)
		assert_int_equal(doc_number(docs[i]), first + (int)i);
	free(docs);
}

/* Takes up to max documents, checks they are as assert_ticket says, acks. */
static void
take_and_ack(struct spool *sp, size_t max, int first, size_t count)
{
	struct spool_ticket *t = spool_take(sp, max, 0);

	assert_ticket(t, first, count);
	spool_ack(sp, t);
}

#define SMALL_SPOOL	(1024 * 1024)

/* Opens the small spool of f again and checks what it found on disk. */
static struct spool *
reopen(const struct fixture *f, uint64_t recovered, uint64_t torn)
{
	struct spool *sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);
	struct spool_stats st;

	spool_get_stats(sp, &st);
	assert_int_equal(st.recovered, recovered);
	assert_int_equal(st.torn, torn);
	return sp;
}

/*
 * Opened again, the spool of f finds recovered documents and torn
 * records, and sends documents first .. first + recovered - 1 and no more.
 */
static void
assert_restart_sends(const struct fixture *f, int recovered, uint64_t torn,
    int first)
{
	struct spool *sp = reopen(f, recovered, torn);

	assert_ticket(spool_take(sp, 10, 0), first, recovered);
	assert_null(spool_take(sp, 10, 0));
	spool_free(sp);
}

/* A spool of three segments, filled with big records numbered from 0. */
static struct spool *
open_full_spool(const struct fixture *f, enum spool_policy policy)
{
	struct spool *sp = open_spool(f, 3 * SPOOL_SEGMENT_MIN, policy);
	int i;

	for (i = 0; i < 3 * PER_SEGMENT; i++)
		assert_int_equal(append_docs(sp, i, 1, BIG_DOC), 0);
	return sp;
}

static void
test_append_take_ack(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);
	struct spool_ticket *t;
	struct spool_stats st;

	append_small(sp, 0, 3);
	assert_int_equal(append_docs(sp, 3, 2, 32), 0);	/* one record, two */
	spool_get_stats(sp, &st);
	assert_int_equal(st.appended, 5);
	assert_int_equal(st.pending, 5);
	assert_int_equal(st.recovered, 0);
	assert_int_equal(spool_ready(sp), 5);
	assert_false(spool_drained(sp));

	/* Whole records only, up to max_docs. */
	t = spool_take(sp, 2, 0);
	assert_ticket(t, 0, 2);
	assert_int_equal(spool_ready(sp), 3);
	spool_ack(sp, t);

	/* A retried ticket comes back first, with the same documents. */
	t = spool_take(sp, 1, 0);
	assert_ticket(t, 2, 1);
	spool_retry(sp, t);
	take_and_ack(sp, 10, 2, 1);

	/* At least one record, even when it holds more than max_docs. */
	take_and_ack(sp, 1, 3, 2);

	assert_null(spool_take(sp, 10, 0));
	spool_get_stats(sp, &st);
	assert_int_equal(st.acked, 5);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.dropped, 0);
	assert_true(spool_drained(sp));
	assert_false(spool_finished(sp));
	spool_close_input(sp);
	assert_true(spool_input_closed(sp));
	assert_true(spool_finished(sp));
	assert_null(spool_take(sp, 10, 1000));
	spool_free(sp);
}

static void
test_restart_returns_unacknowledged(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);
	struct spool_stats st;

	append_small(sp, 0, 4);
	take_and_ack(sp, 2, 0, 2);
	/* Taken but never acknowledged, as when the output dies. */
	assert_ticket(spool_take(sp, 1, 0), 2, 1);
	spool_free(sp);

	sp = reopen(f, 2, 0);
	spool_get_stats(sp, &st);
	assert_int_equal(st.pending, 2);
	take_and_ack(sp, 10, 2, 2);
	assert_true(spool_drained(sp));
	spool_free(sp);

	/* Once acknowledged, nothing comes back. */
	sp = reopen(f, 0, 0);
	assert_null(spool_take(sp, 10, 0));
	assert_true(spool_drained(sp));
	spool_free(sp);
}

static int
read_ack_point(const struct fixture *f, unsigned long long *seg,
    unsigned long long *off)
{
	char path[512];
	FILE *fp;
	int n;

	snprintf(path, sizeof(path), "%s/ack", f->dir);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fscanf(fp, "%llu %llu", seg, off);
	fclose(fp);
	return n == 2 ? 0 : -1;
}

static void
test_ack_point_persisted(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);
	struct spool_ticket *t1, *t2;
	unsigned long long seg = 0, off = 0;

	append_small(sp, 0, 3);
	t1 = spool_take(sp, 1, 0);
	t2 = spool_take(sp, 1, 0);
	assert_ticket(t1, 0, 1);
	assert_ticket(t2, 1, 1);
	assert_ticket(spool_take(sp, 1, 0), 2, 1);

	/* Acknowledged out of order: the ack point cannot move yet. */
	spool_ack(sp, t2);
	assert_int_equal(read_ack_point(f, &seg, &off), -1);
	/* Now it moves over both, and no further. */
	spool_ack(sp, t1);
	assert_int_equal(read_ack_point(f, &seg, &off), 0);
	assert_int_equal(seg, 1);
	assert_int_equal(off, 2 * (HEADER_SIZE + 32));
	spool_free(sp);

	sp = reopen(f, 1, 0);
	take_and_ack(sp, 10, 2, 1);
	spool_free(sp);
}

/* Out of order acks never lose a document across a restart. */
static void
test_restart_after_out_of_order_ack(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);
	struct spool_ticket *t2;

	append_small(sp, 0, 3);
	assert_ticket(spool_take(sp, 1, 0), 0, 1);
	t2 = spool_take(sp, 2, 0);
	assert_ticket(t2, 1, 2);
	spool_ack(sp, t2);
	spool_free(sp);

	/* Sent twice is allowed (at-least-once); lost is not. */
	assert_restart_sends(f, 3, 0, 0);
}

static off_t
file_size(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	return sb.st_size;
}

/*
 * Writes count small records into a new spool and closes it; path gets
 * the name of the segment that holds them.
 */
static void
spool_on_disk(const struct fixture *f, int count, char *path, size_t size)
{
	struct spool *sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);

	append_small(sp, 0, count);
	spool_free(sp);
	segment_file(f, 1, path, size);
}

static void
test_torn_tail_truncated(void **state)
{
	struct fixture *f = *state;
	struct spool *sp;
	struct spool_ticket *t;
	char path[512];
	off_t size;

	/* A crash in the middle of writing the last record. */
	spool_on_disk(f, 3, path, sizeof(path));
	size = file_size(path);
	assert_int_equal(size, 3 * (HEADER_SIZE + 32));
	assert_int_equal(truncate(path, size - 10), 0);

	sp = reopen(f, 2, 1);
	/* The torn record was cut off. */
	assert_int_equal(file_size(path), 2 * (HEADER_SIZE + 32));
	t = spool_take(sp, 10, 0);
	assert_ticket(t, 0, 2);
	assert_null(spool_take(sp, 10, 0));

	/* The spool goes on working. */
	append_small(sp, 10, 1);
	assert_ticket(spool_take(sp, 10, 0), 10, 1);
	spool_ack(sp, t);
	spool_free(sp);
	assert_restart_sends(f, 1, 0, 10);
}

static void
append_bytes(const char *path, const void *p, size_t n)
{
	int fd;

	assert_true((fd = open(path, O_WRONLY | O_APPEND)) != -1);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
}

static void
test_torn_tail_garbage(void **state)
{
	struct fixture *f = *state;
	char path[512];

	spool_on_disk(f, 2, path, sizeof(path));
	append_bytes(path, "garbage", 7);
	assert_restart_sends(f, 2, 1, 0);
}

/* A whole record whose payload does not match its checksum. */
static void
test_bad_checksum_at_tail(void **state)
{
	struct fixture *f = *state;
	char path[512], rec[HEADER_SIZE + 32];
	uint32_t h[4] = { 0, 32, 1, 0 };
	int fd;

	/* Copy the good record's magic, then break the checksum. */
	spool_on_disk(f, 1, path, sizeof(path));
	assert_true((fd = open(path, O_RDONLY)) != -1);
	assert_int_equal(read(fd, h, sizeof(uint32_t)), sizeof(uint32_t));
	close(fd);
	h[3] = 0xdeadbeef;
	memcpy(rec, h, HEADER_SIZE);
	make_doc(rec + HEADER_SIZE, 32, 1);
	append_bytes(path, rec, sizeof(rec));
	assert_restart_sends(f, 1, 1, 0);
}

/*
 * A corrupt record in an older segment (a bad disk) is skipped with the
 * rest of that segment; what comes before and after it is still sent.
 */
static void
test_corrupt_record_in_older_segment(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);
	struct spool_stats st;
	char path[512];
	int fd;

	append_small(sp, 0, 3);
	spool_free(sp);
	/* Reopened, the spool writes the next segment. */
	sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);
	append_small(sp, 3, 1);
	spool_free(sp);

	/* Flip a payload byte of the second record of segment 1. */
	segment_file(f, 1, path, sizeof(path));
	assert_true((fd = open(path, O_WRONLY)) != -1);
	assert_int_equal(pwrite(fd, "#", 1, HEADER_SIZE + 32 + HEADER_SIZE +
	    20), 1);
	close(fd);

	sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);
	take_and_ack(sp, 1, 0, 1);
	take_and_ack(sp, 10, 3, 1);
	assert_null(spool_take(sp, 10, 0));
	spool_get_stats(sp, &st);
	assert_int_equal(st.torn, 1);
	/* The skipped documents must not be waited for. */
	assert_true(spool_drained(sp));
	spool_free(sp);
}

/*
 * The checksum covers the payload, not the header: a record whose count
 * says more documents than its payload holds (a bit flipped on disk) is
 * corrupt too, never a ticket of billions of documents.
 */
static void
test_count_not_matching_payload(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_spool(f, 1024 * 1024, SPOOL_DROP_OLDEST);
	struct spool_ticket *t;
	struct spool_stats st;
	uint32_t lie = 0xcdcdcd04;
	char path[512];
	int fd;

	append_small(sp, 0, 3);
	spool_free(sp);
	sp = open_spool(f, 1024 * 1024, SPOOL_DROP_OLDEST);
	append_small(sp, 3, 1);
	spool_free(sp);

	/* The count of the second record of segment 1. */
	segment_file(f, 1, path, sizeof(path));
	assert_true((fd = open(path, O_WRONLY)) != -1);
	assert_int_equal(pwrite(fd, &lie, sizeof(lie), HEADER_SIZE + 32 + 8),
	    sizeof(lie));
	close(fd);

	sp = open_spool(f, 1024 * 1024, SPOOL_DROP_OLDEST);
	t = spool_take(sp, 1, 0);
	assert_ticket(t, 0, 1);
	spool_ack(sp, t);
	t = spool_take(sp, 10, 0);
	assert_ticket(t, 3, 1);
	spool_ack(sp, t);
	assert_null(spool_take(sp, 10, 0));
	spool_get_stats(sp, &st);
	assert_int_equal(st.torn, 1);
	assert_true(spool_drained(sp));
	spool_free(sp);
}

static void
test_drop_oldest_when_full(void **state)
{
	struct fixture *f = *state;
	/* Three segments of PER_SEGMENT big records. */
	uint64_t max = 3 * SPOOL_SEGMENT_MIN;
	struct spool *sp = open_full_spool(f, SPOOL_DROP_OLDEST);
	struct spool_ticket *t;
	struct spool_stats st;
	size_t n;
	int next;

	spool_get_stats(sp, &st);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.bytes, max);
	assert_int_equal(spool_take_unreported_drops(sp), 0);

	/* One more does not fit: the oldest segment goes. */
	assert_int_equal(append_docs(sp, 3 * PER_SEGMENT, 1, BIG_DOC), 0);
	spool_get_stats(sp, &st);
	assert_int_equal(st.appended, 3 * PER_SEGMENT + 1);
	assert_int_equal(st.dropped, PER_SEGMENT);
	assert_int_equal(st.pending, 2 * PER_SEGMENT + 1);
	assert_true(st.bytes <= max);
	assert_int_equal(spool_take_unreported_drops(sp), PER_SEGMENT);
	assert_int_equal(spool_take_unreported_drops(sp), 0);

	/* What is left is the newest, in order. */
	for (next = PER_SEGMENT; next <= 3 * PER_SEGMENT; next += (int)n) {
		t = spool_take(sp, 7, 0);
		assert_non_null(t);
		n = t->ndocs;
		assert_true(n >= 1 && n <= 7);
		assert_ticket(t, next, n);
		spool_ack(sp, t);
	}
	assert_null(spool_take(sp, 10, 0));
	assert_true(spool_drained(sp));
	spool_free(sp);
}

/* Documents taken are in flight, not dropped, when their segment goes. */
static void
test_drop_oldest_spares_taken(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_full_spool(f, SPOOL_DROP_OLDEST);
	struct spool_ticket *t;
	struct spool_stats st;

	t = spool_take(sp, 4, 0);
	assert_ticket(t, 0, 4);
	assert_int_equal(append_docs(sp, 3 * PER_SEGMENT, 1, BIG_DOC), 0);
	spool_get_stats(sp, &st);
	assert_int_equal(st.dropped, PER_SEGMENT - 4);
	assert_int_equal(spool_take_unreported_drops(sp), PER_SEGMENT - 4);
	spool_ack(sp, t);
	assert_ticket(spool_take(sp, 1, 0), PER_SEGMENT, 1);
	spool_free(sp);
}

/* One append from another thread, which may block. */
struct appender {
	struct call_probe probe;
	struct spool	*sp;
	int		 n;
};

static int
call_append(void *arg)
{
	struct appender *a = arg;

	return append_docs(a->sp, a->n, 1, BIG_DOC);
}

/* Start the append and return once it is about to enter the spool. */
static void
appender_start(struct appender *a, struct spool *sp, int n)
{
	a->sp = sp;
	a->n = n;
	probe_start(&a->probe, call_append, a);
}

static void
test_block_waits_for_ack(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_full_spool(f, SPOOL_BLOCK);
	struct spool_ticket *t;
	struct spool_stats st;
	struct appender a;

	appender_start(&a, sp, 3 * PER_SEGMENT);
	/* Full: the append waits, and nothing is dropped. */
	probe_assert_blocked(&a.probe);
	spool_get_stats(sp, &st);
	assert_int_equal(st.appended, 3 * PER_SEGMENT);
	assert_int_equal(st.dropped, 0);

	/* Taking is not enough: only acknowledging makes room. */
	t = spool_take(sp, PER_SEGMENT, 0);
	assert_ticket(t, 0, PER_SEGMENT);
	probe_assert_blocked(&a.probe);
	spool_ack(sp, t);
	probe_finish(&a.probe);
	assert_int_equal(a.probe.rc, 0);

	spool_get_stats(sp, &st);
	assert_int_equal(st.appended, 3 * PER_SEGMENT + 1);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(spool_take_unreported_drops(sp), 0);
	take_and_ack(sp, 3 * PER_SEGMENT, PER_SEGMENT, 2 * PER_SEGMENT + 1);
	spool_free(sp);
}

static void
test_block_abort_fails_waiting_append(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_full_spool(f, SPOOL_BLOCK);
	struct spool_stats st;
	struct appender a;

	appender_start(&a, sp, 3 * PER_SEGMENT);
	probe_assert_blocked(&a.probe);
	spool_abort(sp);
	probe_finish(&a.probe);
	assert_int_equal(a.probe.rc, -1);
	spool_get_stats(sp, &st);
	assert_int_equal(st.appended, 3 * PER_SEGMENT);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(spool_take_unreported_drops(sp), 1);
	assert_true(spool_finished(sp));
	assert_null(spool_take(sp, 10, 0));
	spool_free(sp);
}

/* A batch larger than the whole spool is refused at once, never waited on. */
static void
test_block_refuses_batch_larger_than_spool(void **state)
{
	struct fixture *f = *state;
	uint64_t max = 3 * SPOOL_SEGMENT_MIN;
	struct spool *sp = open_spool(f, max, SPOOL_BLOCK);
	struct spool_stats st;
	size_t ndocs = max / BIG_DOC + 1;

	assert_int_equal(append_docs(sp, 0, ndocs, BIG_DOC), -1);
	spool_get_stats(sp, &st);
	assert_int_equal(st.appended, 0);
	assert_int_equal(st.dropped, ndocs);
	assert_int_equal(spool_take_unreported_drops(sp), ndocs);
	/* And the spool still takes what fits. */
	append_small(sp, 0, 1);
	assert_ticket(spool_take(sp, 10, 0), 0, 1);
	spool_free(sp);
}

/* Record n of one small document, with the mark "mark-n" (7 bytes). */
static void
append_marked(struct spool *sp, int n)
{
	char doc[32], mark[16];

	make_doc(doc, sizeof(doc), n);
	snprintf(mark, sizeof(mark), "mark-%d", n);
	assert_int_equal(spool_append_marked(sp, doc, sizeof(doc), 1, mark,
	    strlen(mark)), 0);
}

static void
assert_last_mark(const struct fixture *f, const char *want)
{
	unsigned char buf[SPOOL_MARK_MAX];
	size_t n = spool_last_mark(f->dir, buf, sizeof(buf));

	if (n != strlen(want) || memcmp(buf, want, n) != 0)
		fail_msg("last mark %.*s (%zu bytes), want %s", (int)n,
		    (const char *)buf, n, want);
}

/*
 * Marked records among plain ones: takers see only the documents, and the
 * newest mark is found again after a restart, also when the newest record
 * has none and when the current segment is still empty.
 */
static void
test_marks_kept_with_documents(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);

	assert_last_mark(f, "");
	append_marked(sp, 0);
	append_small(sp, 1, 1);
	append_marked(sp, 2);
	append_small(sp, 3, 1);
	assert_ticket(spool_take(sp, 10, 0), 0, 4);
	spool_free(sp);
	assert_last_mark(f, "mark-2");
	/* Recovered (checksums and counts checked), the documents alone. */
	sp = reopen(f, 4, 0);
	assert_ticket(spool_take(sp, 10, 0), 0, 4);
	spool_free(sp);
	assert_last_mark(f, "mark-2");
}

/* A marked record torn by a crash: the mark before it counts. */
static void
test_torn_marked_record(void **state)
{
	struct fixture *f = *state;
	struct spool *sp = open_spool(f, SMALL_SPOOL, SPOOL_DROP_OLDEST);
	uint32_t h[4] = { 0, 2, 0, 0 };
	char path[512];

	append_marked(sp, 0);
	append_marked(sp, 1);
	spool_free(sp);
	segment_file(f, 1, path, sizeof(path));
	assert_int_equal(truncate(path, file_size(path) - 3), 0);
	assert_last_mark(f, "mark-0");
	/*
	 * A marked record, its checksum right, whose mark's length does not
	 * fit it: not a record.
	 */
	h[0] = 0x4d534541u;
	h[3] = (uint32_t)crc32(0L, (const Bytef *)"\xff\xff", 2);
	append_bytes(path, h, sizeof(h));
	append_bytes(path, "\xff\xff", 2);
	assert_last_mark(f, "mark-0");
	assert_restart_sends(f, 1, 1, 0);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_append_take_ack),
		T(test_restart_returns_unacknowledged),
		T(test_ack_point_persisted),
		T(test_restart_after_out_of_order_ack),
		T(test_torn_tail_truncated),
		T(test_torn_tail_garbage),
		T(test_bad_checksum_at_tail),
		T(test_corrupt_record_in_older_segment),
		T(test_count_not_matching_payload),
		T(test_drop_oldest_when_full),
		T(test_drop_oldest_spares_taken),
		T(test_block_waits_for_ack),
		T(test_block_abort_fails_waiting_append),
		T(test_block_refuses_batch_larger_than_spool),
		T(test_marks_kept_with_documents),
		T(test_torn_marked_record),
	};

	/* Torn records and drops are logged as warnings; keep syslog quiet. */
	log_set_level(LOG_LEVEL_ERROR);
	/* A spool that wrongly blocks for ever must fail the test, not hang. */
	alarm(120);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The spool's recovery and reader (outputs/spool.h): segment files as a
 * crash, a full disk or a bad disk leave them, with torn and corrupt
 * records and an ack file that may point anywhere.
 *
 * The input becomes a spool directory; the mark of its newest marked
 * record is looked for (spool_last_mark) and given to a serial tracker as
 * a restart would (seq_tracker_resume_mark), then the spool is opened on
 * it (which recovers it), every ticket is taken and acknowledged (a few are sent
 * back for a retry first), one batch (with a mark) is appended and read
 * back.  Then
 * the spool must be drained: documents that can never be taken must not
 * stay counted as pending, or a shutdown would wait for them in vain.
 *
 * Input: one byte of flags:
 *   bit 0: fix up the CRC-32 of every well-framed record (so that the
 *          fuzzer reaches what comes after the checksum);
 *   bit 1: an ack file comes first, up to a newline;
 *   bits 2-3: segments - 1;
 *   bit 4: policy block (else drop_oldest);
 *   bit 5: a spool of 4 KiB (else 64 MiB), which recovery may overfill;
 * then one byte: documents per ticket (1 + value); then the ack file, if
 * any; then the segments, each one byte (its number) and its bytes,
 * separated by "SEG\n".
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "harness.h"
#include "outputs/spool.h"
#include "parsers/seq_tracker.h"

#define HEADER_SIZE	16
#define MAX_SEGMENTS	4
#define MAX_TAKES	256

static volatile unsigned char sink;

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * Records as the spool frames them: magic (plain or marked), length,
 * count, CRC-32.
 */
static void
fix_checksums(uint8_t *seg, size_t n)
{
	size_t off = 0, len;

	while (off + HEADER_SIZE <= n && (get_u32(seg + off) == 0x52534541u ||
	    get_u32(seg + off) == 0x4d534541u)) {
		len = get_u32(seg + off + 4);
		if (len > n - off - HEADER_SIZE)
			break;
		put_u32(seg + off + 12, (uint32_t)crc32(0L,
		    seg + off + HEADER_SIZE, (uInt)len));
		off += HEADER_SIZE + len;
	}
}

static void
write_segment(const char *dir, uint8_t seq, const uint8_t *p, size_t n,
    int fix)
{
	char path[4200];
	uint8_t *copy;

	if ((copy = malloc(n + 1)) == NULL)
		abort();
	memcpy(copy, p, n);
	if (fix)
		fix_checksums(copy, n);
	snprintf(path, sizeof(path), "%s/%016x.seg", dir, 1u + seq);
	fuzz_write_file(path, copy, n);
	free(copy);
}

/* What a restart makes of the newest mark the directory holds. */
static void
resume_from_mark(const char *dir)
{
	static struct seq_tracker t;
	unsigned char mark[SPOOL_MARK_MAX];
	size_t n = spool_last_mark(dir, mark, sizeof(mark));

	if (n > sizeof(mark))
		abort();
	seq_tracker_init(&t);
	/* Serials seen just past the settled one settle too, never fewer. */
	if (seq_tracker_resume_mark(&t, mark, n, 1000) == 0 &&
	    seq_tracker_settled(&t) < seq_mark_settled(mark, n))
		abort();
}

static void
touch_ticket(const struct spool_ticket *t)
{
	struct sv *docs;
	size_t n, i, j;

	if ((docs = spool_ticket_docs(t, &n)) == NULL)
		return;		/* a made-up count too large to allocate */
	if (n > t->ndocs + 1)
		abort();
	for (i = 0; i < n; i++)
		for (j = 0; j < docs[i].n; j++)
			sink ^= (unsigned char)docs[i].p[j];
	free(docs);
}

/* Takes and acknowledges everything; every fourth ticket is retried once. */
static void
take_all(struct spool *sp, size_t max_docs)
{
	struct spool_ticket *t;
	int takes;

	for (takes = 0; takes < MAX_TAKES &&
	    (t = spool_take(sp, max_docs, 0)) != NULL; takes++) {
		touch_ticket(t);
		if (takes % 4 == 3 && t->id % 2 == 0)
			spool_retry(sp, t);
		else
			spool_ack(sp, t);
	}
	if (takes == MAX_TAKES)
		abort();	/* a ticket that keeps coming back */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_cursor in = { data, size };
	uint8_t flags = fuzz_byte(&in);
	size_t max_docs = 1 + (size_t)fuzz_byte(&in), nsegs, i, n;
	const char *dir = fuzz_scratch_dir();
	enum spool_policy policy = flags & 16 ? SPOOL_BLOCK : SPOOL_DROP_OLDEST;
	const uint8_t *p;
	struct spool *sp;
	char path[4200], err[512];

	fuzz_init();
	fuzz_empty_dir(dir);
	if (flags & 2) {
		n = fuzz_until(&in, "\n", &p);
		snprintf(path, sizeof(path), "%s/ack", dir);
		fuzz_write_file(path, p, n);
	}
	nsegs = 1 + ((flags >> 2) & 3);
	for (i = 0; i < nsegs && in.n > 0; i++) {
		uint8_t seq = fuzz_byte(&in);

		n = fuzz_until(&in, "SEG\n", &p);
		write_segment(dir, seq, p, n, flags & 1);
	}
	resume_from_mark(dir);
	if ((sp = spool_open(dir, flags & 32 ? 4096 : 64 << 20, policy, err,
	    sizeof(err))) == NULL)
		return 0;
	take_all(sp, max_docs);
	/* With block, a full spool would wait for acks nobody sends. */
	if (policy == SPOOL_DROP_OLDEST)
		(void)spool_append_marked(sp, "{\"a\":1}\n{\"b\":2}\n", 16, 2,
		    "mark", 4);
	take_all(sp, max_docs);
	if (!spool_drained(sp)) {
		struct spool_stats st;

		spool_get_stats(sp, &st);
		fprintf(stderr, "fuzz: spool not drained: %llu pending\n",
		    (unsigned long long)st.pending);
		abort();
	}
	spool_free(sp);
	fuzz_empty_dir(dir);
	return 0;
}

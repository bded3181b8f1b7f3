/* Reading auditd's log backwards for a gap's records; see log_scan.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/timeutil.h"
#include "log_scan.h"
#include "record_check.h"

#define CHUNK_DEFAULT	(1024 * 1024)

/* The matches of one chunk, kept until the scan ends (fed oldest first). */
struct found_chunk {
	struct found_chunk	*newer;	/* read before this one */
	size_t			 len;
	char			 text[];	/* lines, each with '\n' */
};

struct scan {
	unsigned long		 first, last;
	long long		 oldest_sec;	/* gap time - max_age */
	const struct log_scan_limits *lim;
	struct log_scan_result	*res;
	struct found_chunk	*oldest;	/* the chunk read last */
	long			 started_ms;
	size_t			 chunk;		/* bytes per read */
	int			 cut_tail;	/* the chunk's last line is cut */
	int			 passed;	/* below first: done */
};

/* Keep the bytes/s budget: sleep as long as the reading ran ahead. */
static void
pace(struct scan *sc)
{
	long elapsed = monotonic_ms() - sc->started_ms, due;
	struct timespec ts;

	if (sc->lim->rate <= 0)
		return;
	due = (long)(sc->res->bytes * 1000 / sc->lim->rate);
	if (due <= elapsed)
		return;
	ts.tv_sec = (due - elapsed) / 1000;
	ts.tv_nsec = (due - elapsed) % 1000 * 1000000L;
	nanosleep(&ts, NULL);
}

/* The seconds of "msg=audit(SEC.MS:SERIAL)" in a checked line. */
static long long
line_seconds(const char *line, size_t len)
{
	const char *p = memmem(line, len, "msg=audit(", 10);

	return p == NULL ? -1 : strtoll(p + 10, NULL, 10);
}

/*
 * The complete lines of text[0..len): matches appended to out.  Returns
 * 1 when the lines are all older than what we look for (at least one
 * record, none of the gap or after it), else 0.
 */
static int
scan_lines(struct scan *sc, const char *text, size_t len,
    struct found_chunk *out)
{
	const char *p = text, *end = text + len, *nl;
	struct record_header hdr;
	size_t records = 0, recent = 0, n;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (record_check(p, n, sc->lim->max_record_size, &hdr) !=
		    RECORD_OK || !hdr.has_serial ||
		    strncmp(hdr.type, "DAEMON_", 7) == 0)
			continue;
		records++;
		/* Serials start again at a reboot: old ones are no match. */
		if (hdr.serial < sc->first ||
		    line_seconds(p, n) < sc->oldest_sec)
			continue;
		recent++;
		if (hdr.serial > sc->last)
			continue;
		memcpy(out->text + out->len, p, n);
		out->text[out->len + n] = '\n';
		out->len += n + 1;
		sc->res->records++;
	}
	return records > 0 && recent == 0;
}

/*
 * The chunk of size bytes at start, followed by the carry bytes parked at
 * buf + chunk: the newer chunk's bytes up to its first newline, the end
 * of a line that starts in this one.
 */
static int
scan_chunk(struct scan *sc, int fd, off_t start, size_t size, char *buf,
    size_t *carry)
{
	struct found_chunk *fc;
	char *text = buf;
	size_t len, skip = 0;
	ssize_t got;

	memmove(buf + size, buf + sc->chunk, *carry);
	if ((got = pread(fd, buf, size, start)) != (ssize_t)size)
		return -1;
	sc->res->bytes += (long long)size;
	len = size + *carry;
	/*
	 * The file's last line may be one auditd is still writing; after a
	 * line too long to carry, what is left of it is no record either.
	 */
	if (sc->cut_tail) {
		while (len > 0 && buf[len - 1] != '\n')
			len--;
		/* No newline here: the cut line goes on in the older chunk. */
		sc->cut_tail = len == 0;
	}
	/* Unless at the file's start, the first line may be cut: keep it. */
	if (start > 0) {
		char *nl = memchr(buf, '\n', len);

		skip = nl == NULL ? len : (size_t)(nl - buf) + 1;
	}
	if ((fc = malloc(sizeof(*fc) + len - skip + 1)) == NULL)
		return -1;
	fc->len = 0;
	if (scan_lines(sc, text + skip, len - skip, fc))
		sc->passed = 1;
	if (fc->len > 0) {
		fc->newer = sc->oldest;
		sc->oldest = fc;
	} else
		free(fc);
	/* The cut line goes before the next (older) chunk's end. */
	*carry = skip <= sc->lim->max_record_size + 1 ? skip : 0;
	if (skip > sc->lim->max_record_size + 1)
		sc->cut_tail = 1;
	memmove(buf + sc->chunk, buf, *carry);
	return 0;
}

static int
scan_file(struct scan *sc, const char *path)
{
	struct stat st;
	char *buf;
	off_t end;
	size_t carry = 0, size;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	sc->cut_tail = 1;
	if (fstat(fd, &st) == -1 ||
	    (buf = malloc(2 * sc->chunk + sc->lim->max_record_size + 2)) ==
	    NULL) {
		close(fd);
		return -1;
	}
	for (end = st.st_size; end > 0 && !sc->passed; end -= (off_t)size) {
		if (sc->res->bytes >= sc->lim->max_bytes)
			break;
		size = end > (off_t)sc->chunk ? sc->chunk : (size_t)end;
		if ((rc = scan_chunk(sc, fd, end - (off_t)size, size, buf,
		    &carry)) == -1)
			break;
		pace(sc);
	}
	free(buf);
	close(fd);
	return rc;
}

/* What was found, oldest first; the chunks are freed. */
static void
hand_on(struct scan *sc, log_scan_fn *fn, void *ctx)
{
	struct found_chunk *fc, *next;
	struct record_header hdr;
	const char *p, *nl;

	for (fc = sc->oldest; fc != NULL; fc = next) {
		next = fc->newer;
		for (p = fc->text; p < fc->text + fc->len; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(fc->text + fc->len - p));
			(void)record_check(p, (size_t)(nl - p),
			    sc->lim->max_record_size, &hdr);
			fn(ctx, p, (size_t)(nl - p), hdr.serial);
		}
		free(fc);
	}
}

int
log_scan(const char *path, unsigned long first, unsigned long last,
    unsigned long sec, const struct log_scan_limits *lim, log_scan_fn *fn,
    void *ctx, struct log_scan_result *res)
{
	struct scan sc;
	char rotated[4096];
	int i, rc = 0;

	memset(res, 0, sizeof(*res));
	memset(&sc, 0, sizeof(sc));
	sc.first = first;
	sc.last = last;
	sc.oldest_sec = (long long)sec - lim->max_age;
	sc.lim = lim;
	sc.res = res;
	sc.started_ms = monotonic_ms();
	sc.chunk = lim->chunk > 0 ? lim->chunk : CHUNK_DEFAULT;
	if (scan_file(&sc, path) == -1 && sc.oldest == NULL &&
	    res->bytes == 0)
		rc = -1;
	for (i = 1; rc == 0 && !sc.passed && i <= lim->max_files &&
	    res->bytes < lim->max_bytes; i++) {
		if (snprintf(rotated, sizeof(rotated), "%s.%d", path, i) >=
		    (int)sizeof(rotated) || scan_file(&sc, rotated) == -1)
			break;
	}
	res->complete = sc.passed;
	hand_on(&sc, fn, ctx);
	return rc;
}

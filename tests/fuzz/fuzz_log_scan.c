/*
 * Reading auditd's log backwards for a gap's records (parsers/log_scan.h):
 * any bytes as the log, read in chunks small enough that lines straddle
 * them, looked through for a range of serials.
 *
 * Input: one byte, the chunk size (16 + value); one byte, the first
 * serial wanted (its value), the range being 32 serials; then the log.
 * Every line handed on must be a whole line of the log (ended by its
 * newline: the last one may be being written) that record_check accepts,
 * with a serial of the range, and they must come in log order.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parsers/log_scan.h"
#include "parsers/record_check.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__,	\
		    #cond);						\
		abort();						\
	}								\
} while (0)

#define MAX_RECORD	512

struct order {
	const char	*log;		/* the file's bytes */
	size_t		 len;
	size_t		 at;		/* after the last line handed on */
	unsigned long	 first, last;
};

static void
take(void *ctx, const char *line, size_t len, unsigned long serial)
{
	struct order *o = ctx;
	struct record_header hdr;
	const char *p;

	CHECK(memchr(line, '\n', len) == NULL);
	CHECK(record_check(line, len, MAX_RECORD, &hdr) == RECORD_OK);
	CHECK(hdr.has_serial && hdr.serial == serial);
	CHECK(serial >= o->first && serial <= o->last);
	/* A whole line of the log, after the one before. */
	for (p = o->log + o->at; p + len <= o->log + o->len; p++)
		if ((p == o->log || p[-1] == '\n') && memcmp(p, line, len) == 0 &&
		    p + len < o->log + o->len && p[len] == '\n')
			break;
	CHECK(p + len < o->log + o->len);
	o->at = (size_t)(p - o->log) + len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_cursor in = { data, size };
	struct log_scan_limits lim = {
		.max_bytes = 1 << 20, .rate = 0, .max_age = 1L << 40,
		.max_files = 0, .max_record_size = MAX_RECORD,
	};
	struct log_scan_result res;
	struct order o;
	char path[4096];

	fuzz_init();
	lim.chunk = 16 + fuzz_byte(&in);
	memset(&o, 0, sizeof(o));
	o.first = fuzz_byte(&in);
	o.last = o.first + 31;
	o.log = (const char *)in.p;
	o.len = in.n;
	snprintf(path, sizeof(path), "%s/audit.log", fuzz_scratch_dir());
	fuzz_write_file(path, in.p, in.n);
	CHECK(log_scan(path, o.first, o.last, 1UL << 40, &lim, take, &o,
	    &res) == 0);
	CHECK(res.bytes <= (long long)in.n);
	return 0;
}

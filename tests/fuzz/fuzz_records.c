/*
 * The record path: raw audit log bytes, cut into lines as the parser
 * thread cuts them (parsers/line_split.h), checked and reassembled
 * (parsers/reassembly.h, libauparse) into ECS documents, each of which
 * must be one JSON object Elasticsearch takes (fuzz_check_document) with
 * an @timestamp of the form 2026-01-31T12:34:56.789Z.
 *
 * Input: one byte of options, then the log.
 *   bit 0: auditd.include_raw_message
 *   bit 1: auditd.resolve_ids
 *   bit 2: auditd.args_max_bytes = 100 (else unlimited)
 *   bit 3: input.max_record_size = 512 (else the default, 65536)
 *   bits 4-7: k; the log arrives in chunks of 7 * k bytes (k = 0: whole),
 *   so that lines straddle chunk boundaries as they do from auditd.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parsers/line_split.h"
#include "parsers/reassembly.h"

/*
 * Every line goes in, CWD records with several cwd fields included:
 * libauparse 3.0.9 leaks on those, and the reassembly renames the extra
 * fields before it sees them (parsers/auparse_quirks.h), so the leak
 * check watches that too.
 */
static void
feed(void *arg, const char *line, size_t len, size_t full_len)
{
	static unsigned long lineno;

	reassembly_feed_line(arg, line, len, full_len, "fuzz", ++lineno);
}

/* "@timestamp":"YYYY-MM-DDTHH:MM:SS.mmmZ", which every document has. */
static void
check_timestamp(const char *doc, size_t len)
{
	static const char key[] = "\"@timestamp\":\"";
	static const char form[] = "dddd-dd-ddTdd:dd:dd.dddZ\"";
	const char *p = memmem(doc, len, key, sizeof(key) - 1);
	size_t i;

	if (p == NULL)
		goto bad;
	p += sizeof(key) - 1;
	if ((size_t)(doc + len - p) < sizeof(form) - 1)
		goto bad;
	for (i = 0; i < sizeof(form) - 1; i++)
		if (form[i] == 'd' ? p[i] < '0' || p[i] > '9' : p[i] != form[i])
			goto bad;
	return;
bad:
	fprintf(stderr, "fuzz: no valid @timestamp:\n%.*s\n", (int)len, doc);
	abort();
}

/* Every document of the batch, one per line, must pass the checks. */
static void
check_batch(struct reassembly *r)
{
	struct batch b;
	const char *p, *end, *nl;
	size_t ndocs = 0;

	if (!reassembly_take_batch(r, &b))
		return;
	for (p = b.buf, end = b.buf + b.len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			abort();	/* every document ends with a newline */
		fuzz_check_document(p, (size_t)(nl - p));
		check_timestamp(p, (size_t)(nl - p));
		ndocs++;
	}
	if (ndocs != b.ndocs)
		abort();
	free(b.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reassembly_options ro;
	struct line_split ls;
	struct reassembly *r;
	struct fuzz_cursor in = { data, size };
	uint8_t opt = fuzz_byte(&in);
	size_t chunk = (size_t)(opt >> 4) * 7, n;

	fuzz_init();
	memset(&ro, 0, sizeof(ro));
	ro.eoe_timeout = 2;
	ro.max_record_size = opt & 8 ? 512 : 65536;
	ro.ecs.include_raw_message = opt & 1;
	ro.ecs.resolve_ids = (opt & 2) != 0;
	ro.ecs.args_max_bytes = opt & 4 ? 100 : 0;
	if ((r = reassembly_new(&ro)) == NULL)
		abort();
	line_split_init(&ls, ro.max_record_size, feed, r);
	while (in.n > 0) {
		n = chunk == 0 || chunk > in.n ? in.n : chunk;
		line_split_feed(&ls, (const char *)in.p, n);
		in.p += n;
		in.n -= n;
		if (reassembly_pending_bytes(r) >= 256 * 1024)
			check_batch(r);
	}
	line_split_finish(&ls);
	reassembly_flush(r);
	check_batch(r);
	line_split_release(&ls);
	reassembly_free(r);
	return 0;
}

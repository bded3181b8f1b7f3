/*
 * auparse-loop: bare libauparse reference loop for the benchmark.
 *
 * Reads raw audit records (text lines, as auditd hands them to a plugin)
 * from the files named on the command line, or stdin, and feeds them to
 * libauparse in feed mode. For every completed event it visits every
 * record and every field and fetches the raw field string, so the work
 * done is a floor for any consumer built on auparse: whatever audisp-ecs
 * spends on top of this is the cost of its own mapping and JSON output.
 *
 * Prints the number of events to stderr (stdout stays free so the loop
 * can be timed with its output discarded).
 *
 * Build: cc -O2 -std=c11 -Wall -Wextra auparse-loop.c -o auparse-loop \
 *           $(pkg-config --cflags --libs auparse)
 */
#include <auparse.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Big reads: auparse_feed copies into its own buffer anyway, so the
 * chunk size only needs to be large enough to make read() overhead
 * negligible. */
#define CHUNK (1024 * 1024)

struct stats {
	unsigned long long events;
	unsigned long long records;
	unsigned long long fields;
	/* Sum of field value lengths: consumes each get_field_str() result
	 * so the walk is real work and doubles as a cheap sanity figure. */
	unsigned long long bytes;
};

static void on_event(auparse_state_t *au, auparse_cb_event_t type, void *data)
{
	struct stats *st = data;

	if (type != AUPARSE_CB_EVENT_READY)
		return;
	st->events++;
	if (auparse_first_record(au) <= 0)
		return;
	do {
		st->records++;
		if (auparse_first_field(au) <= 0)
			continue;
		do {
			const char *v = auparse_get_field_str(au);
			st->fields++;
			if (v)
				st->bytes += strlen(v);
		} while (auparse_next_field(au) > 0);
	} while (auparse_next_record(au) > 0);
}

/* Feed one stream to the parser in CHUNK-sized pieces. Returns 0 on
 * success, -1 on a read or feed error (already reported). */
static int feed_stream(auparse_state_t *au, FILE *f, const char *name, char *buf)
{
	size_t n;

	while ((n = fread(buf, 1, CHUNK, f)) > 0) {
		if (auparse_feed(au, buf, n) < 0) {
			fprintf(stderr, "auparse-loop: auparse_feed failed on %s\n", name);
			return -1;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "auparse-loop: read %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct stats st = {0};
	auparse_state_t *au;
	char *buf;
	int rc = 0;

	buf = malloc(CHUNK);
	au = auparse_init(AUSOURCE_FEED, NULL);
	if (!buf || !au) {
		fprintf(stderr, "auparse-loop: initialisation failed\n");
		return 1;
	}
	auparse_add_callback(au, on_event, &st, NULL);

	if (argc < 2) {
		rc = feed_stream(au, stdin, "<stdin>", buf);
	} else {
		for (int i = 1; i < argc && rc == 0; i++) {
			FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "rb") : stdin;
			if (!f) {
				fprintf(stderr, "auparse-loop: open %s: %s\n", argv[i], strerror(errno));
				rc = -1;
				break;
			}
			rc = feed_stream(au, f, argv[i], buf);
			if (f != stdin)
				fclose(f);
		}
	}

	/* Events without an EOE (or still waiting for one) are only handed
	 * out when the feed is flushed. */
	auparse_flush_feed(au);
	auparse_destroy(au);
	free(buf);

	/* First number on the line is the event count (the bench script
	 * reads it); the rest is for eyeballing. */
	fprintf(stderr, "auparse-loop: %llu events, %llu records, %llu fields, %llu value bytes\n",
		st.events, st.records, st.fields, st.bytes);
	return rc ? 1 : 0;
}

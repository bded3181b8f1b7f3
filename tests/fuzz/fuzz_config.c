/*
 * The configuration loader (plugin/conf.h), from a file as the plugin
 * reads it: the input is written to a file of mode 0600 and loaded.
 *
 * A file that loads must give settings within the ranges the schema
 * documents.  When it has drop_event rules, a few fixed events are run
 * through a reassembly with that filter, so that the rules are used as
 * well as parsed.
 *
 * Inputs with an @include directive are skipped: libconfig would read
 * whatever file the fuzzer names (/dev/zero), which says nothing about
 * our loader.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parsers/reassembly.h"
#include "plugin/conf.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__,	\
		    #cond);						\
		abort();						\
	}								\
} while (0)

/* An exec, a failed open and a login, for the drop_event rules. */
static const char events[] =
    "type=SYSCALL msg=audit(1795300644.202:288): arch=c000003e syscall=59 "
    "success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=5894 pid=5896 "
    "auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
    "tty=(none) ses=4 comm=\"useradd\" exe=\"/usr/sbin/useradd\" "
    "key=\"exec\"\n"
    "type=EXECVE msg=audit(1795300644.202:288): argc=2 a0=\"useradd\" "
    "a1=\"alice\"\n"
    "type=EOE msg=audit(1795300644.202:288):\n"
    "type=SYSCALL msg=audit(1795300644.202:289): arch=c000003e syscall=257 "
    "success=no exit=-13 a0=ffffff9c a1=1 a2=0 a3=0 items=1 ppid=1 pid=7 "
    "auid=4294967295 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 "
    "egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=2 comm=\"cat\" "
    "exe=\"/usr/bin/cat\" key=\"access\"\n"
    "type=PATH msg=audit(1795300644.202:289): item=0 name=\"/etc/shadow\" "
    "inode=1 dev=fe:00 mode=0100640 ouid=0 ogid=42 rdev=00:00 "
    "nametype=NORMAL\n"
    "type=EOE msg=audit(1795300644.202:289):\n"
    "type=USER_LOGIN msg=audit(1795300645.000:290): pid=9 uid=0 "
    "auid=1000 ses=3 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" "
    "hostname=? addr=10.0.0.1 terminal=ssh res=success'\n";

static void
check_ranges(const struct config *cfg)
{
	CHECK(cfg->eoe_timeout >= 1 && cfg->eoe_timeout <= 60);
	CHECK(cfg->max_record_size >= 8192 &&
	    cfg->max_record_size <= 16L << 20);
	CHECK(cfg->input_buffer_size >= 65536);
	CHECK(cfg->queue_events >= 64);
	CHECK(cfg->spool.max_size >= 1L << 20);
	CHECK(cfg->args_max_bytes >= 0);
	CHECK(cfg->data_dir != NULL);
	if (cfg->file_output != NULL) {
		CHECK(cfg->file_output->path != NULL);
		CHECK(cfg->file_output->number_of_files >= 2 &&
		    cfg->file_output->number_of_files <= 1024);
		CHECK((cfg->file_output->permissions & 07) == 0);
	}
	if (cfg->logstash != NULL) {
		CHECK(cfg->logstash->hosts.count >= 1);
		CHECK(cfg->logstash->compression_level >= 0 &&
		    cfg->logstash->compression_level <= 9);
		CHECK(cfg->logstash->backoff_init_ms <=
		    cfg->logstash->backoff_max_ms);
	}
	if (cfg->elasticsearch != NULL) {
		CHECK(cfg->elasticsearch->hosts.count >= 1);
		CHECK(cfg->elasticsearch->compression_level >= 0 &&
		    cfg->elasticsearch->compression_level <= 9);
		CHECK(cfg->elasticsearch->backoff_init_ms <=
		    cfg->elasticsearch->backoff_max_ms);
		CHECK(cfg->elasticsearch->index != NULL);
	}
}

static void
feed(struct reassembly *r)
{
	const char *p = events, *nl;
	unsigned long lineno = 0;

	while ((nl = strchr(p, '\n')) != NULL) {
		reassembly_feed_line(r, p, (size_t)(nl - p), (size_t)(nl - p),
		    "fuzz", ++lineno);
		p = nl + 1;
	}
}

static void
apply_filter(const struct config *cfg)
{
	struct reassembly_options ro;
	struct reassembly *r;
	struct batch b;
	const char *p, *nl;

	memset(&ro, 0, sizeof(ro));
	ro.eoe_timeout = (int)cfg->eoe_timeout;
	ro.max_record_size = (size_t)cfg->max_record_size;
	ro.drop = &cfg->drop_event;
	if ((r = reassembly_new(&ro)) == NULL)
		abort();
	feed(r);
	reassembly_flush(r);
	if (reassembly_take_batch(r, &b)) {
		for (p = b.buf; (nl = memchr(p, '\n',
		    (size_t)(b.buf + b.len - p))) != NULL; p = nl + 1)
			fuzz_check_document(p, (size_t)(nl - p));
		free(b.buf);
	}
	reassembly_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[4200];
	static FILE *errors;
	struct config *cfg;

	fuzz_init();
	if (memmem(data, size, "@include", 8) != NULL)
		return -1;	/* not kept in the corpus */
	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "%s/fuzz.conf",
		    fuzz_scratch_dir());
		if ((errors = fopen("/dev/null", "we")) == NULL)
			abort();
	}
	fuzz_write_file(path, data, size);
	if ((cfg = config_load(path, errors)) == NULL)
		return 0;
	check_ranges(cfg);
	if (cfg->drop_event.count > 0)
		apply_filter(cfg);
	config_free(cfg);
	return 0;
}

/*
 * Unit tests for the reassembly of record lines into ECS documents
 * (parsers/reassembly.h).  The records are real ones, copied from
 * ../shared/corpus/diverse.log (auditd 3.0.9, ENRICHED format: the part
 * after 0x1D holds the names auditd resolved).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/reassembly.h"

#define NLINES(a)	(sizeof(a) / sizeof((a)[0]))

/* useradd's execve: SYSCALL, BPRM_FCAPS, EXECVE, CWD, 2 PATH, PROCTITLE, EOE */
static const char *const exec_event[] = {
	"type=SYSCALL msg=audit(1795300644.202:288): arch=c000003e "
	    "syscall=59 success=yes exit=0 a0=5610b47c56f0 a1=5610b47c54a0 "
	    "a2=5610b47c4e30 a3=dfe31c014d44e852 items=2 ppid=5894 "
	    "pid=5896 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
	    "egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
	    "comm=\"useradd\" exe=\"/usr/sbin/useradd\" key=\"exec\"\x1d"
	    "ARCH=x86_64 SYSCALL=execve AUID=\"unset\" UID=\"root\" "
	    "GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" "
	    "EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
	"type=BPRM_FCAPS msg=audit(1795300644.202:288): fver=0 fp=0 "
	    "fi=0 fe=0 old_pp=000001fffeffffff old_pi=0 "
	    "old_pe=000001fffeffffff old_pa=0 pp=000001fffeffffff pi=0 "
	    "pe=000001fffeffffff pa=0 frootid=0",
	"type=EXECVE msg=audit(1795300644.202:288): argc=7 "
	    "a0=\"useradd\" a1=\"-m\" a2=\"-u\" a3=\"1501\" a4=\"-G\" "
	    "a5=\"auditors\" a6=\"alice\"",
	"type=CWD msg=audit(1795300644.202:288): cwd=\"/work/steering\"",
	"type=PATH msg=audit(1795300644.202:288): item=0 "
	    "name=\"/usr/sbin/useradd\" inode=338156 dev=fe:00 "
	    "mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL "
	    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\x1d"
	    "OUID=\"root\" OGID=\"root\"",
	"type=PATH msg=audit(1795300644.202:288): item=1 "
	    "name=\"/lib64/ld-linux-x86-64.so.2\" inode=332383 dev=fe:00 "
	    "mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL "
	    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\x1d"
	    "OUID=\"root\" OGID=\"root\"",
	"type=PROCTITLE msg=audit(1795300644.202:288): "
	    "proctitle=75736572616464002D6D002D750031353031002D4700"
	    "61756469746F727300616C696365",
	"type=EOE msg=audit(1795300644.202:288):",
};

/* useradd opening /etc/group: SYSCALL, CWD, PATH, PROCTITLE, EOE */
static const char *const openat_event[] = {
	"type=SYSCALL msg=audit(1795300644.202:289): arch=c000003e "
	    "syscall=257 success=yes exit=5 a0=ffffff9c a1=55ba53786a00 "
	    "a2=20902 a3=0 items=1 ppid=5894 pid=5896 auid=4294967295 "
	    "uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
	    "tty=(none) ses=4294967295 comm=\"useradd\" "
	    "exe=\"/usr/sbin/useradd\" key=\"identity\"\x1d"
	    "ARCH=x86_64 SYSCALL=openat AUID=\"unset\" UID=\"root\" "
	    "GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" "
	    "EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
	"type=CWD msg=audit(1795300644.202:289): cwd=\"/work/steering\"",
	"type=PATH msg=audit(1795300644.202:289): item=0 "
	    "name=\"/etc/group\" inode=409607 dev=fe:00 mode=0100644 "
	    "ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 "
	    "cap_fe=0 cap_fver=0 cap_frootid=0\x1d"
	    "OUID=\"root\" OGID=\"root\"",
	"type=PROCTITLE msg=audit(1795300644.202:289): "
	    "proctitle=75736572616464002D6D002D750031353031002D4700"
	    "61756469746F727300616C696365",
	"type=EOE msg=audit(1795300644.202:289):",
};

/*
 * setpriv setting the login uid: auparse hands the LOGIN over alone, the
 * SYSCALL and PROCTITLE of the same serial follow.
 */
static const char *const login_event[] = {
	"type=LOGIN msg=audit(1795300644.246:327): pid=5910 uid=0 "
	    "old-auid=4294967295 auid=1501 tty=(none) old-ses=4294967295 "
	    "ses=1 res=1\x1d"
	    "UID=\"root\" OLD-AUID=\"unset\" AUID=\"alice\"",
	"type=SYSCALL msg=audit(1795300644.246:327): arch=c000003e "
	    "syscall=1 success=yes exit=5 a0=1 a1=5610b47c2570 a2=5 a3=0 "
	    "items=0 ppid=5894 pid=5910 auid=1501 uid=0 gid=0 euid=0 "
	    "suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 "
	    "comm=\"bash\" exe=\"/usr/bin/bash\" key=(null)\x1d"
	    "ARCH=x86_64 SYSCALL=write AUID=\"alice\" UID=\"root\" "
	    "GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" "
	    "EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
	("type=PROCTITLE msg=audit(1795300644.246:327): "
	    "proctitle=6261736800746F6F6C732F776F726B2D646976657273652E7368"),
	"type=EOE msg=audit(1795300644.246:327):",
};

struct fixture {
	struct reassembly	*r;
	unsigned long		 lineno;
	struct batch		 batch;
	json_object		*docs[8];
	size_t			 ndocs;
};

static int
setup(void **state)
{
	struct reassembly_options opts = {	/* replay */
		.live = 0, .eoe_timeout = 2, .max_record_size = 65536,
		.ecs = { .resolve_ids = 1 },
	};
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->r = reassembly_new(&opts);
	assert_non_null(f->r);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < f->ndocs; i++)
		json_object_put(f->docs[i]);
	free(f->batch.buf);
	reassembly_free(f->r);
	free(f);
	return 0;
}

static void
feed(struct fixture *f, const char *line)
{
	size_t len = strlen(line);

	reassembly_feed_line(f->r, line, len, len, "test", ++f->lineno);
}

static void
feed_lines(struct fixture *f, const char *const *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		feed(f, lines[i]);
}

/* One document: the whole line must be exactly one JSON value. */
static json_object *
parse_line(const char *p, size_t n)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *obj;

	assert_non_null(tok);
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, p, (int)n);
	if (json_tokener_get_error(tok) != json_tokener_success)
		fail_msg("not valid JSON: %s: %.*s",
		    json_tokener_error_desc(json_tokener_get_error(tok)),
		    (int)n, p);
	assert_int_equal(json_tokener_get_parse_end(tok), n);
	json_tokener_free(tok);
	return obj;
}

/*
 * Flushes, takes the batch and parses it: every document must be one
 * line of valid JSON holding one object, and there must be ndocs of them.
 */
static void
take_documents(struct fixture *f, size_t want_docs)
{
	const char *p, *end, *nl;
	json_object *obj;

	reassembly_flush(f->r);
	assert_int_equal(reassembly_take_batch(f->r, &f->batch), 1);
	assert_int_equal(f->batch.ndocs, want_docs);
	assert_true(f->batch.len > 0);
	assert_int_equal(f->batch.buf[f->batch.len - 1], '\n');
	p = f->batch.buf;
	end = f->batch.buf + f->batch.len;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(nl);
		assert_true(f->ndocs < NLINES(f->docs));
		obj = parse_line(p, (size_t)(nl - p));
		assert_true(json_object_is_type(obj, json_type_object));
		f->docs[f->ndocs++] = obj;
		p = nl + 1;
	}
	assert_int_equal(f->ndocs, want_docs);
	/* Everything was taken. */
	assert_int_equal(reassembly_pending_bytes(f->r), 0);
}

/* The one document of the n lines of an event, fed and taken. */
static json_object *
one_document(struct fixture *f, const char *const *lines, size_t n)
{
	feed_lines(f, lines, n);
	take_documents(f, 1);
	return f->docs[0];
}

/* The value at a dotted path such as "event.action", or NULL. */
static json_object *
get(json_object *doc, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (doc != NULL && (dot = strchr(path, '.')) != NULL) {
		n = (size_t)(dot - path);
		assert_true(n < sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(doc, key, &doc))
			return NULL;
		path = dot + 1;
	}
	if (doc == NULL || !json_object_object_get_ex(doc, path, &doc))
		return NULL;
	return doc;
}

static void
assert_string_field(json_object *doc, const char *path, const char *want)
{
	json_object *v = get(doc, path);

	if (v == NULL || !json_object_is_type(v, json_type_string))
		fail_msg("%s: not a string in %s", path,
		    json_object_to_json_string(doc));
	assert_string_equal(json_object_get_string(v), want);
}

static void
assert_int_field(json_object *doc, const char *path, int64_t want)
{
	json_object *v = get(doc, path);

	if (v == NULL || !json_object_is_type(v, json_type_int))
		fail_msg("%s: not a number in %s", path,
		    json_object_to_json_string(doc));
	assert_int_equal(json_object_get_int64(v), want);
}

/* An array of strings, given as "a|b|c". */
static void
assert_strings_field(json_object *doc, const char *path, const char *want)
{
	json_object *v = get(doc, path);
	char got[512];
	size_t i, len = 0;

	if (v == NULL || !json_object_is_type(v, json_type_array))
		fail_msg("%s: not an array in %s", path,
		    json_object_to_json_string(doc));
	got[0] = '\0';
	for (i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);

		assert_true(json_object_is_type(e, json_type_string));
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s",
		    i ? "|" : "", json_object_get_string(e));
		assert_true(len < sizeof(got));
	}
	assert_string_equal(got, want);
}

static void
get_stats(struct fixture *f, struct reassembly_stats *s)
{
	reassembly_get_stats(f->r, s);
}

static void
test_nothing_fed_nothing_to_take(void **state)
{
	struct fixture *f = *state;
	struct reassembly_stats s;

	reassembly_flush(f->r);
	assert_int_equal(reassembly_take_batch(f->r, &f->batch), 0);
	get_stats(f, &s);
	assert_int_equal(s.records, 0);
	assert_int_equal(s.events, 0);
}

static void
test_openat_event_one_document(void **state)
{
	struct fixture *f = *state;
	struct reassembly_stats s;
	json_object *doc;

	doc = one_document(f, openat_event, NLINES(openat_event));
	assert_string_field(doc, "@timestamp", "2026-11-21T22:37:24.202Z");
	assert_string_field(doc, "event.action", "opened-file");
	assert_strings_field(doc, "event.category", "file");
	assert_strings_field(doc, "event.type", "info");
	assert_string_field(doc, "event.outcome", "success");
	assert_int_field(doc, "event.sequence", 289);
	assert_int_field(doc, "auditd.sequence", 289);
	assert_string_field(doc, "auditd.data.syscall", "openat");
	assert_string_field(doc, "file.path", "/etc/group");
	assert_string_field(doc, "process.working_directory",
	    "/work/steering");
	assert_string_field(doc, "process.title",
	    "useradd -m -u 1501 -G auditors alice");
	assert_int_field(doc, "process.pid", 5896);
	assert_string_field(doc, "user.name", "root");
	assert_strings_field(doc, "tags", "identity");
	/* An openat has no EXECVE record: no argument list is made up. */
	assert_null(get(doc, "process.args"));

	get_stats(f, &s);
	assert_int_equal(s.records, 5);
	assert_int_equal(s.rejected, 0);
	assert_int_equal(s.events, 1);
	assert_int_equal(s.failed, 0);
}

static void
test_execve_event_args(void **state)
{
	struct fixture *f = *state;
	json_object *doc;

	doc = one_document(f, exec_event, NLINES(exec_event));
	assert_string_field(doc, "event.action", "executed");
	assert_strings_field(doc, "event.category", "process");
	assert_strings_field(doc, "event.type", "start");
	assert_int_field(doc, "auditd.sequence", 288);
	assert_strings_field(doc, "process.args",
	    "useradd|-m|-u|1501|-G|auditors|alice");
	assert_int_field(doc, "process.args_count", 7);
	assert_string_field(doc, "process.executable", "/usr/sbin/useradd");
	assert_strings_field(doc, "tags", "exec");
}

static void
test_events_in_order_one_line_each(void **state)
{
	struct fixture *f = *state;

	feed_lines(f, exec_event, NLINES(exec_event));
	feed_lines(f, openat_event, NLINES(openat_event));
	take_documents(f, 2);
	assert_int_field(f->docs[0], "auditd.sequence", 288);
	assert_int_field(f->docs[1], "auditd.sequence", 289);
}

static void
test_documents_available_before_flush(void **state)
{
	struct fixture *f = *state;
	struct batch other;

	/* The EOE completes the event: no flush needed to get it. */
	feed_lines(f, openat_event, NLINES(openat_event));
	assert_true(reassembly_pending_bytes(f->r) > 0);
	assert_int_equal(reassembly_take_batch(f->r, &f->batch), 1);
	assert_int_equal(f->batch.ndocs, 1);
	assert_int_equal(f->batch.buf[f->batch.len - 1], '\n');
	/* Taken: the next take has nothing. */
	assert_int_equal(reassembly_take_batch(f->r, &other), 0);
	assert_int_equal(reassembly_pending_bytes(f->r), 0);
}

static void
test_login_and_its_syscall_one_document(void **state)
{
	struct fixture *f = *state;
	struct reassembly_stats s;
	json_object *doc;

	doc = one_document(f, login_event, NLINES(login_event));
	assert_string_field(doc, "event.action", "changed-login-id-to");
	assert_string_field(doc, "auditd.message_type", "login");
	assert_int_field(doc, "auditd.sequence", 327);
	/* From the LOGIN record ... */
	assert_string_field(doc, "user.audit.id", "1501");
	assert_string_field(doc, "user.audit.name", "alice");
	assert_string_field(doc, "auditd.data.old-auid", "4294967295");
	/* ... and from the SYSCALL and PROCTITLE of the same serial. */
	assert_string_field(doc, "auditd.data.syscall", "write");
	assert_string_field(doc, "process.executable", "/usr/bin/bash");
	assert_string_field(doc, "process.title", "bash tools/work-diverse.sh");
	get_stats(f, &s);
	assert_int_equal(s.events, 1);
}

static void
test_login_alone_still_written(void **state)
{
	struct fixture *f = *state;

	/* A LOGIN whose SYSCALL never comes is written alone at the end. */
	feed(f, login_event[0]);
	take_documents(f, 1);
	assert_string_field(f->docs[0], "event.action", "changed-login-id-to");
	assert_int_field(f->docs[0], "auditd.sequence", 327);
	assert_string_field(f->docs[0], "user.audit.name", "alice");
}

static void
test_garbage_between_events_rejected(void **state)
{
	struct fixture *f = *state;
	struct reassembly_stats s;

	feed_lines(f, exec_event, NLINES(exec_event));
	feed(f, "this is not an audit record");
	feed_lines(f, openat_event, NLINES(openat_event));
	take_documents(f, 2);
	assert_int_field(f->docs[0], "auditd.sequence", 288);
	assert_string_field(f->docs[0], "event.action", "executed");
	assert_int_field(f->docs[1], "auditd.sequence", 289);
	assert_string_field(f->docs[1], "event.action", "opened-file");
	get_stats(f, &s);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(s.records, NLINES(exec_event) + NLINES(openat_event));
	assert_int_equal(s.events, 2);
}

static void
test_bad_lines_of_every_kind_rejected(void **state)
{
	struct fixture *f = *state;
	struct reassembly_stats s;
	static const char nul_line[] = "type=CWD msg=audit(1.000:1): cwd=\"a\0\"";

	feed(f, "type=SYSCALL msg=audit(17953x0644.202:290): arch=c000003e");
	feed(f, "type=SYSCALL arch=c000003e");
	reassembly_feed_line(f->r, nul_line, sizeof(nul_line) - 1,
	    sizeof(nul_line) - 1, "test", ++f->lineno);
	/* Cut short by the reader; its true length was over the limit. */
	reassembly_feed_line(f->r, openat_event[1], 20, 70000, "test",
	    ++f->lineno);
	feed(f, "");
	reassembly_flush(f->r);
	assert_int_equal(reassembly_take_batch(f->r, &f->batch), 0);
	get_stats(f, &s);
	assert_int_equal(s.rejected, 4);	/* the blank line is no error */
	assert_int_equal(s.records, 0);
	assert_int_equal(s.events, 0);
}

static void
test_crlf_line_endings_accepted(void **state)
{
	struct fixture *f = *state;
	char line[2048];
	size_t i;

	for (i = 0; i < NLINES(openat_event); i++) {
		snprintf(line, sizeof(line), "%s\r", openat_event[i]);
		feed(f, line);
	}
	take_documents(f, 1);
	assert_int_field(f->docs[0], "auditd.sequence", 289);
	assert_string_field(f->docs[0], "file.path", "/etc/group");
}

/* How often text occurs in the batch. */
static int
occurrences(const struct fixture *f, const char *text)
{
	const char *p = f->batch.buf, *end = f->batch.buf + f->batch.len;
	size_t n = strlen(text);
	int count = 0;

	for (; p + n <= end; p++)
		if (memcmp(p, text, n) == 0)
			count++;
	return count;
}

/*
 * A corrupt or made-up record may name a field twice, or give a field a
 * name the document uses for a member of its own; Elasticsearch refuses
 * a document with a field twice, so each name is written once (a repeated
 * field's last value).
 */
static void
test_repeated_field_names_written_once(void **state)
{
	struct fixture *f = *state;
	json_object *path;

	feed(f, "type=SYSCALL msg=audit(1795300644.202:400): arch=c000003e "
	    "syscall=257 success=yes exit=3 a0=1 a1=2 a0=5 items=1 ppid=1 "
	    "pid=2 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 "
	    "fsgid=0 tty=(none) ses=1 comm=\"cat\" exe=\"/bin/cat\" "
	    "key=(null)");
	feed(f, "type=CWD msg=audit(1795300644.202:400): cwd=\"/\" arch=x "
	    "exit=y");
	feed(f, "type=PATH msg=audit(1795300644.202:400): item=0 name=\"/a\" "
	    "inode=5 item=0 name=\"/b\" obj_user=forged "
	    "obj=system_u:object_r:etc_t:s0 nametype=NORMAL");
	feed(f, "type=EOE msg=audit(1795300644.202:400):");
	take_documents(f, 1);
	assert_int_equal(occurrences(f, "\"a0\":"), 1);
	assert_string_field(f->docs[0], "auditd.data.a0", "5");
	assert_int_equal(occurrences(f, "\"arch\":"), 1);
	assert_string_field(f->docs[0], "auditd.data.arch", "x86_64");
	assert_int_equal(occurrences(f, "\"exit\":"), 1);
	assert_int_equal(occurrences(f, "\"item\":"), 1);
	assert_int_equal(occurrences(f, "\"obj_user\":"), 1);
	path = json_object_array_get_idx(get(f->docs[0], "auditd.paths"), 0);
	assert_string_field(path, "name", "/b");
	assert_string_field(path, "obj_user", "system_u");
}

int
main(void)
{
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_nothing_fed_nothing_to_take),
		T(test_openat_event_one_document),
		T(test_execve_event_args),
		T(test_events_in_order_one_line_each),
		T(test_documents_available_before_flush),
		T(test_login_and_its_syscall_one_document),
		T(test_login_alone_still_written),
		T(test_garbage_between_events_rejected),
		T(test_bad_lines_of_every_kind_rejected),
		T(test_crlf_line_endings_accepted),
		T(test_repeated_field_names_written_once),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

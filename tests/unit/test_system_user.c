/*
 * Unit tests for the user dataset's readers (system/user_parse.c,
 * user_db.c, user_state.c) and the system section of the configuration:
 * passwd, group and shadow lines good and hostile, tables built from
 * files (memberships, duplicates, password types and digests), the kept
 * state written and read back, and hostile state files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugin/conf.h"
#include "system/user_db.h"
#include "system/user_parse.h"
#include "system/user_state.h"
#include "tests/unit/helpers.h"

static char dir[64];

/* A line parser's verdict on a line, and the error when it is -1. */
static const struct line_case {
	const char	*name;
	char		 file;		/* 'p'asswd, 'g'roup, 's'hadow */
	const char	*line;
	int		 want;
	const char	*err;
} line_cases[] = {
	{ "passwd ok", 'p', "alice:x:1000:1000:Alice,,,:/home/a:/bin/sh", 0,
	    NULL },
	{ "passwd empty gecos", 'p', "bob:x:0:0::/:", 0, NULL },
	{ "passwd comment", 'p', "# nothing", 1, NULL },
	{ "passwd empty", 'p', "", 1, NULL },
	{ "passwd nis", 'p', "+@netgroup::::::", 1, NULL },
	{ "passwd 6 fields", 'p', "a:x:1:1:g:/h", -1, "6 fields, want 7" },
	{ "passwd 8 fields", 'p', "a:x:1:1:g:/h:/s:x", -1,
	    "8 fields, want 7" },
	{ "passwd many fields", 'p', "a:b:c:d:e:f:g:h:i:j:k:l", -1,
	    "10 fields, want 7" },
	{ "passwd empty name", 'p', ":x:1:1::/:/bin/sh", -1, "empty name" },
	{ "passwd control in name", 'p', "a\tb:x:1:1::/:/bin/sh", -1,
	    "control character in the name" },
	{ "passwd uid letters", 'p', "a:x:1a:1::/:/bin/sh", -1,
	    "uid is not a number up to 4294967295" },
	{ "passwd uid negative", 'p', "a:x:-1:1::/:/bin/sh", -1,
	    "uid is not a number up to 4294967295" },
	{ "passwd uid 2^32", 'p', "a:x:4294967296:1::/:/bin/sh", -1,
	    "uid is not a number up to 4294967295" },
	{ "passwd uid long", 'p', "a:x:000000000001:1::/:/bin/sh", -1,
	    "uid is not a number up to 4294967295" },
	{ "passwd uid max", 'p', "a:x:4294967295:1::/:/bin/sh", 0, NULL },
	{ "passwd gid empty", 'p', "a:x:1::g:/:/bin/sh", -1,
	    "gid is not a number up to 4294967295" },
	{ "group ok", 'g', "sudo:x:27:alice,bob", 0, NULL },
	{ "group no members", 'g', "users:x:100:", 0, NULL },
	{ "group 3 fields", 'g', "users:x:100", -1, "3 fields, want 4" },
	{ "group bad gid", 'g', "users:x:1e3:", -1,
	    "gid is not a number up to 4294967295" },
	{ "shadow ok", 's', "alice:$6$s$h:19000:0:99999:7:::", 0, NULL },
	{ "shadow short", 's', "alice:!:", 0, NULL },
	{ "shadow 2 fields", 's', "alice:!", -1, "2 fields, want 3 to 9" },
	{ "shadow 10 fields", 's', "a:b:1:d:e:f:g:h:i:j", -1,
	    "10 fields, want 3 to 9" },
	{ "shadow bad day", 's', "alice:*:day:0:99999:7:::", -1,
	    "last change is not a number of days" },
	{ "shadow huge day", 's', "alice:*:9999999:0:99999:7:::", -1,
	    "last change is not a number of days" },
};

static void
test_line(void **state)
{
	const struct line_case *c = *state;
	struct passwd_fields pw;
	struct group_fields gr;
	struct shadow_fields sp;
	char line[256], err[128] = "";
	int rc;

	snprintf(line, sizeof(line), "%s", c->line);
	rc = c->file == 'p' ? passwd_parse(line, &pw, err, sizeof(err)) :
	    c->file == 'g' ? group_parse(line, &gr, err, sizeof(err)) :
	    shadow_parse(line, &sp, err, sizeof(err));
	assert_int_equal(rc, c->want);
	if (c->err != NULL)
		assert_string_equal(err, c->err);
}

static void
test_fields(void **state)
{
	char line[] = "alice:x:1000:1001:Alice,,,:/home/a:/bin/sh";
	char gline[] = "sudo:x:27:alice,bob";
	char sline[] = "alice:$6$s$h:19000:0:99999:7:::";
	struct passwd_fields pw;
	struct group_fields gr;
	struct shadow_fields sp;
	char err[64];

	(void)state;
	assert_int_equal(passwd_parse(line, &pw, err, sizeof(err)), 0);
	assert_string_equal(pw.name, "alice");
	assert_int_equal(pw.uid, 1000);
	assert_int_equal(pw.gid, 1001);
	assert_string_equal(pw.gecos, "Alice,,,");
	assert_string_equal(pw.dir, "/home/a");
	assert_string_equal(pw.shell, "/bin/sh");
	assert_int_equal(group_parse(gline, &gr, err, sizeof(err)), 0);
	assert_int_equal(gr.gid, 27);
	assert_string_equal(gr.members, "alice,bob");
	assert_int_equal(shadow_parse(sline, &sp, err, sizeof(err)), 0);
	assert_int_equal(sp.last_change, 19000);
	assert_true(group_has_member("alice,bob", "bob"));
	assert_true(group_has_member("alice,bob", "alice"));
	assert_false(group_has_member("alice,bob", "ali"));
	assert_false(group_has_member("alice,bobby", "bob"));
	assert_false(group_has_member("", "bob"));
	assert_false(group_has_member("a,,b", ""));
}

static void
write_file(const char *name, const char *text, size_t len, char *path,
    size_t size)
{
	FILE *f;

	snprintf(path, size, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";

/* Reads the three texts as passwd, group, shadow (NULL: no shadow). */
static int
read_table(const char *passwd, const char *group, const char *shadow,
    size_t passwd_len, struct user_table *t)
{
	char p[128], g[128], s[128], err[256];
	struct user_sources src = { p, g, shadow ? s : NULL, key,
	    sizeof(key) };

	write_file("passwd", passwd, passwd_len ? passwd_len : strlen(passwd),
	    p, sizeof(p));
	write_file("group", group, strlen(group), g, sizeof(g));
	if (shadow != NULL)
		write_file("shadow", shadow, strlen(shadow), s, sizeof(s));
	return user_table_read(&src, t, err, sizeof(err));
}

static const char passwd_text[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
    "broken line\n"
    "bob:x:1001:1001::/home/bob:/bin/sh\n"
    "alice:x:2000:2000:second:/:/bin/false\n"
    "old:$1$salt$hash:1002:100::/:/bin/sh\n"
    "nopw:x:1003:100::/:/bin/sh";	/* no newline at the end */
static const char group_text[] =
    "root:x:0:\n"
    "alice:x:1000:\n"
    "bob:x:1001:\n"
    "users:x:100:alice,bob,ghost\n"
    "sudo:x:27:bob\n"
    "bad:x:notanumber:\n";
static const char shadow_text[] =
    "root:*:19000:0:99999:7:::\n"
    "alice:$6$salt$aaaa:19500:0:99999:7:::\n"
    "bob:!$6$salt$bbbb:19501::::::\n"
    "nopw::19502:0:99999:7:::\n"
    "ghost:$6$x$y:1::::::\n";

static void
test_table(void **state)
{
	struct user_table t;
	const struct sys_user *u;

	(void)state;
	assert_int_equal(read_table(passwd_text, group_text, shadow_text, 0,
	    &t), 0);
	assert_int_equal(t.nusers, 5);
	assert_int_equal(t.ngroups, 5);
	/* The first alice wins, as getpwnam finds her. */
	assert_non_null(u = user_table_find_user(&t, "alice"));
	assert_int_equal(u->uid, 1000);
	assert_int_equal(u->ngroups, 2);
	assert_string_equal(u->groups[0].name, "alice");
	assert_string_equal(u->groups[1].name, "users");
	assert_int_equal(u->pw_type, PW_SHADOW);
	assert_int_equal(u->pw_last_change, 19500);
	assert_int_equal(strlen(u->pw_digest), PW_DIGEST_HEX);
	assert_null(strstr(u->pw_digest, "aaaa"));
	assert_non_null(u = user_table_find_user(&t, "bob"));
	assert_int_equal(u->ngroups, 3);
	assert_string_equal(u->groups[0].name, "bob");
	assert_int_equal(u->pw_type, PW_DISABLED);
	assert_non_null(u = user_table_find_user(&t, "root"));
	assert_int_equal(u->pw_type, PW_DISABLED);
	assert_non_null(u = user_table_find_user(&t, "old"));
	assert_int_equal(u->pw_type, PW_CRYPT);
	assert_int_equal(u->pw_last_change, -1);
	assert_string_equal(u->groups[0].name, "users");
	assert_non_null(u = user_table_find_user(&t, "nopw"));
	assert_int_equal(u->pw_type, PW_NONE);
	assert_null(user_table_find_user(&t, "ghost"));
	user_table_free(&t);
}

/* The digest changes with the hash and only with it. */
static void
test_digest(void **state)
{
	struct user_table a, b, c, none;
	char same[sizeof(shadow_text)];

	(void)state;
	assert_int_equal(read_table(passwd_text, group_text, shadow_text, 0,
	    &a), 0);
	assert_int_equal(read_table(passwd_text, group_text, shadow_text, 0,
	    &b), 0);
	memcpy(same, shadow_text, sizeof(same));
	*strstr(same, "aaaa") = 'b';
	assert_int_equal(read_table(passwd_text, group_text, same, 0, &c), 0);
	assert_string_equal(user_table_find_user(&a, "alice")->pw_digest,
	    user_table_find_user(&b, "alice")->pw_digest);
	assert_string_not_equal(user_table_find_user(&a, "alice")->pw_digest,
	    user_table_find_user(&c, "alice")->pw_digest);
	assert_string_equal(user_table_find_user(&a, "bob")->pw_digest,
	    user_table_find_user(&c, "bob")->pw_digest);
	/* Without shadow, nothing about passwords. */
	assert_int_equal(read_table(passwd_text, group_text, NULL, 0, &none),
	    0);
	assert_int_equal(user_table_find_user(&none, "alice")->pw_type,
	    PW_UNKNOWN);
	assert_string_equal(user_table_find_user(&none, "old")->pw_digest, "");
	user_table_free(&a);
	user_table_free(&b);
	user_table_free(&c);
	user_table_free(&none);
}

static void
test_hostile_files(void **state)
{
	static const char nul[] = "a:x:1:1::/:/bin/sh\nb\0:x:2:2::/:/bin/sh\n";
	struct user_table t;
	char err[256];
	struct user_sources src = { "/nonexistent/passwd", "/etc/group",
	    NULL, key, sizeof(key) };

	(void)state;
	assert_int_equal(read_table(nul, "", NULL, sizeof(nul) - 1, &t), 0);
	assert_int_equal(t.nusers, 1);
	user_table_free(&t);
	assert_int_equal(user_table_read(&src, &t, err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/passwd: no such file");
	src.passwd = dir;	/* a directory */
	assert_int_equal(user_table_read(&src, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
}

/* A name that is not UTF-8 is kept byte for byte. */
static void
test_state_binary_name(void **state)
{
	static const char passwd[] = "caf\xe9:x:5:5::/:/bin/sh\n";
	struct user_table t, back;
	char path[128], err[256];
	time_t sent;

	(void)state;
	assert_int_equal(read_table(passwd, "caf\xe9:x:5:\n", NULL, 0, &t), 0);
	snprintf(path, sizeof(path), "%s/user.json", dir);
	assert_int_equal(user_state_save(path, &t, 1, err, sizeof(err)), 0);
	assert_int_equal(user_state_load(path, &back, &sent, err,
	    sizeof(err)), 0);
	assert_int_equal(back.nusers, 1);
	assert_string_equal(back.users[0].name, "caf\xe9");
	assert_string_equal(back.groups[0].name, "caf\xe9");
	user_table_free(&t);
	user_table_free(&back);
	unlink(path);
}

static void
test_state_round_trip(void **state)
{
	struct user_table t, back;
	char path[128], err[256];
	time_t sent;
	size_t i, j;

	(void)state;
	assert_int_equal(read_table(passwd_text, group_text, shadow_text, 0,
	    &t), 0);
	snprintf(path, sizeof(path), "%s/user.json", dir);
	assert_int_equal(user_state_save(path, &t, 1700000000, err,
	    sizeof(err)), 0);
	assert_int_equal(user_state_load(path, &back, &sent, err,
	    sizeof(err)), 0);
	assert_int_equal(sent, 1700000000);
	assert_int_equal(back.nusers, t.nusers);
	assert_int_equal(back.ngroups, t.ngroups);
	for (i = 0; i < t.nusers; i++) {
		const struct sys_user *a = &t.users[i], *b = &back.users[i];

		assert_string_equal(a->name, b->name);
		assert_int_equal(a->uid, b->uid);
		assert_string_equal(a->gecos, b->gecos);
		assert_int_equal(a->pw_type, b->pw_type);
		assert_int_equal(a->pw_last_change, b->pw_last_change);
		assert_string_equal(a->pw_digest, b->pw_digest);
		assert_int_equal(a->ngroups, b->ngroups);
		for (j = 0; j < a->ngroups; j++)
			assert_string_equal(a->groups[j].name,
			    b->groups[j].name);
	}
	for (i = 0; i < t.ngroups; i++)
		assert_string_equal(t.groups[i].members, back.groups[i].members);
	user_table_free(&t);
	user_table_free(&back);
	unlink(path);
	assert_int_equal(user_state_load(path, &back, &sent, err,
	    sizeof(err)), 1);
}

#define USER(fields) "{\"version\":1,\"state_sent\":5,\"groups\":[]," \
	"\"users\":[{" fields "}]}"
#define GOOD_FIELDS "\"name\":\"a\",\"uid\":1,\"gid\":1,\"gecos\":\"\"," \
	"\"dir\":\"/\",\"shell\":\"/bin/sh\",\"pw_last_change\":-1," \
	"\"pw_digest\":\"\",\"groups\":[]"

static const struct state_case {
	const char	*name;
	const char	*text;
	const char	*err;		/* NULL: accepted */
} state_cases[] = {
	{ "good", USER(GOOD_FIELDS), NULL },
	{ "not json", "{\"version\":", "not JSON" },
	{ "empty", "", "not JSON" },
	{ "array", "[]", "(top): not an object" },
	{ "version", "{\"version\":2,\"state_sent\":0,\"users\":[],"
	    "\"groups\":[]}", "version: not one this version reads" },
	{ "version string", "{\"version\":\"1\"}",
	    "version: missing or not an integer" },
	{ "negative time", "{\"version\":1,\"state_sent\":-1}",
	    "state_sent: out of range" },
	{ "users object", "{\"version\":1,\"state_sent\":0,\"users\":{},"
	    "\"groups\":[]}", "users: missing or not an array" },
	{ "user not object", "{\"version\":1,\"state_sent\":0,"
	    "\"users\":[7],\"groups\":[]}", "users[0].: not an object" },
	{ "uid string", USER("\"name\":\"a\",\"uid\":\"1\""),
	    "users[0].uid: missing or not an integer" },
	{ "uid too big", USER("\"name\":\"a\",\"uid\":4294967296"),
	    "users[0].uid: out of range" },
	{ "uid negative", USER("\"name\":\"a\",\"uid\":-1"),
	    "users[0].uid: out of range" },
	{ "name null", USER("\"name\":null"),
	    "users[0].name: not a string" },
	{ "name missing", USER("\"uid\":1"), "users[0].name: missing" },
	{ "name with nul", USER("\"name\":\"a\\u0000b\""),
	    "users[0].name: holds a NUL character" },
	{ "hex name", USER("\"name\":{\"hex\":\"e9\"},\"uid\":1,"
	    "\"gid\":1,\"gecos\":\"\",\"dir\":\"/\",\"shell\":\"/\","
	    "\"pw_last_change\":-1,\"pw_digest\":\"\",\"groups\":[]"), NULL },
	{ "hex odd", USER("\"name\":{\"hex\":\"fff\"}"),
	    "users[0].name: odd number of hex digits" },
	{ "hex nul", USER("\"name\":{\"hex\":\"6100\"}"),
	    "users[0].name: not hex digits" },
	{ "hex upper", USER("\"name\":{\"hex\":\"FF\"}"),
	    "users[0].name: not hex digits" },
	{ "hex extra", USER("\"name\":{\"hex\":\"ff\",\"x\":1}"),
	    "users[0].name: not a string" },
	{ "digest short", USER("\"name\":\"a\",\"uid\":1,\"gid\":1,"
	    "\"gecos\":\"\",\"dir\":\"/\",\"shell\":\"/\","
	    "\"pw_last_change\":-1,\"pw_digest\":\"abc\",\"groups\":[]"),
	    "users[0].pw_digest: not a digest" },
	{ "digest not hex", USER("\"name\":\"a\",\"uid\":1,\"gid\":1,"
	    "\"gecos\":\"\",\"dir\":\"/\",\"shell\":\"/\","
	    "\"pw_last_change\":-1,\"pw_digest\":\"$6$saltsaltsaltsalt$"
	    "hashhashhashhashhashhashhashhashhashhashhas\",\"groups\":[]"),
	    "users[0].pw_digest: not a digest" },
	{ "pw type", USER(GOOD_FIELDS ",\"pw_type\":\"plain\""),
	    "users[0].pw_type: not a password type" },
	{ "groups string", USER("\"name\":\"a\",\"uid\":1,\"gid\":1,"
	    "\"gecos\":\"\",\"dir\":\"/\",\"shell\":\"/\","
	    "\"pw_last_change\":-1,\"pw_digest\":\"\",\"groups\":\"x\""),
	    "users[0].groups: missing or not an array" },
	{ "group gid", USER("\"name\":\"a\",\"uid\":1,\"gid\":1,"
	    "\"gecos\":\"\",\"dir\":\"/\",\"shell\":\"/\","
	    "\"pw_last_change\":-1,\"pw_digest\":\"\",\"groups\":"
	    "[{\"name\":\"g\",\"gid\":1.5}]"),
	    "groups[0].gid: missing or not an integer" },
	{ "bad utf-8", "{\"version\":1,\"state_sent\":0,\"users\":[{\"name\":"
	    "\"\xff\"}],\"groups\":[]}", "not JSON" },
};

static void
test_state_hostile(void **state)
{
	const struct state_case *c = *state;
	struct user_table t;
	char err[256] = "";
	time_t sent;
	int rc;

	rc = user_state_parse(c->text, strlen(c->text), &t, &sent, err,
	    sizeof(err));
	if (c->err == NULL) {
		assert_int_equal(rc, 0);
		assert_int_equal(t.nusers, 1);
		user_table_free(&t);
		return;
	}
	assert_int_equal(rc, -1);
	if (strstr(err, c->err) == NULL)
		fail_msg("error \"%s\", want \"%s\"", err, c->err);
	assert_int_equal(t.nusers, 0);
	assert_null(t.users);
}

/* Loads text as the configuration; its errors in err. */
static struct config *
load(const char *text, char *err, size_t size)
{
	char path[128];
	FILE *errors;
	struct config *cfg;

	write_file("conf", text, strlen(text), path, sizeof(path));
	assert_non_null(errors = fmemopen(err, size, "w"));
	cfg = config_load(path, errors);
	fclose(errors);
	return cfg;
}

static void
test_config(void **state)
{
	struct config *cfg;
	char err[512] = "";

	(void)state;
	assert_non_null(cfg = load("path: { data = \"/var/tmp/x\"; };\n"
	    "system: { datasets = [\"user\"]; };\n", err, sizeof(err)));
	assert_int_equal(cfg->system->dataset_mask, 1u << SYS_DATASET_USER);
	assert_int_equal(cfg->system->period_ms, 10000);
	assert_int_equal(cfg->system->state_period_ms, 12L * 3600 * 1000);
	assert_int_equal(cfg->system->detect_password_changes, 1);
	assert_string_equal(cfg->system->state_path, "/var/tmp/x/system");
	config_free(cfg);
	assert_non_null(cfg = load("output: { file: {}; };\n", err,
	    sizeof(err)));
	assert_null(cfg->system);
	config_free(cfg);
	memset(err, 0, sizeof(err));
	assert_null(load("system: {\n  datasets = [\"user\", \"users\"];\n};\n",
	    err, sizeof(err)));
	assert_non_null(strstr(err, ":2: system.datasets: unknown dataset "
	    "\"users\""));
	memset(err, 0, sizeof(err));
	assert_null(load("system: {\n  datasets = [\"user\", \"user\"];\n};\n",
	    err, sizeof(err)));
	assert_non_null(strstr(err, ":2: system.datasets: dataset \"user\" "
	    "named twice"));
	memset(err, 0, sizeof(err));
	assert_null(load("system: {\n  datasets = [\"user\"];\n"
	    "  period = \"1h\";\n  state: { period = \"1m\"; };\n};\n",
	    err, sizeof(err)));
	assert_non_null(strstr(err, ":4: system.state.period: must not be "
	    "shorter than system.period"));
	memset(err, 0, sizeof(err));
	assert_null(load("system: {\n  period = \"10ms\";\n};\n", err,
	    sizeof(err)));
	assert_non_null(strstr(err, ":2: system.period:"));
}

static int
cleanup(void **state)
{
	static const char *const names[] = { "passwd", "group", "shadow",
	    "user.json", "conf" };
	char path[128];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMENTS(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		CASES(test_line, line_cases),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_state_binary_name),
		CASES(test_state_hostile, state_cases),
		cmocka_unit_test(test_config),
	};

	snprintf(dir, sizeof(dir), "/tmp/test_system_user.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 99;
	return run_group(tests, NULL, cleanup);
}

/*
 * Unit tests for drop_event filters (parsers/event_filter.h): each
 * condition alone, AND within a rule, OR across rules, the empty filter,
 * and deep copies.  Events are built by hand with only the fields the
 * filter reads (key, type_name, exe, uid, auid, result).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parsers/event_filter.h"

/* An execve by uid 1000 (login uid 1000) of /usr/bin/curl, key "exec". */
static void
make_event(struct audit_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = AUDIT_SYSCALL;
	ev->type_name = "SYSCALL";
	ev->key = (struct sv){ "exec", 4 };
	ev->exe = (struct sv){ "/usr/bin/curl", 13 };
	ev->ids.id[ID_UID] = "1000";
	ev->ids.id[ID_AUID] = "1000";
	ev->result = "success";
}

static struct sv
sv_of(const char *s)
{
	return (struct sv){ s, strlen(s) };
}

/* An empty filter f with one rule added, which is returned. */
static struct filter_rule *
first_rule(struct event_filter *f)
{
	struct filter_rule *r;

	memset(f, 0, sizeof(*f));
	assert_non_null(r = event_filter_add_rule(f));
	return r;
}

static void
test_empty_filter_matches_nothing(void **state)
{
	struct event_filter f;
	struct audit_event ev;

	(void)state;
	memset(&f, 0, sizeof(f));
	make_event(&ev);
	assert_int_equal(event_filter_match(&f, &ev), 0);
	assert_int_equal(event_filter_match(NULL, &ev), 0);
	event_filter_free(&f);
}

static void
test_new_rule_is_empty(void **state)
{
	struct event_filter f;
	struct filter_rule *r;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(r = event_filter_add_rule(&f));
	assert_int_equal(f.count, 1);
	assert_int_equal(r->keys.count, 0);
	assert_int_equal(r->record_types.count, 0);
	assert_int_equal(r->executables.count, 0);
	assert_int_equal(r->uids.count, 0);
	assert_int_equal(r->auids.count, 0);
	assert_int_equal(r->success, -1);
	assert_int_equal(string_list_add(&r->keys, "a"), 0);
	assert_int_equal(string_list_add(&r->keys, "b"), 0);
	assert_int_equal(r->keys.count, 2);
	assert_string_equal(r->keys.items[1], "b");
	assert_int_equal(id_list_add(&r->uids, 42), 0);
	assert_int_equal(r->uids.count, 1);
	assert_int_equal(r->uids.items[0], 42);
	event_filter_free(&f);
	assert_int_equal(f.count, 0);
	assert_null(f.rules);
}

static void
test_keys(void **state)
{
	struct event_filter f;
	struct filter_rule *r;
	struct audit_event ev;

	(void)state;
	r = first_rule(&f);
	assert_int_equal(string_list_add(&r->keys, "noise"), 0);
	assert_int_equal(string_list_add(&r->keys, "exec"), 0);
	make_event(&ev);
	assert_int_equal(event_filter_match(&f, &ev), 1);

	ev.key = sv_of("execve");		/* whole keys only */
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.key = sv_of("exe");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.key = sv_of("EXEC");			/* keys are case-sensitive */
	assert_int_equal(event_filter_match(&f, &ev), 0);
	/* A second key of the same rule, after the 0x01 separator. */
	ev.key = sv_of("access\x01" "exec");
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.key = sv_of("exec\x01" "access");
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.key = sv_of("access\x01" "noise\x01" "other");
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.key = sv_of("access\x01" "other");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.key = sv_of("access\x01" "execx");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	/* The key is a counted string: bytes past n are not part of it. */
	ev.key = (struct sv){ "execute", 4 };
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.key = (struct sv){ "exec", 3 };
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.key = sv_of("");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.key = SV_NULL;			/* no key at all */
	assert_int_equal(event_filter_match(&f, &ev), 0);
	event_filter_free(&f);
}

static void
test_record_types_case_insensitive(void **state)
{
	struct event_filter f;
	struct filter_rule *r;
	struct audit_event ev;

	(void)state;
	r = first_rule(&f);
	assert_int_equal(string_list_add(&r->record_types, "user_start"), 0);
	assert_int_equal(string_list_add(&r->record_types, "Cred_Disp"), 0);
	make_event(&ev);
	assert_int_equal(event_filter_match(&f, &ev), 0);	/* SYSCALL */
	ev.type_name = "USER_START";
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.type_name = "CRED_DISP";
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.type_name = "cred_disp";
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.type_name = "USER_STAR";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.type_name = "USER_START2";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.type_name = NULL;
	assert_int_equal(event_filter_match(&f, &ev), 0);
	event_filter_free(&f);
}

static void
test_executables_glob(void **state)
{
	struct event_filter f;
	struct filter_rule *r;
	struct audit_event ev;

	(void)state;
	r = first_rule(&f);
	assert_int_equal(string_list_add(&r->executables, "/usr/sbin/cron*"),
	    0);
	assert_int_equal(string_list_add(&r->executables, "/usr/bin/cur?"),
	    0);
	make_event(&ev);
	assert_int_equal(event_filter_match(&f, &ev), 1);	/* curl */
	ev.exe = sv_of("/usr/bin/curls");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.exe = sv_of("/usr/sbin/cron");
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.exe = sv_of("/usr/sbin/crond");
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.exe = sv_of("/usr/sbin/anacron");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.exe = sv_of("/usr/bin/cron");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	/* Counted, not NUL-terminated: only the first n bytes count. */
	ev.exe = (struct sv){ "/usr/bin/curl-config", 13 };
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.exe = SV_NULL;
	assert_int_equal(event_filter_match(&f, &ev), 0);
	event_filter_free(&f);

	/* An exact path without glob characters matches only itself. */
	r = first_rule(&f);
	assert_int_equal(string_list_add(&r->executables, "/usr/bin/curl"), 0);
	make_event(&ev);
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.exe = sv_of("/usr/bin/curl2");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	event_filter_free(&f);
}

static void
test_uids(void **state)
{
	struct event_filter f;
	struct filter_rule *r;
	struct audit_event ev;

	(void)state;
	r = first_rule(&f);
	assert_int_equal(id_list_add(&r->uids, 0), 0);
	assert_int_equal(id_list_add(&r->uids, 1000), 0);
	make_event(&ev);
	ev.ids.id[ID_AUID] = "5";		/* only the uid counts */
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.ids.id[ID_UID] = "0";
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.ids.id[ID_UID] = "100";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.ids.id[ID_UID] = "10000";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.ids.id[ID_UID] = "1000x";		/* not a number */
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.ids.id[ID_UID] = NULL;
	assert_int_equal(event_filter_match(&f, &ev), 0);
	/* The auid alone does not satisfy a uids condition. */
	ev.ids.id[ID_AUID] = "1000";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	event_filter_free(&f);
}

static void
test_auids(void **state)
{
	struct event_filter f;
	struct filter_rule *r;
	struct audit_event ev;

	(void)state;
	r = first_rule(&f);
	assert_int_equal(id_list_add(&r->auids, 4294967295UL), 0);  /* unset */
	make_event(&ev);
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.ids.id[ID_AUID] = "4294967295";
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.ids.id[ID_UID] = "4294967295";
	ev.ids.id[ID_AUID] = "1000";		/* only the auid counts */
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.ids.id[ID_AUID] = NULL;
	assert_int_equal(event_filter_match(&f, &ev), 0);
	event_filter_free(&f);
}

static void
test_success(void **state)
{
	struct event_filter f;
	struct filter_rule *r;
	struct audit_event ev;

	(void)state;
	r = first_rule(&f);
	r->success = 1;
	make_event(&ev);
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.result = "fail";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.result = NULL;			/* unknown: neither */
	assert_int_equal(event_filter_match(&f, &ev), 0);

	r->success = 0;
	ev.result = "fail";
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.result = "success";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	ev.result = NULL;
	assert_int_equal(event_filter_match(&f, &ev), 0);

	/* -1: the result does not matter; a rule of no condition matches. */
	r->success = -1;
	ev.result = NULL;
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.result = "fail";
	assert_int_equal(event_filter_match(&f, &ev), 1);
	event_filter_free(&f);
}

/* Every condition of a rule must hold. */
static void
test_and_within_rule(void **state)
{
	struct event_filter f;
	struct filter_rule *r;
	struct audit_event ev;

	(void)state;
	r = first_rule(&f);
	assert_int_equal(string_list_add(&r->keys, "exec"), 0);
	assert_int_equal(string_list_add(&r->record_types, "syscall"), 0);
	assert_int_equal(string_list_add(&r->executables, "/usr/bin/*"), 0);
	assert_int_equal(id_list_add(&r->uids, 1000), 0);
	assert_int_equal(id_list_add(&r->auids, 1000), 0);
	r->success = 1;
	make_event(&ev);
	assert_int_equal(event_filter_match(&f, &ev), 1);

	/* Break one condition at a time. */
	make_event(&ev);
	ev.key = sv_of("access");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	make_event(&ev);
	ev.type_name = "EXECVE";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	make_event(&ev);
	ev.exe = sv_of("/usr/sbin/sshd");
	assert_int_equal(event_filter_match(&f, &ev), 0);
	make_event(&ev);
	ev.ids.id[ID_UID] = "0";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	make_event(&ev);
	ev.ids.id[ID_AUID] = "0";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	make_event(&ev);
	ev.result = "fail";
	assert_int_equal(event_filter_match(&f, &ev), 0);
	event_filter_free(&f);
}

/* An event matching any rule is dropped. */
static void
test_or_across_rules(void **state)
{
	struct event_filter f;
	struct filter_rule *r;
	struct audit_event ev;

	(void)state;
	r = first_rule(&f);		/* failed execs by uid 0 */
	assert_int_equal(string_list_add(&r->keys, "exec"), 0);
	assert_int_equal(id_list_add(&r->uids, 0), 0);
	r->success = 0;
	r = event_filter_add_rule(&f);		/* anything of cron */
	assert_int_equal(string_list_add(&r->executables, "/usr/sbin/cron"), 0);
	r = event_filter_add_rule(&f);		/* USER_START records */
	assert_int_equal(string_list_add(&r->record_types, "USER_START"), 0);
	assert_int_equal(f.count, 3);

	make_event(&ev);
	assert_int_equal(event_filter_match(&f, &ev), 0);	/* none */

	make_event(&ev);			/* rule 0 */
	ev.ids.id[ID_UID] = "0";
	ev.result = "fail";
	assert_int_equal(event_filter_match(&f, &ev), 1);
	ev.result = "success";			/* rule 0 no longer */
	assert_int_equal(event_filter_match(&f, &ev), 0);

	make_event(&ev);			/* rule 1 */
	ev.exe = sv_of("/usr/sbin/cron");
	assert_int_equal(event_filter_match(&f, &ev), 1);

	make_event(&ev);			/* rule 2 */
	ev.type_name = "USER_START";
	ev.key = SV_NULL;
	assert_int_equal(event_filter_match(&f, &ev), 1);

	make_event(&ev);			/* rules 1 and 2 */
	ev.type_name = "USER_START";
	ev.exe = sv_of("/usr/sbin/cron");
	assert_int_equal(event_filter_match(&f, &ev), 1);
	event_filter_free(&f);
}

static void
test_copy_is_deep(void **state)
{
	struct event_filter f, copy;
	struct filter_rule *r;
	struct audit_event ev;
	char key[] = "exec";

	(void)state;
	r = first_rule(&f);
	assert_int_equal(string_list_add(&r->keys, key), 0);
	key[0] = 'X';			/* string_list_add keeps its own copy */
	assert_int_equal(string_list_add(&r->executables, "/usr/bin/*"), 0);
	assert_int_equal(id_list_add(&r->uids, 1000), 0);
	r->success = 1;
	r = event_filter_add_rule(&f);
	assert_int_equal(string_list_add(&r->record_types, "USER_START"), 0);
	assert_int_equal(id_list_add(&r->auids, 7), 0);
	r->success = 0;

	assert_int_equal(event_filter_copy(&copy, &f), 0);
	assert_int_equal(copy.count, 2);
	assert_ptr_not_equal(copy.rules, f.rules);
	assert_ptr_not_equal(copy.rules[0].keys.items, f.rules[0].keys.items);
	assert_ptr_not_equal(copy.rules[0].keys.items[0],
	    f.rules[0].keys.items[0]);
	assert_ptr_not_equal(copy.rules[0].uids.items, f.rules[0].uids.items);
	assert_string_equal(copy.rules[0].keys.items[0], "exec");
	assert_string_equal(copy.rules[0].executables.items[0], "/usr/bin/*");
	assert_int_equal(copy.rules[0].uids.count, 1);
	assert_int_equal(copy.rules[0].uids.items[0], 1000);
	assert_int_equal(copy.rules[0].success, 1);
	assert_int_equal(copy.rules[0].record_types.count, 0);
	assert_int_equal(copy.rules[0].auids.count, 0);
	assert_string_equal(copy.rules[1].record_types.items[0], "USER_START");
	assert_int_equal(copy.rules[1].auids.items[0], 7);
	assert_int_equal(copy.rules[1].success, 0);
	assert_int_equal(copy.rules[1].keys.count, 0);

	/* The original is gone (and its memory reused): the copy still works. */
	event_filter_free(&f);
	r = first_rule(&f);
	assert_int_equal(string_list_add(&r->keys, "zzzz"), 0);
	make_event(&ev);
	assert_int_equal(event_filter_match(&copy, &ev), 1);
	ev.result = "fail";
	assert_int_equal(event_filter_match(&copy, &ev), 0);
	make_event(&ev);
	ev.type_name = "user_start";
	ev.ids.id[ID_AUID] = "7";
	ev.result = "fail";
	assert_int_equal(event_filter_match(&copy, &ev), 1);
	event_filter_free(&f);
	event_filter_free(&copy);
	assert_int_equal(copy.count, 0);
}

static void
test_copy_of_empty(void **state)
{
	struct event_filter f, copy;
	struct audit_event ev;

	(void)state;
	memset(&f, 0, sizeof(f));
	memset(&copy, 0xff, sizeof(copy));	/* dst need not be initialised */
	assert_int_equal(event_filter_copy(&copy, &f), 0);
	assert_int_equal(copy.count, 0);
	make_event(&ev);
	assert_int_equal(event_filter_match(&copy, &ev), 0);
	event_filter_free(&copy);
	memset(&copy, 0xff, sizeof(copy));
	assert_int_equal(event_filter_copy(&copy, NULL), 0);
	assert_int_equal(copy.count, 0);
	event_filter_free(&copy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_filter_matches_nothing),
		cmocka_unit_test(test_new_rule_is_empty),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_record_types_case_insensitive),
		cmocka_unit_test(test_executables_glob),
		cmocka_unit_test(test_uids),
		cmocka_unit_test(test_auids),
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_and_within_rule),
		cmocka_unit_test(test_or_across_rules),
		cmocka_unit_test(test_copy_is_deep),
		cmocka_unit_test(test_copy_of_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

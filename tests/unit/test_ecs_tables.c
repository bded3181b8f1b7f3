/* Unit tests for the ECS mapping tables (parsers/ecs_tables.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "parsers/ecs_tables.h"
#include "helpers.h"

/* bsearch needs every name strictly after the one before it. */
static void
assert_strictly_sorted(const struct ecs_mapping *table, size_t len,
    const char *what)
{
	size_t i;

	assert_true(len > 0);
	for (i = 0; i < len; i++) {
		assert_non_null(table[i].name);
		assert_non_null(table[i].action);
		/* Some record types have no ECS values (AVC, TTY, ...). */
		assert_true((table[i].category[0] == NULL) ==
		    (table[i].type[0] == NULL));
		if (i > 0 && strcmp(table[i - 1].name, table[i].name) >= 0)
			fail_msg("%s table: \"%s\" (row %zu) must come after "
			    "\"%s\"", what, table[i].name, i,
			    table[i - 1].name);
	}
}

/* The values of a NULL-terminated list in a row, e.g. "connection,start". */
static void
join(const char *const values[ECS_MAX_VALUES], char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < ECS_MAX_VALUES && values[i] != NULL; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? "," : "", values[i]);
}

static void
assert_mapping(const struct ecs_mapping *m, const char *name,
    const char *action, const char *object_type, const char *category,
    const char *type)
{
	char buf[128];

	assert_non_null(m);
	assert_string_equal(m->name, name);
	assert_string_equal(m->action, action);
	assert_string_equal(m->object_type, object_type);
	join(m->category, buf, sizeof(buf));
	assert_string_equal(buf, category);
	join(m->type, buf, sizeof(buf));
	assert_string_equal(buf, type);
}

/* A mapping table and how a name is looked up in it. */
static const struct table_case {
	const char		 *name;
	const struct ecs_mapping *table;
	const size_t		 *len;
	const struct ecs_mapping *(*lookup)(const char *);
} table_cases[] = {
	{ "syscall table", ecs_syscall_table, &ecs_syscall_table_len,
	    ecs_syscall_mapping },
	{ "record table", ecs_record_table, &ecs_record_table_len,
	    ecs_record_mapping },
};

/* Sorted, and every row is what a lookup of its name finds. */
static void
test_table(void **state)
{
	const struct table_case *c = *state;
	size_t i;

	assert_strictly_sorted(c->table, *c->len, c->name);
	for (i = 0; i < *c->len; i++)
		assert_ptr_equal(c->lookup(c->table[i].name), &c->table[i]);
}

/* What looking up a name finds: the row's ECS values. */
static const struct mapping_case {
	const char		 *name;
	const struct ecs_mapping *(*lookup)(const char *);
	const char		 *key;
	const char		 *action;
	const char		 *object_type;
	const char		 *category;
	const char		 *type;
} mapping_cases[] = {
	{ "openat opened file", ecs_syscall_mapping, "openat",
	    "opened-file", "file", "file", "info" },
	{ "execve executed", ecs_syscall_mapping, "execve",
	    "executed", "file", "process", "start" },
	{ "fchownat changed ownership", ecs_syscall_mapping, "fchownat",
	    "changed-file-ownership-of", "file", "file", "change" },
	{ "connect connected to", ecs_syscall_mapping, "connect",
	    "connected-to", "socket", "network", "connection,start" },
	{ "mkdir created directory", ecs_syscall_mapping, "mkdir",
	    "created-directory", "file", "file", "creation" },
	{ "USER_LOGIN logged in", ecs_record_mapping, "USER_LOGIN",
	    "logged-in", "user-session", "authentication", "start" },
	{ "ADD_USER added account", ecs_record_mapping, "ADD_USER",
	    "added-user-account", "account", "iam", "user,creation" },
};

static void
test_mapping(void **state)
{
	const struct mapping_case *c = *state;

	assert_mapping(c->lookup(c->key), c->key, c->action, c->object_type,
	    c->category, c->type);
}

static void
test_pam_records_map_identities(void **state)
{
	const struct ecs_mapping *m = ecs_record_mapping("USER_LOGIN");

	assert_non_null(m);
	assert_int_equal(m->identity, MAP_AUTH);
	assert_true(m->flags & ECS_SOURCE_FROM_ADDR);
	assert_true(m->flags & ECS_AUTH_RESULT_TYPE);
	assert_string_equal(m->keys->subject_primary[0], "auid");
	assert_int_equal(ecs_record_mapping("ADD_GROUP")->identity,
	    MAP_GROUP_MOD);
	assert_int_equal(ecs_syscall_mapping("openat")->identity, MAP_NONE);
}

static void
test_rename_names_the_new_path(void **state)
{
	assert_int_equal(ecs_syscall_mapping("rename")->path_index, 2);
	assert_int_equal(ecs_syscall_mapping("mkdir")->path_index, 1);
	assert_int_equal(ecs_syscall_mapping("openat")->path_index, -1);
}

static void
test_unknown_names_not_found(void **state)
{
	assert_null(ecs_syscall_mapping("no_such_syscall"));
	assert_null(ecs_syscall_mapping(""));
	assert_null(ecs_syscall_mapping(NULL));
	/* Case matters: syscalls are lower case, record types upper case. */
	assert_null(ecs_syscall_mapping("OPENAT"));
	assert_null(ecs_syscall_mapping("USER_LOGIN"));
	assert_null(ecs_record_mapping("NO_SUCH_TYPE"));
	assert_null(ecs_record_mapping("user_login"));
	assert_null(ecs_record_mapping("openat"));
	assert_null(ecs_record_mapping(NULL));
	/* A prefix of a name is not the name. */
	assert_null(ecs_syscall_mapping("opena"));
	assert_null(ecs_record_mapping("USER_LOG"));
}

static void
test_syscall_default_is_process_info(void **state)
{
	char buf[64];

	join(ecs_syscall_default.category, buf, sizeof(buf));
	assert_string_equal(buf, "process");
	join(ecs_syscall_default.type, buf, sizeof(buf));
	assert_string_equal(buf, "info");
	assert_null(ecs_syscall_default.action);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		CASES(test_table, table_cases),
		CASES(test_mapping, mapping_cases),
		cmocka_unit_test(test_pam_records_map_identities),
		cmocka_unit_test(test_rename_names_the_new_path),
		cmocka_unit_test(test_unknown_names_not_found),
		cmocka_unit_test(test_syscall_default_is_process_info),
	};

	return run_group(tests, NULL, NULL);
}

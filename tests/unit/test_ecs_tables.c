/* Unit tests for the ECS mapping tables (parsers/ecs_tables.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "parsers/ecs_tables.h"

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

static void
test_syscall_table_strictly_sorted(void **state)
{
	assert_strictly_sorted(ecs_syscall_table, ecs_syscall_table_len,
	    "syscall");
}

static void
test_record_table_strictly_sorted(void **state)
{
	assert_strictly_sorted(ecs_record_table, ecs_record_table_len,
	    "record");
}

static void
test_every_syscall_row_found_by_lookup(void **state)
{
	size_t i;

	for (i = 0; i < ecs_syscall_table_len; i++)
		assert_ptr_equal(ecs_syscall_mapping(ecs_syscall_table[i].name),
		    &ecs_syscall_table[i]);
}

static void
test_every_record_row_found_by_lookup(void **state)
{
	size_t i;

	for (i = 0; i < ecs_record_table_len; i++)
		assert_ptr_equal(ecs_record_mapping(ecs_record_table[i].name),
		    &ecs_record_table[i]);
}

static void
test_openat_opened_file(void **state)
{
	assert_mapping(ecs_syscall_mapping("openat"), "openat", "opened-file",
	    "file", "file", "info");
}

static void
test_execve_executed(void **state)
{
	assert_mapping(ecs_syscall_mapping("execve"), "execve", "executed",
	    "file", "process", "start");
}

static void
test_fchownat_changed_ownership(void **state)
{
	assert_mapping(ecs_syscall_mapping("fchownat"), "fchownat",
	    "changed-file-ownership-of", "file", "file", "change");
}

static void
test_connect_connected_to(void **state)
{
	assert_mapping(ecs_syscall_mapping("connect"), "connect",
	    "connected-to", "socket", "network", "connection,start");
}

static void
test_mkdir_names_second_path(void **state)
{
	const struct ecs_mapping *m = ecs_syscall_mapping("mkdir");

	assert_mapping(m, "mkdir", "created-directory", "file", "file",
	    "creation");
	assert_int_equal(m->path_index, 1);
	assert_int_equal(ecs_syscall_mapping("openat")->path_index, -1);
}

static void
test_user_login_logged_in(void **state)
{
	assert_mapping(ecs_record_mapping("USER_LOGIN"), "USER_LOGIN",
	    "logged-in", "user-session", "authentication", "start");
}

static void
test_add_user_added_account(void **state)
{
	assert_mapping(ecs_record_mapping("ADD_USER"), "ADD_USER",
	    "added-user-account", "account", "iam", "user,creation");
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
		cmocka_unit_test(test_syscall_table_strictly_sorted),
		cmocka_unit_test(test_record_table_strictly_sorted),
		cmocka_unit_test(test_every_syscall_row_found_by_lookup),
		cmocka_unit_test(test_every_record_row_found_by_lookup),
		cmocka_unit_test(test_openat_opened_file),
		cmocka_unit_test(test_execve_executed),
		cmocka_unit_test(test_fchownat_changed_ownership),
		cmocka_unit_test(test_connect_connected_to),
		cmocka_unit_test(test_mkdir_names_second_path),
		cmocka_unit_test(test_user_login_logged_in),
		cmocka_unit_test(test_add_user_added_account),
		cmocka_unit_test(test_pam_records_map_identities),
		cmocka_unit_test(test_rename_names_the_new_path),
		cmocka_unit_test(test_unknown_names_not_found),
		cmocka_unit_test(test_syscall_default_is_process_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

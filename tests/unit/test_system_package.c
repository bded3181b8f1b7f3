/*
 * Unit tests for the package dataset's readers (system/dpkg_parse.c,
 * rpm_list.c, pkg_state.c, pkg_db.c): dpkg status stanzas good and
 * hostile, rpm query lines, the table's order and duplicates, and the
 * kept state written, read back and refused when hostile.
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

#include "system/dpkg_parse.h"
#include "system/pkg_db.h"
#include "system/pkg_state.h"
#include "system/rpm_list.h"
#include "tests/unit/helpers.h"

static int
parse_dpkg(const char *text, struct pkg_table *t)
{
	char *copy = strdup(text), err[256];
	int rc;

	assert_non_null(copy);
	memset(t, 0, sizeof(*t));
	rc = dpkg_status_parse(copy, strlen(copy), "status", NULL, t, err,
	    sizeof(err));
	free(copy);
	pkg_table_sort(t);
	return rc;
}

static const char status_text[] =
    "Package: zlib1g\n"
    "Status: install ok installed\n"
    "Installed-Size: 164\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Version: 1:1.2.13.dfsg-1\n"
    "Description: compression library - runtime\n"
    " zlib is a library implementing the deflate compression method.\n"
    " .\n"
    "Homepage: http://zlib.net/\n"
    "\n"
    "Package: zlib1g\n"
    "Status: install ok installed\n"
    "Architecture: i386\n"
    "Version: 1:1.2.13.dfsg-1\n"
    "\n"
    "Package: removed\n"
    "Status: deinstall ok config-files\n"
    "Version: 1.0\n"
    "\n"
    "Package: held\n"
    "Status: hold ok installed\n"
    "Version: 2.0\n"
    "Installed-Size: 12M\n"
    "\n"
    "\n"
    "package: lower-case-fields\n"
    "status: install ok installed\n"
    "version: 3\n"
    "   \t\n"
    "Package: halfway\n"
    "Status: install ok half-configured\n"
    "Version: 1\n"
    "\n"
    "Package: noversion\n"
    "Status: install ok installed\n"
    "\n"
    "Package: bad/name\n"
    "Status: install ok installed\n"
    "Version: 1\n"
    "\n"
    "Package: badline\n"
    "Status: install ok installed\n"
    "this line has no colon\n"
    "Version: 1\n"
    "\n"
    "Package: twice\n"
    "Package: twice\n"
    "Status: install ok installed\n"
    "Version: 1\n"
    "\n"
    "Package: last\n"
    "Status: install ok installed\n"
    "Version: 9";

static void
test_dpkg(void **state)
{
	struct pkg_table t;
	const struct sys_package *p;

	(void)state;
	assert_int_equal(parse_dpkg(status_text, &t), 0);
	assert_int_equal(t.n, 5);
	p = &t.pkgs[0];
	assert_string_equal(p->name, "held");
	assert_int_equal(p->size, 0);		/* "12M" is not KiB */
	assert_null(p->arch);
	assert_string_equal(t.pkgs[1].name, "last");
	assert_string_equal(t.pkgs[1].version, "9");
	assert_string_equal(t.pkgs[2].name, "lower-case-fields");
	p = &t.pkgs[3];
	assert_string_equal(p->name, "zlib1g");
	assert_string_equal(p->arch, "amd64");
	assert_string_equal(p->version, "1:1.2.13.dfsg-1");
	assert_string_equal(p->summary, "compression library - runtime");
	assert_string_equal(p->url, "http://zlib.net/");
	assert_string_equal(p->type, "dpkg");
	assert_int_equal(p->size, 164);
	assert_int_equal(p->installtime, 0);
	assert_string_equal(t.pkgs[4].arch, "i386");
	pkg_table_free(&t);
}

static void
test_dpkg_hostile(void **state)
{
	static const char nul[] = "Package: a\nStatus: install ok installed\n"
	    "Vers\0ion: 1\n\nPackage: b\nStatus: install ok installed\n"
	    "Version: 2\n";
	struct pkg_table t;
	char copy[sizeof(nul)], err[128];

	(void)state;
	assert_int_equal(parse_dpkg("", &t), 0);
	assert_int_equal(t.n, 0);
	assert_int_equal(parse_dpkg("\n\n\n", &t), 0);
	assert_int_equal(t.n, 0);
	assert_int_equal(parse_dpkg(":\n::\n: x\n", &t), 0);
	assert_int_equal(t.n, 0);
	assert_int_equal(parse_dpkg("Status: installed\nPackage: -x\n"
	    "Version: 1\n", &t), 0);
	assert_int_equal(t.n, 0);
	memcpy(copy, nul, sizeof(nul));
	memset(&t, 0, sizeof(t));
	assert_int_equal(dpkg_status_parse(copy, sizeof(nul) - 1, "status",
	    NULL, &t, err, sizeof(err)), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.pkgs[0].name, "b");
	pkg_table_free(&t);
}

static void
test_rpm(void **state)
{
	char text[] =
	    "bash\t5.1.8\t6.el9\tx86_64\tGPLv3+\t1700000000\t7738634\t"
	    "https://www.gnu.org/software/bash\tThe GNU Bourne Again shell\n"
	    "gpg-pubkey\tfd431d51\t4ae0493b\t(none)\tpubkey\t1700000001\t0\t"
	    "(none)\tgpg(Red Hat)\n"
	    "short\t1\t2\n"
	    "toolong\t1\t2\t3\t4\t5\t6\t7\t8\t9\n"
	    "badtime\t1\t1\tnoarch\tMIT\tyesterday\t0\tu\ts\n"
	    "\t1\t1\tnoarch\tMIT\t1\t0\tu\ts\n"
	    "\n";
	struct pkg_table t;
	char err[128];

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(rpm_qf_parse(text, strlen(text), &t, err,
	    sizeof(err)), 0);
	pkg_table_sort(&t);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.pkgs[0].name, "bash");
	assert_string_equal(t.pkgs[0].release, "6.el9");
	assert_string_equal(t.pkgs[0].license, "GPLv3+");
	assert_int_equal(t.pkgs[0].installtime, 1700000000);
	assert_int_equal(t.pkgs[0].size, 7738634);
	assert_string_equal(t.pkgs[0].type, "rpm");
	assert_null(t.pkgs[1].arch);		/* (none) */
	assert_null(t.pkgs[1].url);
	pkg_table_free(&t);
}

static void
test_state_round_trip(void **state)
{
	char dir[] = "/tmp/test_system_package.XXXXXX", path[64], err[256];
	struct pkg_table t, back;
	time_t sent;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/package.json", dir);
	assert_int_equal(parse_dpkg(status_text, &t), 0);
	free(t.pkgs[0].summary);
	assert_non_null(t.pkgs[0].summary = strdup("caf\xe9"));
	assert_int_equal(pkg_state_save(path, &t, 77, err, sizeof(err)), 0);
	assert_int_equal(pkg_state_load(path, &back, &sent, err,
	    sizeof(err)), 0);
	assert_int_equal(sent, 77);
	assert_int_equal(back.n, t.n);
	for (i = 0; i < t.n; i++) {
		assert_int_equal(pkg_key_cmp(&t.pkgs[i], &back.pkgs[i]), 0);
		assert_false(pkg_differs(&t.pkgs[i], &back.pkgs[i]));
	}
	pkg_table_free(&t);
	pkg_table_free(&back);
	unlink(path);
	rmdir(dir);
}

#define PKG(fields) "{\"version\":1,\"state_sent\":1,\"packages\":[{" \
	fields "}]}"
#define GOOD "\"name\":\"a\",\"version\":\"1\",\"type\":\"dpkg\"," \
	"\"size\":0,\"installtime\":0"

static const struct state_case {
	const char	*name;
	const char	*text;
	const char	*err;		/* NULL: accepted */
} state_cases[] = {
	{ "good", PKG(GOOD), NULL },
	{ "not json", "[", "not JSON" },
	{ "version", "{\"version\":2}", "version: not one this version reads" },
	{ "packages object", "{\"version\":1,\"state_sent\":1,"
	    "\"packages\":{}}", "packages: missing or not an array" },
	{ "entry string", "{\"version\":1,\"state_sent\":1,"
	    "\"packages\":[\"a\"]}", "packages[0]: not an object" },
	{ "no version", PKG("\"name\":\"a\",\"type\":\"dpkg\""),
	    "packages[0]: no name or version" },
	{ "name number", PKG("\"name\":1"), "packages[0].name: not a string" },
	{ "type", PKG("\"name\":\"a\",\"version\":\"1\",\"type\":\"apk\""),
	    "packages[0].type: not dpkg or rpm" },
	{ "size negative", PKG("\"name\":\"a\",\"version\":\"1\","
	    "\"type\":\"rpm\",\"size\":-1,\"installtime\":0"),
	    "packages[0].size: missing or out of range" },
	{ "installtime string", PKG("\"name\":\"a\",\"version\":\"1\","
	    "\"type\":\"rpm\",\"size\":1,\"installtime\":\"x\""),
	    "packages[0].installtime: missing or out of range" },
};

static void
test_state_hostile(void **state)
{
	const struct state_case *c = *state;
	struct pkg_table t;
	char err[256] = "";
	time_t sent;
	int rc;

	rc = pkg_state_parse(c->text, strlen(c->text), &t, &sent, err,
	    sizeof(err));
	if (c->err == NULL) {
		assert_int_equal(rc, 0);
		assert_int_equal(t.n, 1);
		pkg_table_free(&t);
		return;
	}
	assert_int_equal(rc, -1);
	if (strstr(err, c->err) == NULL)
		fail_msg("error \"%s\", want \"%s\"", err, c->err);
	assert_int_equal(t.n, 0);
	assert_null(t.pkgs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_dpkg_hostile),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_state_round_trip),
		CASES(test_state_hostile, state_cases),
	};

	return run_group(tests, NULL, NULL);
}

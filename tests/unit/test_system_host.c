/*
 * Unit tests for the host dataset's readers (system/host_probe.c,
 * host_state.c): the boot time from /proc/stat text, hardware addresses
 * as ECS writes them, the kept state written and read back, and hostile
 * state files.
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

#include "system/host_probe.h"
#include "system/host_state.h"
#include "tests/unit/helpers.h"

static const struct btime_case {
	const char	*name;
	const char	*text;
	long long	 want;
} btime_cases[] = {
	{ "proc stat", "cpu  1 2 3\nintr 5\nctxt 7\nbtime 1700000000\n"
	    "processes 9\n", 1700000000 },
	{ "last line", "cpu 1\nbtime 42", 42 },
	{ "none", "cpu 1\nctxt 2\n", -1 },
	{ "empty", "", -1 },
	{ "not a number", "btime soon\n", -1 },
	{ "trailing junk", "btime 12x\n", -1 },
	{ "negative", "btime -5\n", -1 },
	{ "zero", "btime 0\n", -1 },
	{ "prefix only", "xbtime 5\nbtimes 6\n", -1 },
	{ "overflow", "btime 99999999999999999999999\n", -1 },
};

static void
test_btime(void **state)
{
	const struct btime_case *c = *state;

	assert_int_equal(host_parse_btime(c->text), c->want);
}

static void
test_mac(void **state)
{
	const unsigned char mac[6] = { 0x02, 0xfc, 0x00, 0xab, 0x0f, 0xff };
	char out[32], small[8];

	(void)state;
	host_format_mac(mac, sizeof(mac), out, sizeof(out));
	assert_string_equal(out, "02-FC-00-AB-0F-FF");
	host_format_mac(mac, 0, out, sizeof(out));
	assert_string_equal(out, "");
	host_format_mac(mac, sizeof(mac), small, sizeof(small));
	assert_string_equal(small, "");
	host_format_mac(mac, 2, small, 6);
	assert_string_equal(small, "02-FC");
}

static void
test_round_trip(void **state)
{
	struct host_facts f, back;
	char dir[] = "/tmp/test_system_host.XXXXXX", path[64], err[256];
	time_t sent;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/host.json", dir);
	memset(&f, 0, sizeof(f));
	snprintf(f.info.hostname, sizeof(f.info.hostname), "h\xe9te");
	snprintf(f.info.id, sizeof(f.info.id), "abc");
	snprintf(f.info.kernel, sizeof(f.info.kernel), "6.1.0");
	snprintf(f.tz_name, sizeof(f.tz_name), "CET");
	f.tz_offset_sec = 3600;
	f.boottime = 1700000000;
	assert_int_equal(host_state_save(path, &f, 99, err, sizeof(err)), 0);
	assert_int_equal(host_state_load(path, &back, &sent, err,
	    sizeof(err)), 0);
	assert_int_equal(sent, 99);
	assert_string_equal(back.info.hostname, "h\xe9te");
	assert_string_equal(back.info.id, "abc");
	assert_string_equal(back.info.kernel, "6.1.0");
	assert_string_equal(back.tz_name, "CET");
	assert_int_equal(back.tz_offset_sec, 3600);
	assert_int_equal(back.boottime, 1700000000);
	unlink(path);
	assert_int_equal(host_state_load(path, &back, &sent, err,
	    sizeof(err)), 1);
	rmdir(dir);
}

#define STRINGS "\"hostname\":\"h\",\"id\":\"i\",\"architecture\":\"a\"," \
	"\"os_platform\":\"p\",\"os_name\":\"n\",\"os_family\":\"f\"," \
	"\"os_version\":\"v\",\"kernel\":\"k\",\"timezone\":\"UTC\""
#define STATE(rest) "{\"version\":1,\"state_sent\":1," rest "}"

static const struct state_case {
	const char	*name;
	const char	*text;
	const char	*err;		/* NULL: accepted */
} state_cases[] = {
	{ "good", STATE(STRINGS ",\"boottime\":5,\"timezone_offset\":-3600"),
	    NULL },
	{ "not json", "{", "not JSON" },
	{ "not object", "\"x\"", "not an object" },
	{ "version", "{\"version\":3}", "version: not one this version reads" },
	{ "sent string", "{\"version\":1,\"state_sent\":\"x\"}",
	    "state_sent: missing or not an integer" },
	{ "missing hostname", STATE("\"id\":\"i\""), "hostname: missing" },
	{ "hostname number", STATE("\"hostname\":5"),
	    "hostname: not a string" },
	{ "hostname too long", STATE("\"hostname\":\""
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "\""), "hostname: longer than 255 bytes" },
	{ "boottime negative", STATE(STRINGS ",\"boottime\":-1,"
	    "\"timezone_offset\":0"), "boottime: out of range" },
	{ "offset too big", STATE(STRINGS ",\"boottime\":1,"
	    "\"timezone_offset\":90000"), "timezone_offset: out of range" },
	{ "offset float", STATE(STRINGS ",\"boottime\":1,"
	    "\"timezone_offset\":1.5"),
	    "timezone_offset: missing or not an integer" },
};

static void
test_state_hostile(void **state)
{
	const struct state_case *c = *state;
	struct host_facts f;
	char err[256] = "";
	time_t sent;
	int rc;

	rc = host_state_parse(c->text, strlen(c->text), &f, &sent, err,
	    sizeof(err));
	if (c->err == NULL) {
		assert_int_equal(rc, 0);
		assert_string_equal(f.tz_name, "UTC");
		assert_int_equal(f.tz_offset_sec, -3600);
		return;
	}
	assert_int_equal(rc, -1);
	if (strstr(err, c->err) == NULL)
		fail_msg("error \"%s\", want \"%s\"", err, c->err);
	assert_string_equal(f.info.hostname, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		CASES(test_btime, btime_cases),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_round_trip),
		CASES(test_state_hostile, state_cases),
	};

	return run_group(tests, NULL, NULL);
}

/*
 * Unit tests for the deterministic event.id (parsers/event_id.h): the
 * first 128 bits of SHA-256 over HOST ":" SEC "." MSEC ":" SERIAL [":" EXTRA]
 * in unpadded base64url.  The expected ids were computed independently:
 *   python3 -c 'import hashlib, base64, sys; print(base64.urlsafe_b64encode(
 *       hashlib.sha256(sys.argv[1].encode()).digest()[:16]).decode()
 *       .rstrip("="))' 'TEXT'
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/event_id.h"

/* One digest state for the whole test, as the parser thread has. */
static struct id_hasher hasher;

#define HOST	"3d1219c7c4c5404aaa1f6d2a48adfda4"

static void
assert_id_chars(const char *id)
{
	size_t i;

	assert_int_equal(strlen(id), EVENT_ID_LEN);
	for (i = 0; i < EVENT_ID_LEN; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-_", id[i]) == NULL || id[i] == '\0')
			fail_msg("character %zu of \"%s\" is not base64url", i,
			    id);
}

static void
test_known_values(void **state)
{
	char id[EVENT_ID_LEN + 1];

	(void)state;
	/* HOST:1795300644.202:288 */
	event_id(&hasher, HOST, 1795300644, 202, 288, NULL, id);
	assert_string_equal(id, "Naox4o2hxOz3bxeeq_TF9Q");
	/* host:0.000:0 */
	event_id(&hasher, "host", 0, 0, 0, NULL, id);
	assert_string_equal(id, "sAYyeO3nCJo6E0nlvXSnPg");
	/* abc:1700000000.007:42 (milliseconds in three digits) */
	event_id(&hasher, "abc", 1700000000, 7, 42, NULL, id);
	assert_string_equal(id, "wpx6QLQ1fL1HL_vGk0woRA");
	/* abc:1700000000.007:42:USER_LOGIN:1234 */
	event_id(&hasher, "abc", 1700000000, 7, 42, "USER_LOGIN:1234", id);
	assert_string_equal(id, "qjJAm6G40oR6OPe2L3d_Ng");
	/* abc:1700000000.007:42: (an empty extra still adds its ':') */
	event_id(&hasher, "abc", 1700000000, 7, 42, "", id);
	assert_string_equal(id, "wYlNPlGbknY0T6G79AOfRg");
	/* HOST:1795300643.195:0:lost:300-339 (a lost-events document) */
	event_id(&hasher, HOST, 1795300643, 195, 0, "lost:300-339", id);
	assert_string_equal(id, "MimS-7O71CSV58Q6UtfmEw");
	/* :1.999:18446744073709551615 (no host id; the largest serial) */
	event_id(&hasher, "", 1, 999, 18446744073709551615UL, NULL, id);
	assert_string_equal(id, "EF2o-2d2qrNw5u2k2XsuiQ");
	assert_id_chars(id);
}

static void
test_deterministic(void **state)
{
	char a[EVENT_ID_LEN + 1], b[EVENT_ID_LEN + 1];

	(void)state;
	memset(a, 'A', sizeof(a));
	memset(b, 'B', sizeof(b));
	event_id(&hasher, HOST, 1795300644, 202, 288, NULL, a);
	event_id(&hasher, HOST, 1795300644, 202, 288, NULL, b);
	assert_string_equal(a, b);
	assert_id_chars(a);
	event_id(&hasher, HOST, 1795300644, 202, 288, "USER_LOGIN:77", a);
	event_id(&hasher, HOST, 1795300644, 202, 288, "USER_LOGIN:77", b);
	assert_string_equal(a, b);
	assert_id_chars(a);
}

/* Every input is part of the id: change any one, the id changes. */
static void
test_inputs_distinguish(void **state)
{
	static const struct {
		const char	*host;
		unsigned long	 sec;
		unsigned int	 msec;
		unsigned long	 serial;
		const char	*extra;
	} in[] = {
		{ HOST, 1795300644, 202, 288, NULL },
		{ "3d1219c7c4c5404aaa1f6d2a48adfda5", 1795300644, 202, 288, NULL },
		{ "", 1795300644, 202, 288, NULL },
		{ HOST, 1795300645, 202, 288, NULL },
		{ HOST, 1795300644, 203, 288, NULL },
		{ HOST, 1795300644, 20, 288, NULL },
		{ HOST, 1795300644, 202, 289, NULL },
		{ HOST, 1795300644, 202, 0, NULL },
		{ HOST, 1795300644, 202, 288, "x" },
		{ HOST, 1795300644, 202, 288, "" },
		{ HOST, 1795300644, 202, 288, "y" },
		{ HOST, 1795300644, 202, 0, "USER_LOGIN:1" },
		{ HOST, 1795300644, 202, 0, "USER_LOGIN:2" },
		{ HOST, 1795300644, 202, 0, "USER_LOGOUT:1" },
		{ HOST, 1795300644, 202, 0, "lost:300-339" },
		{ HOST, 1795300644, 202, 0, "lost:300-340" },
	};
	enum { N = sizeof(in) / sizeof(in[0]) };
	char ids[N][EVENT_ID_LEN + 1];
	size_t i, j;

	(void)state;
	for (i = 0; i < N; i++) {
		event_id(&hasher, in[i].host, in[i].sec, in[i].msec, in[i].serial,
		    in[i].extra, ids[i]);
		assert_id_chars(ids[i]);
	}
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				fail_msg("inputs %zu and %zu both give %s", i,
				    j, ids[i]);
}

/* Many ids: all well-formed, all different. */
static void
test_many_unique(void **state)
{
	enum { N = 2000 };
	static char ids[N][EVENT_ID_LEN + 1];
	size_t i, j;

	(void)state;
	for (i = 0; i < N; i++) {
		event_id(&hasher, HOST, 1795300644 + i / 1000, (unsigned int)(i % 1000),
		    259 + i, NULL, ids[i]);
		assert_id_chars(ids[i]);
	}
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++)
			if (memcmp(ids[i], ids[j], EVENT_ID_LEN) == 0)
				fail_msg("ids %zu and %zu are equal", i, j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_inputs_distinguish),
		cmocka_unit_test(test_many_unique),
	};

	int failed;

	if (id_hasher_init(&hasher) == -1)
		return 1;
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	id_hasher_release(&hasher);
	return failed;
}

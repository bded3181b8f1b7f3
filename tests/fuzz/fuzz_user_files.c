/*
 * The user dataset's readers of untrusted files (system/user_db.h,
 * system/user_state.h).  The first byte chooses:
 *   even: the rest is a kept state file (user.json) for user_state_parse;
 *   odd:  the rest is passwd, group and shadow, split at "\n--\n", read
 *         by user_table_read.
 * Whatever is read must be written back as a state file that reads again
 * to the same users and groups, and every entry must be one the parsers
 * accept (ids within 32 bits, a digest of 64 hex digits or none).
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "system/user_db.h"
#include "system/user_parse.h"
#include "system/user_state.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__,	\
		    #cond);						\
		abort();						\
	}								\
} while (0)

static const unsigned char key[32] = "fuzzing key, fuzzing key, fuzz.";

static void
check_table(const struct user_table *t)
{
	size_t i, j;

	for (i = 0; i < t->nusers; i++) {
		const struct sys_user *u = &t->users[i];

		CHECK(u->uid <= USER_ID_MAX && u->gid <= USER_ID_MAX);
		CHECK(u->pw_type >= PW_UNKNOWN && u->pw_type < PW_TYPE_COUNT);
		CHECK(strlen(u->pw_digest) == 0 ||
		    strlen(u->pw_digest) == PW_DIGEST_HEX);
		if (i > 0)
			CHECK(strcmp(t->users[i - 1].name, u->name) < 0);
		for (j = 0; j < u->ngroups; j++)
			CHECK(u->groups[j].gid <= USER_ID_MAX);
	}
	for (i = 1; i < t->ngroups; i++)
		CHECK(strcmp(t->groups[i - 1].name, t->groups[i].name) < 0);
}

/* Written and read back, t comes out as it went in. */
static void
round_trip(const struct user_table *t, const char *dir)
{
	struct user_table back;
	char path[PATH_MAX], err[256];
	time_t sent;
	size_t i;

	snprintf(path, sizeof(path), "%s/user.json", dir);
	CHECK(user_state_save(path, t, 12345, err, sizeof(err)) == 0);
	if (user_state_load(path, &back, &sent, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz: state not read back: %s\n", err);
		abort();
	}
	CHECK(sent == 12345);
	CHECK(back.nusers == t->nusers && back.ngroups == t->ngroups);
	for (i = 0; i < t->nusers; i++) {
		CHECK(strcmp(back.users[i].name, t->users[i].name) == 0);
		CHECK(strcmp(back.users[i].shell, t->users[i].shell) == 0);
		CHECK(strcmp(back.users[i].pw_digest,
		    t->users[i].pw_digest) == 0);
		CHECK(back.users[i].ngroups == t->users[i].ngroups);
	}
	for (i = 0; i < t->ngroups; i++)
		CHECK(strcmp(back.groups[i].members, t->groups[i].members) == 0);
	user_table_free(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_cursor in = { data, size };
	const char *dir;
	char p[PATH_MAX], g[PATH_MAX], s[PATH_MAX], err[256];
	const uint8_t *part;
	struct user_table t;
	time_t sent;
	size_t n;
	int rc;

	fuzz_init();
	dir = fuzz_scratch_dir();
	if ((fuzz_byte(&in) & 1) == 0) {
		rc = user_state_parse((const char *)in.p, in.n, &t, &sent,
		    err, sizeof(err));
		CHECK(rc == 0 || rc == -1);
		if (rc == -1) {
			CHECK(t.nusers == 0 && t.users == NULL);
			CHECK(err[0] != '\0');
			return 0;
		}
	} else {
		snprintf(p, sizeof(p), "%s/passwd", dir);
		snprintf(g, sizeof(g), "%s/group", dir);
		snprintf(s, sizeof(s), "%s/shadow", dir);
		n = fuzz_until(&in, "\n--\n", &part);
		fuzz_write_file(p, part, n);
		n = fuzz_until(&in, "\n--\n", &part);
		fuzz_write_file(g, part, n);
		fuzz_write_file(s, in.p, in.n);
		struct user_sources src = { p, g, s, key, sizeof(key) };
		if (user_table_read(&src, &t, err, sizeof(err)) == -1) {
			fuzz_empty_dir(dir);
			return 0;
		}
	}
	check_table(&t);
	/* The state file keeps strings that are UTF-8; others are escaped. */
	round_trip(&t, dir);
	user_table_free(&t);
	fuzz_empty_dir(dir);
	return 0;
}

/*
 * The system datasets' readers of untrusted files.  The first byte
 * chooses, by its value modulo 8:
 *   0: the rest is the user dataset's kept state (user_state_parse);
 *   1: passwd, group and shadow, split at "\n--\n" (user_table_read);
 *   2: dpkg's status file (dpkg_status_parse);
 *   3: the output of rpm -qa --qf (rpm_qf_parse);
 *   4: the package dataset's kept state (pkg_state_parse);
 *   5: the host dataset's kept state (host_state_parse);
 *   6: a netlink sock_diag answer (sock_diag_parse);
 *   7: the socket dataset's kept state (sock_state_parse).
 * Whatever is read must be written back as a state file that reads again
 * the same, and every entry must be one the parsers accept (ids within 32
 * bits, a digest of 64 hex digits or none, packages with a name and a
 * version).
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "system/dpkg_parse.h"
#include "system/host_state.h"
#include "system/pkg_state.h"
#include "system/rpm_list.h"
#include "system/sock_diag.h"
#include "system/sock_owner.h"
#include "system/sock_state.h"
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

static void
check_packages(const struct pkg_table *t, const char *dir)
{
	struct pkg_table back;
	char path[PATH_MAX], err[256];
	time_t sent;
	size_t i;

	for (i = 0; i < t->n; i++) {
		CHECK(t->pkgs[i].name != NULL && t->pkgs[i].version != NULL);
		CHECK(t->pkgs[i].type != NULL);
		if (i > 0)
			CHECK(pkg_key_cmp(&t->pkgs[i - 1], &t->pkgs[i]) < 0);
	}
	snprintf(path, sizeof(path), "%s/package.json", dir);
	CHECK(pkg_state_save(path, t, 7, err, sizeof(err)) == 0);
	if (pkg_state_load(path, &back, &sent, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz: packages not read back: %s\n", err);
		abort();
	}
	CHECK(back.n == t->n && sent == 7);
	for (i = 0; i < t->n; i++) {
		CHECK(pkg_key_cmp(&t->pkgs[i], &back.pkgs[i]) == 0);
		CHECK(!pkg_differs(&t->pkgs[i], &back.pkgs[i]));
	}
	pkg_table_free(&back);
}

/* Modes 6 and 7: the socket readers; what reads must write back. */
static void
socket_readers(int mode, const uint8_t *data, size_t n, const char *dir)
{
	struct sock_table t = { NULL, 0, 0 }, back;
	char err[256], path[PATH_MAX], *text;
	time_t sent = 0;
	size_t i;
	int rc;

	if (mode == 6) {
		rc = sock_diag_parse(data, n, 6, &t, err, sizeof(err));
		CHECK(rc >= -1 && rc <= 1);
		if (rc == -1) {
			sock_table_free(&t);
			return;
		}
		sock_table_sort(&t);
		sock_set_directions(&t);
		for (i = 0; i < t.n; i++)
			t.socks[i].pid = -1;
	} else {
		if ((text = malloc(n + 1)) == NULL)
			return;
		memcpy(text, data, n);
		text[n] = '\0';
		rc = sock_state_parse(text, n, &t, &sent, err, sizeof(err));
		free(text);
		if (rc == -1)
			return;
	}
	snprintf(path, sizeof(path), "%s/socket.json", dir);
	CHECK(sock_state_save(path, &t, sent, err, sizeof(err)) == 0);
	CHECK(sock_state_load(path, &back, &sent, err, sizeof(err)) == 0);
	CHECK(back.n == t.n);
	for (i = 0; i < t.n; i++)
		CHECK(sock_key_cmp(&back.socks[i], &t.socks[i]) == 0);
	sock_table_free(&back);
	sock_table_free(&t);
}

/* Modes 2 to 5: the package and host readers. */
static void
other_readers(int mode, const uint8_t *data, size_t n, const char *dir)
{
	struct pkg_table t = { NULL, 0, 0 };
	struct host_facts f, back;
	char err[256], path[PATH_MAX], *text;
	time_t sent;
	int rc;

	if ((text = malloc(n + 1)) == NULL)
		return;
	memcpy(text, data, n);
	text[n] = '\0';
	switch (mode) {
	case 2:
		rc = dpkg_status_parse(text, n, "status", NULL, &t, err,
		    sizeof(err));
		break;
	case 3:
		rc = rpm_qf_parse(text, n, &t, err, sizeof(err));
		break;
	case 4:
		rc = pkg_state_parse(text, n, &t, &sent, err, sizeof(err));
		break;
	default:
		rc = host_state_parse(text, n, &f, &sent, err, sizeof(err));
		if (rc == 0) {
			snprintf(path, sizeof(path), "%s/host.json", dir);
			CHECK(host_state_save(path, &f, sent, err,
			    sizeof(err)) == 0);
			CHECK(host_state_load(path, &back, &sent, err,
			    sizeof(err)) == 0);
			CHECK(strcmp(back.info.hostname, f.info.hostname) == 0);
			CHECK(back.boottime == f.boottime);
		}
		free(text);
		return;
	}
	free(text);
	if (rc == 0) {
		pkg_table_sort(&t);
		check_packages(&t, dir);
	}
	pkg_table_free(&t);
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
	int rc, mode;

	fuzz_init();
	dir = fuzz_scratch_dir();
	mode = fuzz_byte(&in) % 8;
	if (mode >= 6) {
		socket_readers(mode, in.p, in.n, dir);
		fuzz_empty_dir(dir);
		return 0;
	}
	if (mode >= 2) {
		other_readers(mode, in.p, in.n, dir);
		fuzz_empty_dir(dir);
		return 0;
	}
	if (mode == 0) {
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

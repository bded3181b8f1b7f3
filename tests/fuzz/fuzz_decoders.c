/*
 * The decoders of audit field values, fed directly: quoted-or-hex values
 * (parsers/audit_value.h), SOCKADDR saddr (parsers/sockaddr.h) and the
 * argument vector of EXECVE records (parsers/execve_args.h).
 *
 * Input: one byte choosing the decoder (its value modulo 3), then
 *   0: a field value as auparse hands it over (up to a NUL byte);
 *   1: a saddr value;
 *   2: EXECVE fields, one "name=value" per line, as the records of one
 *      event give them (argc, aN, aN_len, aN[i]);
 *   a first byte of 0xf0 or more: a netlink record, two bytes of type
 *   and its payload (parsers/kernel_record.h).
 * Besides what the sanitizers see, each decoder's result is checked
 * against what its header promises.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parsers/arena.h"
#include "parsers/audit_value.h"
#include "parsers/execve_args.h"
#include "parsers/kernel_record.h"
#include "parsers/sockaddr.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__,	\
		    #cond);						\
		abort();						\
	}								\
} while (0)

static volatile unsigned char sink;

/* Reads every byte, so the sanitizers see a view that points wrong. */
static void
touch(struct sv v)
{
	size_t i;

	for (i = 0; v.p != NULL && i < v.n; i++)
		sink ^= (unsigned char)v.p[i];
}

static int
hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static void
fuzz_value(const char *raw, struct arena *arena)
{
	size_t n = strlen(raw), i;
	unsigned char *out;
	struct sv v;
	int hex = n > 0 && n % 2 == 0;

	for (i = 0; hex && i < n; i++)
		hex = hex_digit(raw[i]);
	CHECK(is_hex_string(raw, n) == hex);
	v = audit_value_decode(raw, arena);
	touch(v);
	if (strcmp(raw, "(null)") == 0 || strcmp(raw, "?") == 0) {
		CHECK(v.p == NULL);
		return;
	}
	CHECK(v.p != NULL);
	if (n >= 2 && raw[0] == '"' && raw[n - 1] == '"') {
		CHECK(v.p == raw + 1 && v.n == n - 2);
		return;
	}
	if (!hex) {
		CHECK(v.p == raw && v.n == n);
		return;
	}
	CHECK(v.n == n / 2);
	if ((out = malloc(n / 2 + 1)) == NULL)
		abort();
	CHECK(hex_decode(raw, n, out) == 0);
	CHECK(memcmp(out, v.p, v.n) == 0);
	free(out);
	touch(audit_value_plain(raw));
}

static void
fuzz_sockaddr(const char *hex)
{
	struct sockaddr_info si;
	const char *family;

	if (sockaddr_decode(hex, &si) == -1)
		return;
	/* A sockaddr_in(6) too short for its address has no family name. */
	family = sockaddr_family_name(&si);
	CHECK(family != NULL || si.family == SOCK_FAMILY_NONE);
	CHECK(memchr(si.ip, '\0', sizeof(si.ip)) != NULL);
	CHECK(si.path_len <= SOCKADDR_PATH_MAX);
	CHECK(si.path[si.path_len] == '\0');
	touch((struct sv){ si.path, si.path_len });
	if (si.family != SOCK_FAMILY_INET && si.family != SOCK_FAMILY_INET6)
		CHECK(!si.has_port && si.ip[0] == '\0');
}

static void
fuzz_execve(char *text, struct arena *arena)
{
	struct execve_args a;
	char *line, *next, *eq;
	size_t i;

	execve_args_init(&a);
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		CHECK(execve_args_field(&a, arena, line, eq + 1) != -1);
	}
	execve_args_finish(&a);
	CHECK(a.count <= EXECVE_MAX_ARGS);
	CHECK(a.count <= a.cap || a.count == 0);
	for (i = 0; i < a.count; i++)
		touch(a.argv[i]);
}

static void
fuzz_kernel_record(const uint8_t *data, size_t size)
{
	char line[256];
	size_t full, n;
	int type;

	if (size < 2)
		return;
	type = data[0] | data[1] << 8;
	full = kernel_record_format(line, sizeof(line), type,
	    (const char *)data + 2, size - 2);
	if (full == 0) {
		CHECK(line[0] == '\0');
		return;
	}
	CHECK(type >= KERNEL_RECORD_FIRST);
	n = strlen(line);
	CHECK(n == (full < sizeof(line) ? full : sizeof(line) - 1));
	CHECK(strncmp(line, "type=", 5) == 0);
	CHECK(memchr(line, '\n', n) == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_cursor in = { data, size };
	struct arena arena;
	uint8_t which = fuzz_byte(&in);
	char *text;

	fuzz_init();
	if (which >= 0xf0) {
		fuzz_kernel_record(in.p, in.n);
		return 0;
	}
	if ((text = malloc(in.n + 1)) == NULL)
		abort();
	memcpy(text, in.p, in.n);
	text[in.n] = '\0';
	arena_init(&arena, 4096);
	switch (which % 3) {
	case 0:
		fuzz_value(text, &arena);
		break;
	case 1:
		fuzz_sockaddr(text);
		break;
	default:
		fuzz_execve(text, &arena);
		break;
	}
	arena_release(&arena);
	free(text);
	return 0;
}

/*
 * Unit tests for reading and hashing a file (fim/hasher.c): a file up to
 * the size limit is hashed, one that has more bytes than the limit (it
 * grew after lstat) is refused with EFBIG after reading one byte past it,
 * not to its end; and a move's "path" change keeps both paths whole
 * (fim/compare.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fim/compare.h"
#include "fim/hash_algo.h"
#include "fim/hasher.h"

#define SHA256_1000X \
	"44f8354494a5ba03ba1792a8d3e9c534c47a9181980fde7a3f44b06ef2ae7c7f"

/* A file of n bytes 'x', open for reading at its start. */
static int
file_of(size_t n)
{
	char name[] = "/tmp/test_fim_hasher.XXXXXX";
	char *buf = malloc(n + 1);
	int fd = mkstemp(name);

	assert_non_null(buf);
	assert_true(fd != -1);
	unlink(name);
	memset(buf, 'x', n);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	free(buf);
	return fd;
}

static void
test_limit(void **state)
{
	int a = hash_algo_find("sha256");
	struct hasher *h;
	struct digests d;
	uint64_t bytes;
	char hex[2 * 64 + 1];
	int fd;

	(void)state;
	assert_true(a >= 0);
	assert_non_null(h = hasher_new(1u << a));

	fd = file_of(1000);
	assert_int_equal(hasher_fd(h, fd, 1000, NULL, NULL, &d, &bytes), 0);
	assert_int_equal(bytes, 1000);
	digest_hex(&d, a, hex);
	assert_string_equal(hex, SHA256_1000X);
	close(fd);

	/* Grown past the limit: one byte more is read, not the rest. */
	fd = file_of(1000000);
	errno = 0;
	assert_int_equal(hasher_fd(h, fd, 999, NULL, NULL, &d, &bytes), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(bytes, 1000);
	close(fd);

	fd = file_of(0);
	assert_int_equal(hasher_fd(h, fd, 0, NULL, NULL, &d, &bytes), 0);
	assert_int_equal(bytes, 0);
	close(fd);
	fd = file_of(1);
	assert_int_equal(hasher_fd(h, fd, 0, NULL, NULL, &d, &bytes), -1);
	assert_int_equal(errno, EFBIG);
	close(fd);
	hasher_free(h);
}

static void
test_move_paths(void **state)
{
	struct fim_changes c;
	char from[1024], to[1040];

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(from, 'a', sizeof(from) - 1);
	from[0] = '/';
	from[sizeof(from) - 1] = '\0';
	snprintf(to, sizeof(to), "%s/moved", from);
	fim_changes_add(&c, "mode", "0644", "0600");
	fim_changes_add_paths(&c, from, to);
	assert_int_equal(c.count, 2);
	assert_string_equal(fim_change_old(&c.items[0]), "0644");
	assert_string_equal(fim_change_new(&c.items[0]), "0600");
	assert_string_equal(c.items[1].attribute, "path");
	assert_string_equal(fim_change_old(&c.items[1]), from);
	assert_string_equal(fim_change_new(&c.items[1]), to);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_move_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

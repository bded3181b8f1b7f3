/*
 * Unit tests for replacing a file whole (common/atomic_file.h).  Each test
 * works in a fresh directory and checks, besides the file's content and
 * mode, that nothing else is left in the directory: no temporary file
 * survives a call, whether it succeeded or failed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/atomic_file.h"

struct dir {
	char	path[256];
	char	file[300];	/* path/state: the file being replaced */
};

static void
dir_make(struct dir *d)
{
	const char *base = getenv("TMPDIR");

	snprintf(d->path, sizeof(d->path), "%s/test_atomic_file.XXXXXX",
	    base != NULL ? base : "/tmp");
	assert_non_null(mkdtemp(d->path));
	snprintf(d->file, sizeof(d->file), "%s/state", d->path);
}

/* Entries in the directory, "." and ".." aside. */
static int
dir_count(const struct dir *d)
{
	struct dirent *de;
	DIR *dp;
	int n = 0;

	assert_non_null(dp = opendir(d->path));
	while ((de = readdir(dp)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(dp);
	return n;
}

static void
dir_remove(struct dir *d)
{
	char cmd[300];

	chmod(d->path, 0700);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	assert_int_equal(system(cmd), 0);
}

static void
write_plain(const char *path, const char *text)
{
	FILE *f;

	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
assert_content(const char *path, const char *text)
{
	char buf[256];
	size_t n;
	FILE *f;

	assert_non_null(f = fopen(path, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, text);
}

static int
replace(const char *path, const char *text, mode_t mode)
{
	return atomic_replace(path, text, strlen(text), mode);
}

/*
 * Runs first, while this process's counter is still at 0: the names it
 * will try first are taken by files an earlier run left behind.  They are
 * skipped, not opened, and stay as they were.
 */
static void
test_leftover_temps(void **state)
{
	char name[400];
	struct dir d;
	int i;

	(void)state;
	dir_make(&d);
	write_plain(d.file, "old\n");
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "%s.tmp.%ld.%d", d.file,
		    (long)getpid(), i);
		write_plain(name, "leftover\n");
	}
	snprintf(name, sizeof(name), "%s.tmp", d.file);
	write_plain(name, "leftover\n");

	assert_int_equal(replace(d.file, "new\n", 0600), 0);
	assert_content(d.file, "new\n");
	assert_content(name, "leftover\n");
	snprintf(name, sizeof(name), "%s.tmp.%ld.0", d.file, (long)getpid());
	assert_content(name, "leftover\n");
	assert_int_equal(dir_count(&d), 1 + 10 + 1);
	dir_remove(&d);
}

static void
test_replaces_content(void **state)
{
	struct dir d;

	(void)state;
	dir_make(&d);
	write_plain(d.file, "a longer old content\n");
	assert_int_equal(replace(d.file, "new\n", 0600), 0);
	assert_content(d.file, "new\n");
	assert_int_equal(replace(d.file, "newer\n", 0600), 0);
	assert_content(d.file, "newer\n");
	assert_int_equal(dir_count(&d), 1);
	dir_remove(&d);
}

static void
test_creates_missing_file(void **state)
{
	struct dir d;

	(void)state;
	dir_make(&d);
	assert_int_equal(replace(d.file, "first\n", 0600), 0);
	assert_content(d.file, "first\n");
	assert_int_equal(atomic_replace(d.file, "", 0, 0600), 0);
	assert_content(d.file, "");
	assert_int_equal(dir_count(&d), 1);
	dir_remove(&d);
}

/* Exactly the mode asked for, whatever the umask and the old file's. */
static void
test_mode(void **state)
{
	static const mode_t modes[] = { 0600, 0640, 0644, 0666 };
	struct stat st;
	struct dir d;
	mode_t old;
	size_t i;

	(void)state;
	dir_make(&d);
	old = umask(027);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(replace(d.file, "x\n", modes[i]), 0);
		assert_int_equal(stat(d.file, &st), 0);
		assert_int_equal(st.st_mode & 07777, modes[i]);
	}
	umask(old);
	dir_remove(&d);
}

static void
test_missing_directory(void **state)
{
	char path[400];
	struct dir d;

	(void)state;
	dir_make(&d);
	snprintf(path, sizeof(path), "%s/no/such/dir/state", d.path);
	errno = 0;
	assert_int_equal(replace(path, "new\n", 0600), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(dir_count(&d), 0);
	dir_remove(&d);
}

/*
 * A directory we may not write to.  Root may write anywhere, so as root
 * the call is made by a child that has given up its privileges.
 */
static void
test_readonly_directory(void **state)
{
	struct dir d;
	pid_t pid;
	int status;

	(void)state;
	dir_make(&d);
	write_plain(d.file, "old\n");
	if (geteuid() != 0) {
		assert_int_equal(chmod(d.path, 0555), 0);
		errno = 0;
		assert_int_equal(replace(d.file, "new\n", 0600), -1);
		assert_int_equal(errno, EACCES);
	} else {
		assert_int_equal(chmod(d.path, 0755), 0);
		assert_int_equal(chmod(d.file, 0644), 0);
		assert_true((pid = fork()) != -1);
		if (pid == 0) {
			if (setgid(65534) == -1 || setuid(65534) == -1)
				_exit(2);
			errno = 0;
			if (replace(d.file, "new\n", 0600) != -1)
				_exit(3);
			_exit(errno == EACCES ? 0 : 4);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_content(d.file, "old\n");
	assert_int_equal(dir_count(&d), 1);
	dir_remove(&d);
}

/*
 * A failure after the temporary file was written (here the rename: a
 * directory stands where the file should be) removes it again.
 */
static void
test_rename_fails(void **state)
{
	char inner[400];
	struct dir d;

	(void)state;
	dir_make(&d);
	assert_int_equal(mkdir(d.file, 0700), 0);
	snprintf(inner, sizeof(inner), "%s/inner", d.file);
	write_plain(inner, "kept\n");
	errno = 0;
	assert_int_equal(replace(d.file, "new\n", 0600), -1);
	assert_true(errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST);
	assert_content(inner, "kept\n");
	assert_int_equal(dir_count(&d), 1);
	dir_remove(&d);
}

/* A name with no directory part replaces the file in the current one. */
static void
test_relative_path(void **state)
{
	char cwd[4096];
	struct dir d;

	(void)state;
	dir_make(&d);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(d.path), 0);
	assert_int_equal(replace("state", "here\n", 0600), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_content(d.file, "here\n");
	assert_int_equal(dir_count(&d), 1);
	dir_remove(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leftover_temps),	/* must be first */
		cmocka_unit_test(test_replaces_content),
		cmocka_unit_test(test_creates_missing_file),
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_missing_directory),
		cmocka_unit_test(test_readonly_directory),
		cmocka_unit_test(test_rename_fails),
		cmocka_unit_test(test_relative_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

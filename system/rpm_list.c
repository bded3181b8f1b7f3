/*
 * Listing RPM packages; see rpm_list.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/errbuf.h"
#include "../common/log.h"
#include "../common/timeutil.h"
#include "rpm_list.h"
#include "sys_file.h"

#define RPM_OUTPUT_MAX	(256u * 1024 * 1024)
#define RPM_TIMEOUT_MS	60000

static const char *const rpm_databases[] = {
	"/var/lib/rpm", "/usr/lib/sysimage/rpm",
};
static const char *const rpm_programs[] = {
	"/usr/bin/rpm", "/bin/rpm",
};

extern char **environ;

struct parsing {
	struct pkg_table *t;
	int		 failed;
	int		 bad_lines;
};

/* rpm writes "(none)" for a tag the package does not have. */
static int
dup_field(char **dst, const char *s)
{
	if (strcmp(s, "(none)") == 0 || *s == '\0')
		return 0;
	return (*dst = strdup(s)) == NULL ? -1 : 0;
}

static int
parse_number(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;

	*out = 0;
	if (strcmp(s, "(none)") == 0)
		return 0;
	if (*s == '\0' || strlen(s) > 19)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	*out = v;
	return 0;
}

static void
qf_line(void *arg, char *line, size_t lineno)
{
	struct parsing *ps = arg;
	char *f[9], *p = line, *tab = NULL;
	unsigned long long itime, size;
	struct sys_package *pkg;
	int n;

	if (ps->failed || (line != NULL && *line == '\0'))
		return;
	for (n = 0; line != NULL && n < 9; n++) {
		f[n] = p;
		if ((tab = strchr(p, '\t')) == NULL) {
			n++;
			break;
		}
		*tab = '\0';
		p = tab + 1;
	}
	if (line == NULL || n != 9 || (tab != NULL) || *f[0] == '\0' ||
	    *f[1] == '\0' || parse_number(f[5], &itime) == -1 ||
	    parse_number(f[6], &size) == -1 || itime > (1ULL << 40)) {
		if (ps->bad_lines++ < 5)
			log_warnx("rpm -qa: line %zu: not a package; skipped",
			    lineno);
		return;
	}
	if ((pkg = pkg_table_add(ps->t)) == NULL) {
		ps->failed = 1;
		return;
	}
	pkg->type = "rpm";
	pkg->installtime = (long long)itime;
	pkg->size = size;
	if (dup_field(&pkg->name, f[0]) == -1 ||
	    dup_field(&pkg->version, f[1]) == -1 ||
	    dup_field(&pkg->release, f[2]) == -1 ||
	    dup_field(&pkg->arch, f[3]) == -1 ||
	    dup_field(&pkg->license, f[4]) == -1 ||
	    dup_field(&pkg->url, f[7]) == -1 ||
	    dup_field(&pkg->summary, f[8]) == -1) {
		pkg_table_drop_last(ps->t);
		ps->failed = 1;
	}
}

int
rpm_qf_parse(char *text, size_t len, struct pkg_table *t, char *err,
    size_t errlen)
{
	struct parsing ps = { t, 0, 0 };

	sys_each_line(text, len, qf_line, &ps);
	if (ps.failed) {
		seterr(err, errlen, "rpm -qa: out of memory, or more than %d "
		    "packages", PKG_TABLE_MAX);
		return -1;
	}
	return 0;
}

static const char *
first_existing(const char *const *paths, size_t n, mode_t type)
{
	struct stat st;
	size_t i;

	for (i = 0; i < n; i++)
		if (stat(paths[i], &st) == 0 && (st.st_mode & S_IFMT) == type)
			return paths[i];
	return NULL;
}

/* Reads the child's output until its end, the bound or the deadline. */
static int
read_output(int fd, char **out, size_t *lenp, char *err, size_t errlen)
{
	long deadline = monotonic_ms() + RPM_TIMEOUT_MS, left;
	size_t len = 0, cap = 1 << 16;
	struct pollfd pfd = { fd, POLLIN, 0 };
	char *buf, *grown;
	ssize_t n;

	if ((buf = malloc(cap + 1)) == NULL) {
		seterr(err, errlen, "rpm -qa: out of memory");
		return -1;
	}
	for (;;) {
		if ((left = deadline - monotonic_ms()) <= 0) {
			seterr(err, errlen, "rpm -qa: no end after %d s",
			    RPM_TIMEOUT_MS / 1000);
			goto fail;
		}
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR) {
			seterr(err, errlen, "rpm -qa: poll: %s",
			    strerror(errno));
			goto fail;
		}
		if (len == cap) {
			if (cap >= RPM_OUTPUT_MAX) {
				seterr(err, errlen, "rpm -qa: more than %u "
				    "bytes", RPM_OUTPUT_MAX);
				goto fail;
			}
			cap *= 2;
			if ((grown = realloc(buf, cap + 1)) == NULL) {
				seterr(err, errlen, "rpm -qa: out of memory");
				goto fail;
			}
			buf = grown;
		}
		if ((n = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			seterr(err, errlen, "rpm -qa: %s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	return -1;
}

int
rpm_list(struct pkg_table *t, char *err, size_t errlen)
{
	char *const argv[] = { "rpm", "-qa", "--qf", RPM_QUERY_FORMAT, NULL };
	char *const envp[] = { "LC_ALL=C", "PATH=/usr/bin:/bin", NULL };
	posix_spawn_file_actions_t fa;
	const char *prog;
	char *text = NULL;
	size_t len = 0;
	int pipefd[2], status, rc;
	pid_t pid;

	if (first_existing(rpm_databases, 2, S_IFDIR) == NULL)
		return 1;
	if ((prog = first_existing(rpm_programs, 2, S_IFREG)) == NULL) {
		seterr(err, errlen, "an RPM database but no rpm program");
		return -1;
	}
	if (pipe2(pipefd, O_CLOEXEC) == -1) {
		seterr(err, errlen, "rpm -qa: pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawn(&pid, prog, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		seterr(err, errlen, "cannot run %s: %s", prog, strerror(rc));
		return -1;
	}
	rc = read_output(pipefd[0], &text, &len, err, errlen);
	close(pipefd[0]);
	if (rc == -1)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		seterr(err, errlen, "rpm -qa failed (status %d)", status);
		rc = -1;
	}
	if (rc == 0)
		rc = rpm_qf_parse(text, len, t, err, errlen);
	free(text);
	return rc;
}

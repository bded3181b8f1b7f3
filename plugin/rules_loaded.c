/* The kernel's loaded rules; see rules_loaded.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/errbuf.h"
#include "rules_loaded.h"

extern char **environ;

/* Where auditd's package puts it (Debian: /sbin is /usr/sbin). */
static const char *const auditctl_paths[] = {
	"/usr/sbin/auditctl", "/sbin/auditctl", NULL
};

static int	run_auditctl(struct key_counts *, char *err, size_t errlen);

static int
run_auditctl(struct key_counts *kc, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	const char *path = NULL;
	char *argv[3], why[512] = "";
	int pipefd[2], status, i;
	long rc = 0;
	pid_t pid;
	FILE *in;

	for (i = 0; auditctl_paths[i] != NULL; i++)
		if (access(auditctl_paths[i], X_OK) == 0) {
			path = auditctl_paths[i];
			break;
		}
	if (path == NULL) {
		seterr(err, errlen, "auditctl not found (Debian package "
		    "auditd); --loaded FILE reads a saved 'auditctl -l'");
		return -1;
	}
	if (pipe2(pipefd, O_CLOEXEC) == -1) {
		seterr(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	argv[0] = (char *)"auditctl";
	argv[1] = (char *)"-l";
	argv[2] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		seterr(err, errlen, "%s: %s", path, strerror((int)rc));
		return -1;
	}
	if ((in = fdopen(pipefd[0], "r")) == NULL) {
		close(pipefd[0]);
		rc = -1;
		snprintf(why, sizeof(why), "fdopen: %s", strerror(errno));
	} else {
		rc = key_counts_read(kc, in, "auditctl -l", 1, why,
		    sizeof(why));
		fclose(in);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (rc == -1) {
		seterr(err, errlen, "%s", why);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		seterr(err, errlen, "%s -l failed (status %d): the kernel's "
		    "rules could not be listed (root is needed)", path,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

int
rules_loaded_read(struct key_counts *kc, const char *file, char *err,
    size_t errlen)
{
	FILE *in;
	long rc;

	if (file == NULL)
		return run_auditctl(kc, err, errlen);
	if ((in = fopen(file, "re")) == NULL) {
		seterr(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	rc = key_counts_read(kc, in, file, 1, err, errlen);
	fclose(in);
	return rc == -1 ? -1 : 0;
}

/*
 * The walk below a job's path: every entry the configuration wants and
 * scopes in, each checked against the baseline (scanner_check.c), into
 * subdirectories when fim.recursive says so.  The walk stays on the file
 * system of the root it started from: /proc below / is not a file to
 * hash, and what is mounted below a root is not walked (the mount point
 * itself is checked).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "scanner_internal.h"

/*
 * Whether path (below root) is where the scan of root does
 * not go: its directory is on another file system than root.  *dev gets
 * root's device, which scanner_visit() stays on.
 */
static int
below_other_mount(const char *root, char *path, dev_t *dev)
{
	struct stat st;
	char *slash = strrchr(path, '/');
	int other;

	if (lstat(root, &st) == -1) {
		*dev = 0;	/* gone: what was below it is missing */
		return 0;
	}
	*dev = st.st_dev;
	if (slash == NULL || slash == path)
		return 0;
	*slash = '\0';
	other = lstat(path, &st) == 0 && st.st_dev != *dev;
	*slash = '/';
	return other;
}

int
scanner_walk_device(struct scanner *sc, char *path, dev_t *dev)
{
	struct stat st;

	if (strcmp(path, sc->root) == 0) {
		/* Its own device, so scanner_visit() walks into path. */
		*dev = lstat(path, &st) == 0 ? st.st_dev : 0;
		return 1;
	}
	return !below_other_mount(sc->root, path, dev);
}

/* The entries of directory path (len bytes in a PATH_MAX buffer). */
static void
walk(struct scanner *sc, char *path, size_t len, dev_t dev)
{
	struct dirent *de;
	DIR *d;
	size_t n, base;

	if ((d = opendir(path)) == NULL) {
		if (errno != ENOENT && errno != ENOTDIR)
			log_warn("fim: cannot read directory %s", path);
		return;
	}
	while ((de = readdir(d)) != NULL && !atomic_load(sc->stop)) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n = strlen(de->d_name);
		base = len == 1 ? 0 : len;	/* below "/": no second slash */
		if (base + 1 + n >= PATH_MAX)
			continue;
		path[base] = '/';
		memcpy(path + base + 1, de->d_name, n + 1);
		scanner_visit(sc, path, base + 1 + n, dev);
		path[len] = '\0';
	}
	closedir(d);
}

void
scanner_visit(struct scanner *sc, char *path, size_t len, dev_t parent_dev)
{
	struct stat st;

	if (atomic_load(sc->stop))
		return;
	if (lstat(path, &st) == -1)
		return;
	if (!fim_config_wants(sc->cfg, path, S_ISDIR(st.st_mode)) ||
	    !fim_config_in_scope(sc->cfg, sc->root, path))
		return;
	scanner_check_entry(sc, path, &st);
	/* Stay on the file system: /proc below / is not a file to hash. */
	if (S_ISDIR(st.st_mode) && st.st_dev == parent_dev &&
	    (sc->cfg->recursive || strcmp(path, sc->root) == 0))
		walk(sc, path, len, st.st_dev);
}

/*
 * "rules install PROFILE...": copy compliance profiles into augenrules'
 * directory (/etc/audit/rules.d, or --rules-dir).  A file that is already
 * there is never replaced: if it is the profile, it is said to be
 * installed; if not, it is an administrator's and is left alone, with
 * the exit status 1.  The privileged profile is generated for this host
 * (--scan-dir: where to look instead of the system's directories).
 * Nothing is loaded: augenrules --load does that, and the output says so.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/fsutil.h"
#include "rules_catalog.h"
#include "rules_options.h"
#include "rules_privileged.h"
#include "verb.h"

/* Profiles are small; a larger file is not one of ours. */
#define PROFILE_MAX	(1L << 20)
/* augenrules reads them as root; nobody else needs to. */
#define RULES_FILE_MODE	0600

static int	verb_rules_install_exec(struct verb_args *);
static int	read_file(const char *path, struct buf *, char *err,
		    size_t errlen);
static int	install_one(const struct rules_options *,
		    const struct rules_profile *);
static int	write_new(const char *path, const struct buf *, char *err,
		    size_t errlen);

const struct verb_entry verb_rules_install_entry = {
	.name = "rules install",
	.usage = "[--profiles-dir DIR] [--rules-dir DIR] [--scan-dir DIR] "
	    "PROFILE...",
	.options = NULL,
	.longopts = NULL,
	.lower = 0,
	.upper = -1,
	.exec = verb_rules_install_exec
};

static int
read_file(const char *path, struct buf *b, char *err, size_t errlen)
{
	char chunk[8192];
	size_t got;
	FILE *f;
	int rc = 0;

	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(b, chunk, got) == -1) {
			if (errno == EMSGSIZE)
				snprintf(err, errlen, "%s: larger than %ld "
				    "bytes: not a profile", path, PROFILE_MAX);
			else
				snprintf(err, errlen, "%s: out of memory",
				    path);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	fclose(f);
	return rc;
}

/* Creates path with b's content; EEXIST when it is there already. */
static int
write_new(const char *path, const struct buf *b, char *err, size_t errlen)
{
	int fd, saved;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, RULES_FILE_MODE)) == -1) {
		saved = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		errno = saved;
		return -1;
	}
	if (fchmod(fd, RULES_FILE_MODE) == -1 ||
	    write_all(fd, b->p, b->len) == -1 || fsync(fd) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

/*
 * 0: installed, 2: already there, 1: left an administrator's file; -1:
 * an error (said on stderr).
 */
static int
install_one(const struct rules_options *o, const struct rules_profile *pr)
{
	struct buf want = BUF_INITIALIZER(PROFILE_MAX);
	struct buf have = BUF_INITIALIZER(PROFILE_MAX);
	char src[4096], dst[4096], err[4200];
	long programs = 0;
	int rc = -1;

	snprintf(src, sizeof(src), "%s/%s", o->profiles_dir, pr->file);
	snprintf(dst, sizeof(dst), "%s/%s", o->rules_dir, pr->file);
	if (pr->generated) {
		programs = rules_privileged_generate(&want,
		    o->scan_dirs[0] != NULL ? o->scan_dirs : NULL);
		if (programs == -1) {
			fprintf(stderr, "audisp-ecs: %s: cannot generate "
			    "the profile\n", pr->name);
			goto out;
		}
	} else if (read_file(src, &want, err, sizeof(err)) == -1) {
		fprintf(stderr, "audisp-ecs: %s\n", err);
		goto out;
	}
	if (write_new(dst, &want, err, sizeof(err)) == 0) {
		printf("%s: installed %s", pr->name, dst);
		if (pr->generated)
			printf(" (%ld setuid or setgid programs)", programs);
		printf("\n");
		if (strcmp(pr->name, "finalize") == 0)
			printf("%s: note: after the next 'augenrules --load' "
			    "no rule can change until a reboot (-e 2)\n",
			    pr->name);
		rc = 0;
		goto out;
	}
	if (errno != EEXIST) {
		fprintf(stderr, "audisp-ecs: %s\n", err);
		goto out;
	}
	if (read_file(dst, &have, err, sizeof(err)) == 0 &&
	    have.len == want.len && memcmp(have.p, want.p, want.len) == 0) {
		printf("%s: already installed as %s\n", pr->name, dst);
		rc = 2;
		goto out;
	}
	fprintf(stderr, "audisp-ecs: %s: not installed: %s exists and is "
	    "not this profile (an administrator's file is never replaced; "
	    "move it away to install the profile)\n", pr->name, dst);
	rc = 1;
out:
	buf_release(&want);
	buf_release(&have);
	return rc;
}

static int
verb_rules_install_exec(struct verb_args *args)
{
	struct rules_options o;
	struct rules_catalog cat;
	const struct rules_profile *pr;
	char err[4200];
	int i, rc, status = 0, installed = 0;

	if (rules_options_parse(&o, RO_PROFILES_DIR | RO_RULES_DIR |
	    RO_SCAN_DIR, args->argc, args->argv) == -1 || o.argc == 0)
		return VERB_USAGE;
	if (rules_catalog_load(&cat, o.profiles_dir, err, sizeof(err)) == -1) {
		fprintf(stderr, "audisp-ecs: %s\n", err);
		return 1;
	}
	/* Every name first: nothing is installed for a typo. */
	for (i = 0; i < o.argc; i++) {
		if (rules_catalog_find(&cat, o.argv[i]) == NULL) {
			fprintf(stderr, "audisp-ecs: no profile '%s' (see "
			    "'audisp-ecs rules list')\n", o.argv[i]);
			return 1;
		}
	}
	for (i = 0; i < o.argc; i++) {
		pr = rules_catalog_find(&cat, o.argv[i]);
		if ((rc = install_one(&o, pr)) == -1)
			return 1;
		if (rc == 1)
			status = 1;
		else if (rc == 0)
			installed++;
	}
	if (installed > 0)
		printf("load them with: augenrules --load\n");
	return status;
}

/*
 * Dropping privileges after start-up; see hardening.h.
 */
#include "config.h"

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../common/errbuf.h"
#include "../common/log.h"
#include "../fim/fim_conf.h"
#include "conf.h"
#include "hardening.h"

/* Room for every capability a feature may name. */
#define KEEP_MAX	8

/* What hardening_apply() kept; the main thread's alone. */
static struct {
	int		 done;
	struct hardening_features features;
	char		 run_as[256];
} applied;

static int	holds_secret(const struct config *);
static size_t	wanted_caps(const struct hardening_features *, int *caps);
static size_t	keep_available(int *caps, size_t n);
static void	describe_caps(const int *caps, size_t n, char *out,
		    size_t outlen);
static int	lookup_user(const char *name, uid_t *uid, gid_t *gid,
		    char *err, size_t errlen);

void
hardening_features_of(const struct config *cfg, struct hardening_features *f)
{
	memset(f, 0, sizeof(*f));
	/* Names, parents, container ids, executables of any process. */
	f->proc_reads = 1;
	if (cfg->fim != NULL) {
		f->fim = 1;
		f->fim_fanotify = cfg->fim->backend != FIM_BACKEND_INOTIFY;
	}
	f->netlink = cfg->input_source == INPUT_NETLINK;
	f->status_poll = cfg->status_period_ms > 0;
}

static int
holds_secret(const struct config *cfg)
{
	const struct es_output_config *es = cfg->elasticsearch;
	const struct logstash_output_config *ls = cfg->logstash;

	if (es != NULL && (es->password != NULL || es->api_key != NULL ||
	    es->ssl.key != NULL || es->ssl.key_passphrase != NULL))
		return 1;
	return ls != NULL && (ls->ssl.key != NULL ||
	    ls->ssl.key_passphrase != NULL);
}

/* The capabilities f needs, into caps (KEEP_MAX); returns how many. */
static size_t
wanted_caps(const struct hardening_features *f, int *caps)
{
	size_t n = 0;

	if (f->proc_reads) {
		/* /proc/PID/exe and cwd of a process of another user */
		caps[n++] = CAP_SYS_PTRACE;
		caps[n++] = CAP_DAC_READ_SEARCH;
	}
	if (f->fim && !f->proc_reads)
		caps[n++] = CAP_DAC_READ_SEARCH;
	if (f->fim_fanotify)
		caps[n++] = CAP_SYS_ADMIN;
	if (f->netlink)
		caps[n++] = CAP_AUDIT_READ;
	if (f->status_poll)
		caps[n++] = CAP_AUDIT_CONTROL;
	return n;
}

/*
 * Leaves out of caps what the process does not hold to begin with (a
 * service manager's bounding set, say): asking for it would make the
 * whole drop fail.  Returns how many are left.
 */
static size_t
keep_available(int *caps, size_t n)
{
	size_t i, kept = 0;
	const char *name;

	if (capng_get_caps_process() != 0)
		return n;
	for (i = 0; i < n; i++) {
		if (capng_have_capability(CAPNG_PERMITTED,
		    (unsigned int)caps[i])) {
			caps[kept++] = caps[i];
			continue;
		}
		name = capng_capability_to_name((unsigned int)caps[i]);
		log_warnx("cap_%s is not ours to keep (not permitted at "
		    "start); what needs it will not work",
		    name != NULL ? name : "?");
	}
	return kept;
}

static void
describe_caps(const int *caps, size_t n, char *out, size_t outlen)
{
	size_t i, used = 0;
	const char *name;
	int w;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		name = capng_capability_to_name((unsigned int)caps[i]);
		w = snprintf(out + used, outlen - used, "%scap_%s",
		    i ? ", " : "", name != NULL ? name : "?");
		if (w < 0 || (size_t)w >= outlen - used)
			return;
		used += (size_t)w;
	}
	if (n == 0)
		snprintf(out, outlen, "none");
}

static int
lookup_user(const char *name, uid_t *uid, gid_t *gid, char *err,
    size_t errlen)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		seterr(err, errlen, "run_as: no user '%s'%s%s", name,
		    errno ? ": " : "", errno ? strerror(errno) : "");
		return -1;
	}
	if (pw->pw_uid == 0) {
		seterr(err, errlen, "run_as: '%s' is root (uid 0); leave "
		    "run_as empty to stay root", name);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int
hardening_apply(const struct config *cfg, const struct hardening_features *f,
    char *err, size_t errlen)
{
	int caps[KEEP_MAX], rc;
	char names[256];
	size_t n, i;
	uid_t uid = 0;
	gid_t gid = 0;
	int run_as = cfg->run_as != NULL && cfg->run_as[0] != '\0';

	if (run_as && lookup_user(cfg->run_as, &uid, &gid, err, errlen) == -1)
		return -1;
	n = wanted_caps(f, caps);
	if (capng_have_capabilities(CAPNG_SELECT_CAPS) == CAPNG_NONE) {
		if (run_as) {
			seterr(err, errlen, "run_as: '%s' needs root to "
			    "start with", cfg->run_as);
			return -1;
		}
		log_debug("no capabilities to drop");
	} else {
		n = keep_available(caps, n);
		describe_caps(caps, n, names, sizeof(names));
		capng_clear(CAPNG_SELECT_ALL);
		for (i = 0; i < n; i++) {
			if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE |
			    CAPNG_PERMITTED | CAPNG_BOUNDING_SET,
			    (unsigned int)caps[i]) == -1) {
				seterr(err, errlen, "cannot keep cap %d",
				    caps[i]);
				return -1;
			}
		}
		if (run_as) {
			/*
			 * The bounding set first, while CAP_SETPCAP is
			 * still ours; then setgroups, setresgid and
			 * setresuid, keeping the chosen set.
			 */
			if (capng_apply(CAPNG_SELECT_BOUNDS) != 0) {
				seterr(err, errlen, "cannot drop the "
				    "bounding set: %s", strerror(errno));
				return -1;
			}
			rc = capng_change_id((int)uid, (int)gid,
			    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_AMBIENT);
			if (rc != 0) {
				seterr(err, errlen, "run_as: cannot become "
				    "'%s' (uid %lu): libcap-ng error %d",
				    cfg->run_as, (unsigned long)uid, rc);
				return -1;
			}
		} else if (capng_apply(CAPNG_SELECT_ALL) != 0) {
			seterr(err, errlen, "cannot drop capabilities: %s",
			    strerror(errno));
			return -1;
		}
		log_info("capabilities kept: %s%s%s", names,
		    run_as ? "; running as " : "", run_as ? cfg->run_as : "");
	}
	/* Nothing we exec (we exec nothing) may gain privileges back. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		seterr(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	if (holds_secret(cfg) && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		seterr(err, errlen, "PR_SET_DUMPABLE: %s", strerror(errno));
		return -1;
	}
	applied.features = *f;
	snprintf(applied.run_as, sizeof(applied.run_as), "%s",
	    run_as ? cfg->run_as : "");
	applied.done = 1;
	return 0;
}

int
hardening_reload_check(const struct config *newcfg, char *why, size_t whylen)
{
	struct hardening_features want;
	int had[KEEP_MAX], need[KEEP_MAX];
	size_t nhad, nneed, i, j;
	const char *b = newcfg->run_as ? newcfg->run_as : "";
	char names[256];

	if (!applied.done)
		return 0;
	if (strcmp(applied.run_as, b) != 0) {
		seterr(why, whylen, "run_as changed from '%s' to '%s'",
		    applied.run_as, b);
		return 1;
	}
	hardening_features_of(newcfg, &want);
	nhad = wanted_caps(&applied.features, had);
	nneed = wanted_caps(&want, need);
	for (i = 0; i < nneed; i++) {
		for (j = 0; j < nhad && had[j] != need[i]; j++)
			;
		if (j == nhad) {
			describe_caps(&need[i], 1, names, sizeof(names));
			seterr(why, whylen, "the new settings need %s, "
			    "dropped at start-up", names);
			return 1;
		}
	}
	return 0;
}

/*
 * Hardening: what the plugin keeps of root's powers once it has started.
 *
 * Called by the main thread after the configuration is read and before
 * the pipeline's threads exist (capabilities are per thread on Linux, and
 * a thread inherits its creator's), hardening_apply() keeps only the
 * capabilities the enabled features need, in the effective, permitted and
 * bounding sets (inheritable and ambient are emptied), optionally becomes
 * run_as, sets PR_SET_NO_NEW_PRIVS, and clears PR_SET_DUMPABLE when the
 * configuration holds a secret, so no core file or ptrace by the same
 * user can read it.  The README's Hardening section lists what each
 * capability is for.
 */
#ifndef AUDISP_ECS_HARDENING_H
#define AUDISP_ECS_HARDENING_H

struct config;

/* What is on; each feature names the capabilities it needs. */
struct hardening_features {
	int	proc_reads;	/* enrichment from /proc of other users'
				   processes: CAP_SYS_PTRACE,
				   CAP_DAC_READ_SEARCH */
	int	fim;		/* reading and hashing any file:
				   CAP_DAC_READ_SEARCH */
	int	fim_fanotify;	/* fanotify marks: CAP_SYS_ADMIN */
	int	netlink;	/* the audit multicast socket: CAP_AUDIT_READ */
	int	status_poll;	/* the kernel's audit status: CAP_AUDIT_CONTROL */
};

/* The features cfg turns on in plugin mode. */
void	hardening_features_of(const struct config *,
	    struct hardening_features *);

/*
 * Drops what f does not need and becomes cfg->run_as when set.  Without
 * root's capabilities to begin with there is nothing to drop and 0 is
 * returned.  Returns -1 with the reason in err when a step failed: the
 * caller must not go on with more privileges than it said it would keep.
 */
int	hardening_apply(const struct config *, const struct hardening_features *,
	    char *err, size_t errlen);

/*
 * For a reload, on the main thread: 1 (and what needs a restart, in why)
 * when newcfg needs a capability or an identity that hardening_apply()
 * dropped, else 0 (also when nothing was applied).
 */
int	hardening_reload_check(const struct config *newcfg, char *why,
	    size_t whylen);

#endif

/*
 * The fim section of the configuration: what file integrity monitoring
 * watches, hashes and compares.  Option names follow Auditbeat's
 * file_integrity module where it has the concept.  plugin/conf.c stores
 * the defaults and the file's values through its schema table, then
 * fim_config_finish() checks them as a whole and derives the compiled
 * forms (algorithm and attribute masks, regular expressions).
 */
#ifndef AUDISP_ECS_FIM_CONF_H
#define AUDISP_ECS_FIM_CONF_H

#include <regex.h>

#include "../common/string_list.h"

/* What a change can be noticed in; fim.attributes names them. */
enum fim_attr {
	FIM_ATTR_INODE,
	FIM_ATTR_MODE,		/* type and permissions */
	FIM_ATTR_NLINK,
	FIM_ATTR_UID,
	FIM_ATTR_GID,
	FIM_ATTR_SIZE,
	FIM_ATTR_BLOCKS,
	FIM_ATTR_MTIME,
	FIM_ATTR_CTIME,
	FIM_ATTR_ACL,		/* POSIX ACLs */
	FIM_ATTR_XATTRS,	/* other extended attributes: SELinux, caps */
	FIM_ATTR_HASH,		/* the configured digests */
	FIM_ATTR_COUNT
};

/* fim.hash_workers at most. */
#define FIM_HASH_WORKERS_MAX	64

enum fim_initial_scan { FIM_INITIAL_STATE, FIM_INITIAL_NONE };
enum fim_backend { FIM_BACKEND_AUTO, FIM_BACKEND_INOTIFY,
    FIM_BACKEND_FANOTIFY };

struct fim_config {
	struct string_list paths;
	int		 recursive;
	struct string_list exclude_files;	/* POSIX extended regexes */
	struct string_list include_files;
	struct string_list hash_types;
	struct string_list attributes;
	long long	 max_file_size;
	int		 scan_at_start;
	long long	 scan_rate_per_sec;	/* bytes, 0: unlimited */
	char		*state_path;
	long		 initial_scan;		/* enum fim_initial_scan */
	long		 quiet_period_ms;
	long		 backend;		/* enum fim_backend */
	long		 hash_workers;		/* 0: fim_hash_threads() */

	/* Derived by fim_config_finish(). */
	unsigned	 hash_mask;		/* bit i: hash_algos[i] */
	unsigned	 attr_mask;		/* bit i: enum fim_attr i */
	regex_t		*exclude, *include;
	size_t		 nexclude, ninclude;
};

void		 fim_config_free(struct fim_config *);
/*
 * Check the settings as a whole, their defaults already applied (the
 * schema in plugin/conf.c holds them), and derive the compiled forms.
 * Each problem is passed to report with the key it is about
 * ("fim.hash_types") and what is wrong.  Returns the number of problems.
 */
int		 fim_config_finish(struct fim_config *,
		    void (*report)(void *, const char *key, const char *what),
		    void *ctx);
/* Deep copy, for a thread that outlives the configuration; NULL if no memory. */
struct fim_config *fim_config_dup(const struct fim_config *);
/*
 * 1 when path is to be monitored: not excluded, and for a file that is not
 * a directory, included (when include_files is set).
 */
int		 fim_config_wants(const struct fim_config *, const char *path,
		    int is_dir);
/* 1 when path is strictly below dir ("/" included). */
int		 fim_path_under(const char *path, const char *dir);
/* The longest configured root that is path or holds it; NULL if none. */
const char	*fim_config_root_of(const struct fim_config *, const char *path);
/* Within the depth fim.recursive allows below root. */
int		 fim_config_in_scope(const struct fim_config *, const char *root,
		    const char *path);
/*
 * How many threads read and hash files: fim.hash_workers, or when it is 0
 * ("auto"), the number of online CPUs for a one-shot scan (fim-scan) and
 * 1 in plugin mode, where the audit path must keep a CPU.
 */
unsigned	 fim_hash_threads(const struct fim_config *, int once);
/* Both: path is a root, or below one within fim.recursive. */
int		 fim_config_covers(const struct fim_config *, const char *path);

#endif

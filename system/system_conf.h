/*
 * The system section of the configuration: which of the system datasets
 * run (names and defaults as Auditbeat's system module), how often they
 * look, and how often they send their full state.  plugin/conf.c stores
 * the file's values through its schema table; system_config_finish()
 * checks them as a whole and derives the dataset mask.
 */
#ifndef AUDISP_ECS_SYSTEM_CONF_H
#define AUDISP_ECS_SYSTEM_CONF_H

#include "../common/string_list.h"

/* The datasets this build knows, as system.datasets names them. */
enum sys_dataset {
	SYS_DATASET_USER,
	SYS_DATASET_HOST,
	SYS_DATASET_PACKAGE,
	SYS_DATASET_PROCESS,
	SYS_DATASET_SOCKET,
	SYS_DATASET_LOGIN,
	SYS_DATASET_COUNT
};

struct system_config {
	struct string_list datasets;
	long		 period_ms;		/* system.period */
	long		 state_period_ms;	/* system.state.period */
	int		 detect_password_changes; /* system.user.detect_... */
	char		*state_path;		/* system.state_path */
	int		 socket_include_localhost; /* system.socket.include_... */
	char		*login_wtmp_pattern;	/* system.login.wtmp_file_pattern */
	char		*login_btmp_pattern;	/* system.login.btmp_file_pattern */

	/* Derived by system_config_finish(). */
	unsigned	 dataset_mask;		/* bit i: enum sys_dataset i */
};

/* The name of a dataset ("user"), or NULL past the last. */
const char	*sys_dataset_name(enum sys_dataset);

/*
 * Called once per problem with the key it is about and what is wrong,
 * so that the caller can say where in the file it is.
 */
typedef void (*system_report_fn)(void *arg, const char *key,
	    const char *what);
/* Checks cfg as a whole and fills the derived fields; number of problems. */
int		 system_config_finish(struct system_config *,
		    system_report_fn, void *arg);
/* A deep copy, or NULL when out of memory. */
struct system_config *system_config_copy(const struct system_config *);
/* Frees cfg and what it holds; NULL is fine. */
void		 system_config_free(struct system_config *);

#endif

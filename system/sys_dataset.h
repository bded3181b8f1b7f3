/*
 * What the system thread knows of a dataset: how to open it (loading its
 * kept state), look (compare, write documents, keep the new state), and
 * close it.  One table row per dataset (sys_thread.c), all called on the
 * system thread.
 */
#ifndef AUDISP_ECS_SYS_DATASET_H
#define AUDISP_ECS_SYS_DATASET_H

#include <time.h>

#include "sys_doc.h"
#include "system_conf.h"

struct sys_dataset_ops {
	enum sys_dataset id;
	/* NULL after logging why: the dataset then does not run. */
	void	*(*open)(const struct system_config *, const char *state_dir);
	/*
	 * One look at the machine at now: changes since the last look (or
	 * since the kept state, at the first) as events, the full state when
	 * it is due.
	 */
	void	 (*look)(void *, struct sys_doc_writer *, time_t now);
	void	 (*close)(void *);
};

/* user_, host_, package_, process_, socket_ and login_dataset.c */
extern const struct sys_dataset_ops user_dataset_ops;
extern const struct sys_dataset_ops host_dataset_ops;
extern const struct sys_dataset_ops package_dataset_ops;
extern const struct sys_dataset_ops process_dataset_ops;
extern const struct sys_dataset_ops socket_dataset_ops;
extern const struct sys_dataset_ops login_dataset_ops;

#endif

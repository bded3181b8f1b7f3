/*
 * The system thread; see system.h.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/fsutil.h"
#include "../common/log.h"
#include "sys_dataset.h"
#include "sys_doc.h"
#include "system.h"

static const struct sys_dataset_ops *const datasets[] = {
	&host_dataset_ops,
	&login_dataset_ops,
	&package_dataset_ops,
	&process_dataset_ops,
	&socket_dataset_ops,
	&user_dataset_ops,
};
#define NDATASETS	(sizeof(datasets) / sizeof(datasets[0]))

struct system {
	struct system_config	*cfg;
	char			*data_dir;
	struct system_hooks	 hooks;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;	/* signalled by system_stop */
	int			 stop;
	void			*open[NDATASETS];
};

/* Waits ms or until a stop; 1 when stopping. */
static int
wait_period(struct system *s, long ms)
{
	struct timespec until;
	int stop;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->lock);
	while (!s->stop && pthread_cond_timedwait(&s->cond, &s->lock,
	    &until) != ETIMEDOUT)
		;
	stop = s->stop;
	pthread_mutex_unlock(&s->lock);
	return stop;
}

static void *
system_main(void *arg)
{
	struct system *s = arg;
	struct sys_doc_writer dw;
	size_t i;

	if (sys_doc_writer_init(&dw, s->data_dir, &s->hooks) == -1) {
		log_warnx("system: out of memory; the system datasets stop");
		sys_doc_writer_release(&dw);
		return NULL;
	}
	for (i = 0; i < NDATASETS; i++)
		if (s->cfg->dataset_mask & (1u << datasets[i]->id))
			s->open[i] = datasets[i]->open(s->cfg,
			    s->cfg->state_path);
	do {
		for (i = 0; i < NDATASETS; i++)
			if (s->open[i] != NULL)
				datasets[i]->look(s->open[i], &dw, time(NULL));
		sys_doc_flush(&dw);
	} while (!wait_period(s, s->cfg->period_ms));
	for (i = 0; i < NDATASETS; i++)
		if (s->open[i] != NULL)
			datasets[i]->close(s->open[i]);
	sys_doc_writer_release(&dw);
	return NULL;
}

static void
system_free(struct system *s)
{
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	system_config_free(s->cfg);
	free(s->data_dir);
	free(s);
}

struct system *
system_start(const struct system_config *cfg, const char *data_dir,
    const struct system_hooks *hooks)
{
	struct system *s;
	pthread_condattr_t attr;

	if (mkdir_p(cfg->state_path, 0700) == -1) {
		log_warn("system: cannot create %s", cfg->state_path);
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warnx("system: out of memory");
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &attr);
	pthread_condattr_destroy(&attr);
	s->hooks = *hooks;
	if ((s->cfg = system_config_copy(cfg)) == NULL ||
	    (data_dir != NULL && (s->data_dir = strdup(data_dir)) == NULL)) {
		log_warnx("system: out of memory");
		system_free(s);
		return NULL;
	}
	if ((errno = pthread_create(&s->thread, NULL, system_main, s)) != 0) {
		log_warn("system: cannot start the thread");
		system_free(s);
		return NULL;
	}
	return s;
}

void
system_stop(struct system *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	system_free(s);
}

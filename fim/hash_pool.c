/*
 * The hashing threads; see hash_pool.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/log.h"
#include "hash_pool.h"
#include "hasher.h"
#include "scanner.h"

#define JOBS_PER_THREAD	16
#define THREADS_MAX	FIM_HASH_WORKERS_MAX

struct hash_pool;

struct hash_thread {
	struct hash_pool	*pool;
	struct hasher		*hasher;
	pthread_t		 thread;
	int			 started;
};

struct hash_pool {
	const struct fim_config	*cfg;
	struct fim_counters	*counters;
	const atomic_int	*stop;
	struct read_pacer	 pacer;
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* todo has a job, or closing */
	pthread_cond_t		 finished;	/* done has a job */
	struct hash_job		*todo, **todo_tail;	/* FIFO */
	struct hash_job		*done, **done_tail;	/* FIFO */
	int			 closing;
	size_t			 inflight;	/* the scanner's alone */
	size_t			 depth;
	unsigned		 nthreads;
	struct hash_thread	 threads[THREADS_MAX];
};

static int
open_for_hashing(const char *path)
{
	int fd, flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY |
	    O_CLOEXEC;

	/* Reading must not change what we watch: no atime updates. */
	fd = open(path, flags | O_NOATIME);
	if (fd == -1 && errno == EPERM)
		fd = open(path, flags);
	return fd;
}

/*
 * Hash a regular file into fs.  Returns -1 when the file is gone (or was
 * replaced by something else) meanwhile, or the read was stopped; an
 * unreadable file is flagged.
 */
static int
hash_file(struct hash_pool *p, struct hasher *h, const char *path,
    struct file_state *fs)
{
	struct stat st;
	uint64_t bytes = 0;
	int fd, rc;

	if (fs->size > p->cfg->max_file_size) {
		fs->flags |= FS_TOO_LARGE;
		return 0;
	}
	if ((fd = open_for_hashing(path)) == -1) {
		if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)
			return -1;
		fs->flags |= FS_UNREADABLE;
		fs->read_errno = errno;
		atomic_fetch_add(&p->counters->errors, 1);
		return 0;
	}
	/* Opened something else than what lstat saw: it changed under us. */
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_ino != fs->ino || st.st_dev != fs->dev) {
		close(fd);
		return -1;
	}
	rc = hasher_fd(h, fd, (uint64_t)p->cfg->max_file_size, &p->pacer,
	    p->stop, &fs->hashes, &bytes);
	close(fd);
	if (rc == -1 && errno == EINTR)
		return -1;	/* stopped: the file is left as it was known */
	if (rc == -1 && errno == EFBIG) {
		/* Grew past the limit since lstat: as if it had been seen so. */
		fs->flags |= FS_TOO_LARGE;
		memset(&fs->hashes, 0, sizeof(fs->hashes));
	} else if (rc == -1) {
		fs->flags |= FS_UNREADABLE;
		fs->read_errno = errno;
		atomic_fetch_add(&p->counters->errors, 1);
		memset(&fs->hashes, 0, sizeof(fs->hashes));
	}
	atomic_fetch_add(&p->counters->hashed, 1);
	atomic_fetch_add(&p->counters->bytes_hashed, bytes);
	return 0;
}

static void
run(struct hash_pool *p, struct hasher *h, struct hash_job *job)
{
	unsigned mask = p->cfg->attr_mask;

	file_state_read_xattrs(&job->now, job->path,
	    mask & (1u << FIM_ATTR_ACL), mask & (1u << FIM_ATTR_XATTRS));
	job->gone = hash_file(p, h, job->path, &job->now) == -1;
}

static void *
thread_main(void *arg)
{
	struct hash_thread *t = arg;
	struct hash_pool *p = t->pool;
	struct hash_job *job;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->todo == NULL && !p->closing)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->todo == NULL)
			break;
		job = p->todo;
		if ((p->todo = job->next) == NULL)
			p->todo_tail = &p->todo;
		pthread_mutex_unlock(&p->lock);
		job->next = NULL;
		run(p, t->hasher, job);
		pthread_mutex_lock(&p->lock);
		*p->done_tail = job;
		p->done_tail = &job->next;
		pthread_cond_signal(&p->finished);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct hash_pool *
hash_pool_new(unsigned threads, const struct fim_config *cfg,
    struct fim_counters *counters, const atomic_int *stop)
{
	struct hash_pool *p;
	unsigned i;

	if (threads < 1)
		threads = 1;
	if (threads > THREADS_MAX)
		threads = THREADS_MAX;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->cfg = cfg;
	p->counters = counters;
	p->stop = stop;
	p->depth = (size_t)threads * JOBS_PER_THREAD;
	p->todo_tail = &p->todo;
	p->done_tail = &p->done;
	read_pacer_init(&p->pacer, cfg->scan_rate_per_sec);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->finished, NULL);
	for (i = 0; i < threads; i++) {
		p->threads[i].pool = p;
		if ((p->threads[i].hasher = hasher_new(cfg->hash_mask)) ==
		    NULL) {
			hash_pool_free(p);
			return NULL;
		}
		p->nthreads = i + 1;
		if (pthread_create(&p->threads[i].thread, NULL, thread_main,
		    &p->threads[i]) != 0) {
			log_warnx("fim: cannot start a hashing thread");
			hash_pool_free(p);
			return NULL;
		}
		p->threads[i].started = 1;
	}
	return p;
}

static void
free_list(struct hash_job *job)
{
	struct hash_job *next;

	for (; job != NULL; job = next) {
		next = job->next;
		free(job);
	}
}

void
hash_pool_free(struct hash_pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->closing = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++) {
		if (p->threads[i].started)
			pthread_join(p->threads[i].thread, NULL);
		hasher_free(p->threads[i].hasher);
	}
	free_list(p->todo);
	free_list(p->done);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->finished);
	pthread_mutex_destroy(&p->lock);
	read_pacer_destroy(&p->pacer);
	free(p);
}

struct hash_job *
hash_job_new(const char *path)
{
	size_t n = strlen(path) + 1;
	struct hash_job *job = malloc(sizeof(*job) + n);

	if (job == NULL)
		return NULL;
	job->next = NULL;
	job->known = job->initial = job->gone = 0;
	memcpy(job->path, path, n);
	return job;
}

size_t
hash_pool_depth(const struct hash_pool *p)
{
	return p->depth;
}

size_t
hash_pool_inflight(const struct hash_pool *p)
{
	return p->inflight;
}

void
hash_pool_put(struct hash_pool *p, struct hash_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&p->lock);
	*p->todo_tail = job;
	p->todo_tail = &job->next;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
	p->inflight++;
}

struct hash_job *
hash_pool_take(struct hash_pool *p, int wait)
{
	struct hash_job *job;

	if (p->inflight == 0)
		return NULL;
	pthread_mutex_lock(&p->lock);
	while (p->done == NULL && wait)
		pthread_cond_wait(&p->finished, &p->lock);
	if ((job = p->done) != NULL && (p->done = job->next) == NULL)
		p->done_tail = &p->done;
	pthread_mutex_unlock(&p->lock);
	if (job != NULL) {
		job->next = NULL;
		p->inflight--;
	}
	return job;
}

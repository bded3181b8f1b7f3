/* A bounded, blocking FIFO between threads; see bqueue.h. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "bqueue.h"
#include "timeutil.h"

struct bq_node {
	struct bq_node	*next;
	void		*item;
	size_t		 weight;
};

struct bqueue {
	pthread_mutex_t	 lock;
	pthread_cond_t	 not_empty;
	pthread_cond_t	 not_full;
	struct bq_node	*head;
	struct bq_node	*tail;
	size_t		 count;
	size_t		 weight;
	size_t		 max_weight;
	int		 closed;
};

struct bqueue *
bq_new(size_t max_weight)
{
	struct bqueue *q;
	pthread_condattr_t attr;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->max_weight = max_weight;
	pthread_mutex_init(&q->lock, NULL);
	/* Timed waits use the monotonic clock so a clock step cannot stall us. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&q->not_empty, &attr);
	pthread_cond_init(&q->not_full, &attr);
	pthread_condattr_destroy(&attr);
	return q;
}

void
bq_free(struct bqueue *q, void (*free_item)(void *))
{
	struct bq_node *n, *next;

	if (q == NULL)
		return;
	for (n = q->head; n != NULL; n = next) {
		next = n->next;
		if (free_item != NULL)
			free_item(n->item);
		free(n);
	}
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	free(q);
}

static int
fits(const struct bqueue *q, size_t weight)
{
	return q->count == 0 || q->weight + weight <= q->max_weight;
}

static int
push(struct bqueue *q, void *item, size_t weight, int wait)
{
	struct bq_node *n;

	if ((n = malloc(sizeof(*n))) == NULL)
		return -1;
	n->next = NULL;
	n->item = item;
	n->weight = weight;

	pthread_mutex_lock(&q->lock);
	while (wait && !q->closed && !fits(q, weight))
		pthread_cond_wait(&q->not_full, &q->lock);
	if (q->closed || !fits(q, weight)) {
		int closed = q->closed;

		pthread_mutex_unlock(&q->lock);
		free(n);
		return closed ? -1 : 1;
	}
	if (q->tail != NULL)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	q->count++;
	q->weight += weight;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

int
bq_push(struct bqueue *q, void *item, size_t weight)
{
	return push(q, item, weight, 1);
}

int
bq_try_push(struct bqueue *q, void *item, size_t weight)
{
	return push(q, item, weight, 0);
}

enum bq_status
bq_pop(struct bqueue *q, void **item, int timeout_ms)
{
	struct bq_node *n;
	struct timespec deadline;

	if (timeout_ms > 0)
		deadline_after_ms(&deadline, timeout_ms);
	pthread_mutex_lock(&q->lock);
	while (q->head == NULL && !q->closed) {
		if (timeout_ms == 0)
			break;
		if (timeout_ms < 0)
			pthread_cond_wait(&q->not_empty, &q->lock);
		else if (pthread_cond_timedwait(&q->not_empty, &q->lock,
		    &deadline) == ETIMEDOUT)
			break;
	}
	if ((n = q->head) == NULL) {
		int closed = q->closed;

		pthread_mutex_unlock(&q->lock);
		return closed ? BQ_CLOSED : BQ_TIMEOUT;
	}
	q->head = n->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->count--;
	q->weight -= n->weight;
	pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->lock);

	*item = n->item;
	free(n);
	return BQ_ITEM;
}

void
bq_close(struct bqueue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

size_t
bq_count(struct bqueue *q)
{
	size_t count;

	pthread_mutex_lock(&q->lock);
	count = q->count;
	pthread_mutex_unlock(&q->lock);
	return count;
}

/*
 * A bounded, blocking FIFO of opaque items between two threads.
 *
 * Each item has a weight (bytes, or 1 for a count bound); push waits while
 * the total weight would exceed the bound, so a full queue is backpressure,
 * not loss.  An item heavier than the whole bound is still accepted when the
 * queue is empty, so nothing can wedge.  After bq_close() pushes fail and
 * pops drain what is left, then report BQ_CLOSED.  The queue never frees
 * items: whoever pops one owns it.
 */
#ifndef AUDISP_ECS_BQUEUE_H
#define AUDISP_ECS_BQUEUE_H

#include <stddef.h>

struct bqueue;

enum bq_status {
	BQ_ITEM,	/* *item holds the popped item */
	BQ_TIMEOUT,	/* nothing arrived within the timeout */
	BQ_CLOSED,	/* closed and drained: nothing will ever arrive */
};

/* Returns NULL when out of memory. */
struct bqueue	*bq_new(size_t max_weight);
/* Frees the queue; items still inside are handed to free_item (may be NULL). */
void		 bq_free(struct bqueue *, void (*free_item)(void *));
/* 0 on success, -1 if the queue is closed (the caller keeps the item). */
int		 bq_push(struct bqueue *, void *item, size_t weight);
/* Never waits: 1 if the item does not fit now (the caller keeps it). */
int		 bq_try_push(struct bqueue *, void *item, size_t weight);
/* timeout_ms < 0 waits for ever, 0 does not wait. */
enum bq_status	 bq_pop(struct bqueue *, void **item, int timeout_ms);
void		 bq_close(struct bqueue *);
/* Number of items queued right now (a hint: it may change at once). */
size_t		 bq_count(struct bqueue *);

#endif

/*
 * handoff.c: the reading thread and the two queues between it and the
 * main thread (empty batches one way, filled ones the other).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/process.h"
#include "tools/twin-join/handoff.h"

/* A ring of batch pointers; it never holds more than all the batches. */
struct ring {
	void		**slot;
	size_t		  head, n;
	pthread_cond_t	  nonempty;
};

struct handoff {
	pthread_mutex_t	  lock;
	struct ring	  empty, full;
	size_t		  nbatch;
	pthread_t	  thread;
	int		  threaded;	/* else fill() runs in handoff_take() */
	int		  done;		/* fill() returned 0 */
	int		(*fill)(void *, void *);
	void		 *arg;
};

int
handoff_threads(void)
{
	const char *s = getenv("DUMPKIT_THREADS");

	return s == NULL || strcmp(s, "1") != 0;
}

static void
ring_init(struct ring *r, size_t n)
{
	r->slot = xcalloc(n, sizeof(*r->slot));
	r->head = r->n = 0;
	if (pthread_cond_init(&r->nonempty, NULL) != 0)
		die("cannot set up a thread: pthread_cond_init failed");
}

static void
ring_release(struct ring *r)
{
	pthread_cond_destroy(&r->nonempty);
	free(r->slot);
}

static void
put(struct handoff *h, struct ring *r, void *batch)
{
	pthread_mutex_lock(&h->lock);
	r->slot[(r->head + r->n) % h->nbatch] = batch;
	r->n++;
	pthread_cond_signal(&r->nonempty);
	pthread_mutex_unlock(&h->lock);
}

static void *
get(struct handoff *h, struct ring *r)
{
	void *batch;

	pthread_mutex_lock(&h->lock);
	while (r->n == 0)
		pthread_cond_wait(&r->nonempty, &h->lock);
	batch = r->slot[r->head];
	r->head = (r->head + 1) % h->nbatch;
	r->n--;
	pthread_mutex_unlock(&h->lock);
	return batch;
}

static void *
run_reader(void *arg)
{
	struct handoff *h = arg;
	void *batch;
	int more;

	do {
		batch = get(h, &h->empty);
		more = h->fill(batch, h->arg);
		put(h, &h->full, batch);
	} while (more);
	return NULL;
}

struct handoff *
handoff_start(void **batches, size_t nbatch,
    int (*fill)(void *, void *), void *arg)
{
	struct handoff *h = xcalloc(1, sizeof(*h));
	size_t i;
	int err;
	sigset_t old;

	h->nbatch = nbatch;
	h->fill = fill;
	h->arg = arg;
	h->threaded = handoff_threads();
	if (pthread_mutex_init(&h->lock, NULL) != 0)
		die("cannot set up a thread: pthread_mutex_init failed");
	ring_init(&h->empty, nbatch);
	ring_init(&h->full, nbatch);
	for (i = 0; i < nbatch; i++)
		h->empty.slot[i] = batches[i];
	h->empty.n = nbatch;
	if (!h->threaded)
		return h;
	/* Fatal signals go to the main thread only (process.h). */
	process_block(&old);
	err = pthread_create(&h->thread, NULL, run_reader, h);
	process_unblock(&old);
	if (err != 0)
		die("cannot start a reading thread: %s", strerror(err));
	return h;
}

void *
handoff_take(struct handoff *h)
{
	void *batch;

	if (h->threaded)
		return get(h, &h->full);
	/* One thread: the caller gave every batch back but the ones it holds. */
	if (h->done || h->empty.n == 0)
		die("internal error: handoff_take() past the end");
	batch = get(h, &h->empty);
	h->done = !h->fill(batch, h->arg);
	return batch;
}

void
handoff_return(struct handoff *h, void *batch)
{
	put(h, &h->empty, batch);
}

void
handoff_finish(struct handoff *h)
{
	if (h->threaded)
		pthread_join(h->thread, NULL);
	ring_release(&h->empty);
	ring_release(&h->full);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

/*
 * populate.c: the thread behind populate.h, fed through a small queue of
 * address ranges.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "common/errors.h"
#include "common/process.h"
#include "tools/twin-join/handoff.h"
#include "tools/twin-join/populate.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14 */
#endif

#define QUEUE	16
/*
 * A range is made resident STEP bytes a call.  The call holds the
 * process's memory map lock (for reading) while it runs, and a thread
 * that maps or unmaps memory meanwhile (malloc of a large buffer, the
 * loader's next block) waits for it, and so does every page fault behind
 * that waiter: populating a 10M-link index's 128 MiB table in one call
 * stopped the loading threads for its first 0.4 s.
 */
#define STEP	((size_t)2 << 20)

struct range {
	void	*addr;
	size_t	 len;
};

struct populate {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 more;
	struct range	 q[QUEUE];
	size_t		 head, n;
	int		 stop;
};

static void *
run(void *arg)
{
	struct populate *p = arg;
	struct range r;
	size_t step;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->n == 0 && !p->stop)
			pthread_cond_wait(&p->more, &p->lock);
		/* Once the loading is done, what is left is not needed. */
		if (p->stop)
			break;
		r = p->q[p->head];
		step = r.len < STEP ? r.len : STEP;
		if (step == r.len) {
			p->head = (p->head + 1) % QUEUE;
			p->n--;
		} else {
			p->q[p->head].addr = (char *)r.addr + step;
			p->q[p->head].len = r.len - step;
		}
		pthread_mutex_unlock(&p->lock);
		/* EINVAL on an old kernel: then the loader faults them in. */
		(void)madvise(r.addr, step, MADV_POPULATE_WRITE);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct populate *
populate_start(void)
{
	struct populate *p;
	sigset_t old;
	int err;

	/* DUMPKIT_THREADS=1: one thread, and pages faulted in on use. */
	if (!handoff_threads())
		return NULL;
	p = xcalloc(1, sizeof(*p));
	if (pthread_mutex_init(&p->lock, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->more, NULL) != 0) {
		pthread_mutex_destroy(&p->lock);
		goto fail;
	}
	/* Fatal signals go to the main thread only (process.h). */
	process_block(&old);
	err = pthread_create(&p->thread, NULL, run, p);
	process_unblock(&old);
	if (err != 0) {
		pthread_cond_destroy(&p->more);
		pthread_mutex_destroy(&p->lock);
		goto fail;
	}
	return p;
fail:
	free(p);
	return NULL;
}

void
populate_add(struct populate *p, void *addr, size_t len)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	if (p->n < QUEUE) {
		p->q[(p->head + p->n) % QUEUE].addr = addr;
		p->q[(p->head + p->n) % QUEUE].len = len;
		p->n++;
		pthread_cond_signal(&p->more);
	}
	pthread_mutex_unlock(&p->lock);
}

void
populate_stop(struct populate *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

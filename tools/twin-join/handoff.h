/*
 * handoff.h: a reading thread that parses input into batches while the
 * main thread uses them, in order.  A fixed set of batches circulates: the
 * reader takes an empty one, fills it and passes it on; the main thread
 * takes it, uses it and gives it back.  So the reader is never more than
 * the set ahead, and memory stays bounded however large the input.
 *
 * What a batch holds, and how its last one says "the end", is the
 * caller's: the handoff only moves pointers.  The reader must not exit
 * the process except through die() (see errors.c); it reports input
 * errors in its last batch, for the main thread to report in order.
 */
#ifndef TWIN_JOIN_HANDOFF_H
#define TWIN_JOIN_HANDOFF_H

#include <stddef.h>

struct handoff;

/*
 * Start reader(h, arg) in a new thread, with the nbatch (at least 1)
 * empty batches given.  The batches stay the caller's.
 */
struct handoff *handoff_start(void **batches, size_t nbatch,
	    void (*reader)(struct handoff *, void *), void *arg);

/* Reader: an empty batch to fill (waits for one to come back). */
void	*handoff_empty(struct handoff *h);
/* Reader: pass a filled batch on. */
void	 handoff_pass(struct handoff *h, void *batch);

/* Main thread: the next filled batch, in the order passed (waits). */
void	*handoff_take(struct handoff *h);
/* Main thread: give a used batch back. */
void	 handoff_return(struct handoff *h, void *batch);
/*
 * Main thread, once it took the reader's last batch: wait for the reader
 * to return, then free h.
 */
void	 handoff_finish(struct handoff *h);

#endif

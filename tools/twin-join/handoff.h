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
 *
 * DUMPKIT_THREADS=1 in the environment runs everything in the main thread
 * (for bisecting a problem to the threads): handoff_take() then fills the
 * batch itself.  The output is the same byte for byte.
 */
#ifndef TWIN_JOIN_HANDOFF_H
#define TWIN_JOIN_HANDOFF_H

#include <stddef.h>

struct handoff;

/*
 * Start a reading thread that calls fill(batch, arg) on each empty batch
 * in turn and passes it on, until fill returns 0 (that batch was the
 * last), with the nbatch (at least 1) empty batches given.  The batches
 * stay the caller's.
 */
struct handoff *handoff_start(void **batches, size_t nbatch,
	    int (*fill)(void *batch, void *arg), void *arg);

/* 0 when DUMPKIT_THREADS=1 asks for the main thread only, else 1. */
int	handoff_threads(void);

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

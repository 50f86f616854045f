/*
 * progress.h: the --progress status line on stderr (DESIGN.md section 1):
 * bytes read of the total where known, records, MB/s, elapsed; redrawn at
 * most 4 times a second, only when stderr is a terminal unless forced, and
 * erased at the end.
 */
#ifndef DUMPKIT_PROGRESS_H
#define DUMPKIT_PROGRESS_H

#include <stdint.h>

struct input;

/* force: --progress given.  Does nothing unless forced or stderr is a tty. */
void	progress_start(int force);
/* The input now being read (its byte counts feed the line). */
void	progress_input(struct input *in);
/*
 * in is about to be closed: stop reading its counts (its bytes still count
 * towards the total).  Does nothing if in is not the current input.
 * source_close() calls it.
 */
void	progress_forget(struct input *in);
/* Call once per record; cheap (checks the clock every 4096 calls). */
void	progress_tick(uint64_t records);
/* Erase the line. */
void	progress_end(void);

#endif

/*
 * progress.h: the --progress status line on stderr (DESIGN.md section 1):
 * bytes read of the total where known, records, MB/s, elapsed; redrawn at
 * most 4 times a second, only when stderr is a terminal unless forced, and
 * erased at the end.
 */
#ifndef DUMPKIT_PROGRESS_H
#define DUMPKIT_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

struct input;

/*
 * mode: common_opts.progress: 1 --progress (forced), -1 --no-progress, 0
 * only when stderr is a terminal.  From here on every message (errors.c)
 * first erases the line, and so does data written to a terminal stdout.
 */
void	progress_start(int mode);
/*
 * Name the phase (twin-join: "links", then "records"), shown first on the
 * line; NULL for none.
 */
void	progress_phase(const char *name);
/*
 * Erase the line if one is drawn (before other output to the terminal);
 * the next tick redraws it.
 */
void	progress_clear(void);
/* The same from a signal handler (process.c): async-signal-safe. */
void	progress_clear_signal(void);
/* Should writes to fd go out whole (fd is stdout on a terminal, shown)? */
int	progress_whole_writes(int fd);
/*
 * p[0..n) is about to be written to fd: if fd is stdout on a terminal,
 * erase the line, and draw none until a write ends a line (a line drawn
 * mid-row would be erased with the row's start).
 */
void	progress_before_write(int fd, const void *p, size_t n);
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

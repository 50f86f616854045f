/*
 * progress.c: the --progress status line.  One process reads one stream at a
 * time, so the state is global; a tool never has to pass a handle around.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/input.h"
#include "common/progress.h"

/* Check the clock every TICK_MASK + 1 records: clock_gettime is not free. */
#define TICK_MASK	4095
#define REDRAW_NS	250000000LL	/* at most 4 redraws a second */

static struct {
	int		 active;
	int		 drawn;		/* a line is on the screen */
	int		 tty_out;	/* stdout is a terminal too */
	int		 midline;	/* ... and its last write ended mid-line */
	const char	*phase;
	struct input	*in;
	uint64_t	 done_bytes;	/* raw bytes of inputs already closed */
	uint64_t	 ticks;
	int64_t		 start_ns;
	int64_t		 last_ns;
} pg;

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void
progress_start(int mode)
{
	/* An input opened before the start still counts. */
	pg.active = mode > 0 || (mode == 0 && isatty(STDERR_FILENO));
	pg.tty_out = isatty(STDOUT_FILENO);
	pg.drawn = 0;
	if (pg.active)
		errors_on_message(progress_clear);
	pg.ticks = 0;
	pg.start_ns = pg.last_ns = now_ns();
}

void
progress_input(struct input *in)
{
	if (pg.in != NULL)
		pg.done_bytes += input_raw_bytes(pg.in);
	pg.in = in;
}

void
progress_forget(struct input *in)
{
	if (in != NULL && pg.in == in) {
		pg.done_bytes += input_raw_bytes(in);
		pg.in = NULL;
	}
}

void
progress_phase(const char *name)
{
	pg.phase = name;
}

/* From a signal handler: write(2) only, and only when a line is up. */
void
progress_clear_signal(void)
{
	if (pg.drawn)
		(void)write(STDERR_FILENO, "\r\033[K", 4);
}

void
progress_clear(void)
{
	if (!pg.drawn)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	pg.drawn = 0;
}

int
progress_whole_writes(int fd)
{
	return pg.active && pg.tty_out && fd == STDOUT_FILENO;
}

void
progress_before_write(int fd, const void *p, size_t n)
{
	if (fd != STDOUT_FILENO || !pg.tty_out || n == 0)
		return;
	progress_clear();
	pg.midline = ((const char *)p)[n - 1] != '\n';
}

static void
draw(uint64_t records, int64_t now)
{
	char line[160];
	double secs = (double)(now - pg.start_ns) / 1e9;
	double mb, total = 0, cur = 0;
	uint64_t bytes = pg.done_bytes;
	int n;

	if (pg.in != NULL) {
		cur = (double)input_raw_bytes(pg.in);
		bytes += input_raw_bytes(pg.in);
		total = (double)input_raw_size(pg.in);
	}
	mb = (double)bytes / 1e6;
	/*
	 * The current file's own bytes of its size when that is known (the
	 * percentage and its MB agree); pipes show the MB read in all.
	 */
	if (total > 0)
		n = snprintf(line, sizeof(line),
		    "%s%s%.1f of %.1f MB (%.0f%%), %llu records, %.1f MB/s, "
		    "%.0fs", pg.phase ? pg.phase : "", pg.phase ? ": " : "",
		    cur / 1e6, total / 1e6, 100.0 * cur / total,
		    (unsigned long long)records, secs > 0 ? mb / secs : 0.0,
		    secs);
	else
		n = snprintf(line, sizeof(line),
		    "%s%s%.1f MB, %llu records, %.1f MB/s, %.0fs",
		    pg.phase ? pg.phase : "", pg.phase ? ": " : "", mb,
		    (unsigned long long)records, secs > 0 ? mb / secs : 0.0,
		    secs);
	if (n < 0 || pg.midline)
		return;
	/* \r and erase-to-end-of-line: the new line overwrites the old. */
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	pg.drawn = 1;
}

void
progress_tick(uint64_t records)
{
	int64_t now;

	if (!pg.active || (++pg.ticks & TICK_MASK) != 0)
		return;
	now = now_ns();
	if (now - pg.last_ns < REDRAW_NS)
		return;
	pg.last_ns = now;
	draw(records, now);
}

void
progress_end(void)
{
	progress_clear();
	pg.active = 0;
	pg.in = NULL;
}

/*
 * progress.c: the --progress status line.  One process reads one stream at a
 * time, so the state is global; a tool never has to pass a handle around.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "common/input.h"
#include "common/progress.h"

/* Check the clock every TICK_MASK + 1 records: clock_gettime is not free. */
#define TICK_MASK	4095
#define REDRAW_NS	250000000LL	/* at most 4 redraws a second */

static struct {
	int		 active;
	int		 drawn;		/* a line is on the screen */
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
progress_start(int force)
{
	/* An input opened before the start still counts. */
	pg.active = force || isatty(STDERR_FILENO);
	pg.drawn = 0;
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
	/* The file's own share when its size is known; pipes show MB only. */
	if (total > 0)
		n = snprintf(line, sizeof(line),
		    "%.1f MB (%.0f%% of %.1f MB), %llu records, %.1f MB/s, "
		    "%.0fs", mb, 100.0 * cur / total, total / 1e6,
		    (unsigned long long)records, secs > 0 ? mb / secs : 0.0,
		    secs);
	else
		n = snprintf(line, sizeof(line),
		    "%.1f MB, %llu records, %.1f MB/s, %.0fs", mb,
		    (unsigned long long)records, secs > 0 ? mb / secs : 0.0,
		    secs);
	if (n < 0)
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
	if (pg.drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	pg.drawn = 0;
	pg.active = 0;
	pg.in = NULL;
}

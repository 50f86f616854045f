/* test_progress.c: the --progress line: forced drawing, rate limit, erasing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/input.h"
#include "common/progress.h"
#include "tests/unit/tap.h"

static char path[] = "/tmp/test_progress.XXXXXX";
static char errpath[] = "/tmp/test_progress_err.XXXXXX";
static int saved_fd = -1;

/* Send stderr to errpath, truncated. */
static void
capture(void)
{
	FILE *fp = fopen(errpath, "w");

	fflush(stderr);
	saved_fd = dup(2);
	dup2(fileno(fp), 2);
	fclose(fp);
}

/* Restore stderr; return what was written (static buffer). */
static const char *
captured(void)
{
	static char buf[8192];
	FILE *fp;
	size_t n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	fp = fopen(errpath, "r");
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int
main(void)
{
	struct input *in;
	const char *out, *err = NULL;
	static char buf[1 << 16];
	uint64_t i;
	int fd;
	FILE *fp;

	fd = mkstemp(path);
	fp = fdopen(fd, "w");
	for (i = 0; i < 100000; i++)
		fputs("0123456789\n", fp);	/* 1.1 MB */
	fclose(fp);
	close(mkstemp(errpath));

	/* Not forced and stderr is a file: nothing at all. */
	capture();
	progress_start(0);
	for (i = 1; i <= 10000; i++)
		progress_tick(i);
	nap(300);
	for (i = 10001; i <= 20000; i++)
		progress_tick(i);
	progress_end();
	is_str(captured(), "", "not a terminal and not forced: silent");

	/* Forced: the line shows bytes of the total, records and a rate. */
	in = input_open(path, NULL, &err);
	ok(in != NULL, "input opened");
	while (input_read(in, buf, sizeof(buf)) > 0)
		;
	capture();
	progress_start(1);
	progress_input(in);
	for (i = 1; i <= 4096; i++)
		progress_tick(i);
	out = captured();
	is_str(out, "", "no line before a quarter second has passed");
	capture();
	nap(300);
	for (i = 4097; i <= 8192; i++)
		progress_tick(i);
	/* Straight away again: the rate limit holds the next redraw back. */
	for (i = 8193; i <= 12288; i++)
		progress_tick(i);
	out = captured();
	ok(strncmp(out, "\r1.1 of 1.1 MB (100%), 8192 records, ", 37) == 0,
	    "forced: one line with bytes, share of the total and records");
	if (strncmp(out, "\r1.1 of 1.1 MB (100%), 8192 records, ", 37))
		printf("#   got: '%s'\n", out);
	ok(strstr(out, " MB/s, ") != NULL && strlen(out) > 4 &&
	    strcmp(out + strlen(out) - 4, "s\033[K") == 0,
	    "rate and elapsed seconds, then erase to end of line");
	is_int(strchr(out + 1, '\r') == NULL, 1, "drawn once, not twice");

	/* The input goes away: its bytes still count. */
	progress_forget(in);
	input_close(in);
	capture();
	nap(300);
	for (i = 12289; i <= 16384; i++)
		progress_tick(i);
	progress_end();
	out = captured();
	ok(strncmp(out, "\r1.1 MB, 16384 records, ", 24) == 0,
	    "closed input: bytes kept, no total");
	ok(strlen(out) > 4 && strcmp(out + strlen(out) - 4, "\r\033[K") == 0,
	    "progress_end erases the line");

	capture();
	progress_end();
	is_str(captured(), "", "ending twice prints nothing more");
	unlink(path);
	unlink(errpath);
	return tap_done();
}

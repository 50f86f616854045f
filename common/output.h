/*
 * output.h: buffered output to stdout or, atomically, to a named file.
 *
 * A named regular file (or one that does not exist yet) is written to a
 * temporary file in the same directory and renamed over the target by
 * output_commit(): a cron job never sees half a file.  On die() every
 * uncommitted temporary is removed.  A target that exists and is not a
 * regular file (/dev/null, a FIFO, /dev/stdout) is written directly.
 * gzip output (OUTPUT_GZIP, or a name ending in .gz) goes through zlib.
 *
 * Write failures (disk full, EPIPE aside) are fatal: die() with exit 2.
 * A closed pipe ends the process quietly through SIGPIPE's default action.
 */
#ifndef DUMPKIT_OUTPUT_H
#define DUMPKIT_OUTPUT_H

#include <stddef.h>

#include "common/strbuf.h"

#define OUTPUT_GZIP	0x1

struct output;

/* path NULL or "-": standard output.  Dies if the file can't be created. */
struct output *output_open(const char *path, int flags);

/* The standard-output handle (created on first use, gzip off). */
struct output *output_stdout(void);

void	output_write(struct output *o, const void *p, size_t n);
/* Write sb's bytes and reset sb (the common record-writer idiom). */
void	output_write_sb(struct output *o, struct strbuf *sb);

/*
 * Flush, fsync and rename into place (or, for stdout, flush), then free o.
 * Dies on failure, leaving the previous file as it was.
 */
void	output_commit(struct output *o);

/* Drop a named output: remove its temporary, leave the target intact. */
void	output_abort(struct output *o);

/*
 * At the end of main(): commit stdout if used, and check that flushing and
 * closing stdout worked (exit 2 on e.g. /dev/full).
 */
void	output_finish(void);

#endif

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
 * Write failures (disk full, EPIPE aside) are fatal: die() with exit 2 and
 * "tool: write error: NAME: strerror" (NAME is the target or "stdout").
 * Opening failures are "tool: cannot create FILE: strerror", exit 2.
 *
 * A closed pipe ends the process quietly, killed by SIGPIPE as its
 * default action does (a shell sees status 141).  While a temporary file
 * is open, output.c ignores SIGPIPE itself so that on EPIPE it can remove
 * the temporaries first and then re-raise SIGPIPE with the default action;
 * when the parent ignored SIGPIPE, the process still ends the same way,
 * silently (and with _exit(2) should SIGPIPE be blocked).
 *
 * A temporary is "<dir>/.<name>.<pid>.XXXXXX" (mkstemp); output_commit()
 * writes it out, fsyncs it, gives it the old file's mode (or 0666 & ~umask)
 * and, where the process may, its owner and group, and stages it;
 * output_publish() (called by output_finish(), after stdout is flushed and
 * closed) renames every staged temporary over its target.  So the named
 * outputs of a run are all or nothing: a run that dies before the end
 * (exit 2, a signal) leaves every named file as it was.  A symbolic link to a regular file has the
 * file it points to replaced, keeping the link.  Paths under /dev/ and
 * /proc/ are always written directly (/dev/stdout as a regular file is
 * appended to, never truncated or replaced).  Uncommitted temporaries are
 * removed on die(), on exit() and by output_cleanup().
 *
 * Writes are buffered (256 KiB) and reach write(2) in large chunks.
 */
#ifndef DUMPKIT_OUTPUT_H
#define DUMPKIT_OUTPUT_H

#include <stddef.h>

#include "common/strbuf.h"

#define OUTPUT_GZIP	0x1

struct output;

/*
 * path NULL or "-": standard output (the one shared handle, see
 * output_stdout(); OUTPUT_GZIP applies if nothing was written to it yet).
 * Dies if the file can't be created.
 */
struct output *output_open(const char *path, int flags);

/* The standard-output handle (created on first use, gzip off). */
struct output *output_stdout(void);

void	output_write(struct output *o, const void *p, size_t n);
/* Write sb's bytes and reset sb (the common record-writer idiom). */
void	output_write_sb(struct output *o, struct strbuf *sb);

/*
 * Flush, fsync and close a named output and stage it for output_publish();
 * o may not be used again (output_publish() frees it).  Dies on failure,
 * leaving the previous file as it was.  A directly written target (device,
 * FIFO) is closed and freed at once.  For stdout: flush (and finish the
 * gzip stream; later bytes start a new gzip member); the stdout handle
 * stays valid and is freed by output_finish().  NULL is fine.
 */
void	output_commit(struct output *o);

/*
 * Rename every staged temporary over its target, in commit order, and
 * free those outputs.  output_finish() calls it last; a tool need not.
 * Dies if a rename fails (the rest are then removed).
 */
void	output_publish(void);

/*
 * Drop a named output: remove its temporary, leave the target intact, free
 * o.  For stdout: discard what is still buffered.  NULL is fine.
 */
void	output_abort(struct output *o);

/*
 * Remove every unpublished temporary of this process now (die(), exit()
 * and usage_error() call it; safe to call more than once).
 */
void	output_cleanup(void);

/*
 * The same from a signal handler: async-signal-safe, frees nothing (the
 * process is about to end).  process.c's handler calls it.
 */
void	output_cleanup_signal(void);

/*
 * At the end of main(): flush and free the stdout handle if used, flush
 * stdio's stdout, and close descriptor 1, checking each step (exit 2 on
 * e.g. /dev/full); then output_publish().  Call it once; later calls do
 * nothing.
 */
void	output_finish(void);

#endif

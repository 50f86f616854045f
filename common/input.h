/*
 * input.h: open a path or "-" and read decompressed, UTF-8 bytes from it.
 *
 * gzip is detected by its magic bytes (files and stdin alike) and inflated
 * with zlib, members of a concatenated file (cat a.gz b.gz) one after the
 * other; a leading UTF-8 BOM is dropped; with an encoding other than UTF-8
 * the bytes are converted to UTF-8 with iconv.  "utf-16" (or "utf16") takes
 * its byte order from the BOM and is little-endian without one, as Windows
 * writes it; any other name goes to iconv as is ("cp1251", "windows-1251",
 * "latin1", "utf-16le").  Input is not validated as UTF-8 here: readers do
 * that, so they can name the line.
 *
 * Readers keep their own buffers and call input_read(); plain input is
 * read() straight into them.  Errors (input_error() after -1):
 *   "truncated gzip data", "corrupt gzip data: <zlib's message>",
 *   "invalid cp1251 data at byte N" (N counts decompressed bytes),
 *   "incomplete utf-16le sequence at end of input", or strerror(errno).
 * Bytes that came before an error are handed out first; the error then
 * ends the next read and every read after it.
 */
#ifndef DUMPKIT_INPUT_H
#define DUMPKIT_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/errors.h"

struct input_opts {
	const char	*encoding;	/* NULL or "utf-8": no conversion */
};

#define INPUT_OPTS_DEFAULT { NULL }

struct input;

/*
 * Open path ("-" or NULL: standard input).  Returns NULL on failure and,
 * when err is non-NULL, sets *err to a message that stays valid until the
 * next input_open() ("No such file or directory", "Is a directory",
 * "unknown encoding: koi9").  Opening reads the first bytes (to look for
 * the gzip magic), so it blocks on an empty pipe.
 */
struct input *input_open(const char *path, const struct input_opts *o,
	    const char **err);

/* The name to use in messages: the path, or "-" for standard input. */
const char *input_name(const struct input *in);

/*
 * Read up to n bytes of decompressed, converted data into buf.  Returns the
 * count, 0 at end of input, -1 on error (input_error() says what: a
 * truncated gzip stream, an encoding error, an I/O error).
 */
ssize_t	input_read(struct input *in, char *buf, size_t n);

/*
 * Look at the first bytes of the (decompressed, converted) data without
 * consuming them: *p and *n are set to what is buffered, up to 4096 bytes
 * (less only at end of input).  Returns 0, or -1 on error.  Valid until the
 * next input_read().
 */
int	input_peek(struct input *in, const char **p, size_t *n);

/* The error's message; input_err() is the whole value (file, no line). */
const char *input_error(const struct input *in);
const struct read_error *input_err(const struct input *in);
/* 1 if the input was gzip-compressed. */
int	input_is_gzip(const struct input *in);
/* Bytes read from the underlying file so far (compressed), for --progress. */
uint64_t input_raw_bytes(const struct input *in);
/* Size of the underlying file, or 0 when not known (a pipe). */
uint64_t input_raw_size(const struct input *in);

/*
 * The reader is done with in (it read the end): close the file now, so a
 * close error can still be reported like a read error.  Returns 0, or -1
 * with input_err() set (a close error, or an earlier error still pending).
 * After it, only input_close() and the accessors may be called.
 */
int	input_end(struct input *in);

/*
 * Close and free; NULL is fine.  Returns 0, or -1 on a close error (which
 * only a caller that did not call input_end() first can see).
 */
int	input_close(struct input *in);

#endif

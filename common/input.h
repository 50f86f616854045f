/*
 * input.h: open a path or "-" and read decompressed, UTF-8 bytes from it.
 *
 * gzip is detected by its magic bytes (files and stdin alike) and inflated
 * with zlib; a leading UTF-8 BOM is dropped; with an encoding other than
 * UTF-8 the bytes are converted to UTF-8 with iconv (a UTF-16 BOM picks the
 * byte order).  Readers keep their own buffers and call input_read().
 */
#ifndef DUMPKIT_INPUT_H
#define DUMPKIT_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct input_opts {
	const char	*encoding;	/* NULL or "utf-8": no conversion */
};

#define INPUT_OPTS_DEFAULT { NULL }

struct input;

/*
 * Open path ("-" or NULL: standard input).  Returns NULL on failure and,
 * when err is non-NULL, sets *err to a message that stays valid until the
 * next input_open() ("No such file or directory", "unknown encoding:
 * koi9").
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

const char *input_error(const struct input *in);
/* 1 if the input was gzip-compressed. */
int	input_is_gzip(const struct input *in);
/* Bytes read from the underlying file so far (compressed), for --progress. */
uint64_t input_raw_bytes(const struct input *in);
/* Size of the underlying file, or 0 when not known (a pipe). */
uint64_t input_raw_size(const struct input *in);

/* Close and free; NULL is fine.  Returns 0, or -1 on a close error. */
int	input_close(struct input *in);

#endif

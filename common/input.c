/*
 * input.c: open a path or "-" and hand out decompressed, UTF-8 bytes
 * (gzip by magic bytes through zlib, a UTF-8 BOM dropped, iconv on request).
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/input.h"

struct input *
input_open(const char *path, const struct input_opts *o, const char **err)
{
	(void)path;
	(void)o;
	if (err != NULL)
		*err = "not implemented";
	return NULL;
}

const char *
input_name(const struct input *in)
{
	(void)in;
	return "-";
}

ssize_t
input_read(struct input *in, char *buf, size_t n)
{
	(void)in;
	(void)buf;
	(void)n;
	return -1;
}

int
input_peek(struct input *in, const char **p, size_t *n)
{
	(void)in;
	(void)p;
	(void)n;
	return -1;
}

const char *
input_error(const struct input *in)
{
	(void)in;
	return "not implemented";
}

int
input_is_gzip(const struct input *in)
{
	(void)in;
	return 0;
}

uint64_t
input_raw_bytes(const struct input *in)
{
	(void)in;
	return 0;
}

uint64_t
input_raw_size(const struct input *in)
{
	(void)in;
	return 0;
}

int
input_close(struct input *in)
{
	(void)in;
	return 0;
}

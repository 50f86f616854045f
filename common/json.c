/*
 * json.c: streaming JSON reader and compact writer (work in progress:
 * stubs so that others can link; the real reader follows).
 */
#include <stddef.h>

#include "common/json.h"

struct json_reader {
	int	dummy;
};

struct json_reader *
json_reader_new(struct input *in, const struct json_opts *o)
{
	(void)in;
	(void)o;
	return NULL;
}

struct json_reader *
json_reader_new_mem(const char *buf, size_t len, const struct json_opts *o)
{
	(void)buf;
	(void)len;
	(void)o;
	return NULL;
}

void
json_reader_free(struct json_reader *r)
{
	(void)r;
}

int
json_reader_next(struct json_reader *r, struct arena *a,
    struct json_value *out)
{
	(void)r;
	(void)a;
	(void)out;
	return -1;
}

int
json_reader_next_item(struct json_reader *r, struct arena *a,
    struct json_value *out)
{
	(void)r;
	(void)a;
	(void)out;
	return -1;
}

int
json_reader_next_in(struct json_reader *r, const char *path,
    struct arena *a, struct json_value *out)
{
	(void)r;
	(void)path;
	(void)a;
	(void)out;
	return -1;
}

int
json_reader_next_record(struct json_reader *r, struct record *rec)
{
	(void)r;
	(void)rec;
	return -1;
}

const char *
json_reader_error(const struct json_reader *r)
{
	(void)r;
	return "not implemented";
}

unsigned long
json_reader_error_line(const struct json_reader *r)
{
	(void)r;
	return 0;
}

unsigned long
json_reader_error_column(const struct json_reader *r)
{
	(void)r;
	return 0;
}

unsigned long
json_reader_line(const struct json_reader *r)
{
	(void)r;
	return 0;
}

int
json_parse(const char *buf, size_t len, const struct json_opts *o,
    struct arena *a, struct json_value *out, struct strbuf *err)
{
	(void)buf;
	(void)len;
	(void)o;
	(void)a;
	(void)out;
	(void)err;
	return -1;
}

void
json_write_value(struct strbuf *sb, const struct json_value *v)
{
	(void)sb;
	(void)v;
}

void
json_write_string(struct strbuf *sb, const char *s, size_t len)
{
	(void)sb;
	(void)s;
	(void)len;
}

void
json_write_record(struct strbuf *sb, const struct record *rec)
{
	(void)sb;
	(void)rec;
}

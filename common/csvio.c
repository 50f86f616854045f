/*
 * csvio.c: the CSV/TSV reader (libcsv callbacks filling records) and the
 * RFC 4180 cell writer.
 */
#include <stddef.h>

#include "common/csvio.h"
#include "common/input.h"

struct csv_reader *
csv_reader_new(struct input *in, const struct csv_opts *o)
{
	(void)in;
	(void)o;
	return NULL;
}

void
csv_reader_free(struct csv_reader *r)
{
	(void)r;
}

int
csv_reader_header(struct csv_reader *r, const char *const **names, size_t *n)
{
	(void)r;
	(void)names;
	(void)n;
	return -1;
}

int
csv_reader_next(struct csv_reader *r, struct record *rec)
{
	(void)r;
	(void)rec;
	return -1;
}

int
csv_reader_delim(const struct csv_reader *r)
{
	(void)r;
	return ',';
}

const char *
csv_reader_error(const struct csv_reader *r)
{
	(void)r;
	return "not implemented";
}

unsigned long
csv_reader_error_line(const struct csv_reader *r)
{
	(void)r;
	return 0;
}

void
csv_write_cell(struct strbuf *sb, const char *s, size_t len,
    const struct csv_write_opts *o)
{
	(void)o;
	strbuf_add(sb, s, len);
}

void
csv_write_eol(struct strbuf *sb, const struct csv_write_opts *o)
{
	if (o->crlf)
		strbuf_addch(sb, '\r');
	strbuf_addch(sb, '\n');
}

/* writer.c: records out as NDJSON, JSON, CSV or TSV (stub). */
#include <stdlib.h>

#include "common/errors.h"
#include "common/writer.h"

struct record_writer *
record_writer_new(struct output *out, const struct writer_opts *opts)
{
	(void)out;
	(void)opts;
	return NULL;
}

int
record_writer_write(struct record_writer *w, const struct record *rec)
{
	(void)w;
	(void)rec;
	return -1;
}

int
record_writer_write_value(struct record_writer *w, const struct json_value *v)
{
	(void)w;
	(void)v;
	return -1;
}

const char *
record_writer_error(const struct record_writer *w)
{
	(void)w;
	return "not implemented";
}

unsigned long long
record_writer_count(const struct record_writer *w)
{
	(void)w;
	return 0;
}

void
record_writer_finish(struct record_writer *w)
{
	(void)w;
}

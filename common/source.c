/* source.c: records from one input file of any format (stub, being written). */
#include <stddef.h>

#include "common/source.h"

struct source *
source_open(const char *path, const struct common_opts *o)
{
	(void)path;
	(void)o;
	return NULL;
}

int
source_next(struct source *s, struct record *rec)
{
	(void)s;
	(void)rec;
	return -1;
}

const char *
source_name(const struct source *s)
{
	(void)s;
	return "-";
}

enum format
source_format(const struct source *s)
{
	(void)s;
	return FORMAT_NONE;
}

const char *
source_error(const struct source *s)
{
	(void)s;
	return "not implemented";
}

unsigned long
source_error_line(const struct source *s)
{
	(void)s;
	return 0;
}

void
source_header(struct source *s, const char *const **names, size_t *n)
{
	(void)s;
	*names = NULL;
	*n = 0;
}

struct input *
source_input(struct source *s)
{
	(void)s;
	return NULL;
}

struct json_reader *
source_json(struct source *s)
{
	(void)s;
	return NULL;
}

struct csv_reader *
source_csv(struct source *s)
{
	(void)s;
	return NULL;
}

void
source_close(struct source *s)
{
	(void)s;
}

/*
 * source.c: one input file as a stream of records, whatever its format, so
 * that a tool's loop is the same for CSV, TSV and JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "common/csvio.h"
#include "common/errors.h"
#include "common/input.h"
#include "common/json.h"
#include "common/progress.h"
#include "common/source.h"

struct source {
	char			*name;
	enum format		 format;
	struct input		*in;
	struct csv_reader	*csv;
	struct json_reader	*json;
};

/* The format to read path as: --from, else its extension, else its bytes. */
static enum format
pick_format(struct input *in, const char *path, const struct common_opts *o)
{
	enum format f = o->from;
	const char *p;
	size_t n;

	if (f == FORMAT_NONE && path != NULL && strcmp(path, "-") != 0)
		f = format_from_path(path);
	if (f == FORMAT_NONE) {
		if (input_peek(in, &p, &n) == -1)
			data_error(input_name(in), 0, "%s", input_error(in));
		f = format_sniff(p, n);
	}
	/* Reading, NDJSON is just JSON: the reader takes any sequence. */
	if (f == FORMAT_NDJSON)
		f = FORMAT_JSON;
	return f;
}

struct source *
source_open(const char *path, const struct common_opts *o)
{
	struct input_opts io = INPUT_OPTS_DEFAULT;
	struct source *s;
	const char *err = NULL;

	io.encoding = o->encoding;
	s = xcalloc(1, sizeof(*s));
	s->in = input_open(path, &io, &err);
	if (s->in == NULL)
		die("%s: %s", path != NULL ? path : "-",
		    err != NULL ? err : "cannot open");
	s->name = xstrdup(input_name(s->in));
	s->format = pick_format(s->in, path, o);
	if (s->format == FORMAT_JSON) {
		struct json_opts jo = JSON_OPTS_DEFAULT;

		if (o->max_depth != 0)
			jo.max_depth = o->max_depth;
		if (o->max_record != 0)
			jo.max_value = o->max_record;
		s->json = json_reader_new(s->in, &jo);
	} else {
		struct csv_opts co = CSV_OPTS_DEFAULT;

		co.delim = o->delim;
		if (s->format == FORMAT_TSV && co.delim == 0)
			co.delim = '\t';
		co.no_header = o->no_header;
		co.max_record = o->max_record;
		s->csv = csv_reader_new(s->in, &co);
	}
	progress_input(s->in);
	return s;
}

int
source_next(struct source *s, struct record *rec)
{
	int rc;

	if (s->csv != NULL)
		return csv_reader_next(s->csv, rec);
	rc = json_reader_next_record(s->json, rec);
	/* The JSON reader knows lines, not names: the record carries both. */
	if (rc == 1)
		rec->file = s->name;
	return rc;
}

const char *
source_name(const struct source *s)
{
	return s->name;
}

enum format
source_format(const struct source *s)
{
	return s->format;
}

const char *
source_error(const struct source *s)
{
	const char *e;

	e = s->csv != NULL ? csv_reader_error(s->csv) :
	    json_reader_error(s->json);
	return e != NULL ? e : "unknown error";
}

unsigned long
source_error_line(const struct source *s)
{
	if (s->csv != NULL)
		return csv_reader_error_line(s->csv);
	return json_reader_error_line(s->json);
}

unsigned long
source_error_column(const struct source *s)
{
	if (s->json != NULL)
		return json_reader_error_column(s->json);
	return 0;
}

void
source_die(const struct source *s)
{
	unsigned long line = source_error_line(s);
	unsigned long col = source_error_column(s);

	if (line > 0 && col > 0)
		die("%s:%lu:%lu: %s", s->name, line, col, source_error(s));
	data_error(s->name, line, "%s", source_error(s));
}

void
source_header(struct source *s, const char *const **names, size_t *n)
{
	*names = NULL;
	*n = 0;
	if (s->csv != NULL && csv_reader_header(s->csv, names, n) != 1) {
		*names = NULL;
		*n = 0;
	}
}

struct input *
source_input(struct source *s)
{
	return s->in;
}

struct json_reader *
source_json(struct source *s)
{
	return s->json;
}

struct csv_reader *
source_csv(struct source *s)
{
	return s->csv;
}

void
source_close(struct source *s)
{
	if (s == NULL)
		return;
	progress_forget(s->in);
	if (s->csv != NULL)
		csv_reader_free(s->csv);
	if (s->json != NULL)
		json_reader_free(s->json);
	input_close(s->in);
	free(s->name);
	free(s);
}

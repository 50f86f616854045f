/*
 * source.c: one input file as a stream of records, values or rows, whatever
 * its format, so that every tool's read loop and error messages are the
 * same.  It owns the input and the reader and hands out neither.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/input.h"
#include "common/progress.h"
#include "common/source.h"

struct source {
	char			*name;
	enum format		 format;
	struct input		*in;
	struct csv_reader	*csv;
	struct json_reader	*json;
	int			 failed;
	struct read_error	 err;		/* file: name */
};

/* Take a reader's error as the source's (same text, the source's name). */
static int
fail_with(struct source *s, const struct read_error *e)
{
	read_error_copy(&s->err, e);
	s->err.file = s->name;
	s->failed = 1;
	return -1;
}

static int
fail(struct source *s, const char *fmt, const char *arg)
{
	read_error_set(&s->err, s->name, 0, 0, fmt, arg);
	s->failed = 1;
	return -1;
}

/* The format to read path as: --from, else its extension, else its bytes. */
static enum format
pick_format(struct source *s, const char *path, const struct common_opts *o)
{
	enum format f = o->from;
	const char *p;
	size_t n;

	if (f == FORMAT_NONE && path != NULL && strcmp(path, "-") != 0)
		f = format_from_path(path);
	if (f == FORMAT_NONE) {
		if (input_peek(s->in, &p, &n) == -1) {
			fail_with(s, input_err(s->in));
			return FORMAT_NONE;
		}
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
	if (s->in == NULL) {
		s->name = xstrdup(path != NULL ? path : "-");
		fail(s, "%s", err != NULL ? err : "cannot open");
		return s;
	}
	s->name = xstrdup(input_name(s->in));
	progress_input(s->in);
	s->format = pick_format(s, path, o);
	if (s->failed)
		return s;
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
	return s;
}

/*
 * A reader's result: its error becomes the source's; at the end the file
 * is closed, and a close error is an error like any other.
 */
static int
done(struct source *s, int rc)
{
	if (rc == -1)
		return fail_with(s, s->csv != NULL ? csv_reader_err(s->csv) :
		    json_reader_err(s->json));
	if (rc == 0 && input_end(s->in) == -1)
		return fail_with(s, input_err(s->in));
	return rc;
}

int
source_next(struct source *s, struct record *rec)
{
	int rc;

	if (s->failed) {
		record_reset(rec);
		return -1;
	}
	if (s->csv != NULL) {
		/* Left empty at the end: nothing borrows from s any more. */
		if ((rc = csv_reader_next(s->csv, rec)) != 1)
			record_reset(rec);
		return done(s, rc);
	}
	rc = json_reader_next_record(s->json, rec);
	/* The JSON reader knows lines, not names: the record carries both. */
	if (rc == 1)
		rec->file = s->name;
	return done(s, rc);
}

/* JSON only: 0, or -1 with the error set. */
static int
need_json(struct source *s)
{
	if (s->failed)
		return -1;
	if (s->json == NULL)
		return fail(s, "%s", "not JSON input");
	return 0;
}

int
source_next_value(struct source *s, struct arena *a, struct json_value *out)
{
	if (need_json(s) == -1)
		return -1;
	return done(s, json_reader_next(s->json, a, out));
}

int
source_next_item(struct source *s, struct arena *a, struct json_value *out)
{
	if (need_json(s) == -1)
		return -1;
	return done(s, json_reader_next_item(s->json, a, out));
}

int
source_next_in(struct source *s, const char *path, struct arena *a,
    struct json_value *out)
{
	if (need_json(s) == -1)
		return -1;
	return done(s, json_reader_next_in(s->json, path, a, out));
}

int
source_in_found(const struct source *s)
{
	return s->json != NULL && json_reader_in_found(s->json);
}

unsigned long
source_line(const struct source *s)
{
	return s->json != NULL ? json_reader_line(s->json) : 0;
}

int
source_next_row(struct source *s, struct csv_row_view *v)
{
	if (s->failed)
		return -1;
	if (s->csv == NULL)
		return fail(s, "%s", "not CSV input");
	return done(s, csv_reader_next_row(s->csv, v));
}

void
source_check_utf8_when_read(struct source *s)
{
	if (s->csv != NULL)
		csv_reader_check_utf8_when_read(s->csv);
}

void
source_row_record(struct source *s, struct record *rec)
{
	if (s->csv != NULL)
		csv_reader_row_record(s->csv, rec);
	else
		record_reset(rec);
}

int
source_header(struct source *s, const char *const **names, size_t *n)
{
	int rc;

	*names = NULL;
	*n = 0;
	if (s->failed)
		return -1;
	if (s->csv == NULL)
		return 0;
	rc = csv_reader_header(s->csv, names, n);
	if (rc != 1) {
		*names = NULL;
		*n = 0;
	}
	if (rc == -1)
		return fail_with(s, csv_reader_err(s->csv));
	return rc;
}

int
source_delim(struct source *s)
{
	const char *const *names;
	size_t n;

	if (s->csv == NULL || source_header(s, &names, &n) == -1)
		return 0;
	return csv_reader_delim(s->csv);	/* the header decided it */
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

const struct read_error *
source_err(const struct source *s)
{
	return &s->err;
}

void
source_die(const struct source *s)
{
	read_error_die(&s->err);
}

void
source_close(struct source *s)
{
	if (s == NULL)
		return;
	if (s->in != NULL)
		progress_forget(s->in);
	csv_reader_free(s->csv);
	json_reader_free(s->json);
	input_close(s->in);
	free(s->name);
	free(s);
}

int
source_slurp(const char *path, const struct common_opts *o,
    struct strbuf *sb, struct read_error *err)
{
	struct input_opts io = INPUT_OPTS_DEFAULT;
	struct input *in;
	const char *e = NULL;
	char buf[65536];
	ssize_t n;

	if (o != NULL)
		io.encoding = o->encoding;
	if ((in = input_open(path, &io, &e)) == NULL)
		return read_error_set(err, path, 0, 0, "%s",
		    e != NULL ? e : "cannot open");
	while ((n = input_read(in, buf, sizeof(buf))) > 0)
		strbuf_add(sb, buf, (size_t)n);
	if (n == 0)
		input_end(in);
	if (n < 0 || read_error_isset(input_err(in))) {
		read_error_copy(err, input_err(in));
		err->file = path;
		input_close(in);
		return -1;
	}
	input_close(in);
	return 0;
}

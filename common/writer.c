/*
 * writer.c: records out as NDJSON, one JSON array, CSV or TSV.  Rows are
 * gathered in a strbuf and handed to the output in large chunks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvio.h"
#include "common/errors.h"
#include "common/flatten.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/outenc.h"
#include "common/output.h"
#include "common/spool.h"
#include "common/strbuf.h"
#include "common/writer.h"

/*
 * Bytes gathered before they go to the output: its buffer's size
 * (OUTPUT_BUFSIZE in output.c), so that a chunk is written straight out
 * instead of being copied into that buffer first.
 */
#define WRITER_CHUNK	(256 * 1024)

struct record_writer {
	struct output		 *out;
	struct writer_opts	  o;
	struct csv_write_opts	  cw;
	struct strbuf		  sb;	/* rows not yet handed on */
	struct strbuf		  cell;	/* nested value as JSON text */
	struct strbuf		  err;
	unsigned long long	  count;
	int			  started; /* "[" or the header written */
	/*
	 * CSV/TSV columns, fixed by opts, or else the union of the records'
	 * fields (grow): rows then wait in a spool until the end.
	 */
	int			  have_cols;
	int			  grow;
	struct row_spool	 *spool;
	char			**cols;
	size_t			 *collen;
	size_t			  ncols, colalloc;
	/* The value for each column of the row being written. */
	const struct json_value	**cells;
	/* Open addressing: column index + 1, 0 for an empty slot. */
	size_t			 *hash;
	size_t			  hmask;
	struct outenc		  enc;	/* --out-encoding */
	struct flattener	  fl;	/* nested values as dotted columns */
};

/* Hand the gathered rows to the output, in its encoding. */
static void
put_out(struct record_writer *w)
{
	outenc_write(&w->enc, w->out, &w->sb);
}

/* Rows to the spool (union columns), already in the output encoding. */
static void
spool_rows(struct record_writer *w)
{
	outenc_convert(&w->enc, &w->sb);
	row_spool_add(w->spool, &w->sb, w->ncols);
}

/* ==== columns ==== */

static size_t
name_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (n-- > 0) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* Index of the column called s[0..n), or -1. */
static long
col_find(const struct record_writer *w, const char *s, size_t n)
{
	size_t i, c;

	for (i = name_hash(s, n) & w->hmask; (c = w->hash[i]) != 0;
	    i = (i + 1) & w->hmask) {
		c--;
		if (w->collen[c] == n && memcmp(w->cols[c], s, n) == 0)
			return (long)c;
	}
	return -1;
}

/* Keep the table at most half full. */
static void
hash_room(struct record_writer *w)
{
	size_t hsize = w->hmask + 1, i, c;

	if (2 * (w->ncols + 1) + 2 <= hsize)
		return;
	free(w->hash);
	hsize *= 2;
	w->hash = xcalloc(hsize, sizeof(*w->hash));
	w->hmask = hsize - 1;
	for (c = 0; c < w->ncols; c++) {
		for (i = name_hash(w->cols[c], w->collen[c]) & w->hmask;
		    w->hash[i] != 0; i = (i + 1) & w->hmask)
			;
		w->hash[i] = c + 1;
	}
}

/* Add a column unless one has that name already. */
static void
col_add(struct record_writer *w, const char *s, size_t n, size_t *alloc)
{
	size_t i;

	if (col_find(w, s, n) != -1)
		return;
	hash_room(w);
	w->cols = xgrow(w->cols, alloc, w->ncols + 1, sizeof(*w->cols));
	w->collen = xrealloc(w->collen, *alloc * sizeof(*w->collen));
	w->cols[w->ncols] = xstrndup(s, n);
	w->collen[w->ncols] = n;
	for (i = name_hash(s, n) & w->hmask; w->hash[i] != 0;
	    i = (i + 1) & w->hmask)
		;
	w->hash[i] = ++w->ncols;
}

/* Fix the columns: names[0..n) (C strings or name/len pairs). */
static void
cols_set(struct record_writer *w, const char *const *names,
    const struct json_member *members, size_t n)
{
	size_t alloc = 0, hsize = 16, i;

	while (hsize < 2 * n + 2)
		hsize *= 2;
	w->hash = xcalloc(hsize, sizeof(*w->hash));
	w->hmask = hsize - 1;
	for (i = 0; i < n; i++) {
		if (names != NULL)
			col_add(w, names[i], strlen(names[i]), &alloc);
		else
			col_add(w, members[i].name, members[i].name_len,
			    &alloc);
	}
	w->cells = xcalloc(alloc + 1, sizeof(*w->cells));
	w->colalloc = alloc;
	w->have_cols = 1;
}

/*
 * A field the columns lack, in union mode: the rows so far keep their
 * count (the spool pads them), and the field becomes the last column.
 */
static long
col_grow(struct record_writer *w, const char *s, size_t n)
{
	size_t old = w->colalloc;

	spool_rows(w);
	col_add(w, s, n, &w->colalloc);
	if (w->colalloc != old)
		w->cells = xrealloc(w->cells, (w->colalloc + 1) *
		    sizeof(*w->cells));
	w->cells[w->ncols - 1] = NULL;
	return (long)w->ncols - 1;
}

/* ==== CSV/TSV ==== */

static void
put_cell(struct record_writer *w, const char *s, size_t len)
{
	/*
	 * A lone empty cell would be an empty line, which readers skip or
	 * misread: RFC 4180 writes it quoted.
	 */
	if (len == 0 && w->ncols == 1) {
		strbuf_add(&w->sb, "\"\"", 2);
		return;
	}
	csv_write_cell(&w->sb, s, len, &w->cw);
}

static void
put_header(struct record_writer *w)
{
	size_t i;

	w->started = 1;
	if (!w->o.header || w->ncols == 0)
		return;
	for (i = 0; i < w->ncols; i++) {
		if (i > 0)
			strbuf_addch(&w->sb, w->cw.delim);
		put_cell(w, w->cols[i], w->collen[i]);
	}
	csv_write_eol(&w->sb, &w->cw);
}

static void
put_value_cell(struct record_writer *w, const struct json_value *v)
{
	if (v == NULL) {
		put_cell(w, "", 0);
		return;
	}
	switch (v->type) {
	case JSON_NULL:
		put_cell(w, "", 0);
		break;
	case JSON_FALSE:
		put_cell(w, "false", 5);
		break;
	case JSON_TRUE:
		put_cell(w, "true", 4);
		break;
	case JSON_NUMBER:
	case JSON_STRING:
		put_cell(w, v->u.str, v->len);
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		strbuf_reset(&w->cell);
		json_write_value(&w->cell, v);
		put_cell(w, w->cell.buf, w->cell.len);
		break;
	}
}

static int
nested_are_columns(const struct record_writer *w, const struct json_member *f,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((f[i].value.type == JSON_OBJECT ||
		    f[i].value.type == JSON_ARRAY) &&
		    col_find(w, f[i].name, f[i].name_len) == -1)
			return 0;
	return 1;
}

static int
csv_row(struct record_writer *w, const struct json_member *f, size_t n)
{
	size_t i;
	long c;
	int fast;

	/*
	 * No JSON text in a cell: nested values become dotted columns;
	 * but where the columns are fixed and name every nested value
	 * itself (a tool's report has a Note column), those cells hold
	 * their JSON text.
	 */
	if (!(w->have_cols && !w->grow && nested_are_columns(w, f, n)))
		flattener_run(&w->fl, f, n, &f, &n);
	if (!w->have_cols)
		cols_set(w, NULL, f, n);
	if (!w->started && !w->grow)
		put_header(w);
	/* Same names in the same order as the columns: no lookups. */
	fast = n == w->ncols;
	for (i = 0; fast && i < n; i++) {
		/*
		 * Not by pointer: a record's names live in its arena, whose
		 * addresses the next record reuses for other names.
		 */
		if (f[i].name_len != w->collen[i] ||
		    memcmp(f[i].name, w->cols[i], f[i].name_len) != 0)
			fast = 0;
	}
	if (fast) {
		for (i = 0; i < n; i++)
			w->cells[i] = &f[i].value;
	} else {
		memset(w->cells, 0, w->ncols * sizeof(*w->cells));
		for (i = 0; i < n; i++) {
			c = col_find(w, f[i].name, f[i].name_len);
			if (c == -1 && w->grow)
				c = col_grow(w, f[i].name, f[i].name_len);
			if (c == -1) {
				if (w->o.extra_ok)
					continue;
				strbuf_reset(&w->err);
				strbuf_addstr(&w->err, "field '");
				strbuf_add(&w->err, f[i].name, f[i].name_len);
				strbuf_addstr(&w->err,
				    "' is not a column (use --columns)");
				return -1;
			}
			if (w->cells[c] != NULL) {
				strbuf_reset(&w->err);
				strbuf_addstr(&w->err, "duplicate field '");
				strbuf_add(&w->err, f[i].name, f[i].name_len);
				strbuf_addch(&w->err, '\'');
				return -1;
			}
			w->cells[c] = &f[i].value;
		}
	}
	for (i = 0; i < w->ncols; i++) {
		if (i > 0)
			strbuf_addch(&w->sb, w->cw.delim);
		put_value_cell(w, w->cells[i]);
	}
	csv_write_eol(&w->sb, &w->cw);
	return 0;
}

/* ==== the writer ==== */

struct record_writer *
record_writer_new(struct output *out, const struct writer_opts *opts)
{
	struct record_writer *w = xcalloc(1, sizeof(*w));

	w->out = out;
	w->o = *opts;
	w->o.columns = NULL;
	strbuf_init(&w->sb, WRITER_CHUNK + 4096);
	strbuf_init(&w->cell, 0);
	strbuf_init(&w->err, 0);
	w->cw.delim = w->o.delim ? w->o.delim : ',';
	if (w->o.format == FORMAT_TSV)
		w->cw.delim = '\t';
	w->cw.crlf = w->o.crlf;
	outenc_init(&w->enc, opts->encoding);
	w->cw.csv_safe = w->o.csv_safe;
	if (opts->columns != NULL &&
	    (w->o.format == FORMAT_CSV || w->o.format == FORMAT_TSV))
		cols_set(w, opts->columns, NULL, opts->ncolumns);
	else if (w->o.format == FORMAT_CSV || w->o.format == FORMAT_TSV) {
		w->grow = 1;
		w->spool = row_spool_new();
	}
	return w;
}

static void
maybe_flush(struct record_writer *w)
{
	if (w->sb.len < WRITER_CHUNK)
		return;
	if (w->grow)
		spool_rows(w);
	else
		put_out(w);
}

/* Start a JSON array element: "[" before the first, "," between. */
static void
json_array_sep(struct record_writer *w)
{
	if (!w->started) {
		strbuf_add(&w->sb, "[\n", 2);
		w->started = 1;
	} else {
		strbuf_add(&w->sb, ",\n", 2);
	}
}

int
record_writer_write(struct record_writer *w, const struct record *rec)
{
	switch (w->o.format) {
	case FORMAT_CSV:
	case FORMAT_TSV:
		if (csv_row(w, rec->fields, rec->nfields) == -1)
			return -1;
		break;
	case FORMAT_JSON:
		json_array_sep(w);
		json_write_record(&w->sb, rec);
		break;
	case FORMAT_NDJSON:
	case FORMAT_NONE:
		json_write_record(&w->sb, rec);
		strbuf_addch(&w->sb, '\n');
		break;
	}
	w->count++;
	maybe_flush(w);
	return 0;
}

void
record_writer_write_cells(struct record_writer *w,
    const struct csv_cell *cells, size_t n)
{
	if (!w->started)
		put_header(w);
	if (n == 1) {	/* put_cell() writes a lone empty cell as "" */
		put_cell(w, cells[0].s, cells[0].len);
		csv_write_eol(&w->sb, &w->cw);
	} else {
		csv_write_row(&w->sb, cells, n, &w->cw);
	}
	w->count++;
	maybe_flush(w);
}

int
record_writer_write_value(struct record_writer *w, const struct json_value *v)
{
	switch (w->o.format) {
	case FORMAT_CSV:
	case FORMAT_TSV:
		if (v->type != JSON_OBJECT) {
			strbuf_reset(&w->err);
			strbuf_addf(&w->err, "not a JSON object: can't be a "
			    "%s row", format_name(w->o.format));
			return -1;
		}
		if (csv_row(w, v->u.members, v->len) == -1)
			return -1;
		break;
	case FORMAT_JSON:
		json_array_sep(w);
		json_write_value(&w->sb, v);
		break;
	case FORMAT_NDJSON:
	case FORMAT_NONE:
		json_write_value(&w->sb, v);
		strbuf_addch(&w->sb, '\n');
		break;
	}
	w->count++;
	maybe_flush(w);
	return 0;
}

struct strbuf *
record_writer_json_begin(struct record_writer *w)
{
	if (w->o.format == FORMAT_JSON)
		json_array_sep(w);
	return &w->sb;
}

void
record_writer_json_end(struct record_writer *w)
{
	if (w->o.format != FORMAT_JSON)
		strbuf_addch(&w->sb, '\n');
	w->count++;
	maybe_flush(w);
}

const char *
record_writer_error(const struct record_writer *w)
{
	return w->err.len > 0 ? w->err.buf : "no error";
}

unsigned long long
record_writer_count(const struct record_writer *w)
{
	return w->count;
}

void
record_writer_finish(struct record_writer *w)
{
	size_t i;

	if (w == NULL)
		return;
	switch (w->o.format) {
	case FORMAT_CSV:
	case FORMAT_TSV:
		if (w->grow) {
			/* The header is the union: now the rows. */
			spool_rows(w);
			if (row_spool_any(w->spool) || (w->have_cols &&
			    w->o.header_always)) {
				put_header(w);
				put_out(w);
			}
			row_spool_copy(w->spool, w->out, w->ncols, &w->cw);
		} else if (!w->started && w->have_cols &&
		    w->o.header_always)
			put_header(w);
		break;
	case FORMAT_JSON:
		if (w->started)
			strbuf_add(&w->sb, "\n]\n", 3);
		else
			strbuf_add(&w->sb, "[]\n", 3);
		break;
	case FORMAT_NDJSON:
	case FORMAT_NONE:
		break;
	}
	if (w->sb.len > 0)
		put_out(w);
	for (i = 0; i < w->ncols; i++)
		free(w->cols[i]);
	free(w->cols);
	free(w->collen);
	free(w->cells);
	free(w->hash);
	row_spool_free(w->spool);
	flattener_release(&w->fl);
	outenc_release(&w->enc);
	strbuf_release(&w->sb);
	strbuf_release(&w->cell);
	strbuf_release(&w->err);
	free(w);
}

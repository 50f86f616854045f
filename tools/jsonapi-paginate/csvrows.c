/*
 * csvrows.c: resources out as CSV/TSV rows, with --columns or with the
 * union of all field names as columns (rows spooled until it is known).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "common/errors.h"
#include "common/flatten.h"
#include "common/json_writer.h"
#include "common/outenc.h"
#include "common/output.h"
#include "common/spool.h"
#include "common/writer.h"
#include "jp.h"

/* ==== CSV/TSV with the union of names as columns ==== */

/*
 * The columns are known only at the end, so rows go to a spool
 * (common/spool.c), each run written with the columns known when it was
 * written (new names are added at the end) and padded as it is copied out.
 * Rows are made when their page is written, so the column order is the
 * first-seen order in page order, whatever order the files came in.
 */
/* The header alone: a writer with the columns fixed that writes no row. */
static void
put_header(struct csvrows *cr, struct writer_opts *wo)
{
	struct writer_opts h = *wo;

	h.header_always = 1;
	record_writer_finish(record_writer_new(cr->out, &h));
	cr->header_done = 1;
}

static void
rows_flush(struct csvrows *cr)
{
	if (cr->rows.len == 0)
		return;
	if (cr->fixed) {
		/* No rows, no header (unless --header-always): see finish. */
		if (!cr->header_done)
			put_header(cr, &cr->wo);
		outenc_write(&cr->enc, cr->out, &cr->rows);
		return;
	}
	outenc_convert(&cr->enc, &cr->rows);
	row_spool_add(cr->spool, &cr->rows, cr->columns.n);
}

static void
put_cell(struct csvrows *cr, size_t ncols, const struct json_value *v)
{
	const char *s = "";
	size_t len = 0;

	if (v != NULL) {
		switch (v->type) {
		case JSON_NULL:
			break;
		case JSON_FALSE:
			s = "false", len = 5;
			break;
		case JSON_TRUE:
			s = "true", len = 4;
			break;
		case JSON_NUMBER:
		case JSON_STRING:
			s = v->u.str, len = v->len;
			break;
		default:
			strbuf_reset(&cr->cell);
			json_write_value(&cr->cell, v);
			s = cr->cell.buf, len = cr->cell.len;
			break;
		}
	}
	/* A lone empty cell would read as an empty line: quote it. */
	if (len == 0 && ncols == 1)
		strbuf_add(&cr->rows, "\"\"", 2);
	else
		csv_write_cell(&cr->rows, s, len, &cr->cw);
}

/*
 * One record as a CSV row of the columns known so far (adding its new
 * names, unless the columns are fixed).
 */
int
csvrows_add(struct csvrows *cr, const struct json_value *v, const char **dup)
{
	const struct json_member *fm;
	struct json_value flat;
	const struct json_member *m;
	size_t i, n = v->type == JSON_OBJECT ? v->len : 0, ncols;
	long c;
	int fast = 1, isnew;

	/* --resolve puts objects in fields: dotted columns, as mlr does. */
	if (v->type == JSON_OBJECT &&
	    flattener_run(&cr->fl, v->u.members, v->len, &fm, &n)) {
		flat = *v;
		flat.u.members = (struct json_member *)fm;
		flat.len = n;
		v = &flat;
	}

	for (i = 0; i < n; i++) {
		m = &v->u.members[i];
		/* Records of one type repeat the same names in order. */
		if (i < cr->columns.n && cr->columns.len[i] == m->name_len &&
		    memcmp(cr->columns.s[i], m->name, m->name_len) == 0)
			continue;
		fast = 0;
		if (!cr->fixed &&
		    strset_find(&cr->columns, m->name, m->name_len) < 0) {
			/* Rows so far have fewer columns: a new segment. */
			rows_flush(cr);
			strset_add(&cr->columns, m->name, m->name_len, &isnew);
		}
	}
	ncols = cr->columns.n;
	cr->cells = xgrow(cr->cells, &cr->cells_alloc, ncols + 1,
	    sizeof(*cr->cells));
	if (fast && n == ncols) {
		for (i = 0; i < n; i++)
			cr->cells[i] = &v->u.members[i].value;
	} else {
		memset(cr->cells, 0, ncols * sizeof(*cr->cells));
		for (i = 0; i < n; i++) {
			m = &v->u.members[i];
			c = strset_find(&cr->columns, m->name, m->name_len);
			if (c < 0)
				continue;	/* not one of --columns */
			if (cr->cells[c] != NULL) {
				*dup = m->name;
				return -1;
			}
			cr->cells[c] = &m->value;
		}
	}
	for (i = 0; i < ncols; i++) {
		if (i > 0)
			strbuf_addch(&cr->rows, cr->cw.delim);
		put_cell(cr, ncols, cr->cells[i]);
	}
	csv_write_eol(&cr->rows, &cr->cw);
	if (cr->rows.len >= 65536)
		rows_flush(cr);
	return 0;
}

/* The header and the spooled rows, padded to the union of the columns. */
static void
write_spool(struct csvrows *cr, struct writer_opts *wo)
{
	rows_flush(cr);
	wo->columns = (const char *const *)cr->columns.s;
	wo->ncolumns = cr->columns.n;
	if (cr->columns.n > 0 && row_spool_any(cr->spool))
		put_header(cr, wo);
	row_spool_copy(cr->spool, cr->out, cr->columns.n, &cr->cw);
}

void
csvrows_init(struct csvrows *cr, struct output *out, struct writer_opts *wo)
{
	size_t i;

	memset(cr, 0, sizeof(*cr));
	cr->out = out;
	cr->cw.delim = wo->format == FORMAT_TSV ? '\t' : wo->delim ?
	    wo->delim : ',';
	/* The header's writer writes the BOM; rows are converted here. */
	outenc_init(&cr->enc, wo->encoding);
	cr->enc.bom = 0;
	cr->cw.crlf = wo->crlf;
	cr->cw.csv_safe = wo->csv_safe;
	strbuf_init(&cr->rows, 0);
	strbuf_init(&cr->cell, 0);
	if (wo->ncolumns > 0) {
		/* Rows stream; the header goes out before the first. */
		cr->wo = *wo;
		cr->fixed = 1;
		for (i = 0; i < wo->ncolumns; i++)
			strset_add(&cr->columns, wo->columns[i],
			    strlen(wo->columns[i]), NULL);
		return;
	}
	cr->spool = row_spool_new();
}

void
csvrows_finish(struct csvrows *cr, struct writer_opts *wo)
{
	if (!cr->fixed)
		write_spool(cr, wo);
	else
		rows_flush(cr);
	if (!cr->header_done && wo->header_always && wo->ncolumns > 0)
		put_header(cr, wo);
}

void
csvrows_abort(struct csvrows *cr)
{
	if (cr->fixed && cr->rows.len > 0)
		rows_flush(cr);
}

void
csvrows_release(struct csvrows *cr)
{
	row_spool_free(cr->spool);
	flattener_release(&cr->fl);
	outenc_release(&cr->enc);
	strset_release(&cr->columns);
	strbuf_release(&cr->rows);
	strbuf_release(&cr->cell);
	free(cr->cells);
}

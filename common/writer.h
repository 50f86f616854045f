/*
 * writer.h: records out as NDJSON, JSON (one array), CSV or TSV.
 *
 * CSV/TSV output is rectangular: the columns are fixed by opts.columns, or
 * else they are the union of the records' field names in first-seen order
 * (rows then wait in a spool, common/spool.h, until the header is known);
 * records are written by column name (a missing field is an empty cell).
 * With fixed columns a field that is not a column is an error
 * (record_writer_write() returns -1) unless extra_ok is set, so that
 * nothing is dropped silently.  Nested values become dotted columns
 * (common/flatten.h: a.b, arrays of scalars ';'-joined, others a.0.b);
 * null is an empty cell.
 *
 * Layouts:
 * - NDJSON: each record as compact JSON plus "\n".
 * - JSON: "[\n" rec ",\n" rec ... "\n]\n", one record per line;
 *   no records at all is "[]\n".
 * - CSV: cells through csv_write_cell() (quoted only where RFC 4180 needs
 *   it), delimiter opts.delim or ','; rows end in "\n" (CR LF with crlf).
 *   true/false as text, numbers as written, null and missing fields empty.
 *   A row of one empty cell is written as "" so it is not a blank line.
 * - TSV: the same with TAB as the delimiter, so a cell holding TAB, '"',
 *   CR or LF is quoted CSV-style (not the IANA escape-free TSV).
 * Errors (-1, nothing of the row written): "field 'x' is not a column
 * (use --columns)" (fixed columns), "duplicate field 'x'" (a JSON object with a repeated
 * name), and for record_writer_write_value() "not a JSON object: can't be
 * a csv row".  Rows are gathered and handed to out in 256 KiB chunks.
 */
#ifndef DUMPKIT_WRITER_H
#define DUMPKIT_WRITER_H

#include <stddef.h>

#include "common/csvio.h"
#include "common/format.h"
#include "common/record.h"

struct output;

struct writer_opts {
	enum format		 format;	/* CSV, TSV, JSON or NDJSON */
	int			 crlf;		/* CSV/TSV rows end in CR LF */
	int			 csv_safe;	/* guard against formulas */
	int			 delim;		/* CSV delimiter (0: ',') */
	const char *const	*columns;	/* fixed CSV columns, or NULL */
	size_t			 ncolumns;
	int			 extra_ok;	/* ignore fields not in columns */
	int			 header;	/* CSV header row (default on) */
	int			 header_always;	/* ... even with no row */
	/*
	 * Output encoding, NULL for UTF-8; "utf-8-bom" is UTF-8 after a BOM
	 * (for Excel).  An encoding where ASCII is not itself (UTF-16) is not
	 * for the writer: cli.c refuses it.  A character the encoding lacks
	 * is fatal.
	 */
	const char		*encoding;
};

#define WRITER_OPTS_DEFAULT \
	{ FORMAT_NDJSON, 0, 0, 0, NULL, 0, 0, 1, 0, NULL }

struct record_writer;

/* opts is copied (columns too).  The writer does not own out. */
struct record_writer *record_writer_new(struct output *out,
	    const struct writer_opts *opts);
/* Returns 0, or -1 with record_writer_error() set (a field not a column). */
int	record_writer_write(struct record_writer *w, const struct record *rec);
/*
 * Write any JSON value: as is for JSON/NDJSON; an object is written like a
 * record for CSV/TSV; anything else there returns -1.
 */
int	record_writer_write_value(struct record_writer *w,
	    const struct json_value *v);
/*
 * JSON/NDJSON only: for a tool that writes a value's JSON text itself
 * (faster than making the value to write it).  record_writer_json_begin()
 * returns the buffer to append exactly one value to, the array separator
 * written; record_writer_json_end() ends the value and counts it.
 */
struct strbuf *record_writer_json_begin(struct record_writer *w);
void	record_writer_json_end(struct record_writer *w);
/*
 * CSV/TSV with columns fixed by opts: write one row given as its cells in
 * column order, cells[0..n) with n the number of columns (a tool that
 * copies CSV rows needs no record for them).
 */
void	record_writer_write_cells(struct record_writer *w,
	    const struct csv_cell *cells, size_t n);
const char *record_writer_error(const struct record_writer *w);
/* Records written so far. */
unsigned long long record_writer_count(const struct record_writer *w);
/*
 * Finish the stream (the closing "]" of a JSON array; a CSV header alone
 * when columns were fixed, nothing was written and header_always is set:
 * without it CSV/TSV with no rows is no output at all, so that a cron job
 * with nothing new mails nothing) and free w.  Does not commit out.
 */
void	record_writer_finish(struct record_writer *w);

#endif

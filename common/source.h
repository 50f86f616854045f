/*
 * source.h: the one way a tool reads data.  One input file of any format
 * (CSV, TSV or JSON, chosen by --from, the file's extension, or its first
 * byte), opened by path or "-", with everything struct common_opts says
 * about reading applied here once: --encoding, gzip (by magic bytes), the
 * BOM, the CSV delimiter and --no-header, --max-record, --max-depth, and
 * --progress (the source tells progress.h about its input).
 *
 * A tool reads records, JSON values, or CSV rows as cells, and reports the
 * source's one error value:
 *
 *	src = source_open(path, &common);
 *	while ((rc = source_next(src, &rec)) == 1)
 *		... rec.problem set: reject it ...
 *	if (rc == -1)
 *		source_die(src);	("tool: FILE:LINE[:COL]: problem", exit 2)
 *	source_close(src);
 *
 * source_open() never fails: a file that cannot be opened, or whose first
 * bytes cannot be read, gives a source whose every read (and
 * source_header()) returns -1, its error "tool: PATH: No such file or
 * directory".  The end of the input is where the file is closed: a close
 * error is returned by that last read as -1, like a read error, so every
 * tool reports it alike.
 *
 * Lifetimes: source_name(), the CSV header's names, and rec->file of every
 * record read from the source are the source's and live until
 * source_close().  Values and cells live as each function says.
 */
#ifndef DUMPKIT_SOURCE_H
#define DUMPKIT_SOURCE_H

#include "common/arena.h"
#include "common/cli.h"
#include "common/csvio.h"
#include "common/errors.h"
#include "common/format.h"
#include "common/json.h"
#include "common/record.h"
#include "common/strbuf.h"

struct source;

/*
 * Open path ("-" or NULL: standard input) as o says (o->from forces the
 * format: a tool that reads only JSON sets FORMAT_JSON).  Free with
 * source_close().
 */
struct source *source_open(const char *path, const struct common_opts *o);

/*
 * Reset rec and read the next record into it: a CSV row, or a JSON object
 * (NDJSON, concatenated values, or the elements of a top-level array).
 * Returns 1, 0 at the end, -1 on error.  rec->problem is set for a record
 * to reject (a ragged row, invalid UTF-8, a JSON value not an object).
 * rec borrows its field names and rec->file from s; after 0 or -1 it is
 * left empty, so a loop may close s as soon as it ends.
 */
int	source_next(struct source *s, struct record *rec);

/*
 * JSON only.  source_next_value(): the next top-level value, as is.
 * source_next_item(): the same with a top-level array unwrapped into its
 * elements.  Built in a, which the caller resets between calls.  1, 0 at
 * the end, -1 on error (a CSV source: "not JSON input").
 */
int	source_next_value(struct source *s, struct arena *a,
	    struct json_value *out);
int	source_next_item(struct source *s, struct arena *a,
	    struct json_value *out);

/*
 * JSON only: the items of the member at path ("data", "result.items") of
 * each document, then the document's envelope, as json_reader_next_in()
 * says: JSON_READER_ITEM, JSON_READER_DOC_END (the envelope lives until the
 * next call), 0 at the end, -1 on error.  source_in_found() after a
 * DOC_END: 1 if that document had the member.
 */
int	source_next_in(struct source *s, const char *path, struct arena *a,
	    struct json_value *out);
int	source_in_found(const struct source *s);
/* JSON: the line where the value, item or document last returned starts. */
unsigned long source_line(const struct source *s);

/*
 * CSV and TSV only: the next data row as cells, without a record (the
 * fast path of a tool that copies rows).  As csv_reader_next_row(): 1, 0 at
 * the end, -1 on error; the cells are the source's until the next call.
 * source_row_record(): that row as source_next() would have given it.
 */
int	source_next_row(struct source *s, struct csv_row_view *v);
void	source_row_record(struct source *s, struct record *rec);
/*
 * CSV and TSV: check UTF-8 in the thread that reads the rows, not in
 * csvio's splitting thread (csv_reader_check_utf8_when_read()).  Before the
 * first read; nothing for JSON.
 */
void	source_check_utf8_when_read(struct source *s);

/*
 * The CSV header, read now if not yet: 1 with *names and *n set (the
 * source's, until source_close()), 0 with NULL/0 when there is none (JSON
 * input, or an empty file), -1 when the source failed (then *names and *n
 * are NULL/0 too).
 */
int	source_header(struct source *s, const char *const **names, size_t *n);
/* The CSV/TSV delimiter read with (the header decides it); 0 for JSON. */
int	source_delim(struct source *s);

/* The input's name for messages: the path, or "-". */
const char *source_name(const struct source *s);
/* CSV, TSV or JSON; FORMAT_NONE when it failed before the format was known. */
enum format source_format(const struct source *s);

/*
 * The error after a -1: file (the source's name), line, column (JSON) and
 * problem.  source_die() prints it as "tool: FILE:LINE[:COL]: problem" and
 * exits 2 (through die(), so temporary outputs are removed).
 */
const struct read_error *source_err(const struct source *s);
void	source_die(const struct source *s) __attribute__((noreturn));

/* Close and free; NULL is fine. */
void	source_close(struct source *s);

/*
 * A small whole file (a --map-file) into sb, decompressed and converted as
 * o says (NULL: as it is).  Returns 0, or -1 with err set (err->file is
 * path, borrowed).
 */
int	source_slurp(const char *path, const struct common_opts *o,
	    struct strbuf *sb, struct read_error *err);

#endif

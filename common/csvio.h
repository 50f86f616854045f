/*
 * csvio.h: CSV/TSV reader (its own splitter, held to libcsv by differential
 * tests), and the CSV cell writer.
 *
 * Reader: RFC 4180 (quotes, doubled quotes, newlines inside quotes), LF or
 * CRLF, header row required unless no_header (then columns are "1".."N"),
 * delimiter sniffed from the header among , ; TAB | unless given.  Rows
 * become records whose field names are the header's (borrowed from the
 * reader) and whose values are JSON_STRING.  Duplicate header names and
 * invalid UTF-8 in the header are errors.
 *
 * Details a user can see:
 * - Bytes are kept as they are: spaces around fields, CR LF inside quotes.
 * - Blank lines are skipped (as libcsv and mlr do); they still count as
 *   lines.  Lines are counted by LF: a file with CR-only line ends reads
 *   correctly but every row reports line 1.
 * - A quote inside an unquoted field is a literal quote (ab"c is ab"c, as
 *   in mlr and Python); text after a closing quote ("ab"c) is an error.
 * - Sniffing counts , ; TAB | outside quotes on the first line; the most
 *   frequent wins, ties in that order, none means ','.
 * - TSV is this reader with delim '\t': quotes work as in CSV, there are
 *   no backslash escapes.
 *
 * Speed: a regular file of 4 MiB or more read by the process's main thread
 * is split (and its UTF-8 checked) in a second thread while the caller
 * uses the rows before; rows, lines and errors come out in the same order
 * either way.  DUMPKIT_CSV_THREAD=0 or 1 in the environment forces that
 * off or on (for any regular file), for tests and measurements.
 *
 * Fatal errors (csv_reader_error(), with csv_reader_error_line()):
 *   "unterminated quote" (line where its row starts),
 *   "unexpected text after closing quote" (line of the text),
 *   "duplicate column name 'x' in header", "invalid UTF-8 in header field 2",
 *   "row longer than 64 MiB" (max_record; memory stays bounded by it),
 *   "row has more than 1048576 fields" (max_record / 64),
 *   and input errors ("truncated gzip data", ...) at the current line.
 */
#ifndef DUMPKIT_CSVIO_H
#define DUMPKIT_CSVIO_H

#include <stddef.h>

#include "common/errors.h"
#include "common/record.h"
#include "common/strbuf.h"

struct input;

/*
 * Bytes asked of the input at a time, and split as one chunk.  A read of
 * 1 MiB takes 5% less CPU than 256 KiB on a quoted partner export (fewer
 * system calls and hand-overs; the chunk still fits the 2 MiB L2 of the
 * machine measured).  Tests size inputs that must span reads from it.
 */
#define CSV_READ_SIZE	((size_t)1024 * 1024)

struct csv_opts {
	int	delim;		/* 0: sniff from the header line */
	int	no_header;	/* columns named 1..N from the first row */
	size_t	max_record;	/* bytes of one row (0: 64 MiB) */
};

#define CSV_OPTS_DEFAULT { 0, 0, 0 }

struct csv_reader;

struct csv_reader *csv_reader_new(struct input *in, const struct csv_opts *o);
void	csv_reader_free(struct csv_reader *r);

/*
 * Check each row's UTF-8 in the thread that reads the rows instead of in
 * the splitting thread (where a big file has one): for a caller that reads
 * in a thread of its own with time to spare, such as twin-join's reading
 * thread, while the splitter is the slowest stage.  The results are the
 * same either way.  Call before the first read.
 */
void	csv_reader_check_utf8_when_read(struct csv_reader *r);

/*
 * Read the header now if not yet read.  Returns 1 with *names and *n set (owned
 * by the reader), 0 for empty input, -1 on error.
 */
int	csv_reader_header(struct csv_reader *r, const char *const **names,
	    size_t *n);

/*
 * The next data row into rec (reset first; rec->file and rec->line set, line
 * being where the row starts).  Returns 1, 0 at end, -1 on a fatal error
 * (unterminated quote, I/O, a row beyond max_record).  Recoverable problems
 * return 1 with rec->problem set, for a tool to reject:
 *   "ragged_row"   "expected 5 fields, found 4" (fields beyond the header
 *                  are named "_extra1", "_extra2".. so nothing is lost;
 *                  missing ones are absent)
 *   "bad_utf8"     "invalid UTF-8 in field 3 (column 'name')"
 * A ragged row is not also checked for UTF-8.  problem lives in rec->arena.
 */
int	csv_reader_next(struct csv_reader *r, struct record *rec);

/* One cell of a row: s[0..len), NUL after it. */
struct csv_cell {
	const char	*s;
	size_t		 len;
};

/* A data row as its cells, without the record (see csv_reader_next_row). */
struct csv_row_view {
	const struct csv_cell	*cells;
	size_t			 n;
	unsigned long		 line;		/* where the row starts */
	/*
	 * NULL, or the problem csv_reader_next() would set: "ragged_row"
	 * or "bad_utf8" (csv_reader_row_record() gives the message).
	 */
	const char		*problem_code;
};

/*
 * The next data row as cells, for a tool that needs no record: 1, 0 at
 * the end, -1 on a fatal error, as csv_reader_next().  The cells are the
 * reader's until the next call; they lie in one block, in order, each
 * followed by a NUL.
 */
int	csv_reader_next_row(struct csv_reader *r, struct csv_row_view *v);
/*
 * The row csv_reader_next_row() returned last, as csv_reader_next() would
 * have given it (names, problem and all).
 */
void	csv_reader_row_record(struct csv_reader *r, struct record *rec);

/* The delimiter in use (after the header was read). */
int	csv_reader_delim(const struct csv_reader *r);
/*
 * The error after -1 (file: the input's name, line, no column), for
 * read_error_die(); csv_reader_error() and _error_line() are parts of it.
 */
const struct read_error *csv_reader_err(const struct csv_reader *r);
const char *csv_reader_error(const struct csv_reader *r);
unsigned long csv_reader_error_line(const struct csv_reader *r);

/* ==== writer ==== */

struct csv_write_opts {
	int	delim;		/* ',' or '\t' or ... */
	int	crlf;		/* end rows with CR LF */
	int	csv_safe;	/* prefix = + - @ TAB CR with ' */
};

#define CSV_WRITE_OPTS_DEFAULT { ',', 0, 0 }

/*
 * Append one cell, quoted only where RFC 4180 needs it: when it holds the
 * delimiter, '"', CR or LF (quotes doubled inside).  With csv_safe a cell
 * starting with = + - @ TAB or CR gets a leading ' (inside the quotes when
 * it is quoted).  An empty cell is written as nothing: a caller writing a
 * one-column row must write "" itself, or the row reads back as a blank
 * line.
 */
void	csv_write_cell(struct strbuf *sb, const char *s, size_t len,
	    const struct csv_write_opts *o);
/* Append the row terminator. */
void	csv_write_eol(struct strbuf *sb, const struct csv_write_opts *o);
/*
 * Append cells[0..n) and the row terminator, as csv_write_cell() and
 * csv_write_eol() would (the same one-column caveat), making room once:
 * the row-at-a-time path of CSV to CSV jobs.
 */
void	csv_write_row(struct strbuf *sb, const struct csv_cell *cells,
	    size_t n, const struct csv_write_opts *o);

#endif

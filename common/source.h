/*
 * source.h: records from one input file of any format (CSV, TSV or JSON),
 * chosen by --from, the file's extension, or its first byte.
 *
 * JSON input gives one record per object: NDJSON, concatenated values, or the
 * elements of a top-level array.  CSV gives one per row.  Tools loop:
 *
 *	src = source_open(path, &common);   (dies if it can't be opened)
 *	while ((rc = source_next(src, &rec)) == 1)
 *		... rec.problem set: reject it ...
 *	if (rc == -1)
 *		source_die(src);	("tool: FILE:LINE:COL: problem", exit 2)
 *	source_close(src);
 *
 * A file that can't be opened is "tool: PATH: No such file or directory"
 * (exit 2).  The source tells progress.h about its input.
 */
#ifndef DUMPKIT_SOURCE_H
#define DUMPKIT_SOURCE_H

#include "common/cli.h"
#include "common/format.h"
#include "common/record.h"

struct source;
struct input;
struct json_reader;
struct csv_reader;

struct source *source_open(const char *path, const struct common_opts *o);
/* Reset rec and read the next record into it: 1, 0 at end, -1 on error. */
int	source_next(struct source *s, struct record *rec);
const char *source_name(const struct source *s);
enum format source_format(const struct source *s);	/* CSV, TSV or JSON */
const char *source_error(const struct source *s);
unsigned long source_error_line(const struct source *s);
/* Byte column of the error for JSON (1-based), 0 when not known (CSV). */
unsigned long source_error_column(const struct source *s);
/*
 * After source_next() returned -1: print the error as
 * "tool: FILE:LINE:COL: problem" (JSON) or "tool: FILE:LINE: problem" (CSV,
 * or no column known) and exit 2, removing temporary outputs.
 */
void	source_die(const struct source *s) __attribute__((noreturn));
/* CSV header (NULL/0 for JSON); owned by the source. */
void	source_header(struct source *s, const char *const **names, size_t *n);
/* The underlying input, json reader or csv reader (NULL when not that kind). */
struct input *source_input(struct source *s);
struct json_reader *source_json(struct source *s);
struct csv_reader *source_csv(struct source *s);
void	source_close(struct source *s);

#endif

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
 *		data_error(source_name(src), source_error_line(src), "%s",
 *		    source_error(src));
 *	source_close(src);
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
/* CSV header (NULL/0 for JSON); owned by the source. */
void	source_header(struct source *s, const char *const **names, size_t *n);
/* The underlying input, json reader or csv reader (NULL when not that kind). */
struct input *source_input(struct source *s);
struct json_reader *source_json(struct source *s);
struct csv_reader *source_csv(struct source *s);
void	source_close(struct source *s);

#endif

/*
 * json.h: streaming JSON reader with exact numbers (json_writer.h writes).
 *
 * The reader pulls values from an input: NDJSON, concatenated values and
 * pretty-printed documents alike.  Numbers keep their original text (checked
 * against the JSON grammar).  Errors carry line and column.  Strings must be
 * valid UTF-8 without raw control characters; \u escapes are decoded
 * (surrogate pairs combined, a lone surrogate is an error).  A depth limit
 * guards against hostile nesting, a size limit against a single endless
 * value; both are errors like any other, never a crash (the parser keeps
 * its own stack instead of recursing).
 *
 * Memory: the reader keeps one buffer (256 KiB, grown only for a single
 * value larger than half of it) and builds values in the caller's arena.
 */
#ifndef DUMPKIT_JSON_H
#define DUMPKIT_JSON_H

#include <stddef.h>

#include "common/arena.h"
#include "common/record.h"
#include "common/strbuf.h"

struct input;
struct read_error;

struct json_opts {
	size_t	max_depth;	/* nesting deeper than this is an error */
	size_t	max_value;	/* bytes of one top-level value / item */
				/* (0 in either: the default) */
};

#define JSON_DEPTH_DEFAULT	512
#define JSON_VALUE_MAX_DEFAULT	((size_t)64 << 20)
#define JSON_OPTS_DEFAULT { JSON_DEPTH_DEFAULT, JSON_VALUE_MAX_DEFAULT }

struct json_reader;

struct json_reader *json_reader_new(struct input *in,
	    const struct json_opts *o);
/*
 * Read JSON from memory instead (for tests, fuzzing and re-parsing); buf
 * must outlive the reader.  A leading UTF-8 BOM is skipped.
 */
struct json_reader *json_reader_new_mem(const char *buf, size_t len,
	    const struct json_opts *o);
void	json_reader_free(struct json_reader *r);

/*
 * The next top-level value, built in a (the caller resets a between calls).
 * Returns 1, 0 at end of input (also for empty or whitespace-only input),
 * -1 on error.
 */
int	json_reader_next(struct json_reader *r, struct arena *a,
	    struct json_value *out);

/*
 * Like json_reader_next(), but a top-level array is unwrapped: its elements
 * are returned one at a time without the whole array ever being held.
 */
int	json_reader_next_item(struct json_reader *r, struct arena *a,
	    struct json_value *out);

/*
 * Streaming a member of each top-level document: path names a member by a
 * dotted path ("data", "result.items").  For each top-level value:
 *   - each element of the array at path is returned as JSON_READER_ITEM
 *     (a single non-array, non-null value there is returned as one item);
 *   - then, once the document has been read to its end,
 *     JSON_READER_DOC_END is returned with out set to the document without
 *     that member (the "envelope": links, meta, included, errors, ...).
 *     The envelope lives in the reader's memory until the next call.
 *   - a document without the member (an error document, or a top-level
 *     array) gives no items and a DOC_END holding the whole document.
 * Items are built in a (the caller resets a between items).  max_value
 * applies to each item and each envelope member.  json_reader_line() is
 * the line where an item starts, at DOC_END where the document started.
 * Use one path per reader, and don't mix with next_item() on one reader.
 * Returns JSON_READER_ITEM, JSON_READER_DOC_END, 0 at end, -1 on error.
 */
#define JSON_READER_ITEM	1
#define JSON_READER_DOC_END	2
int	json_reader_next_in(struct json_reader *r, const char *path,
	    struct arena *a, struct json_value *out);
/*
 * After next_in()'s DOC_END: 1 if that document had the member at path
 * (an array, even an empty one, a single value, or null), 0 if it had not.
 * A "data": null member gives no items and stays in the envelope.
 */
int	json_reader_in_found(const struct json_reader *r);

/*
 * Read the next top-level value or array element (as _next_item) into rec:
 * an object's members become the record's fields (allocated in rec->arena,
 * which this resets first).  A value that is not an object still returns 1,
 * with rec->problem "not a JSON object" and problem_code "not_object"
 * (and no fields).  rec->line is the line where the value starts;
 * rec->file is set to the input's name for a reader made by
 * json_reader_new().
 */
int	json_reader_next_record(struct json_reader *r, struct record *rec);

/*
 * The problem after -1, e.g. "unexpected ',' (expected a value)": lower
 * case, without position, for "tool: FILE:LINE:COL: problem".  Errors are
 * sticky: every later call returns -1 again.
 */
const char *json_reader_error(const struct json_reader *r);
/*
 * Line and column (1-based, column in bytes) of the error: where the
 * offending byte is, or for a truncated document the end of the input.
 */
unsigned long json_reader_error_line(const struct json_reader *r);
unsigned long json_reader_error_column(const struct json_reader *r);
/*
 * The whole error value (file: the input's name, NULL for a reader of
 * memory), for read_error_die(); json_reader_error(), _error_line() and
 * _error_column() are its parts.
 */
const struct read_error *json_reader_err(const struct json_reader *r);
/* Line where the value last returned started. */
unsigned long json_reader_line(const struct json_reader *r);

/*
 * Parse one whole JSON document from memory (trailing space allowed, a
 * leading BOM skipped) into a.  Returns 0, or -1 with err (when not NULL)
 * set to "LINE:COL: problem", e.g. "1:5: unexpected ',' (expected a value)".
 */
int	json_parse(const char *buf, size_t len, const struct json_opts *o,
	    struct arena *a, struct json_value *out, struct strbuf *err);

#endif

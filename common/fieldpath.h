/*
 * fieldpath.h: naming a field (DESIGN.md section 3), with libjq for
 * expressions.
 *
 * "partner_id" names a column or top-level member; "attributes.AccessKey"
 * a JSON path (walked directly, exact); a spec starting with "." is a jq
 * expression compiled with libjq and run on the record converted to a jv
 * (its first output is the value; numbers pass through jq as doubles, so a
 * jq expression cannot keep digits past 2^53 -- plain paths do).
 */
#ifndef DUMPKIT_FIELDPATH_H
#define DUMPKIT_FIELDPATH_H

#include "common/arena.h"
#include "common/record.h"
#include "common/strbuf.h"

struct fieldpath;

/* NULL with a message in err on a bad jq expression. */
struct fieldpath *fieldpath_compile(const char *spec, struct strbuf *err);
/*
 * The value named by fp in rec.  Returns 1 with *out set (memory in a, or
 * borrowed from rec), 0 when missing (or jq gave no output / null), -1 on a
 * jq runtime error (message appended to err).
 *
 * Names and paths: a field whose whole name is the spec wins (a CSV column
 * "location.lat"), else the path is walked member by member; a null that is
 * there is returned as 1 with JSON_NULL.  jq cannot tell null from missing,
 * so for a jq expression null is 0.  jq results are converted back exactly
 * as jq sees them: numbers in jq's shortest form (1.5, 100, 1e+100), NaN
 * as null, object keys in jq's order.  The record is converted to a jv for
 * every call (strings copied, numbers through strtod): keep jq for what a
 * path cannot say.
 */
int	fieldpath_get(struct fieldpath *fp, const struct record *rec,
	    struct arena *a, struct json_value *out, struct strbuf *err);
/* 1 when the spec is a plain name with no dots (a CSV column name). */
int	fieldpath_is_plain(const struct fieldpath *fp);
const char *fieldpath_spec(const struct fieldpath *fp);
void	fieldpath_free(struct fieldpath *fp);

#endif

/*
 * flatten.h: nested JSON values as dotted CSV/TSV columns, as mlr flattens
 * for non-JSON output.  Owner: the writer and jsonapi-paginate's CSV rows.
 *
 *   {"a":{"b":1}}             a.b=1
 *   {"tags":["x","y"]}        tags=x;y     (scalars: one cell, ';'-joined)
 *   {"a":[{"b":1},{"b":2}]}   a.0.b=1, a.1.b=2   (holding objects/arrays:
 *                                               indexed from 0)
 *   {"a":{}}, {"a":[]}        a= (an empty cell)
 *
 * The writer does not flatten when its columns are fixed and name every
 * nested value itself (spectator-expire's report has a Note column): those
 * cells hold the value's JSON text.
 */
#ifndef DUMPKIT_FLATTEN_H
#define DUMPKIT_FLATTEN_H

#include <stddef.h>

#include "common/arena.h"
#include "common/record.h"

struct flattener {
	struct arena		 arena;		/* names and joined cells */
	struct json_member	*m;		/* the flat members */
	size_t			 n, alloc;
};

#define FLATTENER_INIT { ARENA_INIT, NULL, 0, 0 }

/*
 * The members f[0..n) flattened.  Returns 0 and leaves *out and *nout alone
 * when nothing is nested; else 1, with the flat members in *out (valid
 * until the next call).
 */
int	flattener_run(struct flattener *fl, const struct json_member *f,
	    size_t n, const struct json_member **out, size_t *nout);
void	flattener_release(struct flattener *fl);

#endif

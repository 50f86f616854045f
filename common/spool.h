/*
 * spool.h: CSV/TSV rows whose columns grow while they are written (the
 * union of the records' fields, in first-seen order).  The header is known
 * only at the end, so rows wait in an unlinked temporary file in TMPDIR,
 * each run of rows remembering how many columns it was written with, and
 * are padded with empty cells as they are copied out after the header.
 * Owner: the writer (common/writer.c) and jsonapi-paginate's CSV rows.
 */
#ifndef DUMPKIT_SPOOL_H
#define DUMPKIT_SPOOL_H

#include <stddef.h>

#include "common/csvio.h"
#include "common/strbuf.h"

struct output;
struct row_spool;

/* A new spool; the temporary file is made at the first rows. */
struct row_spool *row_spool_new(void);
/*
 * Append rows (whole CSV rows, written with ncols columns) and empty
 * rows.  A write error is fatal (die).
 */
void	row_spool_add(struct row_spool *s, struct strbuf *rows, size_t ncols);
/* Rows were added. */
int	row_spool_any(const struct row_spool *s);
/*
 * Copy every row to out, each padded to ncols columns with cw's delimiter
 * (rows end as cw says); then the spool is empty.
 */
void	row_spool_copy(struct row_spool *s, struct output *out, size_t ncols,
	    const struct csv_write_opts *cw);
void	row_spool_free(struct row_spool *s);	/* NULL is fine */

#endif

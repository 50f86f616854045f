/*
 * rejects.h: where rejected records go (DESIGN.md section 4).
 *
 * With --rejects FILE each rejected record is written there (atomically, in
 * the input's format) with _file, _line and _reason added: as the last
 * columns for CSV/TSV (the input's header given to rejects_header(), then
 * any other field of the first rejected record, then the three), as fields
 * for JSON (NDJSON, "_line" a number).  Without it, the
 * first rejected record is a data error: "tool: FILE:LINE: DETAIL", exit 2.
 * The file is created by rejects_open() and is empty when nothing was
 * rejected.  A CSV/TSV reject with a field that the first reject lacked has
 * no column for it: such values are left out, with a warning on stderr
 * (once per field name).  A rejected row keeps every cell it had: a row
 * short of cells (ragged_row) leaves the missing ones empty.  No secret
 * is written (DESIGN.md section 4): every value, at any depth, is masked
 * as secrets_mask_value() masks it (AccessKey and _cpKey members,
 * apikey=, token=, _cpKey= and the other credential parameters in any
 * string, CSV cells included); a value without one is written as read.
 * A masked CSV cell spells "…" as "..." when the rejects file's encoding
 * (rejects_like_input()) has no U+2026, as koi8-r has not.
 */
#ifndef DUMPKIT_REJECTS_H
#define DUMPKIT_REJECTS_H

#include "common/format.h"
#include "common/record.h"
#include "common/stats.h"

struct rejects;

/*
 * path NULL: no rejects file (first reject is fatal).  format is the
 * input's (CSV, TSV, or JSON for NDJSON out).
 */
struct rejects *rejects_open(const char *path, enum format format);

/*
 * Write CSV rejects as the input was read (DESIGN.md: "in the input's
 * format"): with its delimiter (0: ',') and, when encoding (--encoding,
 * NULL for UTF-8) keeps ASCII as it is, in that encoding.
 */
void	rejects_like_input(struct rejects *rj, int delim,
	    const char *encoding);

/* on: write rejected records unmasked (spectator-expire --show-keys). */
void	rejects_show_secrets(struct rejects *rj, int on);

/*
 * The CSV/TSV input's header: the rejects file's first columns, so that a
 * first reject short of cells does not decide them.  Copied; call it
 * before the first rejects_add().  Ignored for JSON.
 */
void	rejects_header(struct rejects *rj, const char *const *names,
	    size_t n);

/*
 * Reject rec: count it in st (under code), and write it with
 * _reason = code (detail, when given, is used in the fatal message
 * only: "bad_lat: latitude 95.1 out of range").  Dies when there is no
 * rejects file.  rec->file and rec->line give _file/_line.
 */
void	rejects_add(struct rejects *rj, struct stats *st,
	    const struct record *rec, const char *code, const char *detail);

/* Commit the rejects file (if any) and free. NULL is fine. */
void	rejects_close(struct rejects *rj);

#endif

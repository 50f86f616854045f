/*
 * hints.h: the fix a message names for a common mistake (a CP1251 or
 * UTF-16 file read as UTF-8, an xz or zip file, a wrong delimiter), so
 * that every tool's message says the same.  Owner: i15 (messages).
 */
#ifndef DUMPKIT_HINTS_H
#define DUMPKIT_HINTS_H

#include <stddef.h>

#include "common/strbuf.h"

/* --encoding was given (common_opt() calls it): no encoding hints. */
void	hint_encoding_given(void);

/*
 * For an error msg: " (try --encoding cp1251)" when it is about invalid
 * UTF-8 and no --encoding was given, else "".
 */
const char *hint_encoding(const char *msg);

/*
 * The first raw bytes p[0..n) of input name: when they are a compressed
 * format that is not read (xz, bzip2, zstd, zip, 7z) or UTF-16 text
 * (a BOM or NUL bytes; only when encoded is 0), a message that names it
 * and the fix, in buf; else NULL.
 */
const char *hint_raw(const unsigned char *p, size_t n, const char *name,
	    int encoded, char *buf, size_t size);

/* Bytes hint_raw() wants to see. */
#define HINT_RAW_BYTES	10

/*
 * For a missing-column message: 'found 2 columns "a", "b" with delimiter
 * ','' (the first 8 names, then "..."), so a wrong delimiter or a
 * misspelt name shows.
 */
void	hint_header(struct strbuf *sb, const char *const *names, size_t n,
	    int delim);

#endif

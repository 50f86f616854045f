/*
 * json_writer.h: compact JSON out (json_writer.c), exact numbers and
 * minimal escaping, into a caller's strbuf.  The reader is json.h.
 */
#ifndef DUMPKIT_JSON_WRITER_H
#define DUMPKIT_JSON_WRITER_H

#include <stddef.h>

#include "common/record.h"
#include "common/strbuf.h"

/*
 * Compact JSON of v appended to sb; numbers exactly as read, strings
 * minimally escaped: only '"', '\\' and control characters (as \n, \t, \r,
 * \b, \f, else \u00XX); UTF-8 and '/' go out as they are.
 */
void	json_write_value(struct strbuf *sb, const struct json_value *v);
/* A JSON string literal for s[0..len) (quotes included). */
void	json_write_string(struct strbuf *sb, const char *s, size_t len);
/* Record as a compact JSON object (fields in order). */
void	json_write_record(struct strbuf *sb, const struct record *rec);

#endif

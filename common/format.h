/* format.h: input/output format names and detection (DESIGN.md section 2). */
#ifndef DUMPKIT_FORMAT_H
#define DUMPKIT_FORMAT_H

#include <stddef.h>

enum format {
	FORMAT_NONE = 0,	/* not chosen / unknown */
	FORMAT_CSV,
	FORMAT_TSV,
	FORMAT_JSON,		/* input: any JSON; output: one array */
	FORMAT_NDJSON		/* output: one object per line */
};

/* "csv" "tsv" "json" "ndjson" ("jsonl" too) -> format, else FORMAT_NONE. */
enum format format_parse(const char *name);
const char *format_name(enum format f);
/*
 * By extension (.csv .tsv .json .ndjson .jsonl, a trailing .gz ignored;
 * matched case-sensitively).  .ndjson and .jsonl give FORMAT_NDJSON: as an
 * input format test it with format_is_json().
 */
enum format format_from_path(const char *path);
/*
 * By the first byte after a UTF-8 BOM and blanks (space, TAB, CR, LF):
 * '{' or '[' is JSON, anything else CSV (empty or blank input too).
 */
enum format format_sniff(const char *buf, size_t n);
/* 1 for the JSON family (JSON, NDJSON). */
int	format_is_json(enum format f);

#endif

/*
 * csvref.h: libcsv, through its public API only, as the reference for
 * csvio's own splitter, and a renderer for both sides.  Used by
 * tests/unit/test_csvdiff.c and tests/fuzz/fuzz_csvdiff.c (owner: i17).
 *
 * Both sides render what they read the same way, one line per row:
 *   "3:[1]a[0][5]b,\"c"	the row's start line, then each cell as
 *				[length]bytes
 *   "E7:unterminated quote"	a fatal error and its line
 * so the two renderings must be byte-identical.
 *
 * The reference is libcsv in strict mode with spaces kept, fed one byte at
 * a time so that a row's start line is known without its private state:
 * a row begins at the first byte after the last row (or the start) that is
 * not CR or LF.  Strict mode stops at a quote inside an unquoted field,
 * which csvio reads as a literal quote (that byte is fed again without
 * CSV_STRICT), and at text after a closing quote, which is csvio's error.
 * csv_fini() with CSV_STRICT_FINI reports an unterminated quote.
 */
#ifndef DUMPKIT_TESTS_CSVREF_H
#define DUMPKIT_TESTS_CSVREF_H

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvio.h"
#include "common/input.h"
#include "common/strbuf.h"

struct csvref {
	struct strbuf	*out;
	struct strbuf	 row;
	unsigned long	 line, row_line;
	int		 in_row;
};

static void
csvref_cell(struct strbuf *sb, const char *s, size_t len)
{
	strbuf_addf(sb, "[%zu]", len);
	strbuf_add(sb, s, len);
}

static void
csvref_on_field(void *s, size_t len, void *data)
{
	struct csvref *ref = data;

	csvref_cell(&ref->row, s, len);
}

static void
csvref_on_row(int c, void *data)
{
	struct csvref *ref = data;

	(void)c;
	strbuf_addf(ref->out, "%lu:", ref->row_line);
	strbuf_add(ref->out, ref->row.buf, ref->row.len);
	strbuf_addch(ref->out, '\n');
	strbuf_reset(&ref->row);
	ref->in_row = 0;
}

static int
csvref_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* The reference's reading of s[0..n) with delimiter delim, into out. */
static void
csvref_render(const char *s, size_t n, int delim, struct strbuf *out)
{
	const unsigned char opts = CSV_STRICT;
	struct csv_parser p;
	struct csvref ref;
	size_t i;

	strbuf_reset(out);
	memset(&ref, 0, sizeof(ref));
	ref.out = out;
	strbuf_init(&ref.row, 0);
	ref.line = 1;
	if (csv_init(&p, opts) != 0)
		abort();
	csv_set_delim(&p, (unsigned char)delim);
	csv_set_space_func(&p, csvref_no_space);
	for (i = 0; i < n; i++) {
		if (!ref.in_row && s[i] != '\r' && s[i] != '\n') {
			ref.in_row = 1;
			ref.row_line = ref.line;
		}
		if (csv_parse(&p, s + i, 1, csvref_on_field, csvref_on_row,
		    &ref) != 1) {
			if (csv_error(&p) != CSV_EPARSE)
				abort();
			if (s[i] != '"') {
				strbuf_addf(out, "E%lu:%s\n", ref.line,
				    "unexpected text after closing quote");
				goto done;
			}
			csv_set_opts(&p, opts & ~CSV_STRICT);
			if (csv_parse(&p, s + i, 1, csvref_on_field,
			    csvref_on_row, &ref) != 1)
				abort();
			csv_set_opts(&p, opts);
		}
		if (s[i] == '\n')
			ref.line++;
	}
	csv_set_opts(&p, opts | CSV_STRICT_FINI);
	if (csv_fini(&p, csvref_on_field, csvref_on_row, &ref) != 0)
		strbuf_addf(out, "E%lu:%s\n", ref.row_line,
		    "unterminated quote");
done:
	csv_free(&p);
	strbuf_release(&ref.row);
}

/*
 * csvio's reading of the file at path (no header, delimiter delim), into
 * out; the bytes the input layer gave it (BOM stripped) into bytes, for
 * the reference.  Returns -1 when the file cannot be opened or its bytes
 * cannot be read (the input layer refused them).
 */
static int
csvref_render_ours(const char *path, int delim, struct strbuf *out,
    struct strbuf *bytes)
{
	struct csv_opts o = CSV_OPTS_DEFAULT;
	struct csv_row_view v;
	struct csv_reader *r;
	struct input *in;
	char buf[65536];
	ssize_t got;
	size_t i;
	int rc;

	strbuf_reset(out);
	strbuf_reset(bytes);
	if ((in = input_open(path, NULL, NULL)) == NULL)
		return -1;
	while ((got = input_read(in, buf, sizeof(buf))) > 0)
		strbuf_add(bytes, buf, (size_t)got);
	input_close(in);
	/*
	 * The input layer itself refused the bytes (a gzip header on data
	 * that is not gzip): no CSV reached either parser.
	 */
	if (got == -1)
		return -1;
	if ((in = input_open(path, NULL, NULL)) == NULL)
		return -1;
	o.delim = delim;
	o.no_header = 1;
	r = csv_reader_new(in, &o);
	while ((rc = csv_reader_next_row(r, &v)) == 1) {
		strbuf_addf(out, "%lu:", v.line);
		for (i = 0; i < v.n; i++)
			csvref_cell(out, v.cells[i].s, v.cells[i].len);
		strbuf_addch(out, '\n');
	}
	if (rc == -1)
		strbuf_addf(out, "E%lu:%s\n", csv_reader_error_line(r),
		    csv_reader_error(r));
	csv_reader_free(r);
	input_close(in);
	return 0;
}

#endif

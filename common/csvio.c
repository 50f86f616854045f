/*
 * csvio.c: the CSV/TSV reader (libcsv callbacks filling records) and the
 * RFC 4180 cell writer.
 */
#include <csv.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvio.h"
#include "common/errors.h"
#include "common/input.h"
#include "common/utf8.h"

#define READ_SIZE	(256 * 1024)
#define MAX_RECORD_DEFAULT	((size_t)64 << 20)

/*
 * libcsv 3.0.3 keeps its state in the public struct csv_parser; these are
 * the values of its pstate (libcsv.c), which we read to know whether a row
 * is in progress and why strict mode stopped.
 */
#define LIBCSV_ROW_NOT_BEGUN		0
#define LIBCSV_FIELD_BEGUN		2

enum header_state {
	HEADER_UNREAD,
	HEADER_READ,
	HEADER_EMPTY		/* the input had no rows at all */
};

/* A field of a queued row: bytes at data.buf + off, NUL after them. */
struct csv_field {
	size_t	off;
	size_t	len;
};

struct csv_row {
	size_t		first;		/* index into fields */
	size_t		n;
	unsigned long	line;
};

struct csv_reader {
	struct input	*in;
	struct csv_parser p;
	int		 p_inited;
	unsigned char	 p_opts;
	int		 delim;
	int		 no_header;
	size_t		 max_record;
	size_t		 max_fields;

	char		*buf;
	size_t		 pos, len;
	int		 done;		/* libcsv finished: no more rows */
	int		 failed;
	uint64_t	 fed;		/* bytes given to libcsv */
	uint64_t	 row_fed;	/* fed when the current row began */
	unsigned long	 line;		/* physical line of buf[pos] */
	unsigned long	 row_line;	/* line where the current row began */

	/* Completed rows not yet returned, then the row in progress. */
	struct strbuf	 data;
	struct csv_field *fields;
	size_t		 nfields, fields_alloc;
	struct csv_row	*rows;
	size_t		 nrows, rows_alloc, rows_head;
	size_t		 cur_first;	/* first field of the row in progress */

	/* The row next_row() returned: its cells, and where bad UTF-8 is. */
	size_t		 cur_row;
	struct csv_cell	*cells;
	size_t		 cells_alloc;
	size_t		 bad;		/* SIZE_MAX: none */

	enum header_state header;
	const char	**names;
	size_t		*name_lens;
	size_t		 nnames;
	char		*name_buf;
	char		**extra;	/* "_extra1".. for ragged rows */
	size_t		 nextra;

	struct strbuf	 err;
	unsigned long	 err_line;
};

static int
fail(struct csv_reader *r, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct csv_reader *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	strbuf_reset(&r->err);
	strbuf_addstr(&r->err, msg);
	r->err_line = line;
	r->failed = 1;
	return -1;
}

/* ==== libcsv callbacks: keep them tiny, they run for every field ==== */

static void
on_field(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;
	struct csv_field *f;

	if (r->nfields == r->fields_alloc)
		r->fields = xgrow(r->fields, &r->fields_alloc, r->nfields + 1,
		    sizeof(*r->fields));
	f = &r->fields[r->nfields++];
	f->off = r->data.len;
	f->len = len;
	if (r->data.len + len + 1 >= r->data.alloc)
		strbuf_grow(&r->data, len + 1);
	memcpy(r->data.buf + r->data.len, s, len);
	r->data.len += len + 1;
	r->data.buf[r->data.len - 1] = '\0';
}

static void
on_row(int c, void *data)
{
	struct csv_reader *r = data;
	struct csv_row *row;

	(void)c;
	if (r->nrows == r->rows_alloc)
		r->rows = xgrow(r->rows, &r->rows_alloc, r->nrows + 1,
		    sizeof(*r->rows));
	row = &r->rows[r->nrows++];
	row->first = r->cur_first;
	row->n = r->nfields - r->cur_first;
	row->line = r->row_line;
	r->cur_first = r->nfields;
}

/* Spaces are data (RFC 4180): libcsv would trim them from unquoted fields. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void *
csv_xrealloc(void *p, size_t n)
{
	return xrealloc(p, n);
}

/* ==== feeding libcsv ==== */

/*
 * Strict mode makes libcsv stop at a quote inside an unquoted field and at
 * text after a closing quote.  The first we accept as a literal quote, as
 * mlr and Python do (ab"c is the 4 bytes ab"c); the second is ambiguous
 * ("ab"c,d) and an error.
 */
static int
feed(struct csv_reader *r, const char *s, size_t len)
{
	size_t done;

	while (len > 0) {
		done = csv_parse(&r->p, s, len, on_field, on_row, r);
		r->fed += done;
		if (done == len)
			break;
		if (csv_error(&r->p) != CSV_EPARSE)
			return fail(r, r->line, "%s",
			    csv_strerror(csv_error(&r->p)));
		if (r->p.pstate != LIBCSV_FIELD_BEGUN || r->p.quoted)
			return fail(r, r->line,
			    "unexpected text after closing quote");
		csv_set_opts(&r->p, r->p_opts & ~CSV_STRICT);
		csv_parse(&r->p, s + done, 1, on_field, on_row, r);
		csv_set_opts(&r->p, r->p_opts);
		r->p.status = 0;
		r->fed++;
		s += done + 1;
		len -= done + 1;
	}
	return 0;
}

static void
format_size(char *out, size_t outsz, size_t n)
{
	if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
		snprintf(out, outsz, "%zu MiB", n >> 20);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(out, outsz, "%zu KiB", n >> 10);
	else
		snprintf(out, outsz, "%zu bytes", n);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_SCAN	1
#endif

#ifdef SWAR_SCAN
/*
 * Eight bytes at a time: a word with a 0x80 bit set in each byte of w that
 * equals c (SWAR; exact, unlike the cheaper "has zero byte" test, so the
 * lowest set bit is the first match).
 */
static inline uint64_t
match_byte(uint64_t w, unsigned char c)
{
	const uint64_t lo7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
	uint64_t x = w ^ (UINT64_C(0x0101010101010101) * c);

	return ~(((x & lo7) + lo7) | x | lo7);
}
#endif

/*
 * The first of delim, '"', CR or LF in s[0..n), or NULL: what ends a plain
 * field when reading, and what makes a cell need quotes when writing.
 */
static const char *
find_special(const char *s, size_t n, unsigned char delim)
{
	const char *end = s + n;
#ifdef SWAR_SCAN
	uint64_t w, m;

	for (; end - s >= 8; s += 8) {
		memcpy(&w, s, 8);
		m = match_byte(w, delim) | match_byte(w, '"') |
		    match_byte(w, '\r') | match_byte(w, '\n');
		if (m != 0)	/* the lowest bit is the first byte */
			return s + (__builtin_ctzll(m) >> 3);
	}
#endif
	for (; s < end; s++)
		if ((unsigned char)*s == delim || *s == '"' || *s == '\r' ||
		    *s == '\n')
			return s;
	return NULL;
}

/*
 * Most lines hold no quote: split those ourselves, several times faster
 * than libcsv's byte-at-a-time state machine, with the same fields (libcsv
 * with spaces kept).  One pass finds the delimiters and any quote or CR.
 * Only called between rows, on a whole line; a line with a quote or a CR
 * other than the final one goes to libcsv (the fields taken so far are
 * dropped).  Returns 1 when the line was handled.
 */
static int
split_plain(struct csv_reader *r, const char *s, size_t n)
{
	const char *end, *d;
	size_t nfields = r->nfields, len = r->data.len;

	end = s + n - 1;		/* at the '\n' */
	if (end > s && end[-1] == '\r')
		end--;
	if ((size_t)(end - s) > r->max_record)
		return 0;		/* let check_limits() report it */
	if (end == s) {			/* a blank line, skipped like libcsv */
		r->fed += n;
		return 1;
	}
	while ((d = find_special(s, (size_t)(end - s),
	    (unsigned char)r->delim)) != NULL) {
		if ((unsigned char)*d != (unsigned char)r->delim) {
			r->nfields = nfields;
			strbuf_setlen(&r->data, len);
			return 0;
		}
		on_field((void *)(uintptr_t)s, (size_t)(d - s), r);
		s = d + 1;
	}
	on_field((void *)(uintptr_t)s, (size_t)(end - s), r);
	on_row('\n', r);
	r->fed += n;
	return 1;
}

static int
too_big(struct csv_reader *r, unsigned long line)
{
	char size[64];

	format_size(size, sizeof(size), r->max_record);
	return fail(r, line, "row longer than %s", size);
}

/*
 * Rows must stay within max_record (hostile input): the one in progress by
 * the bytes fed since it began, so that memory stays bounded, and the rows
 * completed since queue index first by the bytes of their fields.
 */
static int
check_limits(struct csv_reader *r, size_t first)
{
	const struct csv_row *row;
	const struct csv_field *f;

	for (; first < r->nrows; first++) {
		row = &r->rows[first];
		f = &r->fields[row->first];
		if (row->n > r->max_fields)
			return fail(r, row->line,
			    "row has more than %zu fields", r->max_fields);
		if (f[row->n - 1].off + f[row->n - 1].len - f[0].off >
		    r->max_record)
			return too_big(r, row->line);
	}
	if (r->p.pstate == LIBCSV_ROW_NOT_BEGUN)
		return 0;
	if (r->fed - r->row_fed > r->max_record)
		return too_big(r, r->row_line);
	if (r->nfields - r->cur_first > r->max_fields)
		return fail(r, r->row_line, "row has more than %zu fields",
		    r->max_fields);
	return 0;
}

/* Drop the returned rows, keeping the fields of the row in progress. */
static void
compact(struct csv_reader *r)
{
	size_t base, i, n;

	n = r->nfields - r->cur_first;
	base = n > 0 ? r->fields[r->cur_first].off : r->data.len;
	memmove(r->data.buf, r->data.buf + base, r->data.len - base);
	r->data.len -= base;
	memmove(r->fields, r->fields + r->cur_first, n * sizeof(*r->fields));
	for (i = 0; i < n; i++)
		r->fields[i].off -= base;
	r->nfields = n;
	r->cur_first = 0;
	r->nrows = r->rows_head = 0;
}

/*
 * Make a row available in the queue.  libcsv is fed one physical line at a
 * time, so that a row's first line is known: it is the line being fed when
 * libcsv was between rows.  Returns 1, 0 at the end, -1 on error.
 */
static int
fill(struct csv_reader *r)
{
	const char *nl;
	size_t n, queued;
	ssize_t got;

	if (r->failed)
		return -1;
	while (r->rows_head == r->nrows) {
		if (r->done)
			return 0;
		if (r->nrows > 0)
			compact(r);
		if (r->pos == r->len) {
			got = input_read(r->in, r->buf, READ_SIZE);
			if (got == -1)
				return fail(r, r->line, "%s",
				    input_error(r->in));
			if (got == 0) {
				if (r->p.pstate == LIBCSV_FIELD_BEGUN &&
				    r->p.quoted)
					return fail(r, r->row_line,
					    "unterminated quote");
				csv_fini(&r->p, on_field, on_row, r);
				r->done = 1;
				continue;
			}
			r->pos = 0;
			r->len = (size_t)got;
		}
		nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
		n = nl != NULL ? (size_t)(nl - (r->buf + r->pos)) + 1 :
		    r->len - r->pos;
		queued = r->nrows;
		if (r->p.pstate == LIBCSV_ROW_NOT_BEGUN) {
			r->row_line = r->line;
			r->row_fed = r->fed;
		}
		if ((nl == NULL || r->p.pstate != LIBCSV_ROW_NOT_BEGUN ||
		    !split_plain(r, r->buf + r->pos, n)) &&
		    feed(r, r->buf + r->pos, n) == -1)
			return -1;
		r->pos += n;
		if (nl != NULL)
			r->line++;
		if (check_limits(r, queued) == -1)
			return -1;
	}
	return 1;
}

/* ==== the reader ==== */

/*
 * Pick the most frequent of , ; TAB | on the header line, outside quotes
 * (ties in that order; none: ',').
 */
static int
sniff_delim(const char *s, size_t n)
{
	static const char cand[] = ",;\t|";
	size_t count[4] = { 0, 0, 0, 0 }, i, best = 0;
	const char *c;
	int quoted = 0;

	/* Blank lines before the header are skipped, as the reader does. */
	for (i = 0; i < n && (s[i] == '\n' || s[i] == '\r'); i++)
		;
	for (; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == '\n' || s[i] == '\r')
			break;
		else if ((c = memchr(cand, s[i], 4)) != NULL)
			count[c - cand]++;
	}
	for (i = 1; i < 4; i++)
		if (count[i] > count[best])
			best = i;
	return cand[best];
}

struct csv_reader *
csv_reader_new(struct input *in, const struct csv_opts *o)
{
	struct csv_reader *r;
	struct csv_opts def = CSV_OPTS_DEFAULT;

	if (o == NULL)
		o = &def;
	r = xcalloc(1, sizeof(*r));
	r->in = in;
	r->delim = o->delim;
	r->no_header = o->no_header;
	r->max_record = o->max_record ? o->max_record : MAX_RECORD_DEFAULT;
	r->max_fields = r->max_record / 64 > 1024 ? r->max_record / 64 : 1024;
	r->buf = xmalloc(READ_SIZE);
	r->line = 1;
	strbuf_init(&r->data, 4096);
	strbuf_init(&r->err, 0);
	return r;
}

void
csv_reader_free(struct csv_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->p_inited)
		csv_free(&r->p);
	for (i = 0; i < r->nextra; i++)
		free(r->extra[i]);
	free(r->extra);
	free(r->names);
	free(r->name_lens);
	free(r->name_buf);
	free(r->fields);
	free(r->cells);
	free(r->rows);
	strbuf_release(&r->data);
	strbuf_release(&r->err);
	free(r->buf);
	free(r);
}

static int
start(struct csv_reader *r)
{
	const char *p;
	size_t n;

	if (r->delim == 0) {
		if (input_peek(r->in, &p, &n) == -1)
			return fail(r, 1, "%s", input_error(r->in));
		r->delim = sniff_delim(p, n);
	}
	if (r->delim == '"' || r->delim == '\r' || r->delim == '\n' ||
	    r->delim < 0 || r->delim > 255)
		return fail(r, 0, "bad delimiter: a quote, CR or LF can't be one");
	r->p_opts = CSV_STRICT;
	if (csv_init(&r->p, r->p_opts) != 0)
		return fail(r, 0, "cannot initialize libcsv");
	r->p_inited = 1;
	csv_set_delim(&r->p, (unsigned char)r->delim);
	csv_set_space_func(&r->p, no_space);
	csv_set_realloc_func(&r->p, csv_xrealloc);
	/* libcsv grows its field buffer by this much: 128 bytes is slow. */
	csv_set_blk_size(&r->p, 64 * 1024);
	return 0;
}

struct name_ref {
	const char	*s;
	size_t		 len;
	size_t		 i;
};

static int
name_cmp(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Duplicate names, found by sorting so that a wide header stays fast. */
static int
check_duplicates(struct csv_reader *r, unsigned long line)
{
	struct name_ref *v;
	size_t i, dup = SIZE_MAX;

	v = xmalloc(r->nnames * sizeof(*v) + 1);
	for (i = 0; i < r->nnames; i++) {
		v[i].s = r->names[i];
		v[i].len = r->name_lens[i];
		v[i].i = i;
	}
	qsort(v, r->nnames, sizeof(*v), name_cmp);
	/* Report the name whose second use comes first in the header. */
	for (i = 1; i < r->nnames; i++)
		if (v[i].len == v[i - 1].len &&
		    memcmp(v[i].s, v[i - 1].s, v[i].len) == 0 &&
		    (dup == SIZE_MAX || v[i].i < dup))
			dup = v[i].i;
	free(v);
	if (dup != SIZE_MAX)
		return fail(r, line, "duplicate column name '%s' in header",
		    r->names[dup]);
	return 0;
}

/* The field whose bytes hold offset bad of the row's first field's. */
static size_t
bad_field(const struct csv_reader *r, const struct csv_row *row, size_t bad)
{
	const struct csv_field *f = &r->fields[row->first];
	size_t i;

	for (i = 0; i + 1 < row->n && f[i + 1].off <= f[0].off + bad; i++)
		;
	return i;
}

int
csv_reader_header(struct csv_reader *r, const char *const **names, size_t *n)
{
	const struct csv_row *row;
	const struct csv_field *f;
	const char *p;
	size_t i, total, off, bad;
	int rc;

	if (r->header == HEADER_UNREAD) {
		if (r->failed || (!r->p_inited && start(r) == -1))
			return -1;
		rc = fill(r);
		if (rc == -1)
			return -1;
		if (rc == 0) {
			r->header = HEADER_EMPTY;
			return 0;
		}
		row = &r->rows[r->rows_head];
		f = &r->fields[row->first];
		r->nnames = row->n;
		r->names = xmalloc(row->n * sizeof(*r->names));
		r->name_lens = xmalloc(row->n * sizeof(*r->name_lens));
		if (r->no_header) {
			/* "1".."N"; the row stays queued as the first record. */
			r->name_buf = xmalloc(row->n * 21);
			for (i = 0, off = 0; i < row->n; i++) {
				r->names[i] = r->name_buf + off;
				r->name_lens[i] = (size_t)sprintf(
				    r->name_buf + off, "%zu", i + 1);
				off += r->name_lens[i] + 1;
			}
		} else {
			total = f[row->n - 1].off + f[row->n - 1].len + 1 -
			    f[0].off;
			bad = utf8_check(r->data.buf + f[0].off, total);
			if (bad != total) {
				i = bad_field(r, row, bad);
				p = r->data.buf + f[0].off;
				return fail(r, row->line,
				    "invalid UTF-8 in header field %zu%s", i + 1,
				    total >= 2 && ((p[0] == '\xff' &&
				    p[1] == '\xfe') || (p[0] == '\xfe' &&
				    p[1] == '\xff')) ?
				    " (UTF-16? try --encoding utf-16)" : "");
			}
			r->name_buf = xmalloc(total);
			memcpy(r->name_buf, r->data.buf + f[0].off, total);
			for (i = 0; i < row->n; i++) {
				r->names[i] = r->name_buf + (f[i].off -
				    f[0].off);
				r->name_lens[i] = f[i].len;
			}
			r->rows_head++;
			if (check_duplicates(r, row->line) == -1)
				return -1;
		}
		r->header = HEADER_READ;
	}
	if (r->failed)
		return -1;
	if (r->header == HEADER_EMPTY)
		return 0;
	if (names != NULL)
		*names = r->names;
	if (n != NULL)
		*n = r->nnames;
	return 1;
}

/* The name of field i of a row, "_extraK" beyond the header. */
static const char *
field_name(struct csv_reader *r, size_t i, size_t *len)
{
	char tmp[32];
	size_t k;

	if (i < r->nnames) {
		*len = r->name_lens[i];
		return r->names[i];
	}
	k = i - r->nnames;
	while (r->nextra <= k) {
		r->extra = xrealloc(r->extra, (r->nextra + 1) *
		    sizeof(*r->extra));
		snprintf(tmp, sizeof(tmp), "_extra%zu", r->nextra + 1);
		r->extra[r->nextra++] = xstrdup(tmp);
	}
	*len = strlen(r->extra[k]);
	return r->extra[k];
}

static void
set_problem(struct record *rec, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_problem(struct record *rec, const char *code, const char *fmt, ...)
{
	va_list ap;
	char msg[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	rec->problem = arena_strndup(&rec->arena, msg, (size_t)n);
	rec->problem_code = code;
}

int
csv_reader_next_row(struct csv_reader *r, struct csv_row_view *v)
{
	const struct csv_row *row;
	const struct csv_field *f;
	struct csv_cell *c;
	size_t i, total;
	int rc;

	rc = csv_reader_header(r, NULL, NULL);
	if (rc <= 0)
		return rc;
	rc = fill(r);
	if (rc <= 0)
		return rc;
	r->cur_row = r->rows_head;
	row = &r->rows[r->rows_head++];
	f = &r->fields[row->first];
	if (row->n > r->cells_alloc)
		r->cells = xgrow(r->cells, &r->cells_alloc, row->n,
		    sizeof(*r->cells));
	for (i = 0, c = r->cells; i < row->n; i++, c++) {
		c->s = r->data.buf + f[i].off;
		c->len = f[i].len;
	}
	v->cells = r->cells;
	v->n = row->n;
	v->line = row->line;
	v->problem_code = NULL;
	r->bad = SIZE_MAX;
	if (row->n != r->nnames) {
		v->problem_code = "ragged_row";
	} else {
		total = f[row->n - 1].off + f[row->n - 1].len + 1 - f[0].off;
		if ((r->bad = utf8_check(r->data.buf + f[0].off, total)) !=
		    total)
			v->problem_code = "bad_utf8";
		else
			r->bad = SIZE_MAX;
	}
	return 1;
}

void
csv_reader_row_record(struct csv_reader *r, struct record *rec)
{
	const struct csv_row *row = &r->rows[r->cur_row];
	const struct csv_field *f = &r->fields[row->first];
	struct json_value *v;
	const char *name;
	char *mem;
	size_t i, total, name_len;

	record_reset(rec);
	rec->file = input_name(r->in);
	rec->line = row->line;

	/* One copy of the whole row; the values point into it. */
	total = f[row->n - 1].off + f[row->n - 1].len + 1 - f[0].off;
	mem = arena_alloc(&rec->arena, total);
	memcpy(mem, r->data.buf + f[0].off, total);
	for (i = 0; i < row->n; i++) {
		if (i < r->nnames) {
			name = r->names[i];
			name_len = r->name_lens[i];
		} else
			name = field_name(r, i, &name_len);
		v = record_add(rec, name, name_len);
		v->type = JSON_STRING;
		v->len = f[i].len;
		v->u.str = mem + (f[i].off - f[0].off);
	}
	if (row->n != r->nnames) {
		set_problem(rec, "ragged_row", "expected %zu fields, found %zu",
		    r->nnames, row->n);
	} else if (r->bad != SIZE_MAX) {
		i = bad_field(r, row, r->bad);
		name = field_name(r, i, &name_len);
		set_problem(rec, "bad_utf8",
		    "invalid UTF-8 in field %zu (column '%s')", i + 1, name);
	}
}

int
csv_reader_next(struct csv_reader *r, struct record *rec)
{
	struct csv_row_view v;
	int rc;

	if ((rc = csv_reader_next_row(r, &v)) == 1)
		csv_reader_row_record(r, rec);
	return rc;
}

int
csv_reader_delim(const struct csv_reader *r)
{
	return r->delim != 0 ? r->delim : ',';
}

const char *
csv_reader_error(const struct csv_reader *r)
{
	return r->err.buf;
}

unsigned long
csv_reader_error_line(const struct csv_reader *r)
{
	return r->err_line;
}

/* ==== the writer ==== */

void
csv_write_cell(struct strbuf *sb, const char *s, size_t len,
    const struct csv_write_opts *o)
{
	const char *q;
	int safe;

	safe = o->csv_safe && len > 0 && memchr("=+-@\t\r", s[0], 6) != NULL;
	if (find_special(s, len, (unsigned char)o->delim) == NULL) {
		if (safe)
			strbuf_addch(sb, '\'');
		strbuf_add(sb, s, len);
		return;
	}
	strbuf_addch(sb, '"');
	if (safe)
		strbuf_addch(sb, '\'');
	/* Double each quote: copy up to and including it, then add one. */
	while ((q = memchr(s, '"', len)) != NULL) {
		strbuf_add(sb, s, (size_t)(q - s) + 1);
		strbuf_addch(sb, '"');
		len -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	strbuf_add(sb, s, len);
	strbuf_addch(sb, '"');
}

void
csv_write_eol(struct strbuf *sb, const struct csv_write_opts *o)
{
	if (o->crlf)
		strbuf_addch(sb, '\r');
	strbuf_addch(sb, '\n');
}

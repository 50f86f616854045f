/*
 * csvio.c: the CSV/TSV reader (our own RFC 4180 splitter, a word at a time,
 * filling a queue of rows) and the RFC 4180 cell writer.  libcsv is the
 * reference the differential tests (tests/unit/test_csvdiff.c,
 * tests/fuzz/fuzz_csvdiff.c) hold this splitter to; it is not linked here.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/csvio.h"
#include "common/errors.h"
#include "common/input.h"
#include "common/utf8.h"

#define READ_SIZE	CSV_READ_SIZE
#define MAX_RECORD_DEFAULT	((size_t)64 << 20)

/* Where split() stopped in the grammar (a read may end anywhere). */
enum split_state {
	SPLIT_ROW_START,	/* between rows: CR and LF are skipped */
	SPLIT_FIELD_START,	/* after a delimiter */
	SPLIT_UNQUOTED,		/* inside an unquoted field */
	SPLIT_QUOTED,		/* inside quotes */
	SPLIT_QUOTE_SEEN	/* a quote inside quotes: the end, or "" */
};

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
	size_t		bad;		/* utf8_check() of the row, or: */
};

#define BAD_NONE	SIZE_MAX	/* valid UTF-8 */
#define BAD_UNKNOWN	(SIZE_MAX - 1)	/* not checked yet */

struct csv_thread;

struct csv_reader {
	struct input	*in;
	int		 started;	/* delimiter chosen */
	int		 delim;
	int		 no_header;
	size_t		 max_record;
	size_t		 max_fields;

	char		*buf;
	int		 done;		/* input ended: no more rows */
	int		 failed;
	enum split_state state;
	uint64_t	 fed;		/* bytes split so far */
	uint64_t	 row_fed;	/* fed when the current row began */
	unsigned long	 line;		/* physical line after the bytes split */
	unsigned long	 row_line;	/* line where the current row began */
	size_t		 row_off;	/* data offset of the current row */
	size_t		 fstart;	/* data offset of the current field */
	/* An error split() met: reported once the rows before it are out. */
	const char	*stop_msg;
	unsigned long	 stop_line;
	char		 stop_buf[256];

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

	struct read_error err;	/* file: the input's name */
	size_t		 block_wait;	/* see split_blocks() */
	struct csv_thread *th;	/* the splitting thread, or NULL */
	int		 th_tried;
	int		 utf8_when_read;	/* not in the splitting thread */
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
	read_error_set(&r->err, input_name(r->in), line, 0, "%s", msg);
	r->failed = 1;
	return -1;
}

/* ==== queueing fields and rows ==== */

static inline void
push_field(struct csv_reader *r, size_t off, size_t len)
{
	struct csv_field *f;

	if (r->nfields == r->fields_alloc)
		r->fields = xgrow(r->fields, &r->fields_alloc, r->nfields + 1,
		    sizeof(*r->fields));
	f = &r->fields[r->nfields++];
	f->off = off;
	f->len = len;
}

static inline void
push_row(struct csv_reader *r)
{
	struct csv_row *row;

	if (r->nrows == r->rows_alloc)
		r->rows = xgrow(r->rows, &r->rows_alloc, r->nrows + 1,
		    sizeof(*r->rows));
	row = &r->rows[r->nrows++];
	row->first = r->cur_first;
	row->n = r->nfields - r->cur_first;
	row->line = r->row_line;
	row->bad = BAD_UNKNOWN;
	r->cur_first = r->nfields;
}

/*
 * A queued row's UTF-8: BAD_NONE, or the offset of the first bad byte
 * from its first cell.  Its cells and their NULs lie in one block.
 */
static size_t
row_utf8(const struct csv_reader *r, const struct csv_row *row)
{
	const struct csv_field *f = &r->fields[row->first];
	size_t total = f[row->n - 1].off + f[row->n - 1].len + 1 - f[0].off;
	size_t bad = utf8_check(r->data.buf + f[0].off, total);

	return bad == total ? BAD_NONE : bad;
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

/*
 * SWAR (eight bytes in a uint64_t) is portable C but needs the first byte
 * in the low bits; big-endian machines, and builds with -DCSVIO_BYTEWISE
 * (so that CI tests the byte loops too), take the byte loops only.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    !defined(CSVIO_BYTEWISE)
#define SWAR_SCAN	1
#endif
/*
 * On x86-64 (SSE2 is always there) the scans take sixteen bytes at a time
 * before the eight-byte loop: a compare per byte value, one bit a byte out
 * of movemask.  -DCSVIO_PORTABLE leaves it out, so that the unit tests run
 * the SWAR loops too (test_csvdiff_portable.c).
 */
#if defined(SWAR_SCAN) && defined(__SSE2__) && !defined(CSVIO_PORTABLE)
#define SSE2_SCAN	1
#include <emmintrin.h>

/* One bit a byte of the sixteen at p: is it one of a, b, c or d? */
static inline unsigned
match4_16(const char *p, __m128i a, __m128i b, __m128i c, __m128i d)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b)), _mm_or_si128(
	    _mm_cmpeq_epi8(v, c), _mm_cmpeq_epi8(v, d))));
}
#endif

#ifdef SWAR_SCAN
/*
 * A word with a 0x80 bit set in each byte of w that equals c (exact,
 * unlike the cheaper "has zero byte" test, so the lowest set bit is the
 * first match).
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
 * The first of delim, '"', CR or LF in s[0..n), or NULL: what makes a
 * cell need quotes when writing.
 */
static const char *
find_special(const char *s, size_t n, unsigned char delim)
{
	const char *end = s + n;
#ifdef SSE2_SCAN
	const __m128i vd = _mm_set1_epi8((char)delim), vq = _mm_set1_epi8('"'),
	    vr = _mm_set1_epi8('\r'), vn = _mm_set1_epi8('\n');
	unsigned m16;

	for (; end - s >= 16; s += 16)
		if ((m16 = match4_16(s, vd, vq, vr, vn)) != 0)
			return s + __builtin_ctz(m16);
#endif
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

/* ==== splitting: RFC 4180 a word at a time ==== */

/*
 * The four bytes that end a run of plain field bytes (delimiter, '"', CR,
 * LF outside quotes; '"' and LF twice inside), broadcast once a chunk.
 */
struct run_stops {
#ifdef SSE2_SCAN
	__m128i		v[4];
#endif
	unsigned char	b[4];
};

static inline void
run_stops_set(struct run_stops *st, unsigned char a, unsigned char b,
    unsigned char c, unsigned char d)
{
	st->b[0] = a;
	st->b[1] = b;
	st->b[2] = c;
	st->b[3] = d;
#ifdef SSE2_SCAN
	st->v[0] = _mm_set1_epi8((char)a);
	st->v[1] = _mm_set1_epi8((char)b);
	st->v[2] = _mm_set1_epi8((char)c);
	st->v[3] = _mm_set1_epi8((char)d);
#endif
}

/*
 * Copy plain bytes from *pp to *op, sixteen or eight at a time (a whole
 * word is stored before it is looked at; split() made the room), up to
 * the first stop byte: returns 1 there, or 0 with fewer than eight bytes
 * left before e, for the byte loop to finish.
 */
static inline int
copy_run(const char **pp, char **op, const char *e,
    const struct run_stops *st)
{
	const char *p = *pp;
	char *o = *op;
	int stopped = 0;
#ifdef SSE2_SCAN
	__m128i v;
	unsigned m16;

	while (e - p >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		_mm_storeu_si128((__m128i *)(void *)o, v);
		m16 = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, st->v[0]), _mm_cmpeq_epi8(v, st->v[1])),
		    _mm_or_si128(_mm_cmpeq_epi8(v, st->v[2]),
		    _mm_cmpeq_epi8(v, st->v[3]))));
		if (m16 != 0) {
			m16 = (unsigned)__builtin_ctz(m16);
			p += m16;
			o += m16;
			stopped = 1;
			break;
		}
		p += 16;
		o += 16;
	}
#endif
#ifdef SWAR_SCAN
	uint64_t w, m;

	while (!stopped && e - p >= 8) {
		memcpy(&w, p, 8);
		memcpy(o, &w, 8);
		m = match_byte(w, st->b[0]) | match_byte(w, st->b[1]) |
		    match_byte(w, st->b[2]) | match_byte(w, st->b[3]);
		if (m != 0) {
			m = __builtin_ctzll(m) >> 3;
			p += m;
			o += m;
			stopped = 1;
			break;
		}
		p += 8;
		o += 8;
	}
#endif
	(void)st;
	(void)e;
	*pp = p;
	*op = o;
	return stopped;
}

/*
 * A stop for the splitter: the rows queued before it are still returned,
 * then fill() reports it.  msg is a static string.
 */
static void
stop_at(struct csv_reader *r, unsigned long line, const char *msg)
{
	r->stop_msg = msg;
	r->stop_line = line;
}

/* ==== splitting: runs of 64 bytes without quotes ==== */

#ifdef SWAR_SCAN
/*
 * Where the state machine is at a field start, blocks of 64 bytes that
 * hold no quote are split from a bitmask of their delimiters, CRs and LFs
 * (one bit a byte): every set bit ends a field, the bits are walked in
 * order and each field is copied in one piece, instead of the scan
 * restarting at every delimiter.  At the first block with a quote the
 * state machine takes over from the start of the field.  Files with a
 * quote in most blocks (an export whose names and addresses are quoted)
 * would pay for a block's masks at every field start: after each such
 * stop the blocks wait longer before they are tried again (r->block_wait,
 * doubled up to BLOCK_WAIT_MAX bytes; a long run resets it).
 */
#define BLOCK		64
/* A block needs the copies' overreach (COPY_STEP - 1 bytes) after it. */
#define COPY_STEP	32
#define BLOCK_NEED	(BLOCK + COPY_STEP)
#define BLOCK_WAIT_MIN	256
#define BLOCK_WAIT_MAX	((size_t)64 << 10)
#define BLOCK_RUN	8	/* blocks in a run that resets the wait */

#ifdef SSE2_SCAN
/*
 * The delimiters, CRs and LFs of the 64 bytes at p as bits, the first
 * byte lowest; 0 with *quoted set if any byte is a quote.
 */
static inline uint64_t
block_seps(const char *p, __m128i vd, int *quoted)
{
	const __m128i vq = _mm_set1_epi8('"'), vr = _mm_set1_epi8('\r'),
	    vn = _mm_set1_epi8('\n');
	__m128i v, q = _mm_setzero_si128();
	uint64_t s = 0;
	int i;

	for (i = 0; i < BLOCK; i += 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		q = _mm_or_si128(q, _mm_cmpeq_epi8(v, vq));
		s |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vr)),
		    _mm_cmpeq_epi8(v, vd))) << i;
	}
	*quoted = _mm_movemask_epi8(q) != 0;
	return s;
}
#else
/* The 0x80 bits of match_byte() as eight bits, the first byte lowest. */
static inline uint64_t
byte_bits(uint64_t m)
{
	return ((m >> 7) * UINT64_C(0x0102040810204080)) >> 56;
}

static inline uint64_t
block_seps(const char *p, unsigned char delim, int *quoted)
{
	uint64_t w, q = 0, s = 0;
	int i;

	for (i = 0; i < BLOCK; i += 8) {
		memcpy(&w, p + i, 8);
		q |= match_byte(w, '"');
		s |= byte_bits(match_byte(w, '\n') | match_byte(w, '\r') |
		    match_byte(w, delim)) << i;
	}
	*quoted = q != 0;
	return s;
}
#endif

/* Copy n bytes, COPY_STEP at a time: both sides have room past n. */
static inline void
copy_field(char *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += COPY_STEP) {
#ifdef SSE2_SCAN
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)
		    (s + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)
		    (s + i + 16));

		_mm_storeu_si128((__m128i *)(void *)(o + i), a);
		_mm_storeu_si128((__m128i *)(void *)(o + i + 16), b);
#else
		uint64_t w[4];

		memcpy(w, s + i, 32);
		memcpy(o + i, w, 32);
#endif
	}
}

/* Where split_blocks() leaves the splitter. */
struct block_pos {
	const char	*p;	/* a field start (or the bytes before a row) */
	char		*o;
	unsigned long	 line;	/* at p */
	const char	*quote;	/* the quote it stopped at, or NULL */
	const char	*next;	/* where to try the blocks again */
};

/*
 * Split whole fields and rows from p (at a row start when at_row is set,
 * else at a field start inside a row) through blocks without quotes,
 * while BLOCK_NEED bytes are left before e.  Returns 1 when it stopped
 * between rows (at bytes that row_start skips, or a row's first byte), 0
 * at a field start inside a row; bp says where, which quote stopped it
 * and where to try again.
 */
static int
split_blocks(struct csv_reader *r, const char *in, const char *e,
    char *base, struct block_pos *bp, int at_row)
{
	const char delim = (char)r->delim;
#ifdef SSE2_SCAN
	const __m128i vd = _mm_set1_epi8(delim);
#else
	const unsigned char vd = (unsigned char)delim;
#endif
	const char *b = bp->p, *fs = bp->p, *tp;
	char *o = bp->o;
	unsigned long line = bp->line;
	struct csv_field *f, *fend;
	uint64_t ends;
	int quoted;
	unsigned t;
	size_t len;

	bp->quote = NULL;
	f = r->fields + r->nfields;
	fend = r->fields + r->fields_alloc;
	for (; e - b >= BLOCK_NEED; b += BLOCK) {
		/* Room for a field per byte of the block. */
		if (fend - f < BLOCK) {
			r->nfields = (size_t)(f - r->fields);
			r->fields = xgrow(r->fields, &r->fields_alloc,
			    r->nfields + BLOCK, sizeof(*r->fields));
			f = r->fields + r->nfields;
			fend = r->fields + r->fields_alloc;
		}
		ends = block_seps(b, vd, &quoted);
		if (quoted) {
			/* The fields that end before the quote are plain. */
			bp->quote = memchr(b, '"', BLOCK);
			ends &= (UINT64_C(1) << (bp->quote - b)) - 1;
		}
		while (ends != 0) {
			t = (unsigned)__builtin_ctzll(ends);
			ends &= ends - 1;
			tp = b + t;
			if (at_row) {
				if (tp == fs && *tp != delim) {
					/* CR or LF between rows */
					line += *tp == '\n';
					fs = tp + 1;
					continue;
				}
				at_row = 0;
				r->row_line = line;
				r->row_fed = r->fed + (uint64_t)(fs - in);
				r->row_off = (size_t)(o - base);
			}
			len = (size_t)(tp - fs);
			copy_field(o, fs, len);
			f->off = (size_t)(o - base);
			f->len = len;
			f++;
			o += len;
			*o++ = '\0';
			fs = tp + 1;
			if (*tp != delim) {
				line += *tp == '\n';
				r->nfields = (size_t)(f - r->fields);
				push_row(r);
				at_row = 1;
			}
		}
		if (bp->quote != NULL)
			break;
	}
	if (bp->quote == NULL || b - bp->p >= BLOCK_RUN * BLOCK)
		r->block_wait = 0;
	bp->next = e;		/* the rest is the state machine's */
	if (bp->quote != NULL) {
		/* Its field and a while after: the state machine's. */
		r->block_wait = r->block_wait < BLOCK_WAIT_MIN ?
		    BLOCK_WAIT_MIN : r->block_wait * 2;
		if (r->block_wait > BLOCK_WAIT_MAX)
			r->block_wait = BLOCK_WAIT_MAX;
		bp->next = (size_t)(e - bp->quote) > r->block_wait ?
		    bp->quote + r->block_wait : e;
	}
	r->nfields = (size_t)(f - r->fields);
	bp->p = fs;
	bp->o = o;
	bp->line = line;
	return at_row;
}
#endif

/*
 * Split in[0..n) into fields and rows, carrying on from r->state (a chunk
 * may end anywhere: inside quotes, between a quote and its double, between
 * CR and LF).  Field bytes are copied into r->data as they are scanned,
 * eight at a time: a whole word is stored before it is looked at, and the
 * output pointer moves only past the bytes that belong to the field, so
 * room for n + 16 bytes is made once per chunk.
 *
 * The grammar is libcsv's in strict mode with spaces kept, which the
 * differential tests hold us to: CR and LF between rows are skipped (blank
 * lines); a field starting with '"' is quoted, and inside it "" is one
 * quote and anything else (delimiter, CR, LF) is data; after the closing
 * quote only the delimiter, CR, LF or the end may follow; a quote inside
 * an unquoted field is a literal quote; CR or LF ends an unquoted row.
 */
static void
split(struct csv_reader *r, const char *in, size_t n)
{
	const unsigned char delim = (unsigned char)r->delim;
	const char *p = in, *e = in + n;
	unsigned long line = r->line;
	char *base, *o;
	unsigned char c;
	struct run_stops unquoted_stops, quoted_stops;

	run_stops_set(&unquoted_stops, delim, '"', '\r', '\n');
	run_stops_set(&quoted_stops, '"', '\n', '"', '\n');
	strbuf_grow(&r->data, n + 16);
	base = r->data.buf;
	o = base + r->data.len;
	switch (r->state) {
	case SPLIT_ROW_START:
		goto row_start;
	case SPLIT_FIELD_START:
		goto field_start;
	case SPLIT_UNQUOTED:
		goto unquoted;
	case SPLIT_QUOTED:
		goto quoted;
	case SPLIT_QUOTE_SEEN:
		goto quote_seen;
	}

row_start:
	for (; p < e; p++) {
		if (*p == '\n')
			line++;
		else if (*p != '\r')
			break;
	}
	if (p == e) {
		r->state = SPLIT_ROW_START;
		goto out;
	}
	r->row_line = line;
	r->row_fed = r->fed + (uint64_t)(p - in);
	r->row_off = (size_t)(o - base);
field_start:
	if (p == e) {
		r->state = SPLIT_FIELD_START;
		goto out;
	}
	r->fstart = (size_t)(o - base);
	if (*p == '"') {
		p++;
		goto quoted;
	}
unquoted:
	for (;;) {
		if (copy_run(&p, &o, e, &unquoted_stops))
			goto unquoted_special;
		for (; p < e; p++, o++) {
			c = (unsigned char)*p;
			if (c == delim || c == '"' || c == '\r' || c == '\n')
				goto unquoted_special;
			*o = (char)c;
		}
		r->state = SPLIT_UNQUOTED;
		goto out;
unquoted_special:
		c = (unsigned char)*p;
		if (c == '"') {		/* a literal quote: ab"c */
			*o++ = '"';
			p++;
			continue;
		}
		*o++ = '\0';
		push_field(r, r->fstart, (size_t)(o - base) - 1 - r->fstart);
		if (c == delim) {
			p++;
			goto field_start;
		}
		push_row(r);		/* CR or LF: row_start skips it */
		goto row_start;
	}

quoted:
	for (;;) {
		if (copy_run(&p, &o, e, &quoted_stops))
			goto quoted_special;
		for (; p < e; p++, o++) {
			if (*p == '"' || *p == '\n')
				goto quoted_special;
			*o = *p;
		}
		r->state = SPLIT_QUOTED;
		goto out;
quoted_special:
		if (*p++ == '\n') {	/* data; counted for line numbers */
			*o++ = '\n';
			line++;
			continue;
		}
quote_seen:
		if (p == e) {
			r->state = SPLIT_QUOTE_SEEN;
			goto out;
		}
		c = (unsigned char)*p;
		if (c == '"') {		/* "" inside quotes */
			*o++ = '"';
			p++;
			continue;
		}
		if (c != delim && c != '\r' && c != '\n') {
			r->state = SPLIT_QUOTE_SEEN;
			stop_at(r, line, "unexpected text after closing quote");
			goto out;
		}
		*o++ = '\0';
		push_field(r, r->fstart, (size_t)(o - base) - 1 - r->fstart);
		if (c == delim) {
			p++;
			goto field_start;
		}
		push_row(r);
		goto row_start;
	}

out:
	r->fed += (uint64_t)(p - in);
	r->data.len = (size_t)(o - base);
	r->data.buf[r->data.len] = '\0';
	r->line = line;
}

/*
 * Split a read: runs of blocks without quotes by split_blocks(), where
 * the state machine is at a row or field start, the rest by split().
 */
static void
split_chunk(struct csv_reader *r, const char *in, size_t n)
{
#ifdef SWAR_SCAN
	const char *p = in, *e = in + n, *stop;
	struct block_pos pos;
	char *base;
	int at_row;

	strbuf_grow(&r->data, n + COPY_STEP);
	while (e - p >= BLOCK_NEED) {
		if (r->state == SPLIT_ROW_START ||
		    r->state == SPLIT_FIELD_START) {
			base = r->data.buf;
			pos.p = p;
			pos.o = base + r->data.len;
			pos.line = r->line;
			at_row = split_blocks(r, p, e, base, &pos,
			    r->state == SPLIT_ROW_START);
			r->fed += (uint64_t)(pos.p - p);
			r->data.len = (size_t)(pos.o - base);
			r->data.buf[r->data.len] = '\0';
			r->line = pos.line;
			r->state = at_row ? SPLIT_ROW_START : SPLIT_FIELD_START;
			p = pos.p;
			stop = pos.next;
		} else {
			/* Inside a field: on to a later chance. */
			stop = (size_t)(e - p) > r->block_wait + BLOCK_WAIT_MIN ?
			    p + r->block_wait + BLOCK_WAIT_MIN : e;
		}
		split(r, p, (size_t)(stop - p));
		p = stop;
		if (r->stop_msg != NULL)
			return;
	}
	if (p < e)
		split(r, p, (size_t)(e - p));
#else
	split(r, in, n);
#endif
}

/* The end of the input: the row in progress, if any, ends here. */
static void
split_end(struct csv_reader *r)
{
	switch (r->state) {
	case SPLIT_ROW_START:
		return;
	case SPLIT_QUOTED:
		stop_at(r, r->row_line, "unterminated quote");
		return;
	case SPLIT_FIELD_START:		/* "a," ends with an empty field */
		r->fstart = r->data.len;
		break;
	case SPLIT_UNQUOTED:
	case SPLIT_QUOTE_SEEN:
		break;
	}
	strbuf_addch(&r->data, '\0');
	push_field(r, r->fstart, r->data.len - 1 - r->fstart);
	push_row(r);
	r->state = SPLIT_ROW_START;
}

static void
too_big(struct csv_reader *r, unsigned long line)
{
	char size[32];

	format_size(size, sizeof(size), r->max_record);
	snprintf(r->stop_buf, sizeof(r->stop_buf), "row longer than %s", size);
	stop_at(r, line, r->stop_buf);
}

static void
too_many(struct csv_reader *r, unsigned long line)
{
	snprintf(r->stop_buf, sizeof(r->stop_buf),
	    "row has more than %zu fields", r->max_fields);
	stop_at(r, line, r->stop_buf);
}

/*
 * Rows must stay within max_record (hostile input): the rows completed
 * since queue index first by the bytes of their fields, and the one in
 * progress by the bytes read since it began, so that memory stays bounded.
 * The first row beyond a limit and all after it are dropped: the ones
 * before are returned, then the error.
 */
static void
check_limits(struct csv_reader *r, size_t first)
{
	const struct csv_row *row;
	const struct csv_field *f;

	for (; first < r->nrows; first++) {
		row = &r->rows[first];
		f = &r->fields[row->first];
		if (row->n > r->max_fields)
			too_many(r, row->line);
		else if (f[row->n - 1].off + f[row->n - 1].len - f[0].off >
		    r->max_record)
			too_big(r, row->line);
		else
			continue;
		r->nrows = first;
		return;
	}
	if (r->stop_msg != NULL || r->state == SPLIT_ROW_START)
		return;
	if (r->fed - r->row_fed > r->max_record)
		too_big(r, r->row_line);
	else if (r->nfields - r->cur_first > r->max_fields)
		too_many(r, r->row_line);
}

/*
 * Drop the returned rows, keeping the row in progress: its fields and the
 * bytes of the field being read.
 */
static void
compact(struct csv_reader *r)
{
	size_t base, i, n;

	n = r->nfields - r->cur_first;
	base = r->state != SPLIT_ROW_START ? r->row_off : r->data.len;
	memmove(r->data.buf, r->data.buf + base, r->data.len - base);
	r->data.len -= base;
	memmove(r->fields, r->fields + r->cur_first, n * sizeof(*r->fields));
	for (i = 0; i < n; i++)
		r->fields[i].off -= base;
	r->row_off -= base;
	r->fstart -= base;
	r->nfields = n;
	r->cur_first = 0;
	r->nrows = r->rows_head = 0;
}

/* ==== splitting in a second thread ==== */

/*
 * A big regular file read by the main thread is split by a worker: it
 * reads, splits and checks UTF-8 with a reader of its own (w), while the
 * caller turns the rows before into records and output.  Rows pass in
 * batches, one read's worth, through one shell: the worker swaps its
 * arrays into the shell and takes back the in-progress row; the caller
 * swaps the shell's arrays with its drained ones.  Errors travel in the
 * batch, after its rows, so the order of rows and errors is as without
 * the thread.  Pipes are never split in a thread: a worker blocked in
 * read() could not be joined.
 */

#define THREAD_MIN	((uint64_t)4 << 20)	/* bytes of file */

struct csv_batch {
	struct strbuf	 data;
	struct csv_field *fields;
	size_t		 nfields, fields_alloc;
	struct csv_row	*rows;
	size_t		 nrows, rows_alloc;
	int		 done;
	const char	*stop_msg;	/* NULL, or stop_buf */
	unsigned long	 stop_line;
	unsigned long	 line;
	char		 stop_buf[256];
};

struct csv_thread {
	pthread_t	 tid;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct csv_reader *w;
	struct csv_batch b;
	int		 full;		/* b holds rows for the caller */
	int		 quit;
};

#define SWAP(a, b, T)	do { T swap_tmp = (a); (a) = (b); (b) = swap_tmp; } while (0)

static void
swap_arrays(struct strbuf *d1, struct csv_field **f1, size_t *fa1,
    struct csv_row **r1, size_t *ra1, struct strbuf *d2,
    struct csv_field **f2, size_t *fa2, struct csv_row **r2, size_t *ra2)
{
	SWAP(*d1, *d2, struct strbuf);
	SWAP(*f1, *f2, struct csv_field *);
	SWAP(*fa1, *fa2, size_t);
	SWAP(*r1, *r2, struct csv_row *);
	SWAP(*ra1, *ra2, size_t);
}

/* The worker's rows into the shell; the row in progress stays with w. */
static void
hand_over(struct csv_reader *w, struct csv_batch *b)
{
	size_t base, n, i;

	swap_arrays(&w->data, &w->fields, &w->fields_alloc, &w->rows,
	    &w->rows_alloc, &b->data, &b->fields, &b->fields_alloc, &b->rows,
	    &b->rows_alloc);
	b->nrows = w->nrows;
	b->nfields = w->cur_first;
	b->done = w->done;
	b->line = w->line;
	b->stop_msg = NULL;
	if (w->stop_msg != NULL) {
		snprintf(b->stop_buf, sizeof(b->stop_buf), "%s", w->stop_msg);
		b->stop_msg = b->stop_buf;
		b->stop_line = w->stop_line;
	}
	/* What the shell brought back is drained: reuse it for w. */
	n = w->nfields - w->cur_first;
	base = w->state != SPLIT_ROW_START ? w->row_off : b->data.len;
	strbuf_reset(&w->data);
	strbuf_add(&w->data, b->data.buf + base, b->data.len - base);
	strbuf_setlen(&b->data, base);
	if (n > w->fields_alloc)
		w->fields = xgrow(w->fields, &w->fields_alloc, n,
		    sizeof(*w->fields));
	for (i = 0; i < n; i++) {
		w->fields[i] = b->fields[w->cur_first + i];
		w->fields[i].off -= base;
	}
	w->row_off -= base;
	w->fstart -= base;
	w->nfields = n;
	w->cur_first = 0;
	w->nrows = 0;
}

static void *
worker(void *arg)
{
	struct csv_thread *t = arg;
	struct csv_reader *w = t->w;
	ssize_t got;
	size_t i;
	int last = 0;

	while (!last) {
		got = input_read(w->in, w->buf, READ_SIZE);
		if (got == -1) {
			snprintf(w->stop_buf, sizeof(w->stop_buf), "%s",
			    input_error(w->in));
			stop_at(w, w->line, w->stop_buf);
		} else if (got == 0) {
			split_end(w);
			w->done = 1;
		} else
			split_chunk(w, w->buf, (size_t)got);
		check_limits(w, 0);
		if (!w->utf8_when_read)
			for (i = 0; i < w->nrows; i++)
				w->rows[i].bad = row_utf8(w, &w->rows[i]);
		last = w->done || w->stop_msg != NULL;
		pthread_mutex_lock(&t->mu);
		while (t->full && !t->quit)
			pthread_cond_wait(&t->cv, &t->mu);
		if (t->quit) {
			pthread_mutex_unlock(&t->mu);
			break;
		}
		hand_over(w, &t->b);
		t->full = 1;
		pthread_cond_broadcast(&t->cv);
		pthread_mutex_unlock(&t->mu);
	}
	return NULL;
}

void
csv_reader_check_utf8_when_read(struct csv_reader *r)
{
	r->utf8_when_read = 1;
}

/*
 * Split in a thread?  Only a regular file of THREAD_MIN bytes or more,
 * opened by the process's main thread.  twin-join opens its inputs there
 * and reads them in its reading thread, so its files are split in a third
 * thread; measured on 1M realistic rows (best of 8, 2 cores) that is no
 * slower for inner and left joins and faster for --unmatched (0.43 s
 * against 0.54 s), where the main thread has little to write.
 * DUMPKIT_CSV_THREAD=0 or 1 forces it off or on (for tests).
 */
static int
want_thread(const struct csv_reader *r)
{
	const char *env = getenv("DUMPKIT_CSV_THREAD");

	if (env != NULL && *env != '\0')
		return env[0] == '1' && input_raw_size(r->in) > 0;
	return input_raw_size(r->in) >= THREAD_MIN &&
	    syscall(SYS_gettid) == getpid();
}

static void
thread_start(struct csv_reader *r)
{
	struct csv_thread *t;
	struct csv_reader *w;

	r->th_tried = 1;
	if (!want_thread(r))
		return;
	t = xcalloc(1, sizeof(*t));
	w = t->w = xcalloc(1, sizeof(*w));
	w->in = r->in;
	w->started = 1;
	w->delim = r->delim;
	w->max_record = r->max_record;
	w->max_fields = r->max_fields;
	w->utf8_when_read = r->utf8_when_read;
	w->buf = xmalloc(READ_SIZE);
	w->line = r->line;
	strbuf_init(&w->data, 4096);
	strbuf_init(&t->b.data, 0);
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	if (pthread_create(&t->tid, NULL, worker, t) != 0) {
		/* No thread: split here, as for a small file. */
		pthread_mutex_destroy(&t->mu);
		pthread_cond_destroy(&t->cv);
		strbuf_release(&w->data);
		free(w->buf);
		free(w);
		free(t);
		return;
	}
	r->th = t;
}

/* The next batch from the worker into r's (drained) queue. */
static void
thread_take(struct csv_reader *r)
{
	struct csv_thread *t = r->th;
	struct csv_batch *b = &t->b;

	pthread_mutex_lock(&t->mu);
	while (!t->full)
		pthread_cond_wait(&t->cv, &t->mu);
	swap_arrays(&r->data, &r->fields, &r->fields_alloc, &r->rows,
	    &r->rows_alloc, &b->data, &b->fields, &b->fields_alloc, &b->rows,
	    &b->rows_alloc);
	r->nrows = b->nrows;
	r->nfields = r->cur_first = b->nfields;
	r->rows_head = 0;
	r->done = b->done;
	r->line = b->line;
	if (b->stop_msg != NULL) {
		snprintf(r->stop_buf, sizeof(r->stop_buf), "%s", b->stop_msg);
		r->stop_msg = r->stop_buf;
		r->stop_line = b->stop_line;
	}
	t->full = 0;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

static void
thread_stop(struct csv_reader *r)
{
	struct csv_thread *t = r->th;

	if (t == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	t->quit = 1;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->tid, NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	free(t->w->fields);
	free(t->w->rows);
	strbuf_release(&t->w->data);
	free(t->w->buf);
	free(t->w);
	free(t->b.fields);
	free(t->b.rows);
	strbuf_release(&t->b.data);
	free(t);
	r->th = NULL;
}

/*
 * Make a row available in the queue: split a whole read at a time.
 * Returns 1, 0 at the end, -1 on error (after the rows before it).
 */
static int
fill(struct csv_reader *r)
{
	size_t queued;
	ssize_t got;

	if (r->failed)
		return -1;
	while (r->rows_head == r->nrows) {
		if (r->stop_msg != NULL)
			return fail(r, r->stop_line, "%s", r->stop_msg);
		if (r->done)
			return 0;
		if (!r->th_tried)
			thread_start(r);
		if (r->th != NULL) {
			thread_take(r);
			continue;
		}
		if (r->nrows > 0)
			compact(r);
		got = input_read(r->in, r->buf, READ_SIZE);
		if (got == -1)
			return fail(r, r->line, "%s", input_error(r->in));
		queued = r->nrows;
		if (got == 0) {
			split_end(r);
			r->done = 1;
		} else
			split_chunk(r, r->buf, (size_t)got);
		check_limits(r, queued);
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
	return r;
}

void
csv_reader_free(struct csv_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	thread_stop(r);
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
	r->started = 1;
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
		if (r->failed || (!r->started && start(r) == -1))
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
	size_t i;
	int rc;

	/* Mostly a row is queued already: no calls for the header and fill. */
	if (__builtin_expect(r->header != HEADER_READ || r->failed ||
	    r->rows_head == r->nrows, 0)) {
		rc = csv_reader_header(r, NULL, NULL);
		if (rc <= 0)
			return rc;
		rc = fill(r);
		if (rc <= 0)
			return rc;
	}
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
		r->bad = row->bad == BAD_UNKNOWN ? row_utf8(r, row) : row->bad;
		if (r->bad != BAD_NONE)
			v->problem_code = "bad_utf8";
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
	return r->err.msg;
}

unsigned long
csv_reader_error_line(const struct csv_reader *r)
{
	return r->err.line;
}

const struct read_error *
csv_reader_err(const struct csv_reader *r)
{
	return &r->err;
}

/* ==== the writer ==== */

/*
 * Room for the worst case is made once (every byte a quote, doubled, plus
 * the quotes and the '), then the cell is copied straight into it: a call
 * per cell instead of one per piece.
 */
/*
 * One cell at out, which has room for its worst case (2 * len + 3 bytes):
 * see csv_write_cell().  Returns the end.
 */
static inline char *
put_cell(char *out, const char *s, size_t len, const struct csv_write_opts *o)
{
	const char *end = s + len, *d, *q;
	int safe;

	safe = o->csv_safe && len > 0 && memchr("=+-@\t\r", s[0], 6) != NULL;
	if ((d = find_special(s, len, (unsigned char)o->delim)) == NULL) {
		if (safe)
			*out++ = '\'';
		if (len > 0)
			memcpy(out, s, len);
		return out + len;
	}
	*out++ = '"';
	if (safe)
		*out++ = '\'';
	/* Up to the first special byte there is no quote. */
	memcpy(out, s, (size_t)(d - s));
	out += d - s;
	s = d;
	/* Double each quote: copy up to and including it, add one. */
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		memcpy(out, s, (size_t)(q - s) + 1);
		out += q - s + 1;
		*out++ = '"';
		s = q + 1;
	}
	memcpy(out, s, (size_t)(end - s));
	out += end - s;
	*out++ = '"';
	return out;
}

void
csv_write_cell(struct strbuf *sb, const char *s, size_t len,
    const struct csv_write_opts *o)
{
	if (len > (SIZE_MAX - sb->len) / 2 - 8)
		die("out of memory");
	if (sb->alloc < sb->len + 2 * len + 5)
		strbuf_grow(sb, 2 * len + 4);
	sb->len = (size_t)(put_cell(sb->buf + sb->len, s, len, o) - sb->buf);
	sb->buf[sb->len] = '\0';
}

void
csv_write_row(struct strbuf *sb, const struct csv_cell *cells, size_t n,
    const struct csv_write_opts *o)
{
	size_t i, room = 8;
	char *out;

	/* Room for the worst case once a row, not once a cell. */
	for (i = 0; i < n; i++) {
		if (cells[i].len > (SIZE_MAX - sb->len - room) / 2 - 8)
			die("out of memory");
		room += 2 * cells[i].len + 4;
	}
	if (sb->alloc < sb->len + room + 1)
		strbuf_grow(sb, room);
	out = sb->buf + sb->len;
	for (i = 0; i < n; i++) {
		if (i > 0)
			*out++ = (char)o->delim;
		out = put_cell(out, cells[i].s, cells[i].len, o);
	}
	if (o->crlf)
		*out++ = '\r';
	*out++ = '\n';
	sb->len = (size_t)(out - sb->buf);
	sb->buf[sb->len] = '\0';
}

void
csv_write_eol(struct strbuf *sb, const struct csv_write_opts *o)
{
	if (o->crlf)
		strbuf_addch(sb, '\r');
	strbuf_addch(sb, '\n');
}

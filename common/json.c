/*
 * json.c: the streaming JSON pull reader's buffer and value parser.  It
 * parses straight out of its read buffer into the caller's arena, keeps
 * numbers as their text, and builds trees with an explicit stack so hostile
 * nesting cannot crash it.  The streaming modes are in json_stream.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/errors.h"
#include "common/input.h"
#include "common/json.h"
#include "common/json_int.h"
#include "common/utf8.h"

#define READ_SIZE	(256 * 1024)
#define STACK_KEEP	(64 * 1024)	/* value stack entries kept for reuse */

/* Results of the internal parse steps. */
#define P_ERR	(-1)
#define P_MORE	0	/* ran out of buffered bytes: refill and retry */
#define P_OK	1


/* What empty containers point at: never NULL, so memcpy(p, v, 0) is fine. */
struct json_member jr_empty[1];

/* ==== character classes ==== */

/* 1 for JSON whitespace. */
static const unsigned char is_ws[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
};

/* 1 for bytes that may continue a number or literal by mistake. */
static unsigned char is_word[256];
static unsigned char is_digit[256];
static signed char hexval[256];
static int tables_ready;

static void
tables_init(void)
{
	int c;

	if (tables_ready)
		return;
	for (c = 0; c < 256; c++) {
		is_digit[c] = c >= '0' && c <= '9';
		is_word[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '.' || c == '+' ||
		    c == '-' || c == '_' || c >= 0x80;
		if (c >= '0' && c <= '9')
			hexval[c] = (signed char)(c - '0');
		else if (c >= 'a' && c <= 'f')
			hexval[c] = (signed char)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			hexval[c] = (signed char)(c - 'A' + 10);
		else
			hexval[c] = -1;
	}
	tables_ready = 1;
}

/* ==== errors ==== */

int
jr_fail_at(struct json_reader *r, uint64_t off, unsigned long line,
    uint64_t line_start, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(r->err.msg)];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	read_error_set(&r->err, r->in != NULL ? input_name(r->in) : NULL,
	    line, (unsigned long)(off - line_start + 1), "%s", msg);
	r->failed = 1;
	return P_ERR;
}

/* How to name byte c in "unexpected ..." messages. */
static const char *
describe(int c, char *buf, size_t size)
{
	if (c > 0x20 && c < 0x7f && c != '\'')
		snprintf(buf, size, "'%c'", c);
	else if (c == '\'')
		snprintf(buf, size, "\"'\"");
	else
		snprintf(buf, size, "byte 0x%02x", c & 0xff);
	return buf;
}

static void
size_text(size_t n, char *buf, size_t size)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		snprintf(buf, size, "%zu MiB", n >> 20);
	else
		snprintf(buf, size, "%zu bytes", n);
}

/* ==== buffer ==== */

/*
 * Read more input behind the unconsumed bytes.  Consumed bytes are dropped
 * first; the buffer only grows when one unit (a value, an item) is larger
 * than half of it.  A unit cut off by the end of the buffer is parsed again
 * from its start, so at least as much again as is pending is read (short
 * pipe reads must not make a big value cost quadratic time).  Returns 1,
 * 0 at end of input, -1 on error.
 */
static int
refill(struct json_reader *r)
{
	size_t want;
	ssize_t n;

	if (r->eof)
		return 0;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->base += r->pos;
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->len > r->opts.max_value) {
		char sz[64];

		size_text(r->opts.max_value, sz, sizeof(sz));
		return jr_fail_at(r, r->base, r->line, r->line_start,
		    "value larger than %s", sz);
	}
	want = r->len < READ_SIZE / 2 ? r->len + 1 : 2 * r->len;
	if (r->cap > READ_SIZE && want <= READ_SIZE) {
		/* A big value has passed: give its memory back. */
		r->cap = READ_SIZE;
		r->buf = xrealloc(r->buf, r->cap);
		r->data = r->buf;
	}
	if (want > r->cap) {
		while (r->cap < want)
			r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
		r->data = r->buf;
	}
	do {
		n = input_read(r->in, r->buf + r->len, r->cap - r->len);
		if (n < 0)
			return jr_fail_at(r, r->base + r->len, r->line,
			    r->line_start, "%s", input_error(r->in));
		if (n == 0) {
			r->eof = 1;
			break;
		}
		r->len += (size_t)n;
	} while (r->len < want);
	return 1;
}

/*
 * Skip whitespace at pos, reading more as needed.  Returns 1 with a byte at
 * pos, 0 at end of input, -1 on error.
 */
int
jr_skip_ws(struct json_reader *r)
{
	for (;;) {
		const char *p = r->data + r->pos, *end = r->data + r->len;
		int rc;

		while (p < end && is_ws[(unsigned char)*p]) {
			if (*p == '\n') {
				r->line++;
				r->line_start = r->base +
				    (uint64_t)(p + 1 - r->data);
			}
			p++;
		}
		r->pos = (size_t)(p - r->data);
		if (p < end)
			return 1;
		if ((rc = refill(r)) <= 0)
			return rc;
	}
}

int
jr_fail_here(struct json_reader *r, const char *fmt, const char *what)
{
	return jr_fail_at(r, r->base + r->pos, r->line, r->line_start, fmt,
	    what);
}

int
jr_too_deep(struct json_reader *r)
{
	return jr_fail_at(r, r->base + r->pos, r->line, r->line_start,
	    "nesting deeper than %zu", r->opts.max_depth);
}

/* "unexpected X (expected ...)" for the byte at pos. */
int
jr_unexpected(struct json_reader *r, const char *expected)
{
	char d[32], msg[128];

	snprintf(msg, sizeof(msg), "unexpected %s (expected %s)",
	    describe((unsigned char)r->data[r->pos], d, sizeof(d)), expected);
	return jr_fail_here(r, "%s", msg);
}

/* ==== scanning ==== */

/* The first byte that is '"', '\\', a control character or non-ASCII. */
static inline const char *
str_scan(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"');
	const __m128i bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);

	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Signed: bytes >= 0x80 are negative, so below 0x20 too. */
		__m128i m = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(x, quote),
		    _mm_cmpeq_epi8(x, bslash)),
		    _mm_cmplt_epi8(x, space));
		int mask = _mm_movemask_epi8(m);

		if (mask != 0)
			return p + __builtin_ctz((unsigned)mask);
		p += 16;
	}
#endif
	while (p < end) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
			break;
		p++;
	}
	return p;
}

/*
 * Length of the valid UTF-8 sequence at p (p[0] >= 0x80), 0 when it is
 * invalid, -1 when it is cut off by end (more input may complete it).
 */
static inline int
utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	int n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if (p + i >= end)
			return -1;
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	}
	if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0) ||
	    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

/* Parse state shared by the helpers of parse_value(). */
struct pstate {
	struct json_reader	*r;
	struct arena		*a;
	const char		*end;
	unsigned long		 line;
	uint64_t		 ls;	/* input offset where line starts */
	char			*slab;	/* string bytes are packed in here */
	char			*slab_end;
	size_t			 slab_used;
};

#define SLAB_MIN	256
#define SLAB_MAX	(16 * 1024)

/*
 * Room for n bytes of string text.  Strings and number texts are packed
 * into slabs taken from the arena, sized after the previous value, which
 * saves an aligned arena allocation per string.
 */
static inline char *
slab_room(struct pstate *ps, size_t n)
{
	size_t size;

	if ((size_t)(ps->slab_end - ps->slab) >= n)
		return ps->slab;
	if (n > SLAB_MAX / 4)
		return arena_alloc(ps->a, n);
	size = ps->r->slab_size;
	if (size < n)
		size = n;
	ps->slab = arena_alloc(ps->a, size);
	ps->slab_end = ps->slab + size;
	return ps->slab;
}

/* Mark n bytes at o (from slab_room()) used. */
static inline void
slab_take(struct pstate *ps, char *o, size_t n)
{
	if (o == ps->slab) {
		ps->slab += n;
		ps->slab_used += n;
	}
}

/* A NUL-terminated copy of s[0..n), s inside the buffer. */
static inline char *
slab_dup(struct pstate *ps, const char *s, size_t n)
{
	char *o = slab_room(ps, n + 16);

#ifdef __SSE2__
	/* Short strings (most of them) in one 16-byte move. */
	if (n <= 16 && ps->end - s >= 16)
		_mm_storeu_si128((__m128i *)(void *)o,
		    _mm_loadu_si128((const __m128i *)(const void *)s));
	else
#endif
		memcpy(o, s, n);
	o[n] = '\0';
	slab_take(ps, o, n + 1);
	return o;
}

static int __attribute__((format(printf, 3, 4)))
perr(struct pstate *ps, const char *p, const char *fmt, ...)
{
	struct json_reader *r = ps->r;
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return jr_fail_at(r, r->base + (uint64_t)(p - r->data), ps->line,
	    ps->ls, "%s", msg);
}

static int
hex4(const char *p)
{
	int a = hexval[(unsigned char)p[0]], b = hexval[(unsigned char)p[1]];
	int c = hexval[(unsigned char)p[2]], d = hexval[(unsigned char)p[3]];

	if ((a | b | c | d) < 0)
		return -1;
	return a << 12 | b << 8 | c << 4 | d;
}

/*
 * Decode the escapes of the string body s[0..n) (already checked for
 * its end, control characters and UTF-8) into out.  Returns the length,
 * or -1 after reporting a bad escape.
 */
static long
unescape(struct pstate *ps, const char *s, size_t n, char *out)
{
	const char *end = s + n, *bs;
	char *o = out;

	while (s < end) {
		unsigned long cp;
		int lo;

		bs = memchr(s, '\\', (size_t)(end - s));
		if (bs == NULL) {
			memcpy(o, s, (size_t)(end - s));
			o += end - s;
			break;
		}
		memcpy(o, s, (size_t)(bs - s));
		o += bs - s;
		s = bs + 1;
		switch (*s) {
		case '"':
		case '\\':
		case '/':
			*o++ = *s++;
			continue;
		case 'b':
			*o++ = '\b';
			s++;
			continue;
		case 'f':
			*o++ = '\f';
			s++;
			continue;
		case 'n':
			*o++ = '\n';
			s++;
			continue;
		case 'r':
			*o++ = '\r';
			s++;
			continue;
		case 't':
			*o++ = '\t';
			s++;
			continue;
		case 'u':
			break;
		default:
			return perr(ps, bs, "invalid escape");
		}
		if (end - s < 5 || (lo = hex4(s + 1)) < 0)
			return perr(ps, bs, "invalid \\u escape");
		cp = (unsigned long)lo;
		s += 5;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return perr(ps, bs, "lone surrogate \\u%04lx", cp);
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (end - s < 6 || s[0] != '\\' || s[1] != 'u' ||
			    (lo = hex4(s + 2)) < 0 || lo < 0xdc00 ||
			    lo > 0xdfff)
				return perr(ps, bs, "lone surrogate \\u%04lx",
				    cp);
			cp = 0x10000 + ((cp - 0xd800) << 10) +
			    ((unsigned long)lo - 0xdc00);
			s += 6;
		}
		o += utf8_encode(cp, o);
	}
	return (long)(o - out);
}

/*
 * The string whose opening quote is at *pp, decoded into a.  On success
 * *pp is past the closing quote.
 */
static inline __attribute__((always_inline)) int
parse_string(struct pstate *ps, const char **pp,
    const char **s, size_t *n)
{
	const char *start = *pp + 1, *q = start, *end = ps->end;
	int escapes = 0, k;
	char *o;
	long len;

	for (;;) {
		unsigned char c;

		q = str_scan(q, end);
		if (q == end)
			goto more;
		c = (unsigned char)*q;
		if (c == '"')
			break;
		if (c == '\\') {
			if (q + 1 == end)
				goto more;
			switch (q[1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't': case 'u':
				break;
			default:
				return perr(ps, q, "invalid escape");
			}
			escapes = 1;
			q += 2;
			continue;
		}
		if (c < 0x20)
			return perr(ps, q,
			    "unescaped control character 0x%02x in string", c);
		k = utf8_seq((const unsigned char *)q,
		    (const unsigned char *)end);
		if (k == 0 || (k < 0 && ps->r->eof))
			return perr(ps, q, "invalid UTF-8 in string");
		if (k < 0)
			return P_MORE;
		q += k;
	}
	if (!escapes) {
		*s = slab_dup(ps, start, (size_t)(q - start));
		*n = (size_t)(q - start);
	} else {
		o = slab_room(ps, (size_t)(q - start) + 1);
		if ((len = unescape(ps, start, (size_t)(q - start), o)) < 0)
			return P_ERR;
		o[len] = '\0';
		slab_take(ps, o, (size_t)len + 1);
		*s = o;
		*n = (size_t)len;
	}
	*pp = q + 1;
	return P_OK;
more:
	if (ps->r->eof)
		return perr(ps, *pp, "unterminated string");
	return P_MORE;
}

/* The number at *pp: check the JSON grammar and keep its text. */
static inline int
parse_number(struct pstate *ps, const char **pp,
    struct json_value *v)
{
	const char *start = *pp, *p = start, *end = ps->end;

	if (*p == '-')
		p++;
	if (p == end)
		goto more;
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		while (++p < end && is_digit[(unsigned char)*p])
			;
	} else {
		goto bad;
	}
	if (p < end && *p == '.') {
		if (++p == end)
			goto more;
		if (!is_digit[(unsigned char)*p])
			goto bad;
		while (++p < end && is_digit[(unsigned char)*p])
			;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p == end)
			goto more;
		if (*p == '+' || *p == '-')
			if (++p == end)
				goto more;
		if (!is_digit[(unsigned char)*p])
			goto bad;
		while (++p < end && is_digit[(unsigned char)*p])
			;
	}
	if (p == end) {
		if (!ps->r->eof)
			return P_MORE;
	} else if (is_word[(unsigned char)*p]) {
		goto bad;
	}
	v->type = JSON_NUMBER;
	v->len = (size_t)(p - start);
	v->u.str = slab_dup(ps, start, v->len);
	*pp = p;
	return P_OK;
more:
	if (!ps->r->eof)
		return P_MORE;
bad:
	return perr(ps, start, "invalid number");
}

static inline int
parse_literal(struct pstate *ps, const char **pp, struct json_value *v)
{
	const char *p = *pp, *end = ps->end, *word;
	size_t n, have = (size_t)(end - p);

	switch (*p) {
	case 't':
		word = "true";
		v->type = JSON_TRUE;
		break;
	case 'f':
		word = "false";
		v->type = JSON_FALSE;
		break;
	default:
		word = "null";
		v->type = JSON_NULL;
		break;
	}
	n = strlen(word);
	if (have < n) {
		if (memcmp(p, word, have) != 0)
			return perr(ps, p, "invalid literal");
		if (!ps->r->eof)
			return P_MORE;
		return perr(ps, p, "truncated document");
	}
	if (memcmp(p, word, n) != 0)
		return perr(ps, p, "invalid literal");
	if (have == n) {
		if (!ps->r->eof)
			return P_MORE;
	} else if (is_word[(unsigned char)p[n]]) {
		return perr(ps, p, "invalid literal");
	}
	v->len = 0;
	v->u.str = NULL;
	*pp = p + n;
	return P_OK;
}

/* ==== one value ==== */

static void
grow_vs(struct json_reader *r, size_t need)
{
	r->vs = xgrow(r->vs, &r->valloc, need, sizeof(*r->vs));
}

/* ==== repeated member names ==== */

static uint64_t
name_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static int
same_name(const struct json_member *a, const struct json_member *b)
{
	return a->name_len == b->name_len &&
	    memcmp(a->name, b->name, a->name_len) == 0;
}

/*
 * A repeated member name keeps its first position and its last value, as
 * jq reads it (DESIGN 3: "last wins" everywhere, so a record, a path and
 * the masking all see one member).  A 64-bit filter on the length and the
 * end bytes tells almost every object without repeats in one pass; the
 * rest are checked exactly, pairwise when small, else by a hash table.
 * Returns the new count; m[0..count) is rewritten in place.  (json_int.h)
 */
size_t
jr_dedupe_members(struct json_member *m, size_t n)
{
	uint64_t seen = 0, bit;
	size_t i, k, out = 0, cap, *slot;
	const struct json_member *x;
	int maybe = 0;

	for (i = 0; i < n && !maybe; i++) {
		x = &m[i];
		bit = 1ULL << ((x->name_len * 31 + (x->name_len ?
		    (unsigned char)x->name[0] * 7 +
		    (unsigned char)x->name[x->name_len - 1] : 0)) & 63);
		maybe = (seen & bit) != 0;
		seen |= bit;
	}
	if (!maybe)
		return n;
	if (n <= 32) {
		for (i = 0; i < n; i++) {
			for (k = 0; k < out && !same_name(&m[k], &m[i]); k++)
				;
			if (k < out)
				m[k].value = m[i].value;
			else
				m[out++] = m[i];
		}
		return out;
	}
	for (cap = 64; cap < 2 * n; cap *= 2)
		;
	slot = xcalloc(cap, sizeof(*slot));	/* index + 1 of a kept member */
	for (i = 0; i < n; i++) {
		k = (size_t)name_hash(m[i].name, m[i].name_len) & (cap - 1);
		while (slot[k] != 0 && !same_name(&m[slot[k] - 1], &m[i]))
			k = (k + 1) & (cap - 1);
		if (slot[k] != 0) {
			m[slot[k] - 1].value = m[i].value;
			continue;
		}
		m[out] = m[i];
		slot[k] = ++out;
	}
	free(slot);
	return out;
}

/*
 * 1 when the few members m[0..n) surely have distinct names: no two agree
 * in length and first byte (names are NUL-terminated, so "" has one).
 * Most objects pass, and skip jr_dedupe_members().
 */
static inline int
distinct_small(const struct json_member *m, size_t n)
{
	size_t i, k;

	if (n > 8)
		return 0;
	for (i = 1; i < n; i++)
		for (k = 0; k < i; k++)
			if (m[k].name_len == m[i].name_len &&
			    m[k].name[0] == m[i].name[0])
				return 0;
	return 1;
}

/* Build the container of frame f from the value stack into a. */
static void
close_frame(struct json_reader *r, struct arena *a, const struct jframe *f,
    size_t top, struct json_value *v)
{
	size_t i, n = top - f->base;
	const struct json_member *src;

	v->len = n;
	if (f->kind == '{') {
		v->type = JSON_OBJECT;
		if (n == 0) {
			v->u.members = jr_empty;
			return;
		}
		src = r->vs + f->base;
		if (!distinct_small(src, n))
			n = jr_dedupe_members(r->vs + f->base, n);
		v->len = n;
		v->u.members = arena_alloc(a, n * sizeof(*v->u.members));
		memcpy(v->u.members, src, n * sizeof(*v->u.members));
	} else {
		v->type = JSON_ARRAY;
		if (n == 0) {
			v->u.items = &jr_empty[0].value;
			return;
		}
		src = r->vs + f->base;
		v->u.items = arena_alloc(a, n * sizeof(*v->u.items));
		for (i = 0; i < n; i++)
			v->u.items[i] = src[i].value;
	}
}

/* Whitespace is at most ' ': one compare passes the usual non-space. */
#define SKIP_WS() do { \
	while (p < end && (unsigned char)*p <= ' ' && \
	    is_ws[(unsigned char)*p]) { \
		if (*p == '\n') { \
			ps.line++; \
			ps.ls = r->base + (uint64_t)(p + 1 - data); \
		} \
		p++; \
	} \
} while (0)

#define PUSH_SLOT(nm, nl) do { \
	if (top == r->valloc) \
		grow_vs(r, top + 1); \
	r->vs[top].name = (nm); \
	r->vs[top].name_len = (nl); \
	top++; \
} while (0)

/*
 * Parse one value at pos into a; depth0 containers are already open
 * around it.  Returns P_OK (pos past it), P_MORE (nothing consumed: refill
 * and call again) or P_ERR.
 */
static int
parse_value(struct json_reader *r, struct arena *a, size_t depth0,
    struct json_value *out)
{
	const char *data = r->data;
	const char *p = data + r->pos, *end = data + r->len;
	const char *start = p;
	struct pstate ps;
	struct json_value v, *slot;
	size_t top = 0, nf = 0;
	struct jframe *f;
	const char *name = NULL;
	size_t name_len = 0;
	char d[32];
	int rc;

	ps.r = r;
	ps.a = a;
	ps.end = end;
	ps.slab = ps.slab_end = NULL;
	ps.slab_used = 0;
	ps.line = r->line;
	ps.ls = r->line_start;

value:
	SKIP_WS();
	if (p == end)
		goto at_end;
	switch (*p) {
	case '{':
	case '[':
		if (depth0 + nf >= r->opts.max_depth)
			return perr(&ps, p, "nesting deeper than %zu",
			    r->opts.max_depth);
		if (nf == r->falloc)
			r->fs = xgrow(r->fs, &r->falloc, nf + 1,
			    sizeof(*r->fs));
		f = &r->fs[nf++];
		f->base = top;
		f->line = ps.line;
		f->kind = *p++;
		SKIP_WS();
		if (p == end)
			goto at_end;
		if (f->kind == '{') {
			if (*p == '}') {
				p++;
				goto close;
			}
			goto key;
		}
		if (*p == ']') {
			p++;
			goto close;
		}
		PUSH_SLOT(NULL, 0);
		goto value;
	case '"':
		if ((rc = parse_string(&ps, &p, &v.u.str, &v.len)) != P_OK)
			goto out;
		v.type = JSON_STRING;
		goto have;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		if ((rc = parse_number(&ps, &p, &v)) != P_OK)
			goto out;
		goto have;
	case 't':
	case 'f':
	case 'n':
		if ((rc = parse_literal(&ps, &p, &v)) != P_OK)
			goto out;
		goto have;
	default:
		if (nf > 0 && *p == ']' && r->fs[nf - 1].kind == '[')
			return perr(&ps, p, "unexpected %s after ','",
			    describe((unsigned char)*p, d, sizeof(d)));
		return perr(&ps, p, "unexpected %s (expected a value)",
		    describe((unsigned char)*p, d, sizeof(d)));
	}

key:
	/* At the first byte of a member name, whitespace skipped. */
	if (*p != '"')
		return perr(&ps, p, "unexpected %s (expected a member name)",
		    describe((unsigned char)*p, d, sizeof(d)));
	if ((rc = parse_string(&ps, &p, &name, &name_len)) != P_OK)
		goto out;
	/* Compact JSON: the ':' right after the name. */
	if (p == end || *p != ':') {
		SKIP_WS();
		if (p == end)
			goto at_end;
		if (*p != ':')
			return perr(&ps, p, "unexpected %s (expected ':')",
			    describe((unsigned char)*p, d, sizeof(d)));
	}
	p++;
	PUSH_SLOT(name, name_len);
	goto value;

have:
	if (nf == 0)
		goto done;
	/*
	 * Field by field: a whole-struct copy loads 16 bytes that were just
	 * stored in pieces, and the stalled store forwarding costs more than
	 * the rest of this step.
	 */
	slot = &r->vs[top - 1].value;
	slot->type = v.type;
	slot->len = v.len;
	slot->u.str = v.u.str;
	f = &r->fs[nf - 1];
	/* Compact JSON: ',' and the next name's quote with no space. */
	if (p + 1 < end && *p == ',' && p[1] == '"' && f->kind == '{') {
		p++;
		goto key;
	}
	SKIP_WS();
	if (p == end)
		goto at_end;
	if (*p == ',') {
		p++;
		SKIP_WS();
		if (p == end)
			goto at_end;
		if (f->kind == '{')
			goto key;
		PUSH_SLOT(NULL, 0);
		goto value;
	}
	if (*p == (f->kind == '{' ? '}' : ']')) {
		p++;
		goto close;
	}
	return perr(&ps, p, "unexpected %s (expected ',' or '%c')",
	    describe((unsigned char)*p, d, sizeof(d)),
	    f->kind == '{' ? '}' : ']');

close:
	f = &r->fs[nf - 1];
	close_frame(r, a, f, top, &v);
	top = f->base;
	nf--;
	goto have;

at_end:
	if (!r->eof)
		return P_MORE;
	if (nf > 0)
		return perr(&ps, p, "truncated document (unclosed '%c' from "
		    "line %lu)", r->fs[nf - 1].kind, r->fs[nf - 1].line);
	return perr(&ps, p, "truncated document");

done:
	if ((size_t)(p - start) > r->opts.max_value) {
		size_text(r->opts.max_value, d, sizeof(d));
		return jr_fail_at(r, r->base + r->pos, r->line, r->line_start,
		    "value larger than %s", d);
	}
	/* The next value likely holds as much text as this one. */
	r->slab_size = ps.slab_used + ps.slab_used / 4 + 64;
	if (r->slab_size < SLAB_MIN)
		r->slab_size = SLAB_MIN;
	if (r->slab_size > SLAB_MAX)
		r->slab_size = SLAB_MAX;
	r->pos = (size_t)(p - data);
	r->line = ps.line;
	r->line_start = ps.ls;
	*out = v;
	return P_OK;
out:
	return rc;
}

/*
 * Read on until the value at pos is buffered whole (or its input ends, or
 * it turns out malformed, which the parser then names), by a scan that
 * only follows strings and brackets.  After a value was cut off by the end
 * of the buffer this costs less than parsing it again for every refill,
 * and wastes no arena memory on partial trees.  Returns 0, or -1 on error.
 */
static int
buffer_value(struct json_reader *r)
{
	size_t off = 0, depth = 0;
	int in_str = 0, scalar = 0, rc;

	for (;;) {
		const char *p = r->data + r->pos + off, *end = r->data + r->len;
		unsigned char c;

		while (p < end) {
			if (in_str) {
				p = str_scan(p, end);
				if (p == end)
					break;
				if (*p == '"') {
					in_str = 0;
					p++;
					if (depth == 0)
						return 0;
				} else if (*p == '\\') {
					if (p + 1 == end)
						break;
					p += 2;
				} else {
					p++;
				}
				continue;
			}
			c = (unsigned char)*p;
			if (c == '"') {
				in_str = 1;
			} else if (c == '{' || c == '[') {
				depth++;
			} else if (c == '}' || c == ']') {
				if (depth <= 1)
					return 0;
				depth--;
			} else if (depth == 0) {
				if (is_word[c])
					scalar = 1;
				else if (scalar || !is_ws[c])
					return 0;
			}
			p++;
		}
		off = (size_t)(p - (r->data + r->pos));
		if ((rc = refill(r)) <= 0)
			return rc;
	}
}

/*
 * A whole value at pos (whitespace already skipped), reading more input
 * as needed.  Returns 1 or -1.
 */
int
jr_read_value(struct json_reader *r, struct arena *a, size_t depth0,
    struct json_value *out)
{
	int rc, scanned = 0;

	for (;;) {
		rc = parse_value(r, a, depth0, out);
		if (rc == P_OK) {
			/* Don't keep the stacks of one huge value around. */
			if (r->valloc > STACK_KEEP) {
				free(r->vs);
				r->vs = NULL;
				r->valloc = 0;
			}
			if (r->falloc > STACK_KEEP) {
				free(r->fs);
				r->fs = NULL;
				r->falloc = 0;
			}
			return 1;
		}
		if (rc == P_ERR)
			return -1;
		if (!scanned) {
			scanned = 1;
			if (buffer_value(r) < 0)
				return -1;
		} else if (refill(r) < 0) {
			return -1;
		}
	}
}

/* ==== the reader ==== */

static struct json_reader *
reader_new(const struct json_opts *o)
{
	struct json_opts def = JSON_OPTS_DEFAULT;
	struct json_reader *r = xcalloc(1, sizeof(*r));

	tables_init();
	r->opts = o != NULL ? *o : def;
	if (r->opts.max_depth == 0)
		r->opts.max_depth = JSON_DEPTH_DEFAULT;
	if (r->opts.max_value == 0)
		r->opts.max_value = JSON_VALUE_MAX_DEFAULT;
	r->line = 1;
	r->state = ST_TOP;
	r->slab_size = SLAB_MIN;
	return r;
}

struct json_reader *
json_reader_new(struct input *in, const struct json_opts *o)
{
	struct json_reader *r = reader_new(o);

	r->in = in;
	r->cap = READ_SIZE;
	r->buf = xmalloc(r->cap);
	r->data = r->buf;
	return r;
}

struct json_reader *
json_reader_new_mem(const char *buf, size_t len, const struct json_opts *o)
{
	struct json_reader *r = reader_new(o);

	r->data = buf != NULL ? buf : "";
	r->len = buf != NULL ? len : 0;
	r->eof = 1;
	/* A BOM is not data; columns count from after it. */
	if (r->len >= 3 && memcmp(r->data, "\xef\xbb\xbf", 3) == 0) {
		r->pos = 3;
		r->line_start = 3;
	}
	return r;
}

void
json_reader_free(struct json_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->vs);
	free(r->fs);
	jr_free_path(r);
	arena_release(&r->env);
	free(r);
}

void
jr_free_path(struct json_reader *r)
{
	size_t i;

	for (i = 0; i < r->ncomp; i++)
		free(r->lv[i].m);
	free(r->lv);
	free(r->path);
	free(r->comp);
	r->lv = NULL;
	r->path = NULL;
	r->comp = NULL;
	r->ncomp = 0;
}

const char *
json_reader_error(const struct json_reader *r)
{
	return r->failed ? r->err.msg : "no error";
}

unsigned long
json_reader_error_line(const struct json_reader *r)
{
	return r->err.line;
}

unsigned long
json_reader_error_column(const struct json_reader *r)
{
	return r->err.col;
}

const struct read_error *
json_reader_err(const struct json_reader *r)
{
	return &r->err;
}

unsigned long
json_reader_line(const struct json_reader *r)
{
	return r->value_line;
}

int
json_reader_in_found(const struct json_reader *r)
{
	return r->found;
}

int
json_reader_next(struct json_reader *r, struct arena *a,
    struct json_value *out)
{
	int rc;

	if (r->failed)
		return -1;
	if ((rc = jr_skip_ws(r)) <= 0)
		return rc;
	r->value_line = r->line;
	return jr_read_value(r, a, 0, out);
}

int
json_parse(const char *buf, size_t len, const struct json_opts *o,
    struct arena *a, struct json_value *out, struct strbuf *err)
{
	struct json_reader *r = json_reader_new_mem(buf, len, o);
	int rc;

	rc = json_reader_next(r, a, out);
	if (rc == 0) {
		jr_fail_at(r, r->base + r->pos, r->line, r->line_start,
		    "%s", "empty document");
		rc = -1;
	} else if (rc == 1 && jr_skip_ws(r) != 0) {
		jr_unexpected(r, "end of input");
		rc = -1;
	}
	if (rc < 0 && err != NULL) {
		strbuf_reset(err);
		strbuf_addf(err, "%lu:%lu: %s", r->err.line, r->err.col,
		    r->err.msg);
	}
	json_reader_free(r);
	return rc < 0 ? -1 : 0;
}

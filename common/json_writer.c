/*
 * json_writer.c: compact JSON output.  Numbers go out with the text they
 * were read with; strings are escaped only where JSON requires it.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/*
 * x86-64 always has SSE2; -DJSON_WRITER_PORTABLE leaves it out so that the
 * portable eight-byte loop (what other machines run) is tested there too.
 */
#if defined(__SSE2__) && !defined(JSON_WRITER_PORTABLE)
#define USE_SSE2	1
#include <emmintrin.h>
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define USE_SWAR	1
#endif
#include <stdint.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZER_CLANG 1
#endif
#endif
#ifndef SANITIZER_CLANG
#define SANITIZER_CLANG 0
#endif

#include "common/errors.h"
#include "common/json.h"
#include "common/json_writer.h"

/*
 * What each byte becomes inside a string literal: 0 for itself, a letter
 * for a two-character escape, 'u' for \u00XX.
 */
static const char esc_table[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
};

/* Make room for n more bytes (and the NUL) without a call when it fits. */
static inline void
room(struct strbuf *sb, size_t n)
{
	if (sb->alloc - sb->len <= n)
		strbuf_grow(sb, n);
}

/*
 * Write the literal for s[0..len) at o (room for len + 2 + 16 bytes), and
 * return the end.  The SSE2 loop copies 16 bytes while it looks for bytes
 * to escape in them: most strings need no escape at all.
 */
static inline __attribute__((always_inline)) char *
put_string(struct strbuf *sb, char *o, const unsigned char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *end = s + len;
#ifdef USE_SSE2
	const __m128i quote = _mm_set1_epi8('"');
	const __m128i bslash = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);
#endif

	*o++ = '"';
	for (;;) {
#ifdef USE_SSE2
		while (end - s >= 16) {
			__m128i x = _mm_loadu_si128(
			    (const __m128i *)(const void *)s);
			/* x <= 0x1f exactly when min(x, 0x1f) == x. */
			__m128i m = _mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(x, quote),
			    _mm_cmpeq_epi8(x, bslash)),
			    _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
			int mask = _mm_movemask_epi8(m);

			_mm_storeu_si128((__m128i *)(void *)o, x);
			if (mask != 0) {
				int k = __builtin_ctz((unsigned)mask);

				s += k;
				o += k;
				goto escape;
			}
			s += 16;
			o += 16;
		}
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && \
    !SANITIZER_CLANG
		/*
		 * The tail (all of a short string): one 16-byte load when it
		 * cannot cross into the next page, the bytes past end masked
		 * off.  Reading them is harmless on x86 but not what ASan or
		 * TSan accept, so sanitizer builds take the byte loop below.
		 */
		if (s < end && ((uintptr_t)s & 4095) <= 4096 - 16) {
			__m128i x = _mm_loadu_si128(
			    (const __m128i *)(const void *)s);
			__m128i m = _mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(x, quote),
			    _mm_cmpeq_epi8(x, bslash)),
			    _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
			unsigned mask = (unsigned)_mm_movemask_epi8(m) |
			    (1u << (end - s));

			_mm_storeu_si128((__m128i *)(void *)o, x);
			int k = __builtin_ctz(mask);

			s += k;
			o += k;
			if (s == end)
				break;
			goto escape;
		}
#endif
#endif
#ifdef USE_SWAR
		/*
		 * Eight bytes at a time (the tail of a long string in
		 * sanitizer builds, all of it without SSE2): a word is copied,
		 * then the lowest byte that is '"', '\\' or below 0x20 found
		 * from bit masks.  The "below" test may also flag bytes after
		 * a true one (borrows run upwards), never before it.
		 */
		while (end - s >= 8) {
			const uint64_t ones = UINT64_C(0x0101010101010101);
			const uint64_t hi = UINT64_C(0x8080808080808080);
			uint64_t w, q, b, m;

			memcpy(&w, s, 8);
			memcpy(o, &w, 8);
			q = w ^ (ones * '"');
			b = w ^ (ones * '\\');
			m = (((q - ones) & ~q) | ((b - ones) & ~b) |
			    ((w - ones * 0x20) & ~w)) & hi;
			if (m != 0) {
				int k = __builtin_ctzll(m) >> 3;

				s += k;
				o += k;
				goto escape;
			}
			s += 8;
			o += 8;
		}
#endif
		while (s < end && esc_table[*s] == 0)
			*o++ = (char)*s++;
		if (s == end)
			break;
#if defined(USE_SSE2) || defined(USE_SWAR)
escape:
#endif
		/* Room for this escape and everything still to come. */
		sb->len = (size_t)(o - sb->buf);
		room(sb, 6 + (size_t)(end - s) + 2 + 16);
		o = sb->buf + sb->len;
		*o++ = '\\';
		if (esc_table[*s] == 'u') {
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[*s >> 4];
			*o++ = hex[*s & 15];
		} else {
			*o++ = esc_table[*s];
		}
		s++;
	}
	*o++ = '"';
	return o;
}

void
json_write_string(struct strbuf *sb, const char *str, size_t len)
{
	char *o;

	room(sb, len + 2 + 16);
	o = put_string(sb, sb->buf + sb->len, (const unsigned char *)str, len);
	sb->len = (size_t)(o - sb->buf);
	sb->buf[sb->len] = '\0';
}

/* "name": */
static inline void
write_key(struct strbuf *sb, const char *name, size_t len)
{
	char *o;

	room(sb, len + 3 + 16);
	o = put_string(sb, sb->buf + sb->len, (const unsigned char *)name,
	    len);
	*o++ = ':';
	sb->len = (size_t)(o - sb->buf);
	sb->buf[sb->len] = '\0';
}

static inline void
put(struct strbuf *sb, const char *s, size_t n)
{
	room(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static inline void
write_scalar(struct strbuf *sb, const struct json_value *v)
{
	switch (v->type) {
	case JSON_NULL:
		put(sb, "null", 4);
		break;
	case JSON_FALSE:
		put(sb, "false", 5);
		break;
	case JSON_TRUE:
		put(sb, "true", 4);
		break;
	case JSON_NUMBER:
		put(sb, v->u.str, v->len);
		break;
	case JSON_STRING:
		json_write_string(sb, v->u.str, v->len);
		break;
	default:
		break;
	}
}

/*
 * Containers are walked with an explicit stack rather than recursion: the
 * reader's depth limit can be raised, and a deep value must not overflow
 * the C stack on its way out.
 */
struct wframe {
	const struct json_value	*v;
	size_t			 i;
};

void
json_write_value(struct strbuf *sb, const struct json_value *root)
{
	struct wframe local[64], *st = local, *heap = NULL;
	size_t n = 0, alloc = 64;
	const struct json_value *v = root;

	for (;;) {
		/* Write v, or open it and push it. */
		if (v->type == JSON_OBJECT || v->type == JSON_ARRAY) {
			strbuf_addch(sb, v->type == JSON_OBJECT ? '{' : '[');
			if (n == alloc) {
				size_t want = n + 1;

				if (heap == NULL) {
					heap = xmalloc(2 * alloc *
					    sizeof(*heap));
					memcpy(heap, local, n * sizeof(*heap));
					alloc *= 2;
				} else {
					heap = xgrow(heap, &alloc, want,
					    sizeof(*heap));
				}
				st = heap;
			}
			st[n].v = v;
			st[n].i = 0;
			n++;
		} else {
			write_scalar(sb, v);
		}
		/* Find the next value to write, closing finished containers. */
		for (;;) {
			struct wframe *f;

			if (n == 0) {
				free(heap);
				return;
			}
			f = &st[n - 1];
			if (f->i == f->v->len) {
				strbuf_addch(sb,
				    f->v->type == JSON_OBJECT ? '}' : ']');
				n--;
				continue;
			}
			if (f->i > 0)
				strbuf_addch(sb, ',');
			if (f->v->type == JSON_OBJECT) {
				const struct json_member *m =
				    &f->v->u.members[f->i];

				write_key(sb, m->name, m->name_len);
				v = &m->value;
			} else {
				v = &f->v->u.items[f->i];
			}
			f->i++;
			break;
		}
	}
}

void
json_write_record(struct strbuf *sb, const struct record *rec)
{
	struct json_value v = record_as_value(rec);

	json_write_value(sb, &v);
}

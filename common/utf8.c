/*
 * utf8.c: UTF-8 validation after RFC 3629, sixteen bytes at a time (SSE2)
 * or eight (elsewhere) through ASCII and two-byte sequences (what Latin
 * and Cyrillic text is made of); longer sequences and errors byte by byte.
 *
 * x86-64 always has SSE2; -DUTF8_PORTABLE leaves it out so that the unit
 * tests run the eight-byte path too (test_utf8_portable.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(UTF8_PORTABLE)
#define USE_SSE2	1
#include <emmintrin.h>
#endif

/*
 * On x86-64 with GCC or clang, a 32-byte AVX2 loop is compiled in as well
 * and used when the CPU has AVX2 (asked at each call: a load and a bit
 * test).  -DUTF8_NO_AVX2 leaves it out, so that the unit tests run the
 * SSE2 loop on machines that have AVX2 too (test_utf8_sse2.c).
 */
#if defined(USE_SSE2) && defined(__x86_64__) && defined(__GNUC__) && \
    !defined(UTF8_NO_AVX2)
#define USE_AVX2	1
#include <immintrin.h>
#endif

#include "common/utf8.h"

/*
 * Length of the sequence a lead byte starts (0: not a lead byte).  0xc0,
 * 0xc1 (always overlong) and 0xf5..0xff (beyond U+10FFFF) are never valid.
 */
static const unsigned char lead_len[256] = {
	/* 0x00..0x7f */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x80..0xbf: continuation bytes */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0xc0..0xdf */
	0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* 0xe0..0xef */
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	/* 0xf0..0xff */
	4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/*
 * Eight bytes at a time while they are ASCII or two-byte sequences (Latin,
 * Cyrillic, Greek...): bit 7 of each byte of a mask marks the bytes of one
 * kind, and a word is valid when no byte starts a longer sequence, no lead
 * is the overlong 0xc0 or 0xc1, and the continuation bytes are exactly the
 * bytes after the leads.  A lead in the last byte is left for the next
 * word.  Returns how many bytes were taken (0: look at this one alone).
 */
static inline size_t
two_byte_word(const unsigned char *p)
{
	const uint64_t hi = UINT64_C(0x8080808080808080);
	uint64_t w, cont, lead, bad;

	memcpy(&w, p, 8);
	if ((w & hi) == 0)
		return 8;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* (w << k) puts bit 7 - k of each byte at its bit 7. */
	cont = w & ~(w << 1) & hi;			/* 10xxxxxx */
	lead = w & (w << 1) & ~(w << 2) & hi;		/* 110xxxxx */
	bad = (w & (w << 1) & (w << 2)) |		/* 111xxxxx */
	    (lead & ~((w << 3) | (w << 4) | (w << 5) | (w << 6)));
	if ((bad & hi) == 0 && (lead << 8) == cont)
		return 8 - (size_t)(lead >> 63);
#endif
	return 0;
}

#ifdef USE_SSE2
/*
 * The same test as two_byte_word() on sixteen bytes, all in vectors: a
 * lead 0xc2..0xdf must be followed by a continuation byte, every
 * continuation byte must follow such a lead, and no other byte may be
 * >= 0x80.  Only bit 7 of each byte of the result counts: set, the byte is
 * wrong (or for the byte loop to judge: 0xe0..0xff, 0xc0, 0xc1).  *lead
 * holds the leads of the block before (its last byte's lead is carried
 * into this one) and is set to this block's.
 */
static inline __m128i
block_errors(__m128i v, __m128i *lead)
{
	/* As signed bytes: 0x80..0xbf < 0xc0 < 0xc1 < 0xc2..0xdf < 0xe0. */
	const __m128i c0 = _mm_set1_epi8((char)0xc0), c1 = _mm_set1_epi8(
	    (char)0xc1), e0 = _mm_set1_epi8((char)0xe0);
	__m128i leads = _mm_and_si128(_mm_cmpgt_epi8(v, c1),
	    _mm_cmpgt_epi8(e0, v));
	__m128i conts = _mm_cmpgt_epi8(c0, v);
	__m128i want = _mm_or_si128(_mm_slli_si128(leads, 1),
	    _mm_srli_si128(*lead, 15));

	*lead = leads;
	return _mm_or_si128(_mm_andnot_si128(_mm_or_si128(leads, conts), v),
	    _mm_xor_si128(want, conts));
}

/*
 * Returns the bytes of p[0..n) taken by block_errors(), whole characters
 * only (a lead in the last byte is left for later).  The blocks go
 * sixteen bytes at a time whatever they hold, a block's last lead carried
 * into the next one's test, and four blocks share one branch: nothing in
 * the loop waits for a mask.  (Finding each block's length from its masks
 * first, as before, made every load wait on the block before; this runs
 * about twice as fast on Cyrillic text.)
 */
static inline __m128i
load16(const unsigned char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static size_t
two_byte_run(const unsigned char *p, size_t n)
{
	__m128i lead = _mm_setzero_si128(), before, err, v;
	size_t i = 0;

	while (n - i >= 64) {
		before = lead;
		err = block_errors(load16(p + i), &lead);
		err = _mm_or_si128(err, block_errors(load16(p + i + 16), &lead));
		err = _mm_or_si128(err, block_errors(load16(p + i + 32), &lead));
		err = _mm_or_si128(err, block_errors(load16(p + i + 48), &lead));
		if (_mm_movemask_epi8(err) != 0) {
			lead = before;	/* the blocks one by one, below */
			break;
		}
		i += 64;
	}
	for (; n - i >= 16; i += 16) {
		before = lead;
		v = load16(p + i);
		/* ASCII, no lead carried in: the rows of an ASCII file. */
		if (_mm_movemask_epi8(_mm_or_si128(v, lead)) == 0)
			continue;
		if (_mm_movemask_epi8(block_errors(v, &lead)) != 0) {
			lead = before;
			break;
		}
	}
	/* A lead in the last byte taken is left for later. */
	return i - ((unsigned)_mm_movemask_epi8(lead) >> 15);
}
#endif

#ifdef USE_AVX2
/* block_errors() on 32 bytes; *lead is the block before's leads. */
__attribute__((target("avx2"))) static inline __m256i
block32_errors(__m256i v, __m256i *lead)
{
	const __m256i c0 = _mm256_set1_epi8((char)0xc0), c1 = _mm256_set1_epi8(
	    (char)0xc1), e0 = _mm256_set1_epi8((char)0xe0);
	__m256i leads = _mm256_and_si256(_mm256_cmpgt_epi8(v, c1),
	    _mm256_cmpgt_epi8(e0, v));
	__m256i conts = _mm256_cmpgt_epi8(c0, v);
	/*
	 * The leads one byte later across both lanes: alignr shifts within
	 * each 16-byte lane, so each lane is paired with the 16 bytes before
	 * it (the block before's high lane, this block's low lane).
	 */
	__m256i before = _mm256_permute2x128_si256(*lead, leads, 0x21);
	__m256i want = _mm256_alignr_epi8(leads, before, 15);

	*lead = leads;
	return _mm256_or_si256(_mm256_andnot_si256(_mm256_or_si256(leads,
	    conts), v), _mm256_xor_si256(want, conts));
}

__attribute__((target("avx2"))) static inline __m256i
load32(const unsigned char *p)
{
	return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

/* two_byte_run() 32 bytes a block, four blocks to a branch. */
__attribute__((target("avx2"))) static size_t
two_byte_run32(const unsigned char *p, size_t n)
{
	__m256i lead = _mm256_setzero_si256(), before, err, v;
	size_t i = 0;

	while (n - i >= 128) {
		before = lead;
		err = block32_errors(load32(p + i), &lead);
		err = _mm256_or_si256(err, block32_errors(load32(p + i + 32),
		    &lead));
		err = _mm256_or_si256(err, block32_errors(load32(p + i + 64),
		    &lead));
		err = _mm256_or_si256(err, block32_errors(load32(p + i + 96),
		    &lead));
		if (_mm256_movemask_epi8(err) != 0) {
			lead = before;
			break;
		}
		i += 128;
	}
	for (; n - i >= 32; i += 32) {
		before = lead;
		v = load32(p + i);
		if (_mm256_movemask_epi8(_mm256_or_si256(v, lead)) == 0)
			continue;
		if (_mm256_movemask_epi8(block32_errors(v, &lead)) != 0) {
			lead = before;
			break;
		}
	}
	return i - ((unsigned)_mm256_movemask_epi8(lead) >> 31);
}
#endif

size_t
utf8_check(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint64_t w, any = 0;

	/*
	 * A short row (a twins export's are some 50 bytes) is mostly ASCII:
	 * one pass of words, the last overlapping, settles it, where the
	 * vector loops would pay their setup for two or three blocks.
	 */
	if (n >= 8 && n < 64) {
		for (k = 0; k + 8 <= n; k += 8) {
			memcpy(&w, p + k, 8);
			any |= w;
		}
		memcpy(&w, p + n - 8, 8);
		if (((any | w) & UINT64_C(0x8080808080808080)) == 0)
			return n;
	}
	while (i < n) {
		unsigned c = p[i], c1;

#ifdef USE_AVX2
		/* Shorter rows (a twins export's) are as fast without it. */
		if (n - i >= 64 && __builtin_cpu_supports("avx2") &&
		    (k = two_byte_run32(p + i, n - i)) != 0) {
			i += k;
			if (i == n)
				break;
			c = p[i];
		}
#endif
#ifdef USE_SSE2
		if (n - i >= 16 && (k = two_byte_run(p + i, n - i)) != 0) {
			i += k;
			if (i == n)
				break;
			c = p[i];
		}
#endif
		if (n - i >= 8 && (k = two_byte_word(p + i)) != 0) {
			i += k;
			continue;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
	switch (lead_len[c]) {
		case 2:
			if (n - i < 2 || (p[i + 1] & 0xc0) != 0x80)
				return i;
			i += 2;
			break;
		case 3:
			if (n - i < 3)
				return i;
			c1 = p[i + 1];
			if ((c1 & 0xc0) != 0x80 || (p[i + 2] & 0xc0) != 0x80)
				return i;
			if (c == 0xe0 && c1 < 0xa0)	/* overlong */
				return i;
			if (c == 0xed && c1 >= 0xa0)	/* surrogate */
				return i;
			i += 3;
			break;
		case 4:
			if (n - i < 4)
				return i;
			c1 = p[i + 1];
			if ((c1 & 0xc0) != 0x80 || (p[i + 2] & 0xc0) != 0x80 ||
			    (p[i + 3] & 0xc0) != 0x80)
				return i;
			if (c == 0xf0 && c1 < 0x90)	/* overlong */
				return i;
			if (c == 0xf4 && c1 >= 0x90)	/* > U+10FFFF */
				return i;
			i += 4;
			break;
		default:
			return i;
		}
	}
	return n;
}

size_t
utf8_encode(unsigned long cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | ((cp >> 18) & 0x07));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t
utf8_length(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}

/*
 * values.c: the value parsers behind the row normalizer: text cleanup
 * (NFC, whitespace, control characters), exact decimal coordinates,
 * durations in English and Russian, and RFC 4122 UUIDv5 ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/*
 * x86-64 always has SSE2; -DPN_PORTABLE leaves it out so that the
 * portable eight-byte words (what other machines run) are tested there.
 */
#if defined(__SSE2__) && !defined(PN_PORTABLE)
#define CLEAN_SSE2	1
#include <emmintrin.h>
#endif

#include "common/errors.h"
#include "tools/place-normalize/normalize.h"
#include "tools/place-normalize/sha1.h"

#define DURATION_MAX	1000000000	/* seconds: about 31 years */

/* ==== text ==== */

/*
 * Decode one code point at s[0..n).  Returns its length, or 0 for invalid
 * UTF-8 (overlong forms, surrogates and values past U+10FFFF included).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static int
is_space_cp(unsigned long c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 ||
	    c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000;
}

/* Control characters, and invisible junk that spreadsheets leave behind. */
static int
is_dropped_cp(unsigned long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x200b ||
	    c == 0xfeff;
}

/*
 * Code points that are NFC whatever surrounds them (no decomposition that
 * NFC keeps apart, combining class 0, never the second half of a
 * composition).  Text made only of these skips utf8proc: Latin and
 * Cyrillic partner data almost always does.
 */
static int
is_nfc_safe_cp(unsigned long c)
{
	return c < 0x300 || (c >= 0x400 && c <= 0x482) ||
	    (c >= 0x48a && c <= 0x52f) || (c >= 0x2010 && c <= 0x2027) ||
	    (c >= 0x2030 && c <= 0x205e) || (c >= 0x20a0 && c <= 0x20bf) ||
	    c == 0x2116;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CLEAN_SWAR	1
/*
 * Eight bytes of text that is clean as it is: printable ASCII, spaces
 * no two of which touch, and Cyrillic U+0400..U+047F (lead 0xd0 or 0xd1,
 * then one continuation byte).  Bit 7 of each byte of a mask marks the
 * bytes of one kind; every test is exact (no borrow crosses a byte).
 * Returns the bytes taken: 8, 7 when the last byte is a lead (its
 * continuation is in the next word), 0 when the word needs a closer look.
 * *lastsp is set when the last byte taken is a space.
 *
 * With last set the word ends the text and may overlap bytes already
 * checked: its first byte may be the continuation of a character before
 * it, and it is clean (8) only if it ends with neither a space nor a lead.
 */
static inline size_t
clean_word(const unsigned char *p, int *lastsp, int last)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t hi = UINT64_C(0x8080808080808080);
	const uint64_t lo = UINT64_C(0x7f7f7f7f7f7f7f7f);
	uint64_t w, h, t, bad, sp, lead, cont;

	memcpy(&w, p, 8);
	h = w & hi;
	/* ASCII below 0x20 or 0x7f. */
	t = w & lo;
	bad = ~h & (~(t + ones * 0x60) | (t + ones)) & hi;
	t = w ^ (ones * ' ');
	sp = ~(((t & lo) + lo) | t) & hi;
	bad |= sp & (sp >> 8);
	if (h != 0) {
		cont = h & ~(w << 1);				/* 10xxxxxx */
		t = (w ^ (ones * 0xd0)) & (ones * 0xfe);
		lead = ~(((t & lo) + lo) | t) & hi;		/* 0xd0, 0xd1 */
		if ((h & ~(lead | cont)) != 0 ||
		    (lead << 8) != (last ? cont & ~UINT64_C(0x80) : cont))
			return 0;
		if (lead >> 63) {
			*lastsp = 0;
			return bad == 0 && !last ? 7 : 0;
		}
	}
	*lastsp = (int)(sp >> 63);
	if (last && *lastsp)
		return 0;
	return bad == 0 ? 8 : 0;
}
#endif

#ifdef CLEAN_SSE2
/* clean_word() for sixteen bytes: 16, 15 (a lead last) or 0. */
static inline size_t
clean_vec(const unsigned char *p, int *lastsp, int last)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	unsigned h, bad, sp, lead, cont;

	h = (unsigned)_mm_movemask_epi8(x);
	/* x <= 0x1f exactly when min(x, 0x1f) == x. */
	bad = (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f))));
	sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x,
	    _mm_set1_epi8(' ')));
	bad |= sp & (sp >> 1);
	if (h != 0) {
		lead = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_and_si128(x, _mm_set1_epi8((char)0xfe)),
		    _mm_set1_epi8((char)0xd0)));
		cont = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_and_si128(x, _mm_set1_epi8((char)0xc0)),
		    _mm_set1_epi8((char)0x80)));
		if ((h & ~(lead | cont)) != 0 ||
		    ((lead << 1) & 0xffff) != (last ? cont & ~1U : cont))
			return 0;
		if (lead >> 15) {
			*lastsp = 0;
			return bad == 0 && !last ? 15 : 0;
		}
	}
	*lastsp = (int)(sp >> 15);
	if (last && *lastsp)
		return 0;
	return bad == 0 ? 16 : 0;
}
#endif

/*
 * How far from the start s is clean a word at a time: len when all of
 * it is.
 */
static inline size_t
clean_prefix(const unsigned char *p, size_t len)
{
	size_t i = 0;

#ifdef CLEAN_SWAR
	/* Short text as one word, padded with letters. */
	if (len > 0 && len < 8 && p[0] != ' ' && p[len - 1] != ' ') {
		unsigned char w[8] = "aaaaaaaa";
		int lastsp;

		memcpy(w, p, len);
		return clean_word(w, &lastsp, 0) == 8 ? len : 0;
	}
	/*
	 * Words while a byte follows them (so that a space in one is never
	 * the last), then one last word ending the text, overlapping what
	 * was checked.  A space ending a word must not have one after it;
	 * one starting a word has none before it (the word or byte before
	 * checked that), unless it starts the text.  Anything else goes on
	 * in clean_rest(), from the character where this stopped.
	 */
	if (len >= 8 && p[0] != ' ') {
		int lastsp;
		size_t k;

#ifdef CLEAN_SSE2
		if (len >= 16) {
			while (i + 16 < len) {
				k = clean_vec(p + i, &lastsp, 0);
				if (k == 0 || (lastsp && p[i + k] == ' '))
					break;
				i += k;
			}
			if (i + 16 >= len && clean_vec(p + len - 16, &lastsp,
			    1) != 0)
				i = len;
		} else
#endif
		{
			while (i + 8 < len) {
				k = clean_word(p + i, &lastsp, 0);
				if (k == 0 || (lastsp && p[i + k] == ' '))
					break;
				i += k;
			}
			if (i + 8 >= len && clean_word(p + len - 8, &lastsp,
			    1) != 0)
				i = len;
		}
	}
#endif
	return i;
}

/*
 * The rest of pn_clean_text(), from i where the words stopped: apart, so
 * that the common call (clean text) stays a small function.
 */
static int __attribute__((noinline))
clean_rest(const char *s, size_t len, size_t i, struct arena *a,
    const char **out, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	unsigned c;
	size_t n, o;
	char *buf;
	int space = 0, nfc = 0;

	/*
	 * Text that is already clean (printable ASCII, Latin-1 letters,
	 * Cyrillic; single inner spaces) is used as it is.
	 */
	while (i < len) {
#ifdef CLEAN_SWAR
		/* As above: words where they are clean, else a character. */
		if (i + 8 < len && (i > 0 || p[0] != ' ')) {
			int lastsp;
			size_t k = clean_word(p + i, &lastsp, 0);

			if (k != 0 && !(lastsp && p[i + k] == ' ')) {
				i += k;
				continue;
			}
		}
#endif
		c = p[i];
		if (c - 0x21U < 0x5eU) {
			i++;
			continue;
		}
		if (c == ' ') {
			if (i == 0 || i + 1 == len || p[i + 1] == ' ')
				break;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf && i + 1 < len &&
		    (p[i + 1] & 0xc0) == 0x80) {
			/* U+0400..U+047F (0xd0, 0xd1) are Cyrillic letters. */
			if (c == 0xd0 || c == 0xd1) {
				i += 2;
				continue;
			}
			cp = (unsigned long)(c & 0x1f) << 6 | (p[i + 1] & 0x3f);
			if ((cp > 0xa0 && cp < 0x300) ||
			    (cp >= 0x400 && cp <= 0x482) ||
			    (cp >= 0x48a && cp <= 0x52f)) {
				i += 2;
				continue;
			}
		}
		break;
	}
	if (i == len) {
		*out = s;
		*outlen = len;
		return 0;
	}

	buf = arena_alloc(a, len + 1);
	o = 0;
	for (i = 0; i < len; i += n) {
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0)
			return -1;
		if (is_space_cp(cp)) {
			space = o > 0;
			continue;
		}
		if (is_dropped_cp(cp))
			continue;
		if (space) {
			buf[o++] = ' ';
			space = 0;
		}
		memcpy(buf + o, s + i, n);
		o += n;
		if (!is_nfc_safe_cp(cp))
			nfc = 1;
	}
	buf[o] = '\0';
	if (nfc) {
		utf8proc_uint8_t *norm;

		norm = utf8proc_NFC((const utf8proc_uint8_t *)buf);
		if (norm == NULL)
			return -1;
		o = strlen((char *)norm);
		buf = arena_strndup(a, (const char *)norm, o);
		free(norm);
	}
	*out = buf;
	*outlen = o;
	return 0;
}

int
pn_clean_text(const char *s, size_t len, struct arena *a, const char **out,
    size_t *outlen)
{
	size_t i = clean_prefix((const unsigned char *)s, len);

	if (i == len) {
		*out = s;
		*outlen = len;
		return 0;
	}
	return clean_rest(s, len, i, a, out, outlen);
}

/* ==== numbers ==== */

#define DEC_DIGITS_MAX	400
#define DEC_INT_MAX	20

/*
 * The common case, a decimal that is canonical but for its comma and
 * trailing zeros: [-]DIGITS[.,]DIGITS without a leading zero (bar a lone
 * "0") and with at most prec decimals after its last nonzero one, not
 * zero.  Its text is its own start (a '.' for the comma), and 15 digits at
 * most keep every step of the value below exact (2^53), so it is the
 * value the general path computes.  Returns 1 when it was.
 */
static int
decimal_as_is(const char *s, size_t len, int prec, char *buf, double *val)
{
	static const double pow10[16] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	const unsigned char *p = (const unsigned char *)s, *e = p + len;
	const unsigned char *start, *point, *end;
	uint64_t m = 0;
	unsigned c;

	if (p < e && *p == '-')
		p++;
	start = p;
	while (p < e && (c = *p - (unsigned)'0') <= 9) {
		m = m * 10 + c;
		p++;
	}
	point = p;
	if (point == start || (*start == '0' && point - start > 1) ||
	    p == e || (*p != ',' && *p != '.'))
		return 0;
	for (p++; p < e && (c = *p - (unsigned)'0') <= 9; p++)
		m = m * 10 + c;
	if (p != e || p - point == 1 || p - start > 16)
		return 0;
	/* Trailing zeros off (and the point, when they were all). */
	for (end = e; end[-1] == '0'; end--)
		m /= 10;
	if (end - point == 1)
		end = point;
	if (m == 0 || (end > point && end - point - 1 > prec))
		return 0;
	memcpy(buf, s, (size_t)(end - (const unsigned char *)s));
	buf[end - (const unsigned char *)s] = '\0';
	if (end > point)
		buf[point - (const unsigned char *)s] = '.';
	*val = (double)m / pow10[end > point ? end - point - 1 : 0];
	if (start > (const unsigned char *)s)
		*val = -*val;
	return 1;
}

/* pn_decimal() but for its common case, apart to keep that one small. */
static int __attribute__((noinline))
decimal_general(const char *s, size_t len, int prec, char *buf, double *val)
{
	char dig[DEC_DIGITS_MAX + DEC_INT_MAX + 2];
	size_t i = 0, ndig = 0, o = 0, k;
	long point, exp = 0;
	int neg = 0, any = 0, esign = 1;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (ndig == DEC_DIGITS_MAX)
			return -1;
		dig[ndig++] = s[i];
		any = 1;
	}
	point = (long)ndig;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (ndig == DEC_DIGITS_MAX)
				return -1;
			dig[ndig++] = s[i];
			any = 1;
		}
	}
	if (!any)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			esign = s[i++] == '-' ? -1 : 1;
		if (i == len)
			return -1;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if ((exp = exp * 10 + (s[i] - '0')) > 40)
				return -1;
		point += esign * exp;
	}
	if (i != len)
		return -1;

	/* Leading zeros off; then pad so that 0 <= point <= ndig. */
	for (k = 0; (long)k < point && k < ndig && dig[k] == '0'; k++)
		;
	if (k > 0) {
		memmove(dig, dig + k, ndig - k);
		ndig -= k;
		point -= (long)k;
	}
	if (point < 0) {
		if (ndig + (size_t)-point > DEC_DIGITS_MAX)
			return -1;
		memmove(dig + -point, dig, ndig);
		memset(dig, '0', (size_t)-point);
		ndig += (size_t)-point;
		point = 0;
	}
	if (point > DEC_INT_MAX)
		return -1;
	while ((long)ndig < point)
		dig[ndig++] = '0';

	/* Round half away from zero: only the first dropped digit counts. */
	if ((long)ndig - point > prec) {
		int up = dig[point + prec] >= '5';

		ndig = (size_t)(point + prec);
		for (k = ndig; up && k > 0; k--) {
			if (dig[k - 1] == '9')
				dig[k - 1] = '0';
			else {
				dig[k - 1]++;
				up = 0;
			}
		}
		if (up) {
			memmove(dig + 1, dig, ndig++);
			dig[0] = '1';
			point++;
		}
	}
	while ((long)ndig > point && dig[ndig - 1] == '0')
		ndig--;
	for (k = 0; k < ndig && dig[k] == '0'; k++)
		;
	if (neg && k < ndig)
		buf[o++] = '-';
	if (point == 0)
		buf[o++] = '0';
	memcpy(buf + o, dig, (size_t)point);
	o += (size_t)point;
	if ((long)ndig > point) {
		buf[o++] = '.';
		memcpy(buf + o, dig + point, ndig - (size_t)point);
		o += ndig - (size_t)point;
	}
	buf[o] = '\0';
	/*
	 * The value is for range checks only (the text is what is written):
	 * 17 significant digits are plenty, and cheaper than strtod().
	 */
	{
		double d = 0, scale = 1;
		size_t lim = ndig < 17 ? ndig : 17;

		for (k = 0; k < lim; k++)
			d = d * 10 + (dig[k] - '0');
		for (k = lim; k < (size_t)point; k++)
			d *= 10;
		for (k = (size_t)point; k < lim; k++)
			scale *= 10;
		d /= scale;
		*val = neg ? -d : d;
	}
	return 0;
}

int
pn_decimal(const char *s, size_t len, int prec, char *buf, double *val)
{
	if (decimal_as_is(s, len, prec, buf, val))
		return 0;
	return decimal_general(s, len, prec, buf, val);
}

/* ==== durations ==== */

struct unit {
	const char	*name;
	int		 secs;
};

static const struct unit units[] = {
	{ "s", 1 }, { "sec", 1 }, { "secs", 1 }, { "second", 1 },
	{ "seconds", 1 }, { "с", 1 }, { "сек", 1 }, { "секунда", 1 },
	{ "секунды", 1 }, { "секунд", 1 },
	{ "m", 60 }, { "min", 60 }, { "mins", 60 }, { "minute", 60 },
	{ "minutes", 60 }, { "м", 60 }, { "мин", 60 }, { "минута", 60 },
	{ "минуты", 60 }, { "минут", 60 },
	{ "h", 3600 }, { "hr", 3600 }, { "hrs", 3600 }, { "hour", 3600 },
	{ "hours", 3600 }, { "ч", 3600 }, { "час", 3600 }, { "часа", 3600 },
	{ "часов", 3600 },
	{ "d", 86400 }, { "day", 86400 }, { "days", 86400 }, { "д", 86400 },
	{ "дн", 86400 }, { "день", 86400 }, { "дня", 86400 },
	{ "дней", 86400 }, { "сут", 86400 }, { "сутки", 86400 },
	{ "суток", 86400 },
	{ "w", 604800 }, { "week", 604800 }, { "weeks", 604800 },
	{ "нед", 604800 }, { "неделя", 604800 }, { "недели", 604800 },
	{ "недель", 604800 },
	{ NULL, 0 }
};

/* Seconds per unit for the word s[0..len), case-insensitively; 0 if none. */
static int
unit_secs(const char *s, size_t len)
{
	char low[64];
	size_t i, o = 0, n;
	unsigned long cp;
	const struct unit *u;

	for (i = 0; i < len; i += n) {
		n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (n == 0 || o + 4 >= sizeof(low))
			return 0;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		else if (cp >= 0x410 && cp <= 0x42f)	/* А..Я */
			cp += 0x20;
		else if (cp == 0x401)			/* Ё */
			cp = 0x451;
		o += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
		    (utf8proc_uint8_t *)low + o);
	}
	low[o] = '\0';
	for (u = units; u->name != NULL; u++)
		if (strcmp(u->name, low) == 0)
			return u->secs;
	return 0;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* "H:MM:SS" or "H:MM". */
static int
clock_duration(const char *s, size_t len, int64_t *secs)
{
	int64_t part[3] = { 0, 0, 0 };
	size_t i = 0, np = 0, nd;

	for (;;) {
		for (nd = 0; i < len && is_digit(s[i]); i++, nd++)
			if (nd < 9)
				part[np] = part[np] * 10 + (s[i] - '0');
		if (nd == 0 || nd > 9 || (np > 0 && nd != 2))
			return -1;
		np++;
		if (i == len)
			break;
		if (s[i] != ':' || np == 3)
			return -1;
		i++;
	}
	if (np < 2 || part[1] > 59 || part[2] > 59)
		return -1;
	*secs = part[0] * 3600 + part[1] * 60 + part[2];
	return *secs <= DURATION_MAX ? 0 : -1;
}

int
pn_duration(const char *s, size_t len, int64_t *secs)
{
	double total = 0, num, scale;
	size_t i = 0, w;
	int ntok = 0, bare = 0, u;
	int64_t n = 0;

	/* The common case: a bare number of seconds, below DURATION_MAX. */
	for (i = 0; i < len && i < 9 && is_digit(s[i]); i++)
		n = n * 10 + (s[i] - '0');
	if (i == len && len > 0) {
		*secs = n;
		return 0;
	}
	i = 0;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (i < len && s[i] == ' ')
		i++;
	if (i == len)
		return -1;
	if (memchr(s + i, ':', len - i) != NULL)
		return clock_duration(s + i, len - i, secs);
	while (i < len) {
		if (!is_digit(s[i]))
			return -1;
		num = 0;
		for (; i < len && is_digit(s[i]); i++)
			if ((num = num * 10 + (s[i] - '0')) > 1e12)
				return -1;
		if (i + 1 < len && (s[i] == '.' || s[i] == ',') &&
		    is_digit(s[i + 1])) {
			for (i++, scale = 0.1; i < len && is_digit(s[i]);
			    i++, scale /= 10)
				num += (s[i] - '0') * scale;
		}
		while (i < len && s[i] == ' ')
			i++;
		for (w = i; w < len && !is_digit(s[w]) && s[w] != ' ' &&
		    s[w] != '.' && s[w] != ','; w++)
			;
		if (w == i) {
			/* A bare number is seconds, but only on its own. */
			if (ntok > 0 || i < len)
				return -1;
			bare = 1;
			u = 1;
		} else if ((u = unit_secs(s + i, w - i)) == 0)
			return -1;
		if (bare && num != (double)(int64_t)num)
			return -1;
		total += num * u;
		if (total > DURATION_MAX)
			return -1;
		ntok++;
		i = w;
		while (i < len && (s[i] == ' ' || s[i] == '.' || s[i] == ','))
			i++;
	}
	*secs = (int64_t)(total + 0.5);
	return 0;
}

/* ==== UUIDv5 ==== */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
pn_uuid_parse(const char *s, unsigned char out[16])
{
	static const struct {
		const char	*name;
		const char	*uuid;
	} known[] = {
		{ "dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8" },
		{ "url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8" },
		{ "oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8" },
		{ "x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8" },
	};
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(s, known[i].name) == 0)
			s = known[i].uuid;
	if (strlen(s) != 36)
		return -1;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		if ((hi = hexval(s[i])) < 0 || (lo = hexval(s[i + 1])) < 0)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | lo);
		i++;
	}
	return 0;
}

void
pn_uuid5(const unsigned char ns[16], const char *name, size_t len,
    char out[37])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[20];
	struct sha1 h;
	size_t i, o = 0;

	sha1_init(&h);
	sha1_update(&h, ns, 16);
	sha1_update(&h, name, len);
	sha1_final(&h, d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x50);	/* version 5 */
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[d[i] >> 4];
		out[o++] = hex[d[i] & 0xf];
	}
	out[o] = '\0';
}

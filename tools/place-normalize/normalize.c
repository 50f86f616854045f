/*
 * normalize.c: turn one mapped partner row into a place object, or say
 * exactly why it can't be one.  No I/O here: this is the fuzz target.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "common/errors.h"
#include "tools/place-normalize/normalize.h"
#include "tools/place-normalize/sha1.h"

#define ID_MAX_CHARS	48
#define DURATION_MAX	1000000000	/* seconds: about 31 years */
#define LIST_MAX	1024		/* items of one list cell */

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

int
pn_clean_text(const char *s, size_t len, struct arena *a, const char **out,
    size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	unsigned c;
	size_t i, n, o;
	char *buf;
	int space = 0, nfc = 0;

	/*
	 * Fast path: text that is already clean (printable ASCII, Latin-1
	 * letters, Cyrillic; single inner spaces) is used as it is.
	 */
	for (i = 0; i < len;) {
		c = p[i];
		if (c - 0x21U < 0x5eU) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* Eight bytes of printable ASCII and single spaces. */
			if (i + 8 < len) {
				uint64_t w, t, sp;

				memcpy(&w, p + i, 8);
				t = w ^ 0x2020202020202020ULL;
				sp = ~(((t & 0x7f7f7f7f7f7f7f7fULL) +
				    0x7f7f7f7f7f7f7f7fULL) | t) &
				    0x8080808080808080ULL;
				if (((((w - 0x2020202020202020ULL) & ~w) |
				    (w + 0x0101010101010101ULL) | w) &
				    0x8080808080808080ULL) == 0 &&
				    (sp & (sp >> 8)) == 0 &&
				    !((sp >> 63) && p[i + 8] == ' ')) {
					i += 8;
					continue;
				}
			}
#endif
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

static size_t
utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* ==== numbers ==== */

#define DEC_DIGITS_MAX	400
#define DEC_INT_MAX	20

int
pn_decimal(const char *s, size_t len, int prec, char *buf, double *val)
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

/* ==== the row ==== */

/* A cleaned cell; value NULL when the column is unmapped or missing. */
struct cell {
	const char			*s;
	size_t				 len;
	const struct json_value		*raw;
};

static int
reject(struct pn_result *r, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
reject(struct pn_result *r, const char *code, const char *fmt, ...)
{
	va_list ap;

	r->code = code;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	return 0;
}

/* How much of s to quote in a message: at most 40 bytes, whole characters. */
static int
quote_len(const char *s, size_t len)
{
	if (len <= 40)
		return (int)len;
	len = 40;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return (int)len;
}

static const struct json_value *
field_value(const struct pn_map *m, const struct record *rec,
    const char *name, long idx)
{
	if (name == NULL)
		return NULL;
	if (idx >= 0 && (size_t)idx < rec->nfields &&
	    (rec->fields[idx].name == name ||
	    strcmp(rec->fields[idx].name, name) == 0))
		return &rec->fields[idx].value;
	(void)m;
	return record_get(rec, name);
}

/*
 * Fetch and clean the cell of column name.  Returns 1 (c->s set, possibly
 * empty), 0 (no such value), or -1 with r filled (bad UTF-8, a nested
 * JSON value where text belongs).
 */
static int
get_cell(const struct pn_map *m, const struct record *rec, const char *name,
    long idx, struct arena *a, struct cell *c, struct pn_result *r,
    int list_ok)
{
	const struct json_value *v;
	const char *s;
	size_t len;

	c->s = "";
	c->len = 0;
	c->raw = v = field_value(m, rec, name, idx);
	if (v == NULL || v->type == JSON_NULL)
		return 0;
	if (v->type == JSON_ARRAY && list_ok)
		return 1;
	if (!json_value_text(v, &s, &len))
		return -1 + reject(r, "bad_value", "column %s holds a JSON %s, "
		    "not text", name, v->type == JSON_ARRAY ? "array" :
		    "object");
	/* Only strings are known to be NUL-terminated (see str_value()). */
	if (v->type != JSON_STRING)
		s = arena_strndup(a, s, len);
	if (pn_clean_text(s, len, a, &c->s, &c->len) == -1)
		return -1 + reject(r, "bad_utf8", "invalid UTF-8 in column %s",
		    name);
	return 1;
}

static struct json_value
str_value(struct arena *a, const char *s, size_t len)
{
	struct json_value v;

	/*
	 * Cleaned text is a record's string (NUL-terminated) or our own
	 * copy: no need to copy it again.
	 */
	if (s[len] == '\0') {
		v.type = JSON_STRING;
		v.len = len;
		v.u.str = s;
		return v;
	}
	return json_make_string(a, s, len);
}

/* Split a list cell (or take a JSON array) into clean, unique items. */
static int
make_list(const struct pn_config *cf, const char *name, const struct cell *c,
    struct arena *a, struct json_value *out, struct pn_result *r)
{
	struct json_value items[LIST_MAX];
	unsigned char sep[32];
	const char *p, *end, *q, *t;
	size_t n = 0, i, j, tl;

	/* The separators as a bit set: one test per byte. */
	memset(sep, 0, sizeof(sep));
	for (p = cf->list_sep; *p != '\0'; p++)
		sep[(unsigned char)*p >> 3] |= 1 << ((unsigned char)*p & 7);

	if (c->raw != NULL && c->raw->type == JSON_ARRAY) {
		for (j = 0; j < c->raw->len; j++) {
			const struct json_value *it = &c->raw->u.items[j];
			const char *s;
			size_t len;

			if (!json_value_text(it, &s, &len))
				return reject(r, "bad_value", "column %s holds "
				    "a nested value in its list", name);
			if (pn_clean_text(s, len, a, &t, &tl) == -1)
				return reject(r, "bad_utf8", "invalid UTF-8 "
				    "in column %s", name);
			if (tl == 0)
				continue;
			for (i = 0; i < n; i++)
				if (items[i].len == tl &&
				    memcmp(items[i].u.str, t, tl) == 0)
					break;
			if (i < n)
				continue;
			if (n == LIST_MAX)
				return reject(r, "bad_value", "column %s holds "
				    "more than %d items", name, LIST_MAX);
			items[n++] = json_make_string(a, t, tl);
		}
	} else {
		end = c->s + c->len;
		for (p = c->s; p < end; p = q + 1) {
			for (q = p; q < end && !(sep[(unsigned char)*q >> 3] &
			    (1 << ((unsigned char)*q & 7))); q++)
				;
			/* Pieces of clean text need only a trim. */
			t = p;
			tl = (size_t)(q - p);
			while (tl > 0 && *t == ' ') {
				t++;
				tl--;
			}
			while (tl > 0 && t[tl - 1] == ' ')
				tl--;
			if (tl > 0) {
				for (i = 0; i < n; i++)
					if (items[i].len == tl &&
					    memcmp(items[i].u.str, t, tl) == 0)
						break;
				if (i == n) {
					if (n == LIST_MAX)
						return reject(r, "bad_value",
						    "column %s holds more than "
						    "%d items", name, LIST_MAX);
					items[n++] = json_make_string(a, t, tl);
				}
			}
			if (q == end)
				break;
		}
	}
	out->type = JSON_ARRAY;
	out->len = n;
	out->u.items = arena_alloc(a, (n ? n : 1) * sizeof(*items));
	memcpy(out->u.items, items, n * sizeof(*items));
	return 1;
}

/*
 * Split "55.69, 37.55", "55,69 37,55", "55.69;37.55" or "55.69,37.55" into
 * two pieces.  Returns 0, or -1 when there is no clear split.
 */
static int
split_pair(const char *s, size_t len, const char **a, size_t *alen,
    const char **b, size_t *blen)
{
	const char *sep = NULL, *end = s + len, *p;
	size_t ncomma = 0, i, seplen = 1;

	if ((sep = memchr(s, ';', len)) == NULL &&
	    (sep = memchr(s, ' ', len)) == NULL) {
		for (i = 0; i < len; i++)
			if (s[i] == ',')
				ncomma++;
		/* One comma splits; three are two decimal commas around it. */
		if (ncomma != 1 && ncomma != 3)
			return -1;
		for (p = s, i = 0; p < end; p++)
			if (*p == ',' && ++i == (ncomma == 1 ? 1 : 2))
				break;
		sep = p;
	}
	*a = s;
	*alen = (size_t)(sep - s);
	*b = sep + seplen;
	*blen = (size_t)(end - *b);
	/* "55.69, 37.55" and "55.69 ;37.55": the separator's neighbours. */
	while (*alen > 0 && ((*a)[*alen - 1] == ' ' || (*a)[*alen - 1] == ',' ||
	    (*a)[*alen - 1] == ';'))
		(*alen)--;
	while (*blen > 0 && (**b == ' ' || **b == ',' || **b == ';')) {
		(*b)++;
		(*blen)--;
	}
	return *alen > 0 && *blen > 0 ? 0 : -1;
}

static int
in_bbox(const struct pn_config *c, double lat, double lng)
{
	return lat >= c->bbox[0] && lat <= c->bbox[2] &&
	    lng >= c->bbox[1] && lng <= c->bbox[3];
}

/* Coordinates from lat/lng or one cell: 1 (*have set), or 0 rejected. */
static int
make_coords(const struct pn_config *cf, const struct cell *lat,
    const struct cell *lng, const struct cell *both, char *latbuf,
    char *lngbuf, int *have, struct pn_result *r)
{
	const char *as, *bs;
	size_t al, bl;
	double la, lo, t;
	char tmp[64];
	int swap = 0;

	*have = 0;
	if (lat->len > 0 || lng->len > 0) {
		if (lat->len == 0)
			return reject(r, "bad_lat", "missing latitude");
		if (lng->len == 0)
			return reject(r, "bad_lng", "missing longitude");
		if (pn_decimal(lat->s, lat->len, cf->precision, latbuf,
		    &la) == -1)
			return reject(r, "bad_lat", "bad latitude \"%.*s\"",
			    quote_len(lat->s, lat->len), lat->s);
		if (pn_decimal(lng->s, lng->len, cf->precision, lngbuf,
		    &lo) == -1)
			return reject(r, "bad_lng", "bad longitude \"%.*s\"",
			    quote_len(lng->s, lng->len), lng->s);
	} else if (both->len > 0) {
		if (split_pair(both->s, both->len, &as, &al, &bs, &bl) == -1 ||
		    pn_decimal(as, al, cf->precision, latbuf, &la) == -1 ||
		    pn_decimal(bs, bl, cf->precision, lngbuf, &lo) == -1)
			return reject(r, "bad_coordinates", "bad coordinates "
			    "\"%.*s\"", quote_len(both->s, both->len),
			    both->s);
	} else
		return 1;

	if (la == 0 && lo == 0)
		return reject(r, "zero_coordinates", "coordinates are 0,0");
	if (la < -90 || la > 90 || lo < -180 || lo > 180) {
		/* Out of range: a swap is the fix only if it is valid. */
		if (lo >= -90 && lo <= 90 && la >= -180 && la <= 180 &&
		    (!cf->have_bbox || in_bbox(cf, lo, la)))
			swap = 1;
		else if (la < -90 || la > 90)
			return reject(r, "bad_lat", "latitude %s out of range",
			    latbuf);
		else
			return reject(r, "bad_lng", "longitude %s out of "
			    "range", lngbuf);
	} else if (cf->have_bbox && !in_bbox(cf, la, lo) &&
	    lo >= -90 && lo <= 90 && in_bbox(cf, lo, la))
		swap = 1;
	if (swap) {
		if (!cf->fix_swap)
			return reject(r, "swapped_coordinates", "latitude and "
			    "longitude swapped (%s, %s)", latbuf, lngbuf);
		memcpy(tmp, latbuf, 64);
		memcpy(latbuf, lngbuf, 64);
		memcpy(lngbuf, tmp, 64);
		t = la;
		la = lo;
		lo = t;
		r->swapped = 1;
	}
	*have = 1;
	return 1;
}

/* Members of an object under construction. */
struct obj {
	struct json_member	m[16];
	size_t			n;
};

static void
obj_add(struct obj *o, const char *name, struct json_value v)
{
	o->m[o->n].name = name;
	o->m[o->n].name_len = strlen(name);
	o->m[o->n].value = v;
	o->n++;
}

static struct json_value
obj_done(struct obj *o, struct arena *a)
{
	struct json_value v;

	v.type = JSON_OBJECT;
	v.len = o->n;
	v.u.members = arena_alloc(a, (o->n ? o->n : 1) * sizeof(o->m[0]));
	memcpy(v.u.members, o->m, o->n * sizeof(o->m[0]));
	return v;
}

static struct json_value
int_value(struct arena *a, int64_t n)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (n < 0)
		*--p = '-';
	return json_make_number(a, p, (size_t)(buf + sizeof(buf) - p));
}

/* The id: kept, built from --id-from columns, or a UUIDv5 of the key. */
static int
make_id(const struct pn_config *cf, const struct pn_map *m,
    const struct record *rec, const struct cell *idc, struct arena *a,
    struct pn_result *r)
{
	struct strbuf key = STRBUF_INIT;
	struct cell part;
	const char *k = idc->s;
	size_t i, klen = idc->len;
	char uuid[37];
	int rc;

	if (m->nidfrom > 0) {
		for (i = 0; i < m->nidfrom; i++) {
			rc = get_cell(m, rec, m->idfrom[i], m->idfrom_idx[i], a,
			    &part, r, 0);
			if (rc == -1) {
				strbuf_release(&key);
				return 0;
			}
			if (part.len == 0) {
				strbuf_release(&key);
				return reject(r, "missing_id", "empty id "
				    "column %s", m->idfrom[i]);
			}
			if (i > 0)
				strbuf_addch(&key, '-');
			strbuf_add(&key, part.s, part.len);
		}
		k = arena_strndup(a, key.buf, key.len);
		klen = key.len;
		strbuf_release(&key);
	}
	if (cf->have_ns) {
		if (klen == 0)
			return reject(r, "missing_id", "no key to derive an id "
			    "from");
		pn_uuid5(cf->ns, k, klen, uuid);
		r->id = arena_strndup(a, uuid, 36);
		r->id_len = 36;
		return 1;
	}
	if (klen == 0)
		return 1;
	if (utf8_chars(k, klen) > ID_MAX_CHARS)
		return reject(r, "id_too_long", "id longer than %d characters "
		    "\"%.*s...\"", ID_MAX_CHARS, quote_len(k, klen), k);
	r->id = k;
	r->id_len = klen;
	return 1;
}

static int
is_mapped_column(const struct pn_map *m, const struct record *rec, size_t i)
{
	const char *name = rec->fields[i].name;
	size_t j;

	if (i < m->ncols && (m->cols[i] == name || strcmp(m->cols[i],
	    name) == 0))
		return m->used[i];
	for (j = 0; j < m->ncols; j++)
		if (strcmp(m->cols[j], name) == 0)
			return m->used[j];
	return 0;
}

int
place_normalize(const struct pn_config *cf, const struct pn_map *m,
    const struct record *rec, struct arena *a, struct pn_result *r)
{
	struct cell c[PF_NFIELDS];
	struct obj place, loc, coords, addr, extra;
	struct json_value v;
	char latbuf[64], lngbuf[64];
	int64_t arrive = 0, depart = 0;
	int f, have_coords;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->place.type = JSON_NULL;
	if (rec->problem_code != NULL)
		return reject(r, rec->problem_code, "%s", rec->problem != NULL ?
		    rec->problem : rec->problem_code);
	for (f = 0; f < PF_NFIELDS; f++)
		if (get_cell(m, rec, m->col[f], m->idx[f], a, &c[f], r,
		    f == PF_TAGS || f == PF_TRANSPORT) == -1)
			return 0;

	if (c[PF_TITLE].len == 0)
		return reject(r, "missing_title", "missing title");
	if (!make_id(cf, m, rec, &c[PF_ID], a, r))
		return 0;
	if (!make_coords(cf, &c[PF_LAT], &c[PF_LNG], &c[PF_COORDS], latbuf,
	    lngbuf, &have_coords, r))
		return 0;
	if (c[PF_ARRIVAL].len > 0 && pn_duration(c[PF_ARRIVAL].s,
	    c[PF_ARRIVAL].len, &arrive) == -1)
		return reject(r, "bad_duration", "bad arrival duration "
		    "\"%.*s\"", quote_len(c[PF_ARRIVAL].s, c[PF_ARRIVAL].len),
		    c[PF_ARRIVAL].s);
	if (c[PF_DEPARTURE].len > 0 && pn_duration(c[PF_DEPARTURE].s,
	    c[PF_DEPARTURE].len, &depart) == -1)
		return reject(r, "bad_duration", "bad departure duration "
		    "\"%.*s\"", quote_len(c[PF_DEPARTURE].s,
		    c[PF_DEPARTURE].len), c[PF_DEPARTURE].s);

	place.n = loc.n = coords.n = addr.n = extra.n = 0;
	if (r->id != NULL)
		obj_add(&place, "id", json_make_string(a, r->id, r->id_len));
	obj_add(&place, "title", str_value(a, c[PF_TITLE].s, c[PF_TITLE].len));
	if (c[PF_CONTRACTOR].len > 0)
		obj_add(&place, "contractorId", str_value(a,
		    c[PF_CONTRACTOR].s, c[PF_CONTRACTOR].len));
	if (c[PF_COMMENT].len > 0)
		obj_add(&place, "comment", str_value(a, c[PF_COMMENT].s,
		    c[PF_COMMENT].len));
	if (c[PF_TAGS].len > 0 || c[PF_TAGS].raw != NULL) {
		if (!make_list(cf, m->col[PF_TAGS], &c[PF_TAGS], a, &v, r))
			return 0;
		if (v.len > 0)
			obj_add(&place, "tags", v);
	}

	if (have_coords) {
		obj_add(&coords, "lat", json_make_number(a, latbuf,
		    strlen(latbuf)));
		obj_add(&coords, "lng", json_make_number(a, lngbuf,
		    strlen(lngbuf)));
		obj_add(&loc, "coordinates", obj_done(&coords, a));
	}
	if (c[PF_ADDRESS].len > 0) {
		struct json_value arr;

		if (c[PF_LOCALE].len > 0)
			obj_add(&addr, "locale", str_value(a, c[PF_LOCALE].s,
			    c[PF_LOCALE].len));
		else if (cf->locale != NULL)
			obj_add(&addr, "locale", json_make_string(a,
			    cf->locale, strlen(cf->locale)));
		obj_add(&addr, "address", str_value(a, c[PF_ADDRESS].s,
		    c[PF_ADDRESS].len));
		arr.type = JSON_ARRAY;
		arr.len = 1;
		arr.u.items = arena_alloc(a, sizeof(*arr.u.items));
		arr.u.items[0] = obj_done(&addr, a);
		obj_add(&loc, "addresses", arr);
	}
	if (c[PF_ARRIVAL].len > 0)
		obj_add(&loc, "arrivalDuration", int_value(a, arrive));
	if (c[PF_DEPARTURE].len > 0)
		obj_add(&loc, "departureDuration", int_value(a, depart));
	if (c[PF_TRANSPORT].len > 0 || c[PF_TRANSPORT].raw != NULL) {
		if (!make_list(cf, m->col[PF_TRANSPORT], &c[PF_TRANSPORT], a,
		    &v, r))
			return 0;
		if (v.len > 0)
			obj_add(&loc, "transportRestrictions", v);
	}
	if (loc.n > 0)
		obj_add(&place, "location", obj_done(&loc, a));

	if (cf->keep_extra) {
		struct json_member *xm = NULL;
		size_t nx = 0;
		struct cell xc;

		for (i = 0; i < rec->nfields; i++) {
			if (is_mapped_column(m, rec, i))
				continue;
			if (get_cell(m, rec, rec->fields[i].name, (long)i, a,
			    &xc, r, 0) == -1)
				return 0;
			if (xc.len == 0)
				continue;
			if (xm == NULL)
				xm = arena_alloc(a, rec->nfields *
				    sizeof(*xm));
			xm[nx].name = rec->fields[i].name;
			xm[nx].name_len = rec->fields[i].name_len;
			xm[nx].value = str_value(a, xc.s, xc.len);
			nx++;
		}
		if (nx > 0) {
			v.type = JSON_OBJECT;
			v.len = nx;
			v.u.members = xm;
			obj_add(&place, "extra", v);
		}
	}
	r->place = obj_done(&place, a);
	return 1;
}

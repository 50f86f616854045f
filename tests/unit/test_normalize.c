/*
 * test_normalize.c: place-normalize's value parsers where they have fast
 * paths: pn_clean_text() (eight bytes at a time through clean ASCII and
 * Cyrillic) against a reference written from its contract, and
 * pn_decimal() (clean decimals copied as they are) against its general
 * path, reached through other spellings of the same number; and
 * pn_place_write() against json_write_value() of pn_place_value().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "common/arena.h"
#include "common/json_writer.h"
#include "common/strbuf.h"
#include "tools/place-normalize/normalize.h"
#include "tests/unit/tap.h"

/* ==== pn_clean_text ==== */

/*
 * The contract of pn_clean_text(), spelled out slowly: drop control and
 * invisible characters, trim, one space for each whitespace run, NFC.
 * s is valid UTF-8 here.
 */
static char *
ref_clean(const char *s, size_t len)
{
	char *buf = malloc(len + 1), *norm;
	size_t i = 0, o = 0;
	int space = 0;

	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate(
		    (const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i),
		    &c);

		if (n <= 0)
			abort();
		i += (size_t)n;
		if (c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 ||
		    c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
		    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
		    c == 0x3000) {
			space = o > 0;
			continue;
		}
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x200b ||
		    c == 0xfeff)
			continue;
		if (space)
			buf[o++] = ' ';
		space = 0;
		memcpy(buf + o, s + i - (size_t)n, (size_t)n);
		o += (size_t)n;
	}
	buf[o] = '\0';
	norm = (char *)utf8proc_NFC((const utf8proc_uint8_t *)buf);
	free(buf);
	return norm;
}

static const char *
clean(struct arena *a, const char *s, const char **out)
{
	size_t outlen;
	char *z;

	if (pn_clean_text(s, strlen(s), a, out, &outlen) == -1)
		return "(invalid)";
	z = arena_alloc(a, outlen + 1);
	memcpy(z, *out, outlen);
	z[outlen] = '\0';
	return z;
}

static void
test_clean_cases(void)
{
	/* Lengths that put the odd byte at every place of a word. */
	static const char *const base = "Магазин Egor Ivanova, ул. Ленина 22";
	struct arena a = ARENA_INIT;
	const char *out;
	char s[256], want[256];
	size_t n = strlen(base), i;

	is_str(clean(&a, base, &out), base, "clean Cyrillic text as it is");
	ok(out == base, "clean text is not copied");
	is_str(clean(&a, "ёЁйЙ ъЪ ѢѣѲѳ Ѱѱ", &out), "ёЁйЙ ъЪ ѢѣѲѳ Ѱѱ",
	    "0xd1 letters and old Cyrillic are clean");
	for (i = 0; i < n; i++) {
		int bad = 0;

		/* A second space at i. */
		if (base[i] == ' ') {
			snprintf(s, sizeof(s), "%.*s %s", (int)i, base,
			    base + i);
			is_str(clean(&a, s, &out), base, "double space at %zu",
			    i);
			bad |= strcmp(out, base) != 0;
		}
		/* A tab after byte i (inside a character: skip). */
		if (((unsigned char)base[i] & 0xc0) != 0x80) {
			snprintf(s, sizeof(s), "%.*s\t%s", (int)i, base,
			    base + i);
			snprintf(want, sizeof(want), "%.*s%s%s", (int)i, base,
			    i > 0 && base[i - 1] != ' ' && base[i] != ' ' ?
			    " " : "", base + i);
			if (i == 0)
				snprintf(want, sizeof(want), "%s", base);
			is_str(clean(&a, s, &out), want, "tab at %zu", i);
			snprintf(s, sizeof(s), "%.*s\x7f%s", (int)i, base,
			    base + i);
			is_str(clean(&a, s, &out), base, "DEL at %zu", i);
			snprintf(s, sizeof(s), "%.*s\xc2\xa0%s", (int)i, base,
			    base + i);
			is_str(clean(&a, s, &out), want, "NBSP at %zu", i);
		}
		(void)bad;
	}
	snprintf(s, sizeof(s), " %s", base);
	is_str(clean(&a, s, &out), base, "leading space");
	snprintf(s, sizeof(s), "%s ", base);
	is_str(clean(&a, s, &out), base, "trailing space");
	is_str(clean(&a, "12345678 ", &out), "12345678",
	    "trailing space after a word");
	is_str(clean(&a, "1234567  8", &out), "1234567 8",
	    "a space ending a word, another after it");
	is_str(clean(&a, "абв\xd0", &out), "(invalid)", "a lead cut off");
	is_str(clean(&a, "абвгд\xd0\xd0\xb0xyz", &out), "(invalid)",
	    "a lead without its continuation");
	is_str(clean(&a, "абвгдеж\x80xyz", &out), "(invalid)",
	    "a continuation without its lead");
	is_str(clean(&a, "Cafe\xcc\x81 12345678", &out), "Caf\xc3\xa9 12345678",
	    "NFC composes");
	arena_release(&a);
}

/* Random text of pieces that each fast path treats differently. */
static void
test_clean_random(void)
{
	static const char *const piece[] = {
		"a", "Z", "7", "~", " ", " ", "д", "Я", "ё", "Ѳ", "\t", "\n",
		"\xc2\xa0", "\xc3\xa9", "\x7f", "\x01", "\xcc\x81",
		"\xe2\x80\x8b", "\xef\xbb\xbf", "\xe2\x80\x94", "\xc2\x85",
		"\xd4\xaf", "\xe2\x80\xaf", "\xe3\x80\x80", "\xf0\x9f\x98\x80",
	};
	struct arena a = ARENA_INIT;
	uint64_t x = 88172645463325252ULL;
	char s[512];
	size_t n, len, t, outlen, k, bad = 0;
	const char *out;
	char *want;

	for (t = 0; t < 200000; t++) {
		len = 0;
		n = (size_t)(x % 40);
		for (k = 0; k < n; k++) {
			const char *p;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Mostly clean pieces, so that words are clean. */
			p = piece[x % 16 < 12 ? x % 10 : (x >> 8) %
			    (sizeof(piece) / sizeof(piece[0]))];
			memcpy(s + len, p, strlen(p));
			len += strlen(p);
		}
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		s[len] = '\0';
		want = ref_clean(s, len);
		if (pn_clean_text(s, len, &a, &out, &outlen) == -1 ||
		    outlen != strlen(want) || memcmp(out, want, outlen) != 0) {
			if (bad++ == 0)
				printf("# '%s': got '%.*s', want '%s'\n", s,
				    (int)outlen, out, want);
		}
		free(want);
		arena_reset(&a);
	}
	ok(bad == 0, "pn_clean_text agrees with its contract on 200000 "
	    "random texts (%zu differ)", bad);
	arena_release(&a);
}

/* ==== pn_decimal ==== */

static const char *
dec(const char *s, double *val)
{
	static char buf[64];

	if (pn_decimal(s, strlen(s), 7, buf, val) == -1)
		return "(bad)";
	return buf;
}

static void
test_decimal_cases(void)
{
	static const char *const c[][2] = {
		{ "55,692789", "55.692789" }, { "55.692789", "55.692789" },
		{ "-37,5", "-37.5" }, { "0,5", "0.5" }, { "-0,5", "-0.5" },
		{ "55", "55" }, { "55,", "55" }, { ",5", "0.5" },
		{ "55,6927890", "55.692789" }, { "55,12345678", "55.1234568" },
		{ "55,12345675", "55.1234568" }, { "55,12345674", "55.1234567" },
		{ "-55,99999999", "-56" }, { "007,5", "7.5" }, { "+7,5", "7.5" },
		{ "-0,00000001", "0" }, { "0", "0" }, { "-0", "0" },
		{ "0,0", "0" }, { "5.5e1", "55" }, { "1,2,3", "(bad)" },
		{ "", "(bad)" }, { "-", "(bad)" }, { "5 5", "(bad)" },
		{ "12345678901234567,5", "12345678901234567.5" },
		{ "55,6x", "(bad)" },
	};
	double v;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		is_str(dec(c[i][0], &v), c[i][1], "pn_decimal(\"%s\")",
		    c[i][0]);
	dec("55,692789", &v);
	ok(v == 55.692789, "55,692789 is 55.692789");
	dec("-37,5", &v);
	ok(v == -37.5, "-37,5 is -37.5");
}

/*
 * Random decimals give the same text and value as the spellings with a
 * leading '+' or zero, which take the general path.
 */
static void
test_decimal_random(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	char s[64], t[72], a[64], b[64];
	double va, vb;
	size_t i, k, n, bad = 0;
	int ra, rb, prec;

	for (i = 0; i < 200000; i++) {
		n = 0;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (x & 1)
			s[n++] = '-';
		for (k = (x >> 1) % 10; k > 0; k--)
			s[n++] = (char)('0' + (x >> (8 + 4 * k)) % 10);
		if ((x >> 40) % 8 != 0)
			s[n++] = (x >> 43) & 1 ? ',' : '.';
		for (k = (x >> 44) % 11; k > 0; k--)
			s[n++] = (char)('0' + (x >> (k * 2)) % 10);
		s[n] = '\0';
		if (strpbrk(s, "0123456789") == NULL)
			continue;
		prec = (int)((x >> 50) % 9);
		ra = pn_decimal(s, n, prec, a, &va);
		if (s[0] == '-')
			snprintf(t, sizeof(t), "-0%s", s + 1);
		else
			snprintf(t, sizeof(t), "+0%s", s);
		rb = pn_decimal(t, strlen(t), prec, b, &vb);
		if (ra != rb || (ra == 0 && (strcmp(a, b) != 0 || va != vb))) {
			if (bad++ == 0)
				printf("# '%s' (prec %d): %d '%s' %.17g, "
				    "'%s': %d '%s' %.17g\n", s, prec, ra, a,
				    va, t, rb, b, vb);
		}
	}
	ok(bad == 0, "pn_decimal: 200000 random decimals as their '+0' "
	    "spelling (%zu differ)", bad);
}

/* ==== pn_place_write ==== */

static uint64_t rnd_state = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Text that needs escapes now and then; NULL-terminated in a. */
static const char *
rnd_text(struct arena *a, size_t *len)
{
	static const char *const piece[] = {
		"a", "Кафе", " ", "\"", "\\", "\n", "\x01", "ё", "7", "/",
	};
	char buf[64];
	size_t n = 0, k = 1 + rnd() % 6;

	while (k-- > 0) {
		const char *p = piece[rnd() % (sizeof(piece) / sizeof(piece[0]))];

		memcpy(buf + n, p, strlen(p));
		n += strlen(p);
	}
	*len = n;
	return arena_strndup(a, buf, n);
}

static struct json_value
rnd_list(struct arena *a)
{
	struct json_value v;
	size_t i;

	v.type = JSON_ARRAY;
	v.len = rnd() % 2 ? rnd() % 4 : 0;
	v.u.items = arena_alloc(a, (v.len + 1) * sizeof(*v.u.items));
	for (i = 0; i < v.len; i++) {
		size_t len;
		const char *t = rnd_text(a, &len);

		v.u.items[i] = json_make_string(a, t, len);
	}
	return v;
}

static void
test_place_write(void)
{
	struct arena a = ARENA_INIT;
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	struct pn_place p;
	struct json_value v;
	size_t t, i, bad = 0;

	for (t = 0; t < 100000; t++) {
		memset(&p, 0, sizeof(p));
		if (rnd() % 4)
			p.id = rnd_text(&a, &p.id_len);
		p.title = rnd_text(&a, &p.title_len);
		if (rnd() % 3 == 0)
			p.contractor = rnd_text(&a, &p.contractor_len);
		if (rnd() % 3 == 0)
			p.comment = rnd_text(&a, &p.comment_len);
		p.tags = rnd_list(&a);
		p.transport = rnd_list(&a);
		if ((p.have_coords = rnd() % 2)) {
			snprintf(p.lat, sizeof(p.lat), "%d.%d",
			    (int)(rnd() % 181) - 90, (int)(rnd() % 1000));
			snprintf(p.lng, sizeof(p.lng), "%d", (int)(rnd() % 361));
		}
		if (rnd() % 2) {
			p.address = rnd_text(&a, &p.address_len);
			if (rnd() % 2)
				p.locale = rnd_text(&a, &p.locale_len);
		}
		if ((p.have_arrival = rnd() % 2))
			p.arrival = (int64_t)(rnd() % 2000000000) - 1000;
		if ((p.have_departure = rnd() % 3 == 0))
			p.departure = rnd() % 2 ? INT64_MIN :
			    (int64_t)(rnd() % 100000);
		if (rnd() % 4 == 0) {
			p.nextra = 1 + rnd() % 2;
			p.extra = arena_alloc(&a, p.nextra * sizeof(*p.extra));
			for (i = 0; i < p.nextra; i++) {
				size_t len;
				const char *t2 = rnd_text(&a, &len);

				p.extra[i].name = rnd_text(&a,
				    &p.extra[i].name_len);
				p.extra[i].value = json_make_string(&a, t2, len);
			}
		}
		v = pn_place_value(&p, &a);
		strbuf_reset(&want);
		json_write_value(&want, &v);
		strbuf_reset(&got);
		pn_place_write(&got, &p);
		if (got.len != want.len || memcmp(got.buf, want.buf,
		    got.len) != 0) {
			if (bad++ == 0)
				printf("# got:  %s\n# want: %s\n", got.buf,
				    want.buf);
		}
		arena_reset(&a);
	}
	ok(bad == 0, "pn_place_write writes what json_write_value writes of "
	    "pn_place_value, 100000 random places (%zu differ)", bad);
	strbuf_release(&want);
	strbuf_release(&got);
	arena_release(&a);
}

/* ==== pn_duration ==== */

static void
test_duration(void)
{
	static const struct {
		const char	*s;
		int		 rc;
		int64_t		 secs;
	} c[] = {
		{ "900", 0, 900 }, { "0900", 0, 900 }, { "0", 0, 0 },
		{ "999999999", 0, 999999999 }, { "1000000000", 0, 1000000000 },
		{ "1000000001", -1, 0 }, { "0000000001", 0, 1 },
		{ " 900 ", 0, 900 }, { "15m", 0, 900 }, { "1h30m", 0, 5400 },
		{ "00:15:00", 0, 900 }, { "15 мин", 0, 900 },
		{ "1,5 ч", 0, 5400 }, { "", -1, 0 }, { "9x", -1, 0 },
		{ "1.5", -1, 0 },
	};
	size_t i;
	int64_t secs;
	int rc;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		secs = -1;
		rc = pn_duration(c[i].s, strlen(c[i].s), &secs);
		ok(rc == c[i].rc && (rc == -1 || secs == c[i].secs),
		    "pn_duration(\"%s\") = %d, %lld", c[i].s, rc,
		    (long long)secs);
	}
}

int
main(void)
{
	test_clean_cases();
	test_clean_random();
	test_decimal_cases();
	test_decimal_random();
	test_place_write();
	test_duration();
	return tap_done();
}

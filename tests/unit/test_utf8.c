/* test_utf8.c: UTF-8 validation (RFC 3629) and encoding. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/utf8.h"
#include "tests/unit/tap.h"

#define CHECK(lit, want, name) \
	is_int(utf8_check(lit, sizeof(lit) - 1), want, name)

static void
test_valid(void)
{
	static const char all[] = "a\xc2\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";
	static const size_t starts[] = { 0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10, 11 };
	size_t i;

	CHECK("", 0, "empty string is valid");
	CHECK("plain ascii text, longer than eight bytes", 41,
	    "ascii is valid");
	CHECK("a\0b", 3, "NUL is valid UTF-8");
	CHECK("\xc2\xa9", 2, "2-byte sequence (U+00A9)");
	CHECK("\xe2\x82\xac", 3, "3-byte sequence (U+20AC)");
	CHECK("\xf0\x9f\x98\x80", 4, "4-byte sequence (U+1F600)");
	CHECK("\x7f", 1, "U+007F");
	CHECK("\xc2\x80", 2, "U+0080, lowest 2-byte");
	CHECK("\xdf\xbf", 2, "U+07FF, highest 2-byte");
	CHECK("\xe0\xa0\x80", 3, "U+0800, lowest 3-byte");
	CHECK("\xed\x9f\xbf", 3, "U+D7FF, just below the surrogates");
	CHECK("\xee\x80\x80", 3, "U+E000, just above the surrogates");
	CHECK("\xef\xbf\xbf", 3, "U+FFFF");
	CHECK("\xf0\x90\x80\x80", 4, "U+10000, lowest 4-byte");
	CHECK("\xf4\x8f\xbf\xbf", 4, "U+10FFFF, highest code point");
	CHECK("\xef\xbb\xbf" "abc", 6, "BOM is a valid character");
	is_int(utf8_check(all, sizeof(all) - 1), sizeof(all) - 1,
	    "mixed 1-4 byte sequences");
	/* Cut anywhere, the check stops at the start of the cut sequence. */
	for (i = 0; i <= sizeof(all) - 1; i++)
		if (utf8_check(all, i) != starts[i])
			break;
	is_int(i, sizeof(all), "every prefix stops at the cut sequence");
}

static void
test_invalid(void)
{
	CHECK("\x80", 0, "lone continuation byte");
	CHECK("abc\xbf", 3, "continuation byte after ascii: offset 3");
	CHECK("\xc0\xaf", 0, "overlong 2-byte '/' (c0 af)");
	CHECK("\xc1\xbf", 0, "overlong 2-byte (c1 bf)");
	CHECK("\xe0\x80\xaf", 0, "overlong 3-byte (e0 80 af)");
	CHECK("\xe0\x9f\xbf", 0, "overlong 3-byte U+07FF (e0 9f bf)");
	CHECK("\xf0\x80\x80\xaf", 0, "overlong 4-byte (f0 80 80 af)");
	CHECK("\xf0\x8f\xbf\xbf", 0, "overlong 4-byte U+FFFF (f0 8f bf bf)");
	CHECK("\xed\xa0\x80", 0, "surrogate U+D800");
	CHECK("\xed\xbf\xbf", 0, "surrogate U+DFFF");
	CHECK("x\xed\xa0\xbd\xed\xb8\x80", 1, "CESU-8 surrogate pair");
	CHECK("\xf4\x90\x80\x80", 0, "U+110000, beyond U+10FFFF");
	CHECK("\xf5\x80\x80\x80", 0, "lead byte f5");
	CHECK("\xf8\x88\x80\x80\x80", 0, "5-byte form");
	CHECK("\xfc\x84\x80\x80\x80\x80", 0, "6-byte form");
	CHECK("\xfe", 0, "byte fe");
	CHECK("\xff", 0, "byte ff");
	CHECK("ab\xc2", 2, "truncated 2-byte at end");
	CHECK("ab\xe2\x82", 2, "truncated 3-byte at end");
	CHECK("ab\xf0\x9f\x98", 2, "truncated 4-byte at end");
	CHECK("\xc2z", 0, "2-byte lead followed by ascii");
	CHECK("\xe2\x82z", 0, "3-byte with bad third byte");
	CHECK("\xf0\x9f\x98z", 0, "4-byte with bad fourth byte");
	CHECK("0123456789\xe9t\xe9", 10, "latin-1 after 10 ascii bytes");
}

/* RFC 3629 one code point at a time: the reference for the word loop. */
static size_t
ref_check(const unsigned char *p, size_t n)
{
	size_t i = 0, len, k;
	unsigned long cp, min;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0)
			len = 2, cp = p[i] & 0x1f, min = 0x80;
		else if ((p[i] & 0xf0) == 0xe0)
			len = 3, cp = p[i] & 0x0f, min = 0x800;
		else if ((p[i] & 0xf8) == 0xf0)
			len = 4, cp = p[i] & 0x07, min = 0x10000;
		else
			return i;
		if (n - i < len)
			return i;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

/*
 * Random mixes of ASCII, Cyrillic, longer sequences and broken ones, at
 * every alignment: the sixteen-byte (SSE2) and eight-byte loops must agree
 * with the reference.
 */
static void
test_random(void)
{
	static const char *const tok[] = {
		"a", "0123456", "\xd0\x9a", "\xd0\xb0\xd1\x84", "\xc2\xa0",
		"\xdf\xbf", "\xe2\x80\xa6", "\xf0\x9f\x98\x80", "\x80",
		"\xc0\xaf", "\xc1\xbf", "\xd0", "\xe0\x80\xaf", "\xed\xa0\x80",
		"\xff", " ",
	};
	unsigned char buf[96];
	uint32_t seed = 17;
	size_t n, t, len, bad = 0, runs;

	for (runs = 0; runs < 200000; runs++) {
		n = 0;
		for (;;) {
			seed = seed * 1103515245u + 12345u;
			/* Broken tokens rarely: most strings stay valid long. */
			t = (seed >> 8) % (runs % 3 == 0 ? 16 : 8);
			len = strlen(tok[t]);
			if (n + len > sizeof(buf))
				break;
			memcpy(buf + n, tok[t], len);
			n += len;
			if ((seed >> 20) % 11 == 0)
				break;
		}
		if (utf8_check((const char *)buf, n) != ref_check(buf, n))
			bad++;
	}
	is_int(bad, 0, "200000 random mixes agree with the reference");
}

/*
 * Rows of text as long as a partner export's (up to 400 bytes: many
 * 64-byte groups of sixteen-byte blocks), mostly Cyrillic and ASCII, with
 * one broken or longer sequence at a random place in most of them: where
 * a row goes wrong, at a block's edge or inside a group, and what a lead
 * carried from one block into the next does there, must not change the
 * answer.
 */
static void
test_long_rows(void)
{
	static const char *const tok[] = {
		"a", "0123456", "\xd0\x9a", "\xd1\x84", " ", ",",
	};
	static const char *const odd[] = {
		"\x80", "\xc0\xaf", "\xc1\xbf", "\xd0", "\xe2\x80\xa6",
		"\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xff", "\xd0\xd0",
	};
	unsigned char buf[400];
	uint32_t seed = 29;
	size_t n, t, len, at, bad = 0, broken = 0, runs;

	for (runs = 0; runs < 100000; runs++) {
		seed = seed * 1103515245u + 12345u;
		at = (seed >> 8) % sizeof(buf);
		for (n = 0;;) {
			seed = seed * 1103515245u + 12345u;
			t = (seed >> 8) % 6;
			len = strlen(tok[t]);
			if (n + len > sizeof(buf) - 4)
				break;
			memcpy(buf + n, tok[t], len);
			n += len;
			if (n >= at && runs % 4 != 0) {
				t = (seed >> 16) % 9;
				len = strlen(odd[t]);
				memcpy(buf + n, odd[t], len);
				n += len;
				at = sizeof(buf);
			}
		}
		if (ref_check(buf, n) != n)
			broken++;
		if (utf8_check((const char *)buf, n) != ref_check(buf, n))
			bad++;
	}
	is_int(bad, 0, "100000 long rows agree with the reference");
	ok(broken > 50000 && broken < 75000, "most of the long rows are broken "
	    "(%zu)", broken);
}

/*
 * Short rows (under 64 bytes: a twins export's) are settled by one pass of
 * words when they are ASCII: at every length, one byte that is not ASCII,
 * at each place (the tail that the last word overlaps too), is seen.
 */
static void
test_short_rows(void)
{
	static const char *const odd[] = {
		"\x80", "\xff", "\xd0", "\xd0\x9a", "\xe2\x80\xa6",
	};
	unsigned char buf[80];
	size_t n, at, t, len, bad = 0, cases = 0;

	for (n = 0; n <= sizeof(buf); n++) {
		memset(buf, 'a', n);
		if (utf8_check((const char *)buf, n) != n)
			bad++;
		for (at = 0; at < n; at++)
			for (t = 0; t < sizeof(odd) / sizeof(odd[0]); t++) {
				len = strlen(odd[t]);
				if (at + len > n)
					continue;
				memset(buf, 'a', n);
				memcpy(buf + at, odd[t], len);
				if (utf8_check((const char *)buf, n) !=
				    ref_check(buf, n))
					bad++;
				cases++;
			}
	}
	is_int(bad, 0, "%zu short rows with one odd byte agree with the "
	    "reference", cases);
}

static void
test_encode(void)
{
	char b[4];
	size_t n;

	n = utf8_encode(0x41, b);
	ok(n == 1 && b[0] == 'A', "encode U+0041");
	n = utf8_encode(0xa9, b);
	ok(n == 2 && memcmp(b, "\xc2\xa9", 2) == 0, "encode U+00A9");
	n = utf8_encode(0x7ff, b);
	ok(n == 2 && memcmp(b, "\xdf\xbf", 2) == 0, "encode U+07FF");
	n = utf8_encode(0x20ac, b);
	ok(n == 3 && memcmp(b, "\xe2\x82\xac", 3) == 0, "encode U+20AC");
	n = utf8_encode(0xffff, b);
	ok(n == 3 && memcmp(b, "\xef\xbf\xbf", 3) == 0, "encode U+FFFF");
	n = utf8_encode(0x1f600, b);
	ok(n == 4 && memcmp(b, "\xf0\x9f\x98\x80", 4) == 0,
	    "encode U+1F600");
	n = utf8_encode(0x10ffff, b);
	ok(n == 4 && memcmp(b, "\xf4\x8f\xbf\xbf", 4) == 0,
	    "encode U+10FFFF");
	n = utf8_encode(0x10000, b);
	is_int(utf8_check(b, n), 4, "encoded U+10000 checks valid");
}

int
main(void)
{
	test_valid();
	test_invalid();
	test_random();
	test_long_rows();
	test_short_rows();
	test_encode();
	is_int(utf8_length("", 0), 0, "utf8_length of nothing");
	is_int(utf8_length("THE_KEY", 7), 7, "utf8_length counts ASCII bytes");
	is_int(utf8_length("\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", 12), 6,
	    "utf8_length counts Cyrillic letters, not bytes");
	is_int(utf8_length("a\xf0\x9f\x98\x80" "b", 6), 3,
	    "utf8_length counts a 4-byte emoji once");
	return tap_done();
}

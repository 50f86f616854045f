/*
 * test_json_escape.c: json_write_string against a plain byte-at-a-time
 * escaper, on random strings of every length up to 80 from bytes that
 * matter (quotes, backslashes, control bytes, DEL, Cyrillic, ASCII), so
 * that the 16-byte, 8-byte and byte loops and their hand-offs all run.
 * test_json_escape_portable.c runs it against the build without SSE2.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/json_writer.h"
#include "common/strbuf.h"
#include "tests/unit/tap.h"

/* RFC 8259 as json_writer.h promises it: only '"', '\\' and controls. */
static void
ref_escape(struct strbuf *sb, const unsigned char *s, size_t n)
{
	size_t i;

	strbuf_addch(sb, '"');
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '"':	strbuf_addstr(sb, "\\\""); break;
		case '\\':	strbuf_addstr(sb, "\\\\"); break;
		case '\b':	strbuf_addstr(sb, "\\b"); break;
		case '\f':	strbuf_addstr(sb, "\\f"); break;
		case '\n':	strbuf_addstr(sb, "\\n"); break;
		case '\r':	strbuf_addstr(sb, "\\r"); break;
		case '\t':	strbuf_addstr(sb, "\\t"); break;
		default:
			if (s[i] < 0x20)
				strbuf_addf(sb, "\\u%04x", s[i]);
			else
				strbuf_addch(sb, (char)s[i]);
		}
	}
	strbuf_addch(sb, '"');
}

int
main(void)
{
	static const unsigned char pool[] = "aZ09 ,.\"\\\x01\x1f\x7f\n\t"
	    "\xd0\x9a\xd1\x84\xc2\xa0\xe2\x80\xa6";
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
	unsigned char buf[96];
	uint32_t seed = 42;
	size_t n, i, bad = 0, runs;

	for (runs = 0; runs < 40000; runs++) {
		n = runs % 81;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Mostly plain text, so the long loops get going. */
			buf[i] = (seed >> 16) % 8 != 0 ? (unsigned char)('a' +
			    (seed >> 20) % 26) : pool[(seed >> 8) %
			    (sizeof(pool) - 1)];
		}
		strbuf_reset(&got);
		strbuf_reset(&want);
		/* After a prefix, so the output is at every alignment too. */
		strbuf_add(&got, "xxxxxxx", runs % 8);
		strbuf_add(&want, "xxxxxxx", runs % 8);
		json_write_string(&got, (const char *)buf, n);
		ref_escape(&want, buf, n);
		if (got.len != want.len || memcmp(got.buf, want.buf, got.len))
			bad++;
	}
	is_int(bad, 0, "40000 random strings escape as the reference does");
	strbuf_reset(&got);
	json_write_string(&got, "Кафе \"Ромашка\"\\\n",
	    strlen("Кафе \"Ромашка\"\\\n"));
	is_str(got.buf, "\"Кафе \\\"Ромашка\\\"\\\\\\n\"",
	    "Cyrillic passes through; quote, backslash and LF escape");
	strbuf_release(&got);
	strbuf_release(&want);
	return tap_done();
}

/*
 * test_csvwrite.c: csv_write_cell() against a byte-at-a-time reference
 * for every cell length up to 70, every position of each byte that needs
 * quotes, and every delimiter: the word and vector scans that find those
 * bytes (with their overlapping last loads) must agree with the plain
 * reading.  test_csvwrite_portable.c and test_csvwrite_bytewise.c run it
 * against csvio built without SSE2 and without SWAR.
 */
#include <stdio.h>
#include <string.h>

#include "common/csvio.h"
#include "common/strbuf.h"
#include "tests/unit/tap.h"

/* RFC 4180 quoting, one byte at a time. */
static void
ref_cell(struct strbuf *sb, const char *s, size_t len, int delim)
{
	size_t i;
	int quote = 0;

	for (i = 0; i < len; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n')
			quote = 1;
	if (quote)
		strbuf_addch(sb, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, s[i]);
	}
	if (quote)
		strbuf_addch(sb, '"');
}

int
main(void)
{
	static const int delims[] = { ',', ';', '\t', '|' };
	static const char specials[] = { ',', ';', '\t', '|', '"', '\r', '\n' };
	struct csv_write_opts o = CSV_WRITE_OPTS_DEFAULT;
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
	char cell[80];
	size_t len, pos, k, d, tried = 0, bad = 0;

	for (d = 0; d < sizeof(delims) / sizeof(delims[0]); d++) {
		o.delim = delims[d];
		for (len = 0; len <= 70; len++) {
			/* Plain text (Cyrillic bytes too), then one special. */
			for (k = 0; k < len; k++)
				cell[k] = k % 3 == 2 ? (char)0xd0 : (char)('a' +
				    k % 26);
			for (pos = 0; pos <= len; pos++)
			for (k = 0; k < sizeof(specials); k++) {
				char keep = pos < len ? cell[pos] : 0;

				if (pos < len)
					cell[pos] = specials[k];
				strbuf_reset(&got);
				strbuf_reset(&want);
				csv_write_cell(&got, cell, len, &o);
				ref_cell(&want, cell, len, o.delim);
				if (got.len != want.len || memcmp(got.buf,
				    want.buf, got.len) != 0) {
					if (bad++ < 5)
						printf("# delim %d len %zu: "
						    "byte %d at %zu\n", o.delim,
						    len, specials[k], pos);
				}
				tried++;
				if (pos < len)
					cell[pos] = keep;
			}
		}
	}
	is_int(bad, 0, "csv_write_cell quotes as the byte-at-a-time reference "
	    "(%zu cells)", tried);
	strbuf_release(&got);
	strbuf_release(&want);
	return tap_done();
}

/*
 * test_csvdiff.c: csvio's splitter against libcsv (tests/unit/csvref.h):
 * the same bytes must give identical rows, start lines and error
 * positions.  Hand-picked cases, then random inputs from an alphabet of
 * the bytes that matter (delimiters, quotes, CR, LF, space, Cyrillic),
 * then inputs large enough that reads end inside every kind of field;
 * all of it twice: split by the caller, and in csvio's splitting thread.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "tests/unit/csvref.h"
#include "tests/unit/tap.h"

static char path[512];

static void
put(const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(s, 1, n, f) != n || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

/* Do both readings of s[0..n) agree?  On a mismatch, show both. */
static int
same(const char *s, size_t n, int delim, const char *what)
{
	struct strbuf ours = STRBUF_INIT, ref = STRBUF_INIT, bytes = STRBUF_INIT;
	int eq;

	put(s, n);
	if (csvref_render_ours(path, delim, &ours, &bytes) == -1) {
		printf("Bail out! cannot open %s\n", path);
		exit(1);
	}
	csvref_render(bytes.buf, bytes.len, delim, &ref);
	eq = ours.len == ref.len && memcmp(ours.buf, ref.buf, ref.len) == 0;
	if (!eq && ours.len + ref.len < 4000)
		printf("# %s: delim %d\n# ours:\n%s# libcsv:\n%s", what, delim,
		    ours.buf, ref.buf);
	else if (!eq)
		printf("# %s: delim %d: renderings differ (%zu, %zu bytes)\n",
		    what, delim, ours.len, ref.len);
	strbuf_release(&ours);
	strbuf_release(&ref);
	strbuf_release(&bytes);
	return eq;
}

static const char *const cases[] = {
	"",
	"\n",
	"\r\n\r\n",
	"a",
	"a,",
	",",
	"a,b\nc,d\n",
	"a,b\r\nc,d\r\n",
	"a\rb\rc",
	"\"a\"",
	"\"a\"\"b\",c\n",
	"\"\"",
	"\"\"\"\"",
	"\"a,b\",\"c\nd\"\n",
	"\"a\r\nb\"\r\n",
	"ab\"c,d\n",
	"a\"\"b,\"\n",
	"\"ab\"c,d\n",
	"\"ab\" ,d\n",
	"\"ab\"\r",
	"\"unterminated\n\nmore",
	"x\n\"multi\nline\nrow\"\r\"after cr\n",
	"\"x\"\n\n\n\"y\nz\"q",
	" a , b \n",
	"Кафе \"\"Ромашка\"\",\"ул. Ленина, 5\",\"Кафе \"\"Ромашка\"\"\"\n",
	"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n",
	"long unquoted field of more than eight bytes,another one here\n",
	"\"long quoted field, with a comma and \"\"quotes\"\" inside\"\n",
	"a,b\n\r\n,\n,,\n",
	"\"a\"\"\"",
	"\"a\"\"",
	"abc\0def,g\n",
};

static void
test_cases(void)
{
	static const int delims[] = { ',', ';', '\t', '|', ' ', 'a', 0xd0 };
	size_t i, j, bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (j = 0; j < sizeof(delims) / sizeof(delims[0]); j++)
			bad += !same(cases[i], i == sizeof(cases) /
			    sizeof(cases[0]) - 1 ? 10 : strlen(cases[i]),
			    delims[j], cases[i]);
	ok(bad == 0, "hand-picked cases x 7 delimiters agree with libcsv"
	    " (%zu differ)", bad);
}

static uint32_t seed = 20261201;

static uint32_t
rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

/* A random input of about n bytes, from tokens that steer the grammar. */
static void
gen(struct strbuf *sb, size_t n, int quotes)
{
	static const char *const tok[] = {
		",", ";", "\"", "\"\"", "\r", "\n", "\r\n", " ", "a",
		"word", "Ленина", "\t", "|", "0123456789abcdef", ",\"", "\",",
	};
	const size_t ntok = sizeof(tok) / sizeof(tok[0]);
	const char *t;

	strbuf_reset(sb);
	while (sb->len < n) {
		t = tok[rnd((uint32_t)ntok)];
		if (!quotes && strchr(t, '"') != NULL)
			continue;
		strbuf_addstr(sb, t);
	}
}

static void
test_random(void)
{
	static const int delims[] = { ',', ';', '\t', '|' };
	struct strbuf sb = STRBUF_INIT;
	size_t i, bad = 0;

	for (i = 0; i < 3000; i++) {
		gen(&sb, 1 + rnd(200), (int)(i % 5 != 0));
		bad += !same(sb.buf, sb.len, delims[i % 4], "random");
	}
	ok(bad == 0, "3000 random inputs agree with libcsv (%zu differ)",
	    bad);
	strbuf_release(&sb);
}

/*
 * Well-formed rows (quotes balanced, so no early error) of every shape,
 * megabytes of them: reads end inside quotes, between a quote and its
 * double, between CR and LF, inside a word.
 */
static void
test_chunks(void)
{
	static const char *const rows[] = {
		"1,plain,row\n",
		"\"q,uoted\",\"with \"\"doubles\"\"\",x\r\n",
		"\"multi\nline\r\nfield\",y\n",
		"a\"b,lit\"eral,\"\"\n",
		"\r\n",
		"\"Кафе \"\"Ромашка\"\"\",\"ул. Ленина, 5\",Омск\n",
		"\"\",\"\"\"\",\"\"\"\"\"\"\n",
		"0123456789abcdef0123456789,end\r",
	};
	const size_t nrows = sizeof(rows) / sizeof(rows[0]);
	struct strbuf sb = STRBUF_INIT;
	int k, bad = 0;

	for (k = 0; k < 4; k++) {
		strbuf_reset(&sb);
		while (sb.len < (size_t)(1 << 20) + (size_t)k * 77777)
			strbuf_addstr(&sb, rows[rnd((uint32_t)nrows)]);
		bad += !same(sb.buf, sb.len, ',', "chunks");
	}
	/* The same, ending inside an unterminated quote. */
	strbuf_addstr(&sb, "x,\"never closed\n");
	for (k = 0; k < 300000; k++)
		strbuf_addstr(&sb, "a,b\n");
	bad += !same(sb.buf, sb.len, ',', "chunks, unterminated");
	ok(bad == 0, "megabyte inputs agree with libcsv across reads (%d differ)",
	    bad);
	strbuf_release(&sb);
}

/*
 * Inputs with few or no quotes, long enough for the splitter's blocks of
 * 64 bytes without quotes: fields ending on every byte of a block, CR LF
 * across two blocks, blank lines, empty fields, every delimiter, and now
 * and then a quote (a quoted field, a literal one, text after a closing
 * quote) where the blocks must stop and the state machine take over.
 */
static void
test_blocks(void)
{
	static const char *const tok[] = {
		",", ";", "\r", "\n", "\r\n", "a", "word", "Ленина", "\t",
		"|", " ", "0123456789abcdef0123456789abcdef0123456789",
	};
	static const char *const quoted[] = {
		"\"q,\"\"x\"\"\"", "b\"c", "\"ab\"c",
	};
	static const int delims[] = { ',', ';', '\t', '|', ' ', 'a', 0xd0 };
	const size_t ntok = sizeof(tok) / sizeof(tok[0]);
	struct strbuf sb = STRBUF_INIT;
	size_t i, n, bad = 0;
	int k;

	for (i = 0; i < 2000; i++) {
		strbuf_reset(&sb);
		n = 64 + rnd(1000);
		while (sb.len < n) {
			strbuf_addstr(&sb, tok[rnd((uint32_t)ntok)]);
			if (i % 2 == 0 && rnd(300) == 0)
				strbuf_addstr(&sb, quoted[rnd(3)]);
		}
		bad += !same(sb.buf, sb.len, delims[i % 7], "blocks");
	}
	/* Across reads: long runs without quotes, a quoted row now and then. */
	for (k = 0; k < 3; k++) {
		strbuf_reset(&sb);
		while (sb.len < (size_t)(1 << 20) + (size_t)k * 55555) {
			strbuf_addstr(&sb, tok[5 + rnd((uint32_t)ntok - 5)]);
			strbuf_addstr(&sb, tok[rnd(5)]);
			if (rnd(k == 0 ? 20000 : 200) == 0)
				strbuf_addstr(&sb, "\"x,\"\"y\"\"\",z\n");
		}
		bad += !same(sb.buf, sb.len, ',', "blocks, megabytes");
	}
	ok(bad == 0, "inputs with few quotes, in 64-byte blocks, agree with"
	    " libcsv (%zu differ)", bad);
	strbuf_release(&sb);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");
	char dir[256];

	snprintf(dir, sizeof(dir), "%s/test_csvdiff.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/in.csv", dir);
	/* Split here, then in csvio's thread (forced on for any file). */
	setenv("DUMPKIT_CSV_THREAD", "0", 1);
	test_cases();
	test_random();
	test_chunks();
	test_blocks();
	setenv("DUMPKIT_CSV_THREAD", "1", 1);
	printf("# the same, split in a thread\n");
	test_cases();
	test_random();
	test_chunks();
	test_blocks();
	unlink(path);
	rmdir(dir);
	return tap_done();
}

/*
 * outenc.c: --out-encoding for CSV/TSV output, shared by the writer and
 * jsonapi-paginate's own CSV rows.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "common/errors.h"
#include "common/outenc.h"
#include "common/output.h"

void
outenc_init(struct outenc *e, const char *name)
{
	memset(e, 0, sizeof(*e));
	e->cd = (iconv_t)-1;
	strbuf_init(&e->conv, 0);
	if (name == NULL || strcasecmp(name, "utf-8") == 0 ||
	    strcasecmp(name, "utf8") == 0)
		return;
	e->name = name;
	if (strcasecmp(name, "utf-8-bom") == 0 ||
	    strcasecmp(name, "utf8-bom") == 0)
		e->bom = 1;
	else if ((e->cd = iconv_open(name, "UTF-8")) == (iconv_t)-1)
		die("unknown --out-encoding: %s", name);
}

/* The code point of the UTF-8 sequence at s (the writer's text is valid). */
static unsigned long
code_point(const unsigned char *s, size_t n)
{
	unsigned long cp;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return s[0];
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	cp = s[0] & (0x3f >> (len - 1));
	for (i = 1; i < len && i < n; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

void
outenc_convert(struct outenc *e, struct strbuf *sb)
{
	struct strbuf t;
	char *in, *out;
	size_t inleft, outleft, done;

	if (e->cd == (iconv_t)-1 || sb->len == 0)
		return;
	strbuf_reset(&e->conv);
	in = sb->buf;
	inleft = sb->len;
	while (inleft > 0) {
		strbuf_grow(&e->conv, inleft * 2 + 16);
		out = e->conv.buf + e->conv.len;
		outleft = e->conv.alloc - e->conv.len - 1;
		if (iconv(e->cd, &in, &inleft, &out, &outleft) ==
		    (size_t)-1 && errno != E2BIG) {
			/* Rows come whole: only a character without a form. */
			done = (size_t)(in - sb->buf);
			die("--out-encoding %s: the output has U+%04lX, which "
			    "%s cannot hold (use UTF-8, or --out-encoding "
			    "utf-8-bom for Excel)", e->name,
			    code_point((const unsigned char *)sb->buf + done,
			    sb->len - done), e->name);
		}
		strbuf_setlen(&e->conv, (size_t)(out - e->conv.buf));
	}
	t = *sb;
	*sb = e->conv;
	e->conv = t;
}

void
outenc_write(struct outenc *e, struct output *out, struct strbuf *sb)
{
	if (sb->len == 0)
		return;
	outenc_convert(e, sb);
	if (e->bom) {
		output_write(out, "\xef\xbb\xbf", 3);
		e->bom = 0;
	}
	output_write_sb(out, sb);
}

void
outenc_release(struct outenc *e)
{
	if (e->cd != (iconv_t)-1)
		iconv_close(e->cd);
	e->cd = (iconv_t)-1;
	strbuf_release(&e->conv);
}

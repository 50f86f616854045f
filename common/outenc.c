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
			die("--out-encoding %s: the output has a character "
			    "that %s cannot hold (\"%.*s\"); use UTF-8",
			    e->name, e->name,
			    (int)(sb->len - done < 12 ? sb->len - done : 12),
			    sb->buf + done);
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

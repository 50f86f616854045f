/* strbuf.c: growable byte buffer; the one place that sizes string memory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/errors.h"
#include "common/strbuf.h"

char strbuf_empty[1];

void
strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->buf = strbuf_empty;
	sb->len = sb->alloc = 0;
	if (hint)
		strbuf_grow(sb, hint);
}

void
strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
}

char *
strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	if (sb->alloc == 0)
		strbuf_grow(sb, 0);
	p = sb->buf;
	if (len)
		*len = sb->len;
	strbuf_init(sb, 0);
	return p;
}

void
strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need, n;

	if (sb->len > (size_t)-1 - extra - 1)
		die("out of memory");
	need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	n = sb->alloc ? sb->alloc : 64;
	while (n < need)
		n = n * 2 > n ? n * 2 : need;
	if (sb->alloc == 0) {
		sb->buf = xmalloc(n);
		sb->buf[0] = '\0';
	} else {
		sb->buf = xrealloc(sb->buf, n);
	}
	sb->alloc = n;
}

void
strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (sb->alloc == 0) {
		if (len == 0)
			return;
		strbuf_grow(sb, len);
	}
	sb->len = len;
	sb->buf[len] = '\0';
}

void
strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0,
	    fmt, ap);
	va_end(ap);
	if (n < 0)
		die("strbuf_addf: bad format");
	if (sb->alloc == 0 || (size_t)n >= sb->alloc - sb->len) {
		strbuf_grow(sb, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

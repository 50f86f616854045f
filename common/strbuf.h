/*
 * strbuf.h: a growable byte buffer (after git's strbuf).
 *
 * buf is always NUL-terminated, and never NULL once STRBUF_INIT'd: an empty
 * strbuf points at a shared "" until something is added.
 */
#ifndef DUMPKIT_STRBUF_H
#define DUMPKIT_STRBUF_H

#include <stddef.h>
#include <string.h>

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 alloc;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void	strbuf_init(struct strbuf *sb, size_t hint);
/* Free the memory; sb is STRBUF_INIT again. */
void	strbuf_release(struct strbuf *sb);
/* Hand the bytes to the caller (free() them); sb is STRBUF_INIT again. */
char	*strbuf_detach(struct strbuf *sb, size_t *len);
/* Make room for extra more bytes (plus the NUL). */
void	strbuf_grow(struct strbuf *sb, size_t extra);
void	strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void	strbuf_addstr(struct strbuf *sb, const char *s);
void	strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Append data[0..len).  Inline, with the room check before any call: the
 * readers and writers add a few bytes at a time, millions of times.
 */
static inline void
strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (sb->alloc - sb->len <= len)	/* alloc >= len + 1 unless empty */
		strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static inline void
strbuf_addch(struct strbuf *sb, int c)
{
	if (sb->len + 1 >= sb->alloc)
		strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

#endif

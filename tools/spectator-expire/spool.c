/*
 * spool.c: spectator-expire's key details on disk.  A report may print a
 * million keys' notes, links and cars, but only once every input is read
 * (a later duplicate wins), so they wait in an unlinked temporary file, in
 * key order, and are read back in the same order.  Memory stays that of
 * the key table.
 *
 * A detail is a record [size_t size][4 fields], each field a tag byte:
 * 'n', 'f', 't' (null, false, true); 's' or 'd' (a string or a number:
 * size_t length, the bytes, a NUL); 'c' (an array of strings, as Cars
 * always is: size_t count, then each string as after 's'); 'j' (any
 * other value: its compact JSON text as after 's').  Read back, strings
 * point into the record's buffer: no parsing, no copying, no checking
 * again of what the reader already checked.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "tools/spectator-expire/spectator.h"

struct spool {
	FILE		*f;
	struct strbuf	 sb;
	struct arena	 a;
	char		*line;
	size_t		 linecap;
};

struct spool *
spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	struct spool *s;
	char *path;
	int fd, err;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = xmalloc(strlen(dir) + 32);
	sprintf(path, "%s/spectator-expire.XXXXXX", dir);
	fd = mkstemp(path);
	err = errno;
	if (fd != -1)
		unlink(path);
	free(path);	/* before a die(): a leak check would fail the run */
	if (fd == -1)
		die("cannot make a temporary file in %s: %s (set TMPDIR)",
		    dir, strerror(err));
	s = xcalloc(1, sizeof(*s));
	if ((s->f = fdopen(fd, "w+")) == NULL)
		die("temporary file: %s", strerror(errno));
	setvbuf(s->f, NULL, _IOFBF, 1 << 16);
	strbuf_init(&s->sb, 1024);
	return s;
}

/* A length or count, as the spool holds it. */
static void
put_size(struct strbuf *sb, size_t n)
{
	strbuf_add(sb, &n, sizeof(n));
}

/*
 * The tag (unless 0), then length, text, NUL: with one check for room,
 * not one per piece (this runs for every field of every key kept).
 */
static void
put_text(struct strbuf *sb, char tag, const char *s, size_t len)
{
	size_t need = 1 + sizeof(len) + len + 1;
	char *p;

	if (sb->alloc - sb->len <= need)
		strbuf_grow(sb, need);
	p = sb->buf + sb->len;
	if (tag != 0)
		*p++ = tag;
	memcpy(p, &len, sizeof(len));
	p += sizeof(len);
	memcpy(p, s, len);
	p += len;
	*p++ = '\0';
	*p = '\0';	/* a strbuf stays NUL-terminated */
	sb->len = (size_t)(p - sb->buf);
}

/* 1 when v is an array of strings only. */
static int
string_array(const struct json_value *v)
{
	size_t i;

	if (v->type != JSON_ARRAY)
		return 0;
	for (i = 0; i < v->len; i++)
		if (v->u.items[i].type != JSON_STRING)
			return 0;
	return 1;
}

static void
put_value(struct spool *s, const struct json_value *v)
{
	struct strbuf *sb = &s->sb;
	size_t i, mark;

	switch (v->type) {
	case JSON_NULL:
		strbuf_addch(sb, 'n');
		return;
	case JSON_FALSE:
		strbuf_addch(sb, 'f');
		return;
	case JSON_TRUE:
		strbuf_addch(sb, 't');
		return;
	case JSON_STRING:
	case JSON_NUMBER:
		put_text(sb, v->type == JSON_STRING ? 's' : 'd', v->u.str,
		    v->len);
		return;
	default:
		break;
	}
	if (string_array(v)) {
		strbuf_addch(sb, 'c');
		put_size(sb, v->len);
		for (i = 0; i < v->len; i++)
			put_text(sb, 0, v->u.items[i].u.str,
			    v->u.items[i].len);
		return;
	}
	/* A Note that is an object, say: its JSON, after a length. */
	strbuf_addch(sb, 'j');
	mark = sb->len;
	put_size(sb, 0);
	json_write_value(sb, v);
	i = sb->len - mark - sizeof(size_t);
	memcpy(sb->buf + mark, &i, sizeof(i));
	strbuf_addch(sb, '\0');
}

void
spool_put(struct spool *s, const struct key_detail *d)
{
	size_t size;

	strbuf_reset(&s->sb);
	put_size(&s->sb, 0);
	put_value(s, &d->till_text);
	put_value(s, &d->note);
	put_value(s, &d->maplink);
	put_value(s, &d->cars);
	size = s->sb.len - sizeof(size);
	memcpy(s->sb.buf, &size, sizeof(size));
	if (fwrite(s->sb.buf, 1, s->sb.len, s->f) != s->sb.len)
		die("temporary file: %s", strerror(errno));
}

void
spool_rewind(struct spool *s)
{
	if (fflush(s->f) != 0 || fseek(s->f, 0, SEEK_SET) != 0)
		die("temporary file: %s", strerror(errno));
}

static void __attribute__((noreturn))
damaged(void)
{
	die("temporary file: damaged");
}

/* A size at *p (p < end), *p moved past it. */
static size_t
get_size(const char **p, const char *end)
{
	size_t n;

	if ((size_t)(end - *p) < sizeof(n))
		damaged();
	memcpy(&n, *p, sizeof(n));
	*p += sizeof(n);
	return n;
}

/* Text put by put_text(): points into the record. */
static const char *
get_text(const char **p, const char *end, size_t *len)
{
	const char *t;

	*len = get_size(p, end);
	if ((size_t)(end - *p) <= *len || (*p)[*len] != '\0')
		damaged();
	t = *p;
	*p += *len + 1;
	return t;
}

static void
get_value(struct spool *s, const char **p, const char *end,
    struct json_value *v)
{
	struct json_opts jo = JSON_OPTS_DEFAULT;
	const char *t;
	size_t i, n;
	char tag;

	if (*p == end)
		damaged();
	tag = *(*p)++;
	v->len = 0;
	v->u.str = NULL;
	switch (tag) {
	case 'n':
		v->type = JSON_NULL;
		return;
	case 'f':
		v->type = JSON_FALSE;
		return;
	case 't':
		v->type = JSON_TRUE;
		return;
	case 's':
	case 'd':
		v->type = tag == 's' ? JSON_STRING : JSON_NUMBER;
		v->u.str = get_text(p, end, &v->len);
		return;
	case 'c':
		n = get_size(p, end);
		if (n > (size_t)(end - *p) / (sizeof(size_t) + 1))
			damaged();
		v->type = JSON_ARRAY;
		v->len = n;
		v->u.items = arena_alloc(&s->a, (n ? n : 1) * sizeof(*v));
		for (i = 0; i < n; i++) {
			v->u.items[i].type = JSON_STRING;
			v->u.items[i].u.str = get_text(p, end,
			    &v->u.items[i].len);
		}
		return;
	case 'j':
		t = get_text(p, end, &n);
		/* What was read once reads again: no limits but its own. */
		jo.max_depth = SIZE_MAX / 2;
		jo.max_value = n + 1;
		if (json_parse(t, n, &jo, &s->a, v, NULL) == -1)
			damaged();
		return;
	default:
		damaged();
	}
}

void
spool_next(struct spool *s, struct key_detail *d)
{
	const char *p, *end;
	size_t size;

	if (fread(&size, sizeof(size), 1, s->f) != 1)
		die("temporary file: %s", ferror(s->f) ? strerror(errno) :
		    "ended early");
	if (size > s->linecap) {
		free(s->line);
		s->linecap = size;
		s->line = xmalloc(size);
	}
	if (fread(s->line, 1, size, s->f) != size)
		die("temporary file: %s", ferror(s->f) ? strerror(errno) :
		    "ended early");
	arena_reset(&s->a);
	p = s->line;
	end = p + size;
	get_value(s, &p, end, &d->till_text);
	get_value(s, &p, end, &d->note);
	get_value(s, &p, end, &d->maplink);
	get_value(s, &p, end, &d->cars);
	if (p != end)
		damaged();
}

void
spool_close(struct spool *s)
{
	if (s == NULL)
		return;
	fclose(s->f);
	strbuf_release(&s->sb);
	arena_release(&s->a);
	free(s->line);
	free(s);
}

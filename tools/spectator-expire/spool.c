/*
 * spool.c: spectator-expire's key details on disk.  A report may print a
 * million keys' notes, links and cars, but only once every input is read
 * (a later duplicate wins), so they wait in an unlinked temporary file,
 * one compact JSON array [ValidTill, Note, MapLink, Cars] a line, in key
 * order, and are read back in the same order.  Memory stays that of the
 * key table.
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

void
spool_put(struct spool *s, const struct key_detail *d)
{
	strbuf_reset(&s->sb);
	strbuf_addch(&s->sb, '[');
	json_write_value(&s->sb, &d->till_text);
	strbuf_addch(&s->sb, ',');
	json_write_value(&s->sb, &d->note);
	strbuf_addch(&s->sb, ',');
	json_write_value(&s->sb, &d->maplink);
	strbuf_addch(&s->sb, ',');
	json_write_value(&s->sb, &d->cars);
	strbuf_addstr(&s->sb, "]\n");
	if (fwrite(s->sb.buf, 1, s->sb.len, s->f) != s->sb.len)
		die("temporary file: %s", strerror(errno));
}

void
spool_rewind(struct spool *s)
{
	if (fflush(s->f) != 0 || fseek(s->f, 0, SEEK_SET) != 0)
		die("temporary file: %s", strerror(errno));
}

void
spool_next(struct spool *s, struct key_detail *d)
{
	struct json_opts jo = JSON_OPTS_DEFAULT;
	struct json_value v;
	ssize_t n;

	if ((n = getline(&s->line, &s->linecap, s->f)) <= 0)
		die("temporary file: %s", ferror(s->f) ? strerror(errno) :
		    "ended early");
	arena_reset(&s->a);
	/* What was read once reads again: no limits but the line's. */
	jo.max_depth = SIZE_MAX / 2;
	jo.max_value = (size_t)n + 1;
	if (json_parse(s->line, (size_t)n, &jo, &s->a, &v, NULL) == -1 ||
	    v.type != JSON_ARRAY || v.len != 4)
		die("temporary file: damaged");
	d->till_text = v.u.items[0];
	d->note = v.u.items[1];
	d->maplink = v.u.items[2];
	d->cars = v.u.items[3];
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

/*
 * spool.c: CSV/TSV rows held in a temporary file until their columns (the
 * union of all field names) are known, then padded on the way out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/output.h"
#include "common/spool.h"

/* Rows written with the first k columns (the rest padded at the end). */
struct segment {
	unsigned long long	 bytes;
	size_t			 k;
};

struct row_spool {
	FILE		*fp;
	char		*path;		/* (unlinked) for messages */
	struct segment	*segs;
	size_t		 nsegs, alloc;
};

struct row_spool *
row_spool_new(void)
{
	return xcalloc(1, sizeof(struct row_spool));
}

static void
spool_open(struct row_spool *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *tmpdir = getenv("TMPDIR");
	int fd;

	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	strbuf_addf(&sb, "%s/%s.XXXXXX", tmpdir, progname);
	s->path = strbuf_detach(&sb, NULL);
	if ((fd = mkstemp(s->path)) == -1)
		die_errno("%s", s->path);
	/*
	 * Nameless from now on: nothing is left behind however the run
	 * ends (a closed pipe, a kill); it is read back through the stream.
	 */
	if (unlink(s->path) == -1)
		die_errno("%s", s->path);
	if ((s->fp = fdopen(fd, "w+")) == NULL)
		die_errno("%s", s->path);
}

void
row_spool_add(struct row_spool *s, struct strbuf *rows, size_t ncols)
{
	struct segment *sg;

	if (rows->len == 0)
		return;
	if (s->fp == NULL)
		spool_open(s);
	if (fwrite(rows->buf, 1, rows->len, s->fp) != rows->len)
		die_errno("%s", s->path);
	if (s->nsegs == 0 || s->segs[s->nsegs - 1].k != ncols) {
		s->segs = xgrow(s->segs, &s->alloc, s->nsegs + 1,
		    sizeof(*s->segs));
		sg = &s->segs[s->nsegs++];
		sg->bytes = 0;
		sg->k = ncols;
	}
	s->segs[s->nsegs - 1].bytes += rows->len;
	strbuf_reset(rows);
}

int
row_spool_any(const struct row_spool *s)
{
	return s != NULL && s->nsegs > 0;
}

/* Put the pad cells before the row end about to be added to out. */
static void
pad_row(struct strbuf *out, const struct strbuf *pad, int crlf)
{
	int at_cr = crlf && out->len > 0 && out->buf[out->len - 1] == '\r';

	strbuf_setlen(out, out->len - at_cr);
	strbuf_add(out, pad->buf, pad->len);
	if (at_cr)
		strbuf_addch(out, '\r');
}

void
row_spool_copy(struct row_spool *s, struct output *out, size_t ncols,
    const struct csv_write_opts *cw)
{
	struct strbuf pad = STRBUF_INIT, buf2 = STRBUF_INIT;
	char buf[65536];
	size_t i, j, n, want;
	int inq = 0, keep;

	if (s->fp == NULL)
		return;
	if (fflush(s->fp) != 0 || ferror(s->fp) ||
	    fseek(s->fp, 0, SEEK_SET) != 0)
		die_errno("%s", s->path);
	for (i = 0; i < s->nsegs; i++) {
		struct segment *sg = &s->segs[i];

		strbuf_reset(&pad);
		for (j = sg->k == 0 ? 1 : sg->k; j < ncols; j++)
			strbuf_addch(&pad, cw->delim);
		if (sg->k == 0 && ncols == 1)
			strbuf_add(&pad, "\"\"", 2);
		for (; sg->bytes > 0; sg->bytes -= n) {
			want = sg->bytes < sizeof(buf) ? sg->bytes :
			    sizeof(buf);
			if ((n = fread(buf, 1, want, s->fp)) != want)
				die("%s: short read", s->path);
			if (pad.len == 0) {
				output_write(out, buf, n);
				continue;
			}
			/*
			 * Rows end at a newline outside quotes (a quoted cell
			 * may hold newlines; "" inside one toggles twice).
			 */
			for (j = 0; j < n; j++) {
				if (buf[j] == '"')
					inq = !inq;
				else if (buf[j] == '\n' && !inq)
					pad_row(&buf2, &pad, cw->crlf);
				strbuf_addch(&buf2, buf[j]);
			}
			/* A CR that may end a row waits for its LF. */
			keep = buf2.len > 0 && buf2.buf[buf2.len - 1] == '\r';
			output_write(out, buf2.buf, buf2.len - keep);
			strbuf_reset(&buf2);
			if (keep)
				strbuf_addch(&buf2, '\r');
		}
	}
	strbuf_release(&pad);
	strbuf_release(&buf2);
	s->nsegs = 0;
	fclose(s->fp);
	s->fp = NULL;
}

void
row_spool_free(struct row_spool *s)
{
	if (s == NULL)
		return;
	if (s->fp != NULL)
		fclose(s->fp);
	free(s->path);
	free(s->segs);
	free(s);
}

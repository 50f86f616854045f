/*
 * rejects.c: rejected records with where they came from and why, written to
 * --rejects FILE in the input's format, or fatal when there is no such file.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/hints.h"
#include "common/output.h"
#include "common/rejects.h"
#include "common/secrets.h"
#include "common/strbuf.h"
#include "common/writer.h"

struct rejects {
	enum format		 format;
	char			*path;
	struct output		*out;
	struct record_writer	*w;
	struct record		 tmp;	/* the rejected record plus _file... */
	/* CSV/TSV: the columns, fixed by the first rejected record. */
	char			**columns;
	size_t			 ncolumns;
	/* The input's header (rejects_header()): the first columns. */
	char			**header;
	size_t			 nheader;
	/* Fields without a column that were warned about (once each). */
	char			**warned;
	size_t			 nwarned;
	size_t			 warned_alloc;
	int			 delim;		/* as read; 0: ',' */
	const char		*encoding;	/* as read; NULL: UTF-8 */
	int			 show_secrets;	/* --show-keys: no masking */
	int			 ascii_ellipsis; /* encoding has no U+2026 */
};

struct rejects *
rejects_open(const char *path, enum format format)
{
	struct rejects *rj;

	rj = xcalloc(1, sizeof(*rj));
	rj->format = format;
	record_init(&rj->tmp);
	if (path == NULL)
		return rj;
	rj->path = xstrdup(path);
	/*
	 * Opened now, not at the first reject: an unwritable path is found
	 * before any work is done, and a run without rejects leaves an
	 * empty file, so a cron job can tell "none" from "not run".
	 */
	rj->out = output_open(path, 0);
	return rj;
}

/* 1 when encoding enc can hold U+2026, which masked values show. */
static int
holds_ellipsis(const char *enc)
{
	char in[] = "\xe2\x80\xa6", out[16], *ip = in, *op = out;
	size_t il = sizeof(in) - 1, ol = sizeof(out);
	iconv_t cd;
	int ok;

	if ((cd = iconv_open(enc, "UTF-8")) == (iconv_t)-1)
		return 0;
	ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1;
	iconv_close(cd);
	return ok;
}

void
rejects_like_input(struct rejects *rj, int delim, const char *encoding)
{
	rj->delim = delim;
	rj->encoding = encoding != NULL && encoding_keeps_ascii(encoding) ==
	    1 ? encoding : NULL;
	/* koi8-r has no "…": "..." rather than a run that fails. */
	rj->ascii_ellipsis = rj->encoding != NULL &&
	    !holds_ellipsis(rj->encoding);
}

/* String v, masked, with each U+2026 spelt "..." (in arena a). */
static void
spell_ellipsis(struct arena *a, struct json_value *v)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (v->type != JSON_STRING)
		return;
	for (i = 0; i < v->len; i++)
		if (i + 3 <= v->len &&
		    memcmp(v->u.str + i, "\xe2\x80\xa6", 3) == 0) {
			strbuf_addstr(&sb, "...");
			i += 2;
		} else
			strbuf_addch(&sb, v->u.str[i]);
	*v = json_make_string(a, sb.buf, sb.len);
	strbuf_release(&sb);
}

void
rejects_show_secrets(struct rejects *rj, int on)
{
	rj->show_secrets = on;
}

void
rejects_header(struct rejects *rj, const char *const *names, size_t n)
{
	size_t i;

	if (rj->header != NULL || rj->w != NULL)
		return;		/* the first input's header decides */
	rj->header = xcalloc(n + 1, sizeof(*rj->header));
	for (i = 0; i < n; i++)
		rj->header[i] = xstrdup(names[i]);
	rj->nheader = n;
}

static int
is_added_name(const char *name, size_t len)
{
	return (len == 5 && memcmp(name, "_file", 5) == 0) ||
	    (len == 5 && memcmp(name, "_line", 5) == 0) ||
	    (len == 7 && memcmp(name, "_reason", 7) == 0);
}

static int
has_column(const struct rejects *rj, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < rj->ncolumns; i++)
		if (strlen(rj->columns[i]) == len &&
		    memcmp(rj->columns[i], name, len) == 0)
			return 1;
	return 0;
}

/* The first rejected record fixes the columns of a CSV/TSV rejects file. */
static void
start_writer(struct rejects *rj, const struct record *rec)
{
	struct writer_opts wo = WRITER_OPTS_DEFAULT;
	size_t i, n = 0;

	if (rj->format == FORMAT_CSV || rj->format == FORMAT_TSV) {
		rj->columns = xcalloc(rj->nheader + rec->nfields + 4,
		    sizeof(*rj->columns));
		for (i = 0; i < rj->nheader; i++) {
			const char *name = rj->header[i];

			if (is_added_name(name, strlen(name)))
				continue;
			rj->ncolumns = n;
			if (!has_column(rj, name, strlen(name)))
				rj->columns[n++] = xstrdup(name);
		}
		for (i = 0; i < rec->nfields; i++) {
			const struct json_member *m = &rec->fields[i];

			if (is_added_name(m->name, m->name_len))
				continue;
			rj->ncolumns = n;
			if (has_column(rj, m->name, m->name_len))
				continue;
			rj->columns[n++] = xstrndup(m->name, m->name_len);
		}
		rj->columns[n++] = xstrdup("_file");
		rj->columns[n++] = xstrdup("_line");
		rj->columns[n++] = xstrdup("_reason");
		rj->ncolumns = n;
		wo.format = rj->format;
		wo.delim = rj->format == FORMAT_TSV ? '\t' : rj->delim ?
		    rj->delim : ',';
		wo.encoding = rj->encoding;
		wo.columns = (const char *const *)rj->columns;
		wo.ncolumns = rj->ncolumns;
	} else
		wo.format = FORMAT_NDJSON;
	rj->w = record_writer_new(rj->out, &wo);
}

/* Once per field name: a ragged file would otherwise flood stderr. */
static void
warn_no_column(struct rejects *rj, const char *file, unsigned long line,
    const struct json_member *m)
{
	size_t i;

	for (i = 0; i < rj->nwarned; i++)
		if (strlen(rj->warned[i]) == m->name_len &&
		    memcmp(rj->warned[i], m->name, m->name_len) == 0)
			return;
	rj->warned = xgrow(rj->warned, &rj->warned_alloc, rj->nwarned + 1,
	    sizeof(*rj->warned));
	rj->warned[rj->nwarned++] = xstrndup(m->name, m->name_len);
	data_warn(file, line, "--rejects %s has no column %.*s: its values "
	    "are left out", rj->path, (int)m->name_len, m->name);
}

void
rejects_add(struct rejects *rj, struct stats *st, const struct record *rec,
    const char *code, const char *detail)
{
	struct json_value v, *dst;
	char line[32];
	const char *file = rec->file != NULL ? rec->file : "-";
	const char *key = NULL;
	size_t i, key_len = 0;
	int csv;

	if (code == NULL)
		code = "rejected";
	if (st != NULL)
		stats_reject(st, code);
	if (rj == NULL || rj->out == NULL)
		data_error(rec->file, rec->line, "%s%s",
		    detail != NULL ? detail : code,
		    hint_encoding(detail));
	if (rj->w == NULL)
		start_writer(rj, rec);
	csv = rj->columns != NULL;

	/*
	 * A copy whose fields borrow rec's: our own _file, _line and _reason
	 * replace any the record had (a rejects file read back in).  Values
	 * that hold a secret (DESIGN.md section 4), at any depth, are masked
	 * copies; the others are written as read.  The resource's AccessKey
	 * is masked wherever else it shows (a link's path).
	 */
	if (!rj->show_secrets) {
		v = record_as_value(rec);
		(void)secrets_access_key(&v, &key, &key_len);
	}
	record_reset(&rj->tmp);
	for (i = 0; i < rec->nfields; i++) {
		const struct json_member *m = &rec->fields[i];

		if (is_added_name(m->name, m->name_len))
			continue;
		/*
		 * CSV columns were fixed by the first reject; a field this
		 * record has beyond them (a later input with another header,
		 * a row more ragged than the first) has no cell.  Say so
		 * rather than drop it quietly.
		 */
		if (csv && !has_column(rj, m->name, m->name_len)) {
			warn_no_column(rj, file, rec->line, m);
			continue;
		}
		dst = record_add(&rj->tmp, m->name, m->name_len);
		*dst = m->value;
		if (!rj->show_secrets &&
		    secrets_mask_value(&rj->tmp.arena, m->name, dst, key,
		    key_len) && rj->ascii_ellipsis)
			spell_ellipsis(&rj->tmp.arena, dst);
	}
	v = json_make_string(&rj->tmp.arena, file, strlen(file));
	record_add_value(&rj->tmp, "_file", &v);
	snprintf(line, sizeof(line), "%lu", rec->line);
	v = csv ? json_make_string(&rj->tmp.arena, line, strlen(line)) :
	    json_make_number(&rj->tmp.arena, line, strlen(line));
	record_add_value(&rj->tmp, "_line", &v);
	v = json_make_string(&rj->tmp.arena, code, strlen(code));
	record_add_value(&rj->tmp, "_reason", &v);
	rj->tmp.file = rec->file;
	rj->tmp.line = rec->line;
	if (record_writer_write(rj->w, &rj->tmp) == -1)
		die("%s: %s", rj->path, record_writer_error(rj->w));
}

void
rejects_close(struct rejects *rj)
{
	size_t i;

	if (rj == NULL)
		return;
	if (rj->out != NULL) {
		/* No rejects: an empty file (no header: no columns known). */
		if (rj->w != NULL)
			record_writer_finish(rj->w);
		output_commit(rj->out);
	}
	for (i = 0; i < rj->ncolumns; i++)
		free(rj->columns[i]);
	free(rj->columns);
	for (i = 0; i < rj->nheader; i++)
		free(rj->header[i]);
	free(rj->header);
	for (i = 0; i < rj->nwarned; i++)
		free(rj->warned[i]);
	free(rj->warned);
	record_release(&rj->tmp);
	free(rj->path);
	free(rj);
}

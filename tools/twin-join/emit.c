/*
 * emit.c: twin-join's output side: the output and its columns set up
 * from the first input, and what is written for a record with or without
 * twins and for an orphan link (--split included).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/format.h"
#include "common/json_writer.h"
#include "common/output.h"
#include "common/record.h"
#include "common/rejects.h"
#include "common/source.h"
#include "common/strbuf.h"
#include "common/writer.h"
#include "tools/twin-join/index.h"
#include "tools/twin-join/join.h"
#include "tools/twin-join/links.h"

static const char *const split_names[SPLIT_N] = {
	"matched", "unmatched", "orphans", "ambiguous"
};

/*
 * Append name to the NULL-terminated column list unless it is there.
 * Only the few added names go through here: a CSV header has no
 * duplicates (the reader refuses them) and is copied with cols_copy().
 */
static void
add_col(char ***cols, size_t *n, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*cols)[i], name) == 0)
			return;
	*cols = xrealloc(*cols, (*n + 2) * sizeof(**cols));
	(*cols)[(*n)++] = xstrdup(name);
	(*cols)[*n] = NULL;
}

static char **
cols_copy(const char *const *names, size_t n)
{
	char **cols = xmalloc((n + 1) * sizeof(*cols));
	size_t i;

	for (i = 0; i < n; i++)
		cols[i] = xstrdup(names[i]);
	cols[n] = NULL;
	return cols;
}

void
join_free_cols(char **cols, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(cols[i]);
	free(cols);
}

static struct record_writer *
new_writer(struct join *j, struct output *out, char **cols, size_t ncols)
{
	struct writer_opts wo = WRITER_OPTS_DEFAULT;

	wo.format = j->out_fmt;
	wo.columns = (const char *const *)cols;
	wo.ncolumns = ncols;
	/* CSV in, CSV out: the delimiter read (a ';' file stays ';'). */
	if (wo.format == FORMAT_CSV && j->in_delim != 0)
		wo.delim = j->in_delim;
	cli_writer_opts(&wo, &j->o->common);
	return record_writer_new(out, &wo);
}

/*
 * Set up the output once the first records input is open: its format and
 * CSV header decide the output format and columns.
 */
/*
 * Several named inputs are one stream (DESIGN.md section 1): CSV/TSV
 * output has the union of their headers, in first-seen order, so a later
 * export with an added column is no error.  Their headers are read now,
 * before the first row is written; standard input cannot be read twice
 * and brings only the columns the others have.  An input that fails to
 * open says so when its turn comes.
 */
void
join_scan_headers(struct join *j, char *const *paths, int n)
{
	struct common_opts co = j->o->common;
	const char *const *names;
	struct source *src;
	size_t k, i;
	int p;

	co.progress = -1;	/* read again when its turn comes */
	for (p = 1; p < n; p++) {
		if (strcmp(paths[p], "-") == 0)
			continue;
		src = source_open(paths[p], &co);
		if (source_header(src, &names, &k) == 1)
			for (i = 0; i < k; i++)
				add_col(&j->later_cols, &j->nlater, names[i]);
		source_close(src);
	}
}

void
join_start_output(struct join *j, struct source *src)
{
	const char *const *names;
	char **lcols = NULL, **jcols = NULL, **pcols = NULL;
	size_t n, i, nl = 0, nj = 0, np = 0;
	struct strbuf path = STRBUF_INIT;

	j->started = 1;
	j->in_fmt = source_format(src);
	j->out_fmt = j->o->common.to;
	if (j->out_fmt == FORMAT_NONE)
		j->out_fmt = j->in_fmt == FORMAT_JSON ? FORMAT_NDJSON :
		    j->in_fmt;
	j->list_as_text = !format_is_json(j->out_fmt);
	source_header(src, &names, &n);
	if (n > 0) {
		j->incols = cols_copy(names, n);
		j->nincols = n;
	}
	for (i = 0; i < LINK_NFIELDS; i++)
		add_col(&lcols, &nl, link_field_names[i]);
	/*
	 * Joined rows: the input's columns and the added ones.  Without a CSV
	 * header (JSON in, or empty input) the writer takes the first
	 * record's fields, which always include the added ones.
	 */
	if (n > 0) {
		pcols = cols_copy(names, n);
		np = n;
		for (i = 0; i < j->nlater; i++)
			add_col(&pcols, &np, j->later_cols[i]);
		jcols = cols_copy((const char *const *)pcols, np);
		nj = np;
		for (i = 0; i < j->nadd; i++)
			add_col(&jcols, &nj, j->add[i].name);
		j->cols = jcols;
		j->ncols = nj;
	}
	if (j->in_fmt == FORMAT_CSV)
		j->in_delim = source_delim(src);
	j->rj = rejects_open(j->o->common.rejects, j->in_fmt);
	rejects_like_input(j->rj, source_delim(src), j->o->common.encoding);
	if (j->in_fmt != FORMAT_JSON)
		rejects_header(j->rj, (const char *const *)pcols, np);
	if (j->o->split != NULL) {
		char **c[SPLIT_N] = { jcols, pcols, lcols, jcols };
		size_t nc[SPLIT_N] = { nj, np, nl, nj };

		char *paths[SPLIT_N + 1];
		const char *opts[SPLIT_N + 1];

		for (i = 0; i < SPLIT_N; i++) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s.%s", j->o->split,
			    split_names[i], format_name(j->out_fmt));
			paths[i] = xstrdup(path.buf);
			opts[i] = "--split";
		}
		paths[SPLIT_N] = (char *)j->o->common.rejects;
		opts[SPLIT_N] = "--rejects";
		cli_outputs_distinct(opts, (const char *const *)paths,
		    SPLIT_N + 1);
		for (i = 0; i < SPLIT_N; i++) {
			j->sout[i] = output_open(paths[i], 0);
			j->sw[i] = new_writer(j, j->sout[i], c[i], nc[i]);
			free(paths[i]);
		}
	} else if (!j->o->check) {
		join_open_output(j);
		if (j->o->kind == KIND_ORPHANS)
			j->w = new_writer(j, j->out, lcols, nl);
		else if (j->o->kind == KIND_UNMATCHED)
			j->w = new_writer(j, j->out, pcols, np);
		else
			j->w = new_writer(j, j->out, jcols, nj);
	}
	strbuf_release(&path);
	join_free_cols(lcols, nl);
	join_free_cols(pcols, np);
	if (jcols != j->cols)
		join_free_cols(jcols, nj);
}

void
join_open_output(struct join *j)
{
	if (j->out == NULL && j->o->split == NULL && !j->o->check)
		j->out = output_open(j->o->common.output,
		    j->o->common.gzip ? OUTPUT_GZIP : 0);
}

static void
write_rec(struct join *j, struct record_writer *w, const struct record *rec)
{
	if (record_writer_write(w, rec) == -1)
		data_error(rec->file, rec->line, "%s",
		    record_writer_error(w));
	j->rows++;
}

/* Give rec the added fields of link l, or empty (null) ones for NULL. */
static void
set_added(struct join *j, struct record *rec, const struct link *l)
{
	struct json_value v;
	size_t i;

	for (i = 0; i < j->nadd; i++) {
		if (l == NULL)
			v = json_make_null();
		else
			v = json_make_string(&rec->arena,
			    l->f[j->add[i].field].s, l->f[j->add[i].field].len);
		record_set_value(rec, j->add[i].name, &v);
	}
}

/* --multi list: every twin in one row, ;-joined in CSV, arrays in JSON. */
static void
set_added_list(struct join *j, struct record *rec)
{
	struct json_value v;
	size_t i, k;

	for (i = 0; i < j->nadd; i++) {
		int f = j->add[i].field;

		if (j->list_as_text) {
			strbuf_reset(&j->tmp);
			for (k = 0; k < j->nls; k++) {
				if (k > 0)
					strbuf_addch(&j->tmp, ';');
				strbuf_add(&j->tmp, j->ls[k].f[f].s,
				    j->ls[k].f[f].len);
			}
			v = json_make_string(&rec->arena, j->tmp.buf,
			    j->tmp.len);
		} else {
			v.type = JSON_ARRAY;
			v.len = j->nls;
			v.u.items = arena_alloc(&rec->arena,
			    (j->nls ? j->nls : 1) * sizeof(*v.u.items));
			for (k = 0; k < j->nls; k++)
				v.u.items[k] = json_make_string(&rec->arena,
				    j->ls[k].f[f].s, j->ls[k].f[f].len);
		}
		record_set_value(rec, j->add[i].name, &v);
	}
}

/* The added cells of a CSV-path row: link l's fields, or empty. */
static void
set_added_cells(struct join *j, struct jrow *r, const struct link *l)
{
	size_t i;

	for (i = 0; i < j->nadd; i++) {
		r->cells[r->nin + i].s = l != NULL ? l->f[j->add[i].field].s :
		    "";
		r->cells[r->nin + i].len = l != NULL ?
		    l->f[j->add[i].field].len : 0;
	}
}

/* --multi list on the CSV path: every twin, ;-joined. */
static void
set_added_cells_list(struct join *j, struct jrow *r)
{
	size_t i, k;

	for (i = 0; i < j->nadd; i++) {
		int f = j->add[i].field;

		strbuf_reset(&j->list[i]);
		for (k = 0; k < j->nls; k++) {
			if (k > 0)
				strbuf_addch(&j->list[i], ';');
			strbuf_add(&j->list[i], j->ls[k].f[f].s,
			    j->ls[k].f[f].len);
		}
		r->cells[r->nin + i].s = j->list[i].buf;
		r->cells[r->nin + i].len = j->list[i].len;
	}
}

/* Write r: with the added fields (ncells: nin + nadd), or without (nin). */
static void
write_row(struct join *j, struct record_writer *w, struct jrow *r,
    size_t ncells)
{
	if (r->rec != NULL) {
		write_rec(j, w, r->rec);
		return;
	}
	record_writer_write_cells(w, r->cells, ncells);
	j->rows++;
}

/* Write r joined with the current twins j->ls, as --multi says. */
static void
write_joined(struct join *j, struct record_writer *w, struct jrow *r)
{
	size_t k, n = r->nin + j->nadd;

	if (j->o->multi == MULTI_LIST) {
		if (r->rec != NULL)
			set_added_list(j, r->rec);
		else
			set_added_cells_list(j, r);
		write_row(j, w, r, n);
		return;
	}
	for (k = 0; k < j->nls; k++) {
		if (r->rec != NULL)
			set_added(j, r->rec, &j->ls[k]);
		else
			set_added_cells(j, r, &j->ls[k]);
		write_row(j, w, r, n);
		if (j->o->multi == MULTI_FIRST)
			break;
	}
}

/* A link as a row of its own (--orphans, the orphans split file). */
static void
write_link(struct join *j, struct record_writer *w, const struct link *l)
{
	size_t f;

	record_reset(&j->orec);
	for (f = 0; f < LINK_NFIELDS; f++)
		record_add_str(&j->orec, link_field_names[f], l->f[f].s,
		    l->f[f].len);
	write_rec(j, w, &j->orec);
}

/* An orphan link in --full output: its key and the added fields. */
static void
write_orphan_row(struct join *j, const struct link *l)
{
	record_reset(&j->orec);
	record_add_str(&j->orec, j->o->key, l->f[j->key_field].s,
	    l->f[j->key_field].len);
	set_added(j, &j->orec, l);
	write_rec(j, j->w, &j->orec);
}

int
join_writes_twins(const struct join *j)
{
	if (j->o->split != NULL)
		return 1;
	return !j->o->check && (j->o->kind == KIND_INNER ||
	    j->o->kind == KIND_LEFT || j->o->kind == KIND_FULL);
}

void
join_matched(struct join *j, struct jrow *r, uint8_t *flags)
{
	int ambiguous = j->nls > 1;

	tlink_add_rec(flags);
	if (!(*flags & TLINK_FLAGGED) &&
	    join_violates(j, tlink_nrec(*flags), j->nls)) {
		*flags |= TLINK_FLAGGED;
		join_add_offender(j, j->kbuf.buf, j->kbuf.len);
	}
	if (ambiguous && j->o->multi == MULTI_ERROR) {
		strbuf_reset(&j->tmp);
		strbuf_addf(&j->tmp, "key %s has %zu twins", j->kbuf.buf,
		    j->nls);
		/* join_cells_ok() keeps CSV-path rows away from here. */
		join_reject(j, r->rec, "multiple_twins", j->tmp.buf);
		return;
	}
	/* Counted here: a rejected record is not also a matched one. */
	j->matched++;
	if (!join_writes_twins(j)) {	/* --check counts; --unmatched */
		j->st.filtered++;
		return;
	}
	write_joined(j, j->o->split == NULL ? j->w : j->sw[ambiguous ?
	    SPLIT_AMBIGUOUS : SPLIT_MATCHED], r);
	j->st.written++;
}

void
join_unmatched(struct join *j, struct jrow *r)
{
	j->unmatched++;
	if (j->o->split != NULL) {
		write_row(j, j->sw[SPLIT_UNMATCHED], r, r->nin);
		j->st.written++;
		return;
	}
	if (j->o->check) {
		j->st.filtered++;
		return;
	}
	switch (j->o->kind) {
	case KIND_LEFT:
	case KIND_FULL:
		if (r->rec != NULL)
			set_added(j, r->rec, NULL);
		else
			set_added_cells(j, r, NULL);
		write_row(j, j->w, r, r->nin + j->nadd);
		j->st.written++;
		break;
	case KIND_UNMATCHED:
		write_row(j, j->w, r, r->nin);
		j->st.written++;
		break;
	default:
		j->st.filtered++;
		break;
	}
}

int
join_writes_orphans(const struct join *j)
{
	return j->o->split != NULL || j->o->kind == KIND_ORPHANS ||
	    j->o->kind == KIND_FULL;
}

/* A link whose key no record had. */
void
join_orphan(struct join *j, const struct link *l)
{
	if (join_withholds(j)) {
		j->withheld++;
		return;
	}
	j->orphans++;
	if (j->o->split != NULL)
		write_link(j, j->sw[SPLIT_ORPHANS], l);
	else if (j->o->kind == KIND_ORPHANS)
		write_link(j, j->w, l);
	else if (j->o->kind == KIND_FULL)
		write_orphan_row(j, l);
}

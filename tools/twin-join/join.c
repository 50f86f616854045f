/*
 * join.c: the join's output side: what happens to a record with or without
 * twins, to an orphan link, and the --split, --report and --expect ends.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/arena.h"
#include "common/errors.h"
#include "common/hints.h"
#include "common/fieldpath.h"
#include "common/format.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/output.h"
#include "common/progress.h"
#include "common/record.h"
#include "common/rejects.h"
#include "common/source.h"
#include "common/stats.h"
#include "common/strbuf.h"
#include "common/writer.h"
#include "tools/twin-join/index.h"
#include "tools/twin-join/join.h"
#include "tools/twin-join/links.h"

static const char *const expect_names[] = {
	"", "one-to-one", "one-to-many", "many-to-one"
};

static const char *const split_names[SPLIT_N] = {
	"matched", "unmatched", "orphans", "ambiguous"
};

static const char *const card_names[CARD_N] = { "1:1", "1:N", "N:1", "N:M" };

static const struct added added_by_partner[] = {
	{ "dgis_id", LINK_DGIS_ID }, { "dgis_type", LINK_DGIS_TYPE }
};

static const struct added added_by_dgis[] = {
	{ "partner_code", LINK_PARTNER_CODE },
	{ "partner_id", LINK_PARTNER_ID },
	{ "partner_type", LINK_PARTNER_TYPE }
};

static void free_cols(char **, size_t);

void
join_init(struct join *j, struct opts *o)
{
	size_t i;

	memset(j, 0, sizeof(*j));
	j->o = o;
	j->key_field = o->by_dgis ? LINK_DGIS_ID : LINK_PARTNER_ID;
	j->add = o->by_dgis ? added_by_dgis : added_by_partner;
	j->nadd = o->by_dgis ? 3 : 2;
	strbuf_init(&j->kbuf, 0);
	strbuf_init(&j->tmp, 0);
	for (i = 0; i < 3; i++)
		strbuf_init(&j->list[i], 0);
	record_init(&j->orec);
	key_finder_init(&j->kf, o);
}

void
join_release(struct join *j)
{
	size_t i;

	twin_index_free(j->ix);
	key_finder_release(&j->kf);
	stats_release(&j->st);
	record_release(&j->orec);
	strbuf_release(&j->kbuf);
	strbuf_release(&j->tmp);
	for (i = 0; i < 3; i++)
		strbuf_release(&j->list[i]);
	free(j->ls);
	free_cols(j->cols, j->ncols);
	free_cols(j->incols, j->nincols);
	for (i = 0; i < j->noffenders; i++)
		free(j->offenders[i]);
}

/* ==== keys ==== */

/* The compared copy of a key: s itself, or normalized into sb. */
void
key_normalize(int norm, const char *s, size_t n, struct strbuf *sb)
{
	size_t i;

	strbuf_reset(sb);
	if (norm & NORM_TRIM) {
		while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' ||
		    *s == '\n')) {
			s++;
			n--;
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
	}
	if (norm & NORM_ZEROS) {
		/* Leading zeros go, but "000" is still the number zero. */
		while (n > 1 && *s == '0') {
			s++;
			n--;
		}
	}
	strbuf_add(sb, s, n);
	if (norm & NORM_LOWER)
		for (i = 0; i < sb->len; i++)
			if (sb->buf[i] >= 'A' && sb->buf[i] <= 'Z')
				sb->buf[i] = (char)(sb->buf[i] - 'A' + 'a');
}

int
key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

/* ==== output ==== */

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

static void
free_cols(char **cols, size_t n)
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
static void
start_output(struct join *j, struct source *src)
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
		jcols = cols_copy(names, n);
		nj = n;
		for (i = 0; i < j->nadd; i++)
			add_col(&jcols, &nj, j->add[i].name);
		j->cols = jcols;
		j->ncols = nj;
	}
	if (n > 0) {
		pcols = cols_copy(names, n);
		np = n;
	}
	if (j->in_fmt == FORMAT_CSV)
		j->in_delim = source_delim(src);
	j->rj = rejects_open(j->o->common.rejects, j->in_fmt);
	rejects_like_input(j->rj, source_delim(src), j->o->common.encoding);
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
	} else {
		join_open_output(j);
		if (j->o->kind == KIND_ORPHANS)
			j->w = new_writer(j, j->out, lcols, nl);
		else if (j->o->kind == KIND_UNMATCHED)
			j->w = new_writer(j, j->out, pcols, np);
		else
			j->w = new_writer(j, j->out, jcols, nj);
	}
	strbuf_release(&path);
	free_cols(lcols, nl);
	free_cols(pcols, np);
	if (jcols != j->cols)
		free_cols(jcols, nj);
}

void
join_open_output(struct join *j)
{
	if (j->out == NULL && j->o->split == NULL)
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

/* ==== the join itself ==== */

static void
reject(struct join *j, struct record *rec, const char *code,
    const char *detail)
{
	rejects_add(j->rj, &j->st, rec, code, detail);
}

void
key_finder_init(struct key_finder *kf, const struct opts *o)
{
	memset(kf, 0, sizeof(*kf));
	kf->name = o->key;
	kf->norm = o->norm;
	strbuf_init(&kf->key, 0);
	strbuf_init(&kf->why, 0);
	strbuf_init(&kf->err, 0);
	kf->kp = fieldpath_compile(o->key, &kf->err);
	if (kf->kp == NULL)
		usage_error("bad -k %s: %s", o->key, kf->err.buf);
}

void
key_finder_release(struct key_finder *kf)
{
	fieldpath_free(kf->kp);
	arena_release(&kf->ka);
	strbuf_release(&kf->key);
	strbuf_release(&kf->why);
	strbuf_release(&kf->err);
}

int
key_finder_find(struct key_finder *kf, struct record *rec, const char **code)
{
	struct json_value v;
	const char *s;
	size_t n;
	int rc;

	arena_reset(&kf->ka);
	strbuf_reset(&kf->err);
	strbuf_reset(&kf->why);
	rc = fieldpath_get(kf->kp, rec, &kf->ka, &v, &kf->err);
	if (rc == -1) {
		strbuf_addf(&kf->why, "key %s: %s", kf->name, kf->err.buf);
		*code = "bad_key";
		return -1;
	}
	if (rc == 0) {
		strbuf_addf(&kf->why, "no key field %s", kf->name);
		*code = "missing_key";
		return -1;
	}
	if (!json_value_text(&v, &s, &n)) {
		strbuf_addf(&kf->why, "key %s is not a string or a number",
		    kf->name);
		*code = "bad_key";
		return -1;
	}
	key_normalize(kf->norm, s, n, &kf->key);
	if (kf->key.len == 0) {
		strbuf_addf(&kf->why, "empty key %s", kf->name);
		*code = "empty_key";
		return -1;
	}
	return 0;
}

int
join_find_key(struct join *j, struct record *rec, const char **code)
{
	int rc = key_finder_find(&j->kf, rec, code);
	struct strbuf swap;

	/* The finder's buffer becomes j's: no copy per record. */
	if (rc == 0) {
		swap = j->kbuf;
		j->kbuf = j->kf.key;
		j->kf.key = swap;
	} else {
		swap = j->tmp;
		j->tmp = j->kf.why;
		j->kf.why = swap;
	}
	return rc;
}

void
join_reject(struct join *j, struct record *rec, const char *code,
    const char *why)
{
	reject(j, rec, code, why);
}

/* The key of rec into j->kbuf, or -1 after rejecting rec for having none. */
int
join_record_key(struct join *j, struct record *rec)
{
	const char *code;

	if (rec->problem != NULL) {
		reject(j, rec, rec->problem_code, rec->problem);
		return -1;
	}
	if (join_find_key(j, rec, &code) == -1) {
		reject(j, rec, code, j->tmp.buf);
		return -1;
	}
	return 0;
}

static void
add_offender(struct join *j, const char *k, size_t n)
{
	if (j->noffenders < MAX_OFFENDERS)
		j->offenders[j->noffenders++] = xstrndup(k, n);
}

static int
violates(const struct join *j, unsigned nrec, size_t nlinks)
{
	switch (j->o->expect) {
	case EXPECT_ONE_TO_ONE:
		return nrec > 1 || nlinks > 1;
	case EXPECT_ONE_TO_MANY:
		return nrec > 1;
	case EXPECT_MANY_TO_ONE:
		return nlinks > 1;
	default:
		return 0;
	}
}

/* A key's final counts: its cardinality (only keys that matched count). */
void
join_count_key(struct join *j, unsigned nrec, size_t nlinks)
{
	if (nrec == 0)
		return;
	if (nrec == 1)
		j->card[nlinks == 1 ? CARD_1_1 : CARD_1_N]++;
	else
		j->card[nlinks == 1 ? CARD_N_1 : CARD_N_M]++;
}

/*
 * rec (key in j->kbuf) has the twins j->ls[0..nls).  *flags holds the
 * key's record count and --expect mark, kept by the caller's index or
 * merge group.
 */
void
join_matched(struct join *j, struct jrow *r, uint8_t *flags)
{
	int ambiguous = j->nls > 1;

	tlink_add_rec(flags);
	j->matched++;
	if (!(*flags & TLINK_FLAGGED) &&
	    violates(j, tlink_nrec(*flags), j->nls)) {
		*flags |= TLINK_FLAGGED;
		add_offender(j, j->kbuf.buf, j->kbuf.len);
	}
	if (ambiguous && j->o->multi == MULTI_ERROR) {
		strbuf_reset(&j->tmp);
		strbuf_addf(&j->tmp, "key %s has %zu twins", j->kbuf.buf,
		    j->nls);
		/* join_cells_ok() keeps CSV-path rows away from here. */
		reject(j, r->rec, "multiple_twins", j->tmp.buf);
		return;
	}
	if (j->o->split != NULL) {
		write_joined(j, j->sw[ambiguous ? SPLIT_AMBIGUOUS :
		    SPLIT_MATCHED], r);
		j->st.written++;
		return;
	}
	switch (j->o->kind) {
	case KIND_INNER:
	case KIND_LEFT:
	case KIND_FULL:
		write_joined(j, j->w, r);
		j->st.written++;
		break;
	default:
		j->st.filtered++;
		break;
	}
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

/* A link whose key no record had. */
void
join_orphan(struct join *j, const struct link *l)
{
	j->orphans++;
	if (j->o->split != NULL)
		write_link(j, j->sw[SPLIT_ORPHANS], l);
	else if (j->o->kind == KIND_ORPHANS)
		write_link(j, j->w, l);
	else if (j->o->kind == KIND_FULL)
		write_orphan_row(j, l);
}

/*
 * Only the links of the -p partners count.  A link that names no partner
 * can't be told apart when several were asked for: an error, not a silent
 * drop.
 */
int
join_wanted(const struct opts *o, struct links_reader *lr, const struct link *l)
{
	size_t i;

	if (o->ncodes == 0)
		return 1;
	if (l->f[LINK_PARTNER_CODE].len == 0)
		data_error(links_reader_name(lr), l->line, "the link names no "
		    "partner code: give a single -p CODE for it");
	for (i = 0; i < o->ncodes; i++)
		if (strlen(o->codes[i]) == l->f[LINK_PARTNER_CODE].len &&
		    memcmp(o->codes[i], l->f[LINK_PARTNER_CODE].s,
		    l->f[LINK_PARTNER_CODE].len) == 0)
			return 1;
	return 0;
}

/*
 * A CSV header without the key column would reject every row, one by one:
 * say so once, up front.
 */
static void
check_header(struct join *j, struct source *src)
{
	const char *const *names;
	size_t n, i;

	if (!fieldpath_is_plain(j->kf.kp))
		return;
	source_header(src, &names, &n);
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], j->o->key) == 0)
			return;
	strbuf_reset(&j->tmp);
	hint_header(&j->tmp, names, n, source_delim(src));
	data_error(source_name(src), 1, "no %s column in the header (%s; "
	    "see -k and -d)", j->o->key, j->tmp.buf);
}

void
join_source_opened(struct join *j, struct source *src)
{
	const char *const *names;
	size_t n;

	/* One that failed to open says so before any output is set up. */
	if (source_header(src, &names, &n) == -1)
		source_die(src);
	if (!j->started)
		start_output(j, src);
	check_header(j, src);
}

int
join_cells_ok(struct join *j, struct source *src, size_t *kcol)
{
	const char *const *names;
	size_t n, i;

	if ((j->in_fmt != FORMAT_CSV && j->in_fmt != FORMAT_TSV) ||
	    (j->out_fmt != FORMAT_CSV && j->out_fmt != FORMAT_TSV) ||
	    j->o->multi == MULTI_ERROR || !fieldpath_is_plain(j->kf.kp) ||
	    (source_format(src) != FORMAT_CSV &&
	    source_format(src) != FORMAT_TSV) || j->nincols == 0 ||
	    j->ncols != j->nincols + j->nadd ||
	    j->o->common.columns != NULL)	/* rows by name, not cells */
		return 0;
	source_header(src, &names, &n);
	if (n != j->nincols)
		return 0;
	*kcol = n;
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], j->incols[i]) != 0)
			return 0;
		if (strcmp(names[i], j->o->key) == 0)
			*kcol = i;
	}
	return *kcol < n;
}

void
join_count_read(struct join *j)
{
	j->st.read++;
	progress_tick(j->st.read);
}

int
records_next(struct join *j, struct records *rs, struct record *rec)
{
	int rc;

	for (;;) {
		if (rs->src == NULL) {
			if (rs->i >= rs->n)
				return 0;
			rs->src = source_open(rs->paths[rs->i++],
			    &j->o->common);
			join_source_opened(j, rs->src);
		}
		rc = source_next(rs->src, rec);
		if (rc == 1) {
			join_count_read(j);
			return 1;
		}
		if (rc == -1)
			source_die(rs->src);
		source_close(rs->src);
		rs->src = NULL;
	}
}

/* ==== the end: report, stats, --expect ==== */

static unsigned long long
violations(const struct join *j)
{
	switch (j->o->expect) {
	case EXPECT_ONE_TO_ONE:
		return j->card[CARD_1_N] + j->card[CARD_N_1] +
		    j->card[CARD_N_M];
	case EXPECT_ONE_TO_MANY:
		return j->card[CARD_N_1] + j->card[CARD_N_M];
	case EXPECT_MANY_TO_ONE:
		return j->card[CARD_1_N] + j->card[CARD_N_M];
	default:
		return 0;
	}
}

static void
print_report(struct join *j)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addf(&sb, "{\"records\":%llu,\"matched\":%llu,"
	    "\"unmatched\":%llu,\"rejected\":%llu,\"links\":%llu,"
	    "\"duplicate_links\":%llu,\"orphans\":%llu,\"keys\":{",
	    j->st.read, j->matched, j->unmatched, j->st.rejected, j->links,
	    j->dups, j->orphans);
	for (i = 0; i < CARD_N; i++)
		strbuf_addf(&sb, "%s\"%s\":%llu", i ? "," : "", card_names[i],
		    j->card[i]);
	strbuf_addch(&sb, '}');
	if (j->o->expect != EXPECT_NONE) {
		strbuf_addf(&sb, ",\"expect\":\"%s\",\"violations\":%llu,"
		    "\"offending\":[", expect_names[j->o->expect],
		    violations(j));
		for (i = 0; i < j->noffenders; i++) {
			if (i > 0)
				strbuf_addch(&sb, ',');
			json_write_string(&sb, j->offenders[i],
			    strlen(j->offenders[i]));
		}
		strbuf_addch(&sb, ']');
	}
	strbuf_addstr(&sb, "}\n");
	fputs(sb.buf, stderr);
	strbuf_release(&sb);
}

int
join_finish(struct join *j)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long long v;
	size_t i;

	progress_end();
	if (j->w != NULL)
		record_writer_finish(j->w);
	if (j->out != NULL)
		output_commit(j->out);
	for (i = 0; i < SPLIT_N; i++) {
		if (j->sw[i] != NULL)
			record_writer_finish(j->sw[i]);
		if (j->sout[i] != NULL)
			output_commit(j->sout[i]);
	}
	rejects_close(j->rj);
	if (j->o->report)
		print_report(j);
	if (j->o->common.stats) {
		strbuf_addf(&sb, "\"links\":%llu,\"orphans\":%llu,"
		    "\"rows\":%llu", j->links, j->orphans, j->rows);
		stats_print(&j->st, stderr, sb.buf);
	}
	strbuf_release(&sb);
	v = violations(j);
	if (v == 0)
		return EXIT_SUCCESS;
	strbuf_init(&sb, 0);
	for (i = 0; i < j->noffenders; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", j->offenders[i]);
	if (v > j->noffenders)
		strbuf_addstr(&sb, ", ...");
	warnx("expected %s, but %llu key%s %s not: %s",
	    expect_names[j->o->expect], v, v == 1 ? "" : "s",
	    v == 1 ? "is" : "are", sb.buf);
	strbuf_release(&sb);
	return EXIT_CHECK;
}

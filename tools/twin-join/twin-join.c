/*
 * twin-join: join partner records with 2GIS twins links (Twins API), and
 * report the records without a twin, the stale links and the ambiguous keys.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/arena.h"
#include "common/cli.h"
#include "common/errors.h"
#include "common/fieldpath.h"
#include "common/format.h"
#include "common/json.h"
#include "common/output.h"
#include "common/progress.h"
#include "common/record.h"
#include "common/rejects.h"
#include "common/source.h"
#include "common/stats.h"
#include "common/strbuf.h"
#include "common/writer.h"
#include "tools/twin-join/index.h"
#include "tools/twin-join/links.h"

static const char synopsis[] =
"usage: twin-join [OPTIONS] -l LINKS [FILE...]\n"
"       twin-join --split DIR [OPTIONS] -l LINKS [FILE...]";

static const char help[] =
"Join partner records (CSV, TSV or JSON) with 2GIS twins links: the Twins\n"
"API's CSV export, saved search-by-dgis or search-by-partner responses, or\n"
"NDJSON link rows.\n"
"\n"
"Links:\n"
"  -l, --links FILE        twins links (repeatable; gzip allowed)\n"
"  --links-cols MAP        link column names: dgis=COL,partner=COL,code=COL,\n"
"                          dgis_type=COL,partner_type=COL\n"
"  -c, --partner-code CODE use only the links of partner CODE (repeatable);\n"
"                          with one CODE, links without a code get it\n"
"  --strict                result.total that disagrees with the items read\n"
"                          is an error, not a warning\n"
"Join:\n"
"  --by partner|dgis       records carry a partner id (default; adds dgis_id,\n"
"                          dgis_type) or a 2GIS id (adds partner_code,\n"
"                          partner_id, partner_type)\n"
"  -k, --key FIELD         the records' key field (default partner_id or\n"
"                          dgis_id)\n"
"  --left                  keep records without a twin, new fields empty\n"
"  --unmatched             only the records without a twin, as read\n"
"  --orphans               only the links whose key no record has\n"
"  --full                  records (matched or not), then orphan links\n"
"  -m, --multi HOW         a key with several twins: rows (one row each,\n"
"                          default), first, list, or error (reject)\n"
"  --key-normalize LIST    compare keys after trim, lower and/or\n"
"                          strip-zeros (output keeps the original)\n"
"  --sorted                both sides are sorted by key (LC_ALL=C): merge\n"
"                          them in constant memory\n"
"  --split DIR             write DIR/matched, unmatched, orphans and\n"
"                          ambiguous files in one pass\n"
"Checks:\n"
"  --report                a JSON summary with cardinalities on stderr\n"
"  --expect CARD           one-to-one, one-to-many or many-to-one: exit 1\n"
"                          after the output when a key violates it\n"
"\n"
"Exit status: 0 success, 1 an --expect violation, 2 trouble.";

enum join_kind { KIND_INNER, KIND_LEFT, KIND_UNMATCHED, KIND_ORPHANS,
	KIND_FULL };
enum multi { MULTI_ROWS, MULTI_FIRST, MULTI_LIST, MULTI_ERROR };
enum expect { EXPECT_NONE, EXPECT_ONE_TO_ONE, EXPECT_ONE_TO_MANY,
	EXPECT_MANY_TO_ONE };

static const char *const expect_names[] = {
	"", "one-to-one", "one-to-many", "many-to-one"
};

#define NORM_TRIM	0x1
#define NORM_LOWER	0x2
#define NORM_ZEROS	0x4

/* The split files, in this order. */
enum { SPLIT_MATCHED, SPLIT_UNMATCHED, SPLIT_ORPHANS, SPLIT_AMBIGUOUS,
	SPLIT_N };
static const char *const split_names[SPLIT_N] = {
	"matched", "unmatched", "orphans", "ambiguous"
};

/* Cardinalities of a key: records to twins. */
enum { CARD_1_1, CARD_1_N, CARD_N_1, CARD_N_M, CARD_N };
static const char *const card_names[CARD_N] = { "1:1", "1:N", "N:1", "N:M" };

#define MAX_OFFENDERS	10

struct opts {
	struct common_opts	 common;
	char			**links;	/* -l files */
	size_t			 nlinks, lalloc;
	char			**codes;	/* -c codes */
	size_t			 ncodes, calloc_;
	struct links_opts	 lo;
	int			 by_dgis;
	const char		*key;		/* -k */
	enum join_kind		 kind;
	int			 kind_set;
	enum multi		 multi;
	const char		*split;
	int			 report;
	enum expect		 expect;
	int			 norm;
	int			 sorted;
};

/* The added fields and the link fields they come from. */
struct added {
	const char	*name;
	int		 field;
};

static const struct added added_by_partner[] = {
	{ "dgis_id", LINK_DGIS_ID }, { "dgis_type", LINK_DGIS_TYPE }
};
static const struct added added_by_dgis[] = {
	{ "partner_code", LINK_PARTNER_CODE },
	{ "partner_id", LINK_PARTNER_ID },
	{ "partner_type", LINK_PARTNER_TYPE }
};

struct join {
	struct opts		*o;
	const struct added	*add;
	size_t			 nadd;
	int			 key_field;	/* link field records join on */
	struct fieldpath	*kp;
	/* Output, created with the first records input. */
	int			 started;
	enum format		 in_fmt, out_fmt;
	int			 list_as_text;	/* --multi list in CSV/TSV */
	struct output		*out;
	struct record_writer	*w;
	struct output		*sout[SPLIT_N];
	struct record_writer	*sw[SPLIT_N];
	char			**cols;		/* joined CSV columns */
	size_t			 ncols;
	char			**incols;	/* input CSV header */
	size_t			 nincols;
	struct rejects		*rj;
	struct stats		 st;
	/* Counts for --report. */
	unsigned long long	 matched, unmatched, rows, links, orphans;
	unsigned long long	 dups;
	unsigned long long	 card[CARD_N];
	char			*offenders[MAX_OFFENDERS];
	size_t			 noffenders;
	/* Scratch. */
	struct arena		 ka;		/* key values from fieldpath */
	struct strbuf		 kbuf;		/* the compared key */
	struct strbuf		 tmp, err;
	struct record		 orec;		/* orphan rows */
	struct link		*ls;		/* the current key's twins */
	size_t			 nls, lsalloc;
	/* In-memory mode. */
	struct twin_index	*ix;
};

/* ==== keys ==== */

/* The compared copy of a key: s itself, or normalized into sb. */
static void
normalize(int norm, const char *s, size_t n, struct strbuf *sb)
{
	size_t i;

	strbuf_reset(sb);
	if (norm & NORM_TRIM) {
		while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' ||
		    *s == '\n'))
			s++, n--;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
	}
	if (norm & NORM_ZEROS) {
		/* Leading zeros go, but "000" is still the number zero. */
		while (n > 1 && *s == '0')
			s++, n--;
	}
	strbuf_add(sb, s, n);
	if (norm & NORM_LOWER)
		for (i = 0; i < sb->len; i++)
			if (sb->buf[i] >= 'A' && sb->buf[i] <= 'Z')
				sb->buf[i] = (char)(sb->buf[i] - 'A' + 'a');
}

static int
key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

/* ==== output ==== */

static void
add_col(char ***cols, size_t *n, const char *name)
{
	size_t i, alloc = *n;

	for (i = 0; i < *n; i++)
		if (strcmp((*cols)[i], name) == 0)
			return;
	*cols = xrealloc(*cols, (*n + 2) * sizeof(**cols));
	(*cols)[(*n)++] = xstrdup(name);
	(*cols)[*n] = NULL;
	(void)alloc;
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
	wo.crlf = j->o->common.crlf;
	wo.csv_safe = j->o->common.csv_safe;
	wo.columns = (const char *const *)cols;
	wo.ncolumns = ncols;
	return record_writer_new(out, &wo);
}

static const char *
format_ext(enum format f)
{
	switch (f) {
	case FORMAT_CSV:
		return "csv";
	case FORMAT_TSV:
		return "tsv";
	case FORMAT_JSON:
		return "json";
	default:
		return "ndjson";
	}
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
	for (i = 0; i < n; i++)
		add_col(&j->incols, &j->nincols, names[i]);
	for (i = 0; i < LINK_NFIELDS; i++)
		add_col(&lcols, &nl, link_field_names[i]);
	/*
	 * Joined rows: the input's columns and the added ones.  Without a CSV
	 * header (JSON in, or empty input) the writer takes the first
	 * record's fields, which always include the added ones.
	 */
	if (n > 0) {
		for (i = 0; i < n; i++)
			add_col(&jcols, &nj, names[i]);
		for (i = 0; i < j->nadd; i++)
			add_col(&jcols, &nj, j->add[i].name);
		j->cols = jcols;
		j->ncols = nj;
	}
	for (i = 0; i < j->nincols; i++)
		add_col(&pcols, &np, j->incols[i]);
	j->rj = rejects_open(j->o->common.rejects, j->in_fmt);
	if (j->o->split != NULL) {
		char **c[SPLIT_N] = { jcols, pcols, lcols, jcols };
		size_t nc[SPLIT_N] = { nj, np, nl, nj };

		for (i = 0; i < SPLIT_N; i++) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s.%s", j->o->split,
			    split_names[i], format_ext(j->out_fmt));
			j->sout[i] = output_open(path.buf, 0);
			j->sw[i] = new_writer(j, j->sout[i], c[i], nc[i]);
		}
	} else {
		j->out = output_open(j->o->common.output,
		    j->o->common.gzip ? OUTPUT_GZIP : 0);
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

/* Write rec joined with the current twins j->ls, as --multi says. */
static void
write_joined(struct join *j, struct record_writer *w, struct record *rec)
{
	size_t k;

	if (j->o->multi == MULTI_LIST) {
		set_added_list(j, rec);
		write_rec(j, w, rec);
		return;
	}
	for (k = 0; k < j->nls; k++) {
		set_added(j, rec, &j->ls[k]);
		write_rec(j, w, rec);
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

/*
 * The compared key of rec into j->kbuf.  Returns 0, or -1 with *code and
 * j->tmp saying why there is none (no key field, an empty key, a key that
 * is not a string or a number).
 */
static int
find_key(struct join *j, struct record *rec, const char **code)
{
	struct json_value v;
	const char *s;
	size_t n;
	int rc;

	arena_reset(&j->ka);
	strbuf_reset(&j->err);
	strbuf_reset(&j->tmp);
	rc = fieldpath_get(j->kp, rec, &j->ka, &v, &j->err);
	if (rc == -1) {
		strbuf_addf(&j->tmp, "key %s: %s", j->o->key, j->err.buf);
		*code = "bad_key";
		return -1;
	}
	if (rc == 0) {
		strbuf_addf(&j->tmp, "no key field %s", j->o->key);
		*code = "missing_key";
		return -1;
	}
	if (!json_value_text(&v, &s, &n)) {
		strbuf_addf(&j->tmp, "key %s is not a string or a number",
		    j->o->key);
		*code = "bad_key";
		return -1;
	}
	normalize(j->o->norm, s, n, &j->kbuf);
	if (j->kbuf.len == 0) {
		strbuf_addf(&j->tmp, "empty key %s", j->o->key);
		*code = "empty_key";
		return -1;
	}
	return 0;
}

/* The key of rec into j->kbuf, or -1 after rejecting rec for having none. */
static int
record_key(struct join *j, struct record *rec)
{
	const char *code;

	if (rec->problem != NULL) {
		reject(j, rec, rec->problem_code, rec->problem);
		return -1;
	}
	if (find_key(j, rec, &code) == -1) {
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
violates(const struct join *j, uint32_t nrec, size_t nlinks)
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
static void
count_key(struct join *j, uint32_t nrec, size_t nlinks)
{
	if (nrec == 0)
		return;
	if (nrec == 1)
		j->card[nlinks == 1 ? CARD_1_1 : CARD_1_N]++;
	else
		j->card[nlinks == 1 ? CARD_N_1 : CARD_N_M]++;
}

/*
 * rec (key in j->kbuf) has the twins j->ls[0..nls).  *nrec and *flags are
 * the key's counters, kept by the caller's index or merge group.
 */
static void
matched(struct join *j, struct record *rec, uint32_t *nrec, uint8_t *flags)
{
	int ambiguous = j->nls > 1;

	if (*nrec < UINT32_MAX)
		(*nrec)++;
	j->matched++;
	if (!(*flags & TLINK_FLAGGED) && violates(j, *nrec, j->nls)) {
		*flags |= TLINK_FLAGGED;
		add_offender(j, j->kbuf.buf, j->kbuf.len);
	}
	if (ambiguous && j->o->multi == MULTI_ERROR) {
		strbuf_reset(&j->tmp);
		strbuf_addf(&j->tmp, "key %s has %zu twins", j->kbuf.buf,
		    j->nls);
		reject(j, rec, "multiple_twins", j->tmp.buf);
		return;
	}
	if (j->o->split != NULL) {
		write_joined(j, j->sw[ambiguous ? SPLIT_AMBIGUOUS :
		    SPLIT_MATCHED], rec);
		j->st.written++;
		return;
	}
	switch (j->o->kind) {
	case KIND_INNER:
	case KIND_LEFT:
	case KIND_FULL:
		write_joined(j, j->w, rec);
		j->st.written++;
		break;
	default:
		j->st.filtered++;
		break;
	}
}

static void
unmatched(struct join *j, struct record *rec)
{
	j->unmatched++;
	if (j->o->split != NULL) {
		write_rec(j, j->sw[SPLIT_UNMATCHED], rec);
		j->st.written++;
		return;
	}
	switch (j->o->kind) {
	case KIND_LEFT:
	case KIND_FULL:
		set_added(j, rec, NULL);
		/* FALLTHROUGH */
	case KIND_UNMATCHED:
		write_rec(j, j->w, rec);
		j->st.written++;
		break;
	default:
		j->st.filtered++;
		break;
	}
}

/* A link whose key no record had. */
static void
orphan(struct join *j, const struct link *l)
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
 * Only the links of the -c partners count.  A link that names no partner
 * can't be told apart when several were asked for: an error, not a silent
 * drop.
 */
static int
wanted(const struct opts *o, struct links_reader *lr, const struct link *l)
{
	size_t i;

	if (o->ncodes == 0)
		return 1;
	if (l->f[LINK_PARTNER_CODE].len == 0)
		data_error(links_reader_name(lr), l->line, "the link names no "
		    "partner code: give a single -c CODE for it");
	for (i = 0; i < o->ncodes; i++)
		if (strlen(o->codes[i]) == l->f[LINK_PARTNER_CODE].len &&
		    memcmp(o->codes[i], l->f[LINK_PARTNER_CODE].s,
		    l->f[LINK_PARTNER_CODE].len) == 0)
			return 1;
	return 0;
}

static struct links_reader *
open_links(const struct opts *o, const char *path)
{
	struct links_reader *lr;
	const char *err = NULL;

	lr = links_reader_open(path, &o->lo, &err);
	if (lr == NULL)
		die("%s: %s", path, err != NULL ? err : "cannot open");
	return lr;
}

static void __attribute__((noreturn))
links_die(struct links_reader *lr)
{
	data_error(links_reader_name(lr), links_reader_error_line(lr), "%s",
	    links_reader_error(lr));
}

/*
 * Read the next record of any input, opening them in turn.  An input that
 * ended is closed only by records_drop(): the records read from it still
 * borrow its header names until the caller is done with them.
 */
struct records {
	char		**paths;
	int		  n, i;
	struct source	 *src;
	struct source	**ended;
	size_t		  nended, ealloc;
};

static void
records_drop(struct records *rs)
{
	while (rs->nended > 0)
		source_close(rs->ended[--rs->nended]);
}

static int
next_record(struct join *j, struct records *rs, struct record *rec)
{
	int rc;

	for (;;) {
		if (rs->src == NULL) {
			if (rs->i >= rs->n)
				return 0;
			rs->src = source_open(rs->paths[rs->i++],
			    &j->o->common);
			if (!j->started)
				start_output(j, rs->src);
		}
		rc = source_next(rs->src, rec);
		if (rc == 1) {
			j->st.read++;
			progress_tick(j->st.read);
			return 1;
		}
		if (rc == -1)
			source_die(rs->src);
		rs->ended = xgrow(rs->ended, &rs->ealloc, rs->nended + 1,
		    sizeof(*rs->ended));
		rs->ended[rs->nended++] = rs->src;
		rs->src = NULL;
	}
}

/* ==== in memory: an index of the links, records streamed past it ==== */

static void
load_index(struct join *j)
{
	struct link l;
	struct links_reader *lr;
	size_t i;
	int rc;

	j->ix = twin_index_new(j->key_field);
	for (i = 0; i < j->o->nlinks; i++) {
		lr = open_links(j->o, j->o->links[i]);
		while ((rc = links_reader_next(lr, &l)) == 1) {
			if (!wanted(j->o, lr, &l))
				continue;
			normalize(j->o->norm, l.f[j->key_field].s,
			    l.f[j->key_field].len, &j->kbuf);
			if (j->kbuf.len == 0)
				data_error(links_reader_name(lr), l.line,
				    "a link's key is empty once normalized");
			if (twin_index_add(j->ix, &l, j->kbuf.buf,
			    j->kbuf.len) == -1)
				data_error(links_reader_name(lr), l.line,
				    "an ID longer than 65535 bytes, or more "
				    "than 65535 distinct types and codes");
		}
		if (rc == -1)
			links_die(lr);
		links_reader_free(lr);
	}
	twin_index_seal(j->ix);
	j->links = twin_index_links(j->ix);
	j->dups = twin_index_dups(j->ix);
}

/* rec, whose compared key is in j->kbuf with hash h, against the index. */
static void
join_one(struct join *j, struct record *rec, uint32_t h)
{
	struct tlink *head, *t;

	head = twin_index_find_hash(j->ix, j->kbuf.buf, j->kbuf.len, h);
	if (head == NULL) {
		unmatched(j, rec);
		return;
	}
	j->nls = 0;
	for (t = head; t != NULL; t = t->next) {
		j->ls = xgrow(j->ls, &j->lsalloc, j->nls + 1, sizeof(*j->ls));
		tlink_get(j->ix, t, &j->ls[j->nls++]);
		t->flags |= TLINK_MATCHED;
	}
	matched(j, rec, &head->nrec, &head->flags);
}

/*
 * Records go through in batches: first every key is found and its table
 * slot prefetched, then the links in those slots, then each record is
 * joined in input order.  The index is far larger than the caches, and
 * this lets the memory loads of a batch overlap (see index.h).
 */
#define BATCH	32

static void
run_hash(struct join *j, struct records *rs)
{
	struct record recs[BATCH];
	struct twin_index_iter it = { NULL, 0 };
	struct strbuf keys = STRBUF_INIT;
	size_t koff[BATCH], klen[BATCH], i, n;
	uint32_t h[BATCH];
	int ok[BATCH];
	const char *code;
	struct tlink *t;
	struct link l;

	for (i = 0; i < BATCH; i++)
		record_init(&recs[i]);
	load_index(j);
	do {
		records_drop(rs);
		strbuf_reset(&keys);
		for (n = 0; n < BATCH && next_record(j, rs, &recs[n]) == 1;
		    n++) {
			ok[n] = recs[n].problem == NULL &&
			    find_key(j, &recs[n], &code) == 0;
			if (!ok[n])
				continue;
			koff[n] = keys.len;
			klen[n] = j->kbuf.len;
			strbuf_add(&keys, j->kbuf.buf, j->kbuf.len);
			h[n] = twin_index_hash(j->kbuf.buf, j->kbuf.len);
			twin_index_prefetch_slot(j->ix, h[n]);
		}
		for (i = 0; i < n; i++)
			if (ok[i])
				twin_index_prefetch(j->ix, h[i]);
		for (i = 0; i < n; i++) {
			if (!ok[i]) {
				/* Again, to reject it in input order. */
				(void)record_key(j, &recs[i]);
				continue;
			}
			strbuf_reset(&j->kbuf);
			strbuf_add(&j->kbuf, keys.buf + koff[i], klen[i]);
			join_one(j, &recs[i], h[i]);
		}
	} while (n == BATCH);
	records_drop(rs);
	for (i = 0; i < BATCH; i++)
		record_release(&recs[i]);
	strbuf_release(&keys);
	/* Orphans in load order; cardinalities from each key's head. */
	while ((t = twin_index_next(j->ix, &it)) != NULL) {
		if (t->flags & TLINK_HEAD)
			count_key(j, t->nrec, tlink_count(t));
		if (!(t->flags & TLINK_MATCHED)) {
			tlink_get(j->ix, t, &l);
			orphan(j, &l);
		}
	}
}

/* ==== --sorted: both sides merged in key order ==== */

struct merge {
	struct links_reader	*lr;
	size_t			 next_file;
	int			 eof;
	/* The link read ahead, its strings copied to pa. */
	int			 have_pending;
	struct link		 pending;
	struct strbuf		 pkey;
	struct arena		 pa;
	/* The current group: links with key gkey, copied to ga. */
	int			 have_group;
	struct strbuf		 gkey;
	struct arena		 ga;
	uint32_t		 nrec;
	uint8_t			 flags;
	struct strbuf		 lastkey;	/* the last link key read */
	int			 have_last;
	const char		*lastfile;
};

static void
copy_link(struct arena *a, struct link *dst, const struct link *src)
{
	size_t f;

	*dst = *src;
	for (f = 0; f < LINK_NFIELDS; f++)
		dst->f[f].s = arena_strndup(a, src->f[f].s ? src->f[f].s : "",
		    src->f[f].len);
}

/* Read ahead one wanted link into m->pending; 0 when there are no more. */
static int
read_pending(struct join *j, struct merge *m)
{
	struct link l;
	int rc;

	for (;;) {
		if (m->lr == NULL) {
			if (m->next_file >= j->o->nlinks)
				return 0;
			m->lr = open_links(j->o, j->o->links[m->next_file++]);
		}
		rc = links_reader_next(m->lr, &l);
		if (rc == -1)
			links_die(m->lr);
		if (rc == 0) {
			links_reader_free(m->lr);
			m->lr = NULL;
			continue;
		}
		if (!wanted(j->o, m->lr, &l))
			continue;
		normalize(j->o->norm, l.f[j->key_field].s,
		    l.f[j->key_field].len, &m->pkey);
		if (m->pkey.len == 0)
			data_error(links_reader_name(m->lr), l.line,
			    "a link's key is empty once normalized");
		if (m->have_last && key_cmp(m->pkey.buf, m->pkey.len,
		    m->lastkey.buf, m->lastkey.len) < 0)
			data_error(links_reader_name(m->lr), l.line,
			    "key %s is out of order after %s (--sorted needs "
			    "input sorted by key)", m->pkey.buf,
			    m->lastkey.buf);
		strbuf_reset(&m->lastkey);
		strbuf_add(&m->lastkey, m->pkey.buf, m->pkey.len);
		m->have_last = 1;
		arena_reset(&m->pa);
		copy_link(&m->pa, &m->pending, &l);
		return 1;
	}
}

static int
same_link(const struct link *a, const struct link *b)
{
	static const int f[] = { LINK_DGIS_ID, LINK_PARTNER_ID,
		LINK_PARTNER_CODE };
	size_t i;

	for (i = 0; i < 3; i++)
		if (a->f[f[i]].len != b->f[f[i]].len ||
		    memcmp(a->f[f[i]].s, b->f[f[i]].s, a->f[f[i]].len) != 0)
			return 0;
	return 1;
}

/* Make the links of the next key the current group. */
static void
load_group(struct join *j, struct merge *m)
{
	size_t k;

	m->have_group = 0;
	if (!m->have_pending)
		return;
	arena_reset(&m->ga);
	strbuf_reset(&m->gkey);
	strbuf_add(&m->gkey, m->pkey.buf, m->pkey.len);
	j->nls = 0;
	m->nrec = 0;
	m->flags = 0;
	m->have_group = 1;
	do {
		for (k = 0; k < j->nls; k++)
			if (same_link(&j->ls[k], &m->pending))
				break;
		if (k < j->nls) {
			j->dups++;
		} else {
			j->ls = xgrow(j->ls, &j->lsalloc, j->nls + 1,
			    sizeof(*j->ls));
			copy_link(&m->ga, &j->ls[j->nls++], &m->pending);
			j->links++;
		}
		m->have_pending = read_pending(j, m);
	} while (m->have_pending && m->pkey.len == m->gkey.len &&
	    memcmp(m->pkey.buf, m->gkey.buf, m->gkey.len) == 0);
}

static void
finish_group(struct join *j, struct merge *m)
{
	size_t k;

	if (m->nrec == 0)
		for (k = 0; k < j->nls; k++)
			orphan(j, &j->ls[k]);
	else
		count_key(j, m->nrec, j->nls);
	load_group(j, m);
}

static void
run_sorted(struct join *j, struct records *rs)
{
	struct record rec = RECORD_INIT;
	struct merge m;
	struct strbuf prev = STRBUF_INIT;
	int have_prev = 0, c;

	memset(&m, 0, sizeof(m));
	strbuf_init(&m.pkey, 0);
	strbuf_init(&m.gkey, 0);
	strbuf_init(&m.lastkey, 0);
	m.have_pending = read_pending(j, &m);
	load_group(j, &m);
	while (records_drop(rs), next_record(j, rs, &rec) == 1) {
		if (record_key(j, &rec) == -1)
			continue;
		if (have_prev && key_cmp(j->kbuf.buf, j->kbuf.len, prev.buf,
		    prev.len) < 0)
			data_error(rec.file, rec.line, "key %s is out of order "
			    "after %s (--sorted needs input sorted by key)",
			    j->kbuf.buf, prev.buf);
		strbuf_reset(&prev);
		strbuf_add(&prev, j->kbuf.buf, j->kbuf.len);
		have_prev = 1;
		c = 1;
		while (m.have_group && (c = key_cmp(m.gkey.buf, m.gkey.len,
		    j->kbuf.buf, j->kbuf.len)) < 0)
			finish_group(j, &m);
		if (m.have_group && c == 0)
			matched(j, &rec, &m.nrec, &m.flags);
		else
			unmatched(j, &rec);
	}
	while (m.have_group)
		finish_group(j, &m);
	records_drop(rs);
	record_release(&rec);
	strbuf_release(&prev);
	strbuf_release(&m.pkey);
	strbuf_release(&m.gkey);
	strbuf_release(&m.lastkey);
	arena_release(&m.pa);
	arena_release(&m.ga);
	links_reader_free(m.lr);
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

static int
finish(struct join *j)
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
		strbuf_addf(&sb, "\"links\":%llu,\"orphans\":%llu,\"rows\":%llu",
		    j->links, j->orphans, j->rows);
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

/* ==== options ==== */

enum {
	OPT_LINKS_COLS = OPT_TOOL_BASE,
	OPT_STRICT,
	OPT_BY,
	OPT_LEFT,
	OPT_UNMATCHED,
	OPT_ORPHANS,
	OPT_FULL,
	OPT_KEY_NORMALIZE,
	OPT_SORTED,
	OPT_SPLIT,
	OPT_REPORT,
	OPT_EXPECT
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "links",		required_argument,	NULL, 'l' },
	{ "links-cols",		required_argument,	NULL, OPT_LINKS_COLS },
	{ "partner-code",	required_argument,	NULL, 'c' },
	{ "strict",		no_argument,		NULL, OPT_STRICT },
	{ "by",			required_argument,	NULL, OPT_BY },
	{ "key",		required_argument,	NULL, 'k' },
	{ "left",		no_argument,		NULL, OPT_LEFT },
	{ "unmatched",		no_argument,		NULL, OPT_UNMATCHED },
	{ "orphans",		no_argument,		NULL, OPT_ORPHANS },
	{ "full",		no_argument,		NULL, OPT_FULL },
	{ "multi",		required_argument,	NULL, 'm' },
	{ "key-normalize",	required_argument,	NULL, OPT_KEY_NORMALIZE },
	{ "sorted",		no_argument,		NULL, OPT_SORTED },
	{ "split",		required_argument,	NULL, OPT_SPLIT },
	{ "report",		no_argument,		NULL, OPT_REPORT },
	{ "expect",		required_argument,	NULL, OPT_EXPECT },
	{ NULL, 0, NULL, 0 }
};

static void
set_kind(struct opts *o, enum join_kind k)
{
	if (o->kind_set && o->kind != k)
		usage_error("--left, --unmatched, --orphans and --full "
		    "exclude each other");
	o->kind = k;
	o->kind_set = 1;
}

static void
parse_links_cols(struct opts *o, const char *arg)
{
	static const struct {
		const char	*name;
		int		 field;
	} keys[] = {
		{ "dgis", LINK_DGIS_ID }, { "dgis_id", LINK_DGIS_ID },
		{ "partner", LINK_PARTNER_ID }, { "partner_id", LINK_PARTNER_ID },
		{ "code", LINK_PARTNER_CODE },
		{ "partner_code", LINK_PARTNER_CODE },
		{ "dgis_type", LINK_DGIS_TYPE },
		{ "partner_type", LINK_PARTNER_TYPE }
	};
	char **list, *eq;
	size_t n, i, k;

	list = opt_list(arg, ',', &n);
	for (i = 0; i < n; i++) {
		eq = strchr(list[i], '=');
		if (eq == NULL || eq[1] == '\0')
			usage_error("bad --links-cols item: %s", list[i]);
		*eq = '\0';
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(keys[k].name, list[i]) == 0)
				break;
		if (k == sizeof(keys) / sizeof(keys[0]))
			usage_error("bad --links-cols item: %s (want dgis, "
			    "partner, code, dgis_type or partner_type)",
			    list[i]);
		/* Kept in the list's memory, freed at exit. */
		o->lo.cols[keys[k].field] = xstrdup(eq + 1);
	}
	opt_list_free(list);
}

static int
parse_normalize(const char *arg)
{
	char **list;
	size_t n, i;
	int norm = 0;

	list = opt_list(arg, ',', &n);
	for (i = 0; i < n; i++) {
		if (strcmp(list[i], "trim") == 0)
			norm |= NORM_TRIM;
		else if (strcmp(list[i], "lower") == 0)
			norm |= NORM_LOWER;
		else if (strcmp(list[i], "strip-zeros") == 0)
			norm |= NORM_ZEROS;
		else
			usage_error("bad --key-normalize item: %s (want trim, "
			    "lower or strip-zeros)", list[i]);
	}
	opt_list_free(list);
	return norm;
}

static void
parse_opts(struct opts *o, int argc, char *argv[])
{
	int ch;

	while ((ch = getopt_long(argc, argv, "c:k:l:m:" COMMON_SHORTOPTS,
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (*optarg == '\0')
				usage_error("empty --partner-code");
			o->codes = xgrow(o->codes, &o->calloc_, o->ncodes + 1,
			    sizeof(*o->codes));
			o->codes[o->ncodes++] = optarg;
			break;
		case 'k':
			o->key = optarg;
			break;
		case 'l':
			o->links = xgrow(o->links, &o->lalloc, o->nlinks + 1,
			    sizeof(*o->links));
			o->links[o->nlinks++] = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "rows") == 0)
				o->multi = MULTI_ROWS;
			else if (strcmp(optarg, "first") == 0)
				o->multi = MULTI_FIRST;
			else if (strcmp(optarg, "list") == 0)
				o->multi = MULTI_LIST;
			else if (strcmp(optarg, "error") == 0)
				o->multi = MULTI_ERROR;
			else
				usage_error("bad --multi: %s (want rows, first, "
				    "list or error)", optarg);
			break;
		case OPT_LINKS_COLS:
			parse_links_cols(o, optarg);
			break;
		case OPT_STRICT:
			o->lo.strict = 1;
			break;
		case OPT_BY:
			if (strcmp(optarg, "partner") == 0)
				o->by_dgis = 0;
			else if (strcmp(optarg, "dgis") == 0)
				o->by_dgis = 1;
			else
				usage_error("bad --by: %s (want partner or dgis)",
				    optarg);
			break;
		case OPT_LEFT:
			set_kind(o, KIND_LEFT);
			break;
		case OPT_UNMATCHED:
			set_kind(o, KIND_UNMATCHED);
			break;
		case OPT_ORPHANS:
			set_kind(o, KIND_ORPHANS);
			break;
		case OPT_FULL:
			set_kind(o, KIND_FULL);
			break;
		case OPT_KEY_NORMALIZE:
			o->norm = parse_normalize(optarg);
			break;
		case OPT_SORTED:
			o->sorted = 1;
			break;
		case OPT_SPLIT:
			o->split = optarg;
			break;
		case OPT_REPORT:
			o->report = 1;
			break;
		case OPT_EXPECT:
			if (strcmp(optarg, "one-to-one") == 0)
				o->expect = EXPECT_ONE_TO_ONE;
			else if (strcmp(optarg, "one-to-many") == 0)
				o->expect = EXPECT_ONE_TO_MANY;
			else if (strcmp(optarg, "many-to-one") == 0)
				o->expect = EXPECT_MANY_TO_ONE;
			else
				usage_error("bad --expect: %s (want one-to-one, "
				    "one-to-many or many-to-one)", optarg);
			break;
		case 'h':
			usage(stdout, EXIT_SUCCESS);
		default:
			if (!common_opt(&o->common, ch, optarg))
				usage(stderr, EXIT_TROUBLE);
			break;
		}
	}
}

static void
check_opts(struct opts *o, int nfiles, char **files)
{
	size_t i;

	if (o->nlinks == 0)
		usage_error("no links: give -l FILE");
	for (i = 0; i < o->nlinks; i++) {
		int k, stdin_records = nfiles == 0;

		for (k = 0; k < nfiles; k++)
			stdin_records |= strcmp(files[k], "-") == 0;
		if (strcmp(o->links[i], "-") == 0 && stdin_records)
			usage_error("standard input can hold the links or the "
			    "records, not both");
	}
	if (o->key == NULL)
		o->key = o->by_dgis ? "dgis_id" : "partner_id";
	if (o->split != NULL) {
		if (o->kind_set)
			usage_error("--split writes every kind: drop --left, "
			    "--unmatched, --orphans and --full");
		if (o->common.output != NULL || o->common.gzip)
			usage_error("--split writes into DIR: drop -o and -z");
		if (mkdir(o->split, 0777) == -1 && errno != EEXIST)
			die_errno("%s", o->split);
	}
	/* A code the links lack is supplied only when it is unambiguous. */
	if (o->ncodes == 1)
		o->lo.partner_code = o->codes[0];
	for (i = 0; i < o->ncodes; i++)
		if (!links_known_code(o->codes[i], strlen(o->codes[i])))
			warnx("unknown partner code \"%s\"", o->codes[i]);
	o->lo.delim = 0;
	o->lo.max_depth = o->common.max_depth;
	o->lo.max_value = o->common.max_record;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct join j;
	struct records rs;
	char *dash[] = { "-" };
	size_t i;
	int status;

	errors_init(argv[0]);
	cli_init(synopsis, help);
	memset(&o, 0, sizeof(o));
	o.common = (struct common_opts)COMMON_OPTS_DEFAULT;
	o.lo = (struct links_opts)LINKS_OPTS_DEFAULT;
	parse_opts(&o, argc, argv);
	argc -= optind;
	argv += optind;
	check_opts(&o, argc, argv);

	memset(&j, 0, sizeof(j));
	j.o = &o;
	j.key_field = o.by_dgis ? LINK_DGIS_ID : LINK_PARTNER_ID;
	j.add = o.by_dgis ? added_by_dgis : added_by_partner;
	j.nadd = o.by_dgis ? 3 : 2;
	strbuf_init(&j.kbuf, 0);
	strbuf_init(&j.tmp, 0);
	strbuf_init(&j.err, 0);
	record_init(&j.orec);
	j.kp = fieldpath_compile(o.key, &j.err);
	if (j.kp == NULL)
		usage_error("bad -k %s: %s", o.key, j.err.buf);

	memset(&rs, 0, sizeof(rs));
	rs.paths = argc > 0 ? argv : dash;
	rs.n = argc > 0 ? argc : 1;
	progress_start(o.common.progress);
	if (o.sorted)
		run_sorted(&j, &rs);
	else
		run_hash(&j, &rs);
	status = finish(&j);

	twin_index_free(j.ix);
	fieldpath_free(j.kp);
	stats_release(&j.st);
	record_release(&j.orec);
	arena_release(&j.ka);
	strbuf_release(&j.kbuf);
	strbuf_release(&j.tmp);
	strbuf_release(&j.err);
	free(j.ls);
	free_cols(j.cols, j.ncols);
	free_cols(j.incols, j.nincols);
	for (i = 0; i < j.noffenders; i++)
		free(j.offenders[i]);
	for (i = 0; i < LINK_NFIELDS; i++)
		free((char *)o.lo.cols[i]);
	free(rs.ended);
	free(o.links);
	free(o.codes);
	output_finish();
	return status;
}

/*
 * records.c: the records subcommand: the resources of every page, in page
 * order, with the chain of links, duplicates and totals verified.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/csvio.h"
#include "common/errors.h"
#include "common/input.h"
#include "common/output.h"
#include "common/progress.h"
#include "common/rejects.h"
#include "common/stats.h"
#include "common/writer.h"
#include "jp.h"

/* Duplicate resources are counted always but shown only this often. */
#define DUP_WARN_MAX	10

struct page {
	char			*file;		/* input name, for messages */
	unsigned long		 line;		/* where the document starts */
	unsigned long		 seq;		/* arrival order */
	char			*self, *self_raw;	/* normalized / as given */
	char			*next, *next_raw;
	char			*prev_raw;
	int			 first;		/* looks like a first page */
	int			 streaming;	/* written as read (in order) */
	struct strbuf		 out;		/* NDJSON lines of its resources */
	struct strbuf		 keys;		/* "type\0id\0" per resource */
	struct strbuf		 names;		/* field names "n\0" (CSV) */
	unsigned long long	 nread;		/* elements of data */
	unsigned long long	 nout;		/* lines in out */
	int			 has_total;
	unsigned long long	 total;
	const char		*total_name;
	/* CSV/TSV: the resources themselves, until the page is written. */
	struct arena		 arena;
	struct json_value	*items;
	size_t			 nitems, items_alloc;
};

/* CSV/TSV rows written with the first k columns (the rest padded later). */
struct segment {
	unsigned long long	 bytes;
	size_t			 k;
};

struct run {
	struct jp_opts		*o;
	struct output		*out;
	enum format		 to;
	struct record_writer	*w;		/* output not NDJSON */
	int			 csv;		/* CSV/TSV rows made here */
	int			 fixed;		/* --columns: no union, no spool */
	FILE			*spool;		/* CSV/TSV: columns known at end */
	struct csv_write_opts	 cw;
	struct strbuf		 rows;		/* CSV rows for the spool */
	struct strbuf		 cell;
	const struct json_value	**cells;
	size_t			 cells_alloc;
	struct segment		*segs;
	size_t			 nsegs, segs_alloc;
	struct strset		 columns;	/* union of names, output order */
	struct rejects		*rj;
	struct stats		 st;
	struct arena		 item_arena, page_arena, inc_arena, tmp_arena;
	struct strbuf		 sb, direct;
	struct page		*cur;
	struct strset		 cur_names;	/* names on the current page */
	/* the page chain */
	struct page		**held;
	size_t			 nheld, held_alloc;
	struct strset		 seen;		/* self URLs placed or held */
	struct strset		 emitted;	/* self URLs written */
	char			*expected, *expected_raw;
	char			*expected_file;
	unsigned long		 expected_line;
	/* the listing being written, for the total check */
	int			 in_listing, listing_broken, listing_has_total;
	unsigned long long	 listing_total, listing_count;
	const char		*listing_total_name;
	char			*listing_file;
	unsigned long		 listing_line;
	/* checks */
	struct hashset		 keys;
	struct strset		 included;	/* key -> struct json_value * */
	unsigned long		 seq;
	unsigned long long	 pages, dup_pages, missing, dup_resources;
	unsigned long long	 unresolved;
	int			 failed;	/* --allow-partial: something was */
};

static char *spool_path;
static struct run *dying_run;

/*
 * On a fatal error: remove the spool, and let standard output end after
 * the last whole record instead of inside one (a named output is dropped
 * by output.c).  Runs once, so a write error met here just exits.
 */
static void
on_die(void)
{
	static int once;
	struct run *run = dying_run;

	if (once++)
		return;
	if (spool_path != NULL)
		unlink(spool_path);
	if (run == NULL || run->o->c.output != NULL || run->spool != NULL)
		return;
	if (run->rows.len > 0)
		output_write_sb(run->out, &run->rows);
	if (run->w != NULL) {
		if (run->to == FORMAT_JSON)
			return;		/* no "]": not valid JSON either way */
		record_writer_finish(run->w);
		run->w = NULL;
	}
	output_commit(run->out);
}

/*
 * A verification failure: fatal, or with --allow-partial a warning that
 * turns the exit status to 1.
 */
static void __attribute__((format(printf, 4, 5)))
verify_fail(struct run *run, const char *file, unsigned long line,
    const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	strbuf_grow(&sb, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(sb.buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	strbuf_setlen(&sb, (size_t)n);
	if (!run->o->allow_partial)
		data_error(file, line, "%s", sb.buf);
	data_warn(file, line, "%s", sb.buf);
	run->failed = 1;
	strbuf_release(&sb);
}

/* ==== output ==== */

/* Hand NDJSON lines of final records to the chosen output. */
static void
sink_text(struct run *run, const char *buf, size_t len)
{
	struct json_opts jo = JSON_OPTS_DEFAULT;
	struct json_reader *r;
	struct json_value v;
	int rc;

	if (len == 0)
		return;
	if (run->w == NULL) {
		output_write(run->out, buf, len);
		return;
	}
	/* Our own NDJSON, read back as records for the record writer. */
	jo.max_depth = run->o->c.max_depth + 4;
	jo.max_value = (size_t)-1;
	r = json_reader_new_mem(buf, len, &jo);
	while ((rc = json_reader_next(r, &run->tmp_arena, &v)) == 1) {
		if (record_writer_write_value(run->w, &v) == -1)
			die("%s", record_writer_error(run->w));
		arena_reset(&run->tmp_arena);
	}
	if (rc == -1)
		die("internal error: re-reading a record: %s",
		    json_reader_error(r));
	json_reader_free(r);
}

/* Check the (type, id) keys of resources being written for repeats. */
static void
check_keys(struct run *run, const struct page *pg, const char *k,
    size_t len)
{
	const char *end = k + len, *id;
	size_t tl, il;

	while (k < end) {
		tl = strlen(k);
		id = k + tl + 1;
		il = strlen(id);
		if (!hashset_add(&run->keys, jp_hash(k, tl + il + 1))) {
			if (run->dup_resources < DUP_WARN_MAX)
				data_warn(pg->file, pg->line, "resource "
				    "(%s, %s) already seen on an earlier page",
				    k, id);
			else if (run->dup_resources == DUP_WARN_MAX)
				data_warn(pg->file, pg->line, "more duplicate "
				    "resources: not shown (see --stats)");
			run->dup_resources++;
		}
		k = id + il + 1;
	}
}

/* ==== resources ==== */

static const struct jp_fieldset *
fieldset_for(const struct jp_opts *o, const char *type)
{
	size_t i;

	for (i = 0; i < o->nfields; i++)
		if (strcmp(o->fields[i].type, type) == 0)
			return &o->fields[i];
	return NULL;
}

static int
in_list(const struct jp_fieldset *fs, const char *name)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->names[i], name) == 0)
			return 1;
	return 0;
}

/* obj with only the members fs names (sparse fieldsets). */
static struct json_value
only_fields(struct arena *a, const struct json_value *obj,
    const struct jp_fieldset *fs)
{
	struct json_value v = *obj;
	size_t i;

	if (obj->type != JSON_OBJECT)
		return v;
	v.u.members = arena_alloc(a, (obj->len + 1) * sizeof(*v.u.members));
	v.len = 0;
	for (i = 0; i < obj->len; i++)
		if (in_list(fs, obj->u.members[i].name))
			v.u.members[v.len++] = obj->u.members[i];
	return v;
}

/* The resource with --fields applied to its type, when given. */
static struct json_value
apply_fields(const struct jp_opts *o, struct arena *a,
    const struct json_value *res)
{
	const struct json_value *t = json_object_get(res, "type");
	const struct jp_fieldset *fs;
	struct json_value v = *res;
	struct json_member *m;
	size_t i;

	if (o->nfields == 0 || t == NULL || t->type != JSON_STRING ||
	    (fs = fieldset_for(o, t->u.str)) == NULL)
		return v;
	v.u.members = arena_alloc(a, res->len * sizeof(*v.u.members) + 1);
	for (i = 0; i < res->len; i++) {
		m = &v.u.members[i];
		*m = res->u.members[i];
		if (strcmp(m->name, "attributes") == 0 ||
		    strcmp(m->name, "relationships") == 0)
			m->value = only_fields(a, &res->u.members[i].value, fs);
	}
	return v;
}

/* The included resource an identifier names, or NULL. */
static const struct json_value *
lookup_included(struct run *run, const struct json_value *ident)
{
	long k;

	strbuf_reset(&run->sb);
	if (!jsonapi_key_append(&run->sb, ident))
		return NULL;
	k = strset_find(&run->included, run->sb.buf, run->sb.len);
	return k < 0 ? NULL : run->included.val[k];
}

/* An identifier replaced by its included resource where there is one. */
static struct json_value
resolve_ident(struct run *run, const struct json_value *ident)
{
	const struct json_value *full;

	if (ident->type != JSON_OBJECT)
		return *ident;
	if ((full = lookup_included(run, ident)) != NULL)
		return *full;
	run->unresolved++;
	return *ident;
}

/* --resolve: each relationship's data replaced by included resources. */
static struct json_value
resolve(struct run *run, struct arena *a, const struct json_value *res)
{
	const struct json_value *rels = json_object_get(res, "relationships");
	struct json_value v = *res, nr, *data;
	struct json_member *m, *rm;
	size_t i, j, k;

	if (rels == NULL || rels->type != JSON_OBJECT)
		return v;
	nr = *rels;
	nr.u.members = arena_alloc(a, rels->len * sizeof(*nr.u.members) + 1);
	for (i = 0; i < rels->len; i++) {
		rm = &nr.u.members[i];
		*rm = rels->u.members[i];
		if (rm->value.type != JSON_OBJECT)
			continue;
		/* A copy of the relationship object with data swapped. */
		m = arena_alloc(a, rm->value.len * sizeof(*m) + 1);
		memcpy(m, rm->value.u.members, rm->value.len * sizeof(*m));
		rm->value.u.members = m;
		for (j = 0; j < rm->value.len; j++) {
			if (strcmp(m[j].name, "data") != 0)
				continue;
			data = &m[j].value;
			if (data->type == JSON_OBJECT) {
				*data = resolve_ident(run, data);
			} else if (data->type == JSON_ARRAY) {
				struct json_value *it = arena_alloc(a,
				    data->len * sizeof(*it) + 1);

				for (k = 0; k < data->len; k++)
					it[k] = resolve_ident(run,
					    &data->u.items[k]);
				data->u.items = it;
			}
		}
	}
	v.u.members = arena_alloc(a, res->len * sizeof(*v.u.members) + 1);
	memcpy(v.u.members, res->u.members, res->len * sizeof(*v.u.members));
	for (i = 0; i < res->len; i++)
		if (strcmp(v.u.members[i].name, "relationships") == 0)
			v.u.members[i].value = nr;
	return v;
}

static struct json_value flatten(struct arena *a, const struct json_value *res,
	    int depth);

/*
 * A linkage value flattened: an identifier becomes its id; a resolved
 * (full) resource becomes its flattened self.
 */
static struct json_value
flatten_link(struct arena *a, const struct json_value *v, int depth)
{
	const struct json_value *id;

	if (v->type != JSON_OBJECT)
		return *v;
	if (depth == 0 && (json_object_get(v, "attributes") != NULL ||
	    json_object_get(v, "relationships") != NULL))
		return flatten(a, v, depth + 1);
	if ((id = json_object_get(v, "id")) != NULL)
		return *id;
	return json_make_null();
}

/* {"id","type", ...attributes, ...relationships as ids} */
static struct json_value
flatten(struct arena *a, const struct json_value *res, int depth)
{
	const struct json_value *id, *type, *attrs, *rels, *data;
	struct json_value v, arr;
	struct json_member *m;
	size_t n = 2, i, k;

	if (res->type != JSON_OBJECT)
		return *res;
	id = json_object_get(res, "id");
	type = json_object_get(res, "type");
	attrs = json_object_get(res, "attributes");
	rels = json_object_get(res, "relationships");
	if (attrs != NULL && attrs->type == JSON_OBJECT)
		n += attrs->len;
	if (rels != NULL && rels->type == JSON_OBJECT)
		n += rels->len;
	v.type = JSON_OBJECT;
	v.u.members = m = arena_alloc(a, n * sizeof(*m));
	v.len = 0;
	if (id != NULL) {
		m[v.len].name = "id";
		m[v.len].name_len = 2;
		m[v.len++].value = *id;
	}
	if (type != NULL) {
		m[v.len].name = "type";
		m[v.len].name_len = 4;
		m[v.len++].value = *type;
	}
	if (attrs != NULL && attrs->type == JSON_OBJECT) {
		memcpy(m + v.len, attrs->u.members, attrs->len * sizeof(*m));
		v.len += attrs->len;
	}
	if (rels == NULL || rels->type != JSON_OBJECT)
		return v;
	for (i = 0; i < rels->len; i++) {
		data = json_object_get(&rels->u.members[i].value, "data");
		if (data == NULL)
			continue;	/* links only: nothing to flatten */
		m[v.len].name = rels->u.members[i].name;
		m[v.len].name_len = rels->u.members[i].name_len;
		if (data->type == JSON_ARRAY) {
			arr.type = JSON_ARRAY;
			arr.len = data->len;
			arr.u.items = arena_alloc(a, data->len *
			    sizeof(*arr.u.items) + 1);
			for (k = 0; k < data->len; k++)
				arr.u.items[k] = flatten_link(a,
				    &data->u.items[k], depth);
			m[v.len++].value = arr;
		} else
			m[v.len++].value = flatten_link(a, data, depth);
	}
	return v;
}

/* The final form of one resource: --fields, --resolve, --flatten. */
static struct json_value
final_value(struct run *run, const struct json_value *res)
{
	struct arena *a = &run->tmp_arena;
	struct json_value v = apply_fields(run->o, a, res);

	if (run->o->resolve)
		v = resolve(run, a, &v);
	if (run->o->flatten)
		v = flatten(a, &v, 0);
	return v;
}

/* The final form of one resource, appended to sb as an NDJSON line. */
static void
format_resource(struct run *run, const struct json_value *res,
    struct strbuf *sb)
{
	struct json_value v = final_value(run, res);

	json_write_value(sb, &v);
	strbuf_addch(sb, '\n');
	arena_reset(&run->tmp_arena);
}

/* ==== CSV/TSV with the union of names as columns ==== */

/*
 * The columns are known only at the end, so rows go to a spool file, each
 * written with the columns known when it was written (new names are added
 * at the end) and padded with empty cells when the spool is copied out.
 * Rows are made when their page is written, so the column order is the
 * first-seen order in page order, whatever order the files came in.
 */
static void
seg_add(struct run *run, size_t bytes)
{
	struct segment *sg;

	if (run->nsegs == 0 || run->segs[run->nsegs - 1].k != run->columns.n) {
		run->segs = xgrow(run->segs, &run->segs_alloc, run->nsegs + 1,
		    sizeof(*run->segs));
		sg = &run->segs[run->nsegs++];
		sg->bytes = 0;
		sg->k = run->columns.n;
	}
	run->segs[run->nsegs - 1].bytes += bytes;
}

static void
rows_flush(struct run *run)
{
	if (run->rows.len == 0)
		return;
	if (run->fixed) {
		output_write_sb(run->out, &run->rows);
		return;
	}
	if (fwrite(run->rows.buf, 1, run->rows.len, run->spool) !=
	    run->rows.len)
		die_errno("%s", spool_path);
	seg_add(run, run->rows.len);
	strbuf_reset(&run->rows);
}

static void
put_cell(struct run *run, size_t ncols, const struct json_value *v)
{
	const char *s = "";
	size_t len = 0;

	if (v != NULL) {
		switch (v->type) {
		case JSON_NULL:
			break;
		case JSON_FALSE:
			s = "false", len = 5;
			break;
		case JSON_TRUE:
			s = "true", len = 4;
			break;
		case JSON_NUMBER:
		case JSON_STRING:
			s = v->u.str, len = v->len;
			break;
		default:
			strbuf_reset(&run->cell);
			json_write_value(&run->cell, v);
			s = run->cell.buf, len = run->cell.len;
			break;
		}
	}
	/* A lone empty cell would read as an empty line: quote it. */
	if (len == 0 && ncols == 1)
		strbuf_add(&run->rows, "\"\"", 2);
	else
		csv_write_cell(&run->rows, s, len, &run->cw);
}

/* One record as a CSV row of the columns known so far (and its new ones). */
static void
csv_row(struct run *run, struct page *pg, const struct json_value *v)
{
	const struct json_member *m;
	size_t i, n = v->type == JSON_OBJECT ? v->len : 0, ncols;
	long c;
	int fast = 1, isnew;

	for (i = 0; i < n; i++) {
		m = &v->u.members[i];
		/* Records of one type repeat the same names in order. */
		if (i < run->columns.n && run->columns.len[i] == m->name_len &&
		    memcmp(run->columns.s[i], m->name, m->name_len) == 0)
			continue;
		fast = 0;
		if (!run->fixed &&
		    strset_find(&run->columns, m->name, m->name_len) < 0) {
			/* Rows so far have fewer columns: a new segment. */
			rows_flush(run);
			strset_add(&run->columns, m->name, m->name_len, &isnew);
		}
	}
	ncols = run->columns.n;
	run->cells = xgrow(run->cells, &run->cells_alloc, ncols + 1,
	    sizeof(*run->cells));
	if (fast && n == ncols) {
		for (i = 0; i < n; i++)
			run->cells[i] = &v->u.members[i].value;
	} else {
		memset(run->cells, 0, ncols * sizeof(*run->cells));
		for (i = 0; i < n; i++) {
			m = &v->u.members[i];
			c = strset_find(&run->columns, m->name, m->name_len);
			if (c < 0)
				continue;	/* not one of --columns */
			if (run->cells[c] != NULL)
				data_error(pg->file, pg->line, "resource has "
				    "two fields called '%s' (an attribute and "
				    "a relationship?)", m->name);
			run->cells[c] = &m->value;
		}
	}
	for (i = 0; i < ncols; i++) {
		if (i > 0)
			strbuf_addch(&run->rows, run->cw.delim);
		put_cell(run, ncols, run->cells[i]);
	}
	csv_write_eol(&run->rows, &run->cw);
	if (run->rows.len >= 65536)
		rows_flush(run);
}

/* Write held resources as CSV rows (their page is next in order). */
static void
csv_page_rows(struct run *run, struct page *pg)
{
	struct json_value v;
	size_t i;

	for (i = 0; i < pg->nitems; i++) {
		v = final_value(run, &pg->items[i]);
		csv_row(run, pg, &v);
		arena_reset(&run->tmp_arena);
	}
	pg->nitems = 0;
}

/* Copy the spool to the output after the header, padding short rows. */
static void
write_spool(struct run *run, struct writer_opts *wo)
{
	struct strbuf pad = STRBUF_INIT, out = STRBUF_INIT;
	char buf[65536];
	size_t i, j, n, want, ncols = run->columns.n;
	int inq = 0;

	rows_flush(run);
	if (fflush(run->spool) != 0 || ferror(run->spool) ||
	    fseek(run->spool, 0, SEEK_SET) != 0)
		die_errno("%s", spool_path);
	/* The header: a writer with the columns fixed that writes nothing. */
	wo->columns = (const char *const *)run->columns.s;
	wo->ncolumns = ncols;
	if (ncols > 0)
		record_writer_finish(record_writer_new(run->out, wo));
	for (i = 0; i < run->nsegs; i++) {
		struct segment *sg = &run->segs[i];

		strbuf_reset(&pad);
		for (j = sg->k == 0 ? 1 : sg->k; j < ncols; j++)
			strbuf_addch(&pad, run->cw.delim);
		if (sg->k == 0 && ncols == 1)
			strbuf_add(&pad, "\"\"", 2);
		for (; sg->bytes > 0; sg->bytes -= n) {
			want = sg->bytes < sizeof(buf) ? sg->bytes : sizeof(buf);
			if ((n = fread(buf, 1, want, run->spool)) != want)
				die_errno("%s: short read", spool_path);
			if (pad.len == 0) {
				output_write(run->out, buf, n);
				continue;
			}
			/*
			 * Rows end at a newline outside quotes (a quoted cell
			 * may hold newlines; "" inside one toggles twice).
			 */
			for (j = 0; j < n; j++) {
				if (buf[j] == '"')
					inq = !inq;
				else if (buf[j] == '\n' && !inq) {
					if (run->cw.crlf && out.len > 0 &&
					    out.buf[out.len - 1] == '\r') {
						strbuf_setlen(&out, out.len - 1);
						strbuf_add(&out, pad.buf, pad.len);
						strbuf_addch(&out, '\r');
					} else
						strbuf_add(&out, pad.buf,
						    pad.len);
				}
				strbuf_addch(&out, buf[j]);
			}
			output_write_sb(run->out, &out);
		}
	}
	strbuf_release(&pad);
	strbuf_release(&out);
	fclose(run->spool);
	run->spool = NULL;
	unlink(spool_path);
}

/* ==== pages ==== */

static void
page_free(struct page *pg)
{
	if (pg == NULL)
		return;
	free(pg->file);
	free(pg->self);
	free(pg->self_raw);
	free(pg->next);
	free(pg->next_raw);
	free(pg->prev_raw);
	strbuf_release(&pg->out);
	strbuf_release(&pg->keys);
	free(pg->items);
	arena_release(&pg->arena);
	free(pg);
}

static void
page_begin(struct run *run, const char *file)
{
	struct page *pg = xcalloc(1, sizeof(*pg));

	pg->file = xstrdup(file);
	pg->seq = run->seq++;
	strbuf_init(&pg->out, 0);
	strbuf_init(&pg->keys, 0);
	run->cur = pg;
}

/* Are resources held as values (not text) until their page is written? */
static int
holds_values(const struct run *run)
{
	return run->o->resolve || run->csv;
}

/*
 * Write the page's lines from here on as they are read: a huge page that
 * arrives in order streams instead of being held.  Only when nothing is
 * waiting for an earlier page, so the order is kept if it is the one
 * expected; page_end() checks that it was.
 */
static void
start_streaming(struct run *run, struct page *pg)
{
	check_keys(run, pg, pg->keys.buf, pg->keys.len);
	strbuf_reset(&pg->keys);
	if (run->csv) {
		csv_page_rows(run, pg);
		arena_reset(&run->page_arena);
	} else
		sink_text(run, pg->out.buf, pg->out.len);
	strbuf_release(&pg->out);
	pg->streaming = 1;
}

static void
reject_item(struct run *run, struct page *pg, const struct json_value *v,
    unsigned long line)
{
	struct record rec = RECORD_INIT;

	if (v->type == JSON_OBJECT)
		record_from_value(&rec, v);
	rec.file = pg->file;
	rec.line = line;
	rejects_add(run->rj, &run->st, &rec, "not_resource",
	    "data element is not a JSON:API resource (no \"type\")");
	record_release(&rec);
}

static void
handle_item(struct run *run, const struct json_value *v, unsigned long line)
{
	struct page *pg = run->cur;
	const struct json_value *t;
	struct json_value fv;

	pg->nread++;
	run->st.read++;
	progress_tick(run->st.read);
	t = json_object_get(v, "type");
	if (v->type != JSON_OBJECT || t == NULL || t->type != JSON_STRING) {
		reject_item(run, pg, v, line);
		return;
	}
	if (run->o->type != NULL && strcmp(t->u.str, run->o->type) != 0) {
		run->st.filtered++;
		return;
	}
	pg->nout++;
	if (pg->streaming) {
		strbuf_reset(&run->sb);
		if (jsonapi_key_append(&run->sb, v)) {
			strbuf_addch(&run->sb, '\0');
			check_keys(run, pg, run->sb.buf, run->sb.len);
		}
		if (run->csv) {
			fv = final_value(run, v);
			csv_row(run, pg, &fv);
			arena_reset(&run->tmp_arena);
			arena_reset(&run->page_arena);
			return;
		}
		format_resource(run, v, &run->direct);
		if (run->direct.len >= 65536) {
			sink_text(run, run->direct.buf, run->direct.len);
			strbuf_reset(&run->direct);
		}
		return;
	}
	if (jsonapi_key_append(&pg->keys, v))
		strbuf_addch(&pg->keys, '\0');
	if (holds_values(run)) {
		/*
		 * The values stay in page_arena: included comes after data
		 * (--resolve), and CSV rows are made in page order.
		 */
		pg->items = xgrow(pg->items, &pg->items_alloc, pg->nitems + 1,
		    sizeof(*pg->items));
		pg->items[pg->nitems++] = *v;
		if (!run->o->resolve && run->page_arena.used > run->o->spill &&
		    run->nheld == 0)
			start_streaming(run, pg);
		return;
	}
	format_resource(run, v, &pg->out);
	if (pg->out.len > run->o->spill && run->nheld == 0)
		start_streaming(run, pg);
}

/* Gather a page's included resources (first copy of a key wins). */
static void
add_included(struct run *run, const struct json_value *env)
{
	const struct json_value *inc = json_object_get(env, "included");
	struct json_value *copy;
	size_t i, k;
	int isnew;

	if (inc == NULL || inc->type != JSON_ARRAY)
		return;
	for (i = 0; i < inc->len; i++) {
		strbuf_reset(&run->sb);
		if (!jsonapi_key_append(&run->sb, &inc->u.items[i]))
			continue;
		k = strset_add(&run->included, run->sb.buf, run->sb.len,
		    &isnew);
		if (!isnew)
			continue;
		copy = arena_alloc(&run->inc_arena, sizeof(*copy));
		*copy = apply_fields(run->o, &run->tmp_arena, &inc->u.items[i]);
		*copy = json_value_copy(&run->inc_arena, copy);
		arena_reset(&run->tmp_arena);
		run->included.val[k] = copy;
	}
}

/* A string member of links, or NULL (absent, null, or not a string). */
static char *
link_of(const struct json_value *links, const char *name)
{
	const struct json_value *v = json_object_get(links, name);

	if (v == NULL || v->type != JSON_STRING)
		return NULL;
	return xstrndup(v->u.str, v->len);
}

static char *
normalized(const char *url)
{
	struct strbuf sb = STRBUF_INIT;

	jsonapi_url_normalize(url, strlen(url), &sb);
	return strbuf_detach(&sb, NULL);
}

/* Does the page look like the first of a listing? */
static int
looks_first(const struct page *pg, const char *first_raw)
{
	struct jsonapi_page p;
	char *f;
	int same;

	if (pg->prev_raw != NULL)
		return 0;
	if (pg->self == NULL)
		return 1;
	if (first_raw != NULL) {
		f = normalized(first_raw);
		same = strcmp(f, pg->self) == 0;
		free(f);
		if (!same)
			return 0;
	}
	if (jsonapi_url_page(pg->self_raw, strlen(pg->self_raw), &p) == 0 &&
	    ((p.has_number && p.number > 1) || (p.has_offset && p.offset > 0)))
		return 0;
	return 1;
}

/* End the listing being written: check its total. */
static void
listing_end(struct run *run)
{
	if (run->in_listing && !run->listing_broken &&
	    run->listing_has_total && run->listing_count != run->listing_total)
		verify_fail(run, run->listing_file, run->listing_line,
		    "meta.%s says %llu resources but the pages hold %llu",
		    run->listing_total_name, run->listing_total,
		    run->listing_count);
	free(run->listing_file);
	run->listing_file = NULL;
	run->in_listing = 0;
}

/* Write a page (in order) and move the chain on to its next page. */
static void
emit_page(struct run *run, struct page *pg, int broken)
{
	if (run->expected == NULL) {
		listing_end(run);
		run->in_listing = 1;
		run->listing_broken = broken;
		run->listing_has_total = pg->has_total;
		run->listing_total = pg->total;
		run->listing_total_name = pg->total_name;
		run->listing_count = 0;
		run->listing_file = xstrdup(pg->file);
		run->listing_line = pg->line;
	}
	if (pg->streaming) {
		sink_text(run, run->direct.buf, run->direct.len);
		strbuf_reset(&run->direct);
	} else {
		check_keys(run, pg, pg->keys.buf, pg->keys.len);
		if (run->csv)
			csv_page_rows(run, pg);
		else
			sink_text(run, pg->out.buf, pg->out.len);
	}
	run->st.written += pg->nout;
	run->listing_count += pg->nread;
	run->pages++;
	if (pg->self != NULL)
		strset_add(&run->emitted, pg->self, strlen(pg->self), NULL);
	free(run->expected);
	free(run->expected_raw);
	free(run->expected_file);
	run->expected = run->expected_raw = run->expected_file = NULL;
	if (pg->next != NULL) {
		if (strset_find(&run->emitted, pg->next, strlen(pg->next)) >= 0)
			data_error(pg->file, pg->line, "links.next points back "
			    "to page %s (a loop)", pg->next_raw);
		run->expected = xstrdup(pg->next);
		run->expected_raw = xstrdup(pg->next_raw);
		run->expected_file = xstrdup(pg->file);
		run->expected_line = pg->line;
	} else
		listing_end(run);
	page_free(pg);
}

static void
unhold(struct run *run, size_t i)
{
	memmove(&run->held[i], &run->held[i + 1],
	    (run->nheld - i - 1) * sizeof(*run->held));
	run->nheld--;
}

/* Write held pages that have become next in order. */
static void
drain(struct run *run)
{
	size_t i;
	int moved = 1;

	while (moved && run->nheld > 0) {
		moved = 0;
		for (i = 0; i < run->nheld; i++) {
			struct page *pg = run->held[i];

			if (run->expected != NULL ? (pg->self != NULL &&
			    strcmp(pg->self, run->expected) == 0) :
			    pg->first) {
				unhold(run, i);
				emit_page(run, pg, 0);
				moved = 1;
				break;
			}
		}
	}
}

static void
place_page(struct run *run, struct page *pg)
{
	int now;

	if (pg->self != NULL &&
	    strset_find(&run->seen, pg->self, strlen(pg->self)) >= 0) {
		if (pg->streaming)
			data_error(pg->file, pg->line, "duplicate page %s was "
			    "already written (too large to hold: over %zu "
			    "bytes)", pg->self_raw, run->o->spill);
		data_warn(pg->file, pg->line, "duplicate page %s dropped",
		    pg->self_raw);
		run->dup_pages++;
		run->st.filtered += pg->nout;
		page_free(pg);
		return;
	}
	if (pg->self != NULL)
		strset_add(&run->seen, pg->self, strlen(pg->self), NULL);
	if (run->expected != NULL)
		now = pg->self != NULL && strcmp(pg->self, run->expected) == 0;
	else
		now = pg->first;
	if (now) {
		emit_page(run, pg, 0);
		drain(run);
		return;
	}
	if (pg->streaming)
		data_error(pg->file, pg->line, "page %s is out of order and "
		    "too large to hold (over %zu bytes, --page-buffer): give "
		    "the pages in order", pg->self_raw ? pg->self_raw :
		    "without links.self", run->o->spill);
	run->held = xgrow(run->held, &run->held_alloc, run->nheld + 1,
	    sizeof(*run->held));
	run->held[run->nheld++] = pg;
}

static void
page_end(struct run *run, const struct json_value *env, unsigned long line)
{
	struct page *pg = run->cur;
	const struct json_value *links, *meta, *count;
	struct strbuf msg = STRBUF_INIT;
	unsigned long long n;
	const char *s;
	char *first_raw;
	size_t i, len;
	int rc;

	run->cur = NULL;
	pg->line = line;
	if (jsonapi_errors(env, &msg)) {
		if (pg->streaming)
			data_error(pg->file, line, "%s", msg.buf);
		verify_fail(run, pg->file, line, "%s", msg.buf);
		run->st.filtered += pg->nout;
		strbuf_release(&msg);
		page_free(pg);
		return;
	}
	strbuf_release(&msg);
	if (env->type != JSON_OBJECT || (json_object_get(env, "data") == NULL &&
	    pg->nread == 0 && json_object_get(env, "meta") == NULL &&
	    json_object_get(env, "links") == NULL))
		data_error(pg->file, line, "not a JSON:API document "
		    "(no \"data\")");
	links = json_object_get(env, "links");
	pg->self_raw = link_of(links, "self");
	pg->next_raw = link_of(links, "next");
	pg->prev_raw = link_of(links, "prev");
	first_raw = link_of(links, "first");
	if (pg->self_raw != NULL)
		pg->self = normalized(pg->self_raw);
	if (pg->next_raw != NULL)
		pg->next = normalized(pg->next_raw);
	pg->first = looks_first(pg, first_raw);
	free(first_raw);

	rc = jsonapi_meta_total(env, &pg->total);
	if (rc == -1)
		data_error(pg->file, line, "meta total is not a count");
	pg->has_total = rc == 1;
	meta = json_object_get(env, "meta");
	pg->total_name = json_object_get(meta, "found_rows") != NULL ?
	    "found_rows" : "total_count";
	count = json_object_get(meta, "count");
	if (count != NULL && json_value_text(count, &s, &len)) {
		n = 0;
		for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			n = n * 10 + (unsigned long long)(s[i] - '0');
		if (i != len || len == 0)
			data_error(pg->file, line, "meta.count is not a count");
		if (n != pg->nread)
			verify_fail(run, pg->file, line, "meta.count says %llu "
			    "resources but the page holds %llu", n, pg->nread);
	}
	if (run->o->resolve)
		add_included(run, env);
	if (run->o->resolve && !run->csv) {
		for (i = 0; i < pg->nitems; i++)
			format_resource(run, &pg->items[i], &pg->out);
		pg->nitems = 0;
	}
	/* Values held for CSV rows stay with the page. */
	if (pg->nitems > 0) {
		pg->arena = run->page_arena;
		run->page_arena = (struct arena)ARENA_INIT;
	}
	place_page(run, pg);
}

/* The held page that nothing held points to: where a gap ends. */
static size_t
earliest_held(struct run *run)
{
	size_t i, j, best = run->nheld;
	int pointed;

	for (i = 0; i < run->nheld; i++) {
		pointed = 0;
		for (j = 0; j < run->nheld && !pointed; j++)
			pointed = j != i && run->held[j]->next != NULL &&
			    run->held[i]->self != NULL &&
			    strcmp(run->held[j]->next, run->held[i]->self) == 0;
		if (!pointed && (best == run->nheld ||
		    run->held[i]->seq < run->held[best]->seq))
			best = i;
	}
	/* Every held page is pointed to: a loop; start with the first read. */
	if (best == run->nheld)
		for (best = 0, i = 1; i < run->nheld; i++)
			if (run->held[i]->seq < run->held[best]->seq)
				best = i;
	return best;
}

/* At the end: every gap is a missing page. */
static void
finish_chain(struct run *run)
{
	struct page *pg;
	char *last_missing = NULL, *prev;
	size_t i;

	for (;;) {
		if (run->expected != NULL) {
			run->missing++;
			verify_fail(run, run->expected_file,
			    run->expected_line, "missing page %s",
			    run->expected_raw);
			free(last_missing);
			last_missing = run->expected;
			run->expected = NULL;
			free(run->expected_raw);
			free(run->expected_file);
			run->expected = run->expected_raw = NULL;
			run->expected_file = NULL;
			run->listing_broken = 1;
			listing_end(run);
		}
		if (run->nheld == 0)
			break;
		i = earliest_held(run);
		pg = run->held[i];
		run->missing++;
		if (pg->self == NULL)
			verify_fail(run, pg->file, pg->line, "page without "
			    "links.self cannot be placed in the page order");
		else if (pg->prev_raw != NULL) {
			prev = normalized(pg->prev_raw);
			/* The gap after the last page written: said already. */
			if (last_missing == NULL ||
			    strcmp(prev, last_missing) != 0)
				verify_fail(run, pg->file, pg->line,
				    "missing page %s", pg->prev_raw);
			else
				run->missing--;
			free(prev);
		}
		else
			verify_fail(run, pg->file, pg->line, "missing the page "
			    "before %s", pg->self_raw);
		unhold(run, i);
		emit_page(run, pg, 1);
		run->listing_broken = 1;
		drain(run);
	}
	free(last_missing);
	listing_end(run);
}

/* ==== the subcommand ==== */

struct json_reader *
jp_open(const struct jp_opts *o, const char *path, struct input **inp)
{
	struct input_opts io = INPUT_OPTS_DEFAULT;
	struct json_opts jo = JSON_OPTS_DEFAULT;
	const char *err = NULL;

	io.encoding = o->c.encoding;
	if ((*inp = input_open(path, &io, &err)) == NULL)
		die("%s: %s", path, err ? err : "cannot open");
	jo.max_depth = o->c.max_depth;
	jo.max_value = o->c.max_record;
	return json_reader_new(*inp, &jo);
}

static void
read_input(struct run *run, const char *path)
{
	struct input *in;
	struct json_reader *r = jp_open(run->o, path, &in);
	struct json_value v;
	int rc;
	struct arena *a = holds_values(run) ? &run->page_arena :
	    &run->item_arena;

	progress_input(in);
	while ((rc = json_reader_next_in(r, "data", a, &v)) > 0) {
		if (run->cur == NULL)
			page_begin(run, input_name(in));
		if (rc == JSON_READER_ITEM) {
			handle_item(run, &v, json_reader_line(r));
			if (a == &run->item_arena)
				arena_reset(a);
		} else {
			page_end(run, &v, json_reader_line(r));
			arena_reset(a);
		}
	}
	if (rc == -1)
		data_error(input_name(in), json_reader_error_line(r), "%s",
		    json_reader_error(r));
	if (run->cur != NULL)
		data_error(input_name(in), json_reader_line(r),
		    "truncated document");
	json_reader_free(r);
	progress_forget(in);
	if (input_close(in) == -1)
		die_errno("%s", path);
}

int
jp_records(struct jp_opts *o, int argc, char **argv)
{
	struct run run;
	struct writer_opts wo = WRITER_OPTS_DEFAULT;
	struct strbuf extra = STRBUF_INIT;
	const char *tmpdir;
	size_t i;
	int fd, status;

	memset(&run, 0, sizeof(run));
	run.o = o;
	run.st = (struct stats)STATS_INIT;
	strbuf_init(&run.sb, 0);
	strbuf_init(&run.direct, 0);
	run.to = o->c.to == FORMAT_NONE ? FORMAT_NDJSON : o->c.to;
	run.out = output_open(o->c.output, o->c.gzip ? OUTPUT_GZIP : 0);
	run.rj = rejects_open(o->c.rejects, FORMAT_JSON);
	wo.format = run.to;
	wo.crlf = o->c.crlf;
	wo.csv_safe = o->c.csv_safe;
	run.cw.delim = run.to == FORMAT_TSV ? '\t' : ',';
	run.cw.crlf = o->c.crlf;
	run.cw.csv_safe = o->c.csv_safe;
	if (run.to == FORMAT_CSV || run.to == FORMAT_TSV) {
		run.csv = 1;
		if (o->ncolumns > 0) {
			/* The header now; rows go straight out. */
			wo.columns = (const char *const *)o->columns;
			wo.ncolumns = o->ncolumns;
			record_writer_finish(record_writer_new(run.out, &wo));
			run.fixed = 1;
			for (i = 0; i < o->ncolumns; i++)
				strset_add(&run.columns, o->columns[i],
				    strlen(o->columns[i]), NULL);
		} else {
			tmpdir = getenv("TMPDIR");
			if (tmpdir == NULL || *tmpdir == '\0')
				tmpdir = "/tmp";
			strbuf_addf(&run.sb, "%s/jsonapi-paginate.XXXXXX",
			    tmpdir);
			spool_path = strbuf_detach(&run.sb, NULL);
			if ((fd = mkstemp(spool_path)) == -1)
				die_errno("%s", spool_path);
			if ((run.spool = fdopen(fd, "w+")) == NULL)
				die_errno("%s", spool_path);
		}
	}
	dying_run = &run;
	errors_on_die(on_die);
	if (run.to == FORMAT_JSON)
		run.w = record_writer_new(run.out, &wo);
	progress_start(o->c.progress);

	if (argc == 0)
		read_input(&run, "-");
	for (i = 0; i < (size_t)argc; i++)
		read_input(&run, argv[i]);
	finish_chain(&run);
	if (run.spool != NULL)
		write_spool(&run, &wo);
	else
		rows_flush(&run);
	progress_end();
	if (run.w != NULL)
		record_writer_finish(run.w);
	dying_run = NULL;
	output_commit(run.out);
	rejects_close(run.rj);

	if (o->c.stats) {
		strbuf_addf(&extra, "\"pages\":%llu,\"duplicate_pages\":%llu,"
		    "\"missing_pages\":%llu,\"duplicate_resources\":%llu",
		    run.pages, run.dup_pages, run.missing, run.dup_resources);
		if (o->resolve)
			strbuf_addf(&extra, ",\"unresolved\":%llu",
			    run.unresolved);
		stats_print(&run.st, stderr, extra.buf);
	}
	status = run.failed ? EXIT_CHECK : 0;

	strbuf_release(&extra);
	stats_release(&run.st);
	strbuf_release(&run.sb);
	strbuf_release(&run.direct);
	free(run.held);
	strbuf_release(&run.rows);
	strbuf_release(&run.cell);
	free(run.cells);
	free(run.segs);
	strset_release(&run.columns);
	strset_release(&run.seen);
	strset_release(&run.emitted);
	strset_release(&run.included);
	hashset_release(&run.keys);
	arena_release(&run.item_arena);
	arena_release(&run.page_arena);
	arena_release(&run.inc_arena);
	arena_release(&run.tmp_arena);
	free(spool_path);
	spool_path = NULL;
	return status;
}

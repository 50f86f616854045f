/*
 * links.c: the twins links loader.  Detects the shape of each links file
 * (CSV export or JSON responses/rows) and hands out one link at a time,
 * streaming result.items so that a huge response is never held whole.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/cli.h"
#include "common/errors.h"
#include "common/listing.h"
#include "common/record.h"
#include "common/source.h"
#include "common/strbuf.h"
#include "tools/twin-join/links.h"

const char *const link_field_names[LINK_NFIELDS] = {
	"dgis_id", "dgis_type", "partner_id", "partner_type", "partner_code"
};

struct links_reader {
	struct links_opts	 o;
	const char		*name;		/* the source's */
	struct source		*src;
	int			 json;		/* else CSV or TSV */
	FILE			*memfile;	/* backing of _new_mem */
	int			 col[LINK_NFIELDS];	/* CSV: -1 absent */
	struct record		 rec;		/* CSV row */
	struct arena		 arena;		/* JSON item */
	struct json_value	 item;
	/* Links of the current item or document, handed out in order. */
	struct link		*queue;
	size_t			 nqueue, qpos, qalloc;
	unsigned long long	 doc_items;	/* items of this document */
	unsigned long long	 ndocs;		/* documents read */
	unsigned long long	 nshort;	/* of them, short of their total */
	int			 done;
	struct read_error	 err;
	/* CSV: the bytes of the row of the last link handed out. */
	const char		*row_start, *row_end;
	/* The last partner code checked (nearly all links repeat it). */
	struct strbuf		 lastcode;
	/* Unknown partner codes already warned about. */
	char			**warned;
	size_t			 nwarned, walloc;
};

static int __attribute__((format(printf, 3, 4)))
fail(struct links_reader *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	read_error_set(&r->err, r->name, line, 0, "%s", buf);
	r->done = 1;
	return -1;
}

/* The source's error (a reader's, with its column) is the reader's. */
static int
source_fail(struct links_reader *r)
{
	read_error_copy(&r->err, source_err(r->src));
	r->done = 1;
	return -1;
}

/* A warning: to o.warn when set, else to stderr (unless quiet). */
static void __attribute__((format(printf, 3, 4)))
warn(struct links_reader *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	if (r->o.quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (r->o.warn != NULL)
		r->o.warn(r->o.warn_arg, line, buf);
	else
		data_warn(r->name, line, "%s", buf);
}

static const char *
fname(const struct links_reader *r, int f)
{
	return r->o.cols[f] != NULL ? r->o.cols[f] : link_field_names[f];
}

/*
 * Warn once per partner code not in --partners: a typo there silently
 * drops links.  Without --partners any code is fine: the API adds them.
 */
static void
check_code(struct links_reader *r, const struct link_str *c,
    unsigned long line)
{
	size_t i;

	if (r->o.partners == NULL || c->len == 0 ||
	    (c->len == r->lastcode.len &&
	    memcmp(c->s, r->lastcode.buf, c->len) == 0))
		return;
	strbuf_reset(&r->lastcode);
	strbuf_add(&r->lastcode, c->s, c->len);
	if (partners_has(r->o.partners, c->s, c->len))
		return;
	for (i = 0; i < r->nwarned; i++)
		if (strlen(r->warned[i]) == c->len &&
		    memcmp(r->warned[i], c->s, c->len) == 0)
			return;
	r->warned = xgrow(r->warned, &r->walloc, r->nwarned + 1,
	    sizeof(*r->warned));
	r->warned[r->nwarned++] = xstrndup(c->s, c->len);
	warn(r, line, "unknown partner code \"%.*s\" (not in %s)",
	    (int)c->len, c->s, r->o.partners->from);
}

static struct link *
queue_add(struct links_reader *r, unsigned long line)
{
	struct link *l;

	r->queue = xgrow(r->queue, &r->qalloc, r->nqueue + 1,
	    sizeof(*r->queue));
	l = &r->queue[r->nqueue++];
	memset(l, 0, sizeof(*l));
	l->line = line;
	return l;
}

/*
 * Set l->f[f] from member name of object v: a string or a number (its
 * digits as written); a missing member or null leaves it empty.
 */
static int
take(struct links_reader *r, struct link *l, int f, const struct json_value *v,
    const char *name)
{
	const struct json_value *m = json_object_get(v, name);

	if (m == NULL || m->type == JSON_NULL)
		return 0;
	if (m->type != JSON_STRING && m->type != JSON_NUMBER)
		return fail(r, l->line, "%s is not a string or a number",
		    name);
	l->f[f].s = m->u.str;
	l->f[f].len = m->len;
	return 0;
}

/* A finished link: supply the partner code, check both IDs, note the code. */
static int
finish_link(struct links_reader *r, struct link *l)
{
	if (l->f[LINK_PARTNER_CODE].len == 0 && r->o.partner_code != NULL) {
		l->f[LINK_PARTNER_CODE].s = r->o.partner_code;
		l->f[LINK_PARTNER_CODE].len = strlen(r->o.partner_code);
	}
	if (l->f[LINK_DGIS_ID].len == 0)
		return fail(r, l->line, "link without %s",
		    fname(r, LINK_DGIS_ID));
	if (l->f[LINK_PARTNER_ID].len == 0)
		return fail(r, l->line, "link without %s",
		    fname(r, LINK_PARTNER_ID));
	check_code(r, &l->f[LINK_PARTNER_CODE], l->line);
	return 0;
}

/* A flat link row: {"dgis_id":..,"partner_id":..,...}. */
static int
flat_row(struct links_reader *r, const struct json_value *v,
    unsigned long line)
{
	struct link *l = queue_add(r, line);
	int f;

	for (f = 0; f < LINK_NFIELDS; f++)
		if (take(r, l, f, v, fname(r, f)) == -1)
			return -1;
	return finish_link(r, l);
}

/*
 * One element of result.items: a search-by-dgis item (dgis_id, twins[] of
 * partners), a search-by-partner item (partner_id, twins[] of 2GIS
 * objects), or a flat link row.
 */
static int
api_item(struct links_reader *r, const struct json_value *v,
    unsigned long line)
{
	const struct json_value *twins, *t;
	struct link *l;
	size_t i;
	int by_dgis;

	if (v->type != JSON_OBJECT)
		return fail(r, line, "a links item is not a JSON object");
	r->doc_items++;
	twins = json_object_get(v, "twins");
	if (twins == NULL)
		return flat_row(r, v, line);
	if (twins->type != JSON_ARRAY)
		return fail(r, line, "twins is not an array");
	if (json_object_get(v, fname(r, LINK_DGIS_ID)) != NULL)
		by_dgis = 1;
	else if (json_object_get(v, fname(r, LINK_PARTNER_ID)) != NULL)
		by_dgis = 0;
	else
		return fail(r, line, "an item with twins has neither %s nor %s",
		    fname(r, LINK_DGIS_ID), fname(r, LINK_PARTNER_ID));
	for (i = 0; i < twins->len; i++) {
		t = &twins->u.items[i];
		if (t->type != JSON_OBJECT)
			return fail(r, line, "a twin is not a JSON object");
		l = queue_add(r, line);
		if (by_dgis) {
			if (take(r, l, LINK_DGIS_ID, v, fname(r, LINK_DGIS_ID))
			    || take(r, l, LINK_DGIS_TYPE, v,
			    fname(r, LINK_DGIS_TYPE)) ||
			    take(r, l, LINK_PARTNER_ID, t,
			    fname(r, LINK_PARTNER_ID)) ||
			    take(r, l, LINK_PARTNER_TYPE, t,
			    fname(r, LINK_PARTNER_TYPE)) ||
			    take(r, l, LINK_PARTNER_CODE, t,
			    fname(r, LINK_PARTNER_CODE)))
				return -1;
		} else {
			if (take(r, l, LINK_PARTNER_ID, v,
			    fname(r, LINK_PARTNER_ID)) ||
			    take(r, l, LINK_PARTNER_TYPE, v,
			    fname(r, LINK_PARTNER_TYPE)) ||
			    take(r, l, LINK_PARTNER_CODE, v,
			    fname(r, LINK_PARTNER_CODE)) ||
			    take(r, l, LINK_DGIS_ID, t, fname(r, LINK_DGIS_ID))
			    || take(r, l, LINK_DGIS_TYPE, t,
			    fname(r, LINK_DGIS_TYPE)))
				return -1;
			/* A twin may name its partner; the item usually not. */
			if (take(r, l, LINK_PARTNER_CODE, t,
			    fname(r, LINK_PARTNER_CODE)))
				return -1;
		}
		if (finish_link(r, l) == -1)
			return -1;
	}
	return 0;
}

/*
 * The rest of a document once its result.items were streamed: the meta
 * envelope (an error code is an error, never zero links), the total check,
 * or, for a document without result.items, the document itself: a flat
 * link row, a top-level items array, or an array of rows/items.
 */
static int
doc_end(struct links_reader *r, const struct json_value *v,
    unsigned long line)
{
	const struct json_value *meta, *code, *result, *total, *items;
	const char *s;
	size_t n, i;
	char want[32];

	if (v->type == JSON_ARRAY) {
		for (i = 0; i < v->len; i++)
			if (api_item(r, &v->u.items[i], line) == -1)
				return -1;
		return 0;
	}
	if (v->type != JSON_OBJECT)
		return fail(r, line, "not a twins link or API response");
	meta = json_object_get(v, "meta");
	result = json_object_get(v, "result");
	if (meta == NULL && result == NULL &&
	    json_object_get(v, "items") == NULL)
		return api_item(r, v, line);
	if (meta != NULL) {
		code = json_object_get(meta, "code");
		if (code == NULL || !json_value_text(code, &s, &n))
			return fail(r, line, "meta without a code");
		if (n != 3 || memcmp(s, "200", 3) != 0) {
			/* The shared wording, its URL keys masked. */
			struct strbuf sb = STRBUF_INIT;
			int rc;

			listing_api_error(v, &sb);
			rc = fail(r, line, "%s", sb.buf);
			strbuf_release(&sb);
			return rc;
		}
	}
	/* search-by-partner responses are also saved as {"items": [...]}. */
	items = json_object_get(v, "items");
	if (items == NULL && result != NULL)
		items = json_object_get(result, "items");
	if (items != NULL) {
		if (items->type != JSON_ARRAY)
			return fail(r, line, "items is not an array");
		for (i = 0; i < items->len; i++)
			if (api_item(r, &items->u.items[i], line) == -1)
				return -1;
	}
	total = result != NULL ? json_object_get(result, "total") : NULL;
	if (total == NULL)
		total = json_object_get(v, "total");
	if (total != NULL && json_value_text(total, &s, &n)) {
		snprintf(want, sizeof(want), "%llu", r->doc_items);
		if (strlen(want) != n || memcmp(want, s, n) != 0) {
			const char *what = r->doc_items == 1 ? "item" :
			    "items";

			if (r->o.strict)
				return fail(r, line, "result.total is %.*s but "
				    "the response has %s %s (pass "
				    "--allow-partial to join what there is)",
				    (int)n, s, want, what);
			warn(r, line, "result.total is %.*s but the "
			    "response has %s %s", (int)n, s, want, what);
			r->nshort++;
		}
	}
	return 0;
}

/* Fill the queue from the next JSON item or document end. */
static int
json_fill(struct links_reader *r)
{
	int rc;
	unsigned long line;

	arena_reset(&r->arena);
	rc = source_next_in(r->src, "result.items", &r->arena, &r->item);
	if (rc == -1)
		return source_fail(r);
	if (rc == 0) {
		r->done = 1;
		return 0;
	}
	line = source_line(r->src);
	if (rc == JSON_READER_ITEM)
		return api_item(r, &r->item, line) == -1 ? -1 : 1;
	rc = doc_end(r, &r->item, line);
	r->doc_items = 0;
	r->ndocs++;
	return rc == -1 ? -1 : 1;
}

/* Find the columns of the CSV export by header name. */
static int
csv_columns(struct links_reader *r)
{
	const char *const *names;
	size_t n, i;
	int f, rc;

	rc = source_header(r->src, &names, &n);
	if (rc == -1)
		return source_fail(r);
	if (rc == 0) {
		r->done = 1;
		return 0;
	}
	for (f = 0; f < LINK_NFIELDS; f++) {
		r->col[f] = -1;
		for (i = 0; i < n; i++)
			if (strcmp(names[i], fname(r, f)) == 0)
				r->col[f] = (int)i;
	}
	if (r->col[LINK_DGIS_ID] == -1 || r->col[LINK_PARTNER_ID] == -1)
		return fail(r, 1, "no %s column in the links header "
		    "(see --links-cols)", r->col[LINK_DGIS_ID] == -1 ?
		    fname(r, LINK_DGIS_ID) : fname(r, LINK_PARTNER_ID));
	return 1;
}

static int
csv_fill(struct links_reader *r)
{
	struct csv_row_view row;
	struct link *l;
	int rc, f;

	rc = source_next_row(r->src, &row);
	if (rc == -1)
		return source_fail(r);
	if (rc == 0) {
		r->done = 1;
		return 0;
	}
	if (row.problem_code != NULL) {
		/* The record says what the problem is. */
		source_row_record(r->src, &r->rec);
		return fail(r, r->rec.line, "%s", r->rec.problem);
	}
	l = queue_add(r, row.line);
	r->row_start = row.cells[0].s;
	r->row_end = row.cells[row.n - 1].s + row.cells[row.n - 1].len;
	for (f = 0; f < LINK_NFIELDS; f++) {
		if (r->col[f] < 0 || (size_t)r->col[f] >= row.n)
			continue;
		l->f[f].s = row.cells[r->col[f]].s;
		l->f[f].len = row.cells[r->col[f]].len;
	}
	return finish_link(r, l) == -1 ? -1 : 1;
}

/*
 * Open the source on path: its format is sniffed as for any input (the
 * extension, else the first byte); a .json name holding a CSV export would
 * fail loudly anyway.
 */
static struct links_reader *
start(struct links_reader *r, const char *path)
{
	struct common_opts co = COMMON_OPTS_DEFAULT;

	co.delim = r->o.delim;
	co.max_record = r->o.max_value;
	co.max_depth = r->o.max_depth;
	r->src = source_open(path, &co);
	source_check_utf8_when_read(r->src);
	r->name = source_name(r->src);
	r->json = source_format(r->src) == FORMAT_JSON;
	if (!r->json && csv_columns(r) == -1)
		r->done = 1;
	return r;
}

static struct links_reader *
reader_new(const struct links_opts *o)
{
	struct links_reader *r = xcalloc(1, sizeof(*r));

	if (o != NULL)
		r->o = *o;
	record_init(&r->rec);
	strbuf_init(&r->lastcode, 0);
	return r;
}

struct links_reader *
links_reader_open(const char *path, const struct links_opts *o)
{
	return start(reader_new(o), path);
}

struct links_reader *
links_reader_new_mem(const char *buf, size_t len, const struct links_opts *o)
{
	struct links_reader *r = reader_new(o);
	char path[64];

	/* A source reads only files: a temporary file stands in for memory. */
	r->memfile = tmpfile();
	if (r->memfile == NULL || fwrite(buf, 1, len, r->memfile) != len ||
	    fflush(r->memfile) != 0) {
		r->name = "<memory>";
		fail(r, 0, "cannot buffer the input");
		return r;
	}
	snprintf(path, sizeof(path), "/dev/fd/%d", fileno(r->memfile));
	return start(r, path);
}

int
links_reader_next(struct links_reader *r, struct link *out)
{
	int rc;

	while (r->qpos == r->nqueue) {
		if (r->done)
			return read_error_isset(&r->err) ? -1 : 0;
		r->nqueue = r->qpos = 0;
		if (r->json)
			rc = json_fill(r);
		else
			rc = csv_fill(r);
		if (rc == -1)
			return -1;
	}
	*out = r->queue[r->qpos++];
	return 1;
}

void
links_reader_row(const struct links_reader *r, const char **start,
    const char **end)
{
	*start = r->json ? NULL : r->row_start;
	*end = r->json ? NULL : r->row_end;
}

unsigned long long
links_reader_documents(const struct links_reader *r)
{
	return r->ndocs;
}

unsigned long long
links_reader_short(const struct links_reader *r)
{
	return r->nshort;
}

const char *
links_reader_name(const struct links_reader *r)
{
	return r->name;
}

const struct read_error *
links_reader_err(const struct links_reader *r)
{
	return &r->err;
}

void
links_reader_free(struct links_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	source_close(r->src);
	if (r->memfile != NULL)
		fclose(r->memfile);
	record_release(&r->rec);
	arena_release(&r->arena);
	strbuf_release(&r->lastcode);
	for (i = 0; i < r->nwarned; i++)
		free(r->warned[i]);
	free(r->warned);
	free(r->queue);
	free(r);
}

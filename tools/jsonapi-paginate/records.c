/*
 * records.c: the records subcommand: the resources of every page, in page
 * order, with the chain of links, duplicates and totals verified.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/json_writer.h"
#include "common/listing.h"
#include "common/output.h"
#include "common/progress.h"
#include "common/rejects.h"
#include "common/source.h"
#include "common/stats.h"
#include "common/writer.h"
#include "jp.h"

/* Duplicate resources are counted always but shown only this often. */
#define DUP_WARN_MAX	10

struct page {
	char			*file;		/* input name, for messages */
	unsigned long		 line;		/* where the document starts */
	unsigned long		 seq;		/* arrival order */
	char			*self, *self_raw;	/* normalized, raw */
	char			*next, *next_raw;
	char			*prev_raw;
	int			 first;		/* looks like a first page */
	int			 streaming;	/* written as read (in order) */
	struct strbuf		 out;		/* its resources, NDJSON */
	struct strbuf		 keys;		/* "type\0id\0" per resource */
	unsigned long long	 nread;		/* elements of data */
	uint64_t		 digest;	/* of data, to compare copies */
	unsigned long long	 nout;		/* lines in out */
	int			 has_total;
	unsigned long long	 total;
	const char		*total_name;
	/* CSV/TSV, --resolve: the resources, until the page is written. */
	struct arena		 arena;
	struct json_value	*items;
	size_t			 nitems, items_alloc;
};

struct run {
	struct jp_opts		*o;
	struct output		*out;
	enum format		 to;
	struct record_writer	*w;		/* output not NDJSON */
	int			 csv;		/* CSV/TSV: rows by cr */
	struct csvrows		 cr;
	struct shaper		 sh;
	struct rejects		*rj;
	struct stats		 st;
	struct arena		 item_arena, page_arena, tmp_arena;
	struct strbuf		 sb, direct;
	struct page		*cur;
	/* the page chain */
	struct page		**held;
	size_t			 nheld, held_alloc;
	struct strset		 seen;		/* self URLs placed or held */
	struct seen_page	*seenpg;	/* by seen's index */
	size_t			 seenpg_alloc;
	unsigned long long	 docs;		/* documents read */
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
	uint64_t		*hashes;	/* a page's, for check_keys() */
	size_t			 hashes_alloc;
	unsigned long		 seq;
	unsigned long long	 pages, dup_pages, missing, dup_resources;
	int			 failed;	/* a check failed (partial) */
	/* skip/limit pages: total, count and duplicate ids */
	struct listing		 skip;
	int			 skip_used;
};

/* The first copy of a page, for a second copy to be compared with. */
struct seen_page {
	uint64_t		 digest;
	unsigned long long	 nread;
	char			*file;
	unsigned long		 line;
};

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
	if (run == NULL)
		return;
	if (run->csv)
		csvrows_abort(&run->cr);
	if (run->o->c.output != NULL || (run->csv && !run->cr.fixed))
		return;
	/* A JSON array without its "]" is not valid either way. */
	if (run->w == NULL)
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
	struct strbuf err = STRBUF_INIT;
	struct json_value v;
	const char *p, *nl, *end = buf + len;

	if (len == 0)
		return;
	if (run->w == NULL) {
		output_write(run->out, buf, len);
		return;
	}
	/* Our own NDJSON, one value a line, read back for the writer. */
	jo.max_depth = run->o->c.max_depth + 4;
	jo.max_value = (size_t)-1;
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p)
			continue;
		if (json_parse(p, (size_t)(nl - p), &jo, &run->tmp_arena, &v,
		    &err) == -1)
			die("internal error: re-reading a record: %s",
			    err.buf);
		if (record_writer_write_value(run->w, &v) == -1)
			die("%s", record_writer_error(run->w));
		arena_reset(&run->tmp_arena);
	}
	strbuf_release(&err);
}

/* Check the (type, id) keys of resources being written for repeats. */
static void
check_keys(struct run *run, const struct page *pg, const char *k,
    size_t len)
{
	const char *end = k + len, *p, *id;
	size_t tl, il, n = 0, i;

	/*
	 * The table is far bigger than the cache: hash the page's keys and
	 * prefetch their slots first, then look them up.
	 */
	for (p = k; p < end; p = id + il + 1) {
		tl = strlen(p);
		id = p + tl + 1;
		il = strlen(id);
		run->hashes = xgrow(run->hashes, &run->hashes_alloc, n + 1,
		    sizeof(*run->hashes));
		run->hashes[n++] = jp_hash(p, tl + il + 1);
	}
	hashset_reserve(&run->keys, run->keys.n + n);
	for (i = 0; i < n; i++)
		hashset_prefetch(&run->keys, run->hashes[i]);
	for (i = 0, p = k; i < n; i++, p = id + il + 1) {
		tl = strlen(p);
		id = p + tl + 1;
		il = strlen(id);
		if (hashset_add(&run->keys, run->hashes[i]))
			continue;
		if (run->dup_resources < DUP_WARN_MAX)
			data_warn(pg->file, pg->line, "resource (%s, %s) "
			    "already seen on an earlier page", p, id);
		else if (run->dup_resources == DUP_WARN_MAX)
			data_warn(pg->file, pg->line, "more duplicate "
			    "resources: not shown (see --stats)");
		run->dup_resources++;
	}
}

/* ==== resources ==== */

/* The final form of one resource, appended to sb as an NDJSON line. */
static void
format_resource(struct run *run, const struct json_value *res,
    struct strbuf *sb)
{
	struct json_value v = shaper_apply(&run->sh, res);

	json_write_value(sb, &v);
	strbuf_addch(sb, '\n');
	shaper_reset(&run->sh);
}

static void
csv_add(struct run *run, const struct page *pg, const struct json_value *v)
{
	const char *dup;

	if (csvrows_add(&run->cr, v, &dup) == -1)
		data_error(pg->file, pg->line, "a resource has two fields "
		    "called '%s' (an attribute and a relationship?)", dup);
}

/* Write held resources as CSV rows (their page is next in order). */
static void
csv_page_rows(struct run *run, struct page *pg)
{
	struct json_value v;
	size_t i;

	for (i = 0; i < pg->nitems; i++) {
		v = shaper_apply(&run->sh, &pg->items[i]);
		csv_add(run, pg, &v);
		shaper_reset(&run->sh);
	}
	pg->nitems = 0;
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
    unsigned long line, const char *code, const char *why)
{
	struct record rec = RECORD_INIT;

	/*
	 * rejects_add() masks its secrets (DESIGN §4); stdout is the data.
	 * A value that is no object is kept whole, as "value".
	 */
	if (record_from_value(&rec, v) == -1)
		record_add_value(&rec, "value", v);
	rec.file = pg->file;
	rec.line = line;
	rejects_add(run->rj, &run->st, &rec, code, why);
	record_release(&rec);
}

#define MIX(h, w)	((((h) ^ (w)) * 0x9e3779b97f4a7c15ULL) << 29 | \
			    (((h) ^ (w)) * 0x9e3779b97f4a7c15ULL) >> 35)

/*
 * Bytes into a running hash, a word at a time: every page's data goes
 * through here, so FNV's byte at a time would cost a fifth of the run.
 * Not for hash tables: only to tell two copies of a page apart.
 */
static uint64_t
bytes_hash(uint64_t h, const char *s, size_t len)
{
	uint64_t w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = MIX(h, w);
	}
	w = (uint64_t)len << 56;
	memcpy(&w, s, len);
	return MIX(h, w);
}

/*
 * A hash of v's content (member order counts, as the API keeps it).  An
 * explicit stack, not recursion: --max-depth may allow a million levels.
 */
struct hash_frame {
	const struct json_value	*v;
	size_t			 i;	/* the next child */
};

static uint64_t
value_hash(uint64_t h, const struct json_value *v)
{
	struct hash_frame local[32], *st = local, *top;
	size_t n = 0, alloc = 0;
	const struct json_value *c;

	for (;;) {
		h = MIX(h, (uint64_t)v->type);
		if (v->type == JSON_NUMBER || v->type == JSON_STRING)
			h = bytes_hash(h, v->u.str, v->len);
		else if (v->type == JSON_ARRAY || v->type == JSON_OBJECT) {
			if (n == sizeof(local) / sizeof(local[0]) &&
			    st == local) {
				alloc = 0;
				st = xgrow(NULL, &alloc, 2 * n, sizeof(*st));
				memcpy(st, local, sizeof(local));
			} else if (st != local)
				st = xgrow(st, &alloc, n + 1, sizeof(*st));
			st[n].v = v;
			st[n++].i = 0;
		}
		/* The next child of the innermost open container. */
		c = NULL;
		while (n > 0 && c == NULL) {
			top = &st[n - 1];
			if (top->i == top->v->len) {
				h = MIX(h, top->v->len);
				n--;
			} else if (top->v->type == JSON_ARRAY)
				c = &top->v->u.items[top->i++];
			else {
				h = bytes_hash(h, top->v->u.members[top->i].name,
				    top->v->u.members[top->i].name_len);
				c = &top->v->u.members[top->i++].value;
			}
		}
		if (c == NULL)
			break;
		v = c;
	}
	if (st != local)
		free(st);
	return h;
}

static void
item(struct run *run, const struct json_value *v, unsigned long line)
{
	struct page *pg = run->cur;
	const struct json_value *t;
	const char *clash;
	struct json_value fv;

	pg->nread++;
	/* Two copies of one page must hold the same data (place_page()). */
	pg->digest = value_hash(pg->digest, v);
	run->st.read++;
	progress_tick(run->st.read);
	t = json_object_get(v, "type");
	if (v->type != JSON_OBJECT || t == NULL || t->type != JSON_STRING) {
		reject_item(run, pg, v, line, "not_resource", "data element "
		    "is not a JSON:API resource (no \"type\")");
		return;
	}
	if (run->o->type != NULL && strcmp(t->u.str, run->o->type) != 0) {
		run->st.filtered++;
		return;
	}
	/*
	 * --flatten puts attributes and relationships beside id and type:
	 * one name twice would let a last-wins reader take an attribute for
	 * the resource's identity.
	 */
	if (run->o->flatten && (clash = shaper_flatten_clash(v)) != NULL) {
		strbuf_reset(&run->sb);
		strbuf_addf(&run->sb, "field '%s' stands twice when flattened "
		    "(JSON:API forbids attributes and relationships named id "
		    "or type, or sharing a name)", clash);
		reject_item(run, pg, v, line, "field_clash", run->sb.buf);
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
			fv = shaper_apply(&run->sh, v);
			csv_add(run, pg, &fv);
			shaper_reset(&run->sh);
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
		return;
	}
	format_resource(run, v, &pg->out);
}

static void
handle_item(struct run *run, const struct json_value *v, unsigned long line)
{
	struct page *pg = run->cur;

	item(run, v, line);
	/* Filtered resources count too: their memory is held as well. */
	if (!pg->streaming && run->nheld == 0 && !run->o->resolve &&
	    (run->csv ? run->page_arena.used : pg->out.len) > run->o->spill)
		start_streaming(run, pg);
}

/*
 * links.NAME (a string or a link object's href) copied, or NULL when
 * absent or null, with the values of credential parameters masked: these
 * copies are what messages show, and comparing pages goes through
 * jsonapi_url_normalize(), which drops those parameters anyway.  A member
 * that is no link is malformed (file:line, exit 2): read as "no next" it
 * would make a page the listing's last.
 */
static char *
link_of(const struct json_value *links, const char *name, const char *file,
    unsigned long line)
{
	struct strbuf sb = STRBUF_INIT;
	const char *v;
	size_t len;
	int rc;

	if ((rc = jsonapi_link(links, name, &v, &len)) == -1)
		data_error(file, line, JSONAPI_LINK_BAD, name);
	if (rc == 0)
		return NULL;
	jsonapi_mask_credentials(v, len, &sb);
	return strbuf_detach(&sb, NULL);
}

/* link resolved against the page's own self (a URI-reference), or as is. */
static char *
resolved(const char *self, char *link)
{
	struct strbuf sb = STRBUF_INIT;

	if (self == NULL || link == NULL)
		return link;
	jsonapi_url_resolve(self, strlen(self), link, strlen(link), &sb);
	free(link);
	return strbuf_detach(&sb, NULL);
}

static char *
normalized(const char *url)
{
	struct strbuf sb = STRBUF_INIT;

	jsonapi_url_normalize(url, strlen(url), &sb);
	return strbuf_detach(&sb, NULL);
}

/* Is url at the start of its listing (page 1, offset 0, or no page)? */
static int
at_start(const char *url)
{
	struct jsonapi_page p;

	return jsonapi_url_page(url, strlen(url), &p) == 0 &&
	    !(p.has_number && p.number > 1) && !(p.has_offset && p.offset > 0);
}

static char *
listing_of(const char *url)
{
	struct strbuf sb = STRBUF_INIT;

	jsonapi_url_listing(url, strlen(url), &sb);
	return strbuf_detach(&sb, NULL);
}

/*
 * Does the page look like the first of a listing?  An absent or null prev
 * means no page before, but an API that never writes prev is not taken
 * at its word: self must be at the start of the listing, and so must
 * first, of the same listing.  The spec's own example has a bare self and
 * a first with page parameters; Citypoint's self is http:// and its first
 * https://; both are one position.
 */
static int
looks_first(const struct page *pg, const char *first_raw)
{
	char *a, *b;
	int same;

	if (pg->prev_raw != NULL)
		return 0;
	if (pg->self == NULL)
		return 1;
	if (!at_start(pg->self_raw))
		return 0;
	if (first_raw == NULL)
		return 1;
	a = listing_of(first_raw);
	b = listing_of(pg->self_raw);
	same = strcmp(a, b) == 0 && at_start(first_raw);
	free(a);
	free(b);
	return same;
}

/*
 * A skip/limit page (no links: written in input order).  What can be
 * checked is: every page agrees on total, no id comes twice (a duplicate
 * is dropped), and at the end the ids add up to the total.
 */
static void
skip_page(struct run *run, struct page *pg, const struct json_value *env,
    unsigned long line)
{
	const struct json_value *res = json_object_get(env, "result"), *it, *idv;
	unsigned long long total;
	const char *id, *bad;
	size_t i, len;

	if (res == NULL || res->type != JSON_ARRAY ||
	    listing_total(json_object_get(env, "total"), &total) != 1)
		data_error(pg->file, line, "not a skip/limit page: want "
		    "{\"result\":[...],\"total\":N}");
	if (!run->skip_used) {
		if ((bad = jp_resource_opt(run->o)) != NULL)
			data_error(pg->file, line, JP_SKIP_RESOURCE_OPT, bad);
		listing_init(&run->skip, "item");
		run->skip_used = 1;
	}
	if (listing_page(&run->skip, pg->file, line, total) == -1)
		verify_fail(run, pg->file, line, "%s",
		    listing_error(&run->skip));
	for (i = 0; i < res->len; i++) {
		it = &res->u.items[i];
		run->st.read++;
		idv = json_object_get(it, "id");
		if (idv == NULL || (idv->type != JSON_STRING &&
		    idv->type != JSON_NUMBER) || idv->len == 0) {
			/* Still one of the total's items. */
			run->skip.items++;
			reject_item(run, pg, it, line, "missing_id",
			    "item of result has no id");
			continue;
		}
		id = idv->u.str;
		len = idv->len;
		if (listing_item(&run->skip, pg->file, line, id, len) == -1) {
			verify_fail(run, pg->file, line, "%s",
			    listing_error(&run->skip));
			run->st.filtered++;
			continue;
		}
		run->st.written++;
		if (run->csv) {
			csv_add(run, pg, it);
			continue;
		}
		strbuf_reset(&run->sb);
		json_write_value(&run->sb, it);
		strbuf_addch(&run->sb, '\n');
		sink_text(run, run->sb.buf, run->sb.len);
	}
	run->pages++;
	page_free(pg);
}

/* At the end: the skip/limit items add up to their total. */
static void
skip_finish(struct run *run)
{
	struct listing *l = &run->skip;

	if (!run->skip_used)
		return;
	if (listing_finish(l) == -1)
		verify_fail(run, l->files[l->total_file], l->total_line, "%s",
		    listing_error(l));
	listing_release(l);
	run->skip_used = 0;
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

/*
 * A page whose self was read before: an identical copy (a download
 * retried) is dropped with a warning; a copy whose data differs means
 * the listing changed between the downloads, and which copy is right
 * cannot be told: an error naming both, or with --allow-partial the
 * first copy is kept.
 */
static void
duplicate_page(struct run *run, struct page *pg, long idx)
{
	const struct seen_page *sp = &run->seenpg[idx];

	if (pg->streaming)
		data_error(pg->file, pg->line, "duplicate page %s was "
		    "already written (too large to hold: over %zu "
		    "bytes)", pg->self_raw, run->o->spill);
	if (sp->digest != pg->digest || sp->nread != pg->nread)
		verify_fail(run, pg->file, pg->line, "page %s read twice with "
		    "different content (first at %s:%lu): download it again",
		    pg->self_raw, sp->file, sp->line);
	else
		data_warn(pg->file, pg->line, "duplicate page %s dropped",
		    pg->self_raw);
	run->dup_pages++;
	run->st.filtered += pg->nout;
	page_free(pg);
}

static void
place_page(struct run *run, struct page *pg)
{
	struct seen_page *sp;
	long idx;
	int now;

	if (pg->self != NULL && (idx = strset_find(&run->seen, pg->self,
	    strlen(pg->self))) >= 0) {
		duplicate_page(run, pg, idx);
		return;
	}
	if (pg->self != NULL) {
		run->seenpg = xgrow(run->seenpg, &run->seenpg_alloc,
		    run->seen.n + 1, sizeof(*run->seenpg));
		sp = &run->seenpg[run->seen.n];
		sp->digest = pg->digest;
		sp->nread = pg->nread;
		sp->file = xstrdup(pg->file);
		sp->line = pg->line;
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
page_end(struct run *run, const struct json_value *env, unsigned long line,
    int found)
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
	if (jp_api_error(env, found, &msg)) {
		if (pg->streaming)
			data_error(pg->file, line, "%s", msg.buf);
		verify_fail(run, pg->file, line, "%s", msg.buf);
		run->st.filtered += pg->nout;
		strbuf_release(&msg);
		page_free(pg);
		return;
	}
	strbuf_release(&msg);
	if (!found && (run->o->skip || jp_skip_shape(env))) {
		skip_page(run, pg, env, line);
		return;
	}
	if (run->o->skip)
		data_error(pg->file, line, "not a skip/limit page: want "
		    "{\"result\":[...],\"total\":N}");
	/*
	 * A document holds data, errors or meta (JSON:API 1.0, top level):
	 * meta alone is valid, with no resources; links or jsonapi alone
	 * is not a document.
	 */
	if (env->type != JSON_OBJECT || (!found &&
	    json_object_get(env, "meta") == NULL))
		data_error(pg->file, line, "not a JSON:API document "
		    "(no data, errors or meta)");
	links = json_object_get(env, "links");
	pg->self_raw = link_of(links, "self", pg->file, line);
	pg->next_raw = resolved(pg->self_raw, link_of(links, "next", pg->file,
	    line));
	pg->prev_raw = resolved(pg->self_raw, link_of(links, "prev", pg->file,
	    line));
	first_raw = resolved(pg->self_raw, link_of(links, "first", pg->file,
	    line));
	if (pg->self_raw != NULL)
		pg->self = normalized(pg->self_raw);
	if (pg->next_raw != NULL)
		pg->next = normalized(pg->next_raw);
	pg->first = looks_first(pg, first_raw);
	free(first_raw);

	/*
	 * Without data a document is no page: its meta is the API's own
	 * (meta may hold anything), not a page's count or total.
	 */
	rc = found ? jsonapi_meta_total(env, &pg->total) : 0;
	if (rc == -1)
		data_error(pg->file, line, "meta total is not a count");
	pg->has_total = rc == 1;
	meta = json_object_get(env, "meta");
	pg->total_name = json_object_get(meta, "found_rows") != NULL ?
	    "found_rows" : "total_count";
	count = found ? json_object_get(meta, "count") : NULL;
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
		shaper_add_included(&run->sh, env);
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

struct source *
jp_open(const struct jp_opts *o, const char *path)
{
	struct common_opts co = o->c;

	/* Pages are JSON whatever their names say. */
	co.from = FORMAT_JSON;
	return source_open(path, &co);
}

int
jp_api_error(const struct json_value *env, int found, struct strbuf *msg)
{
	struct strbuf raw = STRBUF_INIT;
	int rc;

	/* An API's message may quote the request URL, key and all. */
	rc = found ? jsonapi_errors(env, &raw) : listing_api_error(env, &raw);
	jsonapi_mask_credentials(raw.buf, raw.len, msg);
	strbuf_release(&raw);
	return rc;
}

static void
read_input(struct run *run, const char *path)
{
	struct source *src = jp_open(run->o, path);
	struct json_value v;
	int rc;
	struct arena *a = holds_values(run) ? &run->page_arena :
	    &run->item_arena;
	unsigned long long docs = run->docs;

	while ((rc = source_next_in(src, "data", a, &v)) > 0) {
		if (run->cur == NULL)
			page_begin(run, source_name(src));
		if (rc == JSON_READER_ITEM) {
			handle_item(run, &v, source_line(src));
			/* Kept only while the page is held. */
			if (a == &run->item_arena || (run->cur->streaming &&
			    !run->o->resolve))
				arena_reset(a);
		} else {
			run->docs++;
			page_end(run, &v, source_line(src),
			    source_in_found(src));
			arena_reset(a);
		}
	}
	if (rc == -1)
		source_die(src);
	if (run->cur != NULL)
		data_error(source_name(src), source_line(src),
		    "truncated document");
	/* A failed download (curl -f) leaves an empty file. */
	if (run->docs == docs && strcmp(path, "-") != 0)
		die("%s: empty file: not a page", source_name(src));
	source_close(src);
}

int
jp_records(struct jp_opts *o, int argc, char **argv)
{
	struct run run;
	struct writer_opts wo = WRITER_OPTS_DEFAULT;
	struct strbuf extra = STRBUF_INIT;
	size_t i;
	int status;

	memset(&run, 0, sizeof(run));
	run.o = o;
	shaper_init(&run.sh, o);
	run.st = (struct stats)STATS_INIT;
	strbuf_init(&run.sb, 0);
	strbuf_init(&run.direct, 0);
	run.to = o->c.to == FORMAT_NONE ? FORMAT_NDJSON : o->c.to;
	run.out = output_open(o->c.output, o->c.gzip ? OUTPUT_GZIP : 0);
	run.rj = rejects_open(o->c.rejects, FORMAT_JSON);
	wo.format = run.to;
	cli_writer_opts(&wo, &o->c);
	if (run.to == FORMAT_CSV || run.to == FORMAT_TSV) {
		run.csv = 1;
		csvrows_init(&run.cr, run.out, &wo);
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
	skip_finish(&run);
	if (run.docs == 0 && !o->allow_empty)
		die("no page read: the input is empty (pass --allow-empty if "
		    "that is meant)");
	if (run.csv)
		csvrows_finish(&run.cr, &wo);
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
			    run.sh.unresolved);
		stats_print(&run.st, stderr, extra.buf);
	}
	status = run.failed ? EXIT_CHECK : 0;

	strbuf_release(&extra);
	stats_release(&run.st);
	strbuf_release(&run.sb);
	strbuf_release(&run.direct);
	free(run.held);
	if (run.csv)
		csvrows_release(&run.cr);
	shaper_release(&run.sh);
	for (i = 0; i < run.seen.n; i++)
		free(run.seenpg[i].file);
	free(run.seenpg);
	strset_release(&run.seen);
	strset_release(&run.emitted);
	hashset_release(&run.keys);
	free(run.hashes);
	arena_release(&run.item_arena);
	arena_release(&run.page_arena);
	arena_release(&run.tmp_arena);
	return status;
}

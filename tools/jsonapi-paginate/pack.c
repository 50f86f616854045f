/*
 * pack.c: the pack subcommand, the inverse of records: NDJSON resources in,
 * valid JSON:API pages (with links and meta) out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "common/errors.h"
#include "common/json_writer.h"
#include "common/output.h"
#include "common/source.h"
#include "common/stats.h"
#include "jp.h"

/* The URL of page k (0-based) of size n. */
static void
page_url(const struct jp_opts *o, unsigned long long k, struct strbuf *sb)
{
	struct jsonapi_page pg;
	struct strbuf url = STRBUF_INIT;

	memset(&pg, 0, sizeof(pg));
	pg.style = o->style;
	if (o->style == JSONAPI_PAGE_OFFSET) {
		pg.has_offset = pg.has_limit = 1;
		pg.offset = k * o->size;
		pg.limit = o->size;
	} else {
		pg.has_number = pg.has_size = 1;
		pg.number = k + 1;
		pg.size = o->size;
	}
	jsonapi_url_set_page(o->base, strlen(o->base), &pg, &url);
	json_write_string(sb, url.buf, url.len);
	strbuf_release(&url);
}

static void
put_link(const struct jp_opts *o, struct strbuf *sb, const char *name,
    int present, unsigned long long k)
{
	strbuf_addf(sb, "\"%s\":", name);
	if (present)
		page_url(o, k, sb);
	else
		strbuf_addstr(sb, "null");
}

/* Everything after the data array of page k of npages. */
static void
page_tail(const struct jp_opts *o, struct strbuf *sb, unsigned long long k,
    unsigned long long npages, unsigned long long total,
    unsigned long long count)
{
	strbuf_addstr(sb, "],\"links\":{");
	if (o->style == JSONAPI_PAGE_OFFSET) {
		put_link(o, sb, "self", 1, k);
		if (k + 1 < npages) {
			strbuf_addch(sb, ',');
			put_link(o, sb, "next", 1, k + 1);
		}
		strbuf_addf(sb, "},\"meta\":{\"total_count\":%llu}}\n", total);
		return;
	}
	put_link(o, sb, "first", 1, 0);
	strbuf_addch(sb, ',');
	put_link(o, sb, "prev", k > 0, k - 1);
	strbuf_addch(sb, ',');
	put_link(o, sb, "self", 1, k);
	strbuf_addch(sb, ',');
	put_link(o, sb, "next", k + 1 < npages, k + 1);
	strbuf_addch(sb, ',');
	put_link(o, sb, "last", 1, npages - 1);
	strbuf_addf(sb, "},\"meta\":{\"found_rows\":%llu,\"count\":%llu}}\n",
	    total, count);
}

/* Read every input's resources into spool; returns how many. */
static unsigned long long
spool_inputs(struct jp_opts *o, int argc, char **argv, FILE *spool,
    struct stats *st)
{
	struct arena a = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct source *src;
	struct json_value v;
	const struct json_value *t;
	unsigned long long n = 0;
	int i, rc;

	for (i = 0; i < (argc == 0 ? 1 : argc); i++) {
		src = jp_open(o, argc == 0 ? "-" : argv[i]);
		while ((rc = source_next_item(src, &a, &v)) == 1) {
			st->read++;
			t = json_object_get(&v, "type");
			if (t == NULL || t->type != JSON_STRING)
				data_error(source_name(src), source_line(src),
				    "not a JSON:API resource (no \"type\")");
			if (o->type != NULL && strcmp(t->u.str, o->type) != 0) {
				st->filtered++;
				arena_reset(&a);
				continue;
			}
			json_write_value(&sb, &v);
			strbuf_addch(&sb, '\n');
			if (fwrite(sb.buf, 1, sb.len, spool) != sb.len)
				die_errno("temporary file");
			strbuf_reset(&sb);
			arena_reset(&a);
			n++;
		}
		if (rc == -1)
			source_die(src);
		source_close(src);
	}
	strbuf_release(&sb);
	arena_release(&a);
	return n;
}

int
jp_pack(struct jp_opts *o, int argc, char **argv)
{
	struct stats st = STATS_INIT;
	struct strbuf sb = STRBUF_INIT, extra = STRBUF_INIT;
	struct output *out;
	unsigned long long total, npages, k, j, count;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *spool;

	/*
	 * meta.found_rows on the first page needs the total before anything
	 * is written: the resources go to a temporary file first.
	 */
	if ((spool = tmpfile()) == NULL)
		die_errno("temporary file");
	total = spool_inputs(o, argc, argv, spool, &st);
	if (fflush(spool) != 0 || ferror(spool) || fseek(spool, 0, SEEK_SET))
		die_errno("temporary file");
	out = output_open(o->c.output, o->c.gzip ? OUTPUT_GZIP : 0);
	npages = total == 0 ? 1 : (total + o->size - 1) / o->size;
	for (k = 0; k < npages; k++) {
		count = k + 1 < npages ? o->size : total - k * o->size;
		strbuf_addstr(&sb, "{\"data\":[");
		for (j = 0; j < count; j++) {
			if ((len = getline(&line, &cap, spool)) <= 0)
				die("temporary file: short read");
			if (j > 0)
				strbuf_addch(&sb, ',');
			strbuf_add(&sb, line, (size_t)len - 1);
			if (sb.len >= 65536)
				output_write_sb(out, &sb);
		}
		page_tail(o, &sb, k, npages, total, count);
		output_write_sb(out, &sb);
	}
	st.written = total;
	output_commit(out);
	if (o->c.stats) {
		strbuf_addf(&extra, "\"pages\":%llu", npages);
		stats_print(&st, stderr, extra.buf);
	}
	free(line);
	fclose(spool);
	strbuf_release(&sb);
	strbuf_release(&extra);
	stats_release(&st);
	return 0;
}

/*
 * merge.c: twin-join --sorted: records and links, both sorted by key, are
 * merged in one pass, holding only the links of one key at a time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/record.h"
#include "common/source.h"
#include "common/strbuf.h"
#include "tools/twin-join/index.h"
#include "tools/twin-join/join.h"
#include "tools/twin-join/links.h"

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
			m->lr = links_reader_open(
			    j->o->links[m->next_file++], &j->o->lo);
		}
		rc = links_reader_next(m->lr, &l);
		if (rc == -1)
			read_error_die(links_reader_err(m->lr));
		if (rc == 0) {
			join_links_file_end(j, m->lr);
			links_reader_free(m->lr);
			m->lr = NULL;
			if (m->next_file >= j->o->nlinks)
				join_links_end(j);
			continue;
		}
		join_link_read(j, m->lr, &l);
		if (!join_wanted(j->o, m->lr, &l))
			continue;
		key_normalize(j->o->norm, l.f[j->key_field].s,
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

	/* TLINK_MATCHED: only rejected records had the key (see advance()). */
	if (tlink_nrec(m->flags) == 0 && !(m->flags & TLINK_MATCHED))
		for (k = 0; k < j->nls; k++)
			join_orphan(j, &j->ls[k]);
	else
		join_count_key(j, tlink_nrec(m->flags), j->nls);
	load_group(j, m);
}

/*
 * The record at rec has key j->kbuf: check its order against the last one
 * (prev), finish the groups before it; 1 when the current group has its
 * key.
 */
static int
advance(struct join *j, struct merge *m, const struct record *rec,
    struct strbuf *prev, int *have_prev)
{
	int c = 1;

	if (*have_prev && key_cmp(j->kbuf.buf, j->kbuf.len, prev->buf,
	    prev->len) < 0)
		data_error(rec->file, rec->line, "key %s is out of order "
		    "after %s (--sorted needs input sorted by key)",
		    j->kbuf.buf, prev->buf);
	strbuf_reset(prev);
	strbuf_add(prev, j->kbuf.buf, j->kbuf.len);
	*have_prev = 1;
	while (m->have_group && (c = key_cmp(m->gkey.buf, m->gkey.len,
	    j->kbuf.buf, j->kbuf.len)) < 0)
		finish_group(j, m);
	return m->have_group && c == 0;
}

void
merge_run(struct join *j, struct records *rs)
{
	struct record rec = RECORD_INIT;
	struct jrow jr = { &rec, NULL, 0 };
	struct merge m;
	struct strbuf prev = STRBUF_INIT;
	int have_prev = 0;

	memset(&m, 0, sizeof(m));
	strbuf_init(&m.pkey, 0);
	strbuf_init(&m.gkey, 0);
	strbuf_init(&m.lastkey, 0);
	m.have_pending = read_pending(j, &m);
	load_group(j, &m);
	while (records_next(j, rs, &rec) == 1) {
		if (join_record_key(j, &rec) == -1) {
			/*
			 * A rejected record with a readable key still
			 * exists: its key's links are no orphans.
			 */
			if (join_rejected_key(j, &rec) == 0 &&
			    advance(j, &m, &rec, &prev, &have_prev))
				m.flags |= TLINK_MATCHED;
			continue;
		}
		if (advance(j, &m, &rec, &prev, &have_prev))
			join_matched(j, &jr, &m.flags);
		else
			join_unmatched(j, &jr);
	}
	while (m.have_group)
		finish_group(j, &m);
	record_release(&rec);
	strbuf_release(&prev);
	strbuf_release(&m.pkey);
	strbuf_release(&m.gkey);
	strbuf_release(&m.lastkey);
	arena_release(&m.pa);
	arena_release(&m.ga);
	links_reader_free(m.lr);
}

int
records_next(struct join *j, struct records *rs, struct record *rec)
{
	int rc;

	for (;;) {
		if (rs->src == NULL) {
			if (rs->i >= rs->n) {
				join_records_end(j);
				return 0;
			}
			rs->read0 = j->st.read;
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
		join_records_file_end(j, rs->src, rs->paths[rs->i - 1],
		    rs->read0);
		source_close(rs->src);
		rs->src = NULL;
	}
}

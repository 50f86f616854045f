/*
 * reading.c: twin-join's reading thread: links and records parsed into
 * batches for the main thread (see reading.h and handoff.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/source.h"
#include "tools/twin-join/handoff.h"
#include "tools/twin-join/index.h"
#include "tools/twin-join/reading.h"

/* ==== links ==== */

struct link_batch *
link_batch_new(void)
{
	struct link_batch *b = xcalloc(1, sizeof(*b));

	strbuf_init(&b->text, 64 * 1024);
	return b;
}

void
link_batch_free(struct link_batch *b)
{
	if (b == NULL)
		return;
	strbuf_release(&b->text);
	free(b->warn);
	free(b);
}

/*
 * Append to the batch's text.  The links already in the batch point into
 * it: when it moves, they move with it (rarely: the text keeps its size
 * from batch to batch).
 */
static char *
batch_text_add(struct link_batch *b, const char *s, size_t n)
{
	uintptr_t old = (uintptr_t)b->text.buf, moved;
	size_t base = b->text.len, i, f;

	strbuf_add(&b->text, s, n);
	if ((uintptr_t)b->text.buf != old && old != 0) {
		moved = (uintptr_t)b->text.buf;
		for (i = 0; i < b->n; i++)
			for (f = 0; f < LINK_NFIELDS; f++)
				b->link[i].f[f].s = (const char *)(moved +
				    ((uintptr_t)b->link[i].f[f].s - old));
	}
	return b->text.buf + base;
}

void
link_reading_warn(void *arg, unsigned long line, const char *msg)
{
	struct link_reading *rd = arg;
	struct link_batch *b = rd->cur;
	struct link_warning *w;

	if (b == NULL) {	/* not from the reading thread: say it now */
		data_warn(rd->lr != NULL ? links_reader_name(rd->lr) : NULL,
		    line, "%s", msg);
		return;
	}
	b->warn = xgrow(b->warn, &b->walloc, b->nwarn + 1, sizeof(*b->warn));
	w = &b->warn[b->nwarn++];
	w->at = b->n;
	w->line = line;
	w->off = b->text.len;
	batch_text_add(b, msg, strlen(msg) + 1);
}

/*
 * A link's strings into the batch text.  A CSV link's fields lie in its
 * row: one copy of the row (when it is not long) beats five copies of its
 * fields.  A field from elsewhere (a -p partner code, a JSON document's
 * strings) is copied alone.  Offsets until all are added: the text may
 * move under the fields added before.  A field without a value points at
 * an empty string.
 */
#define LINK_ROW_MAX	512

static void
copy_link_strings(struct link_batch *b, struct link *l, const char *row_start,
    const char *row_end)
{
	uintptr_t rs = (uintptr_t)row_start, re = (uintptr_t)row_end, s;
	size_t f, base = b->text.len, off[LINK_NFIELDS];

	if (row_start != NULL && re - rs <= LINK_ROW_MAX)
		batch_text_add(b, row_start, re - rs);
	else
		rs = re = 0;
	for (f = 0; f < LINK_NFIELDS; f++) {
		s = (uintptr_t)l->f[f].s;
		if (s >= rs && s + l->f[f].len <= re && rs != 0) {
			off[f] = base + (s - rs);
			continue;
		}
		off[f] = b->text.len;
		if (l->f[f].len > 0)
			batch_text_add(b, l->f[f].s, l->f[f].len);
	}
	for (f = 0; f < LINK_NFIELDS; f++)
		l->f[f].s = b->text.buf + off[f];
}

/* The reader's strings live only until its next link: copy them. */
int
read_links(void *batch, void *arg)
{
	struct link_reading *rd = arg;
	struct link_batch *b = batch;
	struct link *l;
	const char *row_start, *row_end;
	int rc = 1;

	b->n = 0;
	b->nwarn = 0;
	b->end = 0;
	strbuf_reset(&b->text);
	rd->cur = b;
	while (b->n < LINK_BATCH &&
	    (rc = links_reader_next(rd->lr, l = &b->link[b->n])) == 1) {
		links_reader_row(rd->lr, &row_start, &row_end);
		copy_link_strings(b, l, row_start, row_end);
		b->n++;
	}
	if (rc != 1)
		b->end = rc == 0 ? 1 : -1;
	rd->cur = NULL;
	return b->end == 0;
}

/* ==== records ==== */

struct record_batch *
record_batch_new(void)
{
	struct record_batch *b = xcalloc(1, sizeof(*b));
	size_t i;

	for (i = 0; i < RECORD_BATCH; i++) {
		record_init(&b->item[i].rec);
		strbuf_init(&b->item[i].key, 0);
		strbuf_init(&b->item[i].why, 0);
	}
	strbuf_init(&b->text, 0);
	return b;
}

void
record_batch_trim(struct record_batch *b)
{
	struct record_item *it;
	size_t i;

	for (i = 0; i < b->n; i++) {
		it = &b->item[i];
		if (it->rec.arena.used > RECORD_BATCH_BYTES ||
		    it->rec.alloc > 4096) {
			record_release(&it->rec);
			record_init(&it->rec);
		}
		if (it->key.alloc > 65536)
			strbuf_release(&it->key);
		if (it->why.alloc > 65536)
			strbuf_release(&it->why);
	}
	if (b->text.alloc > 4 * RECORD_BATCH_BYTES)
		strbuf_release(&b->text);
	if (b->cell_alloc > 65536) {
		free(b->cell);
		b->cell = NULL;
		b->cell_alloc = 0;
	}
}

void
record_batch_free(struct record_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < RECORD_BATCH; i++) {
		record_release(&b->item[i].rec);
		strbuf_release(&b->item[i].key);
		strbuf_release(&b->item[i].why);
	}
	strbuf_release(&b->text);
	free(b->cell);
	free(b);
}

/* Find an item's compared key and hash, or why it can't join. */
static void
key_item(struct key_finder *kf, struct record_item *it)
{
	struct strbuf swap;

	it->head = NULL;
	it->keyed = 0;
	if (it->rec.problem != NULL) {
		it->state = RECORD_PROBLEM;
		if (key_finder_rejected(kf, &it->rec) == -1)
			return;
		it->keyed = 1;
		goto keyed;
	}
	if (key_finder_find(kf, &it->rec, &it->code) == -1) {
		it->state = RECORD_NO_KEY;
		strbuf_reset(&it->why);
		strbuf_add(&it->why, kf->why.buf, kf->why.len);
		return;
	}
	it->state = RECORD_KEYED;
keyed:
	/* The finder's buffer becomes the item's: no copy. */
	swap = it->key;
	it->key = kf->key;
	kf->key = swap;
	it->hash = twin_index_hash(it->key.buf, it->key.len);
}

/*
 * Append to the batch's text.  The rows already in it (items before the
 * last, which is being made, and their cells) point into it: when it
 * moves, they move with it (rarely: the text keeps its size from batch to
 * batch).
 */
static void
record_text_add(struct record_batch *b, const char *s, size_t n)
{
	uintptr_t old = (uintptr_t)b->text.buf, moved;
	size_t i;

	strbuf_add(&b->text, s, n);
	if ((uintptr_t)b->text.buf == old || old == 0)
		return;
	moved = (uintptr_t)b->text.buf;
	for (i = 0; i + 1 < b->n; i++)
		if (b->item[i].state == RECORD_ROW)
			b->item[i].ks = (const char *)(moved +
			    ((uintptr_t)b->item[i].ks - old));
	for (i = 0; i < b->ncell; i++)
		b->cell[i].s = (const char *)(moved +
		    ((uintptr_t)b->cell[i].s - old));
}

/*
 * The CSV path: a good row is copied into the batch as it is, cells and
 * all, no record made; a row with a problem or without a key becomes a
 * record, to be rejected like any other.  Returns the bytes it took.
 */
static size_t
row_item(struct record_reading *rd, struct record_batch *b,
    struct record_item *it, const struct csv_row_view *v)
{
	const char *ks, *start, *to;
	size_t klen, span, base, koff = 0, i, need;
	struct csv_cell *c;

	if (v->problem_code == NULL) {
		ks = v->cells[rd->kcol].s;
		klen = v->cells[rd->kcol].len;
		if (rd->kf.norm != 0) {
			key_normalize(rd->kf.norm, ks, klen, &rd->kf.key);
			ks = rd->kf.key.buf;
			klen = rd->kf.key.len;
		}
		if (klen > 0)
			goto keyed;
	}
	source_row_record(rd->src, &it->rec);
	key_item(&rd->kf, it);
	return it->rec.arena.used;

keyed:
	it->state = RECORD_ROW;
	it->keyed = 0;
	it->hash = twin_index_hash(ks, klen);
	it->klen = klen;
	/* The cells lie in one block, each with its NUL: one copy. */
	start = v->cells[0].s;
	span = (size_t)(v->cells[v->n - 1].s - start) +
	    v->cells[v->n - 1].len + 1;
	base = b->text.len;
	record_text_add(b, start, span);
	if (rd->kf.norm != 0) {
		koff = b->text.len;
		record_text_add(b, ks, klen);
	}
	to = b->text.buf + base;
	it->ks = rd->kf.norm != 0 ? b->text.buf + koff : to + (ks - start);
	need = b->ncell + v->n + rd->nadd;
	if (need > b->cell_alloc)
		b->cell = xgrow(b->cell, &b->cell_alloc, need, sizeof(*b->cell));
	it->first = b->ncell;
	c = b->cell + b->ncell;
	for (i = 0; i < v->n; i++) {
		c[i].s = to + (v->cells[i].s - start);
		c[i].len = v->cells[i].len;
	}
	/* The added cells, empty until the main thread fills them. */
	for (; i < v->n + rd->nadd; i++) {
		c[i].s = to;
		c[i].len = 0;
	}
	b->ncell = need;
	return span;
}

/*
 * The index is far larger than the caches: while record k is looked up,
 * the table slot of record k + SLOT_AHEAD is prefetched, and the link in
 * the slot of record k + LINK_AHEAD (whose slot has arrived by then), so
 * that the memory loads of several lookups overlap.  Only reads: the main
 * thread changes nothing here but links' flags, which are not read.
 */
#define SLOT_AHEAD	16
#define LINK_AHEAD	8

static int
has_key(const struct record_item *it)
{
	return it->state == RECORD_KEYED || it->state == RECORD_ROW ||
	    it->keyed;
}

static void
find_twins(struct twin_index *ix, struct record_batch *b)
{
	struct record_item *it;
	size_t k;

	for (k = 0; k < b->n && k < SLOT_AHEAD; k++)
		if (has_key(&b->item[k]))
			twin_index_prefetch_slot(ix, b->item[k].hash);
	for (k = 0; k < b->n; k++) {
		if (k + SLOT_AHEAD < b->n && has_key(&b->item[k + SLOT_AHEAD]))
			twin_index_prefetch_slot(ix,
			    b->item[k + SLOT_AHEAD].hash);
		if (k + LINK_AHEAD < b->n && has_key(&b->item[k + LINK_AHEAD]))
			twin_index_prefetch(ix, b->item[k + LINK_AHEAD].hash);
		it = &b->item[k];
		if (it->state == RECORD_KEYED || it->keyed)
			it->head = twin_index_find_hash(ix, it->key.buf,
			    it->key.len, it->hash);
		else if (it->state == RECORD_ROW)
			it->head = twin_index_find_hash(ix, it->ks, it->klen,
			    it->hash);
	}
}

int
read_records(void *batch, void *arg)
{
	struct record_reading *rd = arg;
	struct record_batch *b = batch;
	struct record_item *it;
	struct csv_row_view v;
	size_t bytes = 0;
	int rc = 1;

	b->n = 0;
	b->end = 0;
	b->ncell = 0;
	strbuf_reset(&b->text);
	while (b->n < RECORD_BATCH && bytes < RECORD_BATCH_BYTES) {
		it = &b->item[b->n];
		if (rd->cells) {
			if ((rc = source_next_row(rd->src, &v)) != 1)
				break;
			b->n++;
			bytes += row_item(rd, b, it, &v);
			continue;
		}
		if ((rc = source_next(rd->src, &it->rec)) != 1)
			break;
		b->n++;
		bytes += it->rec.arena.used;
		key_item(&rd->kf, it);
	}
	if (rc != 1)
		b->end = rc == 0 ? 1 : -1;
	find_twins(rd->ix, b);
	return b->end == 0;
}

/*
 * hash.c: twin-join's in-memory join: the links loaded into an index
 * (index.c) while the reading thread parses them, then the records streamed
 * past it, looked up in batches (reading.c, handoff.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/errors.h"
#include "common/format.h"
#include "common/progress.h"
#include "common/record.h"
#include "common/source.h"
#include "common/strbuf.h"
#include "tools/twin-join/handoff.h"
#include "tools/twin-join/index.h"
#include "tools/twin-join/join.h"
#include "tools/twin-join/links.h"
#include "tools/twin-join/reading.h"

/*
 * About how many links the -l files hold, from their sizes, to size the
 * table once instead of growing it: a line of the CSV export is some 50
 * bytes, a link in a JSON response some 150, and gzip shrinks them about 5
 * times.  A wrong guess costs memory in proportion to the file (the table
 * takes some 16 bytes per guessed link, a third of a CSV line) or the usual
 * growth; growing a 10M-link table three times costs more than a tenth of
 * the whole load.  Capped at 64M keys (a 1 GiB table); past it the table
 * grows.
 */
#define GUESS_MAX	((size_t)64 << 20)

static size_t
guess_links(const struct opts *o)
{
	struct stat st;
	size_t i, n = 0, per;
	enum format f;
	const char *p;

	for (i = 0; i < o->nlinks; i++) {
		p = o->links[i];
		if (strcmp(p, "-") == 0 || stat(p, &st) == -1 ||
		    !S_ISREG(st.st_mode))
			continue;
		f = format_from_path(p);
		per = f == FORMAT_CSV || f == FORMAT_TSV ? 50 : 150;
		if (strlen(p) > 3 && strcmp(p + strlen(p) - 3, ".gz") == 0)
			per /= 5;
		n += (size_t)st.st_size / per;
	}
	return n < GUESS_MAX ? n : GUESS_MAX;
}

/* One link from a -l file into the index (unless -p leaves it out). */
static void
index_link(struct join *j, struct links_reader *lr, const struct link *l)
{
	const char *k = l->f[j->key_field].s;
	size_t klen = l->f[j->key_field].len;

	if (!join_wanted(j->o, lr, l))
		return;
	/* Without normalizing, the key is the field itself: no copy. */
	if (j->o->norm != 0) {
		key_normalize(j->o->norm, k, klen, &j->kbuf);
		k = j->kbuf.buf;
		klen = j->kbuf.len;
	}
	if (klen == 0)
		data_error(links_reader_name(lr), l->line,
		    "a link's key is empty once normalized");
	if (twin_index_add(j->ix, l, k, klen) == -1)
		data_error(links_reader_name(lr), l->line, "an ID longer than "
		    "65535 bytes, more than 65535 distinct types, codes or "
		    "combinations of them, or more than 16 GiB of links");
}

/*
 * The links, parsed by the reading thread while this one fills the index:
 * the two halves of loading take about as long as each other.  Warnings
 * and errors come out here, in the order of the file.
 */
static void
load_index(struct join *j)
{
	struct link_batch *lb[READING_BATCHES], *b;
	struct link_reading rd;
	struct handoff *h;
	uint64_t nread = 0;
	size_t i, k, w;
	int end;

	/* The line names the phase: its counts start again with records. */
	progress_phase("links");
	j->ix = twin_index_new(j->key_field);
	twin_index_reserve(j->ix, guess_links(j->o));
	for (i = 0; i < READING_BATCHES; i++)
		lb[i] = link_batch_new();
	for (i = 0; i < j->o->nlinks; i++) {
		memset(&rd, 0, sizeof(rd));
		j->o->lo.warn = link_reading_warn;
		j->o->lo.warn_arg = &rd;
		rd.lr = links_reader_open(j->o->links[i], &j->o->lo);
		h = handoff_start((void **)lb, READING_BATCHES, read_links, &rd);
		do {
			b = handoff_take(h);
			for (k = 0, w = 0; k <= b->n; k++) {
				for (; w < b->nwarn && b->warn[w].at == k; w++)
					data_warn(links_reader_name(rd.lr),
					    b->warn[w].line, "%s", b->text.buf +
					    b->warn[w].off);
				if (k == b->n)
					break;
				progress_tick(++nread);
				join_link_read(j, rd.lr, &b->link[k]);
				index_link(j, rd.lr, &b->link[k]);
			}
			end = b->end;
			handoff_return(h, b);
		} while (!end);
		handoff_finish(h);
		if (end == -1)
			read_error_die(links_reader_err(rd.lr));
		join_links_file_end(j, rd.lr);
		links_reader_free(rd.lr);
	}
	join_links_end(j);
	for (i = 0; i < READING_BATCHES; i++)
		link_batch_free(lb[i]);
	twin_index_seal(j->ix);
	j->links = twin_index_links(j->ix);
	j->dups = twin_index_dups(j->ix);
}

/* How many records ahead join_batch() asks for the links it will need. */
#define JOIN_PREFETCH	8

/* r, whose compared key is in j->kbuf, has the links from head on. */
static void
join_one(struct join *j, struct jrow *r, struct tlink *head)
{
	struct tlink *t;
	int get = join_writes_twins(j);

	if (head == NULL) {
		join_unmatched(j, r);
		return;
	}
	j->nls = 0;
	/* Sized first: a link's fields may point into its own entry. */
	if (get)
		j->ls = xgrow(j->ls, &j->lsalloc, tlink_count(j->ix, head),
		    sizeof(*j->ls));
	for (t = head; t != NULL; t = tlink_next(j->ix, t)) {
		if (get)
			tlink_get(j->ix, t, &j->ls[j->nls]);
		j->nls++;
		t->flags |= TLINK_MATCHED;
	}
	join_matched(j, r, &head->flags);
}

/*
 * A rejected record whose key could be read exists all the same: its
 * key's links are no orphans (flagged as join_one() does, unmatched).
 */
static void
join_rejected(struct join *j, struct record_item *it)
{
	struct tlink *t;

	if (!it->keyed) {
		join_keyless(j, &it->rec);
		return;
	}
	for (t = it->head; t != NULL; t = tlink_next(j->ix, t))
		t->flags |= TLINK_MATCHED;
}

/* A batch of records, in order: rejected, or joined. */
static void
join_batch(struct join *j, struct record_batch *b)
{
	struct record_item *it;
	struct strbuf swap;
	struct jrow r;
	size_t k;

	for (k = 0; k < b->n; k++) {
		it = &b->item[k];
		/*
		 * The reading thread found each item's links a while ago; they
		 * are out of the cache again by now (the index is far larger):
		 * ask for those of a later item while this one is written.
		 */
		if (k + JOIN_PREFETCH < b->n &&
		    b->item[k + JOIN_PREFETCH].head != NULL)
			tlink_prefetch(b->item[k + JOIN_PREFETCH].head);
		join_count_read(j);
		switch (it->state) {
		case RECORD_PROBLEM:
			join_reject(j, &it->rec, it->rec.problem_code,
			    it->rec.problem);
			join_rejected(j, it);
			break;
		case RECORD_NO_KEY:
			join_reject(j, &it->rec, it->code, it->why.buf);
			join_keyless(j, &it->rec);
			break;
		case RECORD_KEYED:
			/* The item's key becomes j->kbuf: no copy. */
			swap = j->kbuf;
			j->kbuf = it->key;
			it->key = swap;
			r.rec = &it->rec;
			r.cells = NULL;
			r.nin = 0;
			join_one(j, &r, it->head);
			break;
		case RECORD_ROW:
			strbuf_reset(&j->kbuf);
			strbuf_add(&j->kbuf, it->ks, it->klen);
			r.rec = NULL;
			r.cells = &b->cell[it->first];
			r.nin = j->nincols;
			join_one(j, &r, it->head);
			break;
		}
	}
}

/*
 * The records, parsed (and their keys found and hashed) by the reading
 * thread while this one joins and writes; each input is opened here, so
 * that its errors come in order.
 */
static void
join_records(struct join *j, char **paths, int npaths)
{
	struct record_batch *rb[READING_BATCHES], *b;
	struct record_reading rd;
	struct handoff *h;
	unsigned long long read0;
	int i, end;

	progress_phase("records");
	for (i = 0; i < READING_BATCHES; i++)
		rb[i] = record_batch_new();
	key_finder_init(&rd.kf, j->o);
	for (i = 0; i < npaths; i++) {
		read0 = j->st.read;
		rd.src = source_open(paths[i], &j->o->common);
		/*
		 * The splitting thread is the slowest stage; the reading
		 * thread, which looks keys up, has time to spare.
		 */
		source_check_utf8_when_read(rd.src);
		join_source_opened(j, rd.src);
		rd.cells = join_cells_ok(j, rd.src, &rd.kcol);
		rd.ix = j->ix;
		rd.nadd = j->nadd;
		h = handoff_start((void **)rb, READING_BATCHES, read_records,
		    &rd);
		do {
			b = handoff_take(h);
			join_batch(j, b);
			end = b->end;
			record_batch_trim(b);
			handoff_return(h, b);
		} while (!end);
		handoff_finish(h);
		if (end == -1)
			source_die(rd.src);
		join_records_file_end(j, rd.src, paths[i], read0);
		source_close(rd.src);
	}
	join_records_end(j);
	key_finder_release(&rd.kf);
	for (i = 0; i < READING_BATCHES; i++)
		record_batch_free(rb[i]);
}

void
hash_run(struct join *j, struct records *rs)
{
	struct twin_index_iter it = { 0, 0 };
	struct tlink *t;
	struct link l;

	load_index(j);
	join_records(j, rs->paths, rs->n);
	/* Orphans in load order; cardinalities from each key's head. */
	while ((t = twin_index_next(j->ix, &it)) != NULL) {
		if (t->flags & TLINK_HEAD)
			join_count_key(j, tlink_nrec(t->flags),
			    tlink_count(j->ix, t));
		if (!(t->flags & TLINK_MATCHED)) {
			if (!join_writes_orphans(j)) {
				join_orphan(j, NULL);
				continue;
			}
			tlink_get(j->ix, t, &l);
			join_orphan(j, &l);
		}
	}
}

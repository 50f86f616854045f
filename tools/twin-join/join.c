/*
 * join.c: the join's state (set up, released) and what every join mode
 * shares: rejecting a record, the -p filter, checking each records input
 * as it opens.  Keys are keys.c, writing emit.c, the end report.c.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/hints.h"
#include "common/fieldpath.h"
#include "common/format.h"
#include "common/progress.h"
#include "common/record.h"
#include "common/rejects.h"
#include "common/source.h"
#include "common/stats.h"
#include "common/strbuf.h"
#include "tools/twin-join/index.h"
#include "tools/twin-join/join.h"
#include "tools/twin-join/links.h"

static const struct added added_by_partner[] = {
	{ "dgis_id", LINK_DGIS_ID }, { "dgis_type", LINK_DGIS_TYPE }
};

static const struct added added_by_dgis[] = {
	{ "partner_code", LINK_PARTNER_CODE },
	{ "partner_id", LINK_PARTNER_ID },
	{ "partner_type", LINK_PARTNER_TYPE }
};

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
	strbuf_init(&j->code1, 0);
}

void
join_release(struct join *j)
{
	size_t i;

	twin_index_free(j->ix);
	join_links_release(j);
	key_finder_release(&j->kf);
	stats_release(&j->st);
	record_release(&j->orec);
	strbuf_release(&j->kbuf);
	strbuf_release(&j->tmp);
	for (i = 0; i < 3; i++)
		strbuf_release(&j->list[i]);
	free(j->ls);
	join_free_cols(j->cols, j->ncols);
	join_free_cols(j->incols, j->nincols);
	join_free_cols(j->later_cols, j->nlater);
	for (i = 0; i < j->noffenders; i++)
		free(j->offenders[i]);
	free(j->keyless_file);
}

/* ==== the join itself ==== */

void
join_reject(struct join *j, struct record *rec, const char *code,
    const char *why)
{
	rejects_add(j->rj, &j->st, rec, code, why);
}

/*
 * A link is an orphan when no record has its key, and a cleanup job may
 * delete it: a rejected record still exists, and one whose key can't be
 * read may be the record of any link, so no orphan can be trusted.
 */
void
join_keyless(struct join *j, const struct record *rec)
{
	if (j->keyless_file != NULL || !join_writes_orphans(j) ||
	    j->o->monitor)
		return;
	/* The merge wrote the orphans of the keys before this one. */
	if (j->o->sorted)
		data_error(rec->file, rec->line, "a rejected record without a "
		    "readable key may hold any orphan link, and --sorted "
		    "writes them as it goes");
	j->keyless_file = xstrdup(rec->file != NULL ? rec->file : "-");
	j->keyless_line = rec->line;
}

int
join_withholds(const struct join *j)
{
	return j->keyless_file != NULL;
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
		join_start_output(j, src);
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

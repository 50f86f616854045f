/*
 * linkcheck.c: what the inputs must hold before a join can be trusted:
 * some links (an empty download is not "no twins"), links of one partner
 * when records carry partner ids, and some records (an empty export is
 * not "every link is an orphan").
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/source.h"
#include "tools/twin-join/join.h"

void
join_link_read(struct join *j, struct links_reader *lr, const struct link *l)
{
	const struct link_str *c = &l->f[LINK_PARTNER_CODE];
	const char *file = links_reader_name(lr);

	j->links_read++;
	j->file_links++;
	if (j->o->ncodes > 0 && join_wanted(j->o, lr, l))
		j->links_wanted++;
	if (j->o->by_dgis || j->o->ncodes > 0)
		return;
	if (!j->have_code1) {
		strbuf_add(&j->code1, c->s != NULL ? c->s : "", c->len);
		j->code1_file = xstrdup(file);
		j->code1_line = l->line;
		j->have_code1 = 1;
		return;
	}
	/* No partner_code column: c->s is NULL (memcmp must not see it). */
	if (c->len == j->code1.len && (c->len == 0 ||
	    memcmp(c->s, j->code1.buf, c->len) == 0))
		return;
	if (strcmp(file, j->code1_file) == 0)
		data_error(file, l->line, "links of partner codes \"%.*s\" and "
		    "\"%s\" (line %lu): a partner id means nothing without "
		    "its partner, give -p CODE", (int)c->len, c->s,
		    j->code1.buf, j->code1_line);
	data_error(file, l->line, "links of partner codes \"%.*s\" and "
	    "\"%s\" (%s:%lu): a partner id means nothing without its "
	    "partner, give -p CODE", (int)c->len, c->s, j->code1.buf,
	    j->code1_file, j->code1_line);
}

/*
 * The way out of a no-links error.  None in a monitoring mode: a check
 * never passes on links it did not read (join_finish() says UNKNOWN).
 */
static const char *
allow_hint(const struct join *j)
{
	return j->o->monitor ? "" : " (pass --allow-empty if that is meant)";
}

void
join_links_file_end(struct join *j, struct links_reader *lr)
{
	if (j->file_links == 0 && links_reader_documents(lr) == 0 &&
	    !j->o->allow_empty)
		die("%s: no links: an empty file or a header only%s",
		    links_reader_name(lr), allow_hint(j));
	j->file_links = 0;
	/* Let through by --allow-partial: join_finish() exits 1. */
	j->links_short += links_reader_short(lr);
}

void
join_links_end(struct join *j)
{
	if (j->links_read == 0 && (!j->o->allow_empty || j->o->monitor))
		die("no links in any -l file%s", allow_hint(j));
	/*
	 * -p picked none: a typo would make every record "no twin".  (A
	 * monitoring mode says so in its status line: report.c.)
	 */
	if (j->o->ncodes > 0 && j->links_wanted == 0 && !j->o->allow_empty &&
	    !j->o->monitor)
		die("no link of partner code%s %s%s among the %llu link%s read "
		    "(a typo in -p? pass --allow-empty if that is meant)",
		    j->o->ncodes > 1 ? "s" : "", j->o->codes[0],
		    j->o->ncodes > 1 ? ", ..." : "", j->links_read,
		    j->links_read == 1 ? "" : "s");
}

void
join_links_release(struct join *j)
{
	strbuf_release(&j->code1);
	free(j->code1_file);
}

/*
 * Records.  A monitoring mode says UNKNOWN for a run without records on
 * its own (report.c); --allow-empty lets an empty input through.
 */
void
join_records_file_end(struct join *j, struct source *src, const char *path,
    unsigned long long read0)
{
	if (j->st.read == read0 && strcmp(path, "-") != 0 &&
	    !j->o->allow_empty && !j->o->monitor)
		die("%s: no records: an empty file or a header only (pass "
		    "--allow-empty if that is meant)", source_name(src));
}

void
join_records_end(struct join *j)
{
	if (j->st.read == 0 && !j->o->allow_empty && !j->o->monitor)
		die("no records: the input is empty (pass --allow-empty if "
		    "that is meant)");
}

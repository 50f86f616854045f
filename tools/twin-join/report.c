/*
 * report.c: the end of a join: key cardinalities and --expect offenders,
 * --report, --stats, the monitoring status line, and the exit status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/json_writer.h"
#include "common/monitor.h"
#include "common/output.h"
#include "common/progress.h"
#include "common/rejects.h"
#include "common/stats.h"
#include "common/strbuf.h"
#include "common/writer.h"
#include "tools/twin-join/join.h"

static const char *const expect_names[] = {
	"", "one-to-one", "one-to-many", "many-to-one"
};

static const char *const card_names[CARD_N] = { "1:1", "1:N", "N:1", "N:M" };

void
join_add_offender(struct join *j, const char *k, size_t n)
{
	if (j->noffenders < MAX_OFFENDERS)
		j->offenders[j->noffenders++] = xstrndup(k, n);
}

int
join_violates(const struct join *j, unsigned nrec, size_t nlinks)
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
void
join_count_key(struct join *j, unsigned nrec, size_t nlinks)
{
	if (nrec == 0)
		return;
	if (nrec == 1)
		j->card[nlinks == 1 ? CARD_1_1 : CARD_1_N]++;
	else
		j->card[nlinks == 1 ? CARD_N_1 : CARD_N_M]++;
}

/*
 * rec (key in j->kbuf) has the twins j->ls[0..nls).  *flags holds the
 * key's record count and --expect mark, kept by the caller's index or
 * merge group.
 */
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

/* The first offending keys, ", "-separated, through add (plain or mended). */
static void
offender_list(const struct join *j, unsigned long long v, struct strbuf *sb,
    void (*add)(struct strbuf *, const char *, size_t))
{
	size_t i;

	for (i = 0; i < j->noffenders; i++) {
		if (i > 0)
			strbuf_addstr(sb, ", ");
		add(sb, j->offenders[i], strlen(j->offenders[i]));
	}
	if (v > j->noffenders)
		strbuf_addstr(sb, ", ...");
}

static void
add_plain(struct strbuf *sb, const char *s, size_t n)
{
	strbuf_add(sb, s, n);
}

/*
 * The monitoring status line.  A broken --expect is CRITICAL, not WARNING:
 * it is a yes/no assertion with no threshold to be near (as check_http -s
 * or check_dns -a, whose unmet expectation is CRITICAL).  A check that read
 * no record or no link has checked nothing: UNKNOWN, never OK.
 */
static int
status_line(struct join *j, unsigned long long v)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long long joined = j->matched + j->unmatched;
	size_t i;

	if (j->links == 0) {
		if (j->o->ncodes == 0)
			die("no link read");
		for (i = 0; i < j->o->ncodes; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", j->o->codes[i]);
		die("no link read for partner code%s %s",
		    j->o->ncodes == 1 ? "" : "s", sb.buf);
	}
	if (joined == 0)
		die("no record read (%llu rejected)", j->st.rejected);
	strbuf_addf(&sb, "TWINJOIN %s - ", v > 0 ? "CRITICAL" : "OK");
	if (v > 0) {
		strbuf_addf(&sb, "expected %s, but %llu key%s %s not: ",
		    expect_names[j->o->expect], v, v == 1 ? "" : "s",
		    v == 1 ? "is" : "are");
		offender_list(j, v, &sb, monitor_text);
	} else {
		if (j->o->expect != EXPECT_NONE)
			strbuf_addf(&sb, "%s holds: ",
			    expect_names[j->o->expect]);
		strbuf_addf(&sb, "%llu record%s, %llu matched, %llu unmatched, "
		    "%llu orphan link%s", j->st.read, j->st.read == 1 ? "" :
		    "s", j->matched, j->unmatched, j->orphans,
		    j->orphans == 1 ? "" : "s");
		if (j->st.rejected > 0)
			strbuf_addf(&sb, ", %llu rejected", j->st.rejected);
	}
	strbuf_addf(&sb, " | records=%llu matched=%llu unmatched=%llu "
	    "rejected=%llu links=%llu orphans=%llu", j->st.read, j->matched,
	    j->unmatched, j->st.rejected, j->links, j->orphans);
	if (j->o->expect != EXPECT_NONE)
		strbuf_addf(&sb, " violations=%llu", v);
	strbuf_addch(&sb, '\n');
	/* The files first: a failed rename must be the only line (UNKNOWN). */
	output_publish();
	output_write_sb(output_stdout(), &sb);
	strbuf_release(&sb);
	return v > 0 ? 2 : EXIT_SUCCESS;
}

int
join_finish(struct join *j)
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
	if (j->withheld > 0)
		warnx("%s:%lu: %llu orphan link%s withheld: a rejected record "
		    "without a readable key may hold %s", j->keyless_file,
		    j->keyless_line, j->withheld, j->withheld == 1 ? "" : "s",
		    j->withheld == 1 ? "it" : "any of them");
	if (j->o->report)
		print_report(j);
	if (j->o->common.stats) {
		strbuf_addf(&sb, "\"links\":%llu,\"orphans\":%llu,"
		    "\"rows\":%llu", j->links, j->orphans, j->rows);
		if (j->withheld > 0)
			strbuf_addf(&sb, ",\"withheld_orphans\":%llu",
			    j->withheld);
		stats_print(&j->st, stderr, sb.buf);
	}
	strbuf_release(&sb);
	v = violations(j);
	if (j->o->monitor)
		return status_line(j, v);
	/* Joined with links short of their total: not a whole join. */
	if (v == 0)
		return j->links_short > 0 || j->withheld > 0 ? EXIT_CHECK :
		    EXIT_SUCCESS;
	strbuf_init(&sb, 0);
	offender_list(j, v, &sb, add_plain);
	warnx("expected %s, but %llu key%s %s not: %s",
	    expect_names[j->o->expect], v, v == 1 ? "" : "s",
	    v == 1 ? "is" : "are", sb.buf);
	strbuf_release(&sb);
	return EXIT_CHECK;
}

/*
 * twin-join: join partner records with 2GIS twins links (Twins API), and
 * report the records without a twin, the stale links and the ambiguous keys.
 * This file: options and main(); the joins are hash.c and merge.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/format.h"
#include "common/monitor.h"
#include "common/output.h"
#include "common/process.h"
#include "common/progress.h"
#include "common/strbuf.h"
#include "tools/twin-join/join.h"
#include "tools/twin-join/links.h"
#include "tools/twin-join/urls.h"

static const char synopsis[] =
"usage: twin-join [OPTIONS] -l LINKS [FILE...]\n"
"       twin-join --split DIR [OPTIONS] -l LINKS [FILE...]\n"
"       twin-join --check [--expect CARD] [OPTIONS] -l LINKS [FILE...]\n"
"       twin-join urls -b URL -p CODE [--by partner|dgis] [-k FIELD]\n"
"                      [OPTIONS] [FILE...]";

static const char help[] =
"Join partner records (CSV, TSV or JSON) with 2GIS twins links: the Twins\n"
"API's CSV export, saved search-by-dgis or search-by-partner responses, or\n"
"NDJSON link rows.\n"
"\n"
"Links:\n"
"  -l, --links FILE        twins links (repeatable; gzip allowed)\n"
"  --links-cols MAP        link column names: dgis=COL,partner=COL,code=COL,\n"
"                          dgis_type=COL,partner_type=COL\n"
"  -p, --partner-code CODE use only the links of partner CODE (repeatable\n"
"                          with --by dgis); with one CODE, links without a\n"
"                          code get it\n"
"  --allow-partial         a response holding fewer items than its\n"
"                          result.total is a warning and exit 1, not an\n"
"                          error (not with --check)\n"
"  --partners FILE         a saved Twins \"list of partners\" response: -p\n"
"                          codes must be in it, links' codes are warned\n"
"                          about (without it any code is accepted)\n"
"  --allow-empty           a -l file with no links or a records file with\n"
"                          no records (empty, a header only) is not an\n"
"                          error\n"
"Join:\n"
"  --by partner|dgis       records carry a partner id (default; adds dgis_id,\n"
"                          dgis_type) or a 2GIS id (adds partner_code,\n"
"                          partner_id, partner_type)\n"
"  -k, --key FIELD         the records' key field (default partner_id or\n"
"                          dgis_id)\n"
"  --left                  keep records without a twin, new fields empty\n"
"  --unmatched             only the records without a twin, as read\n"
"  --orphans               only the links whose key no record has\n"
"  --full                  records (matched or not), then orphan links\n"
"  --multi HOW             a key with several twins: rows (one row each,\n"
"                          default), first, list, or error (reject)\n"
"  --key-normalize LIST    compare keys after trim, lower and/or\n"
"                          strip-zeros (output keeps the original)\n"
"  --sorted                both sides are sorted by key (LC_ALL=C): merge\n"
"                          them in constant memory\n"
"  --split DIR             write DIR/matched, unmatched, orphans and\n"
"                          ambiguous files in one pass\n"
"Checks:\n"
"  --report                a JSON summary with cardinalities on stderr\n"
"  --expect CARD           one-to-one, one-to-many or many-to-one: exit 1\n"
"                          after the output when a key violates it; with\n"
"                          -o or --split, a monitoring plugin (below)\n"
"  --check                 write no data: a monitoring plugin (below)\n"
"\n"
"twin-join urls prints the Twins API search requests for the records' keys,\n"
"50 a request, whose saved responses -l reads (twin-join urls --help).\n"
"\n"
"Exit status: 0 success, 1 an --expect violation (data on stdout), 2\n"
"trouble.  With --check, or --expect when the data goes to -o or --split:\n"
"one status line \"TWINJOIN OK|CRITICAL|UNKNOWN - ... | perfdata\" on\n"
"stdout, exit 0 OK, 2 CRITICAL (--expect violated), 3 UNKNOWN (trouble).";

static const char examples[] =
"  $ twin-join -l twins.csv.gz partner.csv >joined.csv\n"
"  $ twin-join --left -p sber-food -l responses.json shops.csv\n"
"  $ twin-join --check --expect one-to-one -l twins.csv partner.csv\n";

/* ==== options ==== */

enum {
	OPT_LINKS_COLS = OPT_TOOL_BASE,
	OPT_STRICT,
	OPT_BY,
	OPT_LEFT,
	OPT_UNMATCHED,
	OPT_ORPHANS,
	OPT_FULL,
	OPT_KEY_NORMALIZE,
	OPT_SORTED,
	OPT_SPLIT,
	OPT_REPORT,
	OPT_EXPECT,
	OPT_MULTI,
	OPT_ALLOW_EMPTY,
	OPT_ALLOW_PARTIAL,
	OPT_PARTNERS,
	OPT_CHECK
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "links",		required_argument,	NULL, 'l' },
	{ "links-cols",		required_argument,	NULL, OPT_LINKS_COLS },
	{ "partner-code",	required_argument,	NULL, 'p' },
	{ "strict",		no_argument,		NULL, OPT_STRICT },
	{ "allow-empty",	no_argument,		NULL, OPT_ALLOW_EMPTY },
	{ "allow-partial",	no_argument,		NULL, OPT_ALLOW_PARTIAL },
	{ "partners",		required_argument,	NULL, OPT_PARTNERS },
	{ "by",			required_argument,	NULL, OPT_BY },
	{ "key",		required_argument,	NULL, 'k' },
	{ "left",		no_argument,		NULL, OPT_LEFT },
	{ "unmatched",		no_argument,		NULL, OPT_UNMATCHED },
	{ "orphans",		no_argument,		NULL, OPT_ORPHANS },
	{ "full",		no_argument,		NULL, OPT_FULL },
	{ "multi",		required_argument,	NULL, OPT_MULTI },
	{ "key-normalize",	required_argument,	NULL,
	    OPT_KEY_NORMALIZE },
	{ "sorted",		no_argument,		NULL, OPT_SORTED },
	{ "split",		required_argument,	NULL, OPT_SPLIT },
	{ "report",		no_argument,		NULL, OPT_REPORT },
	{ "expect",		required_argument,	NULL, OPT_EXPECT },
	{ "check",		no_argument,		NULL, OPT_CHECK },
	{ NULL, 0, NULL, 0 }
};

static void
set_kind(struct opts *o, enum join_kind k)
{
	if (o->kind_set && o->kind != k)
		usage_error("--left, --unmatched, --orphans and --full "
		    "exclude each other");
	o->kind = k;
	o->kind_set = 1;
}

static void
parse_links_cols(struct opts *o, const char *arg)
{
	static const struct {
		const char	*name;
		int		 field;
	} keys[] = {
		{ "dgis", LINK_DGIS_ID }, { "dgis_id", LINK_DGIS_ID },
		{ "partner", LINK_PARTNER_ID },
		{ "partner_id", LINK_PARTNER_ID },
		{ "code", LINK_PARTNER_CODE },
		{ "partner_code", LINK_PARTNER_CODE },
		{ "dgis_type", LINK_DGIS_TYPE },
		{ "partner_type", LINK_PARTNER_TYPE }
	};
	char **list, *eq;
	size_t n, i, k;

	list = opt_list(arg, ',', &n);
	for (i = 0; i < n; i++) {
		eq = strchr(list[i], '=');
		if (eq == NULL || eq[1] == '\0')
			usage_error("bad --links-cols item: %s", list[i]);
		*eq = '\0';
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(keys[k].name, list[i]) == 0)
				break;
		if (k == sizeof(keys) / sizeof(keys[0]))
			usage_error("bad --links-cols item: %s (want dgis, "
			    "partner, code, dgis_type or partner_type)",
			    list[i]);
		/* Kept in the list's memory, freed at exit. */
		o->lo.cols[keys[k].field] = xstrdup(eq + 1);
	}
	opt_list_free(list);
}

static int
parse_normalize(const char *arg)
{
	char **list;
	size_t n, i;
	int norm = 0;

	list = opt_list(arg, ',', &n);
	for (i = 0; i < n; i++) {
		if (strcmp(list[i], "trim") == 0)
			norm |= NORM_TRIM;
		else if (strcmp(list[i], "lower") == 0)
			norm |= NORM_LOWER;
		else if (strcmp(list[i], "strip-zeros") == 0)
			norm |= NORM_ZEROS;
		else
			usage_error("bad --key-normalize item: %s (want trim, "
			    "lower or strip-zeros)", list[i]);
	}
	opt_list_free(list);
	return norm;
}

static const char shortopts[] = "k:l:p:" COMMON_SHORTOPTS;

/* -o FILE or --split DIR: the data does not go to standard output. */
static int
data_in_files(const char *output, const char *split)
{
	return split != NULL || (output != NULL && strcmp(output, "-") != 0);
}

/*
 * A monitoring mode among the arguments, before they are parsed for real:
 * its usage errors are UNKNOWN too, never an exit 2 a monitor could take
 * for CRITICAL.  getopt itself reads them (bundled letters, -oFILE), with
 * its messages off; the real pass starts over.
 */
static int
wants_monitoring(int argc, char *argv[])
{
	const char *output = NULL, *split = NULL;
	int ch, check = 0, expect = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	    -1) {
		if (ch == OPT_CHECK)
			check = 1;
		else if (ch == OPT_EXPECT ||
		    ((ch == '?' || ch == ':') && optopt == OPT_EXPECT))
			expect = 1;
		else if (ch == 'o')
			output = optarg;
		else if (ch == OPT_SPLIT)
			split = optarg;
	}
	opterr = 1;
	optind = 0;	/* glibc: start over, from argv[1] */
	return check || (expect && data_in_files(output, split));
}

static void
parse_opts(struct opts *o, int argc, char *argv[])
{
	int ch;

	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'p':
			if (*optarg == '\0')
				usage_error("empty --partner-code");
			o->codes = xgrow(o->codes, &o->calloc_, o->ncodes + 1,
			    sizeof(*o->codes));
			o->codes[o->ncodes++] = optarg;
			break;
		case 'k':
			o->key = optarg;
			break;
		case 'l':
			o->links = xgrow(o->links, &o->lalloc, o->nlinks + 1,
			    sizeof(*o->links));
			o->links[o->nlinks++] = optarg;
			break;
		case OPT_MULTI:
			if (strcmp(optarg, "rows") == 0)
				o->multi = MULTI_ROWS;
			else if (strcmp(optarg, "first") == 0)
				o->multi = MULTI_FIRST;
			else if (strcmp(optarg, "list") == 0)
				o->multi = MULTI_LIST;
			else if (strcmp(optarg, "error") == 0)
				o->multi = MULTI_ERROR;
			else
				usage_error("bad --multi: %s (want rows, "
				    "first, list or error)", optarg);
			break;
		case OPT_LINKS_COLS:
			parse_links_cols(o, optarg);
			break;
		case OPT_STRICT:
			/* The default now: kept for the scripts that say it. */
			break;
		case OPT_ALLOW_PARTIAL:
			o->allow_partial = 1;
			break;
		case OPT_ALLOW_EMPTY:
			o->allow_empty = 1;
			break;
		case OPT_PARTNERS:
			partners_release(&o->partners);
			partners_load(&o->partners, optarg);
			o->lo.partners = &o->partners;
			break;
		case OPT_BY:
			if (strcmp(optarg, "partner") == 0)
				o->by_dgis = 0;
			else if (strcmp(optarg, "dgis") == 0)
				o->by_dgis = 1;
			else
				usage_error("bad --by: %s (want partner or "
				    "dgis)", optarg);
			break;
		case OPT_LEFT:
			set_kind(o, KIND_LEFT);
			break;
		case OPT_UNMATCHED:
			set_kind(o, KIND_UNMATCHED);
			break;
		case OPT_ORPHANS:
			set_kind(o, KIND_ORPHANS);
			break;
		case OPT_FULL:
			set_kind(o, KIND_FULL);
			break;
		case OPT_KEY_NORMALIZE:
			o->norm = parse_normalize(optarg);
			break;
		case OPT_SORTED:
			o->sorted = 1;
			break;
		case OPT_SPLIT:
			o->split = optarg;
			break;
		case OPT_REPORT:
			o->report = 1;
			break;
		case OPT_EXPECT:
			if (strcmp(optarg, "one-to-one") == 0)
				o->expect = EXPECT_ONE_TO_ONE;
			else if (strcmp(optarg, "one-to-many") == 0)
				o->expect = EXPECT_ONE_TO_MANY;
			else if (strcmp(optarg, "many-to-one") == 0)
				o->expect = EXPECT_MANY_TO_ONE;
			else
				usage_error("bad --expect: %s (want "
				    "one-to-one, one-to-many or many-to-one)",
				    optarg);
			break;
		case OPT_CHECK:
			o->check = 1;
			break;
		case 'h':
			usage(stdout, EXIT_SUCCESS);
		default:
			if (!common_opt(&o->common, ch, optarg))
				usage(stderr, EXIT_TROUBLE);
			break;
		}
	}
}

static void
check_opts(struct opts *o, int nfiles, char **files)
{
	size_t i;

	if (o->nlinks == 0)
		usage_error("no links: give -l FILE");
	cli_stdin_twice(nfiles, files);
	for (i = 0; i < o->nlinks; i++)
		cli_stdin_once(o->links[i], "the links", nfiles, files);
	if (o->key == NULL)
		o->key = o->by_dgis ? "dgis_id" : "partner_id";
	cli_common_outputs_distinct(&o->common, NULL, NULL);
	if (o->check && (o->common.output != NULL || o->common.gzip ||
	    o->split != NULL || o->common.to != FORMAT_NONE || o->kind_set))
		usage_error("--check writes no data: drop -o, -z, --split, "
		    "--to and --left, --unmatched, --orphans or --full");
	o->monitor = o->check || (o->expect != EXPECT_NONE &&
	    data_in_files(o->common.output, o->split));
	if (o->monitor)
		monitor_start("TWINJOIN");	/* main() did already */
	if (o->monitor && o->allow_partial)
		usage_error("--allow-partial: a check never passes on links it "
		    "did not read");
	if (o->split != NULL) {
		if (o->kind_set)
			usage_error("--split writes every kind: drop --left, "
			    "--unmatched, --orphans and --full");
		if (o->common.output != NULL || o->common.gzip)
			usage_error("--split writes into DIR: drop -o and -z");
		if (mkdir(o->split, 0777) == -1 && errno != EEXIST)
			die_errno("%s", o->split);
	}
	/*
	 * Records carry a partner id, and one id of two partners is two
	 * places: with two codes a record would get both partners' twins.
	 */
	if (!o->by_dgis && o->ncodes > 1)
		usage_error("--by partner takes one -p CODE, not %zu: a partner "
		    "id means nothing without its partner (join each partner's "
		    "records on their own)", o->ncodes);
	/* A code the links lack is supplied only when it is unambiguous. */
	if (o->ncodes == 1)
		o->lo.partner_code = o->codes[0];
	/* Any code is fine (the API adds partners), unless --partners. */
	for (i = 0; i < o->ncodes; i++)
		if (o->lo.partners != NULL && !partners_has(&o->partners,
		    o->codes[i], strlen(o->codes[i])))
			usage_error("unknown partner code \"%s\": not in %s",
			    o->codes[i], o->partners.from);
	/* Fewer items than a response's own total: an error by default. */
	o->lo.strict = !o->allow_partial;
	o->lo.delim = 0;
	o->lo.max_depth = o->common.max_depth;
	o->lo.max_value = o->common.max_record;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct join j;
	struct records rs;
	char *dash[] = { "-" };
	size_t i;
	int status;

	process_start(argv[0]);	/* first: fds 0-2, signals */
	if (argc > 1 && strcmp(argv[1], "urls") == 0)
		return twin_urls_main(argc - 1, argv + 1);
	cli_init(synopsis, help);
	cli_tool(0, NULL, examples);
	if (wants_monitoring(argc, argv))
		monitor_start("TWINJOIN");
	memset(&o, 0, sizeof(o));
	o.common = (struct common_opts)COMMON_OPTS_DEFAULT;
	o.lo = (struct links_opts)LINKS_OPTS_DEFAULT;
	parse_opts(&o, argc, argv);
	argc -= optind;
	argv += optind;
	check_opts(&o, argc, argv);

	join_init(&j, &o);
	join_open_output(&j);
	memset(&rs, 0, sizeof(rs));
	rs.paths = argc > 0 ? argv : dash;
	rs.n = argc > 0 ? argc : 1;
	join_scan_headers(&j, rs.paths, rs.n);
	progress_start(o.common.progress);
	if (o.sorted)
		merge_run(&j, &rs);
	else
		hash_run(&j, &rs);
	status = join_finish(&j);

	join_release(&j);
	for (i = 0; i < LINK_NFIELDS; i++)
		free((char *)o.lo.cols[i]);
	free(o.links);
	free(o.codes);
	partners_release(&o.partners);
	output_finish();
	return status;
}

/*
 * jsonapi-paginate: verified record streams from paginated JSON:API dumps
 * (records, next, urls), and pages made from records again (pack).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/listing.h"
#include "common/output.h"
#include "common/process.h"
#include "common/source.h"
#include "jp.h"

#define PAGE_BUFFER_DEFAULT	((size_t)16 << 20)

static const char synopsis[] =
"usage: jsonapi-paginate [records] [--style skip] [OPTIONS] [FILE...]\n"
"       jsonapi-paginate next [OPTIONS] [FILE]\n"
"       jsonapi-paginate urls [--style number|offset] [OPTIONS] [FILE]\n"
"       jsonapi-paginate urls --style skip -b URL [-n LIMIT] [OPTIONS] [FILE]\n"
"       jsonapi-paginate pack -n N -b URL [--style number|offset] [-t TYPE]\n"
"                        [OPTIONS] [FILE...]";

static const char help[] =
"Turn the saved pages of a JSON:API listing (files in any order, appended,\n"
"gzipped) into one NDJSON stream of resources, in page order, checking that\n"
"no page is missing or repeated and that the total matches.\n"
"\n"
"Subcommands:\n"
"  records             resources of every page, one per line (the default)\n"
"  next                print the links.next URL of the file's last page;\n"
"                      exit 1 when it is the listing's last\n"
"  urls                print the URL of every other page of the listing,\n"
"                      from the first page's total and page size\n"
"  pack                NDJSON resources in, JSON:API pages out\n"
"  help                print this help\n"
"Options may come before or after the subcommand.\n"
"\n"
"Options for records:\n"
"  --flatten           {\"id\",\"type\",...attributes}, relationships as ids\n"
"  --resolve           replace resource linkage with the resources from\n"
"                      included (of all pages, de-duplicated)\n"
"  -f, --fields TYPE=a,b  keep only these attributes/relationships of TYPE\n"
"                      (sparse fieldsets; repeatable)\n"
"  -t, --type TYPE     keep only resources of TYPE (pack too)\n"
"  --allow-partial     on a missing page, a failed check or a page read\n"
"                      twice with different data, write every page there\n"
"                      is (the first copy) and exit 1 instead of 2\n"
"  --allow-empty       no page at all (empty standard input) is not an\n"
"                      error\n"
"  --page-buffer SIZE  bytes of a page held before an in-order page is\n"
"                      written as it is read (default 16M)\n"
"\n"
"Options for pack and urls:\n"
"  -n, --size N        resources per page (pack; urls --style skip:\n"
"                      the limit, at most 150; default the first\n"
"                      page's length)\n"
"  -b, --base URL      the listing's URL, without page parameters (pack,\n"
"                      urls --style skip)\n"
"  --style STYLE       number: page[number]/page[size] (default);\n"
"                      offset: page[offset]/page[limit];\n"
"                      skip: skip=N&limit=M, pages {\"result\":[...],\n"
"                      \"total\":N} without links (urls; records, where\n"
"                      they are also detected: pages must agree on total,\n"
"                      no id may come twice, the ids must add up;\n"
"                      --type/--fields/--flatten/--resolve are errors)\n"
"\n"
"Exit status: 0 success; 1 a check failed with --allow-partial, or next\n"
"found no next page; 2 usage, input or output errors.  The input is JSON.";

static const char examples[] =
"  $ jsonapi-paginate p*.json.gz >vehicles.ndjson\n"
"  $ jsonapi-paginate urls -o rest.txt p1.json\n"
"  $ jsonapi-paginate --flatten --to csv all.json >vehicles.csv\n";

enum {
	OPT_FLATTEN = OPT_TOOL_BASE,
	OPT_RESOLVE,
	OPT_ALLOW_PARTIAL,
	OPT_ALLOW_EMPTY,
	OPT_STYLE,
	OPT_PAGE_BUFFER
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "allow-empty",	no_argument,	NULL, OPT_ALLOW_EMPTY },
	{ "allow-partial",	no_argument,	NULL, OPT_ALLOW_PARTIAL },
	{ "base",		required_argument,	NULL, 'b' },
	{ "fields",		required_argument,	NULL, 'f' },
	{ "flatten",		no_argument,		NULL, OPT_FLATTEN },
	{ "page-buffer",	required_argument,	NULL, OPT_PAGE_BUFFER },
	{ "resolve",		no_argument,		NULL, OPT_RESOLVE },
	{ "size",		required_argument,	NULL, 'n' },
	{ "style",		required_argument,	NULL, OPT_STYLE },
	{ "type",		required_argument,	NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

enum cmd { CMD_NONE, CMD_RECORDS, CMD_NEXT, CMD_URLS, CMD_PACK, CMD_HELP };

static enum cmd
subcommand(const char *s)
{
	static const struct {
		const char	*name;
		enum cmd	 cmd;
	} cmds[] = {
		{ "records", CMD_RECORDS }, { "next", CMD_NEXT },
		{ "urls", CMD_URLS }, { "pack", CMD_PACK }, { "help", CMD_HELP }
	};
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(s, cmds[i].name) == 0)
			return cmds[i].cmd;
	return CMD_NONE;
}

static void
add_fieldset(struct jp_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct jp_fieldset *fs;
	size_t alloc = o->nfields;

	if (eq == NULL || eq == arg)
		usage_error("--fields wants TYPE=a,b: %s", arg);
	o->fields = xgrow(o->fields, &alloc, o->nfields + 1,
	    sizeof(*o->fields));
	fs = &o->fields[o->nfields++];
	fs->type = xstrndup(arg, (size_t)(eq - arg));
	if (eq[1] == '\0') {
		fs->names = xcalloc(1, sizeof(*fs->names));
		fs->n = 0;
	} else
		fs->names = opt_list(eq + 1, ',', &fs->n);
}

/* ==== next and urls ==== */

struct first_page {
	struct source		*src;
	struct arena		 a;
	const struct json_value	*env;
	unsigned long long	 nitems;
	unsigned long		 line;
};

/* Open path for page_read(). */
static void
page_open(const struct jp_opts *o, const char *path, struct first_page *fp)
{
	memset(fp, 0, sizeof(*fp));
	fp->src = jp_open(o, path);
}

/*
 * Read the next document up to its envelope (its data counted, not kept).
 * Returns 1, or 0 at the end of the input.  An errors document is fatal.
 */
static int
page_read(struct first_page *fp)
{
	static struct json_value env;
	struct strbuf msg = STRBUF_INIT;
	int rc;

	fp->nitems = 0;
	while ((rc = source_next_in(fp->src, "data", &fp->a, &env)) ==
	    JSON_READER_ITEM) {
		fp->nitems++;
		arena_reset(&fp->a);
	}
	if (rc == -1)
		source_die(fp->src);
	if (rc == 0)
		return 0;
	fp->line = source_line(fp->src);
	fp->env = &env;
	if (jp_api_error(&env, source_in_found(fp->src), &msg))
		data_error(source_name(fp->src), fp->line, "%s", msg.buf);
	strbuf_release(&msg);
	return 1;
}

/* Read the first document of path up to its envelope. */
static void
first_page_read(const struct jp_opts *o, const char *path,
    struct first_page *fp)
{
	page_open(o, path, fp);
	if (!page_read(fp))
		die("%s: empty file: not a page", source_name(fp->src));
}

static void
first_page_close(struct first_page *fp)
{
	source_close(fp->src);
	arena_release(&fp->a);
}

/*
 * links.NAME of the page, a string or a link object's href; or NULL when
 * absent or null.  Anything else is malformed (exit 2): taking it for "no
 * link" would end a download loop early, a listing cut short.
 */
static const char *
link_value(const struct first_page *fp, const char *name, size_t *len)
{
	const char *url;
	size_t n;
	int rc;

	rc = jsonapi_link(json_object_get(fp->env, "links"), name, &url,
	    len != NULL ? len : &n);
	if (rc == -1)
		data_error(source_name(fp->src), fp->line, JSONAPI_LINK_BAD,
		    name);
	return rc == 1 ? url : NULL;
}

/*
 * The next link of the last document: pages appended to one file in a
 * download loop ask for the page after the last one fetched.
 */
static int
cmd_next(const struct jp_opts *o, const char *path)
{
	struct first_page fp;
	const char *next, *self;
	struct strbuf url = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct strbuf res = STRBUF_INIT;
	struct output *out;
	unsigned long line = 0;
	size_t len, slen;
	int status = EXIT_CHECK, any = 0, loop = 0;

	page_open(o, path, &fp);
	while (page_read(&fp)) {
		any = 1;
		strbuf_reset(&url);
		self = link_value(&fp, "self", &slen);
		if ((next = link_value(&fp, "next", &len)) == NULL)
			continue;
		/* A relative next (a URI-reference) is fetched from self's host. */
		strbuf_reset(&res);
		if (self != NULL) {
			jsonapi_url_resolve(self, slen, next, len, &res);
			next = res.buf;
			len = res.len;
		}
		jsonapi_url_for_fetch(next, len, &url);
		line = fp.line;
		/* A next that is the page itself would loop forever. */
		strbuf_reset(&a);
		strbuf_reset(&b);
		if (self != NULL) {
			jsonapi_url_normalize(next, len, &a);
			jsonapi_url_normalize(self, slen, &b);
		}
		loop = self != NULL && strcmp(a.buf, b.buf) == 0;
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&res);
	if (!any)
		die("%s: empty file: not a page", source_name(fp.src));
	if (loop)
		data_error(source_name(fp.src), line, "links.next is this "
		    "page's own links.self (%s): a download loop would never "
		    "end", url.buf);
	if (url.len > 0) {
		out = output_open(o->c.output, o->c.gzip ? OUTPUT_GZIP : 0);
		strbuf_addch(&url, '\n');
		output_write_sb(out, &url);
		output_commit(out);
		status = 0;
	}
	strbuf_release(&url);
	first_page_close(&fp);
	return status;
}

/* The page parameters of links.NAME (zeroed when absent). */
static void
page_of(const struct first_page *fp, const char *name, struct jsonapi_page *pg)
{
	size_t len;
	const char *v = link_value(fp, name, &len);

	memset(pg, 0, sizeof(*pg));
	if (v != NULL && jsonapi_url_page(v, len, pg) == -1)
		data_error(source_name(fp->src), fp->line,
		    "links.%s: bad page parameter: %s", name, v);
}

static int
cmd_urls(const struct jp_opts *o, const char *path)
{
	static const char *const names[] = { "self", "next", "first", "last" };
	struct first_page fp;
	const char *tmpl = NULL;
	struct jsonapi_page p[4], set;
	enum jsonapi_page_style style = o->style;
	unsigned long long total, per, own, npages, k;
	struct strbuf sb = STRBUF_INIT, url = STRBUF_INIT;
	struct output *out;
	const char *file;
	size_t tmpl_len = 0;
	int i, rc, have_per = 0;

	first_page_read(o, path, &fp);
	file = source_name(fp.src);
	for (i = 0; i < 4; i++) {
		page_of(&fp, names[i], &p[i]);
		if (tmpl == NULL && i < 3)
			tmpl = link_value(&fp, names[i], &tmpl_len);
	}
	if (tmpl == NULL)
		data_error(file, fp.line, "no links.self, links.next or "
		    "links.first to build page URLs from");
	for (i = 0; i < 4 && style == JSONAPI_PAGE_NONE; i++)
		style = p[i].style;
	if ((rc = jsonapi_meta_total(fp.env, &total)) == -1)
		data_error(file, fp.line, "meta total is not a count");
	if (style == JSONAPI_PAGE_NONE) {
		/* Everything is on this page: nothing else to fetch. */
		if ((rc == 1 && total <= fp.nitems) ||
		    link_value(&fp, "next", NULL) == NULL) {
			first_page_close(&fp);
			return 0;
		}
		data_error(file, fp.line, "cannot tell the pagination style "
		    "from the links (use --style)");
	}
	/* The page size: from the links, else this full page, else 100. */
	per = 100;
	for (i = 0; i < 4 && !have_per; i++) {
		if (style == JSONAPI_PAGE_NUMBER && p[i].has_size)
			per = p[i].size, have_per = 1;
		if (style == JSONAPI_PAGE_OFFSET && p[i].has_limit)
			per = p[i].limit, have_per = 1;
	}
	if (!have_per && link_value(&fp, "next", NULL) != NULL && fp.nitems > 0)
		per = fp.nitems;
	if (per == 0)
		data_error(file, fp.line, "page size 0 in the links");
	if (rc == 1)
		npages = total == 0 ? 1 : (total + per - 1) / per;
	else if (style == JSONAPI_PAGE_NUMBER && p[3].has_number)
		npages = p[3].number;
	else if (style == JSONAPI_PAGE_OFFSET && p[3].has_offset)
		npages = p[3].offset / per + 1;
	else
		data_error(file, fp.line, "no meta.found_rows, "
		    "meta.total_count or links.last to count the pages from");
	out = output_open(o->c.output, o->c.gzip ? OUTPUT_GZIP : 0);
	if (style == JSONAPI_PAGE_NUMBER)
		own = p[0].has_number ? p[0].number : 1;
	else
		own = (p[0].has_offset ? p[0].offset : 0) / per + 1;
	for (k = 1; k <= npages; k++) {
		if (k == own && link_value(&fp, "self", NULL) != NULL)
			continue;
		memset(&set, 0, sizeof(set));
		set.style = style;
		if (style == JSONAPI_PAGE_NUMBER) {
			set.has_number = 1;
			set.number = k;
			set.has_size = p[0].has_size || have_per;
			set.size = per;
		} else {
			set.has_offset = 1;
			set.offset = (k - 1) * per;
			set.has_limit = p[0].has_limit || have_per;
			set.limit = per;
		}
		strbuf_reset(&url);
		jsonapi_url_set_page(tmpl, tmpl_len, &set, &url);
		jsonapi_url_for_fetch(url.buf, url.len, &sb);
		strbuf_addch(&sb, '\n');
		output_write_sb(out, &sb);
	}
	output_commit(out);
	strbuf_release(&sb);
	strbuf_release(&url);
	first_page_close(&fp);
	return 0;
}

/*
 * A skip/limit listing has no links: the other pages' URLs are the base
 * URL with skip and limit, from the first page's total and length.
 */
static int
cmd_urls_skip(const struct jp_opts *o, const char *path)
{
	struct first_page fp;
	const struct json_value *res;
	struct strbuf url = STRBUF_INIT, sb = STRBUF_INIT;
	unsigned long long total, limit, skip;
	struct output *out;
	const char *file;

	first_page_read(o, path, &fp);
	file = source_name(fp.src);
	res = json_object_get(fp.env, "result");
	if (res == NULL || res->type != JSON_ARRAY ||
	    listing_total(json_object_get(fp.env, "total"), &total) != 1)
		data_error(file, fp.line, "not a skip/limit page: want "
		    "{\"result\":[...],\"total\":N}");
	/* A first page shorter than the total was a full one. */
	limit = o->size != 0 ? o->size : res->len;
	if (res->len < total && limit == 0)
		data_error(file, fp.line, "the first page is empty but total "
		    "is %llu: give the page size with -n", total);
	/*
	 * A full first page holds min(limit, total) items.  Fewer means it
	 * was fetched with a smaller limit (or the listing shifted): URLs
	 * from skip=limit on would never ask for the items in between.
	 */
	if (res->len < (limit < total ? limit : total))
		data_error(file, fp.line, "the first page holds %zu items, "
		    "fewer than the limit %llu and the total %llu: it was "
		    "fetched with another limit, or the listing shifted",
		    res->len, limit, total);
	out = output_open(o->c.output, o->c.gzip ? OUTPUT_GZIP : 0);
	for (skip = limit; res->len < total && skip < total; skip += limit) {
		strbuf_reset(&url);
		jp_skip_url(o->base, skip, limit, &url);
		jsonapi_url_for_fetch(url.buf, url.len, &sb);
		strbuf_addch(&sb, '\n');
		output_write_sb(out, &sb);
	}
	output_commit(out);
	strbuf_release(&url);
	strbuf_release(&sb);
	first_page_close(&fp);
	return 0;
}

/* ==== main ==== */

static void
opts_release(struct jp_opts *o)
{
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		free(o->fields[i].type);
		opt_list_free(o->fields[i].names);
	}
	free(o->fields);
}

int
main(int argc, char *argv[])
{
	struct jp_opts o;
	enum cmd cmd;
	unsigned long long v;
	const char *only = NULL;	/* an option that needs records */
	const char *bad;
	int ch, status;

	process_start(argv[0]);	/* first: fds 0-2, signals */
	cli_init(synopsis, help);
	cli_tool(CLI_NO_CSV_INPUT, "ndjson", examples);
	memset(&o, 0, sizeof(o));
	o.c = (struct common_opts)COMMON_OPTS_DEFAULT;
	o.spill = PAGE_BUFFER_DEFAULT;
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "b:f:n:t:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o.base = optarg;
			break;
		case 'f':
			add_fieldset(&o, optarg);
			only = "--fields";
			break;
		case 'n':
			if (opt_uint(optarg, 1000000000ULL, &v) == -1 || v == 0)
				usage_error("bad --size: %s", optarg);
			o.size = v;
			break;
		case 't':
			o.type = optarg;
			break;
		case OPT_ALLOW_PARTIAL:
			o.allow_partial = 1;
			only = "--allow-partial";
			break;
		case OPT_ALLOW_EMPTY:
			o.allow_empty = 1;
			only = "--allow-empty";
			break;
		case OPT_FLATTEN:
			o.flatten = 1;
			only = "--flatten";
			break;
		case OPT_PAGE_BUFFER:
			if (opt_size(optarg, &o.spill) == -1)
				usage_error("bad --page-buffer: %s", optarg);
			only = "--page-buffer";
			break;
		case OPT_RESOLVE:
			o.resolve = 1;
			only = "--resolve";
			break;
		case OPT_STYLE:
			if (strcmp(optarg, "number") == 0)
				o.style = JSONAPI_PAGE_NUMBER;
			else if (strcmp(optarg, "offset") == 0)
				o.style = JSONAPI_PAGE_OFFSET;
			else if (strcmp(optarg, "skip") == 0)
				o.skip = 1;
			else
				usage_error("bad --style: %s (number, offset "
				    "or skip)", optarg);
			break;
		case 'h':
			usage(stdout, EXIT_SUCCESS);
		case '?':
			usage(stderr, EXIT_TROUBLE);
		default:
			if (!common_opt(&o.c, ch, optarg))
				usage(stderr, EXIT_TROUBLE);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	/*
	 * The subcommand is the first operand, as in git: getopt has moved
	 * the options before it out of the way.
	 */
	if (argc > 0 && (cmd = subcommand(argv[0])) != CMD_NONE) {
		argc--;
		argv++;
	} else
		cmd = CMD_RECORDS;
	if (cmd == CMD_HELP)
		usage(stdout, EXIT_SUCCESS);
	/* A second "-" would read an empty stream as more pages. */
	cli_stdin_twice(argc, argv);

	if (o.c.from != FORMAT_NONE && o.c.from != FORMAT_JSON)
		usage_error("--from %s: the input is JSON:API (json)",
		    format_name(o.c.from));
	if (o.c.delim != 0 || o.c.no_header)
		usage_error("-d and --no-header are for CSV input; the input "
		    "is JSON");
	if (cmd != CMD_RECORDS && only != NULL)
		usage_error("%s is an option of records", only);
	if (cmd != CMD_RECORDS && (bad = cli_table_opt(&o.c)) != NULL)
		usage_error("%s is an option of records", bad);
	if (cmd != CMD_PACK && !(cmd == CMD_URLS && o.skip) &&
	    (o.size != 0 || o.base != NULL))
		usage_error("--size and --base are options of pack and urls "
		    "--style skip");
	if (o.skip && o.style != JSONAPI_PAGE_NONE)
		usage_error("give one --style");
	if (o.skip && (cmd == CMD_NEXT || cmd == CMD_PACK))
		usage_error("--style skip is for urls and records: a "
		    "skip/limit listing has no links to follow or write");
	if (o.skip && cmd == CMD_RECORDS && (bad = jp_resource_opt(&o)) != NULL)
		usage_error(JP_SKIP_RESOURCE_OPT, bad);
	if (o.skip && cmd == CMD_URLS && o.base == NULL)
		usage_error("urls --style skip needs -b URL: a skip/limit "
		    "listing has no links");
	if (o.skip && o.size > JP_SKIP_LIMIT_MAX)
		usage_error("--size %llu: a skip/limit listing (HomeStretch "
		    "places) takes a limit of at most %d", o.size,
		    JP_SKIP_LIMIT_MAX);
	if (cmd == CMD_RECORDS && o.style != JSONAPI_PAGE_NONE)
		usage_error("--style is an option of pack and urls");
	if ((cmd == CMD_NEXT || cmd == CMD_URLS) && (o.type != NULL ||
	    o.c.stats))
		usage_error("%s is not an option of %s", o.type != NULL ?
		    "--type" : "--stats", cmd == CMD_NEXT ? "next" : "urls");
	if (cmd == CMD_NEXT && o.style != JSONAPI_PAGE_NONE)
		usage_error("--style is an option of pack and urls");
	if ((cmd == CMD_NEXT || cmd == CMD_URLS) && argc > 1)
		usage_error("%s reads one page", cmd == CMD_NEXT ? "next" :
		    "urls");
	if (o.c.columns != NULL && o.c.to != FORMAT_CSV &&
	    o.c.to != FORMAT_TSV)
		usage_error("--columns needs --to csv or --to tsv");
	cli_common_outputs_distinct(&o.c, NULL, NULL);

	switch (cmd) {
	case CMD_NEXT:
		status = cmd_next(&o, argc ? argv[0] : "-");
		break;
	case CMD_URLS:
		status = o.skip ? cmd_urls_skip(&o, argc ? argv[0] : "-") :
		    cmd_urls(&o, argc ? argv[0] : "-");
		break;
	case CMD_PACK:
		if (o.size == 0 || o.base == NULL)
			usage_error("pack needs --size N and --base URL");
		if (o.style == JSONAPI_PAGE_NONE)
			o.style = JSONAPI_PAGE_NUMBER;
		status = jp_pack(&o, argc, argv);
		break;
	default:
		status = jp_records(&o, argc, argv);
		break;
	}
	opts_release(&o);
	output_finish();
	return status;
}

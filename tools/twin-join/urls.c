/*
 * urls.c: twin-join urls: the Twins API search requests that fetch the
 * links for the keys of partner records, in batches the API accepts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/output.h"
#include "common/record.h"
#include "common/source.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "tools/twin-join/join.h"
#include "tools/twin-join/urls.h"

/* The Twins API's limits per request. */
#define IDS_MAX		50	/* partner_id or dgis_id values */
#define CODES_MAX	5	/* partner_code values, search by 2GIS IDs */

static const char synopsis[] =
"usage: twin-join urls -b URL -p CODE [--by partner|dgis] [-k FIELD]\n"
"                      [OPTIONS] [FILE...]";

static const char help[] =
"Print the Twins API search requests for the distinct keys of the records,\n"
"at most 50 keys a request, one URL per line, for curl --parallel --config.\n"
"Save the responses and give them to twin-join -l.\n"
"\n"
"Options:\n"
"  -b, --base URL          the search endpoint, with its own parameters\n"
"                          (https://twins.api.2gis.com/v1/twins/search/partner\n"
"                          ?key=KEY, or .../search/dgis?key=KEY)\n"
"  -p, --partner-code CODE the partner (--by partner: exactly one;\n"
"                          --by dgis: one to five, repeat -p)\n"
"  --by partner|dgis       records carry partner ids (default; partner_id=)\n"
"                          or 2GIS ids (dgis_id=)\n"
"  -k, --key FIELD         the records' key field (default partner_id or\n"
"                          dgis_id)\n"
"  --allow-empty           no records (an empty file, a header only) is\n"
"                          no URLs, not an error\n"
"\n"
"Exit status: 0 success, 2 trouble.";

static const char examples[] =
"  $ twin-join urls -b \"$API/search/partner?key=$KEY\" -p sber-food \\\n"
"        shops.csv >lookups.txt\n"
"  $ twin-join urls --by dgis -b \"$API/search/dgis?key=$KEY\" -p sber-food \\\n"
"        -p sber-ryadom places.ndjson >lookups.txt\n";

enum { OPT_BY = OPT_TOOL_BASE, OPT_ALLOW_EMPTY };

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "base",		required_argument,	NULL, 'b' },
	{ "by",			required_argument,	NULL, OPT_BY },
	{ "key",		required_argument,	NULL, 'k' },
	{ "partner-code",	required_argument,	NULL, 'p' },
	{ "allow-empty",	no_argument,		NULL, OPT_ALLOW_EMPTY },
	{ NULL, 0, NULL, 0 }
};

/* Append s percent-encoded: everything but RFC 3986 unreserved bytes. */
static void
add_encoded(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			strbuf_addch(sb, (char)c);
			continue;
		}
		strbuf_addch(sb, '%');
		strbuf_addch(sb, hex[c >> 4]);
		strbuf_addch(sb, hex[c & 15]);
	}
}

/*
 * Append "name=value" after *sep: "?" or "&" before the first parameter
 * (nothing when the base already ends in one), "&" after it.
 */
static void
add_param(struct strbuf *sb, const char **sep, const char *name,
    const char *v, size_t n)
{
	strbuf_addstr(sb, *sep);
	*sep = "&";
	strbuf_addstr(sb, name);
	strbuf_addch(sb, '=');
	add_encoded(sb, v, n);
}

/* Write one request URL for keys [from, to) of the map. */
static void
write_url(struct output *out, const struct opts *o, const char *base,
    const struct strmap *keys, size_t from, size_t to, struct strbuf *sb)
{
	const char *hash = strchr(base, '#'), *q, *sep;
	size_t i, len;

	/* A fragment would swallow the parameters: the base ends before it. */
	len = hash != NULL ? (size_t)(hash - base) : strlen(base);
	q = memchr(base, '?', len);
	if (q == NULL)
		sep = "?";
	else if (base[len - 1] == '?' || base[len - 1] == '&')
		sep = "";
	else
		sep = "&";
	strbuf_reset(sb);
	strbuf_add(sb, base, len);
	if (o->by_dgis) {
		for (i = from; i < to; i++)
			add_param(sb, &sep, "dgis_id", keys->slots[i].key,
			    keys->slots[i].len);
		for (i = 0; i < o->ncodes; i++)
			add_param(sb, &sep, "partner_code", o->codes[i],
			    strlen(o->codes[i]));
	} else {
		add_param(sb, &sep, "partner_code", o->codes[0],
		    strlen(o->codes[0]));
		for (i = from; i < to; i++)
			add_param(sb, &sep, "partner_id", keys->slots[i].key,
			    keys->slots[i].len);
	}
	strbuf_addch(sb, '\n');
	output_write_sb(out, sb);
}

/*
 * The distinct keys of every record of paths, in first-seen order.  A
 * record without one is an error, reported once everything is closed.
 */
static void
read_keys(struct opts *o, char **paths, int npaths, struct strmap *keys)
{
	struct key_finder kf;
	struct record rec = RECORD_INIT;
	struct strbuf why = STRBUF_INIT;
	struct source *src;
	const char *code;
	char *file = NULL;
	unsigned long line = 0;
	unsigned long long nrec = 0, before;
	int i, rc, found;

	key_finder_init(&kf, o);
	for (i = 0; i < npaths && file == NULL; i++) {
		src = source_open(paths[i], &o->common);
		before = nrec;
		while ((rc = source_next(src, &rec)) == 1) {
			nrec++;
			if (rec.problem != NULL)
				strbuf_addstr(&why, rec.problem);
			else if (key_finder_find(&kf, &rec, &code) == -1)
				strbuf_add(&why, kf.why.buf, kf.why.len);
			if (why.len > 0) {
				file = xstrdup(rec.file);
				line = rec.line;
				break;
			}
			strmap_put(keys, kf.key.buf, kf.key.len, keys->n,
			    &found);
		}
		if (rc == -1)
			source_die(src);
		/* A failed export is not "nothing to look up". */
		if (nrec == before && strcmp(paths[i], "-") != 0 &&
		    !o->allow_empty)
			die("%s: no records: an empty file or a header only "
			    "(pass --allow-empty if that is meant)",
			    source_name(src));
		source_close(src);
	}
	if (nrec == 0 && !o->allow_empty)
		die("no records: the input is empty (pass --allow-empty if "
		    "that is meant)");
	record_release(&rec);
	key_finder_release(&kf);
	if (file != NULL) {
		strmap_release(keys);
		data_error(file, line, "%s", why.buf);
	}
	strbuf_release(&why);
}

int
twin_urls_main(int argc, char *argv[])
{
	struct opts o;
	struct strmap keys = STRMAP_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct output *out;
	char *dash[] = { "-" };
	const char *base = NULL, *bad;
	size_t i;
	int ch;

	cli_init(synopsis, help);
	cli_tool(CLI_NO_TABLE_OUTPUT, NULL, examples);
	memset(&o, 0, sizeof(o));
	o.common = (struct common_opts)COMMON_OPTS_DEFAULT;
	while ((ch = getopt_long(argc, argv, "b:k:p:" COMMON_SHORTOPTS,
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			base = optarg;
			break;
		case OPT_ALLOW_EMPTY:
			o.allow_empty = 1;
			break;
		case 'p':
			if (*optarg == '\0')
				usage_error("empty --partner-code");
			o.codes = xgrow(o.codes, &o.calloc_, o.ncodes + 1,
			    sizeof(*o.codes));
			o.codes[o.ncodes++] = optarg;
			break;
		case 'k':
			o.key = optarg;
			break;
		case OPT_BY:
			if (strcmp(optarg, "partner") == 0)
				o.by_dgis = 0;
			else if (strcmp(optarg, "dgis") == 0)
				o.by_dgis = 1;
			else
				usage_error("bad --by: %s (want partner or "
				    "dgis)", optarg);
			break;
		case 'h':
			usage(stdout, EXIT_SUCCESS);
		default:
			if (!common_opt(&o.common, ch, optarg))
				usage(stderr, EXIT_TROUBLE);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (base == NULL || *base == '\0')
		usage_error("urls needs -b URL, the search endpoint");
	if (o.ncodes == 0)
		usage_error("urls needs -p CODE, the partner code");
	if (!o.by_dgis && o.ncodes > 1)
		usage_error("search by partner IDs takes one partner code, "
		    "not %zu: run urls once per code", o.ncodes);
	if (o.by_dgis && o.ncodes > CODES_MAX)
		usage_error("search by 2GIS IDs takes at most %d partner "
		    "codes, not %zu", CODES_MAX, o.ncodes);
	/* Any code: the API adds partners (twin-join --partners checks). */
	if ((bad = cli_table_opt(&o.common)) != NULL ||
	    (o.common.stats && (bad = "--stats") != NULL))
		usage_error("%s is not an option of urls: it prints URLs", bad);
	if (o.key == NULL)
		o.key = o.by_dgis ? "dgis_id" : "partner_id";

	read_keys(&o, argc > 0 ? argv : dash, argc > 0 ? argc : 1, &keys);
	out = output_open(o.common.output, o.common.gzip ? OUTPUT_GZIP : 0);
	for (i = 0; i < keys.n; i += IDS_MAX)
		write_url(out, &o, base, &keys, i,
		    i + IDS_MAX < keys.n ? i + IDS_MAX : keys.n, &sb);
	output_commit(out);

	strbuf_release(&sb);
	strmap_release(&keys);
	free(o.codes);
	output_finish();
	return 0;
}

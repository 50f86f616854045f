/*
 * spectator-expire: finds expired and soon-expiring spectator keys (links to
 * watch cars on a map) in JSON:API dumps, for cron alerts and monitoring.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/json.h"
#include "common/jsonapi.h"
#include "common/listing.h"
#include "common/monitor.h"
#include "common/output.h"
#include "common/process.h"
#include "common/progress.h"
#include "common/rejects.h"
#include "common/secrets.h"
#include "common/source.h"
#include "common/stats.h"
#include "common/writer.h"
#include "tools/spectator-expire/spectator.h"

static const char synopsis[] =
"usage: spectator-expire [-ac] [-N TIME] [-s LIST] [-w DUR] [--state FILE]\n"
"                        [OPTIONS] [FILE...]\n"
"       spectator-expire -S [--by-car] [-c] [-N TIME] [-w DUR] [OPTIONS]\n"
"                        [FILE...]\n"
"       spectator-expire --warn DUR [--crit DUR] [-N TIME] [OPTIONS] [FILE...]";

static const char help[] =
"Report expired and soon-expiring spectator keys from JSON:API dumps\n"
"(pages, single-resource documents, or NDJSON resources from\n"
"jsonapi-paginate; gzip allowed).  A key is expired when ValidTill <= now,\n"
"expiring when ValidTill <= now + DUR, valid after that, no-expiry when\n"
"ValidTill is null; an unreadable ValidTill is rejected.\n"
"\n"
"Options:\n"
"  -a, --all           print keys of every status\n"
"  --allow-empty       no key at all is no output, not an error (not with\n"
"                      --check, --warn, --crit: no key read is UNKNOWN)\n"
"  --allow-partial     pages read directly whose next page was not read,\n"
"                      or whose keys fall short of their total: a warning\n"
"                      and exit 1, not an error (not with --check, --warn,\n"
"                      --crit)\n"
"  -c, --check         exit 1 if any key is expired or expiring; exit 3\n"
"                      with an UNKNOWN line on trouble (a missing file,\n"
"                      bad input) or when no key was read\n"
"  --show-keys         print access keys in MapLink unmasked (no short\n"
"                      form: it reveals credentials)\n"
"  -N, --now TIME      the time to compare with: RFC 3339, @EPOCH, or\n"
"                      a date alone is midnight UTC (2026-12-01)\n"
"                      (default: the clock, to the whole second)\n"
"  -s, --status LIST   print keys of these statuses: expired, expiring,\n"
"                      valid, no-expiry (default: expired,expiring)\n"
"  -S, --summary       print the number of keys of each status instead\n"
"  --by-car            with --summary: the cars whose every key expired\n"
"  --state FILE        print each key only once per status and ValidTill;\n"
"                      FILE remembers what was printed; one run at a time\n"
"                      (a second waits for FILE.lock)\n"
"  --no-wait           with --state: exit 2 at once if another run holds\n"
"                      the lock\n"
"  --warn DUR          monitoring: one status line; WARNING (exit 1) when\n"
"                      a key expires within DUR\n"
"  --crit DUR          CRITICAL (exit 2) when a key has expired or expires\n"
"                      within DUR\n"
"  -w, --within DUR    how soon counts as expiring (default 7d)\n"
"Output fields: id, status, ValidTill, seconds_left, Note, MapLink, cars.\n"
"The input is JSON.\n";

static const char examples[] =
"  $ spectator-expire -w 3d --to csv spectators.json.gz\n"
"  $ spectator-expire --warn 7d --crit 1d spectators.json\n"
"  $ spectator-expire --state seen.json dump.json | ifne mail -s keys ops\n";

enum {
	OPT_BY_CAR = OPT_TOOL_BASE,
	OPT_CRIT,
	OPT_NO_WAIT,
	OPT_SHOW_KEYS,
	OPT_STATE,
	OPT_WARN,
	OPT_ALLOW_EMPTY,
	OPT_ALLOW_PARTIAL
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "all",	no_argument,		NULL, 'a' },
	{ "by-car",	no_argument,		NULL, OPT_BY_CAR },
	{ "check",	no_argument,		NULL, 'c' },
	{ "crit",	required_argument,	NULL, OPT_CRIT },
	{ "no-wait",	no_argument,		NULL, OPT_NO_WAIT },
	{ "now",	required_argument,	NULL, 'N' },
	{ "show-keys",	no_argument,		NULL, OPT_SHOW_KEYS },
	{ "state",	required_argument,	NULL, OPT_STATE },
	{ "allow-empty", no_argument,		NULL, OPT_ALLOW_EMPTY },
	{ "allow-partial", no_argument,		NULL, OPT_ALLOW_PARTIAL },
	{ "status",	required_argument,	NULL, 's' },
	{ "summary",	no_argument,		NULL, 'S' },
	{ "warn",	required_argument,	NULL, OPT_WARN },
	{ "within",	required_argument,	NULL, 'w' },
	{ NULL,		0,			NULL, 0 }
};

/* ==== reading ==== */

/*
 * The input name of key k, for messages: keys are added in input order,
 * so it is the last input whose first key is at or before k's.
 */
static const char *
key_file(const struct run *run, const struct key *k)
{
	size_t i = (size_t)(k - run->keys.keys), lo = 0, hi = run->nnames, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (run->first_key[mid] <= i)
			lo = mid;
		else
			hi = mid;
	}
	return run->names[lo];
}

static void __attribute__((format(printf, 6, 7)))
reject(struct run *run, const struct json_value *v, const char *file,
    unsigned long line, const char *code, const char *fmt, ...)
{
	struct record rec = RECORD_INIT;
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	/* Its secrets are masked by rejects_add() (rejects_show_secrets()). */
	if (record_from_value(&rec, v) == -1)
		record_add_value(&rec, "value", v);
	rec.file = file;
	rec.line = line;
	rejects_add(run->rj, &run->st, &rec, code, detail);
	record_release(&rec);
	arena_reset(&run->scratch);
}

/* The id text of a car linkage item (identifier object or bare id). */
static int
car_id(const struct json_value *v, const char **s, size_t *len)
{
	if (v->type == JSON_OBJECT)
		v = json_object_get(v, "id");
	return v != NULL && json_value_text(v, s, len);
}

/*
 * Check the Cars linkage (one identifier, an array of them, or of bare ids
 * when flattened) and, when out is not NULL, make it an array of id
 * strings in the scratch arena.  Returns -1 when an item has no id.
 */
static int
cars_value(struct run *run, const struct json_value *lk,
    struct json_value *out)
{
	const struct json_value *items = lk;
	const char *s;
	size_t n = 1, i, len;

	if (lk == NULL || lk->type == JSON_NULL)
		n = 0;
	else if (lk->type == JSON_ARRAY) {
		n = lk->len;
		items = lk->u.items;
	}
	if (out != NULL) {
		out->type = JSON_ARRAY;
		out->len = n;
		out->u.items = NULL;
		if (n > 0)
			out->u.items = arena_alloc(&run->scratch,
			    n * sizeof(*items));
	}
	/* One pass: a failure leaves scratch to the reject's reset. */
	for (i = 0; i < n; i++) {
		if (!car_id(&items[i], &s, &len))
			return -1;
		if (out != NULL)
			out->u.items[i] = json_make_string(&run->scratch, s,
			    len);
	}
	return 0;
}

/* A member's value (borrowed), or null when absent. */
static struct json_value
value_or_null(const struct json_value *v)
{
	return v ? *v : json_make_null();
}

/* A string v as secrets_mask_url() masks it; any other value as it is. */
static struct json_value
masked_text(struct run *run, const struct json_value *v, const char *ks,
    size_t kl)
{
	if (v->type != JSON_STRING)
		return *v;
	strbuf_reset(&run->sb);
	secrets_mask_url(&run->sb, v->u.str, v->len, ks, kl);
	return json_make_string(&run->scratch, run->sb.buf, run->sb.len);
}

static enum key_status
classify(const struct run *run, const struct tstamp *t)
{
	if (tstamp_cmp(*t, run->o->now) <= 0)
		return KEY_EXPIRED;
	if (tstamp_cmp(*t, run->limit) <= 0)
		return KEY_EXPIRING;
	return KEY_VALID;
}

static void
duplicate(struct run *run, const struct key *prev, const char *file,
    unsigned long line)
{
	run->ndup++;
	if (run->ndup > MAX_DUP_WARNINGS)
		return;
	data_warn(file, line, "duplicate key id %.*s (also at %s:%lu): the "
	    "later one wins", (int)prev->id_len, prev->id,
	    key_file(run, prev), (unsigned long)prev->line);
}

static void
resource(struct run *run, const struct json_value *v, uint32_t fileno,
    unsigned long line)
{
	const char *file = run->names[fileno], *id, *ks = NULL;
	const struct json_value *type, *attrs, *idv, *till, *lk, *ak;
	struct json_value cars;
	struct key *k, *prev;
	struct key_detail d;
	struct tstamp t;
	enum key_status status;
	size_t id_len, kl = 0;
	uint32_t h;
	int flat = 0, keep;

	run->st.read++;
	progress_tick(run->st.read);
	if (v->type != JSON_OBJECT) {
		reject(run, v, file, line, "not_object",
		    "resource is not a JSON object");
		return;
	}
	type = json_object_get(v, "type");
	if (type != NULL && (type->type != JSON_STRING ||
	    strcmp(type->u.str, "spectator") != 0)) {
		reject(run, v, file, line, "wrong_type",
		    "resource type is not \"spectator\"");
		return;
	}
	attrs = json_object_get(v, "attributes");
	if (attrs == NULL && json_object_get(v, "ValidTill") != NULL) {
		/* jsonapi-paginate --flatten: attributes at the top. */
		attrs = v;
		flat = 1;
	}
	if (attrs == NULL || attrs->type != JSON_OBJECT) {
		reject(run, v, file, line, "missing_attributes",
		    "resource has no attributes object");
		return;
	}
	idv = json_object_get(v, "id");
	if (idv == NULL || !json_value_text(idv, &id, &id_len) ||
	    id_len == 0) {
		reject(run, v, file, line, "missing_id",
		    "resource has no id");
		return;
	}
	/* The table's slot loads while the rest is checked. */
	h = keytab_hash(id, id_len);
	keytab_prefetch(&run->keys, h);
	till = json_object_get(attrs, "ValidTill");
	if (till == NULL) {
		reject(run, v, file, line, "missing_valid_till",
		    "key %.*s has no ValidTill", (int)id_len, id);
		return;
	}
	if (till->type == JSON_NULL)
		status = KEY_NO_EXPIRY;
	else if (till->type == JSON_STRING &&
	    tparse_rfc3339(till->u.str, till->len, &t) == 0)
		status = classify(run, &t);
	else if (till->type == JSON_STRING) {
		reject(run, v, file, line, "bad_valid_till",
		    "key %.*s: ValidTill \"%.*s\" is not an RFC 3339 time",
		    (int)id_len, id, till->len > 64 ? 64 : (int)till->len,
		    till->u.str);
		return;
	} else {
		reject(run, v, file, line, "bad_valid_till",
		    "key %.*s: ValidTill is not a string or null",
		    (int)id_len, id);
		return;
	}
	lk = flat ? json_object_get(attrs, "Cars") :
	    jsonapi_linkage(v, "Cars");
	/* Summaries keep cars only; reports keep what they may print. */
	keep = (run->keep_detail && (run->o->sel & BIT(status))) ||
	    run->o->by_car;
	if (cars_value(run, lk, keep ? &cars : NULL) == -1) {
		reject(run, v, file, line, "bad_cars",
		    "key %.*s: a Cars item has no id", (int)id_len, id);
		return;
	}
	/*
	 * The detail first (masking has no side effect), the table after:
	 * the prefetched slot has that much longer to arrive.  It goes to
	 * the spool once the key is added: v dies with this resource.
	 */
	if (keep) {
		memset(&d, 0, sizeof(d));
		d.till_text = json_make_null();
		d.note = json_make_null();
		d.maplink = json_make_null();
		d.cars = cars;
	}
	if (keep && run->keep_detail) {
		d.till_text = *till;
		d.note = value_or_null(json_object_get(attrs, "Note"));
		d.maplink = value_or_null(json_object_get(attrs, "MapLink"));
		if (!run->o->show_keys) {
			if ((ak = json_object_get(attrs, "AccessKey")) != NULL &&
			    (ak->type == JSON_STRING ||
			    ak->type == JSON_NUMBER)) {
				ks = ak->u.str;
				kl = ak->len;
			}
			/* A Note may paste the link, or any link with a key. */
			d.maplink = masked_text(run, &d.maplink, ks, kl);
			d.note = masked_text(run, &d.note, ks, kl);
		}
	}
	k = keytab_add_hashed(&run->keys, id, id_len, h, &prev);
	if (prev != NULL)
		duplicate(run, prev, file, line);
	k->status = (unsigned char)status;
	k->line = key_line(line);
	if (status != KEY_NO_EXPIRY)
		key_set_till(k, t);
	if (!keep)
		return;
	k->has_detail = 1;
	spool_put(run->spool, &d);
	arena_reset(&run->scratch);
}

/* Members a page carries besides data: nothing to check there. */
static int
envelope_member(const char *name)
{
	return strcmp(name, "links") == 0 || strcmp(name, "meta") == 0 ||
	    strcmp(name, "jsonapi") == 0 || strcmp(name, "included") == 0 ||
	    strcmp(name, "data") == 0;
}

/*
 * A document read to its end, without its data: a page's envelope, an
 * errors document, or, when it had no data at all, a bare resource as
 * jsonapi-paginate writes them (or an array of them).
 */
static void
document(struct run *run, const struct json_value *v, uint32_t fileno,
    unsigned long line)
{
	const char *file = run->names[fileno];
	size_t i;

	if (v->type == JSON_ARRAY) {
		for (i = 0; i < v->len; i++)
			resource(run, &v->u.items[i], fileno, line);
		return;
	}
	if (v->type != JSON_OBJECT)
		data_error(file, line, "not a JSON:API document or resource");
	strbuf_reset(&run->sb);
	if (jsonapi_errors(v, &run->sb))
		data_error(file, line, "%s", run->sb.buf);
	if (json_object_get(v, "type") != NULL ||
	    json_object_get(v, "id") != NULL ||
	    json_object_get(v, "attributes") != NULL ||
	    json_object_get(v, "ValidTill") != NULL) {
		resource(run, v, fileno, line);
		return;
	}
	/* A Twins or HomeStretch error body is never an empty page. */
	if (listing_api_error(v, &run->sb))
		data_error(file, line, "%s", run->sb.buf);
	for (i = 0; i < v->len; i++)
		if (!envelope_member(v->u.members[i].name))
			data_error(file, line, "not a JSON:API document or "
			    "resource (member \"%s\")", v->u.members[i].name);
}

static void
read_input(struct run *run, const char *path)
{
	struct common_opts co = run->o->co;
	struct arena a = ARENA_INIT;
	struct json_value v;
	struct source *src;
	uint32_t fileno;
	unsigned long long docs = 0, items = 0;
	int rc;

	/* Exports are JSON whatever their names say. */
	co.from = FORMAT_JSON;
	src = source_open(path, &co);
	run->names = xgrow(run->names, &run->anames, run->nnames + 1,
	    sizeof(*run->names));
	fileno = (uint32_t)run->nnames;
	run->first_key = xrealloc(run->first_key, (run->nnames + 1) *
	    sizeof(*run->first_key));
	run->first_key[run->nnames] = run->keys.nkeys;
	run->names[run->nnames++] = xstrdup(source_name(src));
	while ((rc = source_next_in(src, "data", &a, &v)) > 0) {
		if (rc == JSON_READER_ITEM) {
			resource(run, &v, fileno, source_line(src));
			items++;
		} else {
			document(run, &v, fileno, source_line(src));
			/* A page (it had data): part of a listing to check. */
			if (source_in_found(src))
				pages_doc(&run->pages, &v, run->names[fileno],
				    source_line(src), items);
			items = 0;
			docs++;
		}
		arena_reset(&a);
	}
	if (rc == -1)
		source_die(src);
	/* A failed download leaves an empty file: never "0 keys". */
	if (docs == 0 && strcmp(path, "-") != 0)
		die("%s: empty file: not a dump (a failed download?)",
		    run->names[fileno]);
	source_close(src);
	arena_release(&a);
}

/* ==== main ==== */

/*
 * --warn/--crit and --check follow the Monitoring Plugins guidelines:
 * trouble of any kind (a missing file, malformed input, a usage error) is
 * UNKNOWN, exit 3, with one status line on stdout; the message also goes
 * to stderr.
 */
static void
monitoring(void)
{
	monitor_start("SPECTATOR");
}

/*
 * Once the options are known: --check writes its report on standard
 * output, so its trouble is UNKNOWN (exit 3) with the message on stderr
 * only, never a status line among the report's rows; with -o FILE the
 * status line is on stdout as in --warn/--crit, which always print it.
 */
static void
check_trouble(const struct opts *o)
{
	int report_on_stdout = !o->nagios && (o->co.output == NULL ||
	    strcmp(o->co.output, "-") == 0);

	monitor_start(report_on_stdout ? NULL : "SPECTATOR");
}

/*
 * --warn, --crit or --check among the arguments, before they are parsed:
 * a check's trouble is UNKNOWN too, not an exit 2 a caller could take for
 * the check's own answer.
 */
static int
wants_monitoring(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], "--warn", 6) == 0 ||
		    strncmp(argv[i], "--crit", 6) == 0 ||
		    strcmp(argv[i], "--check") == 0 ||
		    (argv[i][0] == '-' && argv[i][1] != '-' &&
		    strchr(argv[i], 'c') != NULL &&
		    strspn(argv[i] + 1, "acS") == strlen(argv[i] + 1)))
			return 1;
	return 0;
}

static int64_t
duration(const char *opt, const char *arg)
{
	int64_t secs;

	if (tparse_duration(arg, strlen(arg), &secs) == -1 || secs < 0)
		usage_error("bad %s duration: %s", opt, arg);
	return secs;
}

static void
parse_status(struct opts *o, const char *arg)
{
	char **list;
	size_t n, i;
	int s;

	list = opt_list(arg, ',', &n);
	o->sel = 0;
	for (i = 0; i < n; i++) {
		s = key_status_parse(list[i]);
		if (s == KEY_INVALID)
			usage_error("--status invalid: invalid keys are "
			    "rejected (see --rejects)");
		if (s == -1) {
			/* Copy: usage_error exits, list would leak. */
			char bad[64];

			snprintf(bad, sizeof(bad), "%s", list[i]);
			opt_list_free(list);
			usage_error("unknown status in --status: %s", bad);
		}
		o->sel |= BIT(s);
	}
	opt_list_free(list);
	if (o->sel == 0)
		usage_error("--status needs at least one status");
}

static void
parse_options(struct opts *o, int argc, char *argv[])
{
	int ch, now_given = 0, all = 0;

	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "acN:Ss:w:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'c':
			monitoring();
			o->check = 1;
			break;
		case OPT_NO_WAIT:
			o->no_wait = 1;
			break;
		case OPT_SHOW_KEYS:
			o->show_keys = 1;
			break;
		case 'N':
			if (tparse_time(optarg, strlen(optarg), &o->now) == -1)
				usage_error("bad --now time: %s", optarg);
			now_given = 1;
			break;
		case 'S':
			o->summary = 1;
			break;
		case 's':
			parse_status(o, optarg);
			o->sel_given = 1;
			break;
		case 'w':
			o->within = duration("--within", optarg);
			o->within_given = 1;
			break;
		case OPT_BY_CAR:
			o->by_car = 1;
			break;
		case OPT_CRIT:
			monitoring();
			o->crit = duration("--crit", optarg);
			o->crit_text = optarg;
			o->nagios = 1;
			break;
		case OPT_ALLOW_EMPTY:
			o->allow_empty = 1;
			break;
		case OPT_ALLOW_PARTIAL:
			o->allow_partial = 1;
			break;
		case OPT_STATE:
			o->state = optarg;
			break;
		case OPT_WARN:
			monitoring();
			o->warn = duration("--warn", optarg);
			o->warn_text = optarg;
			o->nagios = 1;
			break;
		default:
			if (!common_opt(&o->co, ch, optarg))
				usage(stderr, EXIT_TROUBLE);
		}
	}
	if (all) {
		if (o->sel_given)
			usage_error("--all and --status exclude each other");
		o->sel = SEL_ALL;
		o->sel_given = 1;
	}
	if (!now_given) {
		/*
		 * The clock's fraction would show in every seconds_left
		 * ("87788.927114639"); ValidTill is in whole seconds in
		 * practice, and one that has a fraction still shows it.
		 */
		tparse_now(&o->now);
		o->now.nsec = 0;
	}
	if (o->by_car)
		o->summary = 1;
	/* Options that would be ignored are refused instead. */
	if (o->co.from != FORMAT_NONE && !format_is_json(o->co.from))
		usage_error("--from %s: input is JSON only",
		    format_name(o->co.from));
	if (o->co.delim != 0 || o->co.no_header)
		usage_error("-d and --no-header are for CSV input; input is "
		    "JSON only");
	if (o->nagios) {
		if (o->warn_text == NULL) {
			o->warn = o->crit;
			o->warn_text = o->crit_text;
		}
		if (o->crit_text == NULL)
			o->crit_text = "0s";
		if (o->warn < o->crit)
			usage_error("--warn must be at least --crit");
		if (o->summary || o->check || o->state || o->sel_given)
			usage_error("--warn/--crit print one status line: no "
			    "--summary, --check, --state, --status or --all");
		if (o->co.to != FORMAT_NONE)
			usage_error("--warn/--crit print one status line: no "
			    "--to");
		if (o->co.output != NULL || o->co.gzip || o->within_given)
			usage_error("--warn/--crit print one status line on "
			    "standard output, over their own window: no -o, -z "
			    "or --within");
	}
	if (o->allow_empty && (o->check || o->nagios))
		usage_error("--allow-empty: a check never passes on keys it "
		    "did not read (not with --check, --warn or --crit)");
	if (o->allow_partial && (o->check || o->nagios))
		usage_error("--allow-partial: a check never passes on keys it "
		    "did not read (not with --check, --warn or --crit)");
	if (o->summary && (o->state || o->sel_given))
		usage_error("--summary counts every key: no --state, "
		    "--status or --all");
	if (o->no_wait && o->state == NULL)
		usage_error("--no-wait is for the --state lock: give --state");
	cli_common_outputs_distinct(&o->co, "--state", o->state);
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct run run;
	struct keytab prev = KEYTAB_INIT;
	struct record_writer *w = NULL;
	struct output *out, *state_out = NULL;
	unsigned long long n[KEY_NSTATUS];
	char nowbuf[40], extra[256];
	size_t i;
	int status = 0, lock = -1, partial;

	process_start(argv[0]);	/* first: fds 0-2, signals */
	cli_init(synopsis, help);
	cli_tool(CLI_NO_CSV_INPUT, "ndjson", examples);
	if (wants_monitoring(argc, argv))
		monitoring();
	memset(&o, 0, sizeof(o));
	o.co = (struct common_opts)COMMON_OPTS_DEFAULT;
	o.sel = SEL_DEFAULT;
	o.within = 7 * 86400;
	parse_options(&o, argc, argv);
	if (o.check || o.nagios)
		check_trouble(&o);
	argc -= optind;
	argv += optind;
	cli_stdin_twice(argc, argv);

	memset(&run, 0, sizeof(run));
	run.o = &o;
	run.limit = tstamp_plus(o.now, o.within);
	run.sb = (struct strbuf)STRBUF_INIT;
	run.keep_detail = !o.summary && !o.nagios;
	run.rj = rejects_open(o.co.rejects, FORMAT_JSON);
	rejects_show_secrets(run.rj, o.show_keys);
	if (run.keep_detail || o.by_car)
		run.spool = spool_open();
	if (o.state != NULL) {
		/* Before reading it: the lock covers the whole run. */
		lock = state_lock(o.state, o.no_wait);
		state_load(&prev, o.state);
		state_out = output_open(o.state, 0);
	}
	out = output_open(o.co.output, o.co.gzip ? OUTPUT_GZIP : 0);
	progress_start(o.co.progress);
	if (argc == 0)
		read_input(&run, "-");
	for (i = 0; i < (size_t)argc; i++)
		read_input(&run, argv[i]);
	progress_end();
	if (run.ndup > MAX_DUP_WARNINGS)
		warnx("%llu duplicate key ids in all (later ones win)",
		    run.ndup);
	/*
	 * Pages read directly: a page not downloaded is not "no key".  What
	 * --allow-partial lets through ends in exit 1, and the state keeps
	 * the keys it did not read.
	 */
	partial = pages_finish(&run.pages, o.allow_partial) == -1;

	/*
	 * No key at all: an empty dump, an empty page, every key rejected.
	 * A check (--check, --warn/--crit) is UNKNOWN then; a report is an
	 * error unless --allow-empty.
	 */
	if (run.keys.nkeys == 0 && !o.allow_empty &&
	    !pages_verified_empty(&run.pages)) {
		if (o.check)
			check_trouble(&o);
		if (o.check || o.nagios)
			die("no spectator key read (%llu rejected)",
			    run.st.rejected);
		die("no spectator key read (%llu rejected): the input holds "
		    "none (pass --allow-empty if that is meant)",
		    run.st.rejected);
	}
	/*
	 * The summaries fold every key into a count: none is written as
	 * itself, so all are filtered.  report() counts its own.
	 */
	if (o.nagios || o.by_car || o.summary)
		run.st.filtered = run.keys.nkeys;
	if (o.nagios)
		status = nagios(&run, out);
	else if (o.by_car) {
		w = writer_for(out, &o, (const char *const[]){ "car", "keys",
		    "expired_since" }, 3);
		by_car(&run, w);
	} else if (o.summary) {
		w = writer_for(out, &o, (const char *const[]){ "status",
		    "keys" }, 2);
		summary(&run, w);
	} else {
		w = writer_for(out, &o, report_columns, 7);
		report(&run, w, o.state ? &prev : NULL);
	}
	if (w != NULL)
		record_writer_finish(w);
	count_statuses(&run, n);
	if (o.check && n[KEY_EXPIRED] + n[KEY_EXPIRING] > 0)
		status = EXIT_CHECK;
	/* The report first: a state saying "alerted" must not outrun it. */
	output_commit(out);
	if (state_out != NULL)
		state_save(state_out, &run.keys, o.sel, &prev,
		    tstamp_format(o.now, nowbuf), partial);
	if (partial && status == EXIT_SUCCESS)
		status = EXIT_CHECK;
	rejects_close(run.rj);
	if (o.co.stats) {
		snprintf(extra, sizeof(extra), "\"expired\":%llu,"
		    "\"expiring\":%llu,\"valid\":%llu,\"no-expiry\":%llu,"
		    "\"duplicates\":%llu,\"unchanged\":%llu",
		    n[KEY_EXPIRED], n[KEY_EXPIRING], n[KEY_VALID],
		    n[KEY_NO_EXPIRY], run.ndup, run.unchanged);
		stats_print(&run.st, stderr, extra);
	}

	for (i = 0; i < run.nnames; i++)
		free(run.names[i]);
	free(run.names);
	pages_release(&run.pages);
	keytab_release(&run.keys);
	keytab_release(&prev);
	spool_close(run.spool);
	free(run.first_key);
	arena_release(&run.scratch);
	strbuf_release(&run.sb);
	stats_release(&run.st);
	output_finish();
	/* Only now: the next run must see the state this one published. */
	if (lock != -1)
		close(lock);
	return status;
}

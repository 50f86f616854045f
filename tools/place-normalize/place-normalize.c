/*
 * place-normalize: partner CSV exports into valid delivery-planning places,
 * every bad row rejected with its file, line and reason; --against turns
 * the result into a change set; "company" converts company structures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/hints.h"
#include "common/json.h"
#include "common/output.h"
#include "common/process.h"
#include "common/progress.h"
#include "common/rejects.h"
#include "common/source.h"
#include "common/stats.h"
#include "common/writer.h"
#include "tools/place-normalize/against.h"
#include "tools/place-normalize/company.h"
#include "common/strmap.h"
#include "tools/place-normalize/normalize.h"
#include "tools/place-normalize/pn.h"

static const char synopsis[] =
"usage: place-normalize [-m FIELD=COLUMN,...] [--map-file FILE] [--print-map]\n"
"                       [--keep-extra] [--precision N] [--bbox S,W,N,E]\n"
"                       [--no-fix-swap] [--list-sep CHARS] [--locale LOC]\n"
"                       [--id-from COLS] [--id-uuid5 NAMESPACE]\n"
"                       [--dedupe first|last] [--max-rejects N] [--envelope]\n"
"                       [--against FILE]... [--ops LIST] [--allow-empty]\n"
"                       [--delete-despite-rejects] [OPTIONS] [FILE...]\n"
"       place-normalize company [--flatten] [--account-sep C] [OPTIONS]\n"
"                       [FILE...]";

static const char help[] =
"Turn partner CSV exports (English or Russian headers, ; delimiters,\n"
"decimal commas, CP1251 with --encoding) into places for the delivery-\n"
"planning API, one NDJSON object per line.  Every row is written or\n"
"rejected with a reason code.\n"
"\n"
"Options:\n"
"  -m, --map FIELD=COLUMN,...  map columns to place fields (id title\n"
"                      contractorId comment tags lat lng coordinates address\n"
"                      locale arrivalDuration departureDuration\n"
"                      transportRestrictions); FIELD= unmaps a field\n"
"  --map-file FILE     read FIELD=COLUMN lines (# comments) from FILE\n"
"  --print-map         print the mapping for the first input and exit\n"
"  --keep-extra        keep unmapped columns under \"extra\" (extra.COLUMN)\n"
"  --precision N       coordinate decimals, 0..15 (default 7)\n"
"  --bbox S,W,N,E      expected area: a point outside it whose swap is\n"
"                      inside has its lat/lng swapped\n"
"  --no-fix-swap       reject swapped coordinates instead of fixing them\n"
"  --list-sep CHARS    tag and restriction separators (default \";|,\")\n"
"  --locale LOC        addresses[].locale when no locale column says\n"
"  --id-from COLS      build ids from these columns, joined with '-'\n"
"  --id-uuid5 NS       ids are UUIDv5 of the partner id in namespace NS\n"
"                      (a UUID, or dns, url, oid, x500)\n"
"  --dedupe first|last which of two rows with one id is kept (default\n"
"                      first; last buffers the output until the end)\n"
"  --max-rejects N     exit 2 once more than N rows were rejected\n"
"  --envelope          write {\"result\":[...],\"total\":N}\n"

"  --against FILE      existing places (listing responses or NDJSON); the\n"
"                      output becomes a change set (repeatable)\n"
"  --ops LIST          change set ops to write (default\n"
"                      create,update,unchanged; delete only when named)\n"
"  --allow-empty       an input without rows (zero bytes, a header only)\n"
"                      is not an error (with delete in --ops: every\n"
"                      place is deleted)\n"
"  --delete-despite-rejects  write deletes although a rejected row has no\n"
"                      id (else they are withheld and the exit status is 1)\n"
"\n"
"place-normalize company: a flat CSV (id,name,parent_id,ownerId,accountIds)\n"
"to a company structure tree; --flatten turns a tree back into rows with\n"
"depth and path; --account-sep C splits accountIds (default ';').\n";

static const char examples[] =
"  $ place-normalize --encoding cp1251 --rejects bad.csv shops.csv\n"
"  $ place-normalize -m id=Code,address=Addr --bbox 55,37,56,38 shops.csv\n"
"  $ place-normalize --against places.json --ops create,update shops.csv\n";

enum {
	OPT_MAP_FILE = OPT_TOOL_BASE,
	OPT_PRINT_MAP,
	OPT_KEEP_EXTRA,
	OPT_PRECISION,
	OPT_BBOX,
	OPT_NO_FIX_SWAP,
	OPT_LIST_SEP,
	OPT_LOCALE,
	OPT_ID_FROM,
	OPT_ID_UUID5,
	OPT_DEDUPE,
	OPT_MAX_REJECTS,
	OPT_ENVELOPE,
	OPT_AGAINST,
	OPT_OPS,
	OPT_ALLOW_EMPTY,
	OPT_DELETE_DESPITE
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "map",		required_argument,	NULL, 'm' },
	{ "map-file",		required_argument,	NULL, OPT_MAP_FILE },
	{ "print-map",		no_argument,		NULL, OPT_PRINT_MAP },
	{ "keep-extra",		no_argument,		NULL, OPT_KEEP_EXTRA },
	{ "precision",		required_argument,	NULL, OPT_PRECISION },
	{ "bbox",		required_argument,	NULL, OPT_BBOX },
	{ "no-fix-swap",	no_argument,		NULL, OPT_NO_FIX_SWAP },
	{ "list-sep",		required_argument,	NULL, OPT_LIST_SEP },
	{ "locale",		required_argument,	NULL, OPT_LOCALE },
	{ "id-from",		required_argument,	NULL, OPT_ID_FROM },
	{ "id-uuid5",		required_argument,	NULL, OPT_ID_UUID5 },
	{ "dedupe",		required_argument,	NULL, OPT_DEDUPE },
	{ "max-rejects",	required_argument,	NULL, OPT_MAX_REJECTS },
	{ "envelope",		no_argument,		NULL, OPT_ENVELOPE },
	{ "against",		required_argument,	NULL, OPT_AGAINST },
	{ "ops",		required_argument,	NULL, OPT_OPS },
	{ "allow-empty",	no_argument,		NULL, OPT_ALLOW_EMPTY },
	{ "delete-despite-rejects", no_argument,	NULL,
	    OPT_DELETE_DESPITE },
	{ NULL, 0, NULL, 0 }
};

/* ==== options ==== */

static void
spec_add(struct pn_mapspec *spec, const char *s, size_t len,
    const char *where)
{
	const char *eq = memchr(s, '=', len);
	const char *col;
	size_t clen;
	int f;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (eq == NULL)
		usage_error("%s: expected FIELD=COLUMN: %.*s", where,
		    (int)len, s);
	clen = (size_t)(eq - s);
	while (clen > 0 && (s[clen - 1] == ' ' || s[clen - 1] == '\t'))
		clen--;
	if ((f = pn_field_parse(s, clen)) < 0)
		usage_error("%s: unknown place field: %.*s", where, (int)clen,
		    s);
	col = eq + 1;
	len -= (size_t)(col - s);
	while (len > 0 && (*col == ' ' || *col == '\t')) {
		col++;
		len--;
	}
	while (len > 0 && (col[len - 1] == ' ' || col[len - 1] == '\t' ||
	    col[len - 1] == '\r'))
		len--;
	free((char *)spec->col[f]);
	spec->col[f] = len > 0 ? xstrndup(col, len) : NULL;
	spec->set[f] = 1;
}

static void
read_map_file(struct pn_mapspec *spec, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct read_error err;
	const char *p, *nl, *end;
	char where[512];
	unsigned long line = 0;

	if (source_slurp(path, NULL, &sb, &err) == -1)
		usage_error("--map-file %s: %s", path, err.msg);
	end = sb.buf + sb.len;
	for (p = sb.buf; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		snprintf(where, sizeof(where), "%s:%lu", path, line);
		while (p < nl && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p < nl && *p != '#')
			spec_add(spec, p, (size_t)(nl - p), where);
	}
	strbuf_release(&sb);
}

static void
parse_bbox(struct pn_config *cf, const char *arg)
{
	char *end;
	const char *p = arg;
	int i;

	for (i = 0; i < 4; i++) {
		cf->bbox[i] = strtod(p, &end);
		if (end == p || (i < 3 && *end != ',') || (i == 3 &&
		    *end != '\0'))
			usage_error("bad --bbox (S,W,N,E): %s", arg);
		p = end + 1;
	}
	if (cf->bbox[0] > cf->bbox[2] || cf->bbox[1] > cf->bbox[3] ||
	    cf->bbox[0] < -90 || cf->bbox[2] > 90 || cf->bbox[1] < -180 ||
	    cf->bbox[3] > 180)
		usage_error("bad --bbox (S,W,N,E): %s", arg);
	cf->have_bbox = 1;
}

static void
parse_ops(int *ops, const char *arg)
{
	char **list;
	size_t n, i;
	int k;

	memset(ops, 0, sizeof(int) * PN_NOPS);
	list = opt_list(arg, ',', &n);
	for (i = 0; i < n; i++) {
		for (k = 0; k < PN_NOPS; k++)
			if (strcmp(list[i], pn_op_names[k]) == 0)
				break;
		if (k == PN_NOPS) {
			opt_list_free(list);
			usage_error("unknown --ops op: %s (create, update, "
			    "unchanged, delete)", arg);
		}
		ops[k] = 1;
	}
	opt_list_free(list);
	if (n == 0)
		usage_error("empty --ops");
}

static void
parse_args(struct opts *o, int argc, char **argv)
{
	unsigned long long v;
	char **list;
	size_t n, i;
	int ch;

	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS "m:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'm':
			list = opt_list(optarg, ',', &n);
			for (i = 0; i < n; i++)
				spec_add(&o->spec, list[i], strlen(list[i]),
				    "--map");
			opt_list_free(list);
			break;
		case OPT_MAP_FILE:
			read_map_file(&o->spec, optarg);
			break;
		case OPT_PRINT_MAP:
			o->print_map = 1;
			break;
		case OPT_KEEP_EXTRA:
			o->cf.keep_extra = 1;
			break;
		case OPT_PRECISION:
			if (opt_uint(optarg, 15, &v) == -1)
				usage_error("bad --precision (0..15): %s",
				    optarg);
			o->cf.precision = (int)v;
			break;
		case OPT_BBOX:
			parse_bbox(&o->cf, optarg);
			break;
		case OPT_NO_FIX_SWAP:
			o->cf.fix_swap = 0;
			break;
		case OPT_LIST_SEP:
			if (*optarg == '\0')
				usage_error("empty --list-sep");
			o->cf.list_sep = optarg;
			break;
		case OPT_LOCALE:
			if (*optarg == '\0')
				usage_error("empty --locale");
			o->cf.locale = optarg;
			break;
		case OPT_ID_FROM:
			opt_list_free(o->spec.idfrom);
			o->spec.idfrom = opt_list(optarg, ',',
			    &o->spec.nidfrom);
			for (i = 0; i < o->spec.nidfrom; i++)
				if (*o->spec.idfrom[i] == '\0')
					usage_error("bad --id-from: %s",
					    optarg);
			if (o->spec.nidfrom == 0)
				usage_error("empty --id-from");
			break;
		case OPT_ID_UUID5:
			if (pn_uuid_parse(optarg, o->cf.ns) == -1)
				usage_error("bad --id-uuid5 namespace (a UUID, "
				    "dns, url, oid or x500): %s", optarg);
			o->cf.have_ns = 1;
			break;
		case OPT_DEDUPE:
			if (strcmp(optarg, "first") == 0)
				o->dedupe_last = 0;
			else if (strcmp(optarg, "last") == 0)
				o->dedupe_last = 1;
			else
				usage_error("bad --dedupe (first or last): %s",
				    optarg);
			break;
		case OPT_MAX_REJECTS:
			if (opt_uint(optarg, ~0ULL, &o->max_rejects) == -1)
				usage_error("bad --max-rejects: %s", optarg);
			o->have_max_rejects = 1;
			break;
		case OPT_ENVELOPE:
			o->envelope = 1;
			break;
		case OPT_AGAINST:
			o->against = xrealloc(o->against, (o->nagainst + 1) *
			    sizeof(*o->against));
			o->against[o->nagainst++] = optarg;
			break;
		case OPT_OPS:
			parse_ops(o->ops, optarg);
			o->have_ops = 1;
			break;
		case OPT_ALLOW_EMPTY:
			o->allow_empty = 1;
			break;
		case OPT_DELETE_DESPITE:
			o->delete_despite = 1;
			break;
		default:
			if (!common_opt(&o->co, ch, optarg))
				usage(stderr, EXIT_TROUBLE);
		}
	}
	if (o->co.to == FORMAT_NONE)
		o->co.to = FORMAT_NDJSON;
	if (o->envelope && !format_is_json(o->co.to))
		usage_error("--envelope writes JSON: not with --to %s",
		    format_name(o->co.to));
	o->cf.id_required = o->nagainst > 0;
	if (o->nagainst > 0 && !format_is_json(o->co.to))
		usage_error("--against writes a JSON change set: not with "
		    "--to %s", format_name(o->co.to));
	if (o->have_ops && o->nagainst == 0)
		usage_error("--ops needs --against");
	if (o->delete_despite && o->nagainst == 0)
		usage_error("--delete-despite-rejects needs --against");
	if (o->nagainst > 0 && o->envelope)
		usage_error("--envelope and --against don't go together");
	cli_common_outputs_distinct(&o->co, NULL, NULL);
}

/* ==== rows ==== */

/* An id whose last copy was rejected: no held row stands for it. */
#define NO_HELD	((size_t)-1)

static void
reject_row(struct run *r, const struct record *rec, const char *code,
    const char *detail)
{
	rejects_add(r->rj, &r->st, rec, code, detail);
	if (r->o->have_max_rejects && r->st.rejected > r->o->max_rejects)
		data_error(rec->file, rec->line, "more than %llu rejected "
		    "rows (--max-rejects)", r->o->max_rejects);
}

static void	drop_held(struct run *, const char *, size_t, unsigned long);

/*
 * A row that place_normalize() rejected may still hold an existing place:
 * its id keeps that place out of the deletes, and a row whose id cannot
 * be read makes every delete unsafe (see run()).
 */
static void
reject_input_row(struct run *r, const struct pn_map *m, size_t fileno,
    const struct record *rec, struct arena *a, const struct pn_result *res)
{
	const char *id;
	size_t idlen;
	int known = pn_row_id(&r->o->cf, m, rec, a, &id, &idlen);

	if (r->ag != NULL) {
		if (known)
			against_protect(r->ag, id, idlen);
		else if (r->noid_file == NULL) {
			r->noid_file = r->files[fileno];
			r->noid_line = rec->line;
		}
	}
	reject_row(r, rec, res->code, res->detail);
	if (known && r->o->dedupe_last)
		drop_held(r, id, idlen, rec->line);
}

/*
 * --dedupe last: the last copy of id (at line) was rejected, so an
 * earlier copy held for it is stale, never written in its place.
 */
static void
drop_held(struct run *r, const char *id, size_t idlen, unsigned long line)
{
	struct strmap_slot *slot = strmap_get(&r->ids, id, idlen);
	struct record tmp = RECORD_INIT;
	struct held *old;
	char detail[200];

	if (slot == NULL || slot->val == NO_HELD)
		return;
	old = &r->held[slot->val];
	slot->val = NO_HELD;
	old->dead = 1;
	record_from_value(&tmp, &old->row);
	tmp.file = old->file;
	tmp.line = old->line;
	snprintf(detail, sizeof(detail), "duplicate id %.*s (line %lu, the "
	    "last copy, was rejected)", (int)idlen, id, line);
	reject_row(r, &tmp, "duplicate_id", detail);
	record_release(&tmp);
}

static void
hold(struct run *r, const struct pn_map *m, const struct record *rec,
    const struct pn_result *res)
{
	struct json_value row = record_as_value(rec);
	struct strmap_slot *slot;
	struct held *h, *old;
	struct record tmp = RECORD_INIT;
	char detail[200];
	int found;

	r->held = xgrow(r->held, &r->aheld, r->nheld + 1, sizeof(*r->held));
	h = &r->held[r->nheld];
	h->place = json_value_copy(&r->keep, &res->place);
	h->row = json_value_copy(&r->keep, &row);
	h->file = rec->file;
	h->line = rec->line;
	h->dead = 0;
	h->given = m->given;
	h->id = NULL;
	h->idlen = 0;
	if (res->id != NULL) {
		slot = strmap_put(&r->ids, res->id, res->id_len, r->nheld,
		    &found);
		h->id = slot->key;
		h->idlen = slot->len;
		if (found && slot->val != NO_HELD) {
			/* The earlier row is the duplicate now. */
			old = &r->held[slot->val];
			old->dead = 1;
			record_from_value(&tmp, &old->row);
			tmp.file = old->file;
			tmp.line = old->line;
			snprintf(detail, sizeof(detail), "duplicate id %.*s "
			    "(kept line %lu)", (int)res->id_len, res->id,
			    rec->line);
			reject_row(r, &tmp, "duplicate_id", detail);
			record_release(&tmp);
			slot->val = r->nheld;
		}
	}
	r->nheld++;
}

static void
emit_held(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nheld; i++)
		if (!r->held[i].dead) {
			r->row_file = r->held[i].file;
			r->row_line = r->held[i].line;
			emit_place(r, r->held[i].given, &r->held[i].place,
			    r->held[i].id, r->held[i].idlen);
		}
}

static void
do_row(struct run *r, const struct pn_map *m, size_t fileno,
    const struct record *rec, struct arena *a)
{
	struct pn_result res;
	struct strmap_slot *slot;
	const struct json_value *raw = NULL;
	uint64_t h = 0;
	char detail[300];
	size_t first;
	int found, direct = emit_direct(r);

	r->st.read++;
	r->row_file = rec->file;
	r->row_line = rec->line;
	arena_reset(a);
	/*
	 * The id set outgrows the caches: start loading the id's probe word
	 * now, from the raw cell, so normalizing the row hides the miss.
	 */
	if (!r->o->dedupe_last && m->idx[PF_ID] >= 0 &&
	    (size_t)m->idx[PF_ID] < rec->nfields && !r->o->cf.have_ns) {
		raw = &rec->fields[m->idx[PF_ID]].value;
		if (raw->type == JSON_STRING) {
			h = strmap_hash(raw->u.str, raw->len);
			strmap_prefetch(&r->ids, h);
		} else
			raw = NULL;
	}
	if (!pn_normalize_parts(&r->o->cf, m, rec, a, &res)) {
		reject_input_row(r, m, fileno, rec, a, &res);
		return;
	}
	if (res.swapped) {
		r->swaps++;
		data_warn(rec->file, rec->line, "latitude and longitude "
		    "swapped, fixed to %s, %s", res.parts.lat, res.parts.lng);
	}
	/* Most runs write the place as text, never making its value. */
	if (!direct)
		res.place = pn_place_value(&res.parts, a);
	if (r->o->dedupe_last) {
		hold(r, m, rec, &res);
		return;
	}
	if (res.id != NULL) {
		if (raw == NULL || raw->len != res.id_len ||
		    memcmp(raw->u.str, res.id, res.id_len) != 0)
			h = strmap_hash(res.id, res.id_len);
		slot = strmap_put_hashed(&r->ids, res.id, res.id_len, h,
		    (fileno << 40) | rec->line, &found);
		if (found) {
			first = slot->val;
			if (r->nfiles > 1)
				snprintf(detail, sizeof(detail), "duplicate id "
				    "%.*s (first at %s:%zu)", (int)res.id_len,
				    res.id, r->files[first >> 40],
				    first & (((size_t)1 << 40) - 1));
			else
				snprintf(detail, sizeof(detail), "duplicate id "
				    "%.*s (first at line %zu)",
				    (int)res.id_len, res.id,
				    first & (((size_t)1 << 40) - 1));
			reject_row(r, rec, "duplicate_id", detail);
			return;
		}
	}
	if (direct)
		emit_parts(r, &res.parts);
	else
		emit_place(r, m->given, &res.place, res.id, res.id_len);
}

/*
 * CSV rows as the reader's cells, without making a record of each: the
 * normalizer and the rejects read a view of the cells instead (the
 * header's names, the reader's text, each cell NUL-ended as a record's
 * is; valid until the next row, as a record's fields are).  The first
 * clean row is made a record to learn the names and file from, and a row
 * the reader found a problem in is one for its message.
 */
static int
csv_rows(struct run *r, const struct pn_map *m, size_t fileno,
    struct source *src, struct record *rec, struct arena *a)
{
	struct csv_row_view v;
	struct record view = RECORD_INIT;
	struct json_member *f = NULL;
	size_t i, nf = 0;
	int rc;

	while ((rc = source_next_row(src, &v)) == 1) {
		if (v.problem_code == NULL && v.n == nf && nf > 0) {
			for (i = 0; i < nf; i++) {
				f[i].value.len = v.cells[i].len;
				f[i].value.u.str = v.cells[i].s;
			}
			view.line = v.line;
			do_row(r, m, fileno, &view, a);
		} else {
			source_row_record(src, rec);
			if (rec->problem_code == NULL && nf == 0) {
				nf = rec->nfields;
				f = xcalloc(nf + 1, sizeof(*f));
				memcpy(f, rec->fields, nf * sizeof(*f));
				view.fields = f;
				view.nfields = view.alloc = nf;
				view.file = rec->file;
			}
			do_row(r, m, fileno, rec, a);
		}
		progress_tick(r->st.read);
	}
	/* As source_next() leaves it: nothing borrows from src now. */
	record_reset(rec);
	free(f);
	return rc;
}

/*
 * The map of a JSON record: its own members are its header, so that a
 * member the first record lacked is still mapped and one this record
 * lacks is not given (see against_diff()).  Most inputs repeat one shape:
 * a record with the member names of the last one keeps its map, which
 * costs a comparison of names.  The names are copied into r->jnames
 * (a record's die with it) until the next shape.
 */
static struct pn_map *
json_map(struct run *r, size_t fileno, const struct record *rec)
{
	struct pn_map *m = &r->maps[fileno];
	const struct json_member *f;
	const char **names;
	size_t i;

	if (m->used != NULL && m->ncols == rec->nfields) {
		for (i = 0; i < rec->nfields; i++) {
			f = &rec->fields[i];
			if (memcmp(m->cols[i], f->name, f->name_len) != 0 ||
			    m->cols[i][f->name_len] != '\0')
				break;
		}
		if (i == rec->nfields)
			return m;
	}
	pn_map_release(m);
	arena_reset(&r->jnames);
	names = arena_alloc(&r->jnames, (rec->nfields + 1) * sizeof(*names));
	for (i = 0; i < rec->nfields; i++)
		names[i] = arena_strndup(&r->jnames, rec->fields[i].name,
		    rec->fields[i].name_len);
	pn_map_build_record(m, names, rec->nfields, &r->o->spec);
	return m;
}


/*
 * An input that holds no row: a failed download or export, never "no
 * places" (a change set with deletes would remove every place), unless
 * --allow-empty.  file is NULL for the run as a whole.
 */
static void
no_rows(const struct run *r, const char *file)
{
	const char *why = r->ag != NULL && r->o->ops[PN_OP_DELETE] ?
	    "with delete in --ops every existing place would be deleted" :
	    file != NULL ? "an empty file or a header only" :
	    "the input is empty";

	if (r->o->allow_empty)
		return;
	if (file != NULL)
		die("%s: no rows: %s (pass --allow-empty if that is meant)",
		    file, why);
	die("no rows: %s (pass --allow-empty if that is meant)", why);
}

/* Read one input; returns 1 when --print-map is done. */
static int
do_file(struct run *r, const char *path, size_t fileno, struct arena *a)
{
	struct source *src;
	struct record rec = RECORD_INIT;
	struct strbuf err = STRBUF_INIT;
	struct pn_map *m = &r->maps[fileno];
	const char *const *names = NULL;
	unsigned long long read0 = r->st.read;
	unsigned given_any = 0;		/* JSON: fields some record gave */
	size_t n = 0;
	int rc, pending = 0;

	src = source_open(path, &r->o->co);
	r->files[fileno] = xstrdup(source_name(src));
	if (source_format(src) == FORMAT_JSON) {
		/*
		 * Each record is mapped on its own (json_map()); the first
		 * one's map stands for the file in the checks below.
		 */
		rc = source_next(src, &rec);
		if (rc == 1 && rec.problem == NULL) {
			json_map(r, fileno, &rec);
			names = m->cols;
			n = m->ncols;
			pending = 1;
		} else if (rc == 1)
			pending = 1;
		if (m->used == NULL)
			pn_map_build_record(m, NULL, 0, &r->o->spec);
	} else {
		rc = source_header(src, &names, &n) == -1 ? -1 : 1;
		if (rc == 1 && pn_map_build(m, names, n, &r->o->spec,
		    &err) == -1)
			die("%s: %s", source_name(src), err.buf);
	}
	if (rc == -1)
		source_die(src);
	strbuf_release(&err);
	if (r->o->print_map) {
		pn_map_print(m, &r->sb);
		output_write_sb(r->out, &r->sb);
		record_release(&rec);
		source_close(src);
		return 1;
	}
	if (m->col[PF_TITLE] == NULL && (n > 0 || pending)) {
		strbuf_reset(&r->sb);
		hint_header(&r->sb, names, n, source_delim(src));
		die("%s: no title column (%s; map one with -m title=COLUMN, "
		    "or see -d)", source_name(src), r->sb.buf);
	}
	if ((r->o->cf.have_ns && m->col[PF_ID] == NULL && m->nidfrom == 0) &&
	    (n > 0 || pending))
		die("%s: --id-uuid5 needs an id column or --id-from",
		    source_name(src));
	if (r->ag != NULL && m->col[PF_ID] == NULL && m->nidfrom == 0 &&
	    (n > 0 || pending))
		die("%s: no id column: with --against every row would be a "
		    "create (map one with -m id=COLUMN or --id-from COLS)",
		    source_name(src));
	if (r->rj == NULL) {
		enum format f = source_format(src);

		r->rj = rejects_open(r->o->co.rejects, f == FORMAT_JSON ?
		    FORMAT_JSON : f);
		rejects_like_input(r->rj, source_delim(src),
		    r->o->co.encoding);
		if (f != FORMAT_JSON)
			rejects_header(r->rj, names, n);
		if (f == FORMAT_CSV)
			r->in_delim = source_delim(src);
	}
	if (r->w == NULL && !r->o->envelope)
		emit_start(r, m);
	if (pending) {
		rec.file = source_name(src);
		if (rec.problem == NULL)
			given_any |= m->given;
		do_row(r, m, fileno, &rec, a);
	}
	if (source_format(src) == FORMAT_JSON) {
		while ((rc = source_next(src, &rec)) == 1) {
			if (rec.problem == NULL) {
				m = json_map(r, fileno, &rec);
				given_any |= m->given;
			}
			do_row(r, m, fileno, &rec, a);
			progress_tick(r->st.read);
		}
		if (rc == 0 && given_any != 0 &&
		    pn_map_never_given(&r->o->spec, given_any, &err) == -1)
			die("%s: %s", source_name(src), err.buf);
	} else
		rc = csv_rows(r, m, fileno, src, &rec, a);
	if (rc == -1)
		source_die(src);
	if (r->st.read == read0 && strcmp(path, "-") != 0)
		no_rows(r, r->files[fileno]);
	record_release(&rec);
	source_close(src);
	return 0;
}

/*
 * Existing places no row matched are deletes (counted even if unasked).
 * Returns the exit status: 1 when deletes were withheld because a
 * rejected row without an id may hold one of them.
 */
static int
deletes(struct run *r)
{
	const struct opts *o = r->o;
	const struct json_value *gone;
	const char *id;
	size_t idlen, it = 0;
	unsigned long long n = 0;

	while (against_next_unseen(r->ag, &it, &id, &idlen) != NULL)
		n++;
	if (n == 0)
		return 0;
	if (r->noid_file != NULL && !o->delete_despite) {
		r->withheld = n;
		if (!o->ops[PN_OP_DELETE])
			return 0;
		warnx("%s:%lu: %llu delete%s withheld: this rejected row has "
		    "no id and may hold a place to keep (fix it, or pass "
		    "--delete-despite-rejects)", r->noid_file, r->noid_line,
		    n, n == 1 ? "" : "s");
		return EXIT_CHECK;
	}
	it = 0;
	while ((gone = against_next_unseen(r->ag, &it, &id, &idlen)) != NULL) {
		r->nops[PN_OP_DELETE]++;
		if (o->ops[PN_OP_DELETE])
			emit_change(r, PN_OP_DELETE, id, idlen, gone, NULL);
	}
	return 0;
}

static int
run(struct opts *o, int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	struct run r;
	struct arena a = ARENA_INIT;
	struct strbuf extra = STRBUF_INIT;
	char **files = argc > 0 ? argv : stdin_only;
	size_t nfiles = argc > 0 ? (size_t)argc : 1, i;
	int k, status = 0;

	memset(&r, 0, sizeof(r));
	r.o = o;
	record_init(&r.flat);
	strbuf_init(&r.sb, 0);
	strbuf_init(&r.changed, 0);
	r.files = xcalloc(nfiles, sizeof(*r.files));
	r.nfiles = nfiles;
	r.maps = xcalloc(nfiles, sizeof(*r.maps));
	cli_stdin_twice(nfiles, files);

	r.out = output_open(o->co.output, o->co.gzip ? OUTPUT_GZIP : 0);
	if (o->nagainst > 0 && !o->print_map)
		r.ag = against_load(o->against, o->nagainst, &o->co,
		    o->cf.precision);
	progress_start(o->co.progress);
	for (i = 0; i < nfiles; i++)
		if (do_file(&r, files[i], i, &a))
			break;
	if (r.st.read == 0 && !o->print_map)
		no_rows(&r, NULL);
	if (o->dedupe_last)
		emit_held(&r);
	if (r.ag != NULL)
		status = deletes(&r);
	progress_end();

	if (o->envelope && !o->print_map) {
		if (r.nout == 0)
			strbuf_addstr(&r.sb, "{\"result\":[");
		strbuf_addf(&r.sb, "],\"total\":%llu}\n", r.nout);
		output_write_sb(r.out, &r.sb);
	}
	if (r.w == NULL && !o->print_map && !o->envelope)
		emit_start(&r, &r.maps[0]);
	record_writer_finish(r.w);
	rejects_close(r.rj);
	output_commit(r.out);

	if (o->co.stats) {
		strbuf_addf(&extra, "\"fixed_swaps\":%llu", r.swaps);
		if (r.ag != NULL) {
			for (k = 0; k < PN_NOPS; k++)
				strbuf_addf(&extra, ",\"%s\":%llu",
				    pn_op_names[k], r.nops[k]);
			if (r.withheld > 0)
				strbuf_addf(&extra, ",\"withheld_deletes\":"
				    "%llu", r.withheld);
		}
		stats_print(&r.st, stderr, extra.buf);
	}

	strbuf_release(&extra);
	for (i = 0; i < nfiles; i++) {
		pn_map_release(&r.maps[i]);
		free(r.files[i]);
	}
	free(r.maps);
	free(r.files);
	free(r.held);
	strmap_release(&r.ids);
	against_free(r.ag);
	record_release(&r.flat);
	strbuf_release(&r.sb);
	strbuf_release(&r.changed);
	arena_release(&r.keep);
	arena_release(&r.jnames);
	arena_release(&a);
	stats_release(&r.st);
	return status;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct pn_config cf = PN_CONFIG_DEFAULT;
	struct common_opts co = COMMON_OPTS_DEFAULT;
	int status, f;

	process_start(argv[0]);	/* first: fds 0-2, signals */
	cli_init(synopsis, help);
	cli_tool(0, "ndjson", examples);
	if (argc > 1 && strcmp(argv[1], "company") == 0) {
		status = company_main(argc - 1, argv + 1);
		output_finish();
		return status;
	}
	memset(&o, 0, sizeof(o));
	o.co = co;
	o.cf = cf;
	o.ops[PN_OP_CREATE] = o.ops[PN_OP_UPDATE] = 1;
	o.ops[PN_OP_UNCHANGED] = 1;
	parse_args(&o, argc, argv);
	for (f = 0; f < (int)o.nagainst; f++)
		cli_stdin_once(o.against[f], "the --against listing",
		    argc - optind, argv + optind);
	status = run(&o, argc - optind, argv + optind);
	output_finish();
	for (f = 0; f < PF_NFIELDS; f++)
		free((char *)o.spec.col[f]);
	opt_list_free(o.spec.idfrom);
	free(o.against);
	return status;
}

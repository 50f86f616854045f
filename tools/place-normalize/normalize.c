/*
 * normalize.c: turn one mapped partner row into a place object, or say
 * exactly why it can't be one.  No I/O here: this is the fuzz target
 * (with values.c, map.c and sha1.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/utf8.h"
#include "tools/place-normalize/normalize.h"

#define ID_MAX_CHARS	48
#define LIST_MAX	1024		/* items of one list cell */

/* ==== text ==== */

/* ==== the row ==== */

/* A cleaned cell; value NULL when the column is unmapped or missing. */
struct cell {
	const char			*s;
	size_t				 len;
	const struct json_value		*raw;
};

static int
reject(struct pn_result *r, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
reject(struct pn_result *r, const char *code, const char *fmt, ...)
{
	va_list ap;

	r->code = code;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	return 0;
}

/* How much of s to quote in a message: at most 40 bytes, whole characters. */
static int
quote_len(const char *s, size_t len)
{
	if (len <= 40)
		return (int)len;
	len = 40;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return (int)len;
}

static const struct json_value *
field_value(const struct pn_map *m, const struct record *rec,
    const char *name, long idx)
{
	if (name == NULL)
		return NULL;
	if (idx >= 0 && (size_t)idx < rec->nfields &&
	    (rec->fields[idx].name == name ||
	    strcmp(rec->fields[idx].name, name) == 0))
		return &rec->fields[idx].value;
	(void)m;
	return record_get(rec, name);
}

/* get_cell() for any cell (apart, so that the common one stays small). */
static int __attribute__((noinline))
get_any_cell(const struct pn_map *m, const struct record *rec,
    const char *name, long idx, struct arena *a, struct cell *c,
    struct pn_result *r, int list_ok)
{
	const struct json_value *v;
	const char *s;
	size_t len;

	c->s = "";
	c->len = 0;
	c->raw = v = field_value(m, rec, name, idx);
	if (v == NULL || v->type == JSON_NULL)
		return 0;
	if (v->type == JSON_ARRAY && list_ok)
		return 1;
	if (v->type == JSON_STRING) {
		s = v->u.str;
		len = v->len;
	} else if (!json_value_text(v, &s, &len))
		return -1 + reject(r, "bad_value", "column %s holds a JSON %s, "
		    "not text", name, v->type == JSON_ARRAY ? "array" :
		    "object");
	/* Only strings are known to be NUL-terminated (see pn_str_value()). */
	if (v->type != JSON_STRING)
		s = arena_strndup(a, s, len);
	if (pn_clean_text(s, len, a, &c->s, &c->len) == -1)
		return -1 + reject(r, "bad_utf8", "invalid UTF-8 in column %s",
		    name);
	return 1;
}

/*
 * Text of '+' ',' '-' '.' '/' and digits only (coordinates, durations in
 * seconds, numeric ids): clean as it is, pn_clean_text() need not look.
 */
static inline int
numeric_text(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] - (unsigned)'+' > (unsigned)('9' - '+'))
			return 0;
	return 1;
}

/*
 * Fetch and clean the cell of column name.  Returns 1 (c->s set, possibly
 * empty), 0 (no such value), or -1 with r filled (bad UTF-8, a nested
 * JSON value where text belongs).
 */
static inline int
get_cell(const struct pn_map *m, const struct record *rec, const char *name,
    long idx, struct arena *a, struct cell *c, struct pn_result *r,
    int list_ok)
{
	const struct json_value *v;

	/* Most cells: a CSV row's string, at its header position, clean. */
	if (idx >= 0 && (size_t)idx < rec->nfields &&
	    rec->fields[idx].name == name &&
	    (v = &rec->fields[idx].value)->type == JSON_STRING) {
		if (numeric_text(v->u.str, v->len)) {
			c->s = v->u.str;
			c->len = v->len;
			c->raw = v;
			return 1;
		}
		if (pn_clean_text(v->u.str, v->len, a, &c->s, &c->len) == 0) {
			c->raw = v;
			return 1;
		}
	}
	return get_any_cell(m, rec, name, idx, a, c, r, list_ok);
}

/*
 * The separator bytes of list_sep as a table, made again only when
 * list_sep changes: one look-up per byte of a list cell.
 */
static const unsigned char *
sep_table(const char *list_sep)
{
	static char cached[64];
	static unsigned char tab[256];
	static int made;
	const unsigned char *p;

	if (made && strcmp(cached, list_sep) == 0)
		return tab;
	memset(tab, 0, sizeof(tab));
	for (p = (const unsigned char *)list_sep; *p != '\0'; p++)
		tab[*p] = 1;
	/* A longer list_sep (never in practice) is looked at every time. */
	made = strlen(list_sep) < sizeof(cached);
	if (made)
		memcpy(cached, list_sep, strlen(list_sep) + 1);
	return tab;
}

/* Split a list cell (or take a JSON array) into clean, unique items. */
static int
make_list(const struct pn_config *cf, const char *name, const struct cell *c,
    struct arena *a, struct json_value *out, struct pn_result *r)
{
	struct json_value items[LIST_MAX];
	const unsigned char *sep;
	const char *p, *end, *q, *t;
	char *copy;
	size_t n = 0, i, j, tl;

	if (c->raw != NULL && c->raw->type == JSON_ARRAY) {
		for (j = 0; j < c->raw->len; j++) {
			const struct json_value *it = &c->raw->u.items[j];
			const char *s;
			size_t len;

			if (!json_value_text(it, &s, &len))
				return reject(r, "bad_value", "column %s holds "
				    "a nested value in its list", name);
			if (pn_clean_text(s, len, a, &t, &tl) == -1)
				return reject(r, "bad_utf8", "invalid UTF-8 "
				    "in column %s", name);
			if (tl == 0)
				continue;
			for (i = 0; i < n; i++)
				if (items[i].len == tl &&
				    memcmp(items[i].u.str, t, tl) == 0)
					break;
			if (i < n)
				continue;
			if (n == LIST_MAX)
				return reject(r, "bad_value", "column %s holds "
				    "more than %d items", name, LIST_MAX);
			items[n++] = json_make_string(a, t, tl);
		}
	} else {
		/*
		 * Items are pieces of one copy of the cell, each ended by a
		 * NUL where its separator or trailing space was.
		 */
		sep = sep_table(cf->list_sep);
		copy = arena_alloc(a, c->len + 1);
		memcpy(copy, c->s, c->len);
		copy[c->len] = '\0';
		end = copy + c->len;
		for (p = copy; p < end; p = q + 1) {
			for (q = p; q < end && !sep[(unsigned char)*q]; q++)
				;
			/* Pieces of clean text need only a trim. */
			t = p;
			tl = (size_t)(q - p);
			while (tl > 0 && *t == ' ') {
				t++;
				tl--;
			}
			while (tl > 0 && t[tl - 1] == ' ')
				tl--;
			if (tl > 0) {
				for (i = 0; i < n; i++)
					if (items[i].len == tl &&
					    memcmp(items[i].u.str, t, tl) == 0)
						break;
				if (i == n) {
					if (n == LIST_MAX)
						return reject(r, "bad_value",
						    "column %s holds more than "
						    "%d items", name, LIST_MAX);
					copy[t + tl - copy] = '\0';
					items[n].type = JSON_STRING;
					items[n].len = tl;
					items[n++].u.str = t;
				}
			}
			if (q == end)
				break;
		}
	}
	out->type = JSON_ARRAY;
	out->len = n;
	out->u.items = arena_alloc(a, (n ? n : 1) * sizeof(*items));
	memcpy(out->u.items, items, n * sizeof(*items));
	return 1;
}

/*
 * Split "55.69, 37.55", "55,69 37,55", "55.69;37.55" or "55.69,37.55" into
 * two pieces.  Returns 0, or -1 when there is no clear split.
 */
static int
split_pair(const char *s, size_t len, const char **a, size_t *alen,
    const char **b, size_t *blen)
{
	const char *sep = NULL, *end = s + len, *p;
	size_t ncomma = 0, i, seplen = 1;

	if ((sep = memchr(s, ';', len)) == NULL &&
	    (sep = memchr(s, ' ', len)) == NULL) {
		for (i = 0; i < len; i++)
			if (s[i] == ',')
				ncomma++;
		/* One comma splits; three are two decimal commas around it. */
		if (ncomma != 1 && ncomma != 3)
			return -1;
		for (p = s, i = 0; p < end; p++)
			if (*p == ',' && ++i == (ncomma == 1 ? 1 : 2))
				break;
		sep = p;
	}
	*a = s;
	*alen = (size_t)(sep - s);
	*b = sep + seplen;
	*blen = (size_t)(end - *b);
	/* "55.69, 37.55" and "55.69 ;37.55": the separator's neighbours. */
	while (*alen > 0 && ((*a)[*alen - 1] == ' ' || (*a)[*alen - 1] == ',' ||
	    (*a)[*alen - 1] == ';'))
		(*alen)--;
	while (*blen > 0 && (**b == ' ' || **b == ',' || **b == ';')) {
		(*b)++;
		(*blen)--;
	}
	return *alen > 0 && *blen > 0 ? 0 : -1;
}

static int
in_bbox(const struct pn_config *c, double lat, double lng)
{
	return lat >= c->bbox[0] && lat <= c->bbox[2] &&
	    lng >= c->bbox[1] && lng <= c->bbox[3];
}

/* Coordinates from lat/lng or one cell: 1 (*have set), or 0 rejected. */
static int
make_coords(const struct pn_config *cf, const struct cell *lat,
    const struct cell *lng, const struct cell *both, char *latbuf,
    char *lngbuf, int *have, struct pn_result *r)
{
	const char *as, *bs;
	size_t al, bl;
	double la, lo, t;
	char tmp[64];
	int swap = 0;

	*have = 0;
	if (lat->len > 0 || lng->len > 0) {
		if (lat->len == 0)
			return reject(r, "bad_lat", "missing latitude");
		if (lng->len == 0)
			return reject(r, "bad_lng", "missing longitude");
		if (pn_decimal(lat->s, lat->len, cf->precision, latbuf,
		    &la) == -1)
			return reject(r, "bad_lat", "bad latitude \"%.*s\"",
			    quote_len(lat->s, lat->len), lat->s);
		if (pn_decimal(lng->s, lng->len, cf->precision, lngbuf,
		    &lo) == -1)
			return reject(r, "bad_lng", "bad longitude \"%.*s\"",
			    quote_len(lng->s, lng->len), lng->s);
	} else if (both->len > 0) {
		if (split_pair(both->s, both->len, &as, &al, &bs, &bl) == -1 ||
		    pn_decimal(as, al, cf->precision, latbuf, &la) == -1 ||
		    pn_decimal(bs, bl, cf->precision, lngbuf, &lo) == -1)
			return reject(r, "bad_coordinates", "bad coordinates "
			    "\"%.*s\"", quote_len(both->s, both->len),
			    both->s);
	} else
		return 1;

	if (la == 0 && lo == 0)
		return reject(r, "zero_coordinates", "coordinates are 0,0");
	if (la < -90 || la > 90 || lo < -180 || lo > 180) {
		/* Out of range: a swap is the fix only if it is valid. */
		if (lo >= -90 && lo <= 90 && la >= -180 && la <= 180 &&
		    (!cf->have_bbox || in_bbox(cf, lo, la)))
			swap = 1;
		else if (la < -90 || la > 90)
			return reject(r, "bad_lat", "latitude %s out of range",
			    latbuf);
		else
			return reject(r, "bad_lng", "longitude %s out of "
			    "range", lngbuf);
	} else if (cf->have_bbox && !in_bbox(cf, la, lo) &&
	    lo >= -90 && lo <= 90 && in_bbox(cf, lo, la))
		swap = 1;
	if (swap) {
		if (!cf->fix_swap)
			return reject(r, "swapped_coordinates", "latitude and "
			    "longitude swapped (%s, %s)", latbuf, lngbuf);
		memcpy(tmp, latbuf, 64);
		memcpy(latbuf, lngbuf, 64);
		memcpy(lngbuf, tmp, 64);
		t = la;
		la = lo;
		lo = t;
		r->swapped = 1;
	}
	*have = 1;
	return 1;
}

/* The id: kept, built from --id-from columns, or a UUIDv5 of the key. */
static int
make_id(const struct pn_config *cf, const struct pn_map *m,
    const struct record *rec, const struct cell *idc, struct arena *a,
    struct pn_result *r)
{
	struct strbuf key = STRBUF_INIT;
	struct cell part;
	const char *k = idc->s;
	size_t i, klen = idc->len;
	char uuid[37];
	int rc;

	if (m->nidfrom > 0) {
		for (i = 0; i < m->nidfrom; i++) {
			rc = get_cell(m, rec, m->idfrom[i], m->idfrom_idx[i], a,
			    &part, r, 0);
			if (rc == -1) {
				strbuf_release(&key);
				return 0;
			}
			if (part.len == 0) {
				strbuf_release(&key);
				return reject(r, "missing_id", "empty id "
				    "column %s", m->idfrom[i]);
			}
			if (i > 0)
				strbuf_addch(&key, '-');
			strbuf_add(&key, part.s, part.len);
		}
		k = arena_strndup(a, key.buf, key.len);
		klen = key.len;
		strbuf_release(&key);
	}
	if (cf->have_ns) {
		if (klen == 0)
			return reject(r, "missing_id", "no key to derive an id "
			    "from");
		pn_uuid5(cf->ns, k, klen, uuid);
		r->id = arena_strndup(a, uuid, 36);
		r->id_len = 36;
		return 1;
	}
	if (klen == 0 && cf->id_required)
		return reject(r, "missing_id", "empty id (with --against a "
		    "place without one would be created on every run)");
	if (klen == 0)
		return 1;
	if (klen > ID_MAX_CHARS && utf8_length(k, klen) > ID_MAX_CHARS)
		return reject(r, "id_too_long", "id longer than %d characters "
		    "\"%.*s...\"", ID_MAX_CHARS, quote_len(k, klen), k);
	r->id = k;
	r->id_len = klen;
	return 1;
}

int
pn_row_id(const struct pn_config *cf, const struct pn_map *m,
    const struct record *rec, struct arena *a, const char **id, size_t *len)
{
	struct pn_result r;
	struct cell c;

	memset(&r, 0, sizeof(r));
	/* A ragged or undecodable row: its cells may not be what they say. */
	if (rec->problem_code != NULL)
		return 0;
	if (get_cell(m, rec, m->col[PF_ID], m->idx[PF_ID], a, &c, &r, 0) ==
	    -1)
		return 0;
	if (!make_id(cf, m, rec, &c, a, &r) && r.id == NULL) {
		/* Too long is still an id the user wrote. */
		if (r.code == NULL || strcmp(r.code, "id_too_long") != 0 ||
		    m->nidfrom > 0)
			return 0;
		r.id = c.s;
		r.id_len = c.len;
	}
	if (r.id == NULL || r.id_len == 0)
		return 0;
	*id = r.id;
	*len = r.id_len;
	return 1;
}

static int
is_mapped_column(const struct pn_map *m, const struct record *rec, size_t i)
{
	const char *name = rec->fields[i].name;
	size_t j;

	if (i < m->ncols && (m->cols[i] == name || strcmp(m->cols[i],
	    name) == 0))
		return m->used[i];
	for (j = 0; j < m->ncols; j++)
		if (strcmp(m->cols[j], name) == 0)
			return m->used[j];
	return 0;
}

int
pn_normalize_parts(const struct pn_config *cf, const struct pn_map *m,
    const struct record *rec, struct arena *a, struct pn_result *r)
{
	struct cell c[PF_NFIELDS];
	struct pn_place *p = &r->parts;
	int f;
	size_t i;

	/* All but the buffers: a row is cheap, and most rows are places. */
	memset(r, 0, offsetof(struct pn_result, parts) +
	    offsetof(struct pn_place, lat));
	p->lat[0] = p->lng[0] = r->detail[0] = '\0';
	r->place.type = JSON_NULL;
	p->tags.type = p->transport.type = JSON_ARRAY;
	if (rec->problem_code != NULL)
		return reject(r, rec->problem_code, "%s", rec->problem != NULL ?
		    rec->problem : rec->problem_code);
	for (f = 0; f < PF_NFIELDS; f++) {
		if (m->col[f] == NULL) {
			c[f].s = "";
			c[f].len = 0;
			c[f].raw = NULL;
		} else if (get_cell(m, rec, m->col[f], m->idx[f], a, &c[f], r,
		    f == PF_TAGS || f == PF_TRANSPORT) == -1)
			return 0;
	}

	if (c[PF_TITLE].len == 0)
		return reject(r, "missing_title", "missing title");
	if (!make_id(cf, m, rec, &c[PF_ID], a, r))
		return 0;
	if (!make_coords(cf, &c[PF_LAT], &c[PF_LNG], &c[PF_COORDS], p->lat,
	    p->lng, &p->have_coords, r))
		return 0;
	if (c[PF_ARRIVAL].len > 0 && pn_duration(c[PF_ARRIVAL].s,
	    c[PF_ARRIVAL].len, &p->arrival) == -1)
		return reject(r, "bad_duration", "bad arrival duration "
		    "\"%.*s\"", quote_len(c[PF_ARRIVAL].s, c[PF_ARRIVAL].len),
		    c[PF_ARRIVAL].s);
	if (c[PF_DEPARTURE].len > 0 && pn_duration(c[PF_DEPARTURE].s,
	    c[PF_DEPARTURE].len, &p->departure) == -1)
		return reject(r, "bad_duration", "bad departure duration "
		    "\"%.*s\"", quote_len(c[PF_DEPARTURE].s,
		    c[PF_DEPARTURE].len), c[PF_DEPARTURE].s);
	p->have_arrival = c[PF_ARRIVAL].len > 0;
	p->have_departure = c[PF_DEPARTURE].len > 0;

	p->id = r->id;
	p->id_len = r->id_len;
	p->title = c[PF_TITLE].s;
	p->title_len = c[PF_TITLE].len;
	p->contractor = c[PF_CONTRACTOR].s;
	p->contractor_len = c[PF_CONTRACTOR].len;
	p->comment = c[PF_COMMENT].s;
	p->comment_len = c[PF_COMMENT].len;
	if ((c[PF_TAGS].len > 0 || c[PF_TAGS].raw != NULL) &&
	    !make_list(cf, m->col[PF_TAGS], &c[PF_TAGS], a, &p->tags, r))
		return 0;
	p->address = c[PF_ADDRESS].s;
	p->address_len = c[PF_ADDRESS].len;
	if (c[PF_ADDRESS].len > 0 && c[PF_LOCALE].len > 0) {
		p->locale = c[PF_LOCALE].s;
		p->locale_len = c[PF_LOCALE].len;
	} else if (c[PF_ADDRESS].len > 0 && cf->locale != NULL) {
		p->locale = cf->locale;
		p->locale_len = strlen(cf->locale);
	}
	if ((c[PF_TRANSPORT].len > 0 || c[PF_TRANSPORT].raw != NULL) &&
	    !make_list(cf, m->col[PF_TRANSPORT], &c[PF_TRANSPORT], a,
	    &p->transport, r))
		return 0;

	if (cf->keep_extra) {
		struct cell xc;

		for (i = 0; i < rec->nfields; i++) {
			if (is_mapped_column(m, rec, i))
				continue;
			if (get_cell(m, rec, rec->fields[i].name, (long)i, a,
			    &xc, r, 0) == -1)
				return 0;
			if (xc.len == 0)
				continue;
			if (p->extra == NULL)
				p->extra = arena_alloc(a, rec->nfields *
				    sizeof(*p->extra));
			p->extra[p->nextra].name = rec->fields[i].name;
			p->extra[p->nextra].name_len = rec->fields[i].name_len;
			p->extra[p->nextra].value = pn_str_value(a, xc.s, xc.len);
			p->nextra++;
		}
	}
	return 1;
}

int
place_normalize(const struct pn_config *cf, const struct pn_map *m,
    const struct record *rec, struct arena *a, struct pn_result *r)
{
	if (!pn_normalize_parts(cf, m, rec, a, r))
		return 0;
	r->place = pn_place_value(&r->parts, a);
	return 1;
}

/*
 * against.c: existing places held by id, and the comparison that turns a
 * normalized input into a change set for the delivery-planning API.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/listing.h"
#include "common/source.h"
#include "tools/place-normalize/against.h"
#include "common/strmap.h"

const char *const pn_op_names[PN_NOPS] = {
	"create", "update", "unchanged", "delete"
};

struct existing {
	struct json_value	 place;
	const char		*id;
	size_t			 idlen;
	int			 seen;
};

struct against {
	struct existing		*v;
	size_t			 n, alloc;
	struct strmap		 ids;
	struct arena		 mem;	/* the places, kept for the run */
	int			 precision;
};

static void
add_existing(struct against *ag, struct listing *ls,
    const struct json_value *place, const char *file, unsigned long line)
{
	const struct json_value *idv;
	struct strmap_slot *slot;
	struct existing *e;
	const char *id;
	size_t idlen;
	int found;

	if (place->type != JSON_OBJECT)
		data_error(file, line, "existing place is not a JSON object");
	idv = json_object_get(place, "id");
	if (idv == NULL || !json_value_text(idv, &id, &idlen) || idlen == 0)
		data_error(file, line, "existing place without an id");
	/* Two copies of one id: pages that overlap, a listing that moved. */
	if (listing_item(ls, file, line, id, idlen) == -1)
		data_error(file, line, "%s", listing_error(ls));
	slot = strmap_put(&ag->ids, id, idlen, ag->n, &found);
	ag->v = xgrow(ag->v, &ag->alloc, ag->n + 1, sizeof(*ag->v));
	e = &ag->v[ag->n++];
	e->place = json_value_copy(&ag->mem, place);
	e->id = slot->key;
	e->idlen = slot->len;
	e->seen = 0;
}

/*
 * The end of a document: a listing page's envelope ({"total":N}, its
 * places already read), a whole NDJSON place, or an API error body.
 */
static void
doc_end(struct against *ag, struct listing *ls, struct source *src,
    const struct json_value *v, const char *name, unsigned long line,
    unsigned long items, int *kinds)
{
	struct strbuf msg = STRBUF_INIT;
	unsigned long long total;
	int rc;

	if (v->type == JSON_OBJECT && listing_api_error(v, &msg))
		data_error(name, line, "not a listing: %s", msg.buf);
	strbuf_release(&msg);
	if (items == 0 && !source_in_found(src) && v->type == JSON_OBJECT &&
	    (json_object_get(v, "id") != NULL ||
	    json_object_get(v, "title") != NULL)) {
		*kinds |= 1;
		add_existing(ag, ls, v, name, line);
	} else if (v->type == JSON_OBJECT && (items > 0 ||
	    source_in_found(src) || json_object_get(v, "total") != NULL)) {
		*kinds |= 2;
		rc = listing_total(json_object_get(v, "total"), &total);
		if (rc == 0)
			data_error(name, line, "listing page without a "
			    "\"total\": cannot tell whether a page is "
			    "missing");
		if (rc == -1)
			data_error(name, line, "listing \"total\" is not a "
			    "count");
		if (listing_page(ls, name, line, total) == -1)
			data_error(name, line, "%s", listing_error(ls));
	} else
		data_error(name, line, "neither a listing {\"result\":[...],"
		    "\"total\":N} nor a place");
	if (*kinds == 3)
		data_error(name, line, "listing pages and NDJSON places mixed: "
		    "give --against one kind");
}

struct against *
against_load(char *const *files, size_t n, const struct common_opts *co,
    int precision)
{
	struct common_opts jco = *co;
	struct listing ls;
	struct against *ag;
	struct source *src;
	struct arena a = ARENA_INIT;
	struct json_value v;
	const char *name;
	unsigned long line, items = 0, docs;
	size_t i;
	int rc, kinds = 0;

	ag = xcalloc(1, sizeof(*ag));
	ag->precision = precision;
	/*
	 * Listings are the API's JSON, whatever --from and --encoding say
	 * about the data.
	 */
	jco.from = FORMAT_JSON;
	jco.encoding = NULL;
	listing_init(&ls, "place");
	for (i = 0; i < n; i++) {
		src = source_open(files[i], &jco);
		name = source_name(src);
		items = docs = 0;
		for (;;) {
			arena_reset(&a);
			rc = source_next_in(src, "result", &a, &v);
			if (rc == 0)
				break;
			if (rc == -1)
				source_die(src);
			line = source_line(src);
			if (rc == JSON_READER_ITEM) {
				add_existing(ag, &ls, &v, name, line);
				items++;
				continue;
			}
			doc_end(ag, &ls, src, &v, name, line, items, &kinds);
			items = 0;
			docs++;
		}
		/* A failed download leaves an empty file, never "no places". */
		if (docs == 0)
			die("%s: empty file: not a listing (a failed "
			    "download?)", name);
		source_close(src);
	}
	if (listing_finish(&ls) == -1)
		die("--against: %s", listing_error(&ls));
	listing_release(&ls);
	arena_release(&a);
	return ag;
}

int
against_protect(struct against *ag, const char *id, size_t idlen)
{
	struct strmap_slot *slot;

	if ((slot = strmap_get(&ag->ids, id, idlen)) == NULL)
		return 0;
	ag->v[slot->val].seen = 1;
	return 1;
}

/* ==== comparing ==== */

/* Server-owned members that are never a change. */
static int
server_owned(const char *name)
{
	return strcmp(name, "createdAt") == 0 ||
	    strcmp(name, "updatedAt") == 0;
}

/*
 * The same JSON.  Scalars compare as text, whatever their JSON type (IDs
 * are text: contractorId 5 is "5"), except the numbers of coordinates,
 * which compare by value at the coordinate precision (55.6927890 is
 * 55.692789).  Objects compare by member name.
 */
static int
same(const struct json_value *a, const struct json_value *b, int prec)
{
	char ab[64], bb[64];
	const char *as, *bs;
	size_t i, j, al, bl;
	double d;

	if (json_value_text(a, &as, &al) && json_value_text(b, &bs, &bl)) {
		if (prec >= 0 && a->type == JSON_NUMBER &&
		    b->type == JSON_NUMBER &&
		    pn_decimal(as, al, prec, ab, &d) == 0 &&
		    pn_decimal(bs, bl, prec, bb, &d) == 0)
			return strcmp(ab, bb) == 0;
		return al == bl && memcmp(as, bs, al) == 0;
	}
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case JSON_ARRAY:
		if (a->len != b->len)
			return 0;
		for (i = 0; i < a->len; i++)
			if (!same(&a->u.items[i], &b->u.items[i], prec))
				return 0;
		return 1;
	case JSON_OBJECT:
		if (a->len != b->len)
			return 0;
		for (i = 0; i < a->len; i++) {
			for (j = 0; j < b->len; j++)
				if (strcmp(a->u.members[i].name,
				    b->u.members[j].name) == 0)
					break;
			if (j == b->len || !same(&a->u.members[i].value,
			    &b->u.members[j].value, prec))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* Absent and null, "" and [] all mean "no value" for the API. */
static const struct json_value *
present(const struct json_value *v)
{
	if (v == NULL || v->type == JSON_NULL)
		return NULL;
	if ((v->type == JSON_STRING || v->type == JSON_ARRAY) && v->len == 0)
		return NULL;
	return v;
}

static void
compare(const struct json_value *mine, const struct json_value *theirs,
    const char *path, int prec, struct strbuf *changed, int *nchanged)
{
	const struct json_value *a, *b;

	a = present(json_value_at(mine, path));
	b = present(json_value_at(theirs, path));
	if (a == NULL && b == NULL)
		return;
	/* Only coordinates are numbers by value: prec -1 elsewhere. */
	if (strcmp(path, "location.coordinates") != 0)
		prec = -1;
	if (a != NULL && b != NULL && same(a, b, prec))
		return;
	if ((*nchanged)++ > 0)
		strbuf_addch(changed, ',');
	json_write_string(changed, path, strlen(path));
}

enum pn_op
against_diff(struct against *ag, unsigned given,
    const struct json_value *place, const char *id, size_t idlen,
    struct strbuf *changed)
{
	static const struct {
		const char	*path;
		int		 f1, f2;	/* fields that feed it */
	} paths[] = {
		{ "title", PF_TITLE, -1 },
		{ "contractorId", PF_CONTRACTOR, -1 },
		{ "comment", PF_COMMENT, -1 },
		{ "tags", PF_TAGS, -1 },
		{ "location.coordinates", PF_LAT, PF_COORDS },
		{ "location.addresses", PF_ADDRESS, -1 },
		{ "location.arrivalDuration", PF_ARRIVAL, -1 },
		{ "location.departureDuration", PF_DEPARTURE, -1 },
		{ "location.transportRestrictions", PF_TRANSPORT, -1 },
	};
	struct strmap_slot *slot;
	struct existing *e;
	size_t i;
	int n = 0;

	if (id == NULL || (slot = strmap_get(&ag->ids, id, idlen)) == NULL)
		return PN_OP_CREATE;
	e = &ag->v[slot->val];
	e->seen = 1;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		/*
		 * A field the row does not give (no such column, a member
		 * absent from a JSON record) is left as it is.
		 */
		if (!(given & 1U << paths[i].f1) && (paths[i].f2 < 0 ||
		    !(given & 1U << paths[i].f2)))
			continue;
		if (server_owned(paths[i].path))
			continue;
		compare(place, &e->place, paths[i].path, ag->precision,
		    changed, &n);
	}
	return n > 0 ? PN_OP_UPDATE : PN_OP_UNCHANGED;
}

const struct json_value *
against_next_unseen(struct against *ag, size_t *iter, const char **id,
    size_t *idlen)
{
	struct existing *e;

	while (*iter < ag->n) {
		e = &ag->v[(*iter)++];
		if (e->seen)
			continue;
		*id = e->id;
		*idlen = e->idlen;
		return &e->place;
	}
	return NULL;
}

void
against_free(struct against *ag)
{
	if (ag == NULL)
		return;
	free(ag->v);
	strmap_release(&ag->ids);
	arena_release(&ag->mem);
	free(ag);
}

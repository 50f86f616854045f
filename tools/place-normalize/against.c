/*
 * against.c: existing places held by id, and the comparison that turns a
 * normalized input into a change set for the delivery-planning API.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/input.h"
#include "common/json.h"
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
add_existing(struct against *ag, const struct json_value *place,
    const char *file, unsigned long line)
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
	slot = strmap_put(&ag->ids, id, idlen, ag->n, &found);
	if (found) {
		/* A listing taken while it changed: the later copy wins. */
		data_warn(file, line, "existing id %.*s listed twice, the "
		    "later one is used", (int)idlen, id);
		e = &ag->v[slot->val];
	} else {
		ag->v = xgrow(ag->v, &ag->alloc, ag->n + 1, sizeof(*ag->v));
		e = &ag->v[ag->n++];
	}
	e->place = json_value_copy(&ag->mem, place);
	e->id = slot->key;
	e->idlen = slot->len;
	e->seen = 0;
}

struct against *
against_load(char *const *files, size_t n, const struct common_opts *co,
    int precision)
{
	struct input_opts io = INPUT_OPTS_DEFAULT;
	struct json_opts jo = JSON_OPTS_DEFAULT;
	struct against *ag;
	struct json_reader *jr;
	struct input *in;
	struct arena a = ARENA_INIT;
	struct json_value v;
	const char *err = NULL, *name;
	unsigned long line, items = 0;
	size_t i;
	int rc;

	ag = xcalloc(1, sizeof(*ag));
	ag->precision = precision;
	jo.max_depth = co->max_depth;
	jo.max_value = co->max_record;
	for (i = 0; i < n; i++) {
		if ((in = input_open(files[i], &io, &err)) == NULL)
			die("%s: %s", files[i], err != NULL ? err :
			    "cannot open");
		name = input_name(in);
		jr = json_reader_new(in, &jo);
		items = 0;
		for (;;) {
			arena_reset(&a);
			rc = json_reader_next_in(jr, "result", &a, &v);
			if (rc == 0)
				break;
			line = json_reader_line(jr);
			if (rc == -1)
				json_reader_die(jr, name);
			if (rc == JSON_READER_ITEM) {
				add_existing(ag, &v, name, line);
				items++;
				continue;
			}
			/*
			 * The end of a document: a listing's envelope
			 * ({"total":N}), or a whole NDJSON place.
			 */
			if (v.type == JSON_OBJECT &&
			    (json_object_get(&v, "id") != NULL ||
			    json_object_get(&v, "title") != NULL))
				add_existing(ag, &v, name, line);
			else if (v.type != JSON_OBJECT || (items == 0 &&
			    json_object_get(&v, "total") == NULL))
				data_error(name, line, "neither a listing "
				    "{\"result\":[...]} nor a place");
			items = 0;
		}
		json_reader_free(jr);
		if (input_close(in) == -1)
			die_errno("%s", name);
	}
	arena_release(&a);
	return ag;
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
 * The same JSON, with numbers compared by value at the coordinate
 * precision (55.6927890 is 55.692789) and objects by member name.
 */
static int
same(const struct json_value *a, const struct json_value *b, int prec)
{
	char ab[64], bb[64];
	double d;
	size_t i, j;

	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case JSON_NUMBER:
		if (pn_decimal(a->u.str, a->len, prec, ab, &d) == -1 ||
		    pn_decimal(b->u.str, b->len, prec, bb, &d) == -1)
			return a->len == b->len &&
			    memcmp(a->u.str, b->u.str, a->len) == 0;
		return strcmp(ab, bb) == 0;
	case JSON_STRING:
		return a->len == b->len && memcmp(a->u.str, b->u.str,
		    a->len) == 0;
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
	if (a != NULL && b != NULL && same(a, b, prec))
		return;
	if ((*nchanged)++ > 0)
		strbuf_addch(changed, ',');
	json_write_string(changed, path, strlen(path));
}

enum pn_op
against_diff(struct against *ag, const struct pn_map *m,
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
		/* A field the input does not carry is left as it is. */
		if (m->col[paths[i].f1] == NULL && (paths[i].f2 < 0 ||
		    m->col[paths[i].f2] == NULL))
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

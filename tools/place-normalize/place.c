/*
 * place.c: a normalized place from its parts (struct pn_place), as a JSON
 * value for the writers that need one (--against, --dedupe last, CSV),
 * or straight as JSON text, the common case, without making that value.
 * The two must agree byte for byte: tests/unit/test_normalize.c checks.
 */
#include <stdint.h>
#include <string.h>

#include "common/decimal.h"
#include "common/json_writer.h"
#include "tools/place-normalize/normalize.h"

/* ==== the value ==== */

/* Members of an object under construction. */
struct obj {
	struct json_member	m[16];
	size_t			n;
};

static void
obj_add(struct obj *o, const char *name, struct json_value v)
{
	o->m[o->n].name = name;
	o->m[o->n].name_len = strlen(name);
	o->m[o->n].value = v;
	o->n++;
}

static struct json_value
obj_done(struct obj *o, struct arena *a)
{
	struct json_value v;

	v.type = JSON_OBJECT;
	v.len = o->n;
	v.u.members = arena_alloc(a, (o->n ? o->n : 1) * sizeof(o->m[0]));
	memcpy(v.u.members, o->m, o->n * sizeof(o->m[0]));
	return v;
}

/* n in decimal at buf (room for a sign and DECIMAL_U64_MAX digits). */
static size_t
int_text(char *buf, int64_t n)
{
	char *p = buf;

	if (n < 0)
		*p++ = '-';
	return (size_t)(decimal_u64(p, n < 0 ? 0 - (uint64_t)n : (uint64_t)n) -
	    buf);
}

static struct json_value
int_value(struct arena *a, int64_t n)
{
	char buf[DECIMAL_U64_MAX + 1];

	return json_make_number(a, buf, int_text(buf, n));
}

struct json_value
pn_str_value(struct arena *a, const char *s, size_t len)
{
	struct json_value v;

	/*
	 * Cleaned text is a record's string (NUL-terminated) or our own
	 * copy: no need to copy it again.
	 */
	if (s[len] == '\0') {
		v.type = JSON_STRING;
		v.len = len;
		v.u.str = s;
		return v;
	}
	return json_make_string(a, s, len);
}

struct json_value
pn_place_value(const struct pn_place *p, struct arena *a)
{
	struct obj place, loc, coords, addr;
	struct json_value v;

	place.n = loc.n = coords.n = addr.n = 0;
	if (p->id != NULL)
		obj_add(&place, "id", json_make_string(a, p->id, p->id_len));
	obj_add(&place, "title", pn_str_value(a, p->title, p->title_len));
	if (p->contractor_len > 0)
		obj_add(&place, "contractorId", pn_str_value(a, p->contractor,
		    p->contractor_len));
	if (p->comment_len > 0)
		obj_add(&place, "comment", pn_str_value(a, p->comment,
		    p->comment_len));
	if (p->tags.len > 0)
		obj_add(&place, "tags", p->tags);

	if (p->have_coords) {
		obj_add(&coords, "lat", json_make_number(a, p->lat,
		    strlen(p->lat)));
		obj_add(&coords, "lng", json_make_number(a, p->lng,
		    strlen(p->lng)));
		obj_add(&loc, "coordinates", obj_done(&coords, a));
	}
	if (p->address_len > 0) {
		if (p->locale != NULL)
			obj_add(&addr, "locale", pn_str_value(a, p->locale,
			    p->locale_len));
		obj_add(&addr, "address", pn_str_value(a, p->address,
		    p->address_len));
		v.type = JSON_ARRAY;
		v.len = 1;
		v.u.items = arena_alloc(a, sizeof(*v.u.items));
		v.u.items[0] = obj_done(&addr, a);
		obj_add(&loc, "addresses", v);
	}
	if (p->have_arrival)
		obj_add(&loc, "arrivalDuration", int_value(a, p->arrival));
	if (p->have_departure)
		obj_add(&loc, "departureDuration", int_value(a, p->departure));
	if (p->transport.len > 0)
		obj_add(&loc, "transportRestrictions", p->transport);
	if (loc.n > 0)
		obj_add(&place, "location", obj_done(&loc, a));
	if (p->nextra > 0) {
		v.type = JSON_OBJECT;
		v.len = p->nextra;
		v.u.members = p->extra;
		obj_add(&place, "extra", v);
	}
	return obj_done(&place, a);
}

/* ==== the text ==== */

/* Make room for n more bytes (and the NUL) without a call when it fits. */
static inline void
put(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->alloc - sb->len <= n)
		strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/* A member name or punctuation: a literal, so never escaped. */
#define PUT(sb, lit)	put((sb), (lit), sizeof(lit) - 1)

static void
put_list(struct strbuf *sb, const struct json_value *list)
{
	size_t i;

	for (i = 0; i < list->len; i++) {
		strbuf_addch(sb, i == 0 ? '[' : ',');
		json_write_string(sb, list->u.items[i].u.str,
		    list->u.items[i].len);
	}
	strbuf_addch(sb, ']');
}

static void
put_int(struct strbuf *sb, int64_t n)
{
	char buf[DECIMAL_U64_MAX + 1];

	put(sb, buf, int_text(buf, n));
}

void
pn_place_write(struct strbuf *sb, const struct pn_place *p)
{
	int loc = 0;

	if (p->id != NULL) {
		PUT(sb, "{\"id\":");
		json_write_string(sb, p->id, p->id_len);
		PUT(sb, ",\"title\":");
	} else
		PUT(sb, "{\"title\":");
	json_write_string(sb, p->title, p->title_len);
	if (p->contractor_len > 0) {
		PUT(sb, ",\"contractorId\":");
		json_write_string(sb, p->contractor, p->contractor_len);
	}
	if (p->comment_len > 0) {
		PUT(sb, ",\"comment\":");
		json_write_string(sb, p->comment, p->comment_len);
	}
	if (p->tags.len > 0) {
		PUT(sb, ",\"tags\":");
		put_list(sb, &p->tags);
	}

	/* "location", when it has a member: ',' before each but its first. */
	if (p->have_coords) {
		PUT(sb, ",\"location\":{\"coordinates\":{\"lat\":");
		put(sb, p->lat, strlen(p->lat));
		PUT(sb, ",\"lng\":");
		put(sb, p->lng, strlen(p->lng));
		strbuf_addch(sb, '}');
		loc = 1;
	}
	if (p->address_len > 0) {
		if (loc)
			PUT(sb, ",\"addresses\":[{");
		else
			PUT(sb, ",\"location\":{\"addresses\":[{");
		loc = 1;
		if (p->locale != NULL) {
			PUT(sb, "\"locale\":");
			json_write_string(sb, p->locale, p->locale_len);
			strbuf_addch(sb, ',');
		}
		PUT(sb, "\"address\":");
		json_write_string(sb, p->address, p->address_len);
		PUT(sb, "}]");
	}
	if (p->have_arrival) {
		if (loc)
			PUT(sb, ",\"arrivalDuration\":");
		else
			PUT(sb, ",\"location\":{\"arrivalDuration\":");
		loc = 1;
		put_int(sb, p->arrival);
	}
	if (p->have_departure) {
		if (loc)
			PUT(sb, ",\"departureDuration\":");
		else
			PUT(sb, ",\"location\":{\"departureDuration\":");
		loc = 1;
		put_int(sb, p->departure);
	}
	if (p->transport.len > 0) {
		if (loc)
			PUT(sb, ",\"transportRestrictions\":");
		else
			PUT(sb, ",\"location\":{\"transportRestrictions\":");
		loc = 1;
		put_list(sb, &p->transport);
	}
	if (loc)
		strbuf_addch(sb, '}');
	if (p->nextra > 0) {
		struct json_value v;

		v.type = JSON_OBJECT;
		v.len = p->nextra;
		v.u.members = p->extra;
		PUT(sb, ",\"extra\":");
		json_write_value(sb, &v);
	}
	strbuf_addch(sb, '}');
}

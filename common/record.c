/*
 * record.c: ordered fields and JSON value helpers shared by all readers and
 * writers.  Lookups are linear: records have tens of fields, not thousands.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/record.h"

void
record_init(struct record *rec)
{
	struct record empty = RECORD_INIT;

	*rec = empty;
}

void
record_reset(struct record *rec)
{
	rec->nfields = 0;
	rec->line = 0;
	rec->problem = NULL;
	rec->problem_code = NULL;
	arena_reset(&rec->arena);
}

void
record_release(struct record *rec)
{
	free(rec->fields);
	arena_release(&rec->arena);
	record_init(rec);
}

struct json_value *
record_add(struct record *rec, const char *name, size_t name_len)
{
	struct json_member *m;

	if (rec->nfields == rec->alloc)
		rec->fields = xgrow(rec->fields, &rec->alloc, rec->nfields + 1,
		    sizeof(*rec->fields));
	m = &rec->fields[rec->nfields++];
	m->name = name;
	m->name_len = name_len;
	m->value.type = JSON_NULL;
	m->value.len = 0;
	m->value.u.str = NULL;
	return &m->value;
}

void
record_add_str(struct record *rec, const char *name, const char *s, size_t len)
{
	struct json_value *v = record_add(rec, name, strlen(name));

	*v = json_make_string(&rec->arena, s, len);
}

void
record_add_value(struct record *rec, const char *name,
    const struct json_value *v)
{
	*record_add(rec, name, strlen(name)) = *v;
}

void
record_set_value(struct record *rec, const char *name,
    const struct json_value *v)
{
	size_t i, n = strlen(name);

	for (i = 0; i < rec->nfields; i++) {
		if (rec->fields[i].name_len == n &&
		    memcmp(rec->fields[i].name, name, n) == 0) {
			rec->fields[i].value = *v;
			return;
		}
	}
	*record_add(rec, name, n) = *v;
}

const struct json_value *
record_get(const struct record *rec, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < rec->nfields; i++)
		if (rec->fields[i].name_len == n &&
		    memcmp(rec->fields[i].name, name, n) == 0)
			return &rec->fields[i].value;
	return NULL;
}

struct json_value
record_as_value(const struct record *rec)
{
	struct json_value v;

	v.type = JSON_OBJECT;
	v.len = rec->nfields;
	v.u.members = rec->fields;
	return v;
}

int
record_from_value(struct record *rec, const struct json_value *v)
{
	size_t i;

	if (v->type != JSON_OBJECT)
		return -1;
	rec->nfields = 0;
	for (i = 0; i < v->len; i++)
		*record_add(rec, v->u.members[i].name,
		    v->u.members[i].name_len) = v->u.members[i].value;
	return 0;
}

/* ==== JSON values ==== */

const struct json_value *
json_value_at(const struct json_value *v, const char *path)
{
	const char *dot;

	while (v != NULL) {
		dot = strchr(path, '.');
		if (dot == NULL)
			return json_object_get_n(v, path, strlen(path));
		v = json_object_get_n(v, path, (size_t)(dot - path));
		path = dot + 1;
	}
	return NULL;
}

int
json_value_text(const struct json_value *v, const char **s, size_t *len)
{
	switch (v->type) {
	case JSON_STRING:
	case JSON_NUMBER:
		*s = v->u.str;
		*len = v->len;
		return 1;
	case JSON_TRUE:
		*s = "true";
		*len = 4;
		return 1;
	case JSON_FALSE:
		*s = "false";
		*len = 5;
		return 1;
	default:
		return 0;
	}
}

struct json_value
json_make_string(struct arena *a, const char *s, size_t len)
{
	struct json_value v;

	v.type = JSON_STRING;
	v.len = len;
	v.u.str = arena_strndup(a, s, len);
	return v;
}

struct json_value
json_make_number(struct arena *a, const char *text, size_t len)
{
	struct json_value v = json_make_string(a, text, len);

	v.type = JSON_NUMBER;
	return v;
}

struct json_value
json_make_null(void)
{
	struct json_value v;

	v.type = JSON_NULL;
	v.len = 0;
	v.u.str = NULL;
	return v;
}

struct json_value
json_make_bool(int b)
{
	struct json_value v = json_make_null();

	v.type = b ? JSON_TRUE : JSON_FALSE;
	return v;
}

/*
 * Deep copies and comparisons walk an explicit stack, not the C stack:
 * --max-depth allows a million levels, far past what recursion survives
 * (json_value_copy() overflowed the stack at about 60,000).
 */
struct walk {
	const struct json_value	*a;
	struct json_value	*dst;	/* copy: where a's copy goes */
	const struct json_value	*b;	/* equal: what a is compared with */
};

struct walk_stack {
	struct walk	 local[32];
	struct walk	*w;
	size_t		 n, alloc;
};

static void
walk_init(struct walk_stack *s)
{
	s->w = s->local;
	s->n = 0;
	s->alloc = sizeof(s->local) / sizeof(s->local[0]);
}

static void
walk_push(struct walk_stack *s, const struct json_value *a,
    struct json_value *dst, const struct json_value *b)
{
	if (s->n == s->alloc) {
		if (s->w == s->local) {
			s->w = xmalloc(2 * s->alloc * sizeof(*s->w));
			memcpy(s->w, s->local, sizeof(s->local));
			s->alloc *= 2;
		} else
			s->w = xgrow(s->w, &s->alloc, s->n + 1,
			    sizeof(*s->w));
	}
	s->w[s->n].a = a;
	s->w[s->n].dst = dst;
	s->w[s->n].b = b;
	s->n++;
}

static void
walk_release(struct walk_stack *s)
{
	if (s->w != s->local)
		free(s->w);
}

struct json_value
json_value_copy(struct arena *a, const struct json_value *v)
{
	struct json_value c = *v, *d;
	const struct json_value *src;
	struct walk_stack s;
	size_t i;

	walk_init(&s);
	walk_push(&s, v, &c, NULL);
	while (s.n > 0) {
		s.n--;
		src = s.w[s.n].a;
		d = s.w[s.n].dst;
		*d = *src;
		switch (src->type) {
		case JSON_STRING:
		case JSON_NUMBER:
			d->u.str = arena_strndup(a, src->u.str, src->len);
			break;
		case JSON_ARRAY:
			d->u.items = arena_alloc(a,
			    src->len * sizeof(*d->u.items) + 1);
			for (i = src->len; i-- > 0;)
				walk_push(&s, &src->u.items[i],
				    &d->u.items[i], NULL);
			break;
		case JSON_OBJECT:
			d->u.members = arena_alloc(a,
			    src->len * sizeof(*d->u.members) + 1);
			for (i = src->len; i-- > 0;) {
				d->u.members[i].name = arena_strndup(a,
				    src->u.members[i].name,
				    src->u.members[i].name_len);
				d->u.members[i].name_len =
				    src->u.members[i].name_len;
				walk_push(&s, &src->u.members[i].value,
				    &d->u.members[i].value, NULL);
			}
			break;
		default:
			break;
		}
	}
	walk_release(&s);
	return c;
}

int
json_value_equal(const struct json_value *a, const struct json_value *b)
{
	struct walk_stack s;
	const struct json_value *x, *y, *vb;
	const struct json_member *m;
	size_t i;
	int same = 1;

	walk_init(&s);
	walk_push(&s, a, NULL, b);
	while (same && s.n > 0) {
		s.n--;
		x = s.w[s.n].a;
		y = s.w[s.n].b;
		if (x->type != y->type || x->len != y->len) {
			same = 0;
			break;
		}
		switch (x->type) {
		case JSON_STRING:
		case JSON_NUMBER:
			same = memcmp(x->u.str, y->u.str, x->len) == 0;
			break;
		case JSON_ARRAY:
			for (i = x->len; i-- > 0;)
				walk_push(&s, &x->u.items[i], NULL,
				    &y->u.items[i]);
			break;
		case JSON_OBJECT:
			for (i = x->len; same && i-- > 0;) {
				m = &x->u.members[i];
				vb = json_object_get_n(y, m->name, m->name_len);
				if (vb == NULL)
					same = 0;
				else
					walk_push(&s, &m->value, NULL, vb);
			}
			break;
		default:
			break;
		}
	}
	walk_release(&s);
	return same;
}

/*
 * shape.c: a resource's final form: sparse fieldsets (--fields), linkage
 * replaced by included resources (--resolve), and --flatten.
 */
#include <string.h>

#include "common/errors.h"
#include "jp.h"

void
shaper_init(struct shaper *sh, const struct jp_opts *o)
{
	memset(sh, 0, sizeof(*sh));
	sh->o = o;
	strbuf_init(&sh->key, 0);
}

void
shaper_reset(struct shaper *sh)
{
	arena_reset(&sh->tmp);
}

void
shaper_release(struct shaper *sh)
{
	strset_release(&sh->included);
	arena_release(&sh->inc_arena);
	arena_release(&sh->tmp);
	strbuf_release(&sh->key);
}

static const struct jp_fieldset *
fieldset_for(const struct jp_opts *o, const char *type)
{
	size_t i;

	for (i = 0; i < o->nfields; i++)
		if (strcmp(o->fields[i].type, type) == 0)
			return &o->fields[i];
	return NULL;
}

static int
in_list(const struct jp_fieldset *fs, const char *name)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->names[i], name) == 0)
			return 1;
	return 0;
}

/* obj with only the members fs names (sparse fieldsets). */
static struct json_value
only_fields(struct arena *a, const struct json_value *obj,
    const struct jp_fieldset *fs)
{
	struct json_value v = *obj;
	size_t i;

	if (obj->type != JSON_OBJECT)
		return v;
	v.u.members = arena_alloc(a, (obj->len + 1) * sizeof(*v.u.members));
	v.len = 0;
	for (i = 0; i < obj->len; i++)
		if (in_list(fs, obj->u.members[i].name))
			v.u.members[v.len++] = obj->u.members[i];
	return v;
}

/* The resource with --fields applied to its type, when given. */
static struct json_value
apply_fields(const struct jp_opts *o, struct arena *a,
    const struct json_value *res)
{
	const struct json_value *t = json_object_get(res, "type");
	const struct jp_fieldset *fs;
	struct json_value v = *res;
	struct json_member *m;
	size_t i;

	if (o->nfields == 0 || t == NULL || t->type != JSON_STRING ||
	    (fs = fieldset_for(o, t->u.str)) == NULL)
		return v;
	v.u.members = arena_alloc(a, res->len * sizeof(*v.u.members) + 1);
	v.len = 0;
	for (i = 0; i < res->len; i++) {
		m = &v.u.members[v.len];
		*m = res->u.members[i];
		if (strcmp(m->name, "attributes") == 0 ||
		    strcmp(m->name, "relationships") == 0) {
			m->value = only_fields(a, &res->u.members[i].value, fs);
			/* None kept: no member, as the spec's example shows. */
			if (m->value.type == JSON_OBJECT && m->value.len == 0 &&
			    res->u.members[i].value.len > 0)
				continue;
		}
		v.len++;
	}
	return v;
}

/* The included resource an identifier names, or NULL. */
static const struct json_value *
lookup_included(struct shaper *sh, const struct json_value *ident)
{
	long k;

	strbuf_reset(&sh->key);
	if (!jsonapi_key_append(&sh->key, ident))
		return NULL;
	k = strset_find(&sh->included, sh->key.buf, sh->key.len);
	return k < 0 ? NULL : sh->included.val[k];
}

/* An identifier replaced by its included resource where there is one. */
static struct json_value
resolve_ident(struct shaper *sh, const struct json_value *ident)
{
	const struct json_value *full;

	if (ident->type != JSON_OBJECT)
		return *ident;
	if ((full = lookup_included(sh, ident)) != NULL)
		return *full;
	sh->unresolved++;
	return *ident;
}

/* --resolve: each relationship's data replaced by included resources. */
static struct json_value
resolve(struct shaper *sh, struct arena *a, const struct json_value *res)
{
	const struct json_value *rels = json_object_get(res, "relationships");
	struct json_value v = *res, nr, *data;
	struct json_member *m, *rm;
	size_t i, j, k;

	if (rels == NULL || rels->type != JSON_OBJECT)
		return v;
	nr = *rels;
	nr.u.members = arena_alloc(a, rels->len * sizeof(*nr.u.members) + 1);
	for (i = 0; i < rels->len; i++) {
		rm = &nr.u.members[i];
		*rm = rels->u.members[i];
		if (rm->value.type != JSON_OBJECT)
			continue;
		/* A copy of the relationship object with data swapped. */
		m = arena_alloc(a, rm->value.len * sizeof(*m) + 1);
		memcpy(m, rm->value.u.members, rm->value.len * sizeof(*m));
		rm->value.u.members = m;
		for (j = 0; j < rm->value.len; j++) {
			if (strcmp(m[j].name, "data") != 0)
				continue;
			data = &m[j].value;
			if (data->type == JSON_OBJECT) {
				*data = resolve_ident(sh, data);
			} else if (data->type == JSON_ARRAY) {
				struct json_value *it = arena_alloc(a,
				    data->len * sizeof(*it) + 1);

				for (k = 0; k < data->len; k++)
					it[k] = resolve_ident(sh,
					    &data->u.items[k]);
				data->u.items = it;
			}
		}
	}
	v.u.members = arena_alloc(a, res->len * sizeof(*v.u.members) + 1);
	memcpy(v.u.members, res->u.members, res->len * sizeof(*v.u.members));
	for (i = 0; i < res->len; i++)
		if (strcmp(v.u.members[i].name, "relationships") == 0)
			v.u.members[i].value = nr;
	return v;
}

static struct json_value flatten(struct arena *a, const struct json_value *res,
	    int depth);

/*
 * A linkage value flattened: an identifier becomes its id; a resolved
 * (full) resource becomes its flattened self.
 */
static struct json_value
flatten_link(struct arena *a, const struct json_value *v, int depth)
{
	const struct json_value *id;

	if (v->type != JSON_OBJECT)
		return *v;
	if (depth == 0 && (json_object_get(v, "attributes") != NULL ||
	    json_object_get(v, "relationships") != NULL))
		return flatten(a, v, depth + 1);
	if ((id = json_object_get(v, "id")) != NULL)
		return *id;
	return json_make_null();
}

/* {"id","type", ...attributes, ...relationships as ids} */
static struct json_value
flatten(struct arena *a, const struct json_value *res, int depth)
{
	const struct json_value *id, *type, *attrs, *rels, *data;
	struct json_value v, arr;
	struct json_member *m;
	size_t n = 2, i, k;

	if (res->type != JSON_OBJECT)
		return *res;
	id = json_object_get(res, "id");
	type = json_object_get(res, "type");
	attrs = json_object_get(res, "attributes");
	rels = json_object_get(res, "relationships");
	if (attrs != NULL && attrs->type == JSON_OBJECT)
		n += attrs->len;
	if (rels != NULL && rels->type == JSON_OBJECT)
		n += rels->len;
	v.type = JSON_OBJECT;
	v.u.members = m = arena_alloc(a, n * sizeof(*m));
	v.len = 0;
	if (id != NULL) {
		m[v.len].name = "id";
		m[v.len].name_len = 2;
		m[v.len++].value = *id;
	}
	if (type != NULL) {
		m[v.len].name = "type";
		m[v.len].name_len = 4;
		m[v.len++].value = *type;
	}
	if (attrs != NULL && attrs->type == JSON_OBJECT) {
		memcpy(m + v.len, attrs->u.members, attrs->len * sizeof(*m));
		v.len += attrs->len;
	}
	if (rels == NULL || rels->type != JSON_OBJECT)
		return v;
	for (i = 0; i < rels->len; i++) {
		data = json_object_get(&rels->u.members[i].value, "data");
		if (data == NULL)
			continue;	/* links only: nothing to flatten */
		m[v.len].name = rels->u.members[i].name;
		m[v.len].name_len = rels->u.members[i].name_len;
		if (data->type == JSON_ARRAY) {
			arr.type = JSON_ARRAY;
			arr.len = data->len;
			arr.u.items = arena_alloc(a, data->len *
			    sizeof(*arr.u.items) + 1);
			for (k = 0; k < data->len; k++)
				arr.u.items[k] = flatten_link(a,
				    &data->u.items[k], depth);
			m[v.len++].value = arr;
		} else
			m[v.len++].value = flatten_link(a, data, depth);
	}
	return v;
}

static int
is_identity(const struct json_member *m)
{
	return (m->name_len == 2 && memcmp(m->name, "id", 2) == 0) ||
	    (m->name_len == 4 && memcmp(m->name, "type", 4) == 0);
}

const char *
shaper_flatten_clash(const struct json_value *res)
{
	const struct json_value *attrs = json_object_get(res, "attributes");
	const struct json_value *rels = json_object_get(res, "relationships");
	size_t i, k;

	if (attrs != NULL && attrs->type != JSON_OBJECT)
		attrs = NULL;
	if (rels != NULL && rels->type != JSON_OBJECT)
		rels = NULL;
	for (i = 0; attrs != NULL && i < attrs->len; i++)
		if (is_identity(&attrs->u.members[i]))
			return attrs->u.members[i].name;
	for (i = 0; rels != NULL && i < rels->len; i++) {
		const struct json_member *r = &rels->u.members[i];

		if (is_identity(r))
			return r->name;
		for (k = 0; attrs != NULL && k < attrs->len; k++)
			if (attrs->u.members[k].name_len == r->name_len &&
			    memcmp(attrs->u.members[k].name, r->name,
			    r->name_len) == 0)
				return r->name;
	}
	return NULL;
}

struct json_value
shaper_apply(struct shaper *sh, const struct json_value *res)
{
	struct arena *a = &sh->tmp;
	struct json_value v = apply_fields(sh->o, a, res);

	if (sh->o->resolve)
		v = resolve(sh, a, &v);
	if (sh->o->flatten)
		v = flatten(a, &v, 0);
	return v;
}

void
shaper_add_included(struct shaper *sh, const struct json_value *env)
{
	const struct json_value *inc = json_object_get(env, "included");
	struct json_value *copy;
	size_t i, k;
	int isnew;

	if (inc == NULL || inc->type != JSON_ARRAY)
		return;
	for (i = 0; i < inc->len; i++) {
		strbuf_reset(&sh->key);
		if (!jsonapi_key_append(&sh->key, &inc->u.items[i]))
			continue;
		k = strset_add(&sh->included, sh->key.buf, sh->key.len,
		    &isnew);
		if (!isnew)
			continue;
		copy = arena_alloc(&sh->inc_arena, sizeof(*copy));
		*copy = apply_fields(sh->o, &sh->tmp, &inc->u.items[i]);
		*copy = json_value_copy(&sh->inc_arena, copy);
		arena_reset(&sh->tmp);
		sh->included.val[k] = copy;
	}
}

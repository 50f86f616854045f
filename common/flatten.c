/*
 * flatten.c: a record's nested values as dotted columns for CSV/TSV
 * output, so that no cell holds JSON text (flatten.h says how).
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/flatten.h"
#include "common/strbuf.h"

static int
is_nested(const struct json_value *v)
{
	return v->type == JSON_OBJECT || v->type == JSON_ARRAY;
}

static void
put(struct flattener *fl, const char *name, size_t len,
    const struct json_value *v)
{
	struct json_member *m;

	fl->m = xgrow(fl->m, &fl->alloc, fl->n + 1, sizeof(*fl->m));
	m = &fl->m[fl->n++];
	m->name = arena_strndup(&fl->arena, name, len);
	m->name_len = len;
	m->value = *v;
}

/* Scalars joined with ';' in one string cell (null is empty). */
static void
put_joined(struct flattener *fl, struct strbuf *name,
    const struct json_value *v)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_value s;
	size_t i;

	for (i = 0; i < v->len; i++) {
		const struct json_value *it = &v->u.items[i];

		if (i > 0)
			strbuf_addch(&sb, ';');
		if (it->type == JSON_TRUE)
			strbuf_addstr(&sb, "true");
		else if (it->type == JSON_FALSE)
			strbuf_addstr(&sb, "false");
		else if (it->type != JSON_NULL)
			strbuf_add(&sb, it->u.str, it->len);
	}
	s = json_make_string(&fl->arena, sb.len ? sb.buf : "", sb.len);
	put(fl, name->buf, name->len, &s);
	strbuf_release(&sb);
}

/* A value that is one column (or none to descend into): put it, return 1. */
static int
leaf(struct flattener *fl, struct strbuf *name, const struct json_value *v)
{
	struct json_value empty;
	size_t i;

	if (!is_nested(v)) {
		put(fl, name->buf, name->len, v);
		return 1;
	}
	if (v->len == 0) {
		empty = json_make_null();
		put(fl, name->buf, name->len, &empty);
		return 1;
	}
	if (v->type == JSON_ARRAY) {
		for (i = 0; i < v->len; i++)
			if (is_nested(&v->u.items[i]))
				return 0;
		put_joined(fl, name, v);
		return 1;
	}
	return 0;
}

/*
 * Depth first over an explicit stack, not recursion: --max-depth may allow
 * a million levels, far past what the C stack holds.
 */
struct frame {
	const struct json_value	*v;
	size_t			 i;	/* the next child */
	size_t			 keep;	/* name's length at v */
};

static void
walk(struct flattener *fl, struct strbuf *name, const struct json_value *v)
{
	struct frame *st = NULL, *top;
	size_t n = 0, alloc = 0;
	const struct json_value *c;

	if (leaf(fl, name, v))
		return;
	st = xgrow(st, &alloc, 1, sizeof(*st));
	st[n++] = (struct frame){ v, 0, name->len };
	while (n > 0) {
		top = &st[n - 1];
		strbuf_setlen(name, top->keep);
		if (top->i == top->v->len) {
			n--;
			continue;
		}
		strbuf_addch(name, '.');
		if (top->v->type == JSON_OBJECT) {
			strbuf_add(name, top->v->u.members[top->i].name,
			    top->v->u.members[top->i].name_len);
			c = &top->v->u.members[top->i].value;
		} else {
			strbuf_addf(name, "%zu", top->i);
			c = &top->v->u.items[top->i];
		}
		top->i++;
		if (!leaf(fl, name, c)) {
			st = xgrow(st, &alloc, n + 1, sizeof(*st));
			st[n++] = (struct frame){ c, 0, name->len };
		}
	}
	free(st);
}

int
flattener_run(struct flattener *fl, const struct json_member *f, size_t n,
    const struct json_member **out, size_t *nout)
{
	struct strbuf name = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		if (is_nested(&f[i].value))
			break;
	if (i == n)
		return 0;
	arena_reset(&fl->arena);
	fl->n = 0;
	for (i = 0; i < n; i++) {
		strbuf_reset(&name);
		strbuf_add(&name, f[i].name, f[i].name_len);
		walk(fl, &name, &f[i].value);
	}
	strbuf_release(&name);
	*out = fl->m;
	*nout = fl->n;
	return 1;
}

void
flattener_release(struct flattener *fl)
{
	arena_release(&fl->arena);
	free(fl->m);
	fl->m = NULL;
	fl->n = fl->alloc = 0;
}

/*
 * json_stream.c: the reader's streaming modes: the elements of top-level
 * arrays (next_item, next_record) and the array at a member path with its
 * envelope (next_in), without holding what surrounds them.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/input.h"
#include "common/json.h"
#include "common/json_int.h"

/* ==== top-level arrays ==== */

/*
 * At pos inside an unwrapped array (state ST_ARRAY or ST_ITEMS): the next
 * element into a (1), or 0 once the closing ']' is consumed, or -1.
 */
static int
array_next(struct json_reader *r, struct arena *a, size_t depth,
    struct json_value *out)
{
	int rc;

	if ((rc = jr_skip_ws(r)) < 0)
		return -1;
	if (rc == 0)
		goto truncated;
	if (r->data[r->pos] == ']') {
		r->pos++;
		return 0;
	}
	if (r->need_comma) {
		if (r->data[r->pos] != ',')
			return jr_unexpected(r, "',' or ']'");
		r->pos++;
		if ((rc = jr_skip_ws(r)) < 0)
			return -1;
		if (rc == 0)
			goto truncated;
		if (r->data[r->pos] == ']')
			return jr_fail_here(r, "%s",
			    "unexpected ']' after ','");
	}
	r->value_line = r->line;
	if (jr_read_value(r, a, depth, out) < 0)
		return -1;
	r->need_comma = 1;
	return 1;
truncated:
	jr_fail_at(r, r->base + r->pos, r->line, r->line_start,
	    "truncated document (unclosed '[' from line %lu)", r->array_line);
	return -1;
}

int
json_reader_next_item(struct json_reader *r, struct arena *a,
    struct json_value *out)
{
	int rc;

	if (r->failed)
		return -1;
	for (;;) {
		if (r->state == ST_ARRAY) {
			if ((rc = array_next(r, a, 1, out)) != 0)
				return rc;
			r->state = ST_TOP;
			continue;
		}
		if ((rc = jr_skip_ws(r)) <= 0)
			return rc;
		if (r->data[r->pos] != '[') {
			r->value_line = r->line;
			return jr_read_value(r, a, 0, out);
		}
		r->array_line = r->line;
		r->pos++;
		r->need_comma = 0;
		r->state = ST_ARRAY;
	}
}

int
json_reader_next_record(struct json_reader *r, struct record *rec)
{
	struct json_value v;
	int rc;

	record_reset(rec);
	if ((rc = json_reader_next_item(r, &rec->arena, &v)) != 1)
		return rc;
	rec->line = r->value_line;
	if (r->in != NULL)
		rec->file = input_name(r->in);
	if (record_from_value(rec, &v) < 0) {
		rec->problem = "not a JSON object";
		rec->problem_code = "not_object";
		/* Kept for --rejects, which writes records as read. */
		record_add_value(rec, "value", &v);
	}
	return 1;
}

/* ==== next_in(): streaming the array at a member path ==== */

static void
set_path(struct json_reader *r, const char *path)
{
	size_t n;
	char *s;

	if (r->path != NULL && strcmp(r->path, path) == 0)
		return;
	jr_free_path(r);
	r->path = xstrdup(path);
	for (n = 1, s = r->path; *s != '\0'; s++)
		n += *s == '.';
	r->comp = xmalloc(n * sizeof(*r->comp));
	for (s = r->path;;) {
		r->comp[r->ncomp++] = s;
		if ((s = strchr(s, '.')) == NULL)
			break;
		*s++ = '\0';
	}
	r->lv = xcalloc(n, sizeof(*r->lv));
}

static void
level_add(struct jlevel *l, const struct json_value *name,
    const struct json_value *v)
{
	struct json_member *m;

	if (l->n == l->alloc)
		l->m = xgrow(l->m, &l->alloc, l->n + 1, sizeof(*l->m));
	m = &l->m[l->n++];
	m->name = name->u.str;
	m->name_len = name->len;
	m->value = *v;
}

/* jr_skip_ws() inside object level l, where end of input is an error. */
static int
level_ws(struct json_reader *r, const struct jlevel *l)
{
	int rc = jr_skip_ws(r);

	if (rc == 0)
		jr_fail_at(r, r->base + r->pos, r->line, r->line_start,
		    "truncated document (unclosed '{' from line %lu)",
		    l->line);
	return rc > 0 ? 1 : -1;
}

static int
level_open(struct json_reader *r)
{
	struct jlevel *l;

	if (r->nlv + 1 > r->opts.max_depth)
		return jr_too_deep(r);
	l = &r->lv[r->nlv++];
	l->n = 0;
	l->line = r->line;
	l->need_comma = 0;
	r->pos++;
	return 0;
}

static int
repeated(struct json_reader *r, const struct json_value *key)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "member \"%.*s\" appears twice: its "
	    "items stream, so it must appear once", key->len > 64 ? 64 :
	    (int)key->len, key->u.str);
	return jr_fail_here(r, "%s", msg);
}

/* The next step inside the objects on the path: 0 to go on, else a result. */
static int
members_step(struct json_reader *r, struct arena *a, struct json_value *out)
{
	struct jlevel *l = &r->lv[r->nlv - 1];
	struct json_value key, v;
	const char *want;
	int match;

	if (level_ws(r, l) < 0)
		return -1;
	if (r->data[r->pos] == '}') {
		r->pos++;
		l->n = jr_dedupe_members(l->m, l->n);
		v.type = JSON_OBJECT;
		v.len = l->n;
		v.u.members = jr_empty;
		if (l->n > 0) {
			v.u.members = arena_alloc(&r->env,
			    l->n * sizeof(*l->m));
			memcpy(v.u.members, l->m, l->n * sizeof(*l->m));
		}
		if (--r->nlv == 0) {
			*out = v;
			r->state = ST_TOP;
			r->last_doc_end = 1;
			r->value_line = r->doc_line;
			return JSON_READER_DOC_END;
		}
		l = &r->lv[r->nlv - 1];
		l->m[l->n - 1].value = v;
		return 0;
	}
	if (l->need_comma) {
		if (r->data[r->pos] != ',')
			return jr_unexpected(r, "',' or '}'");
		r->pos++;
		if (level_ws(r, l) < 0)
			return -1;
	}
	if (r->data[r->pos] != '"')
		return jr_unexpected(r, "a member name");
	if (jr_read_value(r, &r->env, r->nlv, &key) < 0 || level_ws(r, l) < 0)
		return -1;
	if (r->data[r->pos] != ':')
		return jr_unexpected(r, "':'");
	r->pos++;
	if (level_ws(r, l) < 0)
		return -1;
	l->need_comma = 1;
	want = r->comp[r->nlv - 1];
	match = strlen(want) == key.len &&
	    memcmp(want, key.u.str, key.len) == 0;
	/*
	 * A repeat of a member on the path once its items were handed out:
	 * last-wins (DESIGN §3) would take them back.  Refused, not buffered:
	 * the path's array is streamed because it may be huge.
	 */
	if (match && r->found)
		return repeated(r, &key);
	if (match && r->nlv < r->ncomp && r->data[r->pos] == '{') {
		v = json_make_null();
		level_add(l, &key, &v);
		return level_open(r) < 0 ? -1 : 0;
	}
	if (match && r->nlv == r->ncomp) {
		r->found = 1;
		if (r->data[r->pos] == '[') {
			if (r->nlv + 1 > r->opts.max_depth)
				return jr_too_deep(r);
			r->array_line = r->line;
			r->pos++;
			r->need_comma = 0;
			r->state = ST_ITEMS;
			return 0;
		}
		if (r->data[r->pos] != 'n') {
			r->value_line = r->line;
			if (jr_read_value(r, a, r->nlv, out) < 0)
				return -1;
			return JSON_READER_ITEM;
		}
		/* null: no items, and the member stays in the envelope. */
	}
	if (jr_read_value(r, &r->env, r->nlv, &v) < 0)
		return -1;
	level_add(l, &key, &v);
	return 0;
}

int
json_reader_next_in(struct json_reader *r, const char *path,
    struct arena *a, struct json_value *out)
{
	int rc;

	if (r->failed)
		return -1;
	if (r->last_doc_end) {
		arena_reset(&r->env);
		r->last_doc_end = 0;
	}
	for (;;) {
		switch (r->state) {
		case ST_TOP:
			set_path(r, path);
			if ((rc = jr_skip_ws(r)) <= 0)
				return rc;
			r->found = 0;
			r->doc_line = r->line;
			if (r->data[r->pos] != '{') {
				r->value_line = r->line;
				if (jr_read_value(r, &r->env, 0, out) < 0)
					return -1;
				r->last_doc_end = 1;
				return JSON_READER_DOC_END;
			}
			r->nlv = 0;
			if (level_open(r) < 0)
				return -1;
			r->state = ST_MEMBERS;
			break;
		case ST_MEMBERS:
			if ((rc = members_step(r, a, out)) != 0)
				return rc;
			break;
		case ST_ITEMS:
			rc = array_next(r, a, r->nlv + 1, out);
			if (rc < 0)
				return -1;
			if (rc > 0)
				return JSON_READER_ITEM;
			r->state = ST_MEMBERS;
			break;
		default:
			/* next_item() left a top-level array open. */
			return jr_fail_here(r, "%s",
			    "json_reader_next_in() after next_item()");
		}
	}
}

/*
 * fieldpath.c: find a field's value in a record by name, dotted path or jq
 * expression.  Names and paths are walked directly on the record (exact and
 * cheap); only a jq expression converts the record to a jv.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>
#include <jv.h>

#include "common/errors.h"
#include "common/fieldpath.h"

enum fieldpath_kind {
	FIELDPATH_NAME,		/* "partner_id" */
	FIELDPATH_PATH,		/* "attributes.AccessKey" */
	FIELDPATH_JQ		/* ".attributes.Cars | length" */
};

struct fieldpath {
	enum fieldpath_kind	 kind;
	char			*spec;
	jq_state		*jq;
	struct strbuf		 jqerr;	/* what jq said while compiling */
};

/* jq reports compile errors through this; keep them for the caller. */
static void
collect_error(void *data, jv msg)
{
	struct strbuf *sb = data;
	const char *s;

	if (jv_get_kind(msg) == JV_KIND_STRING) {
		s = jv_string_value(msg);
		/* The first message is the useful one; the rest are counts. */
		if (sb->len == 0)
			strbuf_addstr(sb, s);
	} else if (sb->len == 0)
		strbuf_addstr(sb, "jq error");
	jv_free(msg);
}

struct fieldpath *
fieldpath_compile(const char *spec, struct strbuf *err)
{
	struct fieldpath *fp;
	size_t len;

	if (spec == NULL || *spec == '\0') {
		strbuf_addstr(err, "empty field name");
		return NULL;
	}
	fp = xcalloc(1, sizeof(*fp));
	fp->spec = xstrdup(spec);
	strbuf_init(&fp->jqerr, 0);
	if (spec[0] != '.') {
		fp->kind = strchr(spec, '.') != NULL ? FIELDPATH_PATH :
		    FIELDPATH_NAME;
		return fp;
	}
	fp->kind = FIELDPATH_JQ;
	fp->jq = jq_init();
	if (fp->jq == NULL) {
		strbuf_addstr(err, "cannot start jq");
		fieldpath_free(fp);
		return NULL;
	}
	jq_set_error_cb(fp->jq, collect_error, &fp->jqerr);
	if (!jq_compile(fp->jq, spec)) {
		/* "jq: error: syntax error, ...": drop jq's own prefix. */
		const char *m = fp->jqerr.buf;

		if (strncmp(m, "jq: error: ", 11) == 0)
			m += 11;
		len = strlen(m);
		while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ':'))
			len--;
		strbuf_addf(err, "bad jq expression '%s': %.*s", spec,
		    (int)len, len > 0 ? m : "compile error");
		fieldpath_free(fp);
		return NULL;
	}
	return fp;
}

/* ==== record <-> jv ==== */

/*
 * libjq builds, copies and frees values by recursion, and so do the two
 * conversions below: a record nested deeper than this (--max-depth may
 * allow a million levels) is an error for a jq expression, not a crash.
 */
#define JQ_DEPTH_MAX	10000

static jv
value_to_jv(const struct json_value *v, size_t depth)
{
	jv out;
	size_t i;

	if (depth > JQ_DEPTH_MAX)
		return jv_invalid_with_msg(jv_string("too deep"));
	switch (v->type) {
	case JSON_NULL:
		return jv_null();
	case JSON_FALSE:
		return jv_false();
	case JSON_TRUE:
		return jv_true();
	case JSON_NUMBER:
		/* jq's numbers are doubles: beyond 2^53 digits are lost. */
		return jv_number(strtod(v->u.str, NULL));
	case JSON_STRING:
		return jv_string_sized(v->u.str, (int)v->len);
	case JSON_ARRAY:
		out = jv_array();
		for (i = 0; i < v->len; i++) {
			jv item = value_to_jv(&v->u.items[i], depth + 1);

			if (!jv_is_valid(item)) {
				jv_free(out);
				return item;
			}
			out = jv_array_append(out, item);
		}
		return out;
	case JSON_OBJECT:
		out = jv_object();
		for (i = 0; i < v->len; i++) {
			const struct json_member *m = &v->u.members[i];
			jv val = value_to_jv(&m->value, depth + 1);

			if (!jv_is_valid(val)) {
				jv_free(out);
				return val;
			}
			out = jv_object_set(out, jv_string_sized(m->name,
			    (int)m->name_len), val);
		}
		return out;
	}
	return jv_null();
}

/* Convert x (consumed) into out, with its memory in a. */
static void
jv_to_value(jv x, struct arena *a, struct json_value *out)
{
	const char *s;
	double d;
	jv str;
	int i, n;

	switch (jv_get_kind(x)) {
	case JV_KIND_FALSE:
		*out = json_make_bool(0);
		break;
	case JV_KIND_TRUE:
		*out = json_make_bool(1);
		break;
	case JV_KIND_NUMBER:
		d = jv_number_value(x);
		if (isnan(d)) {
			/* jq itself prints NaN as null. */
			*out = json_make_null();
			break;
		}
		/* jq's shortest round-trip form: 1.5, 100, 1e+100. */
		str = jv_dump_string(jv_copy(x), 0);
		s = jv_string_value(str);
		*out = json_make_number(a, s, strlen(s));
		jv_free(str);
		break;
	case JV_KIND_STRING:
		*out = json_make_string(a, jv_string_value(x),
		    (size_t)jv_string_length_bytes(jv_copy(x)));
		break;
	case JV_KIND_ARRAY:
		n = jv_array_length(jv_copy(x));
		out->type = JSON_ARRAY;
		out->len = (size_t)n;
		out->u.items = arena_alloc(a, (size_t)(n > 0 ? n : 1) *
		    sizeof(*out->u.items));
		for (i = 0; i < n; i++)
			jv_to_value(jv_array_get(jv_copy(x), i), a,
			    &out->u.items[i]);
		break;
	case JV_KIND_OBJECT:
		n = jv_object_length(jv_copy(x));
		out->type = JSON_OBJECT;
		out->len = 0;
		out->u.members = arena_alloc(a, (size_t)(n > 0 ? n : 1) *
		    sizeof(*out->u.members));
		jv_object_foreach(x, k, v) {
			struct json_member *m = &out->u.members[out->len++];

			m->name_len = (size_t)jv_string_length_bytes(jv_copy(k));
			m->name = arena_strndup(a, jv_string_value(k),
			    m->name_len);
			jv_to_value(v, a, &m->value);
			jv_free(k);
		}
		break;
	case JV_KIND_INVALID:
	case JV_KIND_NULL:
	default:
		*out = json_make_null();
		break;
	}
	jv_free(x);
}

static int
run_jq(struct fieldpath *fp, const struct record *rec, struct arena *a,
    struct json_value *out, struct strbuf *err)
{
	struct json_value obj = record_as_value(rec);
	jv r, msg, in;

	in = value_to_jv(&obj, 0);
	if (!jv_is_valid(in)) {
		jv_free(in);
		strbuf_addf(err, "nested deeper than %d levels: too deep for "
		    "a jq expression", JQ_DEPTH_MAX);
		return -1;
	}
	jq_start(fp->jq, in, 0);
	r = jq_next(fp->jq);
	if (jv_is_valid(r)) {
		if (jv_get_kind(r) == JV_KIND_NULL) {
			jv_free(r);
			return 0;
		}
		jv_to_value(r, a, out);
		return 1;
	}
	if (!jv_invalid_has_msg(jv_copy(r))) {
		jv_free(r);
		return 0;		/* no output: empty, select(false) */
	}
	msg = jv_invalid_get_msg(r);
	if (jv_get_kind(msg) == JV_KIND_STRING)
		strbuf_addstr(err, jv_string_value(msg));
	else {
		/* error({...}): jq shows the value itself. */
		jv d = jv_dump_string(jv_copy(msg), 0);

		strbuf_addf(err, "%s (not a string)", jv_string_value(d));
		jv_free(d);
	}
	jv_free(msg);
	return -1;
}

int
fieldpath_get(struct fieldpath *fp, const struct record *rec,
    struct arena *a, struct json_value *out, struct strbuf *err)
{
	const struct json_value *v;
	struct json_value obj;

	switch (fp->kind) {
	case FIELDPATH_NAME:
		v = record_get(rec, fp->spec);
		break;
	case FIELDPATH_PATH:
		/*
		 * A flattened CSV column may be called "location.lat": the
		 * exact name wins over walking the path.
		 */
		v = record_get(rec, fp->spec);
		if (v == NULL) {
			obj = record_as_value(rec);
			v = json_value_at(&obj, fp->spec);
		}
		break;
	case FIELDPATH_JQ:
	default:
		return run_jq(fp, rec, a, out, err);
	}
	if (v == NULL)
		return 0;
	*out = *v;
	return 1;
}

int
fieldpath_is_plain(const struct fieldpath *fp)
{
	return fp->kind == FIELDPATH_NAME;
}

const char *
fieldpath_spec(const struct fieldpath *fp)
{
	return fp->spec;
}

void
fieldpath_free(struct fieldpath *fp)
{
	if (fp == NULL)
		return;
	if (fp->jq != NULL)
		jq_teardown(&fp->jq);
	strbuf_release(&fp->jqerr);
	free(fp->spec);
	free(fp);
}

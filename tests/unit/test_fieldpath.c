/* test_fieldpath.c: field names, dotted paths and jq expressions on records. */
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/fieldpath.h"
#include "common/record.h"
#include "common/strbuf.h"
#include "tests/unit/tap.h"

static struct json_member attr_members[3];
static struct json_value car_items[2];
static struct json_member car_members[2][2];

/*
 * {"id":"1","n":70000001020530434,"attributes":{"AccessKey":"K",
 *  "ValidTill":null,"Cars":[{"type":"car","id":"7"},{"type":"car","id":"8"}]},
 *  "location.lat":"55.7","flag":true}
 */
static void
build(struct record *rec)
{
	struct json_value v;
	int i;

	record_add_str(rec, "id", "1", 1);
	v = json_make_number(&rec->arena, "70000001020530434", 17);
	record_add_value(rec, "n", &v);
	for (i = 0; i < 2; i++) {
		car_members[i][0].name = "type";
		car_members[i][0].name_len = 4;
		car_members[i][0].value = json_make_string(&rec->arena, "car",
		    3);
		car_members[i][1].name = "id";
		car_members[i][1].name_len = 2;
		car_members[i][1].value = json_make_string(&rec->arena,
		    i == 0 ? "7" : "8", 1);
		car_items[i].type = JSON_OBJECT;
		car_items[i].len = 2;
		car_items[i].u.members = car_members[i];
	}
	attr_members[0].name = "AccessKey";
	attr_members[0].name_len = 9;
	attr_members[0].value = json_make_string(&rec->arena, "K", 1);
	attr_members[1].name = "ValidTill";
	attr_members[1].name_len = 9;
	attr_members[1].value = json_make_null();
	attr_members[2].name = "Cars";
	attr_members[2].name_len = 4;
	attr_members[2].value.type = JSON_ARRAY;
	attr_members[2].value.len = 2;
	attr_members[2].value.u.items = car_items;
	v.type = JSON_OBJECT;
	v.len = 3;
	v.u.members = attr_members;
	record_add_value(rec, "attributes", &v);
	record_add_str(rec, "location.lat", "55.7", 4);
	v = json_make_bool(1);
	record_add_value(rec, "flag", &v);
}

/* The text of a scalar result, "" for others. */
static const char *
text(const struct json_value *v, struct arena *a)
{
	const char *s;
	size_t len;

	if (!json_value_text(v, &s, &len))
		return "";
	return arena_strndup(a, s, len);
}

static void
test_plain(struct record *rec, struct arena *a)
{
	struct strbuf err = STRBUF_INIT;
	struct fieldpath *fp;
	struct json_value v;

	fp = fieldpath_compile("id", &err);
	ok(fp != NULL, "plain name compiles");
	ok(fieldpath_is_plain(fp), "a name without dots is plain");
	is_str(fieldpath_spec(fp), "id", "spec is kept");
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "plain name found");
	ok(v.type == JSON_STRING, "value keeps its type");
	is_str(text(&v, a), "1", "plain name value");
	fieldpath_free(fp);

	fp = fieldpath_compile("n", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "number field found");
	ok(v.type == JSON_NUMBER, "number stays a number");
	is_str(text(&v, a), "70000001020530434",
	    "plain name keeps all 17 digits");
	fieldpath_free(fp);

	fp = fieldpath_compile("missing", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 0, "missing name is 0");
	fieldpath_free(fp);
	is_int(err.len, 0, "no error for plain names");
	ok(fieldpath_compile("", &err) == NULL, "empty spec is refused");
	is_str(err.buf, "empty field name", "empty spec message");
	strbuf_release(&err);
}

static void
test_path(struct record *rec, struct arena *a)
{
	struct strbuf err = STRBUF_INIT;
	struct fieldpath *fp;
	struct json_value v;

	fp = fieldpath_compile("attributes.AccessKey", &err);
	ok(fp != NULL && !fieldpath_is_plain(fp), "dotted path is not plain");
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "path found");
	is_str(text(&v, a), "K", "path walks into the object");
	fieldpath_free(fp);

	fp = fieldpath_compile("attributes.ValidTill", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1,
	    "a null that is there is found");
	ok(v.type == JSON_NULL, "and is null");
	fieldpath_free(fp);

	fp = fieldpath_compile("attributes.Nope", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 0, "missing path is 0");
	fieldpath_free(fp);

	fp = fieldpath_compile("id.deeper", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 0,
	    "path through a string is missing");
	fieldpath_free(fp);

	fp = fieldpath_compile("location.lat", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1,
	    "a column named with dots is found");
	is_str(text(&v, a), "55.7", "exact column name wins over the path");
	fieldpath_free(fp);

	fp = fieldpath_compile("attributes.Cars", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "path to an array");
	ok(v.type == JSON_ARRAY && v.len == 2, "array borrowed whole");
	fieldpath_free(fp);
	strbuf_release(&err);
}

static void
test_jq(struct record *rec, struct arena *a)
{
	struct strbuf err = STRBUF_INIT;
	struct fieldpath *fp;
	struct json_value v;
	int i;

	fp = fieldpath_compile(".attributes.AccessKey", &err);
	ok(fp != NULL, "jq path compiles");
	ok(!fieldpath_is_plain(fp), "jq is not plain");
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "jq path found");
	ok(v.type == JSON_STRING, "jq gives a string back");
	is_str(text(&v, a), "K", "jq value");
	/* Compiled once, run many times: the same answer every time. */
	for (i = 0; i < 100; i++)
		if (fieldpath_get(fp, rec, a, &v, &err) != 1 ||
		    strcmp(text(&v, a), "K") != 0)
			break;
	is_int(i, 100, "runs again and again");
	fieldpath_free(fp);

	fp = fieldpath_compile(".attributes.Cars | map(.id) | join(\";\")",
	    &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "jq pipeline");
	is_str(text(&v, a), "7;8", "jq pipeline value");
	fieldpath_free(fp);

	fp = fieldpath_compile(".attributes.Cars | length", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "jq number result");
	ok(v.type == JSON_NUMBER, "number type");
	is_str(text(&v, a), "2", "integer printed without a fraction");
	fieldpath_free(fp);

	fp = fieldpath_compile(".n", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "jq on a big number");
	/* Documented: jq's doubles lose digits past 2^53. */
	is_str(text(&v, a), "70000001020530430",
	    "jq rounds a 17-digit number (documented limit)");
	fieldpath_free(fp);

	fp = fieldpath_compile(".attributes.Cars[0]", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "jq object result");
	ok(v.type == JSON_OBJECT && v.len == 2, "object converted back");
	ok(v.type == JSON_OBJECT && strcmp(v.u.members[0].name, "type") == 0
	    && strcmp(v.u.members[1].name, "id") == 0,
	    "keys keep their order");
	fieldpath_free(fp);

	fp = fieldpath_compile(".flag, .id", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "first output wins");
	ok(v.type == JSON_TRUE, "bool result");
	fieldpath_free(fp);

	fp = fieldpath_compile(".attributes.ValidTill", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 0, "jq null is missing");
	fieldpath_free(fp);

	fp = fieldpath_compile(".id | select(. == \"2\")", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 0, "jq empty is missing");
	fieldpath_free(fp);

	fp = fieldpath_compile(".", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), 1, "identity");
	ok(v.type == JSON_OBJECT && v.len == 5, "whole record back");
	fieldpath_free(fp);

	is_int(err.len, 0, "no error so far");
	fp = fieldpath_compile(".id.x", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), -1, "jq runtime error");
	is_str(err.buf, "Cannot index string with string \"x\"",
	    "runtime error message from jq");
	fieldpath_free(fp);

	strbuf_reset(&err);
	fp = fieldpath_compile(".a | error({\"x\":1})", &err);
	is_int(fieldpath_get(fp, rec, a, &v, &err), -1, "jq error(object)");
	is_str(err.buf, "{\"x\":1} (not a string)", "non-string error shown");
	fieldpath_free(fp);

	strbuf_reset(&err);
	ok(fieldpath_compile(".a |", &err) == NULL, "bad jq is refused");
	ok(strncmp(err.buf, "bad jq expression '.a |': syntax error", 38) == 0,
	    "compile error names the expression and the problem");
	if (strncmp(err.buf, "bad jq expression '.a |': syntax error", 38))
		printf("#   got: %s\n", err.buf);
	strbuf_reset(&err);
	ok(fieldpath_compile(".a | nosuchfn", &err) == NULL,
	    "unknown function is refused");
	ok(strstr(err.buf, "nosuchfn/0 is not defined") != NULL,
	    "unknown function message");
	strbuf_release(&err);
}

int
main(void)
{
	struct record rec = RECORD_INIT;
	struct arena a = ARENA_INIT;

	build(&rec);
	test_plain(&rec, &a);
	test_path(&rec, &a);
	test_jq(&rec, &a);
	arena_release(&a);
	record_release(&rec);
	return tap_done();
}

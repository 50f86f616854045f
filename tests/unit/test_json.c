/*
 * test_json.c: the streaming JSON reader and writer: JSONTestSuite
 * conformance, exact numbers, errors with positions, streaming modes.
 */
#include <sys/wait.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/errors.h"
#include "common/input.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/record.h"
#include "common/strbuf.h"
#include "tests/unit/tap.h"

#ifndef SHARED_DIR
#define SHARED_DIR "../shared"
#endif

static struct arena A = ARENA_INIT;

/* Compact JSON of v in a static buffer. */
static const char *
out(const struct json_value *v)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	json_write_value(&sb, v);
	return sb.buf;
}

/* Every value next() reads from s, written compactly, one per line. */
static const char *
all_values(const char *s, size_t len, int items)
{
	static struct strbuf sb = STRBUF_INIT;
	struct json_reader *r = json_reader_new_mem(s, len, NULL);
	struct json_value v;
	int rc;

	strbuf_reset(&sb);
	while ((rc = items ? json_reader_next_item(r, &A, &v) :
	    json_reader_next(r, &A, &v)) == 1) {
		json_write_value(&sb, &v);
		strbuf_addf(&sb, "@%lu\n", json_reader_line(r));
	}
	if (rc < 0)
		strbuf_addf(&sb, "error %lu:%lu: %s",
		    json_reader_error_line(r), json_reader_error_column(r),
		    json_reader_error(r));
	json_reader_free(r);
	arena_reset(&A);
	return sb.buf;
}

#define VALUES(lit) all_values(lit, sizeof(lit) - 1, 0)
#define ITEMS(lit) all_values(lit, sizeof(lit) - 1, 1)

/* json_parse() of s: "" on success, else the error text. */
static const char *
parse_err(const char *s, size_t len, const struct json_opts *o)
{
	static struct strbuf err = STRBUF_INIT;
	struct json_value v;

	strbuf_reset(&err);
	if (json_parse(s, len, o, &A, &v, &err) == 0)
		strbuf_reset(&err);
	arena_reset(&A);
	return err.buf;
}

#define PERR(lit) parse_err(lit, sizeof(lit) - 1, NULL)

/* ==== JSONTestSuite ==== */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, alloc = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (alloc - n < 4096) {
			alloc = alloc ? alloc * 2 : 65536;
			buf = realloc(buf, alloc);
		}
		got = fread(buf + n, 1, alloc - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

static void
test_conformance(void)
{
	const char *shared = getenv("SHARED") ? getenv("SHARED") : SHARED_DIR;
	char dir[4096], path[8192];
	char **names = NULL;
	size_t n = 0, alloc = 0, i, ny = 0, nn = 0, ni = 0;
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/conformance/JSONTestSuite/test_parsing",
	    shared);
	d = opendir(dir);
	if (d == NULL) {
		tap_skip("JSONTestSuite: %s not found (set SHARED to the "
		    "folder holding conformance/)", dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != 'y' && e->d_name[0] != 'n' &&
		    e->d_name[0] != 'i')
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 512;
			names = realloc(names, alloc * sizeof(*names));
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		struct strbuf err = STRBUF_INIT, w = STRBUF_INIT;
		struct strbuf w2 = STRBUF_INIT;
		struct json_value v, back;
		unsigned long line = 0, col = 0;
		size_t len;
		char *buf;
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		buf = slurp(path, &len);
		if (buf == NULL) {
			ok(0, "%s: readable", names[i]);
			free(names[i]);
			continue;
		}
		rc = json_parse(buf, len, NULL, &A, &v, &err);
		if (rc < 0)
			sscanf(err.buf, "%lu:%lu:", &line, &col);
		switch (names[i][0]) {
		case 'y':
			ny++;
			/*
			 * Accepted, and what we write reads back and writes
			 * the same again.
			 */
			if (rc == 0) {
				json_write_value(&w, &v);
				rc = json_parse(w.buf, w.len, NULL, &A, &back,
				    NULL);
				if (rc == 0)
					json_write_value(&w2, &back);
				if (rc == 0 && (w.len != w2.len ||
				    memcmp(w.buf, w2.buf, w.len) != 0))
					rc = -2;
			}
			ok(rc == 0, "%s accepted and round-trips%s%s",
			    names[i], rc ? ": " : "", rc ? err.buf : "");
			break;
		case 'n':
			nn++;
			ok(rc == -1 && line > 0 && col > 0,
			    "%s rejected with a position (%s)", names[i],
			    err.buf);
			break;
		default:
			ni++;
			ok(rc == 0 || (rc == -1 && line > 0 && col > 0),
			    "%s read without a crash (%s)", names[i],
			    rc == 0 ? "accepted" : err.buf);
			break;
		}
		strbuf_release(&err);
		strbuf_release(&w);
		strbuf_release(&w2);
		arena_reset(&A);
		free(buf);
		free(names[i]);
	}
	free(names);
	ok(ny >= 90 && nn >= 180 && ni >= 30,
	    "suite complete: %zu y_, %zu n_, %zu i_ cases", ny, nn, ni);
}

/* ==== values ==== */

static void
test_numbers(void)
{
	struct json_value v;
	struct strbuf err = STRBUF_INIT;

	is_str(VALUES("70000001020530434"), "70000001020530434@1\n",
	    "a 17-digit integer comes back byte-exact");
	is_str(VALUES("[-0,-0.0,1E+2,1e-7,0.5e-10,12345678901234567890123]"),
	    "[-0,-0.0,1E+2,1e-7,0.5e-10,12345678901234567890123]@1\n",
	    "number texts are kept as written");
	ok(json_parse("{\"id\":12345678901234567}", 24, NULL, &A, &v,
	    &err) == 0, "a 17-digit ID parses");
	ok(v.type == JSON_OBJECT && v.len == 1 &&
	    v.u.members[0].value.type == JSON_NUMBER,
	    "the ID is a number");
	is_str(v.u.members[0].value.u.str, "12345678901234567",
	    "the ID keeps all 17 digits");
	arena_reset(&A);
	is_str(PERR("01"), "1:1: invalid number", "leading zero rejected");
	is_str(PERR("[1.]"), "1:2: invalid number", "1. rejected");
	is_str(PERR("[-]"), "1:2: invalid number", "lone minus rejected");
	is_str(PERR("[1e]"), "1:2: invalid number", "empty exponent");
	is_str(PERR("[.5]"), "1:2: unexpected '.' (expected a value)",
	    ".5 rejected");
	is_str(PERR("[+1]"), "1:2: unexpected '+' (expected a value)",
	    "+1 rejected");
	is_str(PERR("[1x]"), "1:2: invalid number", "1x rejected");
	is_str(PERR("[truex]"), "1:2: invalid literal", "truex rejected");
	is_str(PERR("[nul]"), "1:2: invalid literal", "nul rejected");
	strbuf_release(&err);
}

static void
test_strings(void)
{
	static const char in[] = "\"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\/"
	    "\\u0000\\u001f\\b\\f\\r\xc3\xa9\"";
	static const char want[] = "\xc3\xa9\xf0\x9f\x98\x80\n\t\"\\/"
	    "\0\x1f\b\f\r\xc3\xa9";
	struct strbuf sb = STRBUF_INIT;
	struct json_value v;

	ok(json_parse(in, sizeof(in) - 1, NULL, &A, &v, NULL) == 0,
	    "escapes parse");
	ok(v.type == JSON_STRING && v.len == sizeof(want) - 1 &&
	    memcmp(v.u.str, want, v.len) == 0,
	    "escapes decode, surrogate pair combined, NUL kept");
	ok(v.u.str[v.len] == '\0', "decoded string is NUL-terminated");
	is_str(out(&v), "\"\xc3\xa9\xf0\x9f\x98\x80\\n\\t\\\"\\\\/"
	    "\\u0000\\u001f\\b\\f\\r\xc3\xa9\"",
	    "written minimally escaped, UTF-8 raw, / unescaped");
	arena_reset(&A);
	json_write_string(&sb, "a\x7f\x01z", 4);
	is_str(sb.buf, "\"a\x7f\\u0001z\"", "DEL is not escaped, 0x01 is");
	strbuf_reset(&sb);
	json_write_string(&sb, "0123456789abcdef\"0123456789abcdef\\x", 35);
	is_str(sb.buf, "\"0123456789abcdef\\\"0123456789abcdef\\\\x\"",
	    "escapes found past 16-byte blocks");
	strbuf_release(&sb);

	is_str(PERR("\"\\ud800\""), "1:2: lone surrogate \\ud800",
	    "lone high surrogate");
	is_str(PERR("\"\\udc00\\ud800\""), "1:2: lone surrogate \\udc00",
	    "low surrogate first");
	is_str(PERR("[\"\\ud800\\u0041\"]"), "1:3: lone surrogate \\ud800",
	    "high surrogate followed by a non-surrogate");
	is_str(PERR("\"a\xff\""), "1:3: invalid UTF-8 in string",
	    "invalid UTF-8 in string named with its column");
	is_str(PERR("\"\xed\xa0\x80\""), "1:2: invalid UTF-8 in string",
	    "UTF-8 encoded surrogate rejected");
	is_str(PERR("\"\xc0\xaf\""), "1:2: invalid UTF-8 in string",
	    "overlong UTF-8 rejected");
	is_str(PERR("\"ab\ncd\""),
	    "1:4: unescaped control character 0x0a in string",
	    "raw newline in a string");
	is_str(PERR("[\"abc"), "1:2: unterminated string",
	    "unterminated string");
	is_str(PERR("\"\\x\""), "1:2: invalid escape", "invalid escape");
	is_str(PERR("\"\\u12\""), "1:2: invalid \\u escape",
	    "short \\u escape");
	is_str(PERR("\xef\xbb\xbf{\"a\":1}"), "", "BOM tolerated in memory");

	/* Strings of every size around the internal slab sizes stay intact. */
	{
		struct strbuf doc = STRBUF_INIT;
		size_t n, i;
		int same = 1;

		for (n = 250; n < 20000 && same; n = n * 3 / 2) {
			strbuf_reset(&doc);
			strbuf_addstr(&doc, "[\"a\",\"");
			for (i = 0; i < n; i++)
				strbuf_addch(&doc, 'a' + i % 26);
			strbuf_addstr(&doc, "\",\"b\\n\",\"");
			for (i = 0; i < n; i++)
				strbuf_addch(&doc, 'A' + i % 26);
			strbuf_addstr(&doc, "\\t\",1]");
			if (json_parse(doc.buf, doc.len, NULL, &A, &v,
			    NULL) != 0 || strcmp(out(&v), doc.buf) != 0)
				same = 0;
			arena_reset(&A);
		}
		ok(same, "long strings after short ones round-trip (n=%zu)",
		    n);
		strbuf_release(&doc);
	}
}

/* ==== errors ==== */

static void
test_errors(void)
{
	struct json_opts o = JSON_OPTS_DEFAULT;
	struct strbuf deep = STRBUF_INIT;
	struct json_value v;
	size_t i;

	is_str(VALUES("{\n  \"a\": [1,\n  2"),
	    "error 3:4: truncated document (unclosed '[' from line 2)",
	    "truncated document: position at the end, where it opened");
	is_str(VALUES("{\"a\":1}\n{\"b\":\n"),
	    "{\"a\":1}@1\nerror 3:1: truncated document (unclosed '{' from "
	    "line 2)", "truncated second document after a good one");
	is_str(PERR("[1,,2]"), "1:4: unexpected ',' (expected a value)",
	    "double comma");
	is_str(PERR("[1,]"), "1:4: unexpected ']' after ','",
	    "trailing comma in an array");
	is_str(PERR("{\"a\":1,}"),
	    "1:8: unexpected '}' (expected a member name)",
	    "trailing comma in an object");
	is_str(PERR("{\"a\" 1}"), "1:6: unexpected '1' (expected ':')",
	    "missing colon");
	is_str(PERR("[1 2]"), "1:4: unexpected '2' (expected ',' or ']')",
	    "missing comma");
	is_str(PERR("{\"a\":1]"), "1:7: unexpected ']' (expected ',' or '}')",
	    "mismatched bracket");
	is_str(PERR("{\"a\":1} x"), "1:9: unexpected 'x' (expected end of "
	    "input)", "json_parse() rejects trailing garbage");
	is_str(PERR(" \n "), "2:2: empty document",
	    "json_parse() of whitespace");
	is_str(VALUES("[1]\n\x01"),
	    "[1]@1\nerror 2:1: unexpected byte 0x01 (expected a value)",
	    "a control byte between values");

	for (i = 0; i < 513; i++)
		strbuf_addch(&deep, '[');
	is_str(parse_err(deep.buf, deep.len, NULL),
	    "1:513: nesting deeper than 512", "depth limit 512 by default");
	strbuf_setlen(&deep, 512);
	for (i = 0; i < 512; i++)
		strbuf_addch(&deep, ']');
	is_str(parse_err(deep.buf, deep.len, NULL), "",
	    "512 levels are allowed");
	o.max_depth = 3;
	is_str(parse_err("{\"a\":[{\"b\":[]}]}", 16, &o),
	    "1:12: nesting deeper than 3", "max_depth option");
	is_str(parse_err("{\"a\":[{}]}", 10, &o), "", "depth 3 is allowed");

	/* Hostile nesting: a clean error, no stack overflow. */
	strbuf_reset(&deep);
	for (i = 0; i < 1000000; i++)
		strbuf_addch(&deep, '[');
	is_str(parse_err(deep.buf, deep.len, NULL),
	    "1:513: nesting deeper than 512", "10^6-deep input: clean error");
	is_str(all_values(deep.buf, deep.len, 1),
	    "error 1:513: nesting deeper than 512",
	    "10^6-deep input through next_item()");

	/* With the limit raised, deep values parse and write iteratively. */
	o.max_depth = 200001;
	strbuf_setlen(&deep, 200000);
	for (i = 0; i < 200000; i++)
		strbuf_addch(&deep, ']');
	ok(json_parse(deep.buf, deep.len, &o, &A, &v, NULL) == 0,
	    "200000 levels parse with the limit raised");
	ok(strcmp(out(&v), deep.buf) == 0, "and write back the same");
	arena_reset(&A);

	o = (struct json_opts)JSON_OPTS_DEFAULT;
	o.max_value = 10;
	is_str(parse_err("{\"a\":\"0123456789\"}", 18, &o),
	    "1:1: value larger than 10 bytes", "max_value limit");
	strbuf_release(&deep);
}

/* read_error_die() prints a JSON error as one line and exits 2. */
static void
test_die(void)
{
	static const char doc[] = "[1,\n ,2]";
	char buf[256];
	int fds[2], status = 0;
	ssize_t n = 0, k;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds) != 0 || (pid = fork()) < 0) {
		ok(0, "fork for read_error_die()");
		return;
	}
	if (pid == 0) {
		struct json_reader *r;
		struct json_value v;

		dup2(fds[1], 2);
		close(fds[0]);
		errors_init("tool");
		r = json_reader_new_mem(doc, sizeof(doc) - 1, NULL);
		if (json_reader_next(r, &A, &v) < 0) {
			struct read_error e = *json_reader_err(r);

			/* A reader of memory has no name: give it one. */
			e.file = "in.json";
			read_error_die(&e);
		}
		_exit(0);
	}
	close(fds[1]);
	while ((k = read(fds[0], buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += k;
	buf[n] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	is_str(buf, "tool: in.json:2:2: unexpected ',' (expected a value)\n",
	    "read_error_die(): tool: FILE:LINE:COL: problem");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2, "and exit 2");
}

/* ==== streaming ==== */

static void
test_streams(void)
{
	is_str(VALUES(""), "", "empty input: no values");
	is_str(ITEMS(" \n\t\r\n "), "", "whitespace-only input: no items");
	is_str(VALUES("{}{}"), "{}@1\n{}@1\n", "concatenated objects");
	is_str(VALUES("1 2\"x\"[]"), "1@1\n2@1\n\"x\"@1\n[]@1\n",
	    "concatenated scalars");
	is_str(VALUES("{\"a\":1}\r\n{\"a\":2}\r\n"),
	    "{\"a\":1}@1\n{\"a\":2}@2\n", "NDJSON with CRLF");
	is_str(VALUES("{\n  \"a\": [\n    1,\n    2\n  ]\n}\n{\"b\":null}"),
	    "{\"a\":[1,2]}@1\n{\"b\":null}@7\n",
	    "pretty-printed documents, lines counted");
	is_str(VALUES("[1,[2,3]]"), "[1,[2,3]]@1\n",
	    "next() keeps a top-level array whole");
	is_str(ITEMS("[{\"a\":1},\n {\"a\":2},\n [3]\n]\n\"x\" []\n[4]"),
	    "{\"a\":1}@1\n{\"a\":2}@2\n[3]@3\n\"x\"@5\n4@6\n",
	    "next_item() unwraps top-level arrays element by element");
	is_str(ITEMS("[1,2"),
	    "1@1\n2@1\nerror 1:5: truncated document (unclosed '[' from "
	    "line 1)", "next_item(): truncated array");
	is_str(ITEMS("[1,]"), "1@1\nerror 1:4: unexpected ']' after ','",
	    "next_item(): trailing comma");
	is_str(ITEMS("[1;2]"),
	    "1@1\nerror 1:3: unexpected ';' (expected ',' or ']')",
	    "next_item(): bad separator");
}

/* next_in() over s: items and envelopes, one per line. */
static const char *
stream_in(const char *s, const char *path)
{
	static struct strbuf sb = STRBUF_INIT;
	struct json_reader *r = json_reader_new_mem(s, strlen(s), NULL);
	struct json_value v;
	int rc;

	strbuf_reset(&sb);
	while ((rc = json_reader_next_in(r, path, &A, &v)) > 0) {
		if (rc == JSON_READER_ITEM)
			strbuf_addstr(&sb, "item ");
		else
			strbuf_addf(&sb, "end%s ",
			    json_reader_in_found(r) ? "" : "(no member)");
		json_write_value(&sb, &v);
		strbuf_addf(&sb, "@%lu\n", json_reader_line(r));
		arena_reset(&A);
	}
	if (rc < 0)
		strbuf_addf(&sb, "error %lu:%lu: %s",
		    json_reader_error_line(r), json_reader_error_column(r),
		    json_reader_error(r));
	json_reader_free(r);
	return sb.buf;
}

static void
test_next_in(void)
{
	is_str(stream_in("{\"links\":{\"next\":\"p2\"},\n"
	    "\"data\":[{\"id\":\"1\"},"
	    "\n{\"id\":\"2\"}],\"meta\":{\"total\":2}}\n"
	    "{\"data\":[],\"meta\":{\"total\":2}}", "data"),
	    "item {\"id\":\"1\"}@2\nitem {\"id\":\"2\"}@3\n"
	    "end {\"links\":{\"next\":\"p2\"},\"meta\":{\"total\":2}}@1\n"
	    "end {\"meta\":{\"total\":2}}@4\n",
	    "next_in(data): items, then the envelope without data");
	is_str(stream_in("{\"ok\":true,\"result\":{\"count\":2,\"items\":[1,"
	    "{\"x\":[2]}],\"next\":null},\"t\":1}", "result.items"),
	    "item 1@1\nitem {\"x\":[2]}@1\n"
	    "end {\"ok\":true,\"result\":{\"count\":2,\"next\":null},"
	    "\"t\":1}@1\n", "next_in(result.items): nested path");
	is_str(stream_in("{\"data\":{\"id\":\"9\"},\"meta\":{}}", "data"),
	    "item {\"id\":\"9\"}@1\nend {\"meta\":{}}@1\n",
	    "next_in(): single-object data is one item");
	is_str(stream_in("{\"errors\":[{\"status\":\"404\"}]}", "data"),
	    "end(no member) {\"errors\":[{\"status\":\"404\"}]}@1\n",
	    "next_in(): an error document is all envelope");
	is_str(stream_in("{\"data\":null,\"meta\":1}", "data"),
	    "end {\"data\":null,\"meta\":1}@1\n",
	    "next_in(): null data gives no items, stays in the envelope");
	is_str(stream_in("[1,2] 3", "data"),
	    "end(no member) [1,2]@1\nend(no member) 3@1\n",
	    "next_in(): a non-object document is all envelope");
	is_str(stream_in("{\"result\":5,\"items\":[1]}", "result.items"),
	    "end(no member) {\"result\":5,\"items\":[1]}@1\n",
	    "next_in(): path through a non-object is not found");
	is_str(stream_in("", "data"), "", "next_in(): empty input");
	is_str(stream_in("{\"data\":[1,2", "data"),
	    "item 1@1\nitem 2@1\nerror 1:13: truncated document (unclosed "
	    "'[' from line 1)", "next_in(): truncated data array");
	is_str(stream_in("{\"data\":[1],\n\"meta\":{", "data"),
	    "item 1@1\nerror 2:9: truncated document (unclosed '{' from "
	    "line 2)", "next_in(): truncated envelope");
	{
		struct json_opts o = JSON_OPTS_DEFAULT;
		struct json_reader *r;
		struct json_value v;
		static const char doc[] = "{\"a\":{\"b\":[[1]]}}";

		o.max_depth = 3;
		r = json_reader_new_mem(doc, sizeof(doc) - 1, &o);
		is_int(json_reader_next_in(r, "a.b", &A, &v), -1,
		    "next_in(): depth limit counts the path levels");
		is_str(json_reader_error(r), "nesting deeper than 3",
		    "next_in(): depth error text");
		is_int(json_reader_error_column(r), 12, "at the inner '['");
		json_reader_free(r);
		o.max_depth = 4;
		r = json_reader_new_mem(doc, sizeof(doc) - 1, &o);
		ok(json_reader_next_in(r, "a.b", &A, &v) == JSON_READER_ITEM &&
		    strcmp(out(&v), "[1]") == 0, "next_in(): depth 4 allowed");
		json_reader_free(r);
		arena_reset(&A);
	}
	is_str(stream_in("{\"data\":[1] \"x\":2}", "data"),
	    "item 1@1\nerror 1:13: unexpected '\"' (expected ',' or '}')",
	    "next_in(): missing comma after data");
}

static void
test_records(void)
{
	static const char s[] = "{\"a\":1,\"b\":{\"c\":\"x\"}}\n\"x\"\n"
	    "[{\"a\":2},3]";
	struct json_reader *r = json_reader_new_mem(s, sizeof(s) - 1, NULL);
	struct record rec = RECORD_INIT;
	const struct json_value *v;

	is_int(json_reader_next_record(r, &rec), 1, "first record");
	is_int(rec.nfields, 2, "its fields");
	v = record_get(&rec, "b");
	ok(v != NULL && v->type == JSON_OBJECT, "nested object kept");
	ok(rec.problem == NULL, "no problem");
	is_str(out(&(struct json_value){ .type = JSON_OBJECT,
	    .len = rec.nfields, .u.members = rec.fields }),
	    "{\"a\":1,\"b\":{\"c\":\"x\"}}", "fields in input order");
	is_int(json_reader_next_record(r, &rec), 1, "a string value");
	is_str(rec.problem_code, "not_object", "problem code not_object");
	is_str(rec.problem, "not a JSON object", "problem text");
	is_int(rec.line, 2, "its line");
	is_int(json_reader_next_record(r, &rec), 1, "array element record");
	ok(rec.problem == NULL && rec.nfields == 1, "an object element");
	is_int(rec.line, 3, "on line 3");
	is_int(json_reader_next_record(r, &rec), 1, "a number element");
	is_str(rec.problem_code, "not_object", "is not an object");
	is_int(json_reader_next_record(r, &rec), 0, "then end of input");
	json_reader_free(r);
	record_release(&rec);

	{
		struct strbuf sb = STRBUF_INIT;

		record_add_str(&rec, "name", "O'Brien \"x\"", 11);
		*record_add(&rec, "n", 1) = json_make_number(&rec.arena,
		    "70000001020530434", 17);
		json_write_record(&sb, &rec);
		is_str(sb.buf, "{\"name\":\"O'Brien \\\"x\\\"\","
		    "\"n\":70000001020530434}", "json_write_record()");
		strbuf_release(&sb);
		record_release(&rec);
	}
}

/* A repeated member name: first place, last value, as jq reads it. */
static void
test_repeated_names(void)
{
	struct strbuf big = STRBUF_INIT, want = STRBUF_INIT;
	int i;

	is_str(VALUES("{\"a\":1,\"b\":2,\"a\":3}"), "{\"a\":3,\"b\":2}@1\n",
	    "repeated name: first place, last value");
	is_str(VALUES("{\"ValidTill\":\"2020-01-01\",\"ValidTill\":null}"),
	    "{\"ValidTill\":null}@1\n", "repeated name: a later null wins");
	is_str(VALUES("{\"x\":{\"k\":1,\"k\":{\"k\":2,\"k\":3}},\"y\":0}"),
	    "{\"x\":{\"k\":{\"k\":3}},\"y\":0}@1\n",
	    "repeated names inside nested objects");
	is_str(VALUES("{\"ab\":1,\"ba\":2,\"a\":3,\"b\":4}"),
	    "{\"ab\":1,\"ba\":2,\"a\":3,\"b\":4}@1\n",
	    "names alike but not the same are all kept");
	/* Small objects are screened by length and first byte. */
	is_str(VALUES("{\"ab\":1,\"ac\":2,\"ab\":3}"),
	    "{\"ab\":3,\"ac\":2}@1\n", "same length and first byte");
	is_str(VALUES("{\"\":1,\"x\":2,\"\":3}"), "{\"\":3,\"x\":2}@1\n",
	    "an empty name repeated");
	is_str(VALUES("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,"
	    "\"f\":6,\"g\":7,\"h\":8,\"a\":9}"),
	    "{\"a\":9,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,"
	    "\"h\":8}@1\n", "nine members, the first name again last");
	is_str(VALUES("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,"
	    "\"f\":6,\"g\":7,\"a\":8}"),
	    "{\"a\":8,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,"
	    "\"g\":7}@1\n", "eight members, the first name again last");
	is_str(VALUES("[{\"id\":1,\"id\":2},{\"id\":3,\"type\":4}]"),
	    "[{\"id\":2},{\"id\":3,\"type\":4}]@1\n", "two members");
	is_str(stream_in("{\"meta\":1,\"data\":[],\"meta\":2}", "data"),
	    "end {\"meta\":2}@1\n", "repeated name in a streamed envelope");
	/* Over 32 members: the hash table path. */
	strbuf_addch(&big, '{');
	strbuf_addch(&want, '{');
	for (i = 0; i < 100; i++)
		strbuf_addf(&big, "%s\"m%d\":%d", i ? "," : "", i % 40, i);
	for (i = 0; i < 40; i++)
		strbuf_addf(&want, "%s\"m%d\":%d", i ? "," : "", i,
		    i + (i < 20 ? 80 : 40));
	strbuf_addstr(&big, "}");
	strbuf_addstr(&want, "}@1\n");
	is_str(all_values(big.buf, big.len, 0), want.buf,
	    "100 members, 40 names: each once, last value");
	strbuf_release(&big);
	strbuf_release(&want);
}

/* ==== through input.c: refills, buffer growth, line counts ==== */

static char tmpl[] = "/tmp/test_json.XXXXXX";

static void
test_input(void)
{
	struct strbuf doc = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	struct input_opts io = INPUT_OPTS_DEFAULT;
	struct json_opts o = JSON_OPTS_DEFAULT;
	struct json_reader *r;
	struct json_value v;
	struct input *in;
	const char *err;
	int fd, rc, i, lines_ok = 1;
	long n = 0;

	/*
	 * About 3 MB: NDJSON lines of varied sizes (values straddle every
	 * 256 KiB refill), one string bigger than the buffer, and a
	 * top-level array of 50000 objects (1.4 MB).
	 */
	for (i = 0; i < 20000; i++)
		strbuf_addf(&doc, "{\"i\":%d,\"s\":\"%*s\\n\xc3\xa9\","
		    "\"a\":[%d,null,true]}\n", i, i % 97, "x", i * 7);
	strbuf_addch(&doc, '"');
	for (i = 0; i < 600000; i++)
		strbuf_addch(&doc, 'a' + i % 26);
	strbuf_addstr(&doc, "\"\n[");
	for (i = 0; i < 50000; i++)
		strbuf_addf(&doc, "%s{\"id\":\"%017d\"}", i ? ",\n" : "", i);
	strbuf_addstr(&doc, "]\n");

	fd = mkstemp(tmpl);
	ok(fd >= 0 && write(fd, doc.buf, doc.len) == (ssize_t)doc.len &&
	    close(fd) == 0, "temporary file written");

	/* What the memory reader sees is the reference. */
	r = json_reader_new_mem(doc.buf, doc.len, NULL);
	while (json_reader_next_item(r, &A, &v) == 1) {
		json_write_value(&want, &v);
		strbuf_addf(&want, "@%lu\n", json_reader_line(r));
		arena_reset(&A);
	}
	json_reader_free(r);

	in = input_open(tmpl, &io, &err);
	ok(in != NULL, "input opens the file");
	if (in == NULL)
		goto done;
	o.max_value = 1 << 20;
	r = json_reader_new(in, &o);
	while ((rc = json_reader_next_item(r, &A, &v)) == 1) {
		json_write_value(&got, &v);
		strbuf_addf(&got, "@%lu\n", json_reader_line(r));
		if (++n <= 20000 && json_reader_line(r) != (unsigned long)n)
			lines_ok = 0;
		arena_reset(&A);
	}
	is_int(rc, 0, "streamed to the end (%s)",
	    rc < 0 ? json_reader_error(r) : "ok");
	is_int(n, 20000 + 1 + 50000, "every value and array element read");
	ok(lines_ok, "NDJSON line numbers across refills");
	ok(got.len == want.len && memcmp(got.buf, want.buf, got.len) == 0,
	    "streaming input reads exactly what memory reads");
	json_reader_free(r);
	input_close(in);

	/* next() holds the 1.4 MB array whole: the buffer grows for it. */
	strbuf_reset(&want);
	strbuf_reset(&got);
	r = json_reader_new_mem(doc.buf, doc.len, NULL);
	while (json_reader_next(r, &A, &v) == 1) {
		json_write_value(&want, &v);
		arena_reset(&A);
	}
	json_reader_free(r);
	in = input_open(tmpl, &io, &err);
	r = json_reader_new(in, NULL);
	n = 0;
	while ((rc = json_reader_next(r, &A, &v)) == 1) {
		json_write_value(&got, &v);
		n++;
		arena_reset(&A);
	}
	ok(rc == 0 && n == 20002 && got.len == want.len &&
	    memcmp(got.buf, want.buf, got.len) == 0,
	    "next() through input: values larger than the buffer");
	json_reader_free(r);
	input_close(in);

	/* The array is larger than max_value: next() refuses it whole. */
	in = input_open(tmpl, &io, &err);
	o.max_value = 1 << 20;
	r = json_reader_new(in, &o);
	while ((rc = json_reader_next(r, &A, &v)) == 1)
		arena_reset(&A);
	is_int(rc, -1, "next() stops at the array larger than max_value");
	is_str(json_reader_error(r), "value larger than 1 MiB",
	    "value size error");
	is_int(json_reader_error_line(r), 20002, "named with its line");
	json_reader_free(r);
	input_close(in);
done:
	unlink(tmpl);
	arena_reset(&A);
	strbuf_release(&doc);
	strbuf_release(&want);
	strbuf_release(&got);
}

int
main(void)
{
	test_numbers();
	test_strings();
	test_errors();
	test_die();
	test_streams();
	test_next_in();
	test_records();
	test_repeated_names();
	test_input();
	test_conformance();
	arena_release(&A);
	return tap_done();
}

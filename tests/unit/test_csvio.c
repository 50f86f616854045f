/*
 * test_csvio.c: the CSV reader (csv-spectrum, line numbers, sniffing,
 * ragged rows, encodings, gzip, limits, errors) and the cell writer.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "common/csvio.h"
#include "common/errors.h"
#include "common/input.h"
#include "common/json.h"
#include "common/record.h"
#include "common/strbuf.h"
#include "tests/unit/tap.h"
#include "tests/unit/testutil.h"

#ifndef SHARED_DIR
#define SHARED_DIR "../shared"
#endif

static char tmpdir[256];
static int nfiles;

/* Write data to a new file in tmpdir; the path lives in a static buffer. */
static const char *
put(const void *data, size_t len)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/f%d.csv", tmpdir, nfiles++);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	return path;
}

/*
 * Read path as CSV and describe what came out, one line each:
 *   "H:a|b"			the header (H0 for empty input)
 *   "2:a=1|b=x"		a record and the line it starts on
 *   "... !ragged_row: msg"	a record's problem
 *   "E3:unterminated quote"	a fatal error and its line
 */
static void
render_path(const char *path, const char *enc, const struct csv_opts *o,
    struct strbuf *out)
{
	struct input_opts io = INPUT_OPTS_DEFAULT;
	struct record rec = RECORD_INIT;
	struct csv_reader *r;
	struct input *in;
	const char *const *names;
	const char *err;
	size_t n, i;
	int rc;

	strbuf_reset(out);
	io.encoding = enc;
	in = input_open(path, &io, &err);
	if (in == NULL) {
		strbuf_addf(out, "O:%s\n", err);
		return;
	}
	r = csv_reader_new(in, o);
	rc = csv_reader_header(r, &names, &n);
	if (rc == 0)
		strbuf_addstr(out, "H0\n");
	else if (rc == 1) {
		strbuf_addstr(out, "H:");
		for (i = 0; i < n; i++)
			strbuf_addf(out, "%s%s", i ? "|" : "", names[i]);
		strbuf_addch(out, '\n');
		while ((rc = csv_reader_next(r, &rec)) == 1) {
			if (strcmp(rec.file, input_name(in)) != 0)
				strbuf_addstr(out, "(wrong file)");
			strbuf_addf(out, "%lu:", rec.line);
			for (i = 0; i < rec.nfields; i++) {
				strbuf_addf(out, "%s%s=", i ? "|" : "",
				    rec.fields[i].name);
				strbuf_add(out, rec.fields[i].value.u.str,
				    rec.fields[i].value.len);
			}
			if (rec.problem != NULL)
				strbuf_addf(out, " !%s: %s", rec.problem_code,
				    rec.problem);
			strbuf_addch(out, '\n');
		}
	}
	if (rc == -1)
		strbuf_addf(out, "E%lu:%s\n", csv_reader_error_line(r),
		    csv_reader_error(r));
	record_release(&rec);
	csv_reader_free(r);
	input_close(in);
}

static void
render(const char *data, const struct csv_opts *o, struct strbuf *out)
{
	render_path(put(data, strlen(data)), NULL, o, out);
}

/* Each row's cells as "LINE:a|b#N", through csv_reader_next_row(). */
static void
render_fields(const char *data, size_t len, const struct csv_opts *o,
    struct strbuf *out)
{
	struct input_opts io = INPUT_OPTS_DEFAULT;
	struct csv_row_view v;
	struct csv_reader *r;
	struct input *in;
	const char *err;
	size_t i;

	strbuf_reset(out);
	in = input_open(put(data, len), &io, &err);
	r = csv_reader_new(in, o);
	while (csv_reader_next_row(r, &v) == 1) {
		strbuf_addf(out, "%lu:", v.line);
		for (i = 0; i < v.n; i++) {
			if (i > 0)
				strbuf_addch(out, '|');
			strbuf_add(out, v.cells[i].s, v.cells[i].len);
		}
		strbuf_addf(out, "#%zu\n", v.n);
	}
	csv_reader_free(r);
	input_close(in);
}

/* ==== csv-spectrum ==== */

static int
spectrum_case(const char *dir, const char *name)
{
	struct json_opts jo = JSON_OPTS_DEFAULT;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, json = STRBUF_INIT;
	struct record rec = RECORD_INIT;
	struct arena a = ARENA_INIT;
	struct json_value want;
	struct csv_reader *r;
	struct input *in;
	const char *e, *s;
	char buf[4096];
	size_t i, k, len, nrec = 0;
	int rc, good = 1;
	FILE *f;

	strbuf_addf(&path, "%s/json/%.*s.json", dir,
	    (int)(strlen(name) - 4), name);
	if ((f = fopen(path.buf, "rb")) == NULL) {
		printf("# no %s\n", path.buf);
		return 0;
	}
	while ((len = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&json, buf, len);
	fclose(f);
	if (json_parse(json.buf, json.len, &jo, &a, &want, &err) == -1 ||
	    want.type != JSON_ARRAY) {
		printf("# %s: %s\n", path.buf, err.buf);
		good = 0;
		goto out;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/csvs/%s", dir, name);
	in = input_open(path.buf, NULL, &e);
	r = csv_reader_new(in, NULL);
	while ((rc = csv_reader_next(r, &rec)) == 1) {
		const struct json_value *o = &want.u.items[nrec];

		if (nrec++ >= want.len || o->type != JSON_OBJECT ||
		    o->len != rec.nfields || rec.problem != NULL) {
			good = 0;
			break;
		}
		for (k = 0; k < rec.nfields; k++) {
			const struct json_member *m = &o->u.members[k];

			if (strcmp(m->name, rec.fields[k].name) != 0 ||
			    !json_value_text(&m->value, &s, &i) ||
			    i != rec.fields[k].value.len ||
			    memcmp(s, rec.fields[k].value.u.str, i) != 0) {
				printf("# %s record %zu field %s differs\n",
				    name, nrec, m->name);
				good = 0;
			}
		}
	}
	if (rc != 0 || nrec != want.len) {
		printf("# %s: rc %d, %zu records, want %zu\n", name, rc, nrec,
		    want.len);
		good = 0;
	}
	csv_reader_free(r);
	input_close(in);
out:
	record_release(&rec);
	arena_release(&a);
	strbuf_release(&path);
	strbuf_release(&err);
	strbuf_release(&json);
	return good;
}

static void
test_spectrum(void)
{
	struct strbuf dir = STRBUF_INIT, csvs = STRBUF_INIT;
	const char *shared = getenv("SHARED");
	struct dirent *de;
	DIR *d;
	int n = 0;

	strbuf_addf(&dir, "%s/conformance/csv-spectrum",
	    shared != NULL && *shared != '\0' ? shared : SHARED_DIR);
	strbuf_addf(&csvs, "%s/csvs", dir.buf);
	d = opendir(csvs.buf);
	if (d == NULL) {
		tap_skip("csv-spectrum: %s not found (set SHARED to the "
		    "folder holding conformance/)", csvs.buf);
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".csv") != 0)
			continue;
		ok(spectrum_case(dir.buf, de->d_name),
		    "csv-spectrum: %s reads as its JSON", de->d_name);
		n++;
	}
	closedir(d);
	ok(n >= 11, "csv-spectrum: all %d cases ran", n);
out:
	strbuf_release(&dir);
	strbuf_release(&csvs);
}

/* ==== reader ==== */

static void
test_basics(void)
{
	struct csv_opts o = CSV_OPTS_DEFAULT;
	struct strbuf sb = STRBUF_INIT;

	render("a,b\n1,2\n3,4\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=2\n3:a=3|b=4\n", "simple rows");
	render("\xef\xbb\xbf" "a,b\n1,2\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=2\n", "BOM dropped from first name");
	render("a,b\r\n1,2\r\n3,4\r\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=2\n3:a=3|b=4\n", "CRLF line ends");
	render("a,b\n1,2\n3,4", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=2\n3:a=3|b=4\n", "no final newline");
	render("a,b\n1,\"x\"", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=x\n", "quoted last field, no newline");
	render("", NULL, &sb);
	is_str(sb.buf, "H0\n", "empty input: no header, no records");
	render("\n\r\n\n", NULL, &sb);
	is_str(sb.buf, "H0\n", "blank lines only: empty");
	render("a,b\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n", "header only: no records");
	render("a,b", NULL, &sb);
	is_str(sb.buf, "H:a|b\n", "header only without newline");
	render("a,b\n,\n\"\",\"\"\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=|b=\n3:a=|b=\n", "empty fields");
	render("a,b\n x , y \n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a= x |b= y \n", "spaces are kept");
	render("a,b\n1,\"say \"\"hi\"\"\"\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=say \"hi\"\n", "doubled quotes");
	render("a,b\n1,ab\"c\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=ab\"c\n",
	    "stray quote in an unquoted field is literal");
	render("a,b\n1,\"ab\"c\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\nE2:unexpected text after closing quote\n",
	    "text after a closing quote is an error");
	render("a,b\n1,\"x\r\ny\"\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=x\r\ny\n",
	    "CRLF inside quotes keeps its bytes");
	render("a,b\n1,\"x,y\"\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=x,y\n", "delimiter inside quotes");
	render_path(put("a,b\n1,x\0y\n", 10), NULL, NULL, &sb);
	ok(sb.len == 18 && memcmp(sb.buf, "H:a|b\n2:a=1|b=x\0y\n", 18) == 0,
	    "NUL byte kept in a value");
	/* Old Mac CR-only line ends: rows split, lines counted by LF. */
	render("a,b\r1,2\r3,4\r", NULL, &sb);
	is_str(sb.buf, "H:a|b\n1:a=1|b=2\n1:a=3|b=4\n", "CR-only line ends");
	o.no_header = 1;
	render("1,2\n3,4,5\n", &o, &sb);
	is_str(sb.buf, "H:1|2\n1:1=1|2=2\n"
	    "2:1=3|2=4|_extra1=5 !ragged_row: expected 2 fields, found 3\n",
	    "no_header: columns 1..N, first row is data");
	render("", &o, &sb);
	is_str(sb.buf, "H0\n", "no_header: empty input");
	strbuf_release(&sb);
}

static void
test_lines(void)
{
	struct strbuf sb = STRBUF_INIT, data = STRBUF_INIT, want = STRBUF_INIT;
	unsigned long line;
	int i;

	render("a,b\n1,\"x\ny\nz\"\n2,w\n\n\n3,\"\n\"\n4,v\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=x\ny\nz\n5:a=2|b=w\n8:a=3|b=\n\n"
	    "10:a=4|b=v\n", "start lines after quoted newlines and blanks");
	render("\n\na,b\n\n1,2\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n5:a=1|b=2\n", "blank lines before the header");
	render("a,b\n\"x\ny\",\"p\nq\"\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=x\ny|b=p\nq\n",
	    "two multi-line fields in one row");

	/*
	 * Bigger than the reader's buffer: rows, some with newlines inside
	 * quotes and CRLF, some blank lines; every start line must be right.
	 */
	strbuf_addstr(&data, "id,text\n");
	strbuf_addstr(&want, "H:id|text\n");
	line = 2;
	for (i = 0; i < 200000; i++) {
		if (i % 11 == 0) {
			strbuf_addstr(&data, "\n");
			line++;
		}
		strbuf_addf(&want, "%lu:id=%d|text=", line, i);
		if (i % 7 == 0) {
			strbuf_addf(&data, "%d,\"first %d\nsecond,\"\"q\"\"\r\n"
			    "third\"\n", i, i);
			strbuf_addf(&want, "first %d\nsecond,\"q\"\r\nthird\n",
			    i);
			line += 3;
		} else {
			strbuf_addf(&data, "%d,plain text %d%s", i, i,
			    i % 13 == 0 ? "\r\n" : "\n");
			strbuf_addf(&want, "plain text %d\n", i);
			line++;
		}
	}
	ok(data.len > 3 * CSV_READ_SIZE, "long input spans several reads");
	render_path(put(data.buf, data.len), NULL, NULL, &sb);
	ok(strcmp(sb.buf, want.buf) == 0,
	    "long input: every value and start line right");
	strbuf_release(&sb);
	strbuf_release(&data);
	strbuf_release(&want);
}

static void
test_problems(void)
{
	struct strbuf sb = STRBUF_INIT;

	render("a,b,c\n1,2\n1,2,3,4,5\n1,2,3\n", NULL, &sb);
	is_str(sb.buf, "H:a|b|c\n"
	    "2:a=1|b=2 !ragged_row: expected 3 fields, found 2\n"
	    "3:a=1|b=2|c=3|_extra1=4|_extra2=5 !ragged_row: expected 3 fields, "
	    "found 5\n4:a=1|b=2|c=3\n", "ragged rows: problem, nothing lost");
	render("a,b\n1,x\xff" "y\n\xc3\xa9,\xc3\n3,4\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n"
	    "2:a=1|b=x\xffy !bad_utf8: invalid UTF-8 in field 2 (column 'b')\n"
	    "3:a=\xc3\xa9|b=\xc3 !bad_utf8: invalid UTF-8 in field 2 "
	    "(column 'b')\n4:a=3|b=4\n", "invalid UTF-8: problem per row");
	render("a,b\n\xed\xa0\x80,1\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=\xed\xa0\x80|b=1 !bad_utf8: invalid UTF-8 "
	    "in field 1 (column 'a')\n", "surrogate is invalid UTF-8");
	render("a,b,a\n1,2,3\n", NULL, &sb);
	is_str(sb.buf, "E1:duplicate column name 'a' in header\n",
	    "duplicate header name");
	render("\nx,y,z,y,x\n", NULL, &sb);
	is_str(sb.buf, "E2:duplicate column name 'y' in header\n",
	    "first repeated name reported, header line");
	render("a,\xff\n", NULL, &sb);
	is_str(sb.buf, "E1:invalid UTF-8 in header field 2\n",
	    "invalid UTF-8 in the header is an error");
	render("a,b\n1,2\n3,\"abc\n\ndef\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=2\nE3:unterminated quote\n",
	    "unterminated quote: the line its row started");
	render("a,\"b\n", NULL, &sb);
	is_str(sb.buf, "E1:unterminated quote\n",
	    "unterminated quote in the header");
	strbuf_release(&sb);
}

/*
 * csv_reader_next_row(): the cells of each row as csv_reader_next() gives
 * its values, in one block with a NUL after each; the problem code
 * without a record, and the record (message and all) on request.
 */
static void
test_rows(void)
{
	static const char data[] = "a,b,c\n1,\"x,\"\"y\"\"\",3\n\n4,5\n"
	    "\xff,2,3\n7,8,9\r\n";
	struct input_opts io = INPUT_OPTS_DEFAULT;
	struct record rec = RECORD_INIT;
	struct csv_row_view v;
	struct csv_reader *r;
	struct input *in;
	const char *err;

	in = input_open(put(data, sizeof(data) - 1), &io, &err);
	r = csv_reader_new(in, NULL);
	ok(csv_reader_next_row(r, &v) == 1 && v.n == 3 && v.line == 2 &&
	    v.problem_code == NULL, "row: 3 cells, line 2, no problem");
	ok(v.n == 3 && v.cells[1].len == 5 &&
	    memcmp(v.cells[1].s, "x,\"y\"", 6) == 0 &&
	    v.cells[1].s == v.cells[0].s + 2 &&
	    v.cells[2].s == v.cells[1].s + 6 &&
	    memcmp(v.cells[2].s, "3", 2) == 0,
	    "row: quotes undone, cells in one block with their NULs");
	ok(csv_reader_next_row(r, &v) == 1 && v.n == 2 && v.line == 4 &&
	    v.problem_code != NULL &&
	    strcmp(v.problem_code, "ragged_row") == 0,
	    "row: ragged after a blank line, line 4");
	csv_reader_row_record(r, &rec);
	ok(rec.line == 4 && rec.nfields == 2 && rec.problem != NULL &&
	    strcmp(rec.problem, "expected 3 fields, found 2") == 0,
	    "row as record: the ragged message");
	ok(csv_reader_next_row(r, &v) == 1 && v.line == 5 &&
	    v.problem_code != NULL && strcmp(v.problem_code, "bad_utf8") == 0,
	    "row: bad UTF-8 flagged");
	csv_reader_row_record(r, &rec);
	ok(rec.problem != NULL && strcmp(rec.problem,
	    "invalid UTF-8 in field 1 (column 'a')") == 0 &&
	    strcmp(rec.problem_code, "bad_utf8") == 0,
	    "row as record: the UTF-8 message names the column");
	ok(csv_reader_next_row(r, &v) == 1 && v.n == 3 && v.line == 6 &&
	    v.problem_code == NULL && v.cells[2].len == 1,
	    "row: CR LF ending not in the last cell");
	csv_reader_row_record(r, &rec);
	ok(rec.problem == NULL && rec.nfields == 3 &&
	    strcmp(rec.fields[2].name, "c") == 0 &&
	    rec.fields[2].value.len == 1, "row as record: a good row");
	ok(csv_reader_next_row(r, &v) == 0, "row: 0 at the end");
	record_release(&rec);
	csv_reader_free(r);
	input_close(in);
}

/*
 * Quote-free lines are split eight bytes at a time: fields must come out
 * as a plain split on the delimiter wherever the delimiters fall in the
 * words, with bytes above 0x7f around them, and for any delimiter.
 */
/*
 * Rows' UTF-8 problems, "line:field" each, read from a file split in a
 * thread, with UTF-8 checked there or (when_read) by the reader.
 */
static void
utf8_problems(const char *path, int when_read, struct strbuf *out)
{
	struct record rec = RECORD_INIT;
	struct csv_row_view v;
	struct csv_reader *r;
	struct input *in;
	const char *err;
	int rc;

	strbuf_reset(out);
	in = input_open(path, NULL, &err);
	r = csv_reader_new(in, NULL);
	if (when_read)
		csv_reader_check_utf8_when_read(r);
	while ((rc = csv_reader_next_row(r, &v)) == 1) {
		if (v.problem_code == NULL)
			continue;
		csv_reader_row_record(r, &rec);
		strbuf_addf(out, "%lu:%s:%s\n", v.line, v.problem_code,
		    rec.problem);
	}
	strbuf_addf(out, "end %d\n", rc);
	record_release(&rec);
	csv_reader_free(r);
	input_close(in);
}

/* UTF-8 checked in the splitting thread or when read: the same answers. */
static void
test_utf8_when_read(void)
{
	struct strbuf data = STRBUF_INIT, split = STRBUF_INIT,
	    read = STRBUF_INIT;
	const char *path;
	int i;

	strbuf_addstr(&data, "id,name,city\n");
	for (i = 0; i < 40000; i++) {
		if (i == 7)
			strbuf_addstr(&data, "7,\"Кафе \xd0\",Омск\n");
		else if (i == 33333)
			strbuf_addstr(&data, "33333,ok,\xed\xa0\x80\n");
		else
			strbuf_addf(&data, "%d,\"Салон \"\"Огонёк\"\"\","
			    "\"ул. Ленина, %d\"\n", i, i);
	}
	path = put(data.buf, data.len);
	setenv("DUMPKIT_CSV_THREAD", "1", 1);
	utf8_problems(path, 0, &split);
	utf8_problems(path, 1, &read);
	unsetenv("DUMPKIT_CSV_THREAD");
	is_str(split.buf, "9:bad_utf8:invalid UTF-8 in field 2 (column 'name')\n"
	    "33335:bad_utf8:invalid UTF-8 in field 3 (column 'city')\nend 0\n",
	    "UTF-8 checked in the splitting thread: both bad rows");
	is_str(read.buf, split.buf, "checked when read: the same rows, lines "
	    "and messages");
	strbuf_release(&data);
	strbuf_release(&split);
	strbuf_release(&read);
}

static void
test_plain_split(void)
{
	static const char *const alpha[] = { "a", "\xc3\xa9", ",", ";",
	    "\t", "\xa6", " ", "0123456789" };
	static const int delims[] = { ',', ';', '\t', 0xa6 };
	struct strbuf data = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	struct csv_opts o = CSV_OPTS_DEFAULT;
	uint32_t seed = 12345;
	size_t d, line, k, len, bad = 0;

	for (d = 0; d < sizeof(delims) / sizeof(delims[0]); d++) {
		o.delim = delims[d];
		o.no_header = 1;
		strbuf_reset(&data);
		strbuf_reset(&want);
		for (line = 1; line <= 300; line++) {
			size_t start = data.len, nf = 1;

			len = line % 37 + 1;
			for (k = 0; k < len; k++) {
				seed = seed * 1103515245 + 12345;
				strbuf_addstr(&data, alpha[(seed >> 16) % 8]);
			}
			/* The expected fields: a split on the delimiter. */
			strbuf_addf(&want, "%zu:", line);
			for (k = start; k < data.len; k++) {
				if ((unsigned char)data.buf[k] == delims[d]) {
					strbuf_addch(&want, '|');
					nf++;
				} else {
					strbuf_addch(&want, data.buf[k]);
				}
			}
			strbuf_addf(&want, "#%zu\n", nf);
			strbuf_addch(&data, '\n');
		}
		render_fields(data.buf, data.len, &o, &got);
		if (strcmp(got.buf, want.buf) != 0)
			bad++;
	}
	ok(bad == 0, "plain lines: fields as a plain split, 4 delimiters");
	strbuf_release(&data);
	strbuf_release(&want);
	strbuf_release(&got);
}

static void
test_limits(void)
{
	struct csv_opts o = CSV_OPTS_DEFAULT;
	struct strbuf sb = STRBUF_INIT, data = STRBUF_INIT;
	struct record rec = RECORD_INIT;
	struct csv_reader *r;
	struct input *in;
	const char *err;
	size_t i;
	int rc;

	o.max_record = 1024;
	strbuf_addstr(&data, "a,b\n1,short\n2,\"");
	for (i = 0; i < 5000; i++)
		strbuf_addch(&data, 'x');
	strbuf_addstr(&data, "\"\n");
	render(data.buf, &o, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=short\nE3:row longer than 1 KiB\n",
	    "quoted field beyond max_record");
	strbuf_reset(&data);
	strbuf_addstr(&data, "a,b\n\n1,");
	for (i = 0; i < 5000; i++)
		strbuf_addch(&data, 'y');
	strbuf_addstr(&data, "\n");
	render(data.buf, &o, &sb);
	is_str(sb.buf, "H:a|b\nE3:row longer than 1 KiB\n",
	    "unquoted line beyond max_record");
	o.max_record = 1000;
	render(data.buf, &o, &sb);
	is_str(sb.buf, "H:a|b\nE3:row longer than 1000 bytes\n",
	    "limit named in bytes when not a round size");

	o.max_record = 64 * 1024;
	strbuf_reset(&data);
	strbuf_addstr(&data, "a\n");
	for (i = 0; i < 2000; i++)
		strbuf_addch(&data, ',');
	strbuf_addstr(&data, "\n");
	render(data.buf, &o, &sb);
	is_str(sb.buf, "H:a\nE2:row has more than 1024 fields\n",
	    "too many fields in one row");

	/* An 8 MB line with a 1 MiB limit fails without reading it all. */
	strbuf_reset(&data);
	strbuf_addstr(&data, "a\n\"");
	for (i = 0; i < 8 << 20; i++)
		strbuf_addch(&data, 'z');
	o.max_record = 1 << 20;
	in = input_open(put(data.buf, data.len), NULL, &err);
	r = csv_reader_new(in, &o);
	rc = csv_reader_next(r, &rec);
	is_int(rc, -1, "huge field: error");
	is_str(csv_reader_error(r), "row longer than 1 MiB",
	    "huge field: message");
	ok(input_raw_bytes(in) < 2 << 20, "huge field: stopped early (%llu)",
	    (unsigned long long)input_raw_bytes(in));
	is_int(csv_reader_next(r, &rec), -1, "errors are sticky");
	csv_reader_free(r);
	input_close(in);
	record_release(&rec);
	strbuf_release(&sb);
	strbuf_release(&data);
}

static void
test_sniff(void)
{
	struct csv_opts o = CSV_OPTS_DEFAULT;
	struct strbuf sb = STRBUF_INIT;
	struct csv_reader *r;
	struct input *in;
	const char *err;

	render("a;b;c\n1;2,5;3\n", NULL, &sb);
	is_str(sb.buf, "H:a|b|c\n2:a=1|b=2,5|c=3\n", "sniff: semicolon");
	render("a\tb\n1\t2\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=2\n", "sniff: tab");
	render("a|b|c,d\n1|2|3\n", NULL, &sb);
	is_str(sb.buf, "H:a|b|c,d\n2:a=1|b=2|c,d=3\n", "sniff: pipe");
	render("a,b;c\n1,2;3\n", NULL, &sb);
	is_str(sb.buf, "H:a|b;c\n2:a=1|b;c=2;3\n", "sniff: tie goes to comma");
	render("\r\n\na;b\n1;2\n", NULL, &sb);
	is_str(sb.buf, "H:a|b\n4:a=1|b=2\n", "sniff: blank lines before the "
	    "header skipped");
	render("abc\n1\n", NULL, &sb);
	is_str(sb.buf, "H:abc\n2:abc=1\n", "sniff: one column");
	render("\"a;b;c\",d\n1,2\n", NULL, &sb);
	is_str(sb.buf, "H:a;b;c|d\n2:a;b;c=1|d=2\n",
	    "sniff: delimiters inside quotes don't count");
	o.delim = ';';
	render("a,b;c\n1,2;3\n", &o, &sb);
	is_str(sb.buf, "H:a,b|c\n2:a,b=1,2|c=3\n", "delim given: no sniffing");

	o.delim = '"';
	render("a,b\n", &o, &sb);
	is_str(sb.buf, "E0:bad delimiter: a quote, CR or LF can't be one\n",
	    "a quote as delimiter is refused");

	in = input_open(put("x;y\n", 4), NULL, &err);
	r = csv_reader_new(in, NULL);
	csv_reader_header(r, NULL, NULL);
	is_int(csv_reader_delim(r), ';', "csv_reader_delim: the sniffed one");
	csv_reader_free(r);
	input_close(in);
	strbuf_release(&sb);
}

static void
test_inputs(void)
{
	struct strbuf sb = STRBUF_INIT, z = STRBUF_INIT;
	const char *path;
	int fds[2], saved, status;
	pid_t pid;
	static const char csv[] = "name,city\n\"Ann\",\"Omsk\nNorth\"\nBob,Tver\n";
	static const char want[] =
	    "H:name|city\n2:name=Ann|city=Omsk\nNorth\n4:name=Bob|city=Tver\n";

	gz(&z, csv, sizeof(csv) - 1);
	path = put(z.buf, z.len);
	render_path(path, NULL, NULL, &sb);
	is_str(sb.buf, want, "gzip file");

	/* gzip through a pipe on stdin, and two members (cat a.gz b.gz). */
	gz(&z, "Cid,Kazan\n", 10);
	if (pipe(fds) == -1 || (saved = dup(0)) == -1)
		exit(1);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		_exit(write(fds[1], z.buf, z.len) == (ssize_t)z.len ? 0 : 1);
	}
	close(fds[1]);
	dup2(fds[0], 0);
	close(fds[0]);
	render_path("-", NULL, NULL, &sb);
	dup2(saved, 0);
	close(saved);
	waitpid(pid, &status, 0);
	is_str(sb.buf, "H:name|city\n2:name=Ann|city=Omsk\nNorth\n"
	    "4:name=Bob|city=Tver\n5:name=Cid|city=Kazan\n",
	    "multi-member gzip on stdin");

	path = put(z.buf, z.len - 12);
	render_path(path, NULL, NULL, &sb);
	is_str(sb.buf, "H:name|city\n2:name=Ann|city=Omsk\nNorth\n"
	    "4:name=Bob|city=Tver\nE5:truncated gzip data\n",
	    "truncated gzip: error after the good rows");

	path = put("\xc8\xec\xff,\xc3\xee\xf0\xee\xe4\n\xc0\xed\xff,\xce\xec"
	    "\xf1\xea\n", 19);
	render_path(path, "cp1251", NULL, &sb);
	is_str(sb.buf, "H:Имя|Город\n2:Имя=Аня|Город=Омск\n",
	    "cp1251 converted");
	render_path(path, NULL, NULL, &sb);
	is_str(sb.buf, "E1:invalid UTF-8 in header field 1\n",
	    "cp1251 read as UTF-8: error");
	path = put("\xff\xfe" "a\0,\0b\0\n\0" "1\0,\0\x1f\x04\n\0", 18);
	render_path(path, "utf-16", NULL, &sb);
	is_str(sb.buf, "H:a|b\n2:a=1|b=П\n", "UTF-16LE with BOM");
	render_path(path, NULL, NULL, &sb);
	is_str(sb.buf, "O:UTF-16 text, which is not read as it is (try "
	    "--encoding utf-16)\n", "UTF-16 read as UTF-8: caught at open, "
	    "with a hint");
	render_path(path, "koi9", NULL, &sb);
	is_str(sb.buf, "O:unknown encoding: koi9\n", "unknown encoding");
	path = put("a,b\n1,\x98\n", 8);
	render_path(path, "cp1251", NULL, &sb);
	is_str(sb.buf, "H:a|b\nE2:invalid cp1251 data at byte 6\n",
	    "conversion error is fatal");
	strbuf_release(&sb);
	strbuf_release(&z);
}

/* ==== writer ==== */

static const char *
cell(const char *s, size_t len, int delim, int safe)
{
	static struct strbuf sb = STRBUF_INIT;
	struct csv_write_opts o = CSV_WRITE_OPTS_DEFAULT;

	o.delim = delim;
	o.csv_safe = safe;
	strbuf_reset(&sb);
	csv_write_cell(&sb, s, len, &o);
	return sb.buf;
}

#define CELL(s, d, safe) cell((s), strlen(s), (d), (safe))

static void
test_writer(void)
{
	struct csv_write_opts o = CSV_WRITE_OPTS_DEFAULT;
	struct strbuf sb = STRBUF_INIT, back = STRBUF_INIT;
	static const char *cells[] = { "plain", "", " sp ", "a,b", "q\"q",
	    "\"", "l1\nl2", "cr\r", "t\tb", "=1+2", "-5", "x;y", "é" };
	size_t i;

	is_str(CELL("abc", ',', 0), "abc", "plain cell as is");
	is_str(CELL("", ',', 0), "", "empty cell as is");
	is_str(CELL(" a ", ',', 0), " a ", "spaces need no quotes");
	is_str(CELL("a,b", ',', 0), "\"a,b\"", "delimiter quoted");
	is_str(CELL("a;b", ',', 0), "a;b", "other delimiters not");
	is_str(CELL("a;b", ';', 0), "\"a;b\"", "the chosen delimiter is");
	is_str(CELL("a\tb", '\t', 0), "\"a\tb\"", "TAB quoted in TSV");
	is_str(CELL("say \"hi\"", ',', 0), "\"say \"\"hi\"\"\"",
	    "quotes doubled");
	is_str(CELL("\"", ',', 0), "\"\"\"\"", "lone quote");
	is_str(CELL("a\nb", ',', 0), "\"a\nb\"", "LF quoted");
	is_str(CELL("a\rb", ',', 0), "\"a\rb\"", "CR quoted");
	ok(memcmp(cell("a\0b", 3, ',', 0), "a\0b", 3) == 0, "NUL kept");
	is_str(CELL("=SUM(A1)", ',', 0), "=SUM(A1)", "formula kept without "
	    "csv_safe");
	is_str(CELL("=SUM(A1)", ',', 1), "'=SUM(A1)", "csv_safe: =");
	is_str(CELL("+1", ',', 1), "'+1", "csv_safe: +");
	is_str(CELL("-1", ',', 1), "'-1", "csv_safe: -");
	is_str(CELL("@x", ',', 1), "'@x", "csv_safe: @");
	is_str(CELL("\tx", ',', 1), "'\tx", "csv_safe: TAB");
	is_str(CELL("\rx", ',', 1), "\"'\rx\"", "csv_safe: CR, then quoted");
	is_str(CELL("=a,\"b\"", ',', 1), "\"'=a,\"\"b\"\"\"",
	    "csv_safe and quoting together");
	is_str(CELL("a=b", ',', 1), "a=b", "csv_safe: only the first byte");
	is_str(CELL("", ',', 1), "", "csv_safe: empty cell");

	csv_write_eol(&sb, &o);
	o.crlf = 1;
	csv_write_eol(&sb, &o);
	is_str(sb.buf, "\n\r\n", "eol: LF, or CR LF");

	/* What the writer writes, the reader reads back. */
	strbuf_reset(&sb);
	o.crlf = 0;
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		if (i > 0)
			strbuf_addch(&sb, ',');
		strbuf_addf(&sb, "c%zu", i);
	}
	csv_write_eol(&sb, &o);
	strbuf_addstr(&back, "H:");
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		if (i > 0) {
			strbuf_addch(&sb, ',');
			strbuf_addch(&back, '|');
		}
		strbuf_addf(&back, "c%zu", i);
		csv_write_cell(&sb, cells[i], strlen(cells[i]), &o);
	}
	csv_write_eol(&sb, &o);
	strbuf_addstr(&back, "\n2:");
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		strbuf_addf(&back, "%sc%zu=%s", i ? "|" : "", i, cells[i]);
	strbuf_addch(&back, '\n');
	render(sb.buf, NULL, &sb);
	is_str(sb.buf, back.buf, "round trip: writer output reads back");
	strbuf_release(&sb);
	strbuf_release(&back);
}

/*
 * csv_write_row() is csv_write_cell() for each cell, delimiters between and
 * csv_write_eol() after, for every delimiter, csv_safe and line end, on
 * rows of the hard cells (and long ones that outgrow the buffer).
 */
static void
test_write_row(void)
{
	static const char *hard[] = { "plain", "", " sp ", "a,b", "q\"q", "\"",
	    "l1\nl2", "cr\r", "t\tb", "=1+2", "-5", "x;y", "\xd0\x9a\"\xd0\xb0\"",
	    "a long cell of more than sixteen bytes, with a \"quote\" in it" };
	static const int delims[] = { ',', ';', '\t', '|' };
	struct csv_write_opts o = CSV_WRITE_OPTS_DEFAULT;
	struct strbuf one = STRBUF_INIT, row = STRBUF_INIT;
	struct csv_cell cells[40];
	size_t nh = sizeof(hard) / sizeof(hard[0]), n, i, bad = 0, tried = 0;
	uint32_t seed = 7;
	int d, safe, crlf;

	for (d = 0; d < 4; d++)
	for (safe = 0; safe < 2; safe++)
	for (crlf = 0; crlf < 2; crlf++) {
		o.delim = delims[d];
		o.csv_safe = safe;
		o.crlf = crlf;
		for (n = 0; n <= 40; n++, tried++) {
			for (i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				cells[i].s = hard[(seed >> 8) % nh];
				cells[i].len = strlen(cells[i].s);
			}
			strbuf_reset(&one);
			strbuf_reset(&row);
			strbuf_addstr(&row, "before|");
			strbuf_addstr(&one, "before|");
			for (i = 0; i < n; i++) {
				if (i > 0)
					strbuf_addch(&one, (char)o.delim);
				csv_write_cell(&one, cells[i].s, cells[i].len,
				    &o);
			}
			csv_write_eol(&one, &o);
			csv_write_row(&row, cells, n, &o);
			if (one.len != row.len || memcmp(one.buf, row.buf,
			    one.len) != 0 || row.buf[row.len] != '\0')
				bad++;
		}
	}
	is_int(bad, 0, "csv_write_row writes what csv_write_cell and "
	    "csv_write_eol would (%zu rows)", tried);
	strbuf_release(&one);
	strbuf_release(&row);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");
	char path[512];
	int i;

	snprintf(tmpdir, sizeof(tmpdir), "%s/test_csvio.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_spectrum();
	test_basics();
	test_lines();
	test_problems();
	test_rows();
	test_utf8_when_read();
	test_plain_split();
	test_limits();
	test_sniff();
	test_inputs();
	test_writer();
	test_write_row();
	for (i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/f%d.csv", tmpdir, i);
		unlink(path);
	}
	rmdir(tmpdir);
	return tap_done();
}

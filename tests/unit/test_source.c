/* test_source.c: one input of any format as records: detection and errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/record.h"
#include "common/source.h"
#include "tests/unit/tap.h"

static char dir[] = "/tmp/test_source.XXXXXX";

/* A file in the test directory holding s; returns its path (static). */
static const char *
put(const char *name, const char *s)
{
	static char path[8][256];
	static int slot;
	char *p = path[slot++ % 8];
	FILE *fp;

	snprintf(p, 256, "%s/%s", dir, name);
	fp = fopen(p, "w");
	fputs(s, fp);
	fclose(fp);
	return p;
}

static const char *
put_gz(const char *name, const char *s)
{
	static char p[256];
	gzFile gz;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	gz = gzopen(p, "wb");
	gzwrite(gz, s, (unsigned)strlen(s));
	gzclose(gz);
	return p;
}

/* A field's text, or "(none)". */
static const char *
field(const struct record *rec, const char *name)
{
	const struct json_value *v = record_get(rec, name);
	static char buf[256];
	const char *s;
	size_t len;

	if (v == NULL)
		return "(none)";
	if (!json_value_text(v, &s, &len))
		return "(not scalar)";
	snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
	return buf;
}

/*
 * Read all of path with o; a summary string per record:
 * "LINE:f1=v1,f2=v2;" and at the end "rc=N".
 */
static char *
slurp(const char *path, const struct common_opts *o, enum format *fmt)
{
	static char out[4096];
	struct record rec = RECORD_INIT;
	struct source *s;
	size_t i, n = 0;
	int rc;

	out[0] = '\0';
	s = source_open(path, o);
	if (fmt != NULL)
		*fmt = source_format(s);
	while ((rc = source_next(s, &rec)) == 1) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%lu:",
		    rec.line);
		for (i = 0; i < rec.nfields; i++) {
			const char *t;
			size_t len;

			if (!json_value_text(&rec.fields[i].value, &t, &len)) {
				t = "?";
				len = 1;
			}
			n += (size_t)snprintf(out + n, sizeof(out) - n,
			    "%s%s=%.*s", i ? "," : "", rec.fields[i].name,
			    (int)len, t);
		}
		if (rec.problem_code != NULL)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "!%s",
			    rec.problem_code);
		n += (size_t)snprintf(out + n, sizeof(out) - n, ";");
	}
	snprintf(out + n, sizeof(out) - n, "rc=%d", rc);
	source_close(s);
	record_release(&rec);
	return out;
}

/* Run fn(arg) in a child; return its exit status and its stderr in err. */
static int
child(void (*fn)(const void *), const void *arg, char *err, size_t errsz)
{
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds) == -1)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 2);
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], err + got, errsz - 1 - (size_t)got)) > 0)
		got += n;
	err[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void
open_missing(const void *path)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;
	struct record rec = RECORD_INIT;
	struct source *s = source_open(path, &o);

	if (source_next(s, &rec) == -1)
		source_die(s);
}

/* Read until the error, then source_die(). */
static void
read_and_die(const void *path)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;
	struct record rec = RECORD_INIT;
	struct source *s = source_open(path, &o);

	while (source_next(s, &rec) == 1)
		;
	source_die(s);
}

static void
test_formats(void)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;
	struct record rec = RECORD_INIT;
	const char *const *names;
	struct source *s;
	enum format f;
	const char *p;
	size_t n;

	p = put("a.csv", "id,name\n1,ann\n2,\"bob, jr\"\n");
	is_str(slurp(p, &o, &f), "2:id=1,name=ann;3:id=2,name=bob, jr;rc=0",
	    "CSV by extension: one record per row, lines counted");
	is_int(f, FORMAT_CSV, "format is CSV");

	s = source_open(p, &o);
	source_header(s, &names, &n);
	ok(n == 2 && strcmp(names[0], "id") == 0 &&
	    strcmp(names[1], "name") == 0, "header names");
	is_int(source_format(s), FORMAT_CSV, "format of a CSV source");
	is_str(source_name(s), p, "name is the path");
	is_int(source_next(s, &rec), 1, "first row");
	is_str(rec.file, p, "record carries the file name");
	source_close(s);

	p = put("b.tsv", "id\tname\n1\ta,b\n");
	is_str(slurp(p, &o, &f), "2:id=1,name=a,b;rc=0",
	    "TSV by extension splits on tabs only");
	is_int(f, FORMAT_TSV, "format is TSV");

	p = put("c.json", "[\n{\"id\":\"1\",\"n\":70000001020530434},\n"
	    "{\"id\":\"2\"}\n]\n");
	is_str(slurp(p, &o, &f), "2:id=1,n=70000001020530434;3:id=2;rc=0",
	    "JSON array unwrapped, numbers exact");
	is_int(f, FORMAT_JSON, "format is JSON");

	s = source_open(p, &o);
	source_header(s, &names, &n);
	ok(names == NULL && n == 0, "no header for JSON");
	is_int(source_next(s, &rec), 1, "first JSON record");
	is_str(rec.file, p, "JSON record carries the file name");
	is_str(field(&rec, "id"), "1", "JSON field");
	source_close(s);

	p = put("d.ndjson", "{\"a\":1}\n{\"a\":2}\n");
	is_str(slurp(p, &o, &f), "1:a=1;2:a=2;rc=0", "NDJSON by extension");
	is_int(f, FORMAT_JSON, "NDJSON reads as JSON");

	p = put("e.dat", "  {\"a\":1} {\"a\":2}");
	is_str(slurp(p, &o, &f), "1:a=1;1:a=2;rc=0",
	    "sniffed JSON, concatenated values");
	is_int(f, FORMAT_JSON, "sniffed as JSON");

	p = put("f.txt", "id;name\n1;x\n");
	is_str(slurp(p, &o, &f), "2:id=1,name=x;rc=0",
	    "sniffed CSV with a sniffed ; delimiter");
	is_int(f, FORMAT_CSV, "sniffed as CSV");

	p = put("g.csv", "{\"a\":1}\n");
	o.from = FORMAT_JSON;
	is_str(slurp(p, &o, &f), "1:a=1;rc=0", "--from beats the extension");
	o.from = FORMAT_NDJSON;
	is_str(slurp(p, &o, &f), "1:a=1;rc=0", "--from ndjson reads JSON");
	o.from = FORMAT_NONE;

	p = put("h.csv", "a|b\n1|2\n");
	o.delim = '|';
	is_str(slurp(p, &o, NULL), "2:a=1,b=2;rc=0", "-d delimiter");
	o.delim = 0;

	p = put("i.csv", "1,2\n3,4\n");
	o.no_header = 1;
	is_str(slurp(p, &o, NULL), "1:1=1,2=2;2:1=3,2=4;rc=0",
	    "--no-header names columns 1..N");
	o.no_header = 0;

	p = put_gz("j.csv.gz", "id\n7\n");
	is_str(slurp(p, &o, &f), "2:id=7;rc=0", "gzip CSV, .gz ignored");
	p = put_gz("k.gz", "{\"id\":8}\n");
	is_str(slurp(p, &o, &f), "1:id=8;rc=0", "gzip sniffed as JSON");
	is_int(f, FORMAT_JSON, "sniff looks at inflated bytes");

	p = put("l.json", "");
	is_str(slurp(p, &o, NULL), "rc=0", "empty JSON file: no records");
	p = put("m.csv", "");
	is_str(slurp(p, &o, NULL), "rc=0", "empty CSV file: no records");
	p = put("n.unknown", "");
	is_str(slurp(p, &o, &f), "rc=0", "empty file of unknown type");

	p = put("o.csv", "a,b\n1,2\n3\n");
	is_str(slurp(p, &o, NULL), "2:a=1,b=2;3:a=3!ragged_row;rc=0",
	    "ragged row comes with its problem");
	p = put("p.json", "{\"a\":1}\n[1]\n");
	/* Its value kept as "value", for --rejects (slurp prints scalars). */
	is_str(slurp(p, &o, NULL), "1:a=1;2:value=1!not_object;rc=0",
	    "a non-object comes with its problem and its value");
	record_release(&rec);
}

static void
test_errors(void)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;
	struct record rec = RECORD_INIT;
	struct source *s;
	char err[1024], want[1024];
	const char *p;
	int status;

	p = put("bad.json", "{\"a\":1}\n{\"a\":1,}\n");
	s = source_open(p, &o);
	is_int(source_next(s, &rec), 1, "good value before the error");
	is_int(source_next(s, &rec), -1, "then -1");
	is_int(source_err(s)->line, 2, "error line");
	is_int(source_err(s)->col, 8, "error column");
	is_str(source_err(s)->file, p, "error file");
	ok(source_err(s)->msg[0] != '\0', "error message");
	snprintf(want, sizeof(want), "test_source: %s:2:8: %s\n", p,
	    source_err(s)->msg);
	source_close(s);
	status = child(read_and_die, p, err, sizeof(err));
	is_int(status, 2, "source_die exits 2");
	is_str(err, want, "source_die: FILE:LINE:COL: problem");

	p = put("bad.csv", "a,b\n1,2\n\"open\n");
	s = source_open(p, &o);
	while (source_next(s, &rec) == 1)
		;
	is_int(source_err(s)->col, 0, "no column for CSV");
	is_int(source_err(s)->line, 3, "CSV error line");
	snprintf(want, sizeof(want), "test_source: %s:3: %s\n", p,
	    source_err(s)->msg);
	source_close(s);
	status = child(read_and_die, p, err, sizeof(err));
	is_int(status, 2, "CSV error exits 2");
	is_str(err, want, "CSV error: FILE:LINE: problem");

	snprintf(want, sizeof(want), "%s/nope.csv", dir);
	status = child(open_missing, want, err, sizeof(err));
	is_int(status, 2, "missing file exits 2");
	snprintf(want, sizeof(want), "test_source: %s/nope.csv: No such file "
	    "or directory\n", dir);
	is_str(err, want, "missing file message");
	record_release(&rec);
}

/* Opening never exits: the error comes from the first read. */
static void
test_open_error(void)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;
	struct record rec = RECORD_INIT;
	const char *const *names;
	struct source *s;
	char want[1024];
	size_t n;

	snprintf(want, sizeof(want), "%s/nope.csv", dir);
	s = source_open(want, &o);
	ok(s != NULL, "source_open() of a missing file returns a source");
	is_int(source_header(s, &names, &n), -1, "its header is -1");
	ok(names == NULL && n == 0, "and no names");
	is_int(source_next(s, &rec), -1, "its first record is -1");
	is_str(source_err(s)->msg, "No such file or directory",
	    "the error says why");
	is_str(source_err(s)->file, want, "and names the file");
	is_int(source_err(s)->line, 0, "no line");
	source_close(s);
	record_release(&rec);
}

/* Values, items, the member path with its envelope, and CSV cells. */
static void
test_kinds(void)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;
	struct arena a = ARENA_INIT;
	struct json_value v;
	struct csv_row_view row;
	struct record rec = RECORD_INIT;
	struct source *s;
	const char *p;
	int rc;

	p = put("v.json", "[1,2]\n{\"x\":3}\n");
	s = source_open(p, &o);
	is_int(source_next_value(s, &a, &v), 1, "next_value");
	ok(v.type == JSON_ARRAY && v.len == 2, "keeps a top-level array");
	is_int(source_next_value(s, &a, &v), 1, "next_value again");
	is_int(source_line(s), 2, "its line");
	is_int(source_next_value(s, &a, &v), 0, "then the end");
	source_close(s);
	arena_reset(&a);

	s = source_open(p, &o);
	is_int(source_next_item(s, &a, &v), 1, "next_item");
	ok(v.type == JSON_NUMBER, "unwraps a top-level array");
	source_close(s);
	arena_reset(&a);

	p = put("w.json", "{\"data\":[{\"id\":1},{\"id\":2}],"
	    "\"meta\":{\"n\":2}}\n{\"errors\":[]}\n");
	s = source_open(p, &o);
	is_int(source_next_in(s, "data", &a, &v), JSON_READER_ITEM, "item 1");
	is_int(source_next_in(s, "data", &a, &v), JSON_READER_ITEM, "item 2");
	is_int(source_next_in(s, "data", &a, &v), JSON_READER_DOC_END,
	    "then the envelope");
	ok(json_object_get(&v, "meta") != NULL &&
	    json_object_get(&v, "data") == NULL, "envelope without data");
	is_int(source_in_found(s), 1, "the member was found");
	is_int(source_next_in(s, "data", &a, &v), JSON_READER_DOC_END,
	    "a document without data: only its envelope");
	is_int(source_in_found(s), 0, "not found there");
	is_int(source_next_in(s, "data", &a, &v), 0, "the end");
	source_close(s);
	arena_reset(&a);

	p = put("x.csv", "a,b\n1,2\n3\n");
	s = source_open(p, &o);
	is_int(source_next_row(s, &row), 1, "a row as cells");
	ok(row.n == 2 && strcmp(row.cells[1].s, "2") == 0 &&
	    row.problem_code == NULL, "its cells");
	is_int(source_next_row(s, &row), 1, "a ragged row");
	is_str(row.problem_code, "ragged_row", "with its problem");
	source_row_record(s, &rec);
	is_str(rec.problem_code, "ragged_row", "and as a record");
	is_int(source_next_row(s, &row), 0, "the end");
	rc = source_next_value(s, &a, &v);
	is_int(rc, -1, "a CSV source has no JSON values");
	is_str(source_err(s)->msg, "not JSON input", "and says so");
	source_close(s);

	p = put("y.json", "{}\n");
	s = source_open(p, &o);
	is_int(source_next_row(s, &row), -1, "a JSON source has no rows");
	source_close(s);
	record_release(&rec);
	arena_release(&a);
}

int
main(int argc, char *argv[])
{
	char cmd[300];

	(void)argc;
	errors_init(argv[0]);
	if (mkdtemp(dir) == NULL)
		return 2;
	test_formats();
	test_errors();
	test_open_error();
	test_kinds();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}

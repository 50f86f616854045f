/* test_writer.c: record_writer output, byte for byte, in every format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/json.h"
#include "common/output.h"
#include "common/record.h"
#include "common/writer.h"
#include "tests/unit/tap.h"

static char dir[] = "/tmp/test_writer.XXXXXX";
static char path[600];
static char file[1 << 16];
static char errs[1024];		/* "|"-joined record_writer_error()s */

/* Parse JSON text into rec (or die: a broken test, not a finding). */
static void
rec_from(struct record *rec, const char *json)
{
	struct json_opts jo = JSON_OPTS_DEFAULT;
	struct strbuf err = STRBUF_INIT;
	struct json_value *v;
	size_t i;

	record_reset(rec);
	v = arena_alloc(&rec->arena, sizeof(*v));
	if (json_parse(json, strlen(json), &jo, &rec->arena, v, &err) == -1)
		die("bad test JSON: %s: %s", json, err.buf);
	if (record_from_value(rec, v) == -1)
		die("test JSON is not an object: %s", json);
	/*
	 * The reader folds a repeated name into one member, so a record with
	 * one twice is spelt "+name": the '+' is dropped here, after reading.
	 */
	for (i = 0; i < rec->nfields; i++)
		if (rec->fields[i].name[0] == '+') {
			rec->fields[i].name++;
			rec->fields[i].name_len--;
		}
	strbuf_release(&err);
}

static const char *
slurp(const char *p, size_t *n)
{
	FILE *fp = fopen(p, "r");
	size_t len = 0;

	if (fp != NULL) {
		len = fread(file, 1, sizeof(file) - 1, fp);
		fclose(fp);
	}
	file[len] = '\0';
	if (n != NULL)
		*n = len;
	return file;
}

/*
 * Write the records (JSON texts, NULL-terminated) with opts to a file and
 * return the file's bytes; errors of failed writes go to errs.
 */
static const char *
run(const struct writer_opts *opts, const char *const *jsons)
{
	struct record rec = RECORD_INIT;
	struct output *out;
	struct record_writer *w;

	errs[0] = '\0';
	out = output_open(path, 0);
	w = record_writer_new(out, opts);
	for (; *jsons != NULL; jsons++) {
		rec_from(&rec, *jsons);
		if (record_writer_write(w, &rec) == -1) {
			if (errs[0] != '\0')
				strcat(errs, "|");
			strncat(errs, record_writer_error(w),
			    sizeof(errs) - strlen(errs) - 2);
		}
	}
	record_writer_finish(w);
	output_commit(out);
	output_publish();
	record_release(&rec);
	return slurp(path, NULL);
}

static const char *const two[] = {
	"{\"id\":\"a1\",\"n\":70000001020530434,\"ok\":true}",
	"{\"id\":\"b2\",\"n\":1.50e3,\"ok\":null}",
	NULL
};

static void
test_json(void)
{
	struct writer_opts o = WRITER_OPTS_DEFAULT;
	static const char *const none[] = { NULL };
	static const char *const nested[] = {
		"{\"a\":{\"b\":[1,\"x\",{}],"
		"\"c\":\"\\u00e9\\\"\\n\"},\"z\":[]}",
		NULL
	};

	is_int(o.format, FORMAT_NDJSON, "default format is ndjson");
	is_str(run(&o, two),
	    "{\"id\":\"a1\",\"n\":70000001020530434,\"ok\":true}\n"
	    "{\"id\":\"b2\",\"n\":1.50e3,\"ok\":null}\n",
	    "ndjson: one object per line, numbers as written");
	is_str(run(&o, none), "", "ndjson: no records, no bytes");
	is_str(run(&o, nested),
	    "{\"a\":{\"b\":[1,\"x\",{}],\"c\":\"\xc3\xa9\\\"\\n\"},\"z\":[]}\n",
	    "ndjson: nested values, minimal escapes");

	o.format = FORMAT_JSON;
	is_str(run(&o, two),
	    "[\n{\"id\":\"a1\",\"n\":70000001020530434,\"ok\":true},\n"
	    "{\"id\":\"b2\",\"n\":1.50e3,\"ok\":null}\n]\n",
	    "json: one array, one record per line");
	is_str(run(&o, none), "[]\n", "json: no records is []");
	is_str(run(&o, two + 1),
	    "[\n{\"id\":\"b2\",\"n\":1.50e3,\"ok\":null}\n]\n",
	    "json: a single record");
	is_str(errs, "", "json: no errors");
}

static void
test_csv(void)
{
	struct writer_opts o = WRITER_OPTS_DEFAULT;
	static const char *const mixed[] = {
		"{\"id\":\"1\",\"name\":\"plain\",\"v\":7}",
		"{\"v\":8,\"id\":\"2\",\"name\":\"a,b\"}",
		"{\"id\":\"3\",\"name\":\"say \\\"hi\\\"\"}",
		"{\"id\":\"4\",\"name\":\"two\\nlines\",\"v\":null}",
		"{\"id\":\"5\",\"name\":{\"k\":[1,2]},\"v\":true}",
		"{\"id\":\"6\",\"name\":[],\"v\":false}",
		NULL
	};
	static const char *const extra[] = {
		"{\"id\":\"1\",\"v\":\"x\"}",
		"{\"id\":\"2\",\"v\":\"y\",\"w\":\"extra\"}",
		"{\"id\":\"3\",\"v\":\"z\"}",
		NULL
	};
	static const char *const dup[] = {
		"{\"id\":\"1\",\"v\":\"x\"}",
		"{\"id\":\"2\",\"+id\":\"3\"}",
		NULL
	};
	static const char *const dupfirst[] = {
		"{\"id\":\"1\",\"+id\":\"2\"}",
		NULL
	};
	static const char *const none[] = { NULL };
	static const char *const one_col[] = {
		"{\"a\":\"\"}", "{\"a\":\"x\"}", "{\"a\":null}", NULL
	};
	static const char *const formulas[] = {
		"{\"f\":\"=1+1\",\"g\":\"-2\",\"h\":\"ok\"}",
		"{\"f\":\"@x,y\",\"g\":\"+3\",\"h\":\"\\tt\"}",
		NULL
	};
	static const char *const cols[] = { "v", "id", "missing" };

	o.format = FORMAT_CSV;
	is_str(run(&o, mixed),
	    "id,name,v,name.k\n"
	    "1,plain,7,\n"
	    "2,\"a,b\",8,\n"
	    "3,\"say \"\"hi\"\"\",,\n"
	    "4,\"two\nlines\",,\n"
	    "5,,true,1;2\n"
	    "6,,false,\n",
	    "csv: the union of the fields; mapped by name; quoting; nested "
	    "values dotted, scalar arrays ;-joined, [] empty");
	is_str(errs, "", "csv: no errors");

	is_str(run(&o, extra), "id,v,w\n1,x,\n2,y,extra\n3,z,\n",
	    "csv: columns are the union of the fields, first seen first");
	is_str(errs, "", "csv: a new field is no error");
	o.crlf = 1;
	is_str(run(&o, extra), "id,v,w\r\n1,x,\r\n2,y,extra\r\n3,z,\r\n",
	    "csv: union with CR LF: pads go before the CR");
	o.crlf = 0;

	is_str(run(&o, dup), "id,v\n1,x\n", "csv: duplicate field not written");
	is_str(errs, "duplicate field 'id'", "csv: duplicate field error");
	is_str(run(&o, dupfirst), "",
	    "csv: first record with a repeated name: no row, no header");
	is_str(errs, "duplicate field 'id'", "csv: that error");

	is_str(run(&o, none), "", "csv: no records, no columns: nothing");

	is_str(run(&o, one_col), "a\n\"\"\nx\n\"\"\n",
	    "csv: a lone empty cell is written \"\"");

	o.columns = cols;
	o.ncolumns = 3;
	is_str(run(&o, extra + 2), "v,id,missing\nz,3,\n",
	    "csv: fixed columns order the cells; missing is empty");
	is_str(run(&o, none), "",
	    "csv: fixed columns and no records: nothing (cron mails nothing)");
	o.header_always = 1;
	is_str(run(&o, none), "v,id,missing\n",
	    "csv: fixed columns, no records, header_always: the header alone");
	o.header_always = 0;
	is_str(run(&o, extra), "v,id,missing\nx,1,\nz,3,\n",
	    "csv: fixed columns: an extra field is an error");
	o.header = 0;
	is_str(run(&o, extra + 2), "z,3,\n", "csv: header off");
	is_str(run(&o, none), "", "csv: header off, no records: nothing");
	o.header = 1;
	o.columns = NULL;
	o.ncolumns = 0;

	o.crlf = 1;
	is_str(run(&o, extra + 2), "id,v\r\n3,z\r\n", "csv: crlf");
	o.crlf = 0;
	o.delim = ';';
	is_str(run(&o, mixed + 1),
	    "v;id;name;name.k\n"
	    "8;2;a,b;\n"
	    ";3;\"say \"\"hi\"\"\";\n"
	    ";4;\"two\nlines\";\n"
	    "true;5;;\"1;2\"\n"
	    "false;6;;\n",
	    "csv: -d ; with columns from a later-ordered first record");
	o.delim = 0;

	o.csv_safe = 1;
	is_str(run(&o, formulas),
	    "f,g,h\n'=1+1,'-2,ok\n\"'@x,y\",'+3,'\tt\n",
	    "csv: --csv-safe guards formulas");
	o.csv_safe = 0;
}

/* record_writer_write_cells(): rows given as cells, quoted as any row. */
static void
test_cells(void)
{
	static const char *const cols[] = { "id", "name", "note" };
	const struct csv_cell rows[][3] = {
		{ { "1", 1 }, { "a,b", 3 }, { "", 0 } },
		{ { "2", 1 }, { "say \"hi\"", 8 }, { "=1", 2 } }
	};
	const struct csv_cell lone = { "", 0 };
	struct writer_opts o = WRITER_OPTS_DEFAULT;
	struct output *out;
	struct record_writer *w;

	o.format = FORMAT_CSV;
	o.columns = cols;
	o.ncolumns = 3;
	o.csv_safe = 1;
	out = output_open(path, 0);
	w = record_writer_new(out, &o);
	record_writer_write_cells(w, rows[0], 3);
	record_writer_write_cells(w, rows[1], 3);
	ok(record_writer_count(w) == 2, "cells: counted as rows");
	record_writer_finish(w);
	output_commit(out);
	output_publish();
	is_str(slurp(path, NULL), "id,name,note\n1,\"a,b\",\n"
	    "2,\"say \"\"hi\"\"\",'=1\n",
	    "cells: header, quoting and --csv-safe as for records");

	o.format = FORMAT_TSV;
	o.csv_safe = 0;
	o.ncolumns = 1;
	out = output_open(path, 0);
	w = record_writer_new(out, &o);
	record_writer_write_cells(w, &lone, 1);
	record_writer_write_cells(w, rows[0] + 1, 1);
	record_writer_finish(w);
	output_commit(out);
	output_publish();
	is_str(slurp(path, NULL), "id\n\"\"\na,b\n",
	    "cells: TSV; a lone empty cell is written \"\"");
}

static void
test_tsv(void)
{
	struct writer_opts o = WRITER_OPTS_DEFAULT;
	static const char *const recs[] = {
		"{\"a\":\"x y\",\"b\":\"1,2\"}",
		"{\"a\":\"tab\\there\",\"b\":\"q\\\"\"}",
		"{\"a\":null,\"b\":{\"c\":1}}",
		NULL
	};

	o.format = FORMAT_TSV;
	o.delim = ',';		/* ignored: TSV is TAB-separated */
	is_str(run(&o, recs),
	    "a\tb\tb.c\nx y\t1,2\t\n\"tab\there\"\t\"q\"\"\"\t\n"
	    "\t\t1\n",
	    "tsv: TAB-separated, quoted CSV-style where needed");
}

static void
test_values_and_count(void)
{
	struct writer_opts o = WRITER_OPTS_DEFAULT;
	struct arena a = ARENA_INIT;
	struct json_opts jo = JSON_OPTS_DEFAULT;
	struct strbuf err = STRBUF_INIT;
	struct json_value v[3];
	struct output *out;
	struct record_writer *w;
	int rc;

	json_parse("[1,\"s\"]", 7, &jo, &a, &v[0], &err);
	json_parse("{\"k\":\"v\"}", 9, &jo, &a, &v[1], &err);
	json_parse("42", 2, &jo, &a, &v[2], &err);

	out = output_open(path, 0);
	w = record_writer_new(out, &o);
	record_writer_write_value(w, &v[0]);
	record_writer_write_value(w, &v[1]);
	record_writer_write_value(w, &v[2]);
	is_int(record_writer_count(w), 3, "count: values written");
	record_writer_finish(w);
	output_commit(out);
	output_publish();
	is_str(slurp(path, NULL), "[1,\"s\"]\n{\"k\":\"v\"}\n42\n",
	    "ndjson: any value, one per line");

	o.format = FORMAT_JSON;
	out = output_open(path, 0);
	w = record_writer_new(out, &o);
	record_writer_write_value(w, &v[2]);
	record_writer_write_value(w, &v[0]);
	record_writer_finish(w);
	output_commit(out);
	output_publish();
	is_str(slurp(path, NULL), "[\n42,\n[1,\"s\"]\n]\n",
	    "json: any value as an array element");

	o.format = FORMAT_CSV;
	out = output_open(path, 0);
	w = record_writer_new(out, &o);
	rc = record_writer_write_value(w, &v[0]);
	is_int(rc, -1, "csv: an array value is refused");
	is_str(record_writer_error(w), "not a JSON object: can't be a csv row",
	    "csv: refusal message");
	is_int(record_writer_write_value(w, &v[1]), 0, "csv: object value ok");
	is_int(record_writer_count(w), 1, "count: refused values not counted");
	record_writer_finish(w);
	output_commit(out);
	output_publish();
	is_str(slurp(path, NULL), "k\nv\n", "csv: object value as a row");

	/* NULL is fine: a crash here fails the whole test program. */
	record_writer_finish(NULL);
	arena_release(&a);
	strbuf_release(&err);
}

/* Many records: chunked hand-over loses and reorders nothing. */
static void
test_many(void)
{
	struct writer_opts o = WRITER_OPTS_DEFAULT;
	struct record rec = RECORD_INIT;
	struct output *out;
	struct record_writer *w;
	char num[32], line[128];
	FILE *fp;
	int i, good = 1;
	size_t n;

	o.format = FORMAT_CSV;
	out = output_open(path, 0);
	w = record_writer_new(out, &o);
	for (i = 0; i < 100000; i++) {
		record_reset(&rec);
		n = (size_t)snprintf(num, sizeof(num), "%d", i);
		record_add_str(&rec, "i", num, n);
		record_add_str(&rec, "s", "text,with comma", 15);
		if (record_writer_write(w, &rec) == -1)
			good = 0;
	}
	is_int(record_writer_count(w), 100000, "many: counted");
	record_writer_finish(w);
	output_commit(out);
	output_publish();
	record_release(&rec);
	fp = fopen(path, "r");
	if (fgets(line, sizeof(line), fp) == NULL || strcmp(line, "i,s\n"))
		good = 0;
	for (i = 0; i < 100000; i++) {
		snprintf(num, sizeof(num), "%d,\"text,with comma\"\n", i);
		if (fgets(line, sizeof(line), fp) == NULL ||
		    strcmp(line, num) != 0)
			good = 0;
	}
	if (fgets(line, sizeof(line), fp) != NULL)
		good = 0;
	fclose(fp);
	ok(good, "many: 100000 csv rows in order, nothing else");
}

int
main(void)
{
	errors_init("twriter");
	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(path, sizeof(path), "%s/out", dir);
	test_json();
	test_csv();
	test_cells();
	test_tsv();
	test_values_and_count();
	test_many();
	unlink(path);
	rmdir(dir);
	return tap_done();
}

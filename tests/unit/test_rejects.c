/* test_rejects.c: rejected records to --rejects FILE, or the fatal message. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/json.h"
#include "common/record.h"
#include "common/output.h"
#include "common/rejects.h"
#include "common/stats.h"
#include "tests/unit/tap.h"

static char dir[] = "/tmp/test_rejects.XXXXXX";

/* The contents of path (static buffer), or "(missing)". */
static const char *
contents(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return "(missing)";
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
make(struct record *rec, const char *file, unsigned long line, ...)
{
	const char *name, *val;
	va_list ap;

	record_reset(rec);
	rec->file = file;
	rec->line = line;
	va_start(ap, line);
	while ((name = va_arg(ap, const char *)) != NULL) {
		val = va_arg(ap, const char *);
		record_add_str(rec, name, val, strlen(val));
	}
	va_end(ap);
}

/* Run fn() in a child; its exit status, and its stderr in err. */
static int
child(void (*fn)(void), char *err, size_t errsz)
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
		fn();
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
fatal_detail(void)
{
	struct record rec = RECORD_INIT;
	struct stats st = STATS_INIT;
	struct rejects *rj = rejects_open(NULL, FORMAT_CSV);

	make(&rec, "in.csv", 7, "lat", "95", NULL);
	rejects_add(rj, &st, &rec, "bad_lat", "latitude 95 out of range");
}

static void
fatal_code(void)
{
	struct record rec = RECORD_INIT;
	struct stats st = STATS_INIT;
	struct rejects *rj = rejects_open(NULL, FORMAT_JSON);

	make(&rec, "in.json", 3, "title", "", NULL);
	rejects_add(rj, &st, &rec, "missing_title", NULL);
}

static void
test_json(void)
{
	struct record rec = RECORD_INIT;
	struct stats st = STATS_INIT;
	struct rejects *rj;
	struct json_value v;
	char path[300];

	snprintf(path, sizeof(path), "%s/rej.ndjson", dir);
	rj = rejects_open(path, FORMAT_JSON);
	make(&rec, "in.json", 3, "id", "1", NULL);
	v = json_make_number(&rec.arena, "70000001020530434", 17);
	record_add_value(&rec, "n", &v);
	rejects_add(rj, &st, &rec, "bad_lat", "latitude 95 out of range");
	make(&rec, NULL, 9, "id", "2", "_reason", "old", "_line", "1", NULL);
	rejects_add(rj, &st, &rec, "missing_title", NULL);
	is_str(contents(path), "(missing)", "nothing in place before close");
	rejects_close(rj);
	output_publish();
	is_str(contents(path),
	    "{\"id\":\"1\",\"n\":70000001020530434,\"_file\":\"in.json\","
	    "\"_line\":3,\"_reason\":\"bad_lat\"}\n"
	    "{\"id\":\"2\",\"_file\":\"-\",\"_line\":9,"
	    "\"_reason\":\"missing_title\"}\n",
	    "JSON rejects: NDJSON with _file, _line (a number), _reason");
	is_int(st.rejected, 2, "both counted");
	is_int(st.nreasons, 2, "under their codes");
	stats_release(&st);

	snprintf(path, sizeof(path), "%s/none.ndjson", dir);
	rj = rejects_open(path, FORMAT_JSON);
	rejects_close(rj);
	output_publish();
	is_str(contents(path), "", "no rejects: an empty file");
	record_release(&rec);
}

static void
test_csv(void)
{
	struct record rec = RECORD_INIT;
	struct stats st = STATS_INIT;
	struct rejects *rj;
	char path[300];
	char err[1024];
	int saved, fd;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/rej.csv", dir);
	rj = rejects_open(path, FORMAT_CSV);
	make(&rec, "in.csv", 2, "id", "1", "title", "", NULL);
	rejects_add(rj, &st, &rec, "missing_title", "title is empty");
	make(&rec, "in.csv", 5, "title", "x, y", "id", "2", NULL);
	rejects_add(rj, &st, &rec, "bad_lat", NULL);

	/* A field the first reject did not have: warned about, left out. */
	snprintf(err, sizeof(err), "%s/stderr", dir);
	fp = fopen(err, "w+");
	fflush(stderr);
	saved = dup(2);
	fd = fileno(fp);
	dup2(fd, 2);
	make(&rec, "in.csv", 6, "id", "3", "title", "t", "_extra1", "z", NULL);
	rejects_add(rj, &st, &rec, "ragged_row", NULL);
	make(&rec, "in.csv", 8, "id", "4", "title", "u", "_extra1", "w", NULL);
	rejects_add(rj, &st, &rec, "ragged_row", NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fclose(fp);
	snprintf(err, sizeof(err), "test_rejects: in.csv:6: --rejects %s has "
	    "no column _extra1: its values are left out\n", path);
	snprintf(path, sizeof(path), "%s/stderr", dir);
	is_str(contents(path), err, "missing column: one warning per name");

	snprintf(path, sizeof(path), "%s/rej.csv", dir);
	rejects_close(rj);
	output_publish();
	is_str(contents(path),
	    "id,title,_file,_line,_reason\n"
	    "1,,in.csv,2,missing_title\n"
	    "2,\"x, y\",in.csv,5,bad_lat\n"
	    "3,t,in.csv,6,ragged_row\n"
	    "4,u,in.csv,8,ragged_row\n",
	    "CSV rejects: the first reject's columns, then the three");
	is_int(st.rejected, 4, "all counted");
	stats_release(&st);

	snprintf(path, sizeof(path), "%s/rej.tsv", dir);
	rj = rejects_open(path, FORMAT_TSV);
	make(&rec, "in.tsv", 4, "a", "1", "b", "x y", NULL);
	rejects_add(rj, NULL, &rec, "dup", NULL);
	rejects_close(rj);
	output_publish();
	is_str(contents(path), "a\tb\t_file\t_line\t_reason\n"
	    "1\tx y\tin.tsv\t4\tdup\n", "TSV rejects");

	snprintf(path, sizeof(path), "%s/none.csv", dir);
	rj = rejects_open(path, FORMAT_CSV);
	rejects_close(rj);
	output_publish();
	is_str(contents(path), "", "no CSV rejects: an empty file");
	/* NULL is fine: a crash here fails the whole test program. */
	rejects_close(NULL);
	record_release(&rec);
}

/* rec made from the JSON object text s (parsed into rec's arena). */
static void
make_json(struct record *rec, const char *file, unsigned long line,
    const char *s)
{
	struct json_value v;

	record_reset(rec);
	if (json_parse(s, strlen(s), NULL, &rec->arena, &v, NULL) == -1 ||
	    record_from_value(rec, &v) == -1)
		printf("# bad test JSON: %s\n", s);
	rec->file = file;
	rec->line = line;
}

/* DESIGN section 4: no secret reaches a rejects file, at any depth. */
static void
test_secrets(void)
{
	struct record rec = RECORD_INIT;
	struct rejects *rj;
	char path[300];

	snprintf(path, sizeof(path), "%s/sec.csv", dir);
	rj = rejects_open(path, FORMAT_CSV);
	make(&rec, "in.csv", 2, "id", "", "url", "https://x/?apikey=SEKRET1",
	    "AccessKey", "0123456789abcdef", "note", "a?key=&b=c;token=T",
	    NULL);
	rejects_add(rj, NULL, &rec, "empty_key", NULL);
	make(&rec, "in.csv", 3, "id", "", "url", "https://x/?page=2&k=v",
	    "AccessKey", "", "note", "x\"?token\"=1, \xe2\x80\xa6", NULL);
	rejects_add(rj, NULL, &rec, "empty_key", NULL);
	rejects_close(rj);
	output_publish();
	is_str(contents(path),
	    "id,url,AccessKey,note,_file,_line,_reason\n"
	    ",https://x/?apikey=\xe2\x80\xa6,012\xe2\x80\xa6" "def,"
	    "a?key=&b=c;token=\xe2\x80\xa6,in.csv,2,empty_key\n"
	    ",https://x/?page=2&k=v,,\"x\"\"?token\"\"=1, \xe2\x80\xa6\","
	    "in.csv,3,empty_key\n",
	    "CSV rejects: credential cells masked, the others as read");

	snprintf(path, sizeof(path), "%s/sec.ndjson", dir);
	rj = rejects_open(path, FORMAT_JSON);
	make_json(&rec, "in.json", 4, "{\"id\":\"1\",\"attributes\":"
	    "{\"AccessKey\":\"ABCDEFGHIJKL\",\"L\":[\"https://q/?token=T6\","
	    "[{\"_CPKEY\":12345678901}],true,null,1.50],\"O\":{\"u\":"
	    "\"https://q/ABCDEFGHIJKL/?apikey=A&x=1\",\"AccessKey\":"
	    "{\"a\":1}}},\"links\":{\"self\":\"https://q/?_cpKey=ABC\"}}");
	rejects_add(rj, NULL, &rec, "not_resource", NULL);
	make_json(&rec, "in.json", 5, "{\"id\":\"2\",\"a\":[\"\\u00e9\","
	    "{\"b\":\"https://q/?page=1\"}],\"n\":1e3,\"AccessKey\":null}");
	rejects_add(rj, NULL, &rec, "not_resource", NULL);
	rejects_close(rj);
	output_publish();
	is_str(contents(path),
	    "{\"id\":\"1\",\"attributes\":{\"AccessKey\":\"ABC\xe2\x80\xa6JKL\","
	    "\"L\":[\"https://q/?token=\xe2\x80\xa6\",[{\"_CPKEY\":"
	    "\"123\xe2\x80\xa6" "901\"}],true,null,1.50],\"O\":{\"u\":"
	    "\"https://q/ABC\xe2\x80\xa6JKL/?apikey=\xe2\x80\xa6&x=1\","
	    "\"AccessKey\":\"\xe2\x80\xa6\"}},\"links\":{\"self\":"
	    "\"https://q/?_cpKey=\xe2\x80\xa6\"},\"_file\":\"in.json\","
	    "\"_line\":4,\"_reason\":\"not_resource\"}\n"
	    "{\"id\":\"2\",\"a\":[\"\xc3\xa9\",{\"b\":\"https://q/?page=1\"}],"
	    "\"n\":1e3,\"AccessKey\":null,\"_file\":\"in.json\",\"_line\":5,"
	    "\"_reason\":\"not_resource\"}\n",
	    "JSON rejects: secrets masked at any depth, the rest as read");

	snprintf(path, sizeof(path), "%s/shown.ndjson", dir);
	rj = rejects_open(path, FORMAT_JSON);
	rejects_show_secrets(rj, 1);
	make_json(&rec, "in.json", 6, "{\"AccessKey\":\"ABCDEFGHIJKL\","
	    "\"u\":[\"https://q/?token=T6\"]}");
	rejects_add(rj, NULL, &rec, "not_resource", NULL);
	rejects_close(rj);
	output_publish();
	is_str(contents(path),
	    "{\"AccessKey\":\"ABCDEFGHIJKL\",\"u\":[\"https://q/?token=T6\"],"
	    "\"_file\":\"in.json\",\"_line\":6,\"_reason\":\"not_resource\"}\n",
	    "rejects_show_secrets(): written as read (--show-keys)");
	record_release(&rec);
}

static void
test_fatal(void)
{
	char err[1024];

	is_int(child(fatal_detail, err, sizeof(err)), 2,
	    "without a rejects file the first reject exits 2");
	is_str(err, "test_rejects: in.csv:7: latitude 95 out of range\n",
	    "message is FILE:LINE: detail");
	is_int(child(fatal_code, err, sizeof(err)), 2, "exit 2 again");
	is_str(err, "test_rejects: in.json:3: missing_title\n",
	    "without a detail the code is the message");
}

int
main(int argc, char *argv[])
{
	char cmd[300];

	(void)argc;
	errors_init(argv[0]);
	if (mkdtemp(dir) == NULL)
		return 2;
	test_json();
	test_csv();
	test_secrets();
	test_fatal();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}

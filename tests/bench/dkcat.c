/*
 * dkcat.c: a benchmark-only driver for common/: any input through source.h,
 * any output through writer.h, so make bench can time the library itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/input.h"
#include "common/json.h"
#include "common/output.h"
#include "common/source.h"
#include "common/writer.h"

enum {
	OPT_IN = OPT_TOOL_BASE,
	OPT_RAW,
	OPT_ZLIB
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "in",		required_argument,	NULL, OPT_IN },
	{ "raw",	no_argument,		NULL, OPT_RAW },
	{ "zlib",	no_argument,		NULL, OPT_ZLIB },
	{ NULL,		0,			NULL, 0 }
};

static const char synopsis[] =
"usage: dkcat [OPTIONS] [FILE...]\n"
"       dkcat --in PATH [OPTIONS] [FILE...]\n"
"       dkcat --raw | --zlib FILE...";

static const char help[] =
"Copy records from any input format to any output format (benchmarks only).\n"
"  --in PATH   JSON input: stream the elements of the member PATH of each\n"
"              document (\"data\" for JSON:API pages)\n"
"  --raw       read the inputs through input.h and discard the bytes\n"
"  --zlib      read the inputs with zlib's gzread() and discard the bytes\n";

/* Read through our input layer only: decompression and BOM handling. */
static unsigned long long
read_raw(const char *path, const struct common_opts *o)
{
	struct input_opts io = INPUT_OPTS_DEFAULT;
	static char buf[1 << 17];
	unsigned long long total = 0;
	struct input *in;
	const char *err = NULL;
	ssize_t n;

	io.encoding = o->encoding;
	in = input_open(path, &io, &err);
	if (in == NULL)
		die("%s: %s", path, err ? err : "cannot open");
	while ((n = input_read(in, buf, sizeof(buf))) > 0)
		total += (unsigned long long)n;
	if (n < 0)
		data_error(input_name(in), 0, "%s", input_error(in));
	input_close(in);
	return total;
}

/* zlib's own speed, the yardstick for our gzip input. */
static unsigned long long
read_zlib(const char *path)
{
	static char buf[1 << 17];
	unsigned long long total = 0;
	gzFile gz;
	int n;

	gz = gzopen(path, "rb");
	if (gz == NULL)
		die("%s: cannot open", path);
	gzbuffer(gz, 1 << 17);
	while ((n = gzread(gz, buf, sizeof(buf))) > 0)
		total += (unsigned long long)n;
	if (n < 0)
		die("%s: gzread failed", path);
	gzclose(gz);
	return total;
}

static void
copy_records(struct source *s, struct record_writer *w)
{
	struct record rec = RECORD_INIT;
	int rc;

	while ((rc = source_next(s, &rec)) == 1) {
		if (rec.problem != NULL)
			data_error(rec.file, rec.line, "%s", rec.problem);
		if (record_writer_write(w, &rec) == -1)
			data_error(rec.file, rec.line, "%s",
			    record_writer_error(w));
	}
	if (rc == -1)
		source_die(s);
	record_release(&rec);
}

static void
copy_items(struct source *s, const char *path, struct record_writer *w)
{
	struct arena a = ARENA_INIT;
	struct json_value v;
	int rc;

	if (source_format(s) != FORMAT_JSON)
		die("%s: --in needs JSON input", source_name(s));
	while ((rc = source_next_in(s, path, &a, &v)) > 0) {
		if (rc == JSON_READER_ITEM &&
		    record_writer_write_value(w, &v) == -1)
			data_error(source_name(s), source_line(s), "%s",
			    record_writer_error(w));
		arena_reset(&a);
	}
	if (rc == -1)
		source_die(s);
	arena_release(&a);
}

int
main(int argc, char *argv[])
{
	struct common_opts o = COMMON_OPTS_DEFAULT;
	struct writer_opts wo = WRITER_OPTS_DEFAULT;
	struct record_writer *w = NULL;
	struct output *out;
	struct source *s;
	const char *in_path = NULL;
	char *stdin_only[] = { "-", NULL };
	char **files;
	int ch, raw = 0, zlib = 0, i;
	unsigned long long bytes = 0;

	errors_init(argv[0]);
	cli_init(synopsis, help);
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_IN:
			in_path = optarg;
			break;
		case OPT_RAW:
			raw = 1;
			break;
		case OPT_ZLIB:
			zlib = 1;
			break;
		default:
			if (!common_opt(&o, ch, optarg))
				usage(stderr, EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;
	files = argc > 0 ? argv : stdin_only;
	if (raw || zlib) {
		for (i = 0; files[i] != NULL; i++)
			bytes += zlib ? read_zlib(files[i]) :
			    read_raw(files[i], &o);
		printf("%llu\n", bytes);
		return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
	}

	out = o.output != NULL ? output_open(o.output, o.gzip ? OUTPUT_GZIP : 0)
	    : output_stdout();
	for (i = 0; files[i] != NULL; i++) {
		s = source_open(files[i], &o);
		if (w == NULL) {
			/* The output follows the first input unless --to. */
			wo.format = o.to != FORMAT_NONE ? o.to :
			    source_format(s) == FORMAT_JSON ? FORMAT_NDJSON :
			    source_format(s);
			wo.delim = wo.format == FORMAT_TSV ? '\t' : ',';
			wo.crlf = o.crlf;
			wo.csv_safe = o.csv_safe;
			w = record_writer_new(out, &wo);
		}
		if (in_path != NULL)
			copy_items(s, in_path, w);
		else
			copy_records(s, w);
		source_close(s);
	}
	record_writer_finish(w);
	if (o.output != NULL)
		output_commit(out);
	output_finish();
	return 0;
}

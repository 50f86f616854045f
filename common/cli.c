/*
 * cli.c: the options every tool shares, usage/version output and the
 * number/list parsers behind them, so all four tools take options alike.
 */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/hints.h"
#include "common/output.h"
#include "common/strbuf.h"
#include "common/writer.h"

const char cli_common_help[] =
"Common options:\n"
"  --from FMT          input format: csv, tsv or json (default: by file\n"
"                      extension, else by the first non-blank byte)\n"
"  --to FMT            output format: ndjson, json, csv or tsv\n"
"                      (default: follows the input)\n"
"  -d, --delimiter C   CSV input delimiter: one character, or \"tab\"\n"
"                      (default: sniffed among , ; TAB |)\n"
"  --no-header         CSV input has no header row; columns are 1..N\n"
"  --encoding NAME     input encoding, converted to UTF-8 (e.g. cp1251,\n"
"                      utf-16)\n"
"  -o, --output FILE   write FILE atomically instead of standard output\n"
"  -z, --gzip          compress the output with gzip (also when FILE\n"
"                      ends in .gz)\n"
"  --csv-safe          prefix CSV cells starting with = + - @ TAB CR with '\n"
"  --crlf              end CSV/TSV output rows with CR LF\n"
"  --header-always     CSV/TSV output with no rows is its header (default:\n"
"                      nothing at all)\n"
"  --columns LIST      CSV/TSV output columns, in this order (default: the\n"
"                      union of the fields, in first-seen order)\n"
"  --out-delimiter C   CSV output delimiter (default: the input's for CSV\n"
"                      in, else ',')\n"
"  --out-encoding NAME CSV/TSV output encoding, e.g. cp1251, or utf-8-bom\n"
"                      for Excel (default: UTF-8)\n"
"  --stats             print counts as one JSON object on stderr at the end\n"
"  --rejects FILE      write rejected records, with _file, _line and\n"
"                      _reason, to FILE instead of stopping at the first\n"
"  --progress          show progress on stderr even when it is not a\n"
"                      terminal\n"
"  --no-progress       no progress line, even on a terminal\n"
"  --max-record SIZE   largest record accepted (K, M, G suffixes; default\n"
"                      64M)\n"
"  --max-depth N       deepest JSON nesting accepted (default 512)\n"
"  -q, --quiet         no warnings (errors still print)\n"
"  -h, --help          print this help and exit\n"
"  --version           print the version and exit\n";

static const char *cli_synopsis = "";
static const char *cli_help = "";
static unsigned cli_without;
static const char *cli_to_default;
static const char *cli_examples;

void
cli_init(const char *synopsis, const char *help)
{
	cli_synopsis = synopsis ? synopsis : "";
	cli_help = help ? help : "";
}

void
cli_tool(unsigned without, const char *to_default, const char *examples)
{
	cli_without = without;
	cli_to_default = to_default;
	cli_examples = examples;
}

/* Is the option entry starting at line one that cli_tool() left out? */
static int
left_out(const char *line)
{
	static const char *const csv_input[] = {
		"  --from ", "  -d, --delimiter ", "  --no-header "
	};
	size_t i;

	static const char *const table[] = {
		"  --to ", "  --rejects ", "  --csv-safe ", "  --crlf ",
		"  --header-always ", "  --columns ", "  --out-delimiter ",
		"  --out-encoding ", "  --stats "
	};

	if (cli_without & CLI_NO_CSV_INPUT)
		for (i = 0; i < sizeof(csv_input) / sizeof(*csv_input); i++)
			if (strncmp(line, csv_input[i],
			    strlen(csv_input[i])) == 0)
				return 1;
	if (cli_without & CLI_NO_TABLE_OUTPUT)
		for (i = 0; i < sizeof(table) / sizeof(*table); i++)
			if (strncmp(line, table[i], strlen(table[i])) == 0)
				return 1;
	return 0;
}

/*
 * The common block, entry by entry: an entry is a line starting "  -" and
 * the more indented lines after it.
 */
static void
put_common(FILE *fp)
{
	static const char follows[] =
	    "                      (default: follows the input)\n";
	const char *p, *nl;
	int skip = 0;
	size_t n;

	for (p = cli_common_help; *p != '\0'; p = nl) {
		nl = strchr(p, '\n');
		nl = nl != NULL ? nl + 1 : p + strlen(p);
		n = (size_t)(nl - p);
		if (strncmp(p, "  -", 3) == 0)
			skip = left_out(p);
		else if (strncmp(p, "      ", 6) != 0)
			skip = 0;
		if (skip)
			continue;
		if (cli_to_default != NULL && n == sizeof(follows) - 1 &&
		    memcmp(p, follows, n) == 0)
			fprintf(fp, "                      (default: %s)\n",
			    cli_to_default);
		else
			fwrite(p, 1, n, fp);
	}
}

/* Print s, ending it with exactly one newline (nothing for ""). */
static void
put_block(FILE *fp, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return;
	fputs(s, fp);
	if (s[n - 1] != '\n')
		putc('\n', fp);
}

/*
 * --help and --version write to stdout, which may be /dev/full or a closed
 * pipe: check the flush so a failure is exit 2, not a silent success.
 */
static void __attribute__((noreturn))
exit_flushed(FILE *fp, int status)
{
	if (fflush(fp) != 0 || ferror(fp)) {
		if (fp == stdout)
			die_errno("write error: stdout");
		exit(EXIT_TROUBLE);
	}
	exit(status);
}

void
usage(FILE *fp, int status)
{
	put_block(fp, cli_synopsis);
	/* getopt has said what was wrong; a monitor still gets its line. */
	if (status == EXIT_TROUBLE)
		status = errors_fatal_status("usage error (see --help)");
	if (fp == stdout) {
		if (*cli_help != '\0') {
			putc('\n', fp);
			put_block(fp, cli_help);
		}
		/* A help text holding the common block shows it once. */
		if (strstr(cli_help, cli_common_help) == NULL) {
			putc('\n', fp);
			put_common(fp);
		}
		if (cli_examples != NULL) {
			fputs("\nExamples:\n", fp);
			put_block(fp, cli_examples);
		}
	}
	exit_flushed(fp, status);
}

void
usage_error(const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	struct strbuf sb = STRBUF_INIT;
	const char *shown;

	fflush(stdout);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* An option's value may be a URL with its key (-b URL). */
	shown = errors_masked(msg, strlen(msg), &sb);
	fprintf(stderr, "%s: %s\n", progname, shown);
	put_block(stderr, cli_synopsis);
	/* Options may be parsed after an output was opened: drop its temp. */
	output_cleanup();
	exit(errors_fatal_status(shown));
}

void
version(void)
{
	printf("%s (dumpkit) %s\n", progname, dumpkit_version);
	exit_flushed(stdout, EXIT_SUCCESS);
}

/* ==== option values ==== */

int
opt_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned d;

	if (s == NULL || *s == '\0')
		return -1;
	/* By hand: strtoull() takes signs, spaces and "0x" that we refuse. */
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int
opt_size(const char *s, size_t *out)
{
	const char *end;
	char digits[32];
	unsigned long long v, mult = 1;
	size_t n;

	if (s == NULL)
		return -1;
	for (end = s; *end >= '0' && *end <= '9'; end++)
		;
	n = (size_t)(end - s);
	if (n == 0 || n >= sizeof(digits))
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = 1ULL << 10;
		break;
	case 'm':
	case 'M':
		mult = 1ULL << 20;
		break;
	case 'g':
	case 'G':
		mult = 1ULL << 30;
		break;
	case 't':
	case 'T':
		mult = 1ULL << 40;
		break;
	default:
		return -1;
	}
	if (*end != '\0') {
		/* "64M", "64MB" and "64MiB" all mean 64 * 2^20. */
		end++;
		if (strcmp(end, "") != 0 && strcmp(end, "B") != 0 &&
		    strcmp(end, "iB") != 0)
			return -1;
	}
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (opt_uint(digits, (unsigned long long)SIZE_MAX / mult, &v) == -1)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

char **
opt_list(const char *s, int sep, size_t *n)
{
	char **list;
	const char *p, *q;
	size_t count = 0, i = 0;

	if (*s != '\0') {
		count = 1;
		for (p = s; *p != '\0'; p++)
			if (*p == sep)
				count++;
	}
	list = xcalloc(count + 1, sizeof(*list));
	for (p = s; count > 0; p = q + 1) {
		q = strchr(p, sep);
		if (q == NULL)
			q = p + strlen(p);
		list[i++] = xstrndup(p, (size_t)(q - p));
		if (*q == '\0')
			break;
	}
	list[i] = NULL;
	if (n != NULL)
		*n = i;
	return list;
}

void
opt_list_free(char **list)
{
	char **p;

	if (list == NULL)
		return;
	for (p = list; *p != NULL; p++)
		free(*p);
	free(list);
}

const char *
cli_table_opt(const struct common_opts *o)
{
	if (o->to != FORMAT_NONE)
		return "--to";
	if (o->rejects != NULL)
		return "--rejects";
	if (o->csv_safe)
		return "--csv-safe";
	if (o->crlf)
		return "--crlf";
	if (o->header_always)
		return "--header-always";
	if (o->columns != NULL)
		return "--columns";
	if (o->out_delim != 0)
		return "--out-delimiter";
	if (o->out_encoding != NULL)
		return "--out-encoding";
	return NULL;
}

void
cli_writer_opts(struct writer_opts *wo, const struct common_opts *o)
{
	/* Parsed once, kept for the process: every writer shares it. */
	static char **cols;
	static size_t ncols;
	size_t i;

	int table = wo->format == FORMAT_CSV || wo->format == FORMAT_TSV;

	/* Options that would be ignored are refused instead. */
	if (!table && (o->crlf || o->csv_safe || o->header_always))
		usage_error("%s needs --to csv or --to tsv", o->crlf ?
		    "--crlf" : o->csv_safe ? "--csv-safe" : "--header-always");
	wo->crlf = o->crlf;
	wo->csv_safe = o->csv_safe;
	wo->header_always = o->header_always;
	if (o->out_delim != 0) {
		if (wo->format != FORMAT_CSV)
			usage_error("--out-delimiter needs CSV output (--to "
			    "csv)");
		wo->delim = o->out_delim;
	}
	if (o->out_encoding != NULL) {
		/* JSON is UTF-8 (RFC 8259): only tables are for Excel. */
		if (!table)
			usage_error("--out-encoding needs --to csv or --to "
			    "tsv (JSON is UTF-8)");
		wo->encoding = o->out_encoding;
	}
	if (o->columns == NULL)
		return;
	if (wo->format != FORMAT_CSV && wo->format != FORMAT_TSV)
		usage_error("--columns needs --to csv or --to tsv");
	if (cols == NULL) {
		cols = opt_list(o->columns, ',', &ncols);
		for (i = 0; i < ncols; i++)
			if (*cols[i] == '\0')
				usage_error("bad --columns: %s (an empty name)",
				    o->columns);
		if (ncols == 0)
			usage_error("empty --columns");
	}
	wo->columns = (const char *const *)cols;
	wo->ncolumns = ncols;
	wo->extra_ok = 1;
}

/* ==== the shared options ==== */

static int
parse_delim(const char *arg)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "TAB") == 0 ||
	    strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
		return '\t';
	/* One byte, and not one that CSV itself gives a meaning. */
	if (arg[0] == '\0' || arg[1] != '\0' || arg[0] == '"' ||
	    arg[0] == '\n' || arg[0] == '\r' || (unsigned char)arg[0] >= 0x80)
		usage_error("bad delimiter: '%s' (one character, or \"tab\")",
		    arg);
	return (unsigned char)arg[0];
}

int
encoding_keeps_ascii(const char *enc)
{
	static const char ascii[] = "a,;\t\"\r\n|Z9";
	char in[sizeof(ascii)], out[64], *ip = in, *op = out;
	size_t il = sizeof(ascii) - 1, ol = sizeof(out);
	iconv_t cd;
	int same;

	if ((cd = iconv_open(enc, "UTF-8")) == (iconv_t)-1)
		return -1;
	memcpy(in, ascii, sizeof(ascii));
	/* No BOM, same bytes: UTF-16 writes a BOM and two bytes each. */
	same = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 &&
	    (size_t)(op - out) == sizeof(ascii) - 1 &&
	    memcmp(out, ascii, sizeof(ascii) - 1) == 0;
	iconv_close(cd);
	return same;
}

/*
 * An output encoding must exist and keep ASCII as it is (cp1251, latin1,
 * koi8-r): the writer pads and quotes in ASCII.  UTF-16 is refused.
 */
static void
check_out_encoding(const char *enc)
{
	int rc;

	if (strcasecmp(enc, "utf-8-bom") == 0 ||
	    strcasecmp(enc, "utf8-bom") == 0)
		return;
	if ((rc = encoding_keeps_ascii(enc)) == -1)
		usage_error("unknown --out-encoding: %s (e.g. cp1251, "
		    "utf-8-bom)", enc);
	if (rc == 0)
		usage_error("--out-encoding %s: not an encoding that keeps "
		    "ASCII as it is (e.g. cp1251, utf-8-bom)", enc);
}

int
common_opt(struct common_opts *o, int ch, const char *arg)
{
	unsigned long long v;

	switch (ch) {
	case 'd':
		o->delim = parse_delim(arg);
		break;
	case 'h':
		usage(stdout, EXIT_SUCCESS);
	case 'q':
		o->quiet = 1;
		errors_quiet(1);
		break;
	case 'o':
		if (*arg == '\0')
			usage_error("empty --output file name");
		o->output = arg;
		break;
	case 'z':
		o->gzip = 1;
		break;
	case OPT_FROM:
		o->from = format_parse(arg);
		/* As input, NDJSON is JSON: the JSON reader takes both. */
		if (o->from == FORMAT_NDJSON)
			o->from = FORMAT_JSON;
		if (o->from == FORMAT_NONE)
			usage_error("unknown --from format: %s (csv, tsv or "
			    "json)", arg);
		break;
	case OPT_TO:
		o->to = format_parse(arg);
		if (o->to == FORMAT_NONE)
			usage_error("unknown --to format: %s (ndjson, json, "
			    "csv or tsv)", arg);
		break;
	case OPT_NO_HEADER:
		o->no_header = 1;
		break;
	case OPT_ENCODING:
		if (*arg == '\0')
			usage_error("empty --encoding name");
		o->encoding = arg;
		hint_encoding_given();
		break;
	case OPT_CSV_SAFE:
		o->csv_safe = 1;
		break;
	case OPT_CRLF:
		o->crlf = 1;
		break;
	case OPT_HEADER_ALWAYS:
		o->header_always = 1;
		break;
	case OPT_COLUMNS:
		o->columns = arg;
		break;
	case OPT_OUT_DELIMITER:
		o->out_delim = parse_delim(arg);
		break;
	case OPT_OUT_ENCODING:
		check_out_encoding(arg);
		o->out_encoding = arg;
		break;
	case OPT_STATS:
		o->stats = 1;
		break;
	case OPT_REJECTS:
		if (*arg == '\0')
			usage_error("empty --rejects file name");
		o->rejects = arg;
		break;
	case OPT_PROGRESS:
		o->progress = 1;
		break;
	case OPT_NO_PROGRESS:
		o->progress = -1;
		break;
	case OPT_MAX_RECORD:
		if (opt_size(arg, &o->max_record) == -1 || o->max_record == 0)
			usage_error("bad --max-record size: %s", arg);
		break;
	case OPT_MAX_DEPTH:
		if (opt_uint(arg, 1000000, &v) == -1 || v == 0)
			usage_error("bad --max-depth: %s", arg);
		o->max_depth = (size_t)v;
		break;
	case OPT_VERSION:
		version();
	default:
		return 0;
	}
	return 1;
}

/* ==== outputs that name one file ==== */

/*
 * Where an output would land: an existing regular file by device and
 * inode; a file still to be made by its resolved directory and its name.
 * Anything else (a device, a FIFO) is written in place and never clashes.
 */
struct landing {
	int	 kind;		/* 0 never clashes, 1 existing, 2 to be made */
	dev_t	 dev;
	ino_t	 ino;
	char	*name;
};

static void
landing_of(const char *path, struct landing *l)
{
	struct stat st;
	const char *slash = strrchr(path, '/');
	char *dir, *real;
	size_t n;

	memset(l, 0, sizeof(*l));
	if (stat(path, &st) == 0) {
		if (S_ISREG(st.st_mode)) {
			l->kind = 1;
			l->dev = st.st_dev;
			l->ino = st.st_ino;
		}
		return;
	}
	l->kind = 2;
	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	real = realpath(dir, NULL);
	free(dir);
	if (real == NULL) {
		l->name = xstrdup(path);
		return;
	}
	n = strlen(real) + strlen(path) + 2;
	l->name = xmalloc(n);
	snprintf(l->name, n, "%s/%s", real, slash ? slash + 1 : path);
	free(real);
}

void
cli_outputs_distinct(const char *const *opts, const char *const *paths,
    size_t n)
{
	struct landing *l = xcalloc(n + 1, sizeof(*l));
	size_t i, k;
	int same;

	for (i = 0; i < n; i++)
		if (paths[i] != NULL && strcmp(paths[i], "-") != 0)
			landing_of(paths[i], &l[i]);
	for (i = 0; i < n; i++)
		for (k = 0; k < i; k++) {
			if (l[i].kind == 0 || l[i].kind != l[k].kind)
				continue;
			same = l[i].kind == 1 ?
			    l[i].dev == l[k].dev && l[i].ino == l[k].ino :
			    strcmp(l[i].name, l[k].name) == 0;
			if (same)
				usage_error("%s and %s name the same file %s: "
				    "give each its own", opts[k], opts[i],
				    paths[i]);
		}
	for (i = 0; i < n; i++)
		free(l[i].name);
	free(l);
}

void
cli_common_outputs_distinct(const struct common_opts *co, const char *opt,
    const char *path)
{
	const char *opts[] = { "-o", "--rejects", opt };
	const char *paths[] = { co->output, co->rejects, path };

	cli_outputs_distinct(opts, paths, opt != NULL ? 3 : 2);
}

void
cli_stdin_twice(int nfiles, char *const *files)
{
	int k, n = 0;

	for (k = 0; k < nfiles; k++)
		if (strcmp(files[k], "-") == 0 && ++n > 1)
			usage_error("standard input (-) given twice");
}

void
cli_stdin_once(const char *side, const char *what, int nfiles,
    char *const *files)
{
	int k, records_on_stdin = nfiles == 0;

	if (side == NULL || strcmp(side, "-") != 0)
		return;
	for (k = 0; k < nfiles; k++)
		records_on_stdin |= strcmp(files[k], "-") == 0;
	if (records_on_stdin)
		usage_error("standard input can hold %s or the records, not "
		    "both", what);
}

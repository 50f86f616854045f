/*
 * cli.h: the options every tool shares, and usage/version output.
 *
 * A tool lists COMMON_LONGOPTS in its getopt_long table and COMMON_SHORTOPTS
 * in its option string, and hands every option it does not know itself to
 * common_opt().  Long-only options use codes from OPT_COMMON_BASE up;
 * a tool's own long-only codes start at OPT_TOOL_BASE.
 */
#ifndef DUMPKIT_CLI_H
#define DUMPKIT_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "common/format.h"

/* "0.1.0": the VERSION file, or git describe in a checkout (version.c). */
extern const char dumpkit_version[];

struct common_opts {
	enum format	 from;		/* --from; FORMAT_NONE: detect */
	enum format	 to;		/* --to; FORMAT_NONE: follow input */
	int		 delim;		/* -d; 0: sniff */
	int		 no_header;	/* --no-header */
	const char	*encoding;	/* --encoding */
	const char	*output;	/* -o/--output */
	int		 gzip;		/* -z/--gzip */
	int		 csv_safe;	/* --csv-safe */
	int		 crlf;		/* --crlf */
	int		 stats;		/* --stats */
	const char	*rejects;	/* --rejects FILE */
	int		 progress;	/* 1 --progress, -1 --no-progress */
	size_t		 max_record;	/* --max-record BYTES */
	size_t		 max_depth;	/* --max-depth N */
	int		 quiet;		/* -q/--quiet: no warnings */
	int		 header_always;	/* --header-always */
	const char	*columns;	/* --columns LIST, as given */
	int		 out_delim;	/* --out-delimiter; 0: the input's */
	const char	*out_encoding;	/* --out-encoding; NULL: UTF-8 */
};

#define COMMON_OPTS_DEFAULT { FORMAT_NONE, FORMAT_NONE, 0, 0, NULL, NULL, \
	0, 0, 0, 0, NULL, 0, (size_t)64 << 20, 512, 0, 0, NULL, 0, NULL }

enum {
	OPT_COMMON_BASE = 0x100,
	OPT_FROM = OPT_COMMON_BASE,
	OPT_TO,
	OPT_NO_HEADER,
	OPT_ENCODING,
	OPT_CSV_SAFE,
	OPT_CRLF,
	OPT_STATS,
	OPT_REJECTS,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_HEADER_ALWAYS,
	OPT_COLUMNS,
	OPT_OUT_DELIMITER,
	OPT_OUT_ENCODING,
	OPT_MAX_RECORD,
	OPT_MAX_DEPTH,
	OPT_VERSION,
	OPT_TOOL_BASE = 0x200
};

/*
 * A short option letter means one thing in every tool (DESIGN.md section
 * 5); the tools' own letters are listed in docs/dumpkit.7.
 */
#define COMMON_SHORTOPTS "d:ho:qz"

#define COMMON_LONGOPTS \
	{ "from",	required_argument,	NULL, OPT_FROM }, \
	{ "to",		required_argument,	NULL, OPT_TO }, \
	{ "delimiter",	required_argument,	NULL, 'd' }, \
	{ "no-header",	no_argument,		NULL, OPT_NO_HEADER }, \
	{ "encoding",	required_argument,	NULL, OPT_ENCODING }, \
	{ "output",	required_argument,	NULL, 'o' }, \
	{ "gzip",	no_argument,		NULL, 'z' }, \
	{ "csv-safe",	no_argument,		NULL, OPT_CSV_SAFE }, \
	{ "crlf",	no_argument,		NULL, OPT_CRLF }, \
	{ "header-always", no_argument,		NULL, OPT_HEADER_ALWAYS }, \
	{ "columns",	required_argument,	NULL, OPT_COLUMNS }, \
	{ "out-delimiter", required_argument,	NULL, OPT_OUT_DELIMITER }, \
	{ "out-encoding", required_argument,	NULL, OPT_OUT_ENCODING }, \
	{ "stats",	no_argument,		NULL, OPT_STATS }, \
	{ "rejects",	required_argument,	NULL, OPT_REJECTS }, \
	{ "progress",	no_argument,		NULL, OPT_PROGRESS }, \
	{ "no-progress", no_argument,		NULL, OPT_NO_PROGRESS }, \
	{ "max-record",	required_argument,	NULL, OPT_MAX_RECORD }, \
	{ "max-depth",	required_argument,	NULL, OPT_MAX_DEPTH }, \
	{ "quiet",	no_argument,		NULL, 'q' }, \
	{ "help",	no_argument,		NULL, 'h' }, \
	{ "version",	no_argument,		NULL, OPT_VERSION }

/*
 * The text of the COMMON OPTIONS block for a tool's --help (what
 * common_opt() accepts), so every tool documents them alike.  usage()
 * prints it without the options cli_tool() leaves out.
 */
extern const char cli_common_help[];

/* Common options a tool does not take (its input is JSON only). */
#define CLI_NO_CSV_INPUT	0x1	/* --from, -d, --no-header */
/*
 * ... or writes no records (twin-join urls): --to, --rejects, the CSV
 * output options and --stats (the tool refuses them: cli_table_opt())
 */
#define CLI_NO_TABLE_OUTPUT	0x2

/*
 * What a tool's --help shows besides its own text: without (CLI_* bits)
 * leaves common options out; to_default names the --to default (NULL:
 * "follows the input"); examples (may be NULL) ends the help, one command
 * per "  $ " line.  Call after cli_init().
 */
void	cli_tool(unsigned without, const char *to_default,
	    const char *examples);

/*
 * Set the tool's synopsis ("usage: twin-join [OPTIONS] -l LINKS [FILE...]",
 * possibly several lines) and full help text (printed by -h after the
 * synopsis).  Call once before parsing.
 */
void	cli_init(const char *synopsis, const char *help);

/*
 * Handle a shared option: -h, --version, --from, ... .  Returns 1 when ch
 * was one, 0 when it is the tool's own.  Bad values are usage errors.
 *   --from csv|tsv|json (ndjson and jsonl mean json: one reader takes all)
 *   --to ndjson|json|csv|tsv (jsonl means ndjson)
 *   -d C: one ASCII character other than '"', CR and LF; or "tab",
 *         backslash-t or a TAB character
 *   --max-record SIZE: opt_size(), not 0;  --max-depth N: 1..1000000
 */
int	common_opt(struct common_opts *o, int ch, const char *arg);

/*
 * Print the synopsis; to stdout also the help text and then cli_common_help
 * (unless the help already contains it), and exit with status.  A failed
 * write to stdout (e.g. /dev/full) exits 2 instead.
 */
void	usage(FILE *fp, int status) __attribute__((noreturn));
/*
 * "tool: msg" then the synopsis on stderr, exit 2 (removing uncommitted
 * output temporaries first).
 */
void	usage_error(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
/*
 * Usage error "-o and --state name the same file FILE: give each its own"
 * when two of the n outputs a run names are one file: the same device and
 * inode, or, for a file still to be made, the same resolved directory and
 * name.  opts[i] is the option ("-o"), paths[i] its file; NULL and "-" are
 * skipped, and so is a target that is not a regular file (/dev/null).
 * Two outputs of one file would otherwise overwrite each other.
 */
void	cli_outputs_distinct(const char *const *opts,
	    const char *const *paths, size_t n);
/*
 * The usual call: -o and --rejects of co, and one more output of the
 * tool's own (opt, e.g. "--state", and its path; NULL for none).
 */
void	cli_common_outputs_distinct(const struct common_opts *co,
	    const char *opt, const char *path);

/*
 * Standard input can be read once: a usage error when side (a file option's
 * path, e.g. --against or -l, "-" meaning stdin) is "-" and the operands
 * (files, nfiles; none means stdin) read it too.  what names the side
 * ("the links"); the message says the records cannot share it.
 */
void	cli_stdin_once(const char *side, const char *what, int nfiles,
	    char *const *files);
/*
 * A usage error when "-" is among files more than once: the second would
 * read nothing, an empty input passed off as one.
 */
void	cli_stdin_twice(int nfiles, char *const *files);

/* "tool (dumpkit) 0.1.0" on stdout, exit 0. */
void	version(void) __attribute__((noreturn));

/*
 * Parse an unsigned decimal number no greater than max, rejecting junk,
 * signs, empty strings and overflow.  Returns 0, or -1.
 */
int	opt_uint(const char *s, unsigned long long max,
	    unsigned long long *out);
/* A size with an optional K/M/G suffix (binary units): "64M".  0 or -1. */
int	opt_size(const char *s, size_t *out);
/*
 * The first option given in o that only a tool writing records takes
 * (--to, --rejects, --csv-safe, --crlf, --header-always, --columns,
 * --out-delimiter, --out-encoding), for "X is not an option of ...";
 * NULL when none was.
 */
const char *cli_table_opt(const struct common_opts *o);

struct writer_opts;
/*
 * The output options of o into wo (whose format, columns and delimiter the
 * tool has set; for CSV read and CSV written, the delimiter read): --crlf,
 * --csv-safe, --header-always; --columns, which replace the tool's columns
 * (fields not listed are left out); --out-delimiter and --out-encoding.
 * Those three with output other than CSV (TSV for --columns and
 * --out-encoding) are usage errors.  Call just before record_writer_new().
 */
void	cli_writer_opts(struct writer_opts *wo, const struct common_opts *o);

/*
 * 1 when iconv knows enc and it writes ASCII as ASCII (cp1251: yes,
 * UTF-16: no), 0 when not, -1 when iconv does not know it.
 */
int	encoding_keeps_ascii(const char *enc);

/*
 * Split "a,b,c" into a NULL-terminated array of strings (free with
 * opt_list_free); *n (if n is not NULL) is the count.  Empty items are kept
 * as "" ("a,,b" is 3 items, "a," is 2); the empty string is no items.
 */
char	**opt_list(const char *s, int sep, size_t *n);
void	opt_list_free(char **list);

#endif

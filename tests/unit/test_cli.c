/* test_cli.c: shared options, usage/version output, opt_uint/size/list. */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/errors.h"
#include "tests/unit/tap.h"
#include "tests/unit/testutil.h"

static int
count_of(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

#define EXITED(st, code) (WIFEXITED(st) && WEXITSTATUS(st) == (code))

static void
call_help(const char *arg)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;

	common_opt(&o, 'h', arg);
}

static void
call_version(const char *arg)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;

	common_opt(&o, OPT_VERSION, arg);
}

static void
call_usage_err(const char *arg)
{
	(void)arg;
	usage(stderr, EXIT_TROUBLE);
}

static void
call_usage_error(const char *arg)
{
	usage_error("bad thing: %s", arg);
}

static void
call_from(const char *arg)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;

	common_opt(&o, OPT_FROM, arg);
	_exit(0);
}

static void
call_delim(const char *arg)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;

	common_opt(&o, 'd', arg);
	_exit(0);
}

static void
call_max_depth(const char *arg)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;

	common_opt(&o, OPT_MAX_DEPTH, arg);
	_exit(0);
}

static void
call_max_record(const char *arg)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;

	common_opt(&o, OPT_MAX_RECORD, arg);
	_exit(0);
}

static void
test_opt_uint(void)
{
	unsigned long long v;

	v = 7;
	is_int(opt_uint("0", 10, &v), 0, "0 is a number");
	is_int(v, 0, "0 parsed");
	is_int(opt_uint("42", 100, &v), 0, "42");
	is_int(v, 42, "42 parsed");
	is_int(opt_uint("007", 100, &v), 0, "leading zeros are fine");
	is_int(v, 7, "007 is 7");
	is_int(opt_uint("100", 100, &v), 0, "max itself");
	is_int(opt_uint("101", 100, &v), -1, "max + 1");
	is_int(opt_uint("", 100, &v), -1, "empty");
	is_int(opt_uint(NULL, 100, &v), -1, "NULL");
	is_int(opt_uint("-1", 100, &v), -1, "minus sign");
	is_int(opt_uint("+1", 100, &v), -1, "plus sign");
	is_int(opt_uint(" 1", 100, &v), -1, "leading blank");
	is_int(opt_uint("1 ", 100, &v), -1, "trailing blank");
	is_int(opt_uint("1x", 100, &v), -1, "trailing junk");
	is_int(opt_uint("0x10", 100, &v), -1, "hex");
	is_int(opt_uint("1.0", 100, &v), -1, "decimal point");
	is_int(opt_uint("1e3", 10000, &v), -1, "exponent");
	v = 0;
	is_int(opt_uint("18446744073709551615", ULLONG_MAX, &v), 0,
	    "ULLONG_MAX");
	ok(v == ULLONG_MAX, "ULLONG_MAX parsed");
	is_int(opt_uint("18446744073709551616", ULLONG_MAX, &v), -1,
	    "ULLONG_MAX + 1 overflows");
	is_int(opt_uint("99999999999999999999999", ULLONG_MAX, &v), -1,
	    "far overflow");
	is_int(opt_uint("5", 5, &v), 0, "single digit at small max");
	is_int(opt_uint("6", 5, &v), -1, "single digit over small max");
	is_int(opt_uint("17", 5, &v), -1, "two digits over small max");
	v = 3;
	opt_uint("x", 100, &v);
	is_int(v, 3, "failure leaves *out alone");
}

static void
test_opt_size(void)
{
	size_t z = 0;

	is_int(opt_size("123", &z), 0, "plain bytes");
	is_int(z, 123, "123");
	is_int(opt_size("64M", &z), 0, "64M");
	is_int(z, 64 << 20, "64M is 64 MiB");
	is_int(opt_size("2k", &z), 0, "2k");
	is_int(z, 2048, "2k is 2048");
	is_int(opt_size("1G", &z), 0, "1G");
	is_int(z, 1 << 30, "1G is 2^30");
	is_int(opt_size("3MiB", &z), 0, "3MiB");
	is_int(z, 3 << 20, "3MiB value");
	is_int(opt_size("3MB", &z), 0, "3MB");
	is_int(opt_size("M", &z), -1, "suffix alone");
	is_int(opt_size("", &z), -1, "empty");
	is_int(opt_size("-1M", &z), -1, "negative");
	is_int(opt_size("1X", &z), -1, "unknown suffix");
	is_int(opt_size("1Mx", &z), -1, "junk after suffix");
	is_int(opt_size("1.5M", &z), -1, "fraction");
	is_int(opt_size("99999999999999999999", &z), -1, "overflow");
	is_int(opt_size("17179869184G", &z), -1, "overflow by suffix");
}

static void
test_opt_list(void)
{
	char **l;
	size_t n = 99;

	l = opt_list("a,b,c", ',', &n);
	is_int(n, 3, "three items");
	is_str(l[0], "a", "item 0");
	is_str(l[1], "b", "item 1");
	is_str(l[2], "c", "item 2");
	ok(l[3] == NULL, "NULL-terminated");
	opt_list_free(l);

	l = opt_list("a,,b,", ',', &n);
	is_int(n, 4, "empty items kept");
	is_str(l[1], "", "empty middle item");
	is_str(l[3], "", "empty last item");
	ok(l[4] == NULL, "terminated");
	opt_list_free(l);

	l = opt_list("", ',', &n);
	is_int(n, 0, "empty string: no items");
	ok(l != NULL && l[0] == NULL, "empty list is just NULL");
	opt_list_free(l);

	l = opt_list("one", ',', NULL);
	is_str(l[0], "one", "single item, n NULL");
	ok(l[1] == NULL, "single terminated");
	opt_list_free(l);

	l = opt_list("x=1;y=2", ';', &n);
	is_int(n, 2, "other separator");
	is_str(l[1], "y=2", "second");
	opt_list_free(l);
	/* NULL is fine: a crash here fails the whole test program. */
	opt_list_free(NULL);
}

static void
test_common_opt(void)
{
	struct common_opts o = COMMON_OPTS_DEFAULT;
	int st;

	is_int(o.max_record, 64 << 20, "default max record 64 MiB");
	is_int(o.max_depth, 512, "default max depth 512");
	is_int(common_opt(&o, OPT_FROM, "tsv"), 1, "--from handled");
	is_int(o.from, FORMAT_TSV, "--from tsv");
	common_opt(&o, OPT_FROM, "ndjson");
	is_int(o.from, FORMAT_JSON, "--from ndjson reads as json");
	is_int(common_opt(&o, OPT_TO, "ndjson"), 1, "--to handled");
	is_int(o.to, FORMAT_NDJSON, "--to ndjson");
	common_opt(&o, OPT_TO, "json");
	is_int(o.to, FORMAT_JSON, "--to json");
	common_opt(&o, 'd', ";");
	is_int(o.delim, ';', "-d ;");
	common_opt(&o, 'd', "tab");
	is_int(o.delim, '\t', "-d tab");
	common_opt(&o, 'd', "\\t");
	is_int(o.delim, '\t', "-d backslash-t");
	common_opt(&o, 'd', "|");
	is_int(o.delim, '|', "-d |");
	common_opt(&o, 'o', "out.csv");
	is_str(o.output, "out.csv", "-o");
	common_opt(&o, 'z', NULL);
	is_int(o.gzip, 1, "-z");
	common_opt(&o, OPT_NO_HEADER, NULL);
	is_int(o.no_header, 1, "--no-header");
	common_opt(&o, OPT_ENCODING, "cp1251");
	is_str(o.encoding, "cp1251", "--encoding");
	common_opt(&o, OPT_CSV_SAFE, NULL);
	is_int(o.csv_safe, 1, "--csv-safe");
	common_opt(&o, OPT_CRLF, NULL);
	is_int(o.crlf, 1, "--crlf");
	common_opt(&o, OPT_STATS, NULL);
	is_int(o.stats, 1, "--stats");
	common_opt(&o, OPT_REJECTS, "rej.csv");
	is_str(o.rejects, "rej.csv", "--rejects");
	common_opt(&o, OPT_PROGRESS, NULL);
	is_int(o.progress, 1, "--progress");
	common_opt(&o, OPT_MAX_RECORD, "1K");
	is_int(o.max_record, 1024, "--max-record 1K");
	common_opt(&o, OPT_MAX_DEPTH, "20");
	is_int(o.max_depth, 20, "--max-depth 20");
	is_int(common_opt(&o, 'l', "x"), 0, "a tool's own option is not ours");
	is_int(common_opt(&o, OPT_TOOL_BASE, "x"), 0, "nor its long ones");
	is_int(common_opt(&o, '?', NULL), 0, "getopt's '?' is the tool's");

	st = in_child(call_from, "xml", NULL);
	ok(EXITED(st, 2), "--from xml exits 2");
	is_str(errbuf, "tcli: unknown --from format: xml (csv, tsv or json)\nusage: tcli [OPTIONS] "
	    "[FILE...]\n", "--from xml message and synopsis");
	is_str(outbuf, "", "nothing on stdout");
	st = in_child(call_delim, "ab", NULL);
	ok(EXITED(st, 2), "-d ab exits 2");
	is_str(errbuf, "tcli: bad delimiter: 'ab' (one character, or "
	    "\"tab\")\nusage: tcli [OPTIONS] [FILE...]\n", "-d ab message");
	st = in_child(call_delim, "\"", NULL);
	ok(EXITED(st, 2), "-d '\"' exits 2");
	st = in_child(call_delim, "", NULL);
	ok(EXITED(st, 2), "-d '' exits 2");
	st = in_child(call_max_depth, "-3", NULL);
	ok(EXITED(st, 2), "--max-depth -3 exits 2");
	is_str(errbuf, "tcli: bad --max-depth: -3\nusage: tcli [OPTIONS] "
	    "[FILE...]\n", "--max-depth message");
	st = in_child(call_max_depth, "0", NULL);
	ok(EXITED(st, 2), "--max-depth 0 exits 2");
	st = in_child(call_max_record, "12Q", NULL);
	ok(EXITED(st, 2), "--max-record 12Q exits 2");
	is_str(errbuf, "tcli: bad --max-record size: 12Q\nusage: tcli "
	    "[OPTIONS] [FILE...]\n", "--max-record message");
}

static void
test_usage(void)
{
	char want[8192];
	int st;

	st = in_child(call_help, NULL, NULL);
	ok(EXITED(st, 0), "-h exits 0");
	snprintf(want, sizeof(want), "usage: tcli [OPTIONS] [FILE...]\n\n"
	    "Does things.\n\n%s", cli_common_help);
	is_str(outbuf, want, "-h: synopsis, help, common options");
	is_str(errbuf, "", "-h: nothing on stderr");
	ok(strstr(cli_common_help, "  --max-depth N") != NULL,
	    "common help lists --max-depth");
	ok(strstr(cli_common_help, "  -o, --output FILE") != NULL,
	    "common help lists -o");

	st = in_child(call_help, NULL, "/dev/full");
	ok(EXITED(st, 2), "-h to /dev/full exits 2");
	is_str(errbuf, "tcli: write error: stdout: No space left on device\n",
	    "-h to /dev/full message");

	st = in_child(call_usage_err, NULL, NULL);
	ok(EXITED(st, 2), "usage(stderr, 2) exits 2");
	is_str(errbuf, "usage: tcli [OPTIONS] [FILE...]\n",
	    "usage to stderr: synopsis only");
	is_str(outbuf, "", "usage to stderr: stdout empty");

	st = in_child(call_usage_error, "x", NULL);
	ok(EXITED(st, 2), "usage_error exits 2");
	is_str(errbuf, "tcli: bad thing: x\nusage: tcli [OPTIONS] [FILE...]\n",
	    "usage_error message");

	st = in_child(call_version, NULL, NULL);
	ok(EXITED(st, 0), "--version exits 0");
	snprintf(want, sizeof(want), "tcli (dumpkit) %s\n", dumpkit_version);
	is_str(outbuf, want, "--version text");
	st = in_child(call_version, NULL, "/dev/full");
	ok(EXITED(st, 2), "--version to /dev/full exits 2");

	/* A help text that already holds the common block shows it once. */
	snprintf(want, sizeof(want), "Does things.\n\n%s", cli_common_help);
	cli_init("usage: tcli [OPTIONS] [FILE...]", want);
	st = in_child(call_help, NULL, NULL);
	ok(EXITED(st, 0), "-h with embedded common help exits 0");
	is_int(count_of(outbuf, "Common options:"), 1,
	    "common block printed once");
	is_int(count_of(outbuf, "  --max-depth N"), 1, "--max-depth once");
}

int
main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	errors_init("tcli");
	cli_init("usage: tcli [OPTIONS] [FILE...]", "Does things.");
	test_opt_uint();
	test_opt_size();
	test_opt_list();
	test_common_opt();
	test_usage();
	return tap_done();
}

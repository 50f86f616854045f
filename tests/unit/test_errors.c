/*
 * test_errors.c: what die(), data_error(), warnx() and usage_error() print:
 * credentials masked (DESIGN.md section 4), everything else as formatted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common/cli.h"
#include "common/errors.h"
#include "tests/unit/tap.h"
#include "tests/unit/testutil.h"

#define ELL "\xe2\x80\xa6"	/* U+2026, what a masked value shows */

#define EXITED(st, code) (WIFEXITED(st) && WEXITSTATUS(st) == (code))

static void
call_die(const char *arg)
{
	die("links.next is this page's own links.self (%s): a download loop "
	    "would never end", arg);
}

static void
call_data_error(const char *arg)
{
	data_error("in.json", 1, "links.next %s was not read", arg);
}

static void
call_data_error_at(const char *arg)
{
	data_error_at("in.csv", 2, 5, "bad arrival duration \"%s\"", arg);
}

static void
call_die_errno(const char *arg)
{
	errno = ENOENT;
	die_errno("%s", arg);
}

static void
call_usage_error(const char *arg)
{
	usage_error("bad --url: %s", arg);
}

/* 12 warnings of one kind: 10 printed, the rest summed up at exit. */
static void
call_warnx(const char *arg)
{
	int i;

	for (i = 0; i < 12; i++)
		data_warn("in.csv", (unsigned long)i + 2, "%s is odd", arg);
	exit(0);
}

static void
test_masked(void)
{
	struct strbuf want = STRBUF_INIT;
	int st, i;

	st = in_child(call_die, "https://a/x?page=2&key=SEKRET1", NULL);
	ok(EXITED(st, 2), "die() exits 2");
	is_str(errbuf, "test_errors: links.next is this page's own links.self "
	    "(https://a/x?page=2&key=" ELL "): a download loop would never "
	    "end\n", "die(): key= value masked, the rest as it was");

	st = in_child(call_data_error, "https://a/s?page[offset]=1&apikey=K&"
	    "_cpKey=SEKRET2SEKRET2", NULL);
	ok(EXITED(st, 2), "data_error() exits 2");
	is_str(errbuf, "test_errors: in.json:1: links.next https://a/s?"
	    "page[offset]=1&apikey=" ELL "&_cpKey=SEK" ELL "ET2 was not read\n",
	    "data_error(): _cpKey= masked as a key, up to the space after it");

	st = in_child(call_data_error_at, "https://x/?token=SEKRET9", NULL);
	ok(EXITED(st, 2), "data_error_at() exits 2");
	is_str(errbuf, "test_errors: in.csv:2:5: bad arrival duration "
	    "\"https://x/?token=" ELL "\"\n",
	    "data_error_at(): token= masked up to the quote");

	st = in_child(call_die_errno, "/tmp/x?Api_Key=S3;b", NULL);
	ok(EXITED(st, 2), "die_errno() exits 2");
	is_str(errbuf, "test_errors: /tmp/x?Api_Key=" ELL ";b: No such file "
	    "or directory\n", "die_errno(): any case, ';' ends the value");

	st = in_child(call_usage_error, "https://q/?access_token=T&x=1", NULL);
	ok(EXITED(st, 2), "usage_error() exits 2");
	is_str(errbuf, "test_errors: bad --url: https://q/?access_token=" ELL
	    "&x=1\n", "usage_error(): masked too");

	st = in_child(call_warnx, "https://q/?_cpKey=ABCDEFGHIJKL", NULL);
	ok(EXITED(st, 0), "warnings do not exit");
	for (i = 0; i < 10; i++)
		strbuf_addf(&want, "test_errors: in.csv:%d: https://q/?_cpKey="
		    "ABC" ELL "JKL is odd\n", i + 2);
	strbuf_addstr(&want, "test_errors: 2 more warnings like \"https://q/?"
	    "_cpKey=ABC" ELL "JKL is odd\" not shown (-q silences them)\n");
	is_str(errbuf, want.buf,
	    "data_warn(): each warning and the summary's quote masked");
	strbuf_release(&want);
}

static void
test_unchanged(void)
{
	static const char *const plain[] = {
		"https://a/x?page=2&page[size]=10",
		"bad key=value; token: x",	/* no '?', '&', ';' before */
		"https://q/?keys=1&tokens=2&api=3",
		"https://q/?apikey=" ELL "&_cpKey=SEK" ELL "ET2&_cpKey=" ELL,
		"https://q/?apikey=&_cpKey=",	/* empty: nothing to hide */
		"caf\xc3\xa9 \"quoted\" 'x' <y> 100%",
	};
	char want[512];
	size_t i;
	int st;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		st = in_child(call_die, plain[i], NULL);
		snprintf(want, sizeof(want), "test_errors: links.next is this "
		    "page's own links.self (%s): a download loop would never "
		    "end\n", plain[i]);
		ok(EXITED(st, 2), "exit 2 (%zu)", i);
		is_str(errbuf, want, "a message without a secret is printed "
		    "as formatted (%zu)", i);
	}
}

int
main(int argc, char *argv[])
{
	(void)argc;
	errors_init(argv[0]);
	test_masked();
	test_unchanged();
	return tap_done();
}

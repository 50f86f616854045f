/* test_tparse.c: RFC 3339, HTTP dates, @epoch, durations, formatting. */
#include <stdint.h>
#include <string.h>

#include "common/tparse.h"
#include "tests/unit/tap.h"

/* Parse s with fn and return it formatted back, or "ERR". */
static const char *
rt(int (*fn)(const char *, size_t, struct tstamp *), const char *s)
{
	static char buf[40];
	struct tstamp t;

	if (fn(s, strlen(s), &t) == -1)
		return "ERR";
	return tstamp_format(t, buf);
}

static long long
secs(int (*fn)(const char *, size_t, struct tstamp *), const char *s)
{
	struct tstamp t = { -12345, 0 };

	if (fn(s, strlen(s), &t) == -1)
		return -12345;
	return (long long)t.sec;
}

static long long
dur(const char *s)
{
	int64_t d;

	if (tparse_duration(s, strlen(s), &d) == -1)
		return -1;
	return (long long)d;
}

#define R3339(s, want) is_str(rt(tparse_rfc3339, s), want, "rfc3339 %s", s)
#define BAD3339(s) is_str(rt(tparse_rfc3339, s), "ERR", "rfc3339 rejects %s", s)
#define HTTP(s, want) is_str(rt(tparse_http_date, s), want, "http %s", s)
#define BADHTTP(s) is_str(rt(tparse_http_date, s), "ERR", "http rejects %s", s)
#define EPOCH(s, want) is_str(rt(tparse_epoch, s), want, "epoch %s", s)
#define BADEPOCH(s) is_str(rt(tparse_epoch, s), "ERR", "epoch rejects %s", s)
#define DUR(s, want) is_int(dur(s), want, "duration %s", s)
#define BADDUR(s) is_int(dur(s), -1, "duration rejects '%s'", s)

static void
test_rfc3339(void)
{
	struct tstamp t;

	is_int(secs(tparse_rfc3339, "1970-01-01T00:00:00Z"), 0, "the epoch");
	is_int(secs(tparse_rfc3339, "2017-10-09T16:04:19Z"), 1507565059,
	    "a known time");
	R3339("2017-10-09T16:04:19Z", "2017-10-09T16:04:19Z");
	R3339("2017-10-09t16:04:19z", "2017-10-09T16:04:19Z");
	R3339("2017-10-09 16:04:19Z", "2017-10-09T16:04:19Z");
	R3339("2017-10-09T19:04:19+03:00", "2017-10-09T16:04:19Z");
	R3339("2017-10-09T11:34:19-04:30", "2017-10-09T16:04:19Z");
	R3339("2017-10-09T16:04:19+00:00", "2017-10-09T16:04:19Z");
	R3339("2017-10-09T16:04:19-00:00", "2017-10-09T16:04:19Z");
	R3339("2017-01-01T01:00:00+02:00", "2016-12-31T23:00:00Z");
	R3339("2016-12-31T23:00:00-23:59", "2017-01-01T22:59:00Z");
	/* Fractions. */
	R3339("2017-10-09T16:04:19.5Z", "2017-10-09T16:04:19.5Z");
	R3339("2017-10-09T16:04:19.123456789Z",
	    "2017-10-09T16:04:19.123456789Z");
	R3339("2017-10-09T16:04:19.1234567899Z",
	    "2017-10-09T16:04:19.123456789Z");
	R3339("2017-10-09T16:04:19.000000000001Z", "2017-10-09T16:04:19Z");
	R3339("2017-10-09T16:04:19.000Z", "2017-10-09T16:04:19Z");
	R3339("2017-10-09T16:04:19.010+01:00", "2017-10-09T15:04:19.01Z");
	ok(tparse_rfc3339("1970-01-01T00:00:00.25Z", 23, &t) == 0 &&
	    t.sec == 0 && t.nsec == 250000000, "fraction in nsec");
	ok(tparse_rfc3339("1969-12-31T23:59:59.75Z", 23, &t) == 0 &&
	    t.sec == -1 && t.nsec == 750000000, "before the epoch");
	/* Leap years and month ends. */
	R3339("2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z");
	R3339("2016-02-29T12:00:00Z", "2016-02-29T12:00:00Z");
	BAD3339("1900-02-29T00:00:00Z");
	BAD3339("2017-02-29T00:00:00Z");
	BAD3339("2017-02-30T00:00:00Z");
	R3339("2017-04-30T00:00:00Z", "2017-04-30T00:00:00Z");
	BAD3339("2017-04-31T00:00:00Z");
	R3339("2017-12-31T23:59:59Z", "2017-12-31T23:59:59Z");
	BAD3339("2017-12-32T00:00:00Z");
	BAD3339("2017-13-01T00:00:00Z");
	BAD3339("2017-00-01T00:00:00Z");
	BAD3339("2017-01-00T00:00:00Z");
	/* Time fields. */
	BAD3339("2017-01-01T24:00:00Z");
	BAD3339("2017-01-01T23:60:00Z");
	BAD3339("2017-01-01T23:59:61Z");
	/*
	 * Leap seconds: only in the last UTC minute of a day, read as the
	 * first instant of the next second (what timegm() gives), so they
	 * sort after every fraction of 23:59:59.
	 */
	R3339("2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z");
	R3339("2016-12-31T23:59:60.5Z", "2017-01-01T00:00:00Z");
	R3339("2017-01-01T02:59:60+03:00", "2017-01-01T00:00:00Z");
	{
		struct tstamp a, b;

		tparse_rfc3339("2016-12-31T23:59:59.9Z", 22, &a);
		tparse_rfc3339("2016-12-31T23:59:60Z", 20, &b);
		is_int(tstamp_cmp(a, b), -1, "23:59:59.9 sorts before 23:59:60");
	}
	BAD3339("2016-12-31T22:59:60Z");
	BAD3339("2016-12-31T23:59:60+01:00");
	/* Range. */
	R3339("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z");
	R3339("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z");
	BAD3339("9999-12-31T23:59:59-00:01");
	BAD3339("0000-01-01T00:00:00+00:01");
	is_int(secs(tparse_rfc3339, "0001-01-01T00:00:00Z"), -62135596800LL,
	    "year 1");
	/* Syntax. */
	BAD3339("");
	BAD3339("2017-10-09");
	BAD3339("2017-10-09T16:04Z");
	BAD3339("2017-10-09T16:04:19");
	BAD3339("2017-10-09T16:04:19+03");
	BAD3339("2017-10-09T16:04:19+0300");
	BAD3339("2017-10-09T16:04:19+24:00");
	BAD3339("2017-10-09T16:04:19+03:60");
	BAD3339("2017-10-09T16:04:19.Z");
	BAD3339("2017-10-09T16:04:19,5Z");
	BAD3339("2017-10-09T16:04:19ZZ");
	BAD3339("2017-10-09T16:04:19Z ");
	BAD3339(" 2017-10-09T16:04:19Z");
	BAD3339("2017-10-09X16:04:19Z");
	BAD3339("17-10-09T16:04:19Z");
	BAD3339("2017-1-09T16:04:19Z");
	BAD3339("2017-10-9T16:04:19Z");
	BAD3339("2017-10-09T6:04:19Z");
	BAD3339("2017/10/09T16:04:19Z");
	BAD3339("+2017-10-09T16:04:19Z");
	BAD3339("2017-10-09T16:04:19.5");
	BAD3339("2017-1a-09T16:04:19Z");
	ok(tparse_rfc3339("2017-10-09T16:04:19Zjunk", 20, &t) == 0,
	    "len bounds the text");
	ok(tparse_rfc3339("2017-10-09T16:04:19Z", 19, &t) == -1,
	    "a cut text is not a time");
}

static void
test_http(void)
{
	HTTP("Sun, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z");
	is_int(secs(tparse_http_date, "Sun, 06 Nov 1994 08:49:37 GMT"),
	    784111777, "IMF-fixdate value");
	HTTP("Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z");
	HTTP("Thursday, 01-Jan-15 00:00:00 GMT", "2015-01-01T00:00:00Z");
	HTTP("Sun Nov  6 08:49:37 1994", "1994-11-06T08:49:37Z");
	HTTP("Wed Nov 16 08:49:37 1994", "1994-11-16T08:49:37Z");
	HTTP("Thu, 29 Feb 2024 23:59:59 GMT", "2024-02-29T23:59:59Z");
	HTTP("Thu, 01 Jan 1970 00:00:00 GMT", "1970-01-01T00:00:00Z");
	HTTP("Fri, 31 Dec 1999 23:59:60 GMT", "2000-01-01T00:00:00Z");
	BADHTTP("Thu, 29 Feb 2023 00:00:00 GMT");
	BADHTTP("Sun, 06 Nov 1994 08:49:37 UTC");
	BADHTTP("Sun, 06 Nov 1994 08:49:37 gmt");
	BADHTTP("sun, 06 Nov 1994 08:49:37 GMT");
	BADHTTP("Sun, 06 nov 1994 08:49:37 GMT");
	BADHTTP("Sun, 6 Nov 1994 08:49:37 GMT");
	BADHTTP("Sun, 06 Nov 94 08:49:37 GMT");
	BADHTTP("Sun, 06 Nov 1994 08:49 GMT");
	BADHTTP("Sun, 06 Nov 1994 08:49:37 GMT ");
	BADHTTP("Sun 06 Nov 1994 08:49:37 GMT");
	BADHTTP("Sun, 06 Nox 1994 08:49:37 GMT");
	BADHTTP("Sun, 06 Nov 1994 24:00:00 GMT");
	BADHTTP("Sun, 31 Nov 1994 08:49:37 GMT");
	BADHTTP("Sunday, 06-Nov-1994 08:49:37 GMT");
	BADHTTP("Sun Nov 6 08:49:37 1994");
	BADHTTP("Sun Nov  6 08:49:37 1994 ");
	BADHTTP("");
	BADHTTP("1994-11-06T08:49:37Z");
}

static void
test_epoch(void)
{
	struct tstamp t;

	EPOCH("@0", "1970-01-01T00:00:00Z");
	EPOCH("@1700000000", "2023-11-14T22:13:20Z");
	EPOCH("@1.5", "1970-01-01T00:00:01.5Z");
	EPOCH("@-1", "1969-12-31T23:59:59Z");
	EPOCH("@-1.25", "1969-12-31T23:59:58.75Z");
	EPOCH("@1.0000000001", "1970-01-01T00:00:01Z");
	EPOCH("@253402300799", "9999-12-31T23:59:59Z");
	EPOCH("@-62167219200", "0000-01-01T00:00:00Z");
	ok(tparse_epoch("@-1.25", 6, &t) == 0 && t.sec == -2 &&
	    t.nsec == 750000000, "@-1.25 is second -2 plus 0.75");
	ok(tparse_epoch("@-0.5", 5, &t) == 0 && t.sec == -1 &&
	    t.nsec == 500000000, "@-0.5");
	ok(tparse_epoch("@-0", 3, &t) == 0 && t.sec == 0 && t.nsec == 0,
	    "@-0");
	BADEPOCH("@253402300800");
	BADEPOCH("@-62167219201");
	BADEPOCH("@99999999999999999999999999");
	BADEPOCH("@");
	BADEPOCH("@-");
	BADEPOCH("@1.");
	BADEPOCH("@.5");
	BADEPOCH("@+1");
	BADEPOCH("@1e3");
	BADEPOCH("@ 1");
	BADEPOCH("@1 ");
	BADEPOCH("1700000000");
	BADEPOCH("");
}

/* RFC 3339 section 5.8, each example with its POSIX time. */
static void
test_rfc3339_examples(void)
{
	struct tstamp t;

	is_int(secs(tparse_rfc3339, "1985-04-12T23:20:50.52Z"), 482196050,
	    "5.8: 1985-04-12T23:20:50.52Z");
	R3339("1985-04-12T23:20:50.52Z", "1985-04-12T23:20:50.52Z");
	is_int(secs(tparse_rfc3339, "1996-12-19T16:39:57-08:00"), 851042397,
	    "5.8: 1996-12-19T16:39:57-08:00");
	R3339("1996-12-19T16:39:57-08:00", "1996-12-20T00:39:57Z");
	is_int(secs(tparse_rfc3339, "1990-12-31T23:59:60Z"), 662688000,
	    "5.8: 1990-12-31T23:59:60Z, the leap second");
	is_int(secs(tparse_rfc3339, "1990-12-31T15:59:60-08:00"), 662688000,
	    "5.8: 1990-12-31T15:59:60-08:00, the same leap second");
	R3339("1937-01-01T12:00:27.87+00:20", "1937-01-01T11:40:27.87Z");
	t.sec = 0;
	t.nsec = 0;
	tparse_rfc3339("1937-01-01T12:00:27.87+00:20", 28, &t);
	is_int(t.sec, -1041337173, "5.8: 1937-01-01T12:00:27.87+00:20 sec");
	is_int(t.nsec, 870000000, "5.8: 1937-01-01T12:00:27.87+00:20 nsec");
}

static void
test_time(void)
{
	is_str(rt(tparse_time, "@86400"), "1970-01-02T00:00:00Z",
	    "time: epoch");
	is_str(rt(tparse_time, "2020-01-01T00:00:00+01:00"),
	    "2019-12-31T23:00:00Z", "time: rfc3339");
	is_str(rt(tparse_time, "Wed, 01 Jan 2020 00:00:00 GMT"),
	    "2020-01-01T00:00:00Z", "time: http");
	is_str(rt(tparse_time, "Wednesday, 01-Jan-20 00:00:00 GMT"),
	    "2020-01-01T00:00:00Z", "time: rfc 850");
	is_str(rt(tparse_time, "yesterday"), "ERR", "time: junk");
	is_str(rt(tparse_time, ""), "ERR", "time: empty");
	is_str(rt(tparse_time, "1700000000"), "ERR", "time: bare number");
	/* A date alone is midnight UTC (for --now 2026-12-01). */
	is_str(rt(tparse_time, "2026-12-01"), "2026-12-01T00:00:00Z",
	    "time: a date alone");
	is_str(rt(tparse_time, "2024-02-29"), "2024-02-29T00:00:00Z",
	    "time: a leap day alone");
	is_str(rt(tparse_time, "2023-02-29"), "ERR", "time: no such date");
	is_str(rt(tparse_time, "2026-12-1"), "ERR", "time: short day");
	is_str(rt(tparse_time, "2026-12-01 "), "ERR", "time: trailing blank");
	is_str(rt(tparse_time, "2026-12-01T"), "ERR", "time: T and no time");
}

static void
test_duration(void)
{
	DUR("0", 0);
	DUR("900", 900);
	DUR("90s", 90);
	DUR("15m", 900);
	DUR("12h", 43200);
	DUR("7d", 604800);
	DUR("2w", 1209600);
	DUR("1h30m", 5400);
	DUR("1d12h", 129600);
	DUR("1w2d3h4m5s", 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
	DUR("1h 30m", 5400);
	DUR("0s", 0);
	DUR("90m", 5400);
	DUR("00:15:00", 900);
	DUR("1:00:00", 3600);
	DUR("100:00:01", 360001);
	DUR("15:00", 900);
	DUR("0:59", 59);
	DUR("59:59", 3599);
	DUR("9223372036854775807", INT64_MAX);
	DUR("9223372036854775807s", INT64_MAX);
	DUR("15250284452471w", 15250284452471LL * 604800);
	BADDUR("15250284452472w");
	BADDUR("9223372036854775808");
	BADDUR("1m9223372036854775807s");
	BADDUR("1w9223372036854775807s");
	BADDUR("");
	BADDUR("s");
	BADDUR("h1");
	BADDUR("1x");
	BADDUR("1H");
	BADDUR("1.5h");
	BADDUR("-1s");
	BADDUR("+1s");
	BADDUR("30m1h");
	BADDUR("1h1h");
	BADDUR("1h30");
	BADDUR(" 1h");
	BADDUR("1h ");
	BADDUR("1h30m ");
	BADDUR("00:60:00");
	BADDUR("00:00:60");
	BADDUR("60:00");
	BADDUR("1:2");
	BADDUR("1:02:3");
	BADDUR(":15");
	BADDUR("15:");
	BADDUR("1:00:00:00");
	BADDUR("1:00:00s");
}

static void
test_format_cmp(void)
{
	char buf[40];
	struct tstamp a = { 0, 0 }, b = { 0, 1 }, c = { 1, 0 },
	    d = { -1, 999999999 };

	is_int(tstamp_cmp(a, a), 0, "cmp equal");
	is_int(tstamp_cmp(a, b), -1, "cmp by nsec");
	is_int(tstamp_cmp(b, a), 1, "cmp by nsec, reversed");
	is_int(tstamp_cmp(b, c), -1, "cmp by sec first");
	is_int(tstamp_cmp(d, a), -1, "cmp before the epoch");
	is_str(tstamp_format(a, buf), "1970-01-01T00:00:00Z", "format epoch");
	is_str(tstamp_format(b, buf), "1970-01-01T00:00:00.000000001Z",
	    "format 1 ns");
	is_str(tstamp_format(d, buf), "1969-12-31T23:59:59.999999999Z",
	    "format before the epoch");
	ok(tstamp_format(a, buf) == buf, "returns buf");
	a.sec = 951782400;	/* 2000-02-29 */
	a.nsec = 120000000;
	is_str(tstamp_format(a, buf), "2000-02-29T00:00:00.12Z",
	    "format trims zeros");
	a.sec = 4107542400LL;	/* 2100-03-01: 2100 is not a leap year */
	a.nsec = 0;
	is_str(tstamp_format(a, buf), "2100-03-01T00:00:00Z", "format 2100");
	is_str(rt(tparse_rfc3339, "2100-02-28T23:59:59-00:00"),
	    "2100-02-28T23:59:59Z", "2100-02-28");
	BAD3339("2100-02-29T00:00:00Z");
}

/* Every day of 1600..2400 round-trips through parse and format. */
static void
test_every_day(void)
{
	static const int dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	char in[40], out[40];
	struct tstamp t, prev = { INT64_MIN, 0 };
	int y, m, d, n, bad = 0, days = 0;

	for (y = 1600; y <= 2400; y++)
		for (m = 1; m <= 12; m++) {
			n = dim[m - 1] + (m == 2 && ((y % 4 == 0 &&
			    y % 100 != 0) || y % 400 == 0));
			for (d = 1; d <= n; d++) {
				snprintf(in, sizeof(in),
				    "%04d-%02d-%02dT12:34:56Z", y, m, d);
				if (tparse_rfc3339(in, strlen(in), &t) == -1 ||
				    strcmp(tstamp_format(t, out), in) != 0 ||
				    (prev.sec != INT64_MIN &&
				    t.sec - prev.sec != 86400))
					bad++;
				prev = t;
				days++;
			}
		}
	is_int(bad, 0, "%d days 1600-2400 round-trip, one day apart", days);
	/* 801 years, 201 multiples of 4 less 1700 1800 1900 2100 2200 2300. */
	is_int(days, 801 * 365 + 195, "days counted with the Gregorian rule");
}

int
main(void)
{
	struct tstamp t;

	test_rfc3339();
	test_rfc3339_examples();
	test_http();
	test_epoch();
	test_time();
	test_duration();
	test_format_cmp();
	test_every_day();
	tparse_now(&t);
	ok(t.sec > 1500000000 && t.nsec >= 0 && t.nsec < 1000000000,
	    "now is a plausible time");
	return tap_done();
}

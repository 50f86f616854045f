/*
 * tparse.c: RFC 3339, HTTP dates and "@epoch" times, durations, and RFC 3339
 * output.  Calendar arithmetic is done by hand, so TZ and the C library's
 * timegm() never enter into it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/tparse.h"

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what RFC 3339 can write. */
#define TSTAMP_MIN	(-62167219200LL)
#define TSTAMP_MAX	(253402300799LL)

/* ==== calendar ==== */

static int
is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(long long y, int m)
{
	static const int dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/*
 * Days since 1970-01-01 of the proleptic Gregorian date y-m-d (Howard
 * Hinnant's days_from_civil: eras of 400 years, March-based years).
 */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse: y-m-d of z days since 1970-01-01. */
static void
civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* ==== small scanners ==== */

/* n digits at s[*i]; value in *v.  0, or -1 when they aren't there. */
static int
digits(const char *s, size_t len, size_t *i, int n, int *v)
{
	int k, x = 0;

	if (*i + (size_t)n > len)
		return -1;
	for (k = 0; k < n; k++) {
		char c = s[*i + (size_t)k];

		if (c < '0' || c > '9')
			return -1;
		x = x * 10 + (c - '0');
	}
	*i += (size_t)n;
	*v = x;
	return 0;
}

static int
lit(const char *s, size_t len, size_t *i, const char *word)
{
	size_t n = strlen(word);

	if (*i + n > len || memcmp(s + *i, word, n) != 0)
		return -1;
	*i += n;
	return 0;
}

/*
 * Check the fields and set *t.  off is the UTC offset in seconds (local =
 * UTC + off).  A leap second (sec 60) is accepted only where one can be,
 * in the last minute of a UTC day, and is read as the first instant of the
 * next second, 00:00:00 of the next day, fraction dropped: what timegm()
 * gives (RFC 3339 5.8: 1990-12-31T23:59:60Z is 662688000), and it still
 * sorts after every fraction of 23:59:59, which 23:59:59 itself did not.
 */
static int
make_time(long long y, int mo, int d, int h, int mi, int sec, long nsec,
    long off, struct tstamp *t)
{
	long long secs;
	int leap = 0;

	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	if (sec == 60) {
		leap = 1;
		nsec = 0;
	}
	secs = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL +
	    sec - off;
	if (leap && ((secs % 86400) + 86400) % 86400 != 0)
		return -1;
	if (secs < TSTAMP_MIN || secs > TSTAMP_MAX)
		return -1;
	t->sec = secs;
	t->nsec = (int32_t)nsec;
	return 0;
}

/* ==== RFC 3339 ==== */

int
tparse_rfc3339(const char *s, size_t len, struct tstamp *t)
{
	size_t i = 0;
	int y, mo, d, h, mi, sec, oh, om, n;
	long nsec = 0, off = 0;
	char c;

	if (digits(s, len, &i, 4, &y) || lit(s, len, &i, "-") ||
	    digits(s, len, &i, 2, &mo) || lit(s, len, &i, "-") ||
	    digits(s, len, &i, 2, &d))
		return -1;
	if (i >= len || (s[i] != 'T' && s[i] != 't' && s[i] != ' '))
		return -1;
	i++;
	if (digits(s, len, &i, 2, &h) || lit(s, len, &i, ":") ||
	    digits(s, len, &i, 2, &mi) || lit(s, len, &i, ":") ||
	    digits(s, len, &i, 2, &sec))
		return -1;
	if (i < len && s[i] == '.') {
		/* Nanoseconds: digits past the ninth are dropped. */
		i++;
		for (n = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++)
			if (n < 9)
				nsec = nsec * 10 + (s[i] - '0');
		if (n == 0)
			return -1;
		for (; n < 9; n++)
			nsec *= 10;
	}
	if (i >= len)
		return -1;
	c = s[i++];
	if (c == 'Z' || c == 'z') {
		off = 0;
	} else if (c == '+' || c == '-') {
		if (digits(s, len, &i, 2, &oh) || lit(s, len, &i, ":") ||
		    digits(s, len, &i, 2, &om) || oh > 23 || om > 59)
			return -1;
		off = (oh * 60L + om) * 60L;
		if (c == '-')
			off = -off;
	} else {
		return -1;
	}
	if (i != len)
		return -1;
	return make_time(y, mo, d, h, mi, sec, nsec, off, t);
}

/* ==== HTTP dates (RFC 7231 section 7.1.1.1) ==== */

static const char *const month_names[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const day_short[7] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};
static const char *const day_long[7] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};

static int
month_name(const char *s, size_t len, size_t *i, int *mo)
{
	int k;

	for (k = 0; k < 12; k++)
		if (lit(s, len, i, month_names[k]) == 0) {
			*mo = k + 1;
			return 0;
		}
	return -1;
}

static int
day_name(const char *s, size_t len, size_t *i, const char *const *names)
{
	int k;

	for (k = 0; k < 7; k++)
		if (lit(s, len, i, names[k]) == 0)
			return 0;
	return -1;
}

static int
hms(const char *s, size_t len, size_t *i, int *h, int *mi, int *sec)
{
	if (digits(s, len, i, 2, h) || lit(s, len, i, ":") ||
	    digits(s, len, i, 2, mi) || lit(s, len, i, ":") ||
	    digits(s, len, i, 2, sec))
		return -1;
	return 0;
}

int
tparse_http_date(const char *s, size_t len, struct tstamp *t)
{
	size_t i = 0;
	int y, mo, d, h, mi, sec;

	/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
	if (day_name(s, len, &i, day_short) == 0 &&
	    lit(s, len, &i, ", ") == 0) {
		if (digits(s, len, &i, 2, &d) || lit(s, len, &i, " ") ||
		    month_name(s, len, &i, &mo) || lit(s, len, &i, " ") ||
		    digits(s, len, &i, 4, &y) || lit(s, len, &i, " ") ||
		    hms(s, len, &i, &h, &mi, &sec) ||
		    lit(s, len, &i, " GMT") || i != len)
			return -1;
		return make_time(y, mo, d, h, mi, sec, 0, 0, t);
	}
	/* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" */
	i = 0;
	if (day_name(s, len, &i, day_long) == 0 && lit(s, len, &i, ", ") == 0) {
		if (digits(s, len, &i, 2, &d) || lit(s, len, &i, "-") ||
		    month_name(s, len, &i, &mo) || lit(s, len, &i, "-") ||
		    digits(s, len, &i, 2, &y) || lit(s, len, &i, " ") ||
		    hms(s, len, &i, &h, &mi, &sec) ||
		    lit(s, len, &i, " GMT") || i != len)
			return -1;
		/* The POSIX %y pivot, so the answer never depends on today. */
		y += y < 70 ? 2000 : 1900;
		return make_time(y, mo, d, h, mi, sec, 0, 0, t);
	}
	/* asctime: "Sun Nov  6 08:49:37 1994" */
	i = 0;
	if (day_name(s, len, &i, day_short) == 0 && lit(s, len, &i, " ") == 0) {
		if (month_name(s, len, &i, &mo) || lit(s, len, &i, " "))
			return -1;
		if (i < len && s[i] == ' ') {
			i++;
			if (digits(s, len, &i, 1, &d))
				return -1;
		} else if (digits(s, len, &i, 2, &d)) {
			return -1;
		}
		if (lit(s, len, &i, " ") || hms(s, len, &i, &h, &mi, &sec) ||
		    lit(s, len, &i, " ") || digits(s, len, &i, 4, &y) ||
		    i != len)
			return -1;
		return make_time(y, mo, d, h, mi, sec, 0, 0, t);
	}
	return -1;
}

/* ==== @epoch ==== */

int
tparse_epoch(const char *s, size_t len, struct tstamp *t)
{
	size_t i = 1;
	int neg = 0, n;
	long long v = 0;
	long nsec = 0;

	if (len < 2 || s[0] != '@')
		return -1;
	if (s[i] == '-') {
		neg = 1;
		i++;
	}
	if (i >= len || s[i] < '0' || s[i] > '9')
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		/* Beyond year 9999 anyway: stop before long long could. */
		if (v > TSTAMP_MAX)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (i < len && s[i] == '.') {
		i++;
		for (n = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++)
			if (n < 9)
				nsec = nsec * 10 + (s[i] - '0');
		if (n == 0)
			return -1;
		for (; n < 9; n++)
			nsec *= 10;
	}
	if (i != len)
		return -1;
	if (neg) {
		/* -1.25 is 1.25 s before the epoch: second -2, plus 0.75. */
		v = -v;
		if (nsec > 0) {
			v--;
			nsec = 1000000000L - nsec;
		}
	}
	if (v < TSTAMP_MIN || v > TSTAMP_MAX)
		return -1;
	t->sec = v;
	t->nsec = (int32_t)nsec;
	return 0;
}

/* "YYYY-MM-DD" alone: midnight UTC of that day. */
static int
date_only(const char *s, size_t len, struct tstamp *t)
{
	size_t i = 0;
	int y, mo, d;

	if (digits(s, len, &i, 4, &y) || lit(s, len, &i, "-") ||
	    digits(s, len, &i, 2, &mo) || lit(s, len, &i, "-") ||
	    digits(s, len, &i, 2, &d) || i != len)
		return -1;
	return make_time(y, mo, d, 0, 0, 0, 0, 0, t);
}

int
tparse_time(const char *s, size_t len, struct tstamp *t)
{
	if (len > 0 && s[0] == '@')
		return tparse_epoch(s, len, t);
	if (len == 10)
		return date_only(s, len, t);
	if (len > 0 && s[0] >= '0' && s[0] <= '9')
		return tparse_rfc3339(s, len, t);
	return tparse_http_date(s, len, t);
}

void
tparse_now(struct tstamp *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	t->sec = (int64_t)ts.tv_sec;
	t->nsec = (int32_t)ts.tv_nsec;
}

/* ==== durations ==== */

/* v * mult + add without passing INT64_MAX.  0, or -1. */
static int
accumulate(int64_t *acc, int64_t v, int64_t mult)
{
	if (v > INT64_MAX / mult || *acc > INT64_MAX - v * mult)
		return -1;
	*acc += v * mult;
	return 0;
}

/* A run of digits as int64; -1 on none or overflow. */
static int
number(const char *s, size_t len, size_t *i, int64_t *v)
{
	size_t start = *i;
	int64_t x = 0;

	for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		if (x > (INT64_MAX - (s[*i] - '0')) / 10)
			return -1;
		x = x * 10 + (s[*i] - '0');
	}
	if (*i == start)
		return -1;
	*v = x;
	return 0;
}

/* "H:MM:SS" or "MM:SS". */
static int
clock_duration(const char *s, size_t len, int64_t *secs)
{
	size_t i = 0;
	int64_t a, acc = 0;
	int b, c;

	if (number(s, len, &i, &a) || lit(s, len, &i, ":") ||
	    digits(s, len, &i, 2, &b) || b > 59)
		return -1;
	if (i == len) {
		/* MM:SS */
		if (a > 59 || i - 3 > 2)
			return -1;
		*secs = a * 60 + b;
		return 0;
	}
	if (lit(s, len, &i, ":") || digits(s, len, &i, 2, &c) || c > 59 ||
	    i != len)
		return -1;
	if (accumulate(&acc, a, 3600) || accumulate(&acc, b * 60 + c, 1))
		return -1;
	*secs = acc;
	return 0;
}

int
tparse_duration(const char *s, size_t len, int64_t *secs)
{
	static const char units[] = "wdhms";
	static const int64_t mult[] = { 604800, 86400, 3600, 60, 1 };
	size_t i = 0, u, next_unit = 0;
	int64_t v, acc = 0;
	const char *p;

	if (len == 0)
		return -1;
	if (memchr(s, ':', len) != NULL)
		return clock_duration(s, len, secs);
	if (number(s, len, &i, &v) == -1)
		return -1;
	if (i == len) {
		*secs = v;
		return 0;
	}
	/* Components largest first, each unit once: "1w2d3h4m5s". */
	i = 0;
	while (i < len) {
		if (number(s, len, &i, &v) == -1 || i >= len)
			return -1;
		p = memchr(units, s[i], sizeof(units) - 1);
		if (p == NULL || s[i] == '\0')
			return -1;
		u = (size_t)(p - units);
		if (u < next_unit)
			return -1;
		next_unit = u + 1;
		if (accumulate(&acc, v, mult[u]) == -1)
			return -1;
		i++;
		/* "1h 30m": blanks between components, not at the end. */
		while (i < len && s[i] == ' ' && i + 1 < len)
			i++;
	}
	*secs = acc;
	return 0;
}

/* ==== comparing and formatting ==== */

int
tstamp_cmp(struct tstamp a, struct tstamp b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	if (a.nsec != b.nsec)
		return a.nsec < b.nsec ? -1 : 1;
	return 0;
}

char *
tstamp_format(struct tstamp t, char *buf)
{
	long long days, rem, y;
	int m, d, n, k;
	char frac[11];
	long ns;

	days = t.sec / 86400;
	rem = t.sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	frac[0] = '\0';
	if (t.nsec > 0 && t.nsec < 1000000000) {
		ns = t.nsec;
		/* Nine digits, then drop the trailing zeros. */
		frac[0] = '.';
		for (k = 9; k >= 1; k--) {
			frac[k] = (char)('0' + ns % 10);
			ns /= 10;
		}
		for (n = 9; frac[n] == '0'; n--)
			;
		frac[n + 1] = '\0';
	}
	snprintf(buf, 40, "%04lld-%02d-%02dT%02d:%02d:%02d%sZ", y, m, d,
	    (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), frac);
	return buf;
}

/*
 * tparse.h: times and durations, UTC only.
 *
 * Times: RFC 3339 ("2017-10-09T16:04:19Z", "...+03:00", fractions to the
 * nanosecond, "t"/"z" and a space separator accepted), RFC 7231 HTTP dates
 * ("Sun, 06 Nov 1994 08:49:37 GMT"), and "@EPOCH" ("@1700000000", "@1.5").
 * Durations: "90s 15m 12h 7d 2w", combined ("1h30m"), a bare number of
 * seconds, "00:15:00" (H:MM:SS).
 *
 * Details (all strict: no leading or trailing blanks, no junk):
 * - RFC 3339 needs seconds and an offset ("Z", "z", "+HH:MM", "-HH:MM");
 *   fraction digits past the ninth are dropped, not rounded.  Dates are
 *   checked (month 1-12, day in month, leap years, hour < 24, minute < 60).
 *   A leap second ("23:59:60", valid only where it falls in the last
 *   minute of a UTC day) is read as the first instant of the next second,
 *   00:00:00 of the next day with any fraction dropped, as POSIX timegm()
 *   does ("1990-12-31T23:59:60Z" is 662688000): it sorts after 23:59:59.9.
 * - HTTP dates: IMF-fixdate, and the obsolete RFC 850 ("Sunday,
 *   06-Nov-94 08:49:37 GMT"; years 00-69 are 20xx, 70-99 19xx) and asctime
 *   ("Sun Nov  6 08:49:37 1994") forms; names are case-sensitive as the RFC
 *   says; the day name is not checked against the date.
 * - "@N" and "@N.frac", N may be negative ("@-1.25" is 1.25 s before the
 *   epoch).
 * - Every time must lie in 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z
 *   (what RFC 3339 can write).
 * - Durations: components in units w d h m s, largest first and each at
 *   most once ("1d12h", "1h 30m" with blanks between); a bare number is
 *   seconds; "H:MM:SS" or "MM:SS" (MM, SS < 60).  No signs or fractions;
 *   a total beyond INT64_MAX seconds is rejected.
 */
#ifndef DUMPKIT_TPARSE_H
#define DUMPKIT_TPARSE_H

#include <stddef.h>
#include <stdint.h>

struct tstamp {
	int64_t	sec;	/* seconds since 1970-01-01T00:00:00Z */
	int32_t	nsec;	/* 0..999999999 */
};

/* Each returns 0 and fills *t, or -1 when s[0..len) is not such a time. */
int	tparse_rfc3339(const char *s, size_t len, struct tstamp *t);
int	tparse_http_date(const char *s, size_t len, struct tstamp *t);
int	tparse_epoch(const char *s, size_t len, struct tstamp *t);
/* Any of the three forms, or a date alone ("2026-12-01": midnight UTC). */
int	tparse_time(const char *s, size_t len, struct tstamp *t);
/* The current time (CLOCK_REALTIME). */
void	tparse_now(struct tstamp *t);

/* Duration in whole seconds; 0 and *secs set, or -1. */
int	tparse_duration(const char *s, size_t len, int64_t *secs);

/* -1, 0, 1 as a is before, equal to, after b. */
int	tstamp_cmp(struct tstamp a, struct tstamp b);
/*
 * Format as RFC 3339 UTC ("2017-10-09T16:04:19Z", fraction digits only when
 * nsec != 0, trailing zeros dropped).  buf needs 40 bytes.  Returns buf.
 */
char	*tstamp_format(struct tstamp t, char *buf);

#endif

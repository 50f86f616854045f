/*
 * tparse.h: times and durations, UTC only.
 *
 * Times: RFC 3339 ("2017-10-09T16:04:19Z", "...+03:00", fractions to the
 * nanosecond, "t"/"z" and a space separator accepted), RFC 7231 HTTP dates
 * ("Sun, 06 Nov 1994 08:49:37 GMT"), and "@EPOCH" ("@1700000000", "@1.5").
 * Durations: "90s 15m 12h 7d 2w", combined ("1h30m"), a bare number of
 * seconds, "00:15:00" (H:MM:SS).
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
/* Any of the three forms. */
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

/* tparse.c: RFC 3339 / HTTP dates / epoch times and durations (stub). */
#include "common/tparse.h"

int
tparse_rfc3339(const char *s, size_t len, struct tstamp *t)
{
	(void)s;
	(void)len;
	(void)t;
	return -1;
}

int
tparse_http_date(const char *s, size_t len, struct tstamp *t)
{
	(void)s;
	(void)len;
	(void)t;
	return -1;
}

int
tparse_epoch(const char *s, size_t len, struct tstamp *t)
{
	(void)s;
	(void)len;
	(void)t;
	return -1;
}

int
tparse_time(const char *s, size_t len, struct tstamp *t)
{
	(void)s;
	(void)len;
	(void)t;
	return -1;
}

void
tparse_now(struct tstamp *t)
{
	t->sec = 0;
	t->nsec = 0;
}

int
tparse_duration(const char *s, size_t len, int64_t *secs)
{
	(void)s;
	(void)len;
	(void)secs;
	return -1;
}

int
tstamp_cmp(struct tstamp a, struct tstamp b)
{
	(void)a;
	(void)b;
	return 0;
}

char *
tstamp_format(struct tstamp t, char *buf)
{
	(void)t;
	buf[0] = '\0';
	return buf;
}

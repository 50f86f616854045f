/* stats.c: the --stats counters (stub). */
#include "common/stats.h"

void
stats_reject(struct stats *st, const char *code)
{
	(void)code;
	st->rejected++;
}

void
stats_print(const struct stats *st, FILE *fp, const char *extra)
{
	(void)st;
	(void)fp;
	(void)extra;
}

void
stats_release(struct stats *st)
{
	(void)st;
}

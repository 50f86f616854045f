/*
 * stats.h: the --stats counters.  read = written + filtered + rejected must
 * hold at the end; stats_print() checks it and says so if it does not.
 */
#ifndef DUMPKIT_STATS_H
#define DUMPKIT_STATS_H

#include <stdio.h>

struct stats_reason {
	char			*code;
	unsigned long long	 count;
};

struct stats {
	unsigned long long	 read;
	unsigned long long	 written;
	unsigned long long	 filtered;
	unsigned long long	 rejected;
	struct stats_reason	*reasons;	/* in first-seen order */
	size_t			 nreasons;
	size_t			 alloc;
};

#define STATS_INIT { 0, 0, 0, 0, NULL, 0, 0 }

/* Count one rejected record under reason code ("missing_title"). */
void	stats_reject(struct stats *st, const char *code);
/*
 * One line of JSON:
 * {"read":N,"written":N,"filtered":N,"rejected":N,"reasons":{"code":N}}
 * extra, when not NULL, is inserted as is after "rejected" and before
 * "reasons" (e.g. "\"links\":10,\"orphans\":2", no leading or trailing
 * comma), for a tool's own counters:
 * {"read":N,...,"rejected":N,"links":10,"orphans":2,"reasons":{}}
 * Reasons are in first-seen order.  When read != written + filtered +
 * rejected, a warning line follows on stderr (that is a bug in the tool).
 */
void	stats_print(const struct stats *st, FILE *fp, const char *extra);
void	stats_release(struct stats *st);

#endif

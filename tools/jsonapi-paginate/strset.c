/*
 * strset.c: an insertion-ordered string set and a 64-bit hash set, the
 * bookkeeping behind page ordering and the duplicate-resource check.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/strmap.h"
#include "jp.h"

uint64_t
jp_hash(const void *p, size_t n)
{
	return strmap_hash(p, n);
}

long
strset_find(const struct strset *set, const char *s, size_t n)
{
	const struct strmap_slot *slot = strmap_get(&set->index, s, n);

	return slot != NULL ? (long)slot->val : -1;
}

size_t
strset_add(struct strset *set, const char *s, size_t n, int *isnew)
{
	struct strmap_slot *slot;
	size_t old;
	int found;

	slot = strmap_put(&set->index, s, n, set->n, &found);
	if (isnew)
		*isnew = !found;
	if (found)
		return slot->val;
	/* The array view: columns for the CSV writer, values by index. */
	old = set->alloc;
	set->s = xgrow(set->s, &set->alloc, set->n + 1, sizeof(*set->s));
	if (set->alloc != old) {
		set->len = xrealloc(set->len, set->alloc * sizeof(*set->len));
		set->val = xrealloc(set->val, set->alloc * sizeof(*set->val));
	}
	set->s[set->n] = (char *)slot->key;	/* in the map's arena */
	set->len[set->n] = n;
	set->val[set->n] = NULL;
	return set->n++;
}

void
strset_release(struct strset *set)
{
	free(set->s);
	free(set->len);
	free(set->val);
	strmap_release(&set->index);
	memset(set, 0, sizeof(*set));
}

/* Room for need hashes, at most 3/4 full: 10M keys fit in 128 MiB. */
void
hashset_reserve(struct hashset *hs, size_t need)
{
	uint64_t *old = hs->h;
	size_t i, j, oldn = hs->h == NULL ? 0 : hs->mask + 1, n;

	if (hs->h != NULL && need * 4 <= (hs->mask + 1) * 3)
		return;
	for (n = oldn == 0 ? 1024 : oldn * 2; need * 4 > n * 3; n *= 2)
		;
	hs->mask = n - 1;
	hs->h = xcalloc(n, sizeof(*hs->h));
	for (j = 0; j < oldn; j++) {
		if (old[j] == 0)
			continue;
		for (i = old[j] & hs->mask; hs->h[i] != 0;
		    i = (i + 1) & hs->mask)
			;
		hs->h[i] = old[j];
	}
	free(old);
}

void
hashset_prefetch(const struct hashset *hs, uint64_t h)
{
	__builtin_prefetch(&hs->h[(h == 0 ? 1 : h) & hs->mask]);
}

int
hashset_add(struct hashset *hs, uint64_t h)
{
	size_t i;

	if (h == 0)
		h = 1;		/* 0 marks an empty slot */
	if (hs->h == NULL || (hs->n + 1) * 4 > (hs->mask + 1) * 3)
		hashset_reserve(hs, hs->n + 1);
	for (i = h & hs->mask; hs->h[i] != 0; i = (i + 1) & hs->mask)
		if (hs->h[i] == h)
			return 0;
	hs->h[i] = h;
	hs->n++;
	return 1;
}

void
hashset_release(struct hashset *hs)
{
	free(hs->h);
	memset(hs, 0, sizeof(*hs));
}

/*
 * strset.c: an insertion-ordered string set and a 64-bit hash set, the
 * bookkeeping behind page ordering and the duplicate-resource check.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "jp.h"

uint64_t
jp_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a, then a final mix */

	while (n-- > 0) {
		h ^= *s++;
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

long
strset_find(const struct strset *set, const char *s, size_t n)
{
	size_t i, k;

	if (set->slot == NULL)
		return -1;
	for (i = jp_hash(s, n) & set->mask; (k = set->slot[i]) != 0;
	    i = (i + 1) & set->mask) {
		k--;
		if (set->len[k] == n && memcmp(set->s[k], s, n) == 0)
			return (long)k;
	}
	return -1;
}

static void
rehash(struct strset *set, size_t nslots)
{
	size_t i, k;

	free(set->slot);
	set->slot = xcalloc(nslots, sizeof(*set->slot));
	set->mask = nslots - 1;
	for (k = 0; k < set->n; k++) {
		for (i = jp_hash(set->s[k], set->len[k]) & set->mask;
		    set->slot[i] != 0; i = (i + 1) & set->mask)
			;
		set->slot[i] = k + 1;
	}
}

size_t
strset_add(struct strset *set, const char *s, size_t n, int *isnew)
{
	long k = strset_find(set, s, n);
	size_t old, i;

	if (k >= 0) {
		if (isnew)
			*isnew = 0;
		return (size_t)k;
	}
	if (set->slot == NULL || (set->n + 1) * 2 > set->mask + 1)
		rehash(set, set->slot == NULL ? 16 : (set->mask + 1) * 2);
	old = set->alloc;
	set->s = xgrow(set->s, &set->alloc, set->n + 1, sizeof(*set->s));
	if (set->alloc != old) {
		set->len = xrealloc(set->len, set->alloc * sizeof(*set->len));
		set->val = xrealloc(set->val, set->alloc * sizeof(*set->val));
	}
	set->s[set->n] = xmalloc(n + 1);
	memcpy(set->s[set->n], s, n);
	set->s[set->n][n] = '\0';
	set->len[set->n] = n;
	set->val[set->n] = NULL;
	for (i = jp_hash(s, n) & set->mask; set->slot[i] != 0;
	    i = (i + 1) & set->mask)
		;
	set->slot[i] = ++set->n;
	if (isnew)
		*isnew = 1;
	return set->n - 1;
}

void
strset_release(struct strset *set)
{
	size_t k;

	for (k = 0; k < set->n; k++)
		free(set->s[k]);
	free(set->s);
	free(set->len);
	free(set->val);
	free(set->slot);
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

/*
 * keys.c: spectator-expire's key table (ids to keys, later duplicates win)
 * and exact time differences (masking: common/secrets.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "common/strmap.h"
#include "common/utf8.h"
#include "common/errors.h"
#include "tools/spectator-expire/spectator.h"

const char *const key_status_name[KEY_NSTATUS] = {
	"expired", "expiring", "valid", "no-expiry", "invalid"
};

int
key_status_parse(const char *s)
{
	int i;

	for (i = 0; i < KEY_NSTATUS; i++)
		if (strcmp(s, key_status_name[i]) == 0)
			return i;
	return -1;
}

/* ==== key table ==== */

#define INDEX_MIN	1024

static inline uint32_t
id_hash(const char *id, size_t len)
{
	return (uint32_t)(strmap_hash(id, len) >> 32);
}

/* The index word of the live key with this id, or of the empty slot. */
static size_t
index_slot(const struct keytab *t, const char *id, size_t len, uint32_t h)
{
	size_t i = h & (t->cap - 1);
	const struct key *k;
	uint64_t w;

	while ((w = t->index[i]) != 0) {
		if ((uint32_t)(w >> 32) == h) {
			k = &t->keys[(uint32_t)w - 1];
			if (k->id_len == len && memcmp(k->id, id, len) == 0)
				return i;
		}
		i = (i + 1) & (t->cap - 1);
	}
	return i;
}

/* Twice the slots (at most 3/4 full), every word moved by its hash. */
static void
index_grow(struct keytab *t)
{
	uint64_t *old = t->index, w;
	size_t ocap = t->cap, i, j;

	t->cap = ocap ? ocap * 2 : INDEX_MIN;
	if (t->cap > SIZE_MAX / sizeof(*t->index))
		die("out of memory");
	t->index = xcalloc(t->cap, sizeof(*t->index));
	for (i = 0; i < ocap; i++) {
		if ((w = old[i]) == 0)
			continue;
		j = (uint32_t)(w >> 32) & (t->cap - 1);
		while (t->index[j] != 0)
			j = (j + 1) & (t->cap - 1);
		t->index[j] = w;
	}
	free(old);
}

struct key *
keytab_add(struct keytab *t, const char *id, size_t id_len, struct key **prev)
{
	return keytab_add_hashed(t, id, id_len, keytab_hash(id, id_len), prev);
}

struct key *
keytab_add_hashed(struct keytab *t, const char *id, size_t id_len,
    uint32_t h, struct key **prev)
{
	struct key *k;
	char *copy;
	size_t slot;

	if (id_len > UINT32_MAX || t->nkeys >= UINT32_MAX - 1)
		die("too many keys, or a key id too long");
	if ((t->nkeys + 1) * 4 > t->cap * 3)
		index_grow(t);
	t->keys = xgrow(t->keys, &t->alloc, t->nkeys + 1, sizeof(*t->keys));
	slot = index_slot(t, id, id_len, h);
	*prev = NULL;
	k = &t->keys[t->nkeys];
	memset(k, 0, sizeof(*k));
	if (t->index[slot] != 0) {
		/* A later duplicate wins: the old key is kept, but dead. */
		*prev = &t->keys[(uint32_t)t->index[slot] - 1];
		(*prev)->dead = 1;
		k->id = (*prev)->id;
	} else {
		/* Ids packed end to end: the arena would align each. */
		if (t->idleft < id_len + 1) {
			t->idleft = id_len + 1 > 65536 ? id_len + 1 : 65536;
			t->idp = arena_alloc(&t->arena, t->idleft);
		}
		copy = t->idp;
		t->idp += id_len + 1;
		t->idleft -= id_len + 1;
		memcpy(copy, id, id_len);
		copy[id_len] = '\0';
		k->id = copy;
	}
	k->id_len = (uint32_t)id_len;
	t->index[slot] = (uint64_t)h << 32 | (uint64_t)(t->nkeys + 1);
	t->nkeys++;
	return k;
}

uint32_t
keytab_hash(const char *id, size_t id_len)
{
	return id_hash(id, id_len);
}

void
keytab_prefetch(const struct keytab *t, uint32_t h)
{
	if (t->cap != 0)
		__builtin_prefetch(&t->index[h & (t->cap - 1)]);
}

struct key *
keytab_find(const struct keytab *t, const char *id, size_t id_len)
{
	uint64_t w;

	if (t->cap == 0)
		return NULL;
	w = t->index[index_slot(t, id, id_len, id_hash(id, id_len))];
	return w != 0 ? &t->keys[(uint32_t)w - 1] : NULL;
}

void
keytab_release(struct keytab *t)
{
	free(t->keys);
	free(t->index);
	free(t->reported);
	arena_release(&t->arena);
	memset(t, 0, sizeof(*t));
}

/* ==== time arithmetic ==== */

struct tstamp
tstamp_plus(struct tstamp t, int64_t secs)
{
	if (secs > 0 && t.sec > INT64_MAX - secs) {
		t.sec = INT64_MAX;
		t.nsec = 999999999;
	} else
		t.sec += secs;
	return t;
}

char *
tstamp_diff_text(struct tstamp a, struct tstamp b, char *buf)
{
	int64_t sec = a.sec - b.sec;
	int32_t nsec = a.nsec - b.nsec;
	uint64_t usec;
	char *p = buf;
	int digits;

	if (nsec < 0) {
		nsec += 1000000000;
		sec--;
	}
	/* sec + nsec/1e9 with 0 <= nsec < 1e9; print its magnitude. */
	if (sec < 0) {
		*p++ = '-';
		if (nsec > 0) {
			usec = (uint64_t)(-(sec + 1));
			nsec = 1000000000 - nsec;
		} else
			usec = (uint64_t)0 - (uint64_t)sec;
	} else
		usec = (uint64_t)sec;
	/* By hand, not snprintf(): once per key printed. */
	p = decimal_u64(p, usec);
	if (nsec > 0) {
		digits = 9;
		while (nsec % 10 == 0) {
			nsec /= 10;
			digits--;
		}
		*p++ = '.';
		p += digits;
		for (char *q = p; digits-- > 0; nsec /= 10)
			*--q = (char)('0' + nsec % 10);
	}
	*p = '\0';
	return buf;
}

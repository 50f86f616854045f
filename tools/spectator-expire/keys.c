/*
 * keys.c: spectator-expire's key table (ids to keys, later duplicates win),
 * the masking of access keys, and exact time differences.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * FNV-1a, then murmur3's finalizer: ids are short, so a byte loop is as
 * fast as anything, but FNV's low bits alone cluster for ids that count
 * up ("1", "2", ...), and linear probing pays for every cluster.
 */
static uint32_t
hash_id(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static size_t
find_slot(const struct keytab *t, const char *id, size_t len, uint32_t h)
{
	size_t mask = t->nslots - 1, i = h & mask;
	const struct keyslot *sl;

	for (sl = &t->slots[i]; sl->idx != 0; sl = &t->slots[i]) {
		const struct key *key = &t->keys[sl->idx - 1];

		if (sl->hash == h && key->id_len == len &&
		    memcmp(key->id, id, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static void
grow_slots(struct keytab *t)
{
	struct keyslot *old = t->slots;
	size_t on = t->nslots, i, j, mask;

	t->nslots = on ? on * 2 : 1024;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	mask = t->nslots - 1;
	for (i = 0; i < on; i++) {
		if (old[i].idx == 0)
			continue;
		j = old[i].hash & mask;
		while (t->slots[j].idx != 0)
			j = (j + 1) & mask;
		t->slots[j] = old[i];
	}
	free(old);
}

struct key *
keytab_add(struct keytab *t, const char *id, size_t id_len, struct key **prev)
{
	struct key *k;
	uint32_t h = hash_id(id, id_len);
	size_t i;

	if (id_len > UINT32_MAX || t->nkeys >= UINT32_MAX - 1)
		die("too many keys or key id too long");
	/* Keep the load under one half so probes stay short. */
	if ((t->nlive + 1) * 2 > t->nslots)
		grow_slots(t);
	*prev = NULL;
	t->keys = xgrow(t->keys, &t->alloc, t->nkeys + 1, sizeof(*t->keys));
	k = &t->keys[t->nkeys];
	memset(k, 0, sizeof(*k));
	i = find_slot(t, id, id_len, h);
	if (t->slots[i].idx != 0) {
		*prev = &t->keys[t->slots[i].idx - 1];
		(*prev)->dead = 1;
		k->id = (*prev)->id;	/* same bytes: share them */
	} else {
		k->id = arena_strndup(&t->arena, id, id_len);
		t->slots[i].hash = h;
		t->nlive++;
	}
	k->id_len = (uint32_t)id_len;
	t->slots[i].idx = (uint32_t)(t->nkeys + 1);
	t->nkeys++;
	return k;
}

struct key *
keytab_find(const struct keytab *t, const char *id, size_t id_len)
{
	size_t i;

	if (t->nslots == 0)
		return NULL;
	i = find_slot(t, id, id_len, hash_id(id, id_len));
	return t->slots[i].idx ? &t->keys[t->slots[i].idx - 1] : NULL;
}

void
keytab_release(struct keytab *t)
{
	free(t->keys);
	free(t->slots);
	arena_release(&t->arena);
	memset(t, 0, sizeof(*t));
}

/* ==== masking ==== */

#define ELLIPSIS "\xe2\x80\xa6"	/* U+2026 */
#define MASK_KEEP 3

/* Byte offset of code point number cp in s[0..len) (len when past it). */
static size_t
cp_offset(const char *s, size_t len, size_t cp)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && cp-- == 0)
			return i;
	return len;
}

static size_t
cp_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

void
mask_key(struct strbuf *out, const char *s, size_t len)
{
	size_t n = cp_count(s, len), head, tail;

	if (n == 0)
		return;
	/* Keep the ends only when at least as much is hidden as shown. */
	if (n < 3 * MASK_KEEP) {
		strbuf_addstr(out, ELLIPSIS);
		return;
	}
	head = cp_offset(s, len, MASK_KEEP);
	tail = cp_offset(s, len, n - MASK_KEEP);
	strbuf_add(out, s, head);
	strbuf_addstr(out, ELLIPSIS);
	strbuf_add(out, s + tail, len - tail);
}

/* Length of a _cpKey= parameter name at url[i], or 0 (case ignored). */
static size_t
cpkey_at(const char *url, size_t len, size_t i)
{
	static const char name[] = "_cpkey=";
	size_t n = sizeof(name) - 1, j;

	if (i == 0 || (url[i - 1] != '?' && url[i - 1] != '&' &&
	    url[i - 1] != ';' && url[i - 1] != '#'))
		return 0;
	if (len - i < n)
		return 0;
	for (j = 0; j < n; j++) {
		int c = (unsigned char)url[i + j];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != name[j])
			return 0;
	}
	return n;
}

void
mask_url(struct strbuf *out, const char *url, size_t len,
    const char *access_key, size_t key_len)
{
	size_t i = 0, start = 0, n, end;

	if (key_len < 4)
		access_key = NULL;
	while (i < len) {
		if ((n = cpkey_at(url, len, i)) != 0) {
			i += n;
			end = i;
			while (end < len && strchr("&#;", url[end]) == NULL)
				end++;
			strbuf_add(out, url + start, i - start);
			mask_key(out, url + i, end - i);
			i = start = end;
		} else if (access_key != NULL && len - i >= key_len &&
		    memcmp(url + i, access_key, key_len) == 0) {
			strbuf_add(out, url + start, i - start);
			mask_key(out, access_key, key_len);
			i = start = i + key_len;
		} else
			i++;
	}
	strbuf_add(out, url + start, len - start);
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
	const char *sign = "";
	uint64_t usec;
	int n, digits;

	if (nsec < 0) {
		nsec += 1000000000;
		sec--;
	}
	/* sec + nsec/1e9 with 0 <= nsec < 1e9; print its magnitude. */
	if (sec < 0) {
		sign = "-";
		if (nsec > 0) {
			usec = (uint64_t)(-(sec + 1));
			nsec = 1000000000 - nsec;
		} else
			usec = (uint64_t)0 - (uint64_t)sec;
	} else
		usec = (uint64_t)sec;
	n = snprintf(buf, 48, "%s%llu", sign, (unsigned long long)usec);
	if (nsec > 0) {
		digits = 9;
		while (nsec % 10 == 0) {
			nsec /= 10;
			digits--;
		}
		snprintf(buf + n, 48 - (size_t)n, ".%0*ld", digits, (long)nsec);
	}
	return buf;
}

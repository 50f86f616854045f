/*
 * idmap.c: open addressing with linear probing over (hash, key) slots;
 * the keys themselves sit in one arena, not in a malloc each.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "tools/place-normalize/idmap.h"

static uint64_t
hash_key(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ (h >> 29);
}

static struct idmap_slot *
find(const struct idmap *m, uint64_t h, const char *key, size_t len)
{
	size_t i = (size_t)h & (m->cap - 1);
	struct idmap_slot *s;

	for (;; i = (i + 1) & (m->cap - 1)) {
		s = &m->slots[i];
		if (s->key == NULL || (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0))
			return s;
	}
}

static void
grow(struct idmap *m)
{
	struct idmap_slot *old = m->slots, *s;
	size_t oldcap = m->cap, i;

	m->cap = oldcap ? oldcap * 2 : 1024;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		s = find(m, old[i].hash, old[i].key, old[i].len);
		*s = old[i];
	}
	free(old);
}

struct idmap_slot *
idmap_put(struct idmap *m, const char *key, size_t len, size_t val,
    int *found)
{
	struct idmap_slot *s;
	uint64_t h = hash_key(key, len);

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	s = find(m, h, key, len);
	if (s->key != NULL) {
		*found = 1;
		return s;
	}
	*found = 0;
	s->hash = h;
	s->key = arena_strndup(&m->keys, key, len);
	s->len = len;
	s->val = val;
	m->n++;
	return s;
}

struct idmap_slot *
idmap_get(const struct idmap *m, const char *key, size_t len)
{
	struct idmap_slot *s;

	if (m->cap == 0)
		return NULL;
	s = find(m, hash_key(key, len), key, len);
	return s->key != NULL ? s : NULL;
}

void
idmap_release(struct idmap *m)
{
	free(m->slots);
	arena_release(&m->keys);
	m->slots = NULL;
	m->cap = m->n = 0;
}

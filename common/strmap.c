/*
 * strmap.c: open addressing with linear probing over a compact table of
 * (hash tag, slot number) words; the slots sit in one dense array and the
 * keys in one arena, not in a malloc each.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/errors.h"
#include "common/strmap.h"

uint64_t
strmap_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a ... */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	/* ... then the splitmix64 finalizer: similar ids spread out. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

#define TAG(h)		((h) >> 32)
#define WORD(h, i)	(TAG(h) << 32 | (uint64_t)((i) + 1))

/* The probe word for key, or the empty word where it would go. */
static uint64_t *
find(const struct strmap *m, uint64_t h, const char *key, size_t len)
{
	size_t i = (size_t)h & (m->cap - 1);
	uint64_t *w;
	struct strmap_slot *s;

	for (;; i = (i + 1) & (m->cap - 1)) {
		w = &m->probe[i];
		if (*w == 0)
			return w;
		if ((*w >> 32) != TAG(h))
			continue;
		s = &m->slots[(*w & 0xffffffffU) - 1];
		if (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0)
			return w;
	}
}

/*
 * A big table is probed at random: on 4 KiB pages nearly every probe is a
 * TLB miss too, so ask for huge pages where the kernel has them.
 */
static uint64_t *
alloc_probe(size_t cap)
{
	size_t bytes = cap * sizeof(uint64_t), huge = (size_t)2 << 20;
	void *p;

	if (bytes < huge)
		return xcalloc(cap, sizeof(uint64_t));
	if (posix_memalign(&p, huge, bytes) != 0)
		die("out of memory");
#ifdef MADV_HUGEPAGE
	(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	memset(p, 0, bytes);
	return p;
}

static void
grow(struct strmap *m)
{
	size_t i;

	free(m->probe);
	m->cap = m->cap ? m->cap * 2 : 1024;
	m->probe = alloc_probe(m->cap);
	for (i = 0; i < m->n; i++)
		*find(m, m->slots[i].hash, m->slots[i].key, m->slots[i].len) =
		    WORD(m->slots[i].hash, i);
}

void
strmap_prefetch(const struct strmap *m, uint64_t h)
{
	if (m->cap > 0)
		__builtin_prefetch(&m->probe[(size_t)h & (m->cap - 1)]);
}

struct strmap_slot *
strmap_put(struct strmap *m, const char *key, size_t len, size_t val,
    int *found)
{
	return strmap_put_hashed(m, key, len, strmap_hash(key, len), val, found);
}

struct strmap_slot *
strmap_put_hashed(struct strmap *m, const char *key, size_t len, uint64_t h,
    size_t val, int *found)
{
	struct strmap_slot *s;
	uint64_t *w;

	if (m->n >= 0xfffffffeU)
		die("too many distinct ids (more than 4294967294)");
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	w = find(m, h, key, len);
	if (*w != 0) {
		*found = 1;
		return &m->slots[(*w & 0xffffffffU) - 1];
	}
	*found = 0;
	m->slots = xgrow(m->slots, &m->alloc, m->n + 1, sizeof(*m->slots));
	*w = WORD(h, m->n);
	s = &m->slots[m->n++];
	s->hash = h;
	s->key = arena_strndup(&m->keys, key, len);
	s->len = len;
	s->val = val;
	return s;
}

struct strmap_slot *
strmap_get(const struct strmap *m, const char *key, size_t len)
{
	uint64_t h, *w;

	if (m->cap == 0)
		return NULL;
	h = strmap_hash(key, len);
	w = find(m, h, key, len);
	return *w != 0 ? &m->slots[(*w & 0xffffffffU) - 1] : NULL;
}

void
strmap_release(struct strmap *m)
{
	free(m->slots);
	free(m->probe);
	arena_release(&m->keys);
	m->slots = NULL;
	m->probe = NULL;
	m->n = m->alloc = m->cap = 0;
}

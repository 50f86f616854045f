/*
 * strmap.h: a compact map from id strings to numbers (a line, an index),
 * shared by the tools for ids (duplicates, --against, key tables, sets).
 * Keys are copied into the map's arena.
 */
#ifndef DUMPKIT_STRMAP_H
#define DUMPKIT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"

struct strmap_slot {
	uint64_t	 hash;
	const char	*key;
	size_t		 len;
	size_t		 val;
};

/*
 * The slots are kept dense, in insertion order; a separate probe table of
 * 8-byte words (32 bits of hash, 32 bits of slot number) is what lookups
 * walk, so a miss costs one cache line, not a 40-byte slot per probe.
 */
struct strmap {
	struct strmap_slot	*slots;
	size_t			 n, alloc;
	uint64_t		*probe;
	size_t			 cap;	/* a power of two */
	struct arena		 keys;
};

#define STRMAP_INIT { NULL, 0, 0, NULL, 0, ARENA_INIT }

/*
 * Look key up; when absent, add it with value val.  Returns the slot: its
 * val is the old value when found (*found = 1), else val.  A slot pointer
 * is valid until the next strmap_put().
 */
struct strmap_slot *strmap_put(struct strmap *m, const char *key, size_t len,
	    size_t val, int *found);
/*
 * The same with the key's hash already computed by strmap_hash(), and a
 * hint to start loading the probe word for hash h: a caller that knows
 * the key early hides the cache miss behind other work.
 */
uint64_t strmap_hash(const char *key, size_t len);
void	strmap_prefetch(const struct strmap *m, uint64_t h);
struct strmap_slot *strmap_put_hashed(struct strmap *m, const char *key,
	    size_t len, uint64_t h, size_t val, int *found);
/* The slot of key, or NULL. */
struct strmap_slot *strmap_get(const struct strmap *m, const char *key,
	    size_t len);
void	strmap_release(struct strmap *m);

#endif

/*
 * idmap.h: a compact map from id strings to numbers (a line, an index),
 * for duplicate ids and --against.  Keys are copied into the map's arena.
 */
#ifndef PLACE_NORMALIZE_IDMAP_H
#define PLACE_NORMALIZE_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"

struct idmap_slot {
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
struct idmap {
	struct idmap_slot	*slots;
	size_t			 n, alloc;
	uint64_t		*probe;
	size_t			 cap;	/* a power of two */
	struct arena		 keys;
};

#define IDMAP_INIT { NULL, 0, 0, NULL, 0, ARENA_INIT }

/*
 * Look key up; when absent, add it with value val.  Returns the slot: its
 * val is the old value when found (*found = 1), else val.  A slot pointer
 * is valid until the next idmap_put().
 */
struct idmap_slot *idmap_put(struct idmap *m, const char *key, size_t len,
	    size_t val, int *found);
/*
 * The same with the key's hash already computed by idmap_hash(), and a
 * hint to start loading the probe word for hash h: a caller that knows
 * the key early hides the cache miss behind other work.
 */
uint64_t idmap_hash(const char *key, size_t len);
void	idmap_prefetch(const struct idmap *m, uint64_t h);
struct idmap_slot *idmap_put_hashed(struct idmap *m, const char *key,
	    size_t len, uint64_t h, size_t val, int *found);
/* The slot of key, or NULL. */
struct idmap_slot *idmap_get(const struct idmap *m, const char *key,
	    size_t len);
void	idmap_release(struct idmap *m);

#endif

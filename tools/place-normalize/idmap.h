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
	const char	*key;		/* NULL: empty slot */
	size_t		 len;
	size_t		 val;
};

struct idmap {
	struct idmap_slot	*slots;
	size_t			 cap;	/* a power of two */
	size_t			 n;
	struct arena		 keys;
};

#define IDMAP_INIT { NULL, 0, 0, ARENA_INIT }

/*
 * Look key up; when absent, add it with value val.  Returns the slot: its
 * val is the old value when found (*found = 1), else val.
 */
struct idmap_slot *idmap_put(struct idmap *m, const char *key, size_t len,
	    size_t val, int *found);
/* The slot of key, or NULL. */
struct idmap_slot *idmap_get(const struct idmap *m, const char *key,
	    size_t len);
void	idmap_release(struct idmap *m);

#endif

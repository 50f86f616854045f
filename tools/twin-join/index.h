/*
 * index.h: the in-memory side of twin-join: every link packed into large
 * blocks (key bytes and all), found through an open-addressing hash table
 * of references and hashes, so memory grows with the links and not with
 * JSON objects.
 */
#ifndef TWIN_JOIN_INDEX_H
#define TWIN_JOIN_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "tools/twin-join/links.h"

/*
 * One stored link.  Links with the same key are chained through next in
 * load order; the first of a chain (the "head") holds the per-key counters.
 * The strings (the key field, the other ID, then the compared key when it
 * differs) follow the 10-byte header in memory; the link's dgis_type,
 * partner_type and partner_code, which repeat, are one interned triple.
 * next, like the table's slots, is a 32-bit reference (block and offset,
 * see index.c), not a pointer: the index is mostly these headers and the
 * table, and every byte less in each is 10 MB less at 10M links.  For the
 * same reason the other ID, when it is a plain decimal number of 9 to 19
 * digits without a leading zero (a 17-digit dgis_id), is kept as 8 bytes
 * of number and TLINK_NUMERIC is set: 9 bytes less a link of the export.
 * Outside index.c only flags is read or written.
 */
struct tlink {
	uint32_t	 next;		/* reference, 0 at the end of a chain */
	uint16_t	 types;		/* the interned triple */
	uint8_t		 flags;
	/*
	 * Key field, other ID, compared key, when each is shorter than
	 * TLINK_WIDE; else len[0] is TLINK_WIDE and the three lengths are
	 * 16-bit, unaligned, at the start of data.
	 */
	uint8_t		 len[3];
	char		 data[];
};

#define TLINK_WIDE	255

#define TLINK_HEAD	0x1	/* first link of its key */
#define TLINK_MATCHED	0x2	/* its key appeared in the records */
#define TLINK_FLAGGED	0x4	/* head: listed as an --expect offender */
#define TLINK_DEAD	0x8	/* a duplicate, never in the table */
#define TLINK_NUMERIC	0x10	/* the other ID is a uint64_t (see above) */
/*
 * Head: how many records had this key, as far as anything needs to know:
 * none, one, or more than one (the cardinalities and --expect ask no
 * more), in two bits of flags rather than a counter in every link.
 */
#define TLINK_NREC_ONE	0x20
#define TLINK_NREC_MANY	0x40

/* 0, 1 or 2 (meaning two or more) records seen, from a head's flags. */
static inline unsigned
tlink_nrec(uint8_t flags)
{
	return (flags & TLINK_NREC_MANY) ? 2 : (flags & TLINK_NREC_ONE) ? 1 : 0;
}

/* One more record seen. */
static inline void
tlink_add_rec(uint8_t *flags)
{
	if (*flags & TLINK_NREC_ONE)
		*flags |= TLINK_NREC_MANY;
	*flags |= TLINK_NREC_ONE;
}

struct twin_index;

/* key_field: LINK_PARTNER_ID or LINK_DGIS_ID, the field records join on. */
struct twin_index *twin_index_new(int key_field);
void	twin_index_free(struct twin_index *ix);

/*
 * Add link l under the compared key k[0..klen) (its key field, or a
 * normalized copy).  A link enters the table some adds later, so that its
 * memory loads overlap with the next links'; a link equal to one already
 * there (same dgis_id, partner_id and partner_code) is dropped then and
 * counted by twin_index_dups().  Returns 0, or -1 when an ID is
 * longer than 65535 bytes, there are more than 65535 distinct types and
 * codes or combinations of a dgis_type, partner_type and partner_code, or
 * the links fill more than 16 GiB.
 */
int	twin_index_add(struct twin_index *ix, const struct link *l,
	    const char *k, size_t klen);
/*
 * Size the table for about nkeys keys before the first add (a guess from
 * the file sizes saves the rehashing; a wrong guess costs only memory or
 * the usual growth).
 */
void	twin_index_reserve(struct twin_index *ix, size_t nkeys);
/* After the last add: insert what is pending; loading is over. */
void	twin_index_seal(struct twin_index *ix);

/*
 * The head of the links with compared key k, or NULL, in steps, for
 * callers that look up many keys in a row: the hash of a key; prefetch its
 * table slot, later the link that slot holds, and find it later still, so
 * that the loads of several lookups overlap.
 */
uint32_t twin_index_hash(const char *k, size_t klen);
void	twin_index_prefetch_slot(struct twin_index *ix, uint32_t h);
void	twin_index_prefetch(struct twin_index *ix, uint32_t h);
struct tlink *twin_index_find_hash(struct twin_index *ix, const char *k,
	    size_t klen, uint32_t h);
/* Links dropped as duplicates. */
size_t	twin_index_dups(const struct twin_index *ix);

/*
 * The fields of a stored link.  They point into the index, or into
 * out->digits (a numeric other ID): out must not move while they are used.
 */
void	tlink_get(const struct twin_index *ix, const struct tlink *t,
	    struct link *out);
/* Its compared key. */
void	tlink_key(const struct twin_index *ix, const struct tlink *t,
	    const char **k, size_t *klen);
/* Load t (its header and IDs) into the cache ahead of use. */
static inline void
tlink_prefetch(const struct tlink *t)
{
	__builtin_prefetch(t);
	__builtin_prefetch((const char *)t + 63);
}
/* The link after t in its chain, or NULL. */
struct tlink *tlink_next(const struct twin_index *ix, const struct tlink *t);
/* Links in the chain starting at head. */
size_t	tlink_count(const struct twin_index *ix, const struct tlink *head);

/* Links stored. */
size_t	twin_index_links(const struct twin_index *ix);

/* Every link in load order: start with a zeroed iterator; NULL at the end. */
struct twin_index_iter {
	size_t	 block;		/* index of the block being read */
	size_t	 off;
};
struct tlink *twin_index_next(struct twin_index *ix,
	    struct twin_index_iter *it);

#endif

/*
 * index.c: the compact links index.  Links are packed one after another in
 * 4 MiB blocks; an open-addressing table of pointers (linear probing) finds
 * a key's chain.  Types and partner codes, which repeat, are interned.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/errors.h"
#include "tools/twin-join/index.h"
#include "tools/twin-join/populate.h"

#define HUGE_SIZE	((size_t)2 << 20)
#define PENDING		32	/* links in flight, see twin_index_add() */
#define BLOCK_SIZE	(((size_t)4 << 20) - 64)	/* with its header */

struct block {
	struct block	*next;		/* the block filled after this one */
	size_t		 used, size;
	char		 mem[];
};

struct twin_index {
	int		 key_field;
	struct block	*first, *last;
	/*
	 * While loading a large index: the next block, allocated one ahead
	 * and made resident by the populate thread, and that thread.
	 */
	struct block	*spare;
	struct populate	*pop;
	struct tlink	**table;
	size_t		 mask;		/* table size - 1 */
	size_t		 nkeys, nlinks;
	/* Links stored but not yet in the table, a ring (see _add()). */
	struct tlink	*pending[PENDING];
	size_t		 nadded;
	size_t		 ndups;
	/* Interned dgis_type, partner_type and partner_code strings. */
	char		**syms;
	size_t		*symlen;
	size_t		 nsyms, salloc;
	uint16_t	 lastsym[3];	/* the last link's, tried first */
};

/*
 * Memory for the table and the blocks: 2 MiB aligned and, where the kernel
 * offers transparent huge pages on request, backed by them.  Lookups land
 * at random places in a table and blocks far larger than the TLB covers;
 * huge pages take most of the page walks out of each lookup.
 */
static void *
big_alloc(size_t n)
{
	void *p;

	if (n < HUGE_SIZE)
		return xmalloc(n);
	if (posix_memalign(&p, HUGE_SIZE, n) != 0)
		return xmalloc(n);
#ifdef MADV_HUGEPAGE
	(void)madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

/*
 * A zeroed table of n slots.  Large ones come straight from mmap: the
 * kernel hands out zero pages, so there is no second pass to clear them.
 */
static struct tlink **
table_alloc(size_t n)
{
	size_t bytes = n * sizeof(struct tlink *);
	void *p;

	if (bytes < HUGE_SIZE)
		return xcalloc(n, sizeof(struct tlink *));
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("out of memory for %zu bytes", bytes);
#ifdef MADV_HUGEPAGE
	(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

static void
table_free(struct tlink **t, size_t n)
{
	size_t bytes = n * sizeof(struct tlink *);

	if (bytes < HUGE_SIZE)
		free(t);
	else
		munmap(t, bytes);
}

static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static void stop_populate(struct twin_index *);

struct twin_index *
twin_index_new(int key_field)
{
	struct twin_index *ix = xcalloc(1, sizeof(*ix));

	ix->key_field = key_field;
	ix->mask = 1023;
	ix->table = table_alloc(ix->mask + 1);
	/* Symbol 0 is the empty string, so a missing type costs nothing. */
	ix->syms = xgrow(NULL, &ix->salloc, 1, sizeof(*ix->syms));
	ix->symlen = xcalloc(ix->salloc, sizeof(*ix->symlen));
	ix->syms[ix->nsyms++] = xstrdup("");
	return ix;
}

void
twin_index_free(struct twin_index *ix)
{
	struct block *b, *nb;
	size_t i;

	if (ix == NULL)
		return;
	stop_populate(ix);
	for (b = ix->first; b != NULL; b = nb) {
		nb = b->next;
		free(b);
	}
	for (i = 0; i < ix->nsyms; i++)
		free(ix->syms[i]);
	free(ix->syms);
	free(ix->symlen);
	table_free(ix->table, ix->mask + 1);
	free(ix);
}

static int
same_sym(const struct twin_index *ix, size_t i, const struct link_str *s)
{
	return ix->symlen[i] == s->len && (s->len == 0 ||
	    memcmp(ix->syms[i], s->s, s->len) == 0);
}

static int
intern(struct twin_index *ix, const struct link_str *s, uint16_t *out)
{
	size_t i, alloc;

	/* Mostly the same as last time: branch, branch, sber-food... */
	if (*out < ix->nsyms && same_sym(ix, *out, s))
		return 0;
	/* Few distinct values (types, partner codes): a list is enough. */
	for (i = 0; i < ix->nsyms; i++)
		if (same_sym(ix, i, s)) {
			*out = (uint16_t)i;
			return 0;
		}
	if (ix->nsyms > UINT16_MAX ||
	    (s->len > 0 && memchr(s->s, '\0', s->len) != NULL))
		return -1;
	alloc = ix->salloc;
	ix->syms = xgrow(ix->syms, &ix->salloc, ix->nsyms + 1,
	    sizeof(*ix->syms));
	ix->symlen = xgrow(ix->symlen, &alloc, ix->nsyms + 1,
	    sizeof(*ix->symlen));
	ix->syms[ix->nsyms] = xstrndup(s->s, s->len);
	ix->symlen[ix->nsyms] = s->len;
	*out = (uint16_t)ix->nsyms++;
	return 0;
}

static void *
block_alloc(struct twin_index *ix, size_t n)
{
	struct block *b = ix->last;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (b == NULL || b->size - b->used < n) {
		size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;

		if (ix->spare != NULL && size == BLOCK_SIZE) {
			b = ix->spare;
			ix->spare = NULL;
		} else {
			b = big_alloc(sizeof(*b) + size);
		}
		if (ix->pop != NULL && ix->spare == NULL) {
			ix->spare = big_alloc(sizeof(*b) + BLOCK_SIZE);
			populate_add(ix->pop, ix->spare, sizeof(*b) +
			    BLOCK_SIZE);
		}
		b->next = NULL;
		b->used = 0;
		b->size = size;
		if (ix->last != NULL)
			ix->last->next = b;
		else
			ix->first = b;
		ix->last = b;
	}
	p = b->mem + b->used;
	b->used += n;
	return p;
}

static size_t
tlink_size(const struct tlink *t)
{
	return (offsetof(struct tlink, data) + t->len[0] + t->len[1] +
	    t->len[2] + 7) & ~(size_t)7;
}

void
tlink_key(const struct twin_index *ix, const struct tlink *t, const char **k,
    size_t *klen)
{
	(void)ix;
	if (t->len[2] != 0) {
		*k = t->data + t->len[0] + t->len[1];
		*klen = t->len[2];
	} else {
		*k = t->data;
		*klen = t->len[0];
	}
}

void
tlink_get(const struct twin_index *ix, const struct tlink *t,
    struct link *out)
{
	int kf = ix->key_field;
	int of = kf == LINK_DGIS_ID ? LINK_PARTNER_ID : LINK_DGIS_ID;

	out->f[kf].s = t->data;
	out->f[kf].len = t->len[0];
	out->f[of].s = t->data + t->len[0];
	out->f[of].len = t->len[1];
	out->f[LINK_DGIS_TYPE].s = ix->syms[t->sym[0]];
	out->f[LINK_DGIS_TYPE].len = ix->symlen[t->sym[0]];
	out->f[LINK_PARTNER_TYPE].s = ix->syms[t->sym[1]];
	out->f[LINK_PARTNER_TYPE].len = ix->symlen[t->sym[1]];
	out->f[LINK_PARTNER_CODE].s = ix->syms[t->sym[2]];
	out->f[LINK_PARTNER_CODE].len = ix->symlen[t->sym[2]];
	out->line = 0;
}

size_t
tlink_count(const struct tlink *head)
{
	size_t n = 0;

	for (; head != NULL; head = head->next)
		n++;
	return n;
}

static int
same_key(const struct twin_index *ix, const struct tlink *t, uint32_t h,
    const char *k, size_t klen)
{
	const char *tk;
	size_t tn;

	if (t->hash != h)
		return 0;
	tlink_key(ix, t, &tk, &tn);
	return tn == klen && memcmp(tk, k, klen) == 0;
}

/*
 * Double the table.  The links in it are found by walking the blocks in
 * order (TLINK_INTABLE marks them), not through the old table: reading the
 * blocks front to back is far cheaper than a random load per link.
 */
static void
grow_table(struct twin_index *ix)
{
	size_t size = (ix->mask + 1) * 2, j;
	struct tlink **nt = table_alloc(size);
	struct twin_index_iter it = { NULL, 0 };
	struct tlink *t;

	while ((t = twin_index_next(ix, &it)) != NULL) {
		if (!(t->flags & TLINK_INTABLE))
			continue;
		for (j = t->hash & (size - 1); nt[j] != NULL;
		    j = (j + 1) & (size - 1))
			;
		nt[j] = t;
	}
	table_free(ix->table, ix->mask + 1);
	ix->table = nt;
	ix->mask = size - 1;
}

void
twin_index_reserve(struct twin_index *ix, size_t nkeys)
{
	size_t size = ix->mask + 1;

	if (ix->nkeys != 0 || ix->nadded != 0)
		return;
	/* A load of at most 3/4 once nkeys are in, as grow_table() keeps. */
	while (size < ((size_t)1 << 31) && nkeys * 4 > size * 3)
		size *= 2;
	if (size == ix->mask + 1)
		return;
	table_free(ix->table, ix->mask + 1);
	ix->table = table_alloc(size);
	ix->mask = size - 1;
	/*
	 * A large index: make the table resident now, and each block before
	 * its turn, in a thread of their own (see populate.h).
	 */
	if (size * sizeof(*ix->table) >= HUGE_SIZE && ix->pop == NULL) {
		ix->pop = populate_start();
		populate_add(ix->pop, ix->table, size * sizeof(*ix->table));
	}
}

/* Put t in the table, or mark it dead when the same link is there. */
static void
insert(struct twin_index *ix, struct tlink *t)
{
	const char *k;
	size_t klen, i;
	struct tlink *c, *last = NULL;

	tlink_key(ix, t, &k, &klen);
	for (i = t->hash & ix->mask; ix->table[i] != NULL;
	    i = (i + 1) & ix->mask)
		if (same_key(ix, ix->table[i], t->hash, k, klen))
			break;
	/* The same link from two overlapping responses counts once. */
	for (c = ix->table[i]; c != NULL; last = c, c = c->next)
		if (c->sym[2] == t->sym[2] && c->len[0] == t->len[0] &&
		    c->len[1] == t->len[1] &&
		    memcmp(c->data, t->data, t->len[0] + t->len[1]) == 0) {
			t->flags = TLINK_DEAD;
			ix->ndups++;
			return;
		}
	ix->nlinks++;
	/* A chain is in load order: its head, in the table, came first. */
	t->next = NULL;
	if (last != NULL) {
		last->next = t;
		return;
	}
	t->flags |= TLINK_INTABLE | TLINK_HEAD;
	ix->table[i] = t;
	if (++ix->nkeys * 4 > (ix->mask + 1) * 3)
		grow_table(ix);
}

/* Insert the links still in flight, in order. */
static void
flush(struct twin_index *ix)
{
	size_t k = ix->nadded > PENDING ? ix->nadded - PENDING : 0;

	for (; k < ix->nadded; k++)
		insert(ix, ix->pending[k % PENDING]);
	ix->nadded = 0;
}

int
twin_index_add(struct twin_index *ix, const struct link *l, const char *k,
    size_t klen)
{
	/* The key field first: it shares a cache line with the header. */
	const struct link_str *d = &l->f[ix->key_field];
	const struct link_str *p = &l->f[ix->key_field == LINK_DGIS_ID ?
	    LINK_PARTNER_ID : LINK_DGIS_ID];
	const char *own = d->s;
	size_t ownlen = d->len, i;
	uint16_t sym[3];
	struct tlink *t;

	if (d->len > UINT16_MAX || p->len > UINT16_MAX || klen > UINT16_MAX)
		return -1;
	memcpy(sym, ix->lastsym, sizeof(sym));
	if (intern(ix, &l->f[LINK_DGIS_TYPE], &sym[0]) == -1 ||
	    intern(ix, &l->f[LINK_PARTNER_TYPE], &sym[1]) == -1 ||
	    intern(ix, &l->f[LINK_PARTNER_CODE], &sym[2]) == -1)
		return -1;
	/* The key is the field itself unless normalizing changed it. */
	if (ownlen == klen && memcmp(own, k, klen) == 0)
		klen = 0;
	t = block_alloc(ix, offsetof(struct tlink, data) + d->len + p->len +
	    klen);
	t->next = NULL;
	t->hash = klen ? twin_index_hash(k, klen) : twin_index_hash(own,
	    ownlen);
	t->len[0] = (uint16_t)d->len;
	t->len[1] = (uint16_t)p->len;
	t->len[2] = (uint16_t)klen;
	memcpy(t->sym, sym, sizeof(sym));
	memcpy(ix->lastsym, sym, sizeof(sym));
	t->flags = 0;
	memcpy(t->data, d->s, d->len);
	memcpy(t->data + d->len, p->s, p->len);
	if (t->len[2] != 0)
		memcpy(t->data + d->len + p->len, k, klen);
	/*
	 * Each insert into a table much larger than the caches waits for two
	 * dependent loads: the slot, then the link it points at.  So a link
	 * goes in PENDING adds after it came: its slot is prefetched now, the
	 * link in that slot half-way, and by its turn both have arrived.
	 */
	i = ix->nadded % PENDING;
	if (ix->nadded >= PENDING)
		insert(ix, ix->pending[i]);
	ix->pending[i] = t;
	__builtin_prefetch(&ix->table[t->hash & ix->mask]);
	if (ix->nadded >= PENDING / 2)
		twin_index_prefetch(ix, ix->pending[(ix->nadded - PENDING / 2)
		    % PENDING]->hash);
	ix->nadded++;
	return 0;
}

/* Loading is over: no more populating, no spare block. */
static void
stop_populate(struct twin_index *ix)
{
	populate_stop(ix->pop);
	ix->pop = NULL;
	free(ix->spare);
	ix->spare = NULL;
}

void
twin_index_seal(struct twin_index *ix)
{
	flush(ix);
	stop_populate(ix);
}

uint32_t
twin_index_hash(const char *k, size_t klen)
{
	return hash_bytes(k, klen);
}

void
twin_index_prefetch(struct twin_index *ix, uint32_t h)
{
	struct tlink *t = ix->table[h & ix->mask];

	if (t != NULL)
		__builtin_prefetch(t);
}

void
twin_index_prefetch_slot(struct twin_index *ix, uint32_t h)
{
	__builtin_prefetch(&ix->table[h & ix->mask]);
}

struct tlink *
twin_index_find_hash(struct twin_index *ix, const char *k, size_t klen,
    uint32_t h)
{
	size_t i;

	for (i = h & ix->mask; ix->table[i] != NULL; i = (i + 1) & ix->mask)
		if (same_key(ix, ix->table[i], h, k, klen))
			return ix->table[i];
	return NULL;
}

size_t
twin_index_dups(const struct twin_index *ix)
{
	return ix->ndups;
}

size_t
twin_index_links(const struct twin_index *ix)
{
	return ix->nlinks;
}

struct tlink *
twin_index_next(struct twin_index *ix, struct twin_index_iter *it)
{
	struct block *b = it->block;
	struct tlink *t;

	if (b == NULL) {
		if (it->off != 0)
			return NULL;	/* walked past the end already */
		b = ix->first;
	}
	while (b != NULL && it->off == b->used) {
		b = b->next;
		it->off = 0;
	}
	it->block = b;
	if (b == NULL) {
		it->off = 1;
		return NULL;
	}
	t = (struct tlink *)(b->mem + it->off);
	it->off += tlink_size(t);
	return (t->flags & TLINK_DEAD) ? twin_index_next(ix, it) : t;
}

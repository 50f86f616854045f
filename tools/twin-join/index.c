/*
 * index.c: the compact links index.  Links are packed one after another in
 * 4 MiB blocks; an open-addressing table (linear probing) finds a key's
 * chain.  Types and partner codes, which repeat, are interned.
 *
 * The table's slots and each link's next are 32-bit references, not
 * pointers: REF_OFF_BITS of offset in 4-byte units within a block, the
 * block's number above them, plus one so that 0 means none.  Blocks are
 * all BLOCK_SIZE (a link is at most 3 x 65535 bytes), so 2^12 blocks of
 * 4 MiB, 16 GiB of links, is the limit.
 *
 * A slot also holds its key's hash, which the link does not: probing
 * compares hashes in the table, so an insert or a lookup loads only the
 * link it is after, not one per slot it passes (at 10M links, inserting
 * loaded some 2.6 links that were not the key's).  Measured against 4-byte
 * slots and the hash in an 8-aligned link: at 10M, loading 1.89 -> 1.72 s,
 * an inner join 6.77 -> 5.31 s, --unmatched 4.64 -> 4.21 s.
 *
 * A link's header is 10 bytes: its three types are one interned triple,
 * and its lengths one byte each unless an ID is 255 bytes or longer (see
 * index.h).  At 1M links of a 17-digit dgis_id and a 9-digit partner_id:
 * 36 bytes a link, 16 MiB of table, peak RSS 1.29x the links file (with a
 * 17-byte header: 44 bytes, 1.44x).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/decimal.h"
#include "common/errors.h"
#include "tools/twin-join/index.h"
#include "tools/twin-join/populate.h"

#define HUGE_SIZE	((size_t)2 << 20)
#define PENDING		32	/* links in flight, see twin_index_add() */
#define BLOCK_SIZE	(((size_t)4 << 20) - 64)	/* with its header */
#define REF_OFF_BITS	20	/* BLOCK_SIZE / 4 < 2^20 */
#define MAX_BLOCKS	((size_t)1 << (32 - REF_OFF_BITS))

struct block {
	size_t		 used;
	char		 mem[];
};

static inline struct tlink *
ref_link(const struct twin_index *, uint32_t);

/*
 * A table slot: the head link's reference and its key's hash.  Probing
 * compares hashes in the table itself, so a lookup or insert loads no
 * link but the one it is after, however long the run of slots it passes.
 */
struct slot {
	uint32_t	 ref;		/* 0 for empty */
	uint32_t	 hash;
};

/*
 * An interned string, and the words that identify it when it is 16 bytes
 * or shorter (see str_words()): every link's three types are looked up,
 * and comparing two words beats a call of memcmp().
 */
struct sym {
	char		*s;
	size_t		 len;
	uint64_t	 w[2];
};

struct twin_index {
	int		 key_field;
	struct block	**blocks;	/* in the order they were filled */
	size_t		 nblocks, balloc;
	/*
	 * While loading a large index: the next block, allocated one ahead
	 * and made resident by the populate thread, and that thread.
	 */
	struct block	*spare;
	struct populate	*pop;
	struct slot	*table;		/* ref 0 for empty */
	size_t		 mask;		/* table size - 1 */
	size_t		 nkeys, nlinks;
	/* Links stored but not yet in the table, a ring (see _add()). */
	struct slot	 pending[PENDING];
	size_t		 nadded;
	size_t		 ndups;
	/* Interned dgis_type, partner_type and partner_code strings. */
	struct sym	*syms;
	size_t		 nsyms, salloc;
	uint16_t	 lastsym[3];	/* the last link's, tried first */
	/*
	 * Interned triples of them, a link's types (see index.h), each
	 * packed in one integer, 16 bits a symbol.
	 */
	uint64_t	*triples;
	size_t		 ntriples, talloc;
	uint16_t	 lasttriple;
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
static struct slot *
table_alloc(size_t n)
{
	size_t bytes = n * sizeof(struct slot);
	void *p;

	if (bytes < HUGE_SIZE)
		return xcalloc(n, sizeof(struct slot));
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
table_free(struct slot *t, size_t n)
{
	size_t bytes = n * sizeof(struct slot);

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
	memset(&ix->syms[0], 0, sizeof(ix->syms[0]));
	ix->syms[ix->nsyms++].s = xstrdup("");
	return ix;
}

void
twin_index_free(struct twin_index *ix)
{
	size_t i;

	if (ix == NULL)
		return;
	stop_populate(ix);
	for (i = 0; i < ix->nblocks; i++)
		free(ix->blocks[i]);
	free(ix->blocks);
	for (i = 0; i < ix->nsyms; i++)
		free(ix->syms[i].s);
	free(ix->syms);
	free(ix->triples);
	table_free(ix->table, ix->mask + 1);
	free(ix);
}

/*
 * Two words that, with its length, tell a string of up to 16 bytes from
 * any other: its first and last 8 bytes (4 below 8, and each byte below
 * 4), which overlap so that every byte is in one of them.
 */
static inline void
str_words(const char *s, size_t n, uint64_t w[2])
{
	uint32_t x, y;

	if (n >= 8) {
		memcpy(&w[0], s, 8);
		memcpy(&w[1], s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		w[0] = x;
		w[1] = y;
	} else {
		w[0] = n == 0 ? 0 : (unsigned char)s[0] |
		    (unsigned)(unsigned char)s[n / 2] << 8 |
		    (unsigned)(unsigned char)s[n - 1] << 16;
		w[1] = 0;
	}
}

static inline int
same_sym(const struct sym *y, const struct link_str *s, const uint64_t w[2])
{
	if (y->len != s->len)
		return 0;
	if (s->len <= 16)
		return y->w[0] == w[0] && y->w[1] == w[1];
	return memcmp(y->s, s->s, s->len) == 0;
}

/* intern() past its first guess: the list, then a new symbol. */
static int
intern_slow(struct twin_index *ix, const struct link_str *s,
    const uint64_t w[2], uint16_t *out)
{
	struct sym *y;
	size_t i;

	/* Few distinct values (types, partner codes): a list is enough. */
	for (i = 0; i < ix->nsyms; i++)
		if (same_sym(&ix->syms[i], s, w)) {
			*out = (uint16_t)i;
			return 0;
		}
	if (ix->nsyms > UINT16_MAX ||
	    (s->len > 0 && memchr(s->s, '\0', s->len) != NULL))
		return -1;
	ix->syms = xgrow(ix->syms, &ix->salloc, ix->nsyms + 1,
	    sizeof(*ix->syms));
	y = &ix->syms[ix->nsyms];
	y->s = xstrndup(s->s, s->len);
	y->len = s->len;
	y->w[0] = w[0];
	y->w[1] = w[1];
	*out = (uint16_t)ix->nsyms++;
	return 0;
}

/*
 * s's symbol into *out, which holds the last link's (tried first).  Inlined
 * into each of its three calls: as a call it cost as much as its work.
 */
static inline __attribute__((always_inline)) int
intern(struct twin_index *ix, const struct link_str *s, uint16_t *out)
{
	uint64_t w[2];

	str_words(s->s, s->len, w);
	/* Mostly the same as last time: branch, branch, sber-food... */
	if (*out < ix->nsyms && same_sym(&ix->syms[*out], s, w))
		return 0;
	return intern_slow(ix, s, w, out);
}

/*
 * The triple of a link's types as one number: a list, like intern(), with
 * the last one tried first.
 */
static int
intern_triple(struct twin_index *ix, const uint16_t sym[3], uint16_t *out)
{
	uint64_t packed = sym[0] | (uint64_t)sym[1] << 16 |
	    (uint64_t)sym[2] << 32;
	size_t i;

	if (ix->lasttriple < ix->ntriples &&
	    ix->triples[ix->lasttriple] == packed) {
		*out = ix->lasttriple;
		return 0;
	}
	for (i = 0; i < ix->ntriples; i++)
		if (ix->triples[i] == packed)
			break;
	if (i == ix->ntriples) {
		if (ix->ntriples > UINT16_MAX)
			return -1;
		ix->triples = xgrow(ix->triples, &ix->talloc, ix->ntriples + 1,
		    sizeof(*ix->triples));
		ix->triples[ix->ntriples++] = packed;
	}
	*out = ix->lasttriple = (uint16_t)i;
	return 0;
}

/* Symbol k (0 dgis_type, 1 partner_type, 2 partner_code) of a triple. */
static inline uint16_t
triple_sym(const struct twin_index *ix, uint16_t triple, int k)
{
	return (uint16_t)(ix->triples[triple] >> (16 * k));
}

/* A link's three lengths (see index.h), and where its bytes start. */
static inline const char *
tlink_lens(const struct tlink *t, size_t len[3])
{
	uint16_t w[3];

	if (t->len[0] != TLINK_WIDE) {
		len[0] = t->len[0];
		len[1] = t->len[1];
		len[2] = t->len[2];
		return t->data;
	}
	memcpy(w, t->data, sizeof(w));
	len[0] = w[0];
	len[1] = w[1];
	len[2] = w[2];
	return t->data + sizeof(w);
}

static inline struct tlink *
ref_link(const struct twin_index *ix, uint32_t r)
{
	r--;
	return (struct tlink *)(ix->blocks[r >> REF_OFF_BITS]->mem +
	    ((size_t)(r & (((uint32_t)1 << REF_OFF_BITS) - 1)) << 2));
}

/*
 * n bytes (4-aligned) for a link, and its reference in *ref; NULL when the
 * blocks are at their limit.
 */
static void *
block_alloc(struct twin_index *ix, size_t n, uint32_t *ref)
{
	struct block *b = ix->nblocks ? ix->blocks[ix->nblocks - 1] : NULL;
	size_t off;

	n = (n + 3) & ~(size_t)3;
	if (b == NULL || BLOCK_SIZE - b->used < n) {
		if (ix->nblocks == MAX_BLOCKS)
			return NULL;
		if (ix->spare != NULL) {
			b = ix->spare;
			ix->spare = NULL;
		} else {
			b = big_alloc(sizeof(*b) + BLOCK_SIZE);
		}
		if (ix->pop != NULL && ix->spare == NULL) {
			ix->spare = big_alloc(sizeof(*b) + BLOCK_SIZE);
			populate_add(ix->pop, ix->spare, sizeof(*b) +
			    BLOCK_SIZE);
		}
		b->used = 0;
		ix->blocks = xgrow(ix->blocks, &ix->balloc, ix->nblocks + 1,
		    sizeof(*ix->blocks));
		ix->blocks[ix->nblocks++] = b;
	}
	off = b->used;
	b->used += n;
	*ref = (uint32_t)(((ix->nblocks - 1) << REF_OFF_BITS) | (off >> 2)) +
	    1;
	return b->mem + off;
}

/*
 * The eight bytes at s as the decimal number they spell, in a few word
 * operations instead of eight multiply-adds: 0 when one is not a digit.
 */
static inline int
eight_digits(const char *s, uint64_t *out)
{
	const uint64_t hi = UINT64_C(0xf0f0f0f0f0f0f0f0);
	const uint64_t m = UINT64_C(0x000000ff000000ff);
	uint64_t w;

	memcpy(&w, s, 8);
	/* A digit is 0x30..0x39: its high nibble is 3 before and after +6. */
	if (((w & hi) | (((w + UINT64_C(0x0606060606060606)) & hi) >> 4)) !=
	    UINT64_C(0x3333333333333333))
		return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w -= UINT64_C(0x3030303030303030);
	/* Each even byte becomes the pair it starts (first digit lowest). */
	w = w * 10 + (w >> 8);
	/* Pairs 0 and 2 by 10^6 and 10^2, pairs 1 and 3 by 10^4 and 1. */
	*out = ((w & m) * (100 + (UINT64_C(1000000) << 32)) +
	    ((w >> 16) & m) * (1 + (UINT64_C(10000) << 32))) >> 32;
#else
	{
		int i;

		*out = 0;
		for (i = 0; i < 8; i++)
			*out = *out * 10 + (uint64_t)(s[i] - '0');
	}
#endif
	return 1;
}

/*
 * An ID kept as a number: 9 to 19 digits (shorter ones take no more room
 * as text), no leading zero, so that its text comes back byte for byte.
 * Returns 1 and sets *v, or 0.
 */
static int
numeric_id(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0, lo;
	size_t i, head;

	if (n <= sizeof(*v) || n > LINK_NUMERIC_DIGITS || s[0] == '0')
		return 0;
	/* The first n % 8 digits one by one, the rest eight at a time. */
	head = n % 8;
	for (i = 0; i < head; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	for (; i < n; i += 8) {
		if (!eight_digits(s + i, &lo))
			return 0;
		x = x * 100000000 + lo;
	}
	*v = x;
	return 1;
}

static size_t
tlink_size(const struct tlink *t)
{
	size_t len[3];
	const char *b = tlink_lens(t, len);

	return ((size_t)(b - (const char *)t) + len[0] + len[1] + len[2] +
	    3) & ~(size_t)3;
}

/* tlink_key() for this file's lookups, inlined. */
static inline void
link_key(const struct tlink *t, const char **k, size_t *klen)
{
	size_t len[3];
	const char *b = tlink_lens(t, len);

	if (len[2] != 0) {
		*k = b + len[0] + len[1];
		*klen = len[2];
	} else {
		*k = b;
		*klen = len[0];
	}
}

void
tlink_key(const struct twin_index *ix, const struct tlink *t, const char **k,
    size_t *klen)
{
	(void)ix;
	link_key(t, k, klen);
}

void
tlink_get(const struct twin_index *ix, const struct tlink *t,
    struct link *out)
{
	int kf = ix->key_field;
	int of = kf == LINK_DGIS_ID ? LINK_PARTNER_ID : LINK_DGIS_ID;
	uint16_t sym[3] = { triple_sym(ix, t->types, 0),
	    triple_sym(ix, t->types, 1), triple_sym(ix, t->types, 2) };
	size_t len[3];
	const char *b = tlink_lens(t, len);

	out->f[kf].s = b;
	out->f[kf].len = len[0];
	out->f[of].s = b + len[0];
	out->f[of].len = len[1];
	if (t->flags & TLINK_NUMERIC) {
		uint64_t v;

		memcpy(&v, b + len[0], sizeof(v));
		out->f[of].len = (size_t)(decimal_u64(out->digits, v) -
		    out->digits);
		out->f[of].s = out->digits;
	}
	out->f[LINK_DGIS_TYPE].s = ix->syms[sym[0]].s;
	out->f[LINK_DGIS_TYPE].len = ix->syms[sym[0]].len;
	out->f[LINK_PARTNER_TYPE].s = ix->syms[sym[1]].s;
	out->f[LINK_PARTNER_TYPE].len = ix->syms[sym[1]].len;
	out->f[LINK_PARTNER_CODE].s = ix->syms[sym[2]].s;
	out->f[LINK_PARTNER_CODE].len = ix->syms[sym[2]].len;
	out->line = 0;
}

struct tlink *
tlink_next(const struct twin_index *ix, const struct tlink *t)
{
	return t->next ? ref_link(ix, t->next) : NULL;
}

size_t
tlink_count(const struct twin_index *ix, const struct tlink *head)
{
	size_t n = 0;

	for (; head != NULL; head = tlink_next(ix, head))
		n++;
	return n;
}

/*
 * Whether a[0..n) and b[0..n) are the same bytes: a key of up to 16 bytes
 * (a partner_id, a dgis_id) by its str_words(), no call.
 */
static inline int
same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t wa[2], wb[2];

	if (n > 16)
		return memcmp(a, b, n) == 0;
	str_words(a, n, wa);
	str_words(b, n, wb);
	return ((wa[0] ^ wb[0]) | (wa[1] ^ wb[1])) == 0;
}

/* Whether t's compared key is k (its slot's hash matched already). */
static inline int
same_key(const struct twin_index *ix, const struct tlink *t, const char *k,
    size_t klen)
{
	const char *tk;
	size_t tn;

	(void)ix;
	link_key(t, &tk, &tn);
	return tn == klen && same_bytes(tk, k, klen);
}

/*
 * Double the table.  The slots hold their hashes, so the old table is read
 * front to back and no link is loaded.
 */
static void
grow_table(struct twin_index *ix)
{
	size_t size = (ix->mask + 1) * 2, i, j;
	struct slot *nt = table_alloc(size);

	for (i = 0; i <= ix->mask; i++) {
		if (ix->table[i].ref == 0)
			continue;
		for (j = ix->table[i].hash & (size - 1); nt[j].ref != 0;
		    j = (j + 1) & (size - 1))
			;
		nt[j] = ix->table[i];
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

/*
 * Put the link with reference ref in the table, or mark it dead when the
 * same link is there.
 */
static void
insert(struct twin_index *ix, struct slot s)
{
	struct tlink *t = ref_link(ix, s.ref);
	const char *k, *tb, *cb;
	size_t klen, i, tl[3], cl[3];
	struct tlink *c, *last = NULL;

	link_key(t, &k, &klen);
	tb = tlink_lens(t, tl);
	for (i = s.hash & ix->mask; ix->table[i].ref != 0;
	    i = (i + 1) & ix->mask)
		if (ix->table[i].hash == s.hash && same_key(ix,
		    ref_link(ix, ix->table[i].ref), k, klen))
			break;
	/*
	 * The same link (both IDs and the partner code) from two overlapping
	 * responses counts once.
	 */
	for (c = ix->table[i].ref ? ref_link(ix, ix->table[i].ref) : NULL;
	    c != NULL; last = c, c = tlink_next(ix, c)) {
		if (triple_sym(ix, c->types, 2) != triple_sym(ix, t->types, 2))
			continue;
		cb = tlink_lens(c, cl);
		/* A number's 8 bytes may spell some 8-byte ID's text. */
		if (cl[0] == tl[0] && cl[1] == tl[1] && ((c->flags ^ t->flags) &
		    TLINK_NUMERIC) == 0 &&
		    memcmp(cb, tb, tl[0] + tl[1]) == 0) {
			t->flags = TLINK_DEAD | (t->flags & TLINK_NUMERIC);
			ix->ndups++;
			return;
		}
	}
	ix->nlinks++;
	/* A chain is in load order: its head, in the table, came first. */
	t->next = 0;
	if (last != NULL) {
		last->next = s.ref;
		return;
	}
	t->flags |= TLINK_HEAD;
	ix->table[i] = s;
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
	size_t ownlen = d->len, plen = p->len, i, head;
	uint16_t sym[3], types, wide[3];
	uint32_t ref, hash;
	uint64_t number;
	int numeric;
	struct tlink *t;
	char *b;

	if (d->len > UINT16_MAX || p->len > UINT16_MAX || klen > UINT16_MAX)
		return -1;
	memcpy(sym, ix->lastsym, sizeof(sym));
	if (intern(ix, &l->f[LINK_DGIS_TYPE], &sym[0]) == -1 ||
	    intern(ix, &l->f[LINK_PARTNER_TYPE], &sym[1]) == -1 ||
	    intern(ix, &l->f[LINK_PARTNER_CODE], &sym[2]) == -1 ||
	    intern_triple(ix, sym, &types) == -1)
		return -1;
	/* The key is the field itself unless normalizing changed it. */
	if (ownlen == klen && (k == own || memcmp(own, k, klen) == 0))
		klen = 0;
	if ((numeric = numeric_id(p->s, p->len, &number)) != 0)
		plen = sizeof(number);
	head = offsetof(struct tlink, data);
	if (d->len >= TLINK_WIDE || plen >= TLINK_WIDE || klen >= TLINK_WIDE)
		head += sizeof(wide);
	t = block_alloc(ix, head + d->len + plen + klen, &ref);
	if (t == NULL)
		return -1;
	t->next = 0;
	hash = klen ? twin_index_hash(k, klen) : twin_index_hash(own, ownlen);
	if (head == offsetof(struct tlink, data)) {
		t->len[0] = (uint8_t)d->len;
		t->len[1] = (uint8_t)plen;
		t->len[2] = (uint8_t)klen;
		b = t->data;
	} else {
		t->len[0] = TLINK_WIDE;
		t->len[1] = t->len[2] = 0;
		wide[0] = (uint16_t)d->len;
		wide[1] = (uint16_t)plen;
		wide[2] = (uint16_t)klen;
		memcpy(t->data, wide, sizeof(wide));
		b = t->data + sizeof(wide);
	}
	t->types = types;
	memcpy(ix->lastsym, sym, sizeof(sym));
	t->flags = numeric ? TLINK_NUMERIC : 0;
	memcpy(b, d->s, d->len);
	if (numeric)
		memcpy(b + d->len, &number, sizeof(number));
	else
		memcpy(b + d->len, p->s, plen);
	if (klen != 0)
		memcpy(b + d->len + plen, k, klen);
	/*
	 * Each insert into a table much larger than the caches waits for
	 * its slot, and for the link there when the key is already in.  So a
	 * link goes in PENDING adds after it came: its slot is prefetched
	 * now, a link with its hash half-way, and by its turn both have
	 * arrived.
	 */
	i = ix->nadded % PENDING;
	if (ix->nadded >= PENDING)
		insert(ix, ix->pending[i]);
	ix->pending[i].ref = ref;
	ix->pending[i].hash = hash;
	__builtin_prefetch(&ix->table[hash & ix->mask]);
	if (ix->nadded >= PENDING / 2)
		twin_index_prefetch(ix, ix->pending[(ix->nadded - PENDING / 2) %
		    PENDING].hash);
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
	size_t i;

	for (i = h & ix->mask; ix->table[i].ref != 0; i = (i + 1) & ix->mask)
		if (ix->table[i].hash == h) {
			__builtin_prefetch(ref_link(ix, ix->table[i].ref));
			return;
		}
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
	struct tlink *t;

	for (i = h & ix->mask; ix->table[i].ref != 0; i = (i + 1) & ix->mask) {
		if (ix->table[i].hash != h)
			continue;
		t = ref_link(ix, ix->table[i].ref);
		if (same_key(ix, t, k, klen))
			return t;
	}
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

/*
 * A loop, not recursion, past dead links: a file of duplicates has a
 * million in a row.
 */
struct tlink *
twin_index_next(struct twin_index *ix, struct twin_index_iter *it)
{
	struct block *b;
	struct tlink *t;

	for (;;) {
		if (it->block >= ix->nblocks)
			return NULL;
		b = ix->blocks[it->block];
		if (it->off >= b->used) {
			it->block++;
			it->off = 0;
			continue;
		}
		t = (struct tlink *)(b->mem + it->off);
		it->off += tlink_size(t);
		if (!(t->flags & TLINK_DEAD))
			return t;
	}
}

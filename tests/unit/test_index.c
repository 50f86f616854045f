/*
 * test_index.c: twin-join's links index (tools/twin-join/index.c): chains
 * in load order, duplicates dropped, keys that share a hash kept apart,
 * growth, and IDs of every length packed one after another.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/twin-join/index.h"
#include "tests/unit/tap.h"

/* Two different keys of the form "c<n>" with one hash, found by search. */
struct pair {
	char	 a[16], b[16];
};

static int
by_hash(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* The pairs of equal hashes among "<prefix><n>", n < 2^21: a few dozen. */
static size_t
colliding(const char *prefix, struct pair *out, size_t max)
{
	size_t n = (size_t)1 << 21, i, found = 0;
	uint64_t *h = malloc(n * sizeof(*h));
	char k[16];

	for (i = 0; i < n; i++) {
		snprintf(k, sizeof(k), "%s%zu", prefix, i);
		h[i] = (uint64_t)twin_index_hash(k, strlen(k)) << 32 | i;
	}
	qsort(h, n, sizeof(*h), by_hash);
	for (i = 1; i < n && found < max; i++)
		if (h[i] >> 32 == h[i - 1] >> 32) {
			snprintf(out[found].a, sizeof(out[found].a), "%s%u",
			    prefix, (unsigned)(h[i - 1] & 0xffffffff));
			snprintf(out[found].b, sizeof(out[found].b), "%s%u",
			    prefix, (unsigned)(h[i] & 0xffffffff));
			found++;
		}
	free(h);
	return found;
}

static void
add(struct twin_index *ix, const char *pid, const char *did,
    const char *code)
{
	struct link l;

	memset(&l, 0, sizeof(l));
	l.f[LINK_PARTNER_ID].s = pid;
	l.f[LINK_PARTNER_ID].len = strlen(pid);
	l.f[LINK_DGIS_ID].s = did;
	l.f[LINK_DGIS_ID].len = strlen(did);
	l.f[LINK_DGIS_TYPE].s = "building";
	l.f[LINK_DGIS_TYPE].len = 8;
	l.f[LINK_PARTNER_TYPE].s = "branch";
	l.f[LINK_PARTNER_TYPE].len = 6;
	l.f[LINK_PARTNER_CODE].s = code;
	l.f[LINK_PARTNER_CODE].len = strlen(code);
	if (twin_index_add(ix, &l, pid, strlen(pid)) == -1)
		abort();
}

/* A link with every field given; k is the compared key (NULL: the ID). */
static int
add_full(struct twin_index *ix, const char *pid, size_t plen, const char *did,
    size_t dlen, const char *dtype, const char *ptype, const char *code,
    const char *k, size_t klen)
{
	struct link l;

	memset(&l, 0, sizeof(l));
	l.f[LINK_PARTNER_ID].s = pid;
	l.f[LINK_PARTNER_ID].len = plen;
	l.f[LINK_DGIS_ID].s = did;
	l.f[LINK_DGIS_ID].len = dlen;
	l.f[LINK_DGIS_TYPE].s = dtype;
	l.f[LINK_DGIS_TYPE].len = strlen(dtype);
	l.f[LINK_PARTNER_TYPE].s = ptype;
	l.f[LINK_PARTNER_TYPE].len = strlen(ptype);
	l.f[LINK_PARTNER_CODE].s = code;
	l.f[LINK_PARTNER_CODE].len = strlen(code);
	return twin_index_add(ix, &l, k != NULL ? k : pid,
	    k != NULL ? klen : plen);
}

static int
same_str(const struct link_str *s, const char *want, size_t len)
{
	return s->len == len && memcmp(s->s, want, len) == 0;
}

/*
 * IDs of every length class (one-byte lengths up to 254, then the wide
 * form up to 65535), types and codes in many combinations: each link
 * comes back whole, in order, and a repeat of a long one is a duplicate.
 */
static void
test_lengths(void)
{
	static const size_t lens[] = { 1, 17, 254, 255, 256, 1000, 65535 };
	static const char *const dtypes[] = { "building", "branch", "" };
	static const char *const codes[] = { "sber-food", "yandex", "x" };
	const size_t n = sizeof(lens) / sizeof(lens[0]);
	struct twin_index *ix = twin_index_new(LINK_PARTNER_ID);
	char *pid = malloc(65536), *did = malloc(65536), *key = malloc(65536);
	struct twin_index_iter it = { 0, 0 };
	struct tlink *t;
	struct link l;
	size_t i, j, bad = 0, seen = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			memset(pid, 'a' + (int)i, lens[i]);
			pid[0] = (char)('0' + (int)j);	/* one key per pair */
			memset(did, 'A' + (int)j, lens[j]);
			if (add_full(ix, pid, lens[i], did, lens[j],
			    dtypes[(i + j) % 3], dtypes[j % 3], codes[i % 3],
			    NULL, 0) == -1)
				bad++;
		}
	/* A normalized key of 300 bytes beside a 2-byte ID. */
	memset(key, 'k', 300);
	if (add_full(ix, "07", 2, "D", 1, "building", "branch", "x", key,
	    300) == -1)
		bad++;
	/* The pair of two 65535/1-byte IDs again, and with another code. */
	memset(pid, 'a' + (int)(n - 1), 65535);
	pid[0] = '0';
	memset(did, 'A', 1);
	add_full(ix, pid, 65535, did, 1, dtypes[0], dtypes[0], codes[0], NULL,
	    0);
	add_full(ix, pid, 65535, did, 1, dtypes[0], dtypes[0], codes[1], NULL,
	    0);
	ok(bad == 0, "lengths: IDs of 1 to 65535 bytes are added");
	ok(add_full(ix, pid, 65535, did, 65536 - 1, "", "", "", NULL, 0) == 0 &&
	    add_full(ix, pid, 65535, did, 65536, "", "", "", NULL, 0) == -1,
	    "lengths: 65535 bytes is the limit of an ID");
	twin_index_seal(ix);
	bad = 0;
	while ((t = twin_index_next(ix, &it)) != NULL) {
		tlink_get(ix, t, &l);
		if (seen < n * n) {
			i = seen / n;
			j = seen % n;
			memset(pid, 'a' + (int)i, lens[i]);
			pid[0] = (char)('0' + (int)j);
			memset(did, 'A' + (int)j, lens[j]);
			if (!same_str(&l.f[LINK_PARTNER_ID], pid, lens[i]) ||
			    !same_str(&l.f[LINK_DGIS_ID], did, lens[j]) ||
			    !same_str(&l.f[LINK_DGIS_TYPE], dtypes[(i + j) % 3],
			    strlen(dtypes[(i + j) % 3])) ||
			    !same_str(&l.f[LINK_PARTNER_TYPE], dtypes[j % 3],
			    strlen(dtypes[j % 3])) ||
			    !same_str(&l.f[LINK_PARTNER_CODE], codes[i % 3],
			    strlen(codes[i % 3])))
				bad++;
		}
		seen++;
	}
	is_int(bad, 0, "lengths: every link comes back whole, in load order");
	/* 49 pairs, the normalized one, the other code, the 65535 pair. */
	is_int(seen, n * n + 3, "lengths: the repeat of a long link is dropped");
	is_int(twin_index_dups(ix), 1, "lengths: and counted as a duplicate");
	memset(key, 'k', 300);
	t = twin_index_find_hash(ix, key, 300, twin_index_hash(key, 300));
	ok(t != NULL && (tlink_get(ix, t, &l), same_str(&l.f[LINK_PARTNER_ID],
	    "07", 2)), "lengths: a 300-byte normalized key finds its link");
	memset(pid, 'a' + (int)(n - 1), 65535);
	pid[0] = '0';
	t = twin_index_find_hash(ix, pid, 65535, twin_index_hash(pid, 65535));
	is_int(t != NULL ? tlink_count(ix, t) : 0, 3,
	    "lengths: a 65535-byte key has its three links");
	twin_index_free(ix);
	free(pid);
	free(did);
	free(key);
}

/*
 * Types are interned by their length and two words (up to 16 bytes): at
 * every length from 0 to 24, types that differ in one byte, at each place,
 * stay apart, and each link comes back with its own.
 */
static void
test_types(void)
{
	struct twin_index *ix = twin_index_new(LINK_PARTNER_ID);
	struct twin_index_iter it = { 0, 0 };
	char types[25 + 24 * 25 / 2][25], pid[24];
	struct tlink *t;
	struct link l;
	size_t n = 0, len, at, bad = 0, k = 0;

	for (len = 0; len <= 24; len++) {
		memset(types[n], 'a', len);
		types[n++][len] = '\0';
		for (at = 0; at < len; at++) {	/* one 'b' among the 'a's */
			memcpy(types[n], types[n - 1 - at], len + 1);
			types[n++][at] = 'b';
		}
	}
	for (k = 0; k < n; k++) {
		snprintf(pid, sizeof(pid), "p%zu", k);
		/* The code the type of another link: interning is shared. */
		if (add_full(ix, pid, strlen(pid), "1", 1, types[k],
		    types[n - 1 - k], types[k], NULL, 0) == -1)
			bad++;
	}
	twin_index_seal(ix);
	k = 0;
	while ((t = twin_index_next(ix, &it)) != NULL) {
		tlink_get(ix, t, &l);
		if (k >= n || !same_str(&l.f[LINK_DGIS_TYPE], types[k],
		    strlen(types[k])) || !same_str(&l.f[LINK_PARTNER_TYPE],
		    types[n - 1 - k], strlen(types[n - 1 - k])) ||
		    !same_str(&l.f[LINK_PARTNER_CODE], types[k],
		    strlen(types[k])))
			bad++;
		k++;
	}
	is_int(k, n, "types: every link is kept (%zu types)", n);
	is_int(bad, 0, "types: each link has its own types, byte for byte");
	twin_index_free(ix);
}

static struct tlink *
find(struct twin_index *ix, const char *k)
{
	return twin_index_find_hash(ix, k, strlen(k),
	    twin_index_hash(k, strlen(k)));
}

/* The dgis_ids of k's chain, ";"-joined, or "-" when k is absent. */
static const char *
chain(struct twin_index *ix, const char *k)
{
	static char buf[256];
	struct tlink *t = find(ix, k);
	struct link l;
	size_t n = 0;

	if (t == NULL)
		return "-";
	buf[0] = '\0';
	for (; t != NULL; t = tlink_next(ix, t)) {
		tlink_get(ix, t, &l);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%.*s",
		    n ? ";" : "", (int)l.f[LINK_DGIS_ID].len,
		    l.f[LINK_DGIS_ID].s);
	}
	return buf;
}

/* A partner_id of length 1 + i % 40, so links land at every alignment. */
static void
pid_of(size_t i, char *buf, size_t size)
{
	int pad = (int)(i % 40);

	snprintf(buf, size, "%0*zu", pad + 1, i);
	if (strlen(buf) > (size_t)pad + 1)	/* wider than the pad */
		snprintf(buf, size, "%zu", i);
}

static void
many(struct twin_index *ix, size_t n, const char *what)
{
	char pid[64], did[32], want[128];
	size_t i, bad = 0;
	struct twin_index_iter it = { 0, 0 };
	struct tlink *t;
	struct link l;

	for (i = 0; i < n; i++) {
		pid_of(i, pid, sizeof(pid));
		snprintf(did, sizeof(did), "7000000%010zu", i);
		add(ix, pid, did, "sber-food");
		if (i % 3 == 0) {	/* a second twin for every third */
			snprintf(did, sizeof(did), "7100000%010zu", i);
			add(ix, pid, did, "sber-food");
		}
		if (i % 7 == 0)		/* the same link again: dropped */
			add(ix, pid, did, "sber-food");
	}
	twin_index_seal(ix);
	for (i = 0; i < n; i++) {
		pid_of(i, pid, sizeof(pid));
		if (i % 3 == 0)
			snprintf(want, sizeof(want), "7000000%010zu;"
			    "7100000%010zu", i, i);
		else
			snprintf(want, sizeof(want), "7000000%010zu", i);
		if (strcmp(chain(ix, pid), want) != 0 && bad++ < 3)
			printf("#   %s: %s has %s, want %s\n", what, pid,
			    chain(ix, pid), want);
	}
	ok(bad == 0, "%s: every key finds its links in load order", what);
	is_int(twin_index_links(ix), n + (n + 2) / 3, "%s: links stored",
	    what);
	is_int(twin_index_dups(ix), (n + 6) / 7, "%s: duplicates dropped",
	    what);
	for (i = bad = 0; i < 1000; i++) {
		snprintf(pid, sizeof(pid), "x%zu", i);
		if (find(ix, pid) != NULL)
			bad++;
	}
	is_int(bad, 0, "%s: 1000 absent keys are not found", what);
	/* Load order, duplicates left out. */
	for (i = bad = 0; (t = twin_index_next(ix, &it)) != NULL; i++) {
		tlink_get(ix, t, &l);
		if (l.f[LINK_PARTNER_CODE].len != 9 ||
		    memcmp(l.f[LINK_PARTNER_CODE].s, "sber-food", 9) != 0)
			bad++;
	}
	is_int(i, n + (n + 2) / 3, "%s: iteration visits every live link",
	    what);
	is_int(bad, 0, "%s: with its interned partner code", what);
}

/*
 * Other IDs the index keeps as numbers (9 to 19 digits, no leading zero)
 * and those it must keep as text: each comes back byte for byte.  A
 * number whose eight bytes spell an 8-byte text ID is not that ID's
 * duplicate; a repeated number is.
 */
static void
test_numeric(void)
{
	static const char *const dids[] = {
		"123456789", "12345678", "70000001000000001",
		"9999999999999999999", "10000000000000000000", "0123456789",
		"12345678a", "1234567890123456:", "123456789/", "100000000",
		"1000000000000000000", "0",
	};
	const size_t n = sizeof(dids) / sizeof(dids[0]);
	/* 0x4847464544434241 as a little-endian word: "ABCDEFGH". */
	const char *spelled = "5208208757389214273";
	struct twin_index *ix = twin_index_new(LINK_PARTNER_ID);
	char want[512], pid[16];
	size_t i, bad = 0, len = 0;
	struct tlink *t;
	struct link l;

	for (i = 0; i < n; i++) {
		snprintf(pid, sizeof(pid), "p%zu", i);
		add(ix, pid, dids[i], "x");
		add(ix, "all", dids[i], "x");
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s",
		    i ? ";" : "", dids[i]);
	}
	add(ix, "all", dids[2], "x");		/* a repeat: dropped */
	add(ix, "spell", "ABCDEFGH", "x");
	add(ix, "spell", spelled, "x");
	twin_index_seal(ix);
	for (i = 0; i < n; i++) {
		snprintf(pid, sizeof(pid), "p%zu", i);
		if (strcmp(chain(ix, pid), dids[i]) != 0 && bad++ < 3)
			printf("#   %s came back as %s\n", dids[i],
			    chain(ix, pid));
	}
	is_int(bad, 0, "numeric and other IDs come back byte for byte");
	is_str(chain(ix, "all"), want, "in one chain, in load order");
	if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
		is_str(chain(ix, "spell"), "ABCDEFGH;5208208757389214273",
		    "a number is not the text its bytes spell");
	is_int(twin_index_dups(ix), 1, "a repeated numeric link is a "
	    "duplicate, the spelled one is not");
	/* The other way round: partner_ids kept as numbers. */
	twin_index_free(ix);
	ix = twin_index_new(LINK_DGIS_ID);
	ok(add_full(ix, "100048271", 9, "70000001000000001", 17, "building",
	    "branch", "x", "70000001000000001", 17) == 0,
	    "a link keyed on its dgis_id");
	twin_index_seal(ix);
	t = twin_index_find_hash(ix, "70000001000000001", 17,
	    twin_index_hash("70000001000000001", 17));
	ok(t != NULL && (tlink_get(ix, t, &l), same_str(
	    &l.f[LINK_PARTNER_ID], "100048271", 9)) && same_str(
	    &l.f[LINK_DGIS_ID], "70000001000000001", 17),
	    "its partner_id, kept as a number, comes back");
	twin_index_free(ix);
}

int
main(void)
{
	struct twin_index *ix;
	struct pair p[4], lp[16];
	struct link l;
	size_t nlong, i;
	struct tlink *t;
	const char *k;
	size_t klen;

	ok(colliding("c", p, 4) == 4, "keys sharing a 32-bit hash exist");
	ok(strcmp(p[0].a, p[0].b) != 0 && twin_index_hash(p[0].a,
	    strlen(p[0].a)) == twin_index_hash(p[0].b, strlen(p[0].b)),
	    "%s and %s hash alike", p[0].a, p[0].b);

	ix = twin_index_new(LINK_PARTNER_ID);
	add(ix, p[0].a, "1", "a");
	add(ix, p[0].b, "2", "a");
	add(ix, p[0].a, "3", "a");
	add(ix, p[0].b, "2", "a");	/* a duplicate of the second */
	add(ix, p[1].a, "4", "a");	/* its twin p[1].b is never added */
	twin_index_seal(ix);
	is_str(chain(ix, p[0].a), "1;3", "a key keeps its own chain");
	is_str(chain(ix, p[0].b), "2", "the key with its hash keeps another");
	is_str(chain(ix, p[1].a), "4", "a key whose hash twin is absent");
	is_str(chain(ix, p[1].b), "-", "that absent twin is not found");
	is_int(twin_index_dups(ix), 1, "the duplicate is dropped, not chained");
	twin_index_free(ix);

	/*
	 * Keys of 9 to 15 bytes are compared as two overlapping words: keys
	 * with one hash that differ only past their first 8 bytes.
	 */
	nlong = colliding("partner-", lp, 16);
	for (i = 0; i < nlong && strlen(lp[i].a) != strlen(lp[i].b); i++)
		;
	ok(i < nlong, "keys of one length past 8 bytes hash alike");
	if (i == nlong)		/* the test above failed; go on with some */
		i = 0;
	ix = twin_index_new(LINK_PARTNER_ID);
	add(ix, lp[i].a, "1", "a");
	add(ix, lp[i].b, "2", "a");
	twin_index_seal(ix);
	is_str(chain(ix, lp[i].a), "1", "a long key keeps its own chain");
	is_str(chain(ix, lp[i].b), "2", "and so does its hash twin");
	twin_index_free(ix);

	/* A compared key that differs from the field (normalized IDs). */
	ix = twin_index_new(LINK_PARTNER_ID);
	memset(&l, 0, sizeof(l));
	l.f[LINK_PARTNER_ID].s = "00123";
	l.f[LINK_PARTNER_ID].len = 5;
	l.f[LINK_DGIS_ID].s = "70000001000000001";
	l.f[LINK_DGIS_ID].len = 17;
	ok(twin_index_add(ix, &l, "123", 3) == 0, "a normalized key is added");
	twin_index_seal(ix);
	ok(find(ix, "00123") == NULL, "it is found by the compared key only");
	t = find(ix, "123");
	ok(t != NULL, "by which it is found");
	if (t != NULL) {
		tlink_key(ix, t, &k, &klen);
		ok(klen == 3 && memcmp(k, "123", 3) == 0, "tlink_key gives it");
		tlink_get(ix, t, &l);
		ok(l.f[LINK_PARTNER_ID].len == 5 &&
		    memcmp(l.f[LINK_PARTNER_ID].s, "00123", 5) == 0,
		    "and the link keeps the field as read");
	}
	twin_index_free(ix);

	test_lengths();
	test_types();
	test_numeric();

	/* From 1024 slots, grown many times while links are in flight. */
	ix = twin_index_new(LINK_PARTNER_ID);
	many(ix, 300000, "grown");
	twin_index_free(ix);
	/* Sized up front: the table and blocks made resident by a thread. */
	ix = twin_index_new(LINK_PARTNER_ID);
	twin_index_reserve(ix, 400000);
	many(ix, 300000, "reserved");
	twin_index_free(ix);
	return tap_done();
}

/*
 * secrets.c: masking access keys and credential URL parameters (secrets.h
 * says what is masked how).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/errors.h"
#include "common/jsonapi.h"
#include "common/secrets.h"
#include "common/utf8.h"

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

/* 1 when s[0..len) is all ASCII (then code points are bytes). */
static int
all_ascii(const char *s, size_t len)
{
	unsigned char any = 0;
	size_t i;

	for (i = 0; i < len; i++)
		any |= (unsigned char)s[i];
	return any < 0x80;
}

/*
 * 1 when s[0..len) is a key masked already: up to 3 code points, "…", up
 * to 3 more.  Kept as it is, so that masking twice (a rejects file read
 * back in, a message that quotes a masked link) changes nothing.
 */
static int
masked_already(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i <= 4 * MASK_KEEP && i + 3 <= len; i++)
		if (memcmp(s + i, ELLIPSIS, 3) == 0)
			return utf8_length(s, i) <= MASK_KEEP &&
			    utf8_length(s + i + 3, len - i - 3) <= MASK_KEEP;
	return 0;
}

void
secrets_mask_key(struct strbuf *out, const char *s, size_t len)
{
	size_t n, head, tail;

	if (masked_already(s, len)) {
		strbuf_add(out, s, len);
		return;
	}
	/* Keys are hex or base64 in practice: no code points to count. */
	if (all_ascii(s, len)) {
		if (len == 0)
			return;
		if (len < 3 * MASK_KEEP) {
			strbuf_addstr(out, ELLIPSIS);
			return;
		}
		strbuf_add(out, s, MASK_KEEP);
		strbuf_addstr(out, ELLIPSIS);
		strbuf_add(out, s + len - MASK_KEEP, MASK_KEEP);
		return;
	}
	n = utf8_length(s, len);

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

/*
 * The byte at url[*i], percent-decoded when written %XX (an encoded "_" is
 * still "_" to the server), lower-cased; *i moves past it.  -1 at the end.
 */
static int
url_char(const char *url, size_t len, size_t *i)
{
	static const char hex[] = "0123456789abcdef";
	const char *h, *l;
	int c;

	if (*i >= len)
		return -1;
	c = (unsigned char)url[*i];
	if (c == '%' && *i + 2 < len &&
	    (h = strchr(hex, tolower((unsigned char)url[*i + 1]))) != NULL &&
	    (l = strchr(hex, tolower((unsigned char)url[*i + 2]))) != NULL &&
	    *h != '\0' && *l != '\0') {
		c = (int)((h - hex) * 16 + (l - hex));
		*i += 3;
	} else
		(*i)++;
	return tolower(c);
}

/*
 * Length of a _cpKey= parameter name at url[i], or 0: any case, any of
 * its characters percent-encoded (%5FcpKey=, _cp%4Bey%3D).
 */
static size_t
cpkey_at(const char *url, size_t len, size_t i)
{
	static const char name[] = "_cpkey=";
	size_t j, k = i;

	if (i == 0 || (url[i - 1] != '?' && url[i - 1] != '&' &&
	    url[i - 1] != ';' && url[i - 1] != '#'))
		return 0;
	for (j = 0; name[j] != '\0'; j++)
		if (url_char(url, len, &k) != name[j])
			return 0;
	return k - i;
}

/* The bytes a _cpKey= parameter may follow (cpkey_at()). */
static const unsigned char url_sep[256] = {
	['?'] = 1, ['&'] = 1, [';'] = 1, ['#'] = 1,
};

/*
 * The bytes that end a _cpKey= value: those that end a credential's in
 * jsonapi.c (a link quoted in a message or a Note ends at a space, a
 * quote, a closing parenthesis...), and NUL.
 */
static const unsigned char value_end[256] = {
	['&'] = 1, ['#'] = 1, [';'] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1,
	['\n'] = 1, ['"'] = 1, ['\''] = 1, ['<'] = 1, ['>'] = 1, [')'] = 1,
	[']'] = 1, ['}'] = 1, [','] = 1, ['\0'] = 1,
};

void
secrets_mask_url(struct strbuf *out, const char *url, size_t len,
    const char *access_key, size_t key_len)
{
	size_t i = 0, start = 0, n, end, o0 = out->len;
	char *copy;
	int c, k0;

	if (key_len < 4)
		access_key = NULL;
	k0 = access_key != NULL ? (unsigned char)access_key[0] : 256;
	while (i < len) {
		c = i > 0 ? (unsigned char)url[i - 1] : 0;
		if (url_sep[c] && (n = cpkey_at(url, len, i)) != 0) {
			i += n;
			end = i;
			while (end < len &&
			    !value_end[(unsigned char)url[end]])
				end++;
			strbuf_add(out, url + start, i - start);
			secrets_mask_key(out, url + i, end - i);
			i = start = end;
		} else if (access_key != NULL && url[i] == access_key[0] &&
		    len - i >= key_len &&
		    memcmp(url + i, access_key, key_len) == 0) {
			strbuf_add(out, url + start, i - start);
			secrets_mask_key(out, access_key, key_len);
			i = start = i + key_len;
		} else {
			/* On to a byte after a separator, or the key's 1st. */
			for (i++; i < len; i++)
				if (url_sep[(unsigned char)url[i - 1]] ||
				    (unsigned char)url[i] == k0)
					break;
		}
	}
	strbuf_add(out, url + start, len - start);
	/*
	 * apikey=, token=...: the names every message masks.  Rarely there:
	 * look first, and only then mask a copy of what was appended.
	 */
	if (!jsonapi_has_credentials(out->buf + o0, out->len - o0))
		return;
	n = out->len - o0;
	copy = xmalloc(n + 1);
	memcpy(copy, out->buf + o0, n);
	strbuf_setlen(out, o0);
	jsonapi_mask_credentials(copy, n, out);
	free(copy);
}

int
secrets_has_credentials(const char *s, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (url_sep[(unsigned char)s[i - 1]] && cpkey_at(s, len, i) != 0)
			return 1;
	return jsonapi_has_credentials(s, len);
}

/* ==== masking whole values (rejects files) ==== */

/* A member whose whole value is a secret: AccessKey, _cpKey (any case). */
static int
secret_member(const char *name)
{
	return strcmp(name, "AccessKey") == 0 ||
	    strcasecmp(name, "_cpKey") == 0;
}

int
secrets_access_key(const struct json_value *v, const char **key,
    size_t *key_len)
{
	const struct json_value *attrs, *k = NULL;

	if (v == NULL || v->type != JSON_OBJECT)
		return 0;
	attrs = json_object_get(v, "attributes");
	if (attrs != NULL && attrs->type == JSON_OBJECT)
		k = json_object_get(attrs, "AccessKey");
	if (k == NULL)
		k = json_object_get(v, "AccessKey");
	if (k == NULL || (k->type != JSON_STRING && k->type != JSON_NUMBER))
		return 0;
	*key = k->u.str;
	*key_len = k->len;
	return 1;
}

/* 1 when s[0..len) holds key[0..kl) (kl > 0). */
static int
holds(const char *s, size_t len, const char *key, size_t kl)
{
	const char *p = s, *end = s + len;

	while ((size_t)(end - p) >= kl &&
	    (p = memchr(p, key[0], (size_t)(end - p) - kl + 1)) != NULL) {
		if (memcmp(p, key, kl) == 0)
			return 1;
		p++;
	}
	return 0;
}

/*
 * 1 when v, the value of a member named name (NULL: an array item), is to
 * be masked itself: a secret member's value, a string with a credential
 * parameter or a copy of the key (ks, kl) in it.  Containers are looked
 * into by walk(), not here.
 */
static int
is_secret(const char *name, const struct json_value *v, const char *ks,
    size_t kl)
{
	if (name != NULL && secret_member(name))
		return v->type != JSON_NULL;
	if (v->type != JSON_STRING)
		return 0;
	return secrets_has_credentials(v->u.str, v->len) ||
	    (ks != NULL && holds(v->u.str, v->len, ks, kl));
}

/* Replace *v (is_secret()) by its masked form, a string in a. */
static void
mask_one(struct arena *a, const char *name, struct json_value *v,
    const char *ks, size_t kl, struct strbuf *sb)
{
	strbuf_reset(sb);
	if (name != NULL && secret_member(name)) {
		/* An empty key stays empty; a non-text one is hidden. */
		if (v->type == JSON_STRING || v->type == JSON_NUMBER)
			secrets_mask_key(sb, v->u.str, v->len);
		else
			strbuf_addstr(sb, ELLIPSIS);
	} else
		secrets_mask_url(sb, v->u.str, v->len, ks, kl);
	*v = json_make_string(a, sb->buf, sb->len);
}

/* A container being walked, and its next member or item. */
struct mframe {
	struct json_value	*v;
	size_t			 i;
};

/*
 * Walk v (named name) and everything in it: with apply 0, only say
 * whether anything is to be masked (1); with apply 1, mask it all, each
 * container copied into a before it is changed, so that the value v was a
 * copy of is left alone.  An explicit stack, as json_write_value() has:
 * the reader's depth limit can be raised far beyond the C stack's.
 */
static int
walk(struct arena *a, const char *name, struct json_value *v,
    const char *ks, size_t kl, int apply)
{
	struct mframe local[64], *st = local, *heap = NULL, *f;
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0, alloc = 64, size;
	void *copy;
	int found = 0;

	for (;;) {
		if (is_secret(name, v, ks, kl)) {
			found = 1;
			if (!apply)
				break;
			mask_one(a, name, v, ks, kl, &sb);
		} else if ((v->type == JSON_OBJECT ||
		    v->type == JSON_ARRAY) && v->len > 0) {
			if (apply) {
				size = v->len * (v->type == JSON_OBJECT ?
				    sizeof(*v->u.members) :
				    sizeof(*v->u.items));
				copy = arena_alloc(a, size);
				memcpy(copy, v->type == JSON_OBJECT ?
				    (void *)v->u.members : (void *)v->u.items,
				    size);
				if (v->type == JSON_OBJECT)
					v->u.members = copy;
				else
					v->u.items = copy;
			}
			if (n == alloc) {
				if (heap == NULL) {
					heap = xmalloc(2 * alloc *
					    sizeof(*heap));
					memcpy(heap, local, n * sizeof(*heap));
					alloc *= 2;
				} else
					heap = xgrow(heap, &alloc, n + 1,
					    sizeof(*heap));
				st = heap;
			}
			st[n].v = v;
			st[n].i = 0;
			n++;
		}
		/* The next value, past the containers walked to their end. */
		while (n > 0 && st[n - 1].i == st[n - 1].v->len)
			n--;
		if (n == 0)
			break;
		f = &st[n - 1];
		if (f->v->type == JSON_OBJECT) {
			name = f->v->u.members[f->i].name;
			v = &f->v->u.members[f->i].value;
		} else {
			name = NULL;
			v = &f->v->u.items[f->i];
		}
		f->i++;
	}
	free(heap);
	strbuf_release(&sb);
	return found;
}

/* See secrets.h. */
int
secrets_mask_value(struct arena *a, const char *name, struct json_value *v,
    const char *key, size_t key_len)
{
	if (key_len < 4)
		key = NULL;
	/* A first look costs no copy: most values hold no secret. */
	if (!walk(a, name, v, key, key_len, 0))
		return 0;
	walk(a, name, v, key, key_len, 1);
	return 1;
}

/*
 * jsonapi.c: JSON:API error envelopes, resource identity and page URLs,
 * shared by jsonapi-paginate and spectator-expire.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/errors.h"
#include "common/jsonapi.h"

/* ==== documents and resources ==== */

/* Append ": " between parts, but nothing before the first one. */
static void
add_part(struct strbuf *msg, size_t start, const char *sep,
    const struct json_value *v)
{
	const char *s;
	size_t len;

	if (v == NULL || !json_value_text(v, &s, &len) || len == 0)
		return;
	if (msg->len > start)
		strbuf_addstr(msg, sep);
	strbuf_add(msg, s, len);
}

static int
errors_text(const struct json_value *doc, struct strbuf *msg)
{
	const struct json_value *errs, *e;
	size_t i, start;
	int any = 0;

	if (doc == NULL || doc->type != JSON_OBJECT ||
	    (errs = json_object_get(doc, "errors")) == NULL)
		return 0;
	strbuf_addstr(msg, "jsonapi error: ");
	if (errs->type == JSON_ARRAY) {
		for (i = 0; i < errs->len; i++) {
			e = &errs->u.items[i];
			if (any)
				strbuf_addstr(msg, "; ");
			start = msg->len;
			add_part(msg, start, "", json_object_get(e, "status"));
			add_part(msg, start, " ", json_object_get(e, "code"));
			add_part(msg, start, ": ", json_object_get(e, "title"));
			add_part(msg, start, ": ",
			    json_object_get(e, "detail"));
			if (msg->len == start)
				strbuf_addstr(msg, "(no details)");
			any = 1;
		}
	}
	if (!any)
		strbuf_addstr(msg, "(no details)");
	return 1;
}

/* Masked: an error detail may quote the request URL with its key. */
int
jsonapi_errors(const struct json_value *doc, struct strbuf *msg)
{
	struct strbuf raw = STRBUF_INIT;
	int rc;

	if ((rc = errors_text(doc, &raw)) != 0)
		jsonapi_mask_credentials(raw.buf, raw.len, msg);
	strbuf_release(&raw);
	return rc;
}

int
jsonapi_resource_key(const struct json_value *v, const char **type,
    size_t *type_len, const char **id, size_t *id_len)
{
	const struct json_value *t, *i;

	if (v == NULL || v->type != JSON_OBJECT)
		return 0;
	t = json_object_get(v, "type");
	i = json_object_get(v, "id");
	if (t == NULL || t->type != JSON_STRING || i == NULL ||
	    (i->type != JSON_STRING && i->type != JSON_NUMBER))
		return 0;
	*type = t->u.str;
	*type_len = t->len;
	*id = i->u.str;
	*id_len = i->len;
	return 1;
}

int
jsonapi_key_append(struct strbuf *sb, const struct json_value *v)
{
	const char *t, *id;
	size_t tl, il;

	if (!jsonapi_resource_key(v, &t, &tl, &id, &il))
		return 0;
	strbuf_grow(sb, tl + il + 1);
	strbuf_add(sb, t, tl);
	strbuf_addch(sb, '\0');
	strbuf_add(sb, id, il);
	return 1;
}

const struct json_value *
jsonapi_linkage(const struct json_value *res, const char *name)
{
	const struct json_value *rels, *rel;

	if ((rels = json_object_get(res, "relationships")) == NULL ||
	    (rel = json_object_get(rels, name)) == NULL)
		return NULL;
	return json_object_get(rel, "data");
}

int
jsonapi_link(const struct json_value *links, const char *name,
    const char **url, size_t *len)
{
	const struct json_value *v = json_object_get(links, name);

	if (v == NULL || v->type == JSON_NULL)
		return 0;
	if (v->type == JSON_OBJECT)
		v = json_object_get(v, "href");
	if (v == NULL || v->type != JSON_STRING)
		return -1;
	*url = v->u.str;
	*len = v->len;
	return 1;
}

/* Parse all of s[0..len) as an unsigned decimal; 0 or -1. */
static int
parse_ull(const char *s, size_t len, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (len == 0 || len > 19)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int
jsonapi_meta_total(const struct json_value *doc, unsigned long long *total)
{
	const struct json_value *meta, *t;
	const char *s;
	size_t len;

	if ((meta = json_object_get(doc, "meta")) == NULL)
		return 0;
	if ((t = json_object_get(meta, "found_rows")) == NULL &&
	    (t = json_object_get(meta, "total_count")) == NULL)
		return 0;
	if ((t->type != JSON_NUMBER && t->type != JSON_STRING) ||
	    !json_value_text(t, &s, &len) || parse_ull(s, len, total) == -1)
		return -1;
	return 1;
}

/* ==== page URLs ==== */

/* One query parameter: raw text, and its name decoded for comparison. */
struct qparam {
	const char	*raw;		/* name=value as in the URL */
	size_t		 rawlen;
	char		*name;		/* decoded name (malloc) */
	char		*norm;		/* decoded name=value (malloc) */
	size_t		 normlen;
	size_t		 pos;		/* for a stable sort */
};

struct url_parts {
	const char	*base;		/* scheme://host/path, before '?' */
	size_t		 baselen;
	struct qparam	*p;
	size_t		 n;
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* RFC 3986 unreserved: the same whether escaped or not. */
static int
is_unreserved(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/*
 * Decode %5B, %5D and unreserved characters only: brackets are the one
 * thing clients disagree on escaping in page[...] parameters, unreserved
 * ones mean the same either way (RFC 3986 6.2.2.2), and decoding anything
 * else (%26, %3D) could change what the query means.
 */
static char *
decode_harmless(const char *s, size_t len, size_t *outlen)
{
	char *d = xmalloc(len + 1);
	size_t i, n = 0;
	int hi, lo, c;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			c = hi * 16 + lo;
			if (c == '[' || c == ']' || is_unreserved(c)) {
				d[n++] = (char)c;
				i += 2;
				continue;
			}
			/* Normalize the hex case of every other escape. */
			d[n++] = '%';
			d[n++] = "0123456789ABCDEF"[hi];
			d[n++] = "0123456789ABCDEF"[lo];
			i += 2;
			continue;
		}
		d[n++] = s[i];
	}
	d[n] = '\0';
	*outlen = n;
	return d;
}

static void
url_split(const char *url, size_t len, struct url_parts *u)
{
	const char *q, *end, *amp;
	size_t alloc = 0, nl, i;
	struct qparam *p;

	memset(u, 0, sizeof(*u));
	end = memchr(url, '#', len);
	if (end == NULL)
		end = url + len;
	q = memchr(url, '?', (size_t)(end - url));
	u->base = url;
	u->baselen = (size_t)((q ? q : end) - url);
	if (q == NULL)
		return;
	for (q++; q < end; q = amp + 1) {
		amp = memchr(q, '&', (size_t)(end - q));
		if (amp == NULL)
			amp = end;
		if (amp > q) {
			u->p = xgrow(u->p, &alloc, u->n + 1, sizeof(*u->p));
			p = &u->p[u->n];
			p->raw = q;
			p->rawlen = (size_t)(amp - q);
			p->norm = decode_harmless(q, p->rawlen, &p->normlen);
			for (i = 0; i < p->normlen && p->norm[i] != '='; i++)
				;
			nl = i;
			p->name = xstrndup(p->norm, nl);
			p->pos = u->n++;
		}
		if (amp == end)
			break;
	}
}

static void
url_parts_release(struct url_parts *u)
{
	size_t i;

	for (i = 0; i < u->n; i++) {
		free(u->p[i].name);
		free(u->p[i].norm);
	}
	free(u->p);
}

static int
is_credential(const char *name)
{
	static const char *const creds[] = {
		"apikey", "api_key", "api-key", "key", "token", "access_token",
		"auth_token", NULL
	};
	size_t i;

	for (i = 0; creds[i] != NULL; i++)
		if (strcasecmp(name, creds[i]) == 0)
			return 1;
	return 0;
}

static int
param_cmp(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The length of "scheme://host[:port]" at the start of url, or 0. */
static size_t
authority_end(const char *url, size_t len)
{
	size_t i;

	for (i = 0; i + 2 < len; i++) {
		if (url[i] == ':' && url[i + 1] == '/' && url[i + 2] == '/')
			break;
		if (url[i] == '/' || url[i] == '?' || url[i] == '#')
			return 0;
	}
	if (i + 2 >= len)
		return 0;
	for (i += 3; i < len && url[i] != '/' && url[i] != '?' &&
	    url[i] != '#'; i++)
		;
	return i;
}

/* The normalized form; page[...] parameters left out when listing. */
static void
normalize(const char *url, size_t len, int listing, struct strbuf *out)
{
	struct url_parts u;
	size_t i, lower_to;
	int first = 1;

	url_split(url, len, &u);
	/* Scheme and host are case-insensitive; the path is not. */
	lower_to = authority_end(url, u.baselen);
	i = 0;
	if (lower_to > 8 && strncasecmp(url, "https://", 8) == 0) {
		strbuf_addstr(out, "http://");
		i = 8;
	}
	for (; i < u.baselen; i++)
		strbuf_addch(out, i < lower_to ?
		    tolower((unsigned char)url[i]) : url[i]);
	if (u.n > 1)
		qsort(u.p, u.n, sizeof(*u.p), param_cmp);
	for (i = 0; i < u.n; i++) {
		if (is_credential(u.p[i].name) ||
		    (listing && strncmp(u.p[i].name, "page[", 5) == 0))
			continue;
		strbuf_addch(out, first ? '?' : '&');
		strbuf_add(out, u.p[i].norm, u.p[i].normlen);
		first = 0;
	}
	url_parts_release(&u);
}

void
jsonapi_url_normalize(const char *url, size_t len, struct strbuf *out)
{
	normalize(url, len, 0, out);
}

void
jsonapi_url_listing(const char *url, size_t len, struct strbuf *out)
{
	normalize(url, len, 1, out);
}

/* The length of "scheme:" at the start of s (RFC 3986 3.1), or 0. */
static size_t
scheme_len(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] == ':')
			return i + 1;
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' &&
		    s[i] != '-' && s[i] != '.')
			return 0;
	}
	return 0;
}

void
jsonapi_url_resolve(const char *base, size_t blen, const char *ref,
    size_t rlen, struct strbuf *out)
{
	size_t bs = scheme_len(base, blen), auth, path, i;

	if (scheme_len(ref, rlen) != 0 || bs == 0 || blen < bs + 2 ||
	    base[bs] != '/' || base[bs + 1] != '/') {
		strbuf_add(out, ref, rlen);
		return;
	}
	/* base is scheme "//" authority, path, "?" query, "#" fragment. */
	for (auth = bs + 2; auth < blen && base[auth] != '/' &&
	    base[auth] != '?' && base[auth] != '#'; auth++)
		;
	for (path = auth; path < blen && base[path] != '?' &&
	    base[path] != '#'; path++)
		;
	if (rlen >= 2 && ref[0] == '/' && ref[1] == '/')
		strbuf_add(out, base, bs);
	else if (rlen >= 1 && ref[0] == '/')
		strbuf_add(out, base, auth);
	else if (rlen >= 1 && ref[0] == '?')
		strbuf_add(out, base, path);
	else if (rlen == 0 || ref[0] == '#') {
		for (i = path; i < blen && base[i] != '#'; i++)
			;
		strbuf_add(out, base, i);
	} else {
		/* A relative path replaces the base path's last segment. */
		for (i = path; i > auth && base[i - 1] != '/'; i--)
			;
		strbuf_add(out, base, i);
		if (i == auth)
			strbuf_addch(out, '/');
	}
	strbuf_add(out, ref, rlen);
}

void
jsonapi_url_for_fetch(const char *url, size_t len, struct strbuf *out)
{
	size_t i = authority_end(url, len);

	/* An IPv6 host ("http://[::1]:8080") keeps its brackets. */
	strbuf_add(out, url, i);
	for (; i < len; i++) {
		if (url[i] == '[')
			strbuf_addstr(out, "%5B");
		else if (url[i] == ']')
			strbuf_addstr(out, "%5D");
		else
			strbuf_addch(out, url[i]);
	}
}

static const char *const page_names[] = {
	"page[number]", "page[size]", "page[offset]", "page[limit]"
};

/* The same, as written into URLs (JSON:API 1.1, appendix). */
static const char *const page_names_encoded[] = {
	"page%5Bnumber%5D", "page%5Bsize%5D", "page%5Boffset%5D",
	"page%5Blimit%5D"
};

int
jsonapi_url_page(const char *url, size_t len, struct jsonapi_page *pg)
{
	struct url_parts u;
	unsigned long long v;
	const char *val;
	size_t i, k, nl;
	int rc = 0;

	memset(pg, 0, sizeof(*pg));
	url_split(url, len, &u);
	for (i = 0; i < u.n; i++) {
		for (k = 0; k < 4; k++)
			if (strcmp(u.p[i].name, page_names[k]) == 0)
				break;
		if (k == 4)
			continue;
		nl = strlen(u.p[i].name);
		val = u.p[i].norm + nl + (nl < u.p[i].normlen);
		if (parse_ull(val, u.p[i].normlen - (size_t)(val - u.p[i].norm),
		    &v) == -1) {
			rc = -1;
			continue;
		}
		switch (k) {
		case 0:
			pg->has_number = 1;
			pg->number = v;
			break;
		case 1:
			pg->has_size = 1;
			pg->size = v;
			break;
		case 2:
			pg->has_offset = 1;
			pg->offset = v;
			break;
		default:
			pg->has_limit = 1;
			pg->limit = v;
			break;
		}
	}
	if (pg->has_number || pg->has_size)
		pg->style = JSONAPI_PAGE_NUMBER;
	else if (pg->has_offset || pg->has_limit)
		pg->style = JSONAPI_PAGE_OFFSET;
	url_parts_release(&u);
	return rc;
}

void
jsonapi_url_set_page(const char *url, size_t len,
    const struct jsonapi_page *pg, struct strbuf *out)
{
	struct url_parts u;
	unsigned long long vals[4];
	const char *eq;
	int want[4], done[4] = { 0, 0, 0, 0 };
	size_t i, k;
	int first = 1;

	want[0] = pg->has_number;
	want[1] = pg->has_size;
	want[2] = pg->has_offset;
	want[3] = pg->has_limit;
	vals[0] = pg->number;
	vals[1] = pg->size;
	vals[2] = pg->offset;
	vals[3] = pg->limit;
	url_split(url, len, &u);
	strbuf_add(out, u.base, u.baselen);
	for (i = 0; i < u.n; i++) {
		for (k = 0; k < 4; k++)
			if (strcmp(u.p[i].name, page_names[k]) == 0)
				break;
		strbuf_addch(out, first ? '?' : '&');
		first = 0;
		if (k < 4 && want[k] && !done[k]) {
			/* The name as the URL spells it; a new value. */
			eq = memchr(u.p[i].raw, '=', u.p[i].rawlen);
			strbuf_add(out, u.p[i].raw, eq != NULL ?
			    (size_t)(eq - u.p[i].raw) : u.p[i].rawlen);
			strbuf_addf(out, "=%llu", vals[k]);
			done[k] = 1;
		} else
			strbuf_add(out, u.p[i].raw, u.p[i].rawlen);
	}
	for (k = 0; k < 4; k++) {
		if (!want[k] || done[k])
			continue;
		strbuf_addch(out, first ? '?' : '&');
		first = 0;
		strbuf_addf(out, "%s=%llu", page_names_encoded[k], vals[k]);
	}
	url_parts_release(&u);
}

/* ==== masking credentials ==== */

/*
 * Where a parameter's value ends in a URL or in text around one: a
 * message quotes a link in parentheses, brackets or a list too ("(URL):",
 * "[URL]", "URL, "), and keys are hex or base64, never with these.
 */
static const unsigned char value_ends[256] = {
	['&'] = 1, ['#'] = 1, [';'] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1,
	['\n'] = 1, ['"'] = 1, ['\''] = 1, ['<'] = 1, ['>'] = 1, [')'] = 1,
	[']'] = 1, ['}'] = 1, [','] = 1,
};

static inline int
value_end(int c)
{
	return value_ends[c];
}

/*
 * 1 for the bytes after which a parameter name may start.  NUL counts, as
 * it did when this was strchr("?&;#", c).
 */
static const unsigned char param_start[256] = {
	['?'] = 1, ['&'] = 1, [';'] = 1, ['#'] = 1, ['\0'] = 1,
};

/* is_credential() of the name s[0..n), which has no '%' and no NUL. */
static int
is_credential_n(const char *s, size_t n)
{
	switch (n) {
	case 3:
		return strncasecmp(s, "key", 3) == 0;
	case 5:
		return strncasecmp(s, "token", 5) == 0;
	case 6:
		return strncasecmp(s, "apikey", 6) == 0;
	case 7:
		return strncasecmp(s, "api_key", 7) == 0 ||
		    strncasecmp(s, "api-key", 7) == 0;
	case 10:
		return strncasecmp(s, "auth_token", 10) == 0;
	case 12:
		return strncasecmp(s, "access_token", 12) == 0;
	default:
		return 0;
	}
}

/* Whether the raw parameter name s[0..n) names a credential. */
static int
credential_name(const char *s, size_t n)
{
	char *name;
	size_t nl;
	int cred;

	/* Nothing to decode (the usual case): no copy. */
	if (memchr(s, '%', n) == NULL)
		return memchr(s, '\0', n) == NULL && is_credential_n(s, n);
	name = decode_harmless(s, n, &nl);
	cred = strlen(name) == nl && is_credential(name);
	free(name);
	return cred;
}

/*
 * The next credential parameter in s[*i..len): 1 with its '=' at *eq and
 * its value ending at *end, else 0.  *i moves past what was looked at.
 */
static int
next_credential(const char *s, size_t len, size_t *i, size_t *eq,
    size_t *end)
{
	size_t j = *i, e;

	for (;;) {
		/* Only after a separator (never at 0): skip to one. */
		if (j == 0)
			j = 1;
		while (j < len && !param_start[(unsigned char)s[j - 1]])
			j++;
		if (j >= len)
			break;
		for (e = j; e < len && e - j < 64 && s[e] != '=' &&
		    !value_end((unsigned char)s[e]); e++)
			;
		if (e == len || s[e] != '=') {
			j++;
			continue;
		}
		if (!credential_name(s + j, e - j)) {
			j = e + 1;
			continue;
		}
		*eq = e;
		for (e++; e < len && !value_end((unsigned char)s[e]); e++)
			;
		*end = *i = e;
		return 1;
	}
	*i = j;
	return 0;
}

/* A byte that ends a URL's authority (user:password@host:port). */
static int
authority_stop(unsigned char c)
{
	return c == '/' || c == '?' || c == '#' || c <= ' ' || c == '"' ||
	    c == '\'' || c == '<' || c == '>' || c == '\\' || c == 0x7f;
}

/*
 * The next URL password in s[*i..len) ("scheme://user:PASSWORD@host"): 1
 * with it at s[*from..*to), else 0.  *i moves past what was looked at.
 */
static int
next_password(const char *s, size_t len, size_t *i, size_t *from,
    size_t *to)
{
	size_t j, k, colon;

	for (j = *i; j + 3 <= len; j++) {
		if (s[j] != ':' || s[j + 1] != '/' || s[j + 2] != '/')
			continue;
		j += 3;
		colon = 0;
		for (k = j; k < len && s[k] != '@' &&
		    !authority_stop((unsigned char)s[k]); k++)
			if (s[k] == ':' && colon == 0)
				colon = k;
		if (k < len && s[k] == '@' && colon != 0 && k > colon + 1) {
			*from = colon + 1;
			*to = *i = k;
			return 1;
		}
	}
	*i = len;
	return 0;
}

int
jsonapi_has_credentials(const char *s, size_t len)
{
	size_t i = 0, eq, end;

	if (next_credential(s, len, &i, &eq, &end))
		return 1;
	i = 0;
	return next_password(s, len, &i, &eq, &end);
}

void
jsonapi_mask_credentials(const char *s, size_t len, struct strbuf *out)
{
	struct strbuf pw = STRBUF_INIT;
	size_t i = 0, start = 0, eq, end;

	/* Passwords first, into pw; then the parameters of that. */
	if (next_password(s, len, &i, &eq, &end)) {
		do {
			strbuf_add(&pw, s + start, eq - start);
			strbuf_addstr(&pw, "\xe2\x80\xa6");	/* U+2026 */
			start = end;
		} while (next_password(s, len, &i, &eq, &end));
		strbuf_add(&pw, s + start, len - start);
		s = pw.buf;
		len = pw.len;
		start = 0;
	}
	i = 0;

	while (next_credential(s, len, &i, &eq, &end)) {
		strbuf_add(out, s + start, eq + 1 - start);
		if (end > eq + 1)
			strbuf_addstr(out, "\xe2\x80\xa6");	/* U+2026 */
		start = end;
	}
	strbuf_add(out, s + start, len - start);
	strbuf_release(&pw);
}

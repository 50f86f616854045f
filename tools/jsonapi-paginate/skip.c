/*
 * skip.c: listings paged by skip/limit, with no links: the HomeStretch
 * places listing, GET .../places?skip=N&limit=M (limit <= 150, default
 * 25) answering {"result":[...],"total":N}.  Their shape and page URLs.
 */
#include <string.h>

#include "jp.h"

int
jp_skip_shape(const struct json_value *env)
{
	const struct json_value *r = json_object_get(env, "result");

	return r != NULL && r->type == JSON_ARRAY &&
	    json_object_get(env, "data") == NULL &&
	    json_object_get(env, "total") != NULL;
}

const char *
jp_resource_opt(const struct jp_opts *o)
{
	if (o->type != NULL)
		return "--type";
	if (o->nfields != 0)
		return "--fields";
	if (o->flatten)
		return "--flatten";
	if (o->resolve)
		return "--resolve";
	return NULL;
}

/* Is p[0..n) the parameter name (before any '=')? */
static int
param_is(const char *p, size_t n, const char *name)
{
	size_t k = strlen(name);

	return n >= k && memcmp(p, name, k) == 0 && (n == k || p[k] == '=');
}

void
jp_skip_url(const char *url, unsigned long long skip,
    unsigned long long limit, struct strbuf *out)
{
	const char *end = url + strlen(url), *q, *p, *amp;
	int done_skip = 0, done_limit = 0;
	char sep = '?';

	/* A fragment is never sent; parameters after it would not be. */
	if ((p = strchr(url, '#')) != NULL)
		end = p;
	q = memchr(url, '?', (size_t)(end - url));
	strbuf_add(out, url, (size_t)((q != NULL ? q : end) - url));
	for (p = q != NULL ? q + 1 : end; p < end; p = amp + 1) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (param_is(p, (size_t)(amp - p), "skip")) {
			if (!done_skip++)
				strbuf_addf(out, "%cskip=%llu", sep, skip);
		} else if (param_is(p, (size_t)(amp - p), "limit")) {
			if (!done_limit++)
				strbuf_addf(out, "%climit=%llu", sep, limit);
		} else if (amp > p) {
			strbuf_addch(out, sep);
			strbuf_add(out, p, (size_t)(amp - p));
		} else
			continue;
		sep = '&';
		if (amp == end)
			break;
	}
	if (!done_skip) {
		strbuf_addf(out, "%cskip=%llu", sep, skip);
		sep = '&';
	}
	if (!done_limit)
		strbuf_addf(out, "%climit=%llu", sep, limit);
}

/*
 * listing.c: the completeness checks of a paged listing (totals that
 * agree, items that add up to them, no id twice) and API error bodies.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/jsonapi.h"
#include "common/listing.h"

#define LINE_BITS	40
#define LINE_MASK	(((size_t)1 << LINE_BITS) - 1)

void
listing_init(struct listing *l, const char *noun)
{
	memset(l, 0, sizeof(*l));
	l->noun = noun;
	strbuf_init(&l->err, 0);
}

void
listing_release(struct listing *l)
{
	size_t i;

	for (i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->files);
	strmap_release(&l->ids);
	strbuf_release(&l->err);
	memset(l, 0, sizeof(*l));
}

/* The index of file in l->files; pages come file by file, so the last. */
static size_t
file_index(struct listing *l, const char *file)
{
	if (l->nfiles > 0 && strcmp(l->files[l->nfiles - 1], file) == 0)
		return l->nfiles - 1;
	l->files = xgrow(l->files, &l->afiles, l->nfiles + 1,
	    sizeof(*l->files));
	l->files[l->nfiles] = xstrdup(file);
	return l->nfiles++;
}

int
listing_page(struct listing *l, const char *file, unsigned long line,
    unsigned long long total)
{
	size_t f = file_index(l, file);

	l->pages++;
	if (!l->has_total) {
		l->has_total = 1;
		l->total = total;
		l->total_file = f;
		l->total_line = line;
		return 0;
	}
	if (total == l->total)
		return 0;
	strbuf_reset(&l->err);
	strbuf_addf(&l->err, "total is %llu but %s:%lu said %llu: the "
	    "listing changed while its pages were downloaded (download them "
	    "again)", total, l->files[l->total_file], l->total_line,
	    l->total);
	return -1;
}

int
listing_item(struct listing *l, const char *file, unsigned long line,
    const char *id, size_t len)
{
	struct strmap_slot *slot;
	size_t f = file_index(l, file), first;
	int found;

	slot = strmap_put(&l->ids, id, len, (f << LINE_BITS) |
	    ((size_t)line & LINE_MASK), &found);
	if (!found) {
		l->items++;
		return 0;
	}
	first = slot->val;
	strbuf_reset(&l->err);
	strbuf_addf(&l->err, "%s id %.*s listed twice (first at %s:%zu): "
	    "pages overlap, the listing changed while it was downloaded",
	    l->noun, (int)len, id, l->files[first >> LINE_BITS],
	    first & LINE_MASK);
	return -1;
}

void
listing_add(struct listing *l, unsigned long long n)
{
	l->items += n;
}

int
listing_finish(struct listing *l)
{
	const char *s;

	if (!l->has_total || l->items == l->total)
		return 0;
	s = l->total == 1 ? "" : "s";
	strbuf_reset(&l->err);
	if (l->items < l->total)
		strbuf_addf(&l->err, "the listing is incomplete: %llu of its "
		    "%llu %s%s read in %llu page%s (a page is missing: "
		    "download every page up to the total)", l->items,
		    l->total, l->noun, s, l->pages, l->pages == 1 ? "" : "s");
	else
		strbuf_addf(&l->err, "the listing has %llu %ss but its total "
		    "is %llu", l->items, l->noun, l->total);
	return -1;
}

const char *
listing_error(const struct listing *l)
{
	return l->err.buf;
}

int
listing_total(const struct json_value *v, unsigned long long *total)
{
	const char *s;
	size_t len, i;
	unsigned long long n = 0;

	if (v == NULL)
		return 0;
	if ((v->type != JSON_NUMBER && v->type != JSON_STRING) ||
	    !json_value_text(v, &s, &len) || len == 0 || len > 19)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (unsigned long long)(s[i] - '0');
	}
	*total = n;
	return 1;
}

/* The text of the first of names that v has as a scalar member. */
static int
member_text(const struct json_value *v, const char *const *names,
    const char **s, size_t *len)
{
	const struct json_value *m;

	for (; *names != NULL; names++)
		if ((m = json_object_get(v, *names)) != NULL &&
		    m->type != JSON_OBJECT && m->type != JSON_ARRAY &&
		    json_value_text(m, s, len))
			return 1;
	return 0;
}

static void
answered(struct strbuf *msg, const struct json_value *v)
{
	static const char *const codes[] = { "code", "status", "statusCode",
	    NULL };
	static const char *const texts[] = { "message", "error", "detail",
	    NULL };
	static const char *const types[] = { "type", NULL };
	struct strbuf sb = STRBUF_INIT;
	const struct json_value *err;
	const char *c = NULL, *m = NULL, *t = NULL;
	size_t clen = 0, mlen = 0, tlen = 0;

	member_text(v, codes, &c, &clen);
	member_text(v, texts, &m, &mlen);
	/* The 2GIS style: {"code":400,"error":{"type":..,"message":..}}. */
	err = json_object_get(v, "error");
	if (mlen == 0 && err != NULL && err->type == JSON_OBJECT) {
		member_text(err, types, &t, &tlen);
		member_text(err, texts, &m, &mlen);
	}
	strbuf_addstr(&sb, "the API answered");
	if (clen > 0)
		strbuf_addf(&sb, " %.*s", (int)clen, c);
	if (tlen > 0)
		strbuf_addf(&sb, " %.*s%s", (int)tlen, t, mlen > 0 ? ":" : "");
	if (mlen > 0)
		strbuf_addf(&sb, " %.*s", (int)mlen, m);
	if (clen == 0 && mlen == 0 && tlen == 0)
		strbuf_addstr(&sb, " an error (no code or message)");
	strbuf_add(msg, sb.buf, sb.len);
	strbuf_release(&sb);
}

static int
api_error_text(const struct json_value *doc, struct strbuf *msg)
{
	const struct json_value *meta, *code, *err;
	const char *s;
	size_t len;

	if (doc == NULL || doc->type != JSON_OBJECT)
		return 0;
	if (jsonapi_errors(doc, msg))
		return 1;
	meta = json_object_get(doc, "meta");
	if (meta != NULL && meta->type == JSON_OBJECT &&
	    (code = json_object_get(meta, "code")) != NULL) {
		if (json_value_text(code, &s, &len) && len == 3 &&
		    memcmp(s, "200", 3) == 0)
			return 0;
		answered(msg, meta);
		return 1;
	}
	if (json_object_get(doc, "result") != NULL)
		return 0;
	err = json_object_get(doc, "error");
	if (err != NULL && err->type == JSON_OBJECT) {
		answered(msg, err);
		return 1;
	}
	if (json_object_get(doc, "message") != NULL || err != NULL) {
		answered(msg, doc);
		return 1;
	}
	return 0;
}

/*
 * Masked: error bodies quote the request URL, key and all ("invalid
 * request https://.../twins?key=..."), and the message goes to cron mail.
 */
int
listing_api_error(const struct json_value *doc, struct strbuf *msg)
{
	struct strbuf raw = STRBUF_INIT;
	int rc;

	if ((rc = api_error_text(doc, &raw)) != 0)
		jsonapi_mask_credentials(raw.buf, raw.len, msg);
	strbuf_release(&raw);
	return rc;
}

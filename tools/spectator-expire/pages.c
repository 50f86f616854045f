/*
 * pages.c: JSON:API pages read directly must be whole listings: every
 * links.next was read, and the keys add up to the pages' meta total.  A
 * monitor must never say OK about keys on a page nobody downloaded.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/jsonapi.h"
#include "tools/spectator-expire/spectator.h"

/*
 * The listing of a page: one per listing URL (page parameters dropped)
 * and snapshot: a page read again (its self seen before) starts a new
 * download of that listing, a later dump whose keys win.
 */
static struct listing *
listing_of(struct pages *pc, const char *self, size_t len, int again)
{
	struct strbuf key = STRBUF_INIT;
	struct strmap_slot *slot;
	size_t snap;
	int found;

	if (self != NULL)
		jsonapi_url_listing(self, len, &key);
	slot = strmap_put(&pc->snaps, key.buf != NULL ? key.buf : "",
	    key.len, 0, &found);
	if (again)
		slot->val++;
	snap = slot->val;
	strbuf_addf(&key, "#%zu", snap);
	slot = strmap_put(&pc->keys, key.buf, key.len, pc->n, &found);
	strbuf_release(&key);
	if (!found) {
		pc->ls = xgrow(pc->ls, &pc->als, pc->n + 1, sizeof(*pc->ls));
		listing_init(&pc->ls[pc->n++], "key");
	}
	return &pc->ls[slot->val];
}

void
pages_doc(struct pages *pc, const struct json_value *env, const char *file,
    unsigned long line, unsigned long long items)
{
	const struct json_value *links = json_object_get(env, "links");
	struct strbuf sb = STRBUF_INIT, res = STRBUF_INIT;
	struct listing *l;
	struct page_next *pn;
	unsigned long long total;
	const char *self, *next;
	size_t slen = 0, nlen = 0;
	int rc, found;

	/*
	 * A next that is no link is malformed, not the last page: a monitor
	 * taking it for the end would say OK about a listing cut short.
	 */
	if ((rc = jsonapi_link(links, "self", &self, &slen)) == -1)
		data_error(file, line, JSONAPI_LINK_BAD, "self");
	if (rc == 0)
		self = NULL;
	if ((rc = jsonapi_link(links, "next", &next, &nlen)) == -1)
		data_error(file, line, JSONAPI_LINK_BAD, "next");
	if (rc == 0)
		next = NULL;
	/* A relative next (a URI-reference) names a page of self's host. */
	if (next != NULL && self != NULL) {
		jsonapi_url_resolve(self, slen, next, nlen, &res);
		next = res.buf;
		nlen = res.len;
	}
	if (self != NULL)
		jsonapi_url_normalize(self, slen, &sb);
	l = listing_of(pc, self, slen, self != NULL &&
	    strmap_get(&pc->selfs, sb.buf, sb.len) != NULL);
	if ((rc = jsonapi_meta_total(env, &total)) == -1)
		data_error(file, line, "meta total is not a count");
	if (rc == 1 && listing_page(l, file, line, total) == -1)
		data_error(file, line, "%s", listing_error(l));
	if (rc == 0)
		l->pages++;
	listing_add(l, items);
	if (self != NULL)
		strmap_put(&pc->selfs, sb.buf, sb.len, 0, &found);
	if (next != NULL) {
		pc->next = xgrow(pc->next, &pc->anext, pc->nnext + 1,
		    sizeof(*pc->next));
		pn = &pc->next[pc->nnext++];
		strbuf_reset(&sb);
		jsonapi_url_normalize(next, nlen, &sb);
		pn->norm = strbuf_detach(&sb, NULL);
		strbuf_init(&sb, 0);
		jsonapi_mask_credentials(next, nlen, &sb);
		pn->shown = strbuf_detach(&sb, NULL);
		pn->file = xstrdup(file);
		pn->line = line;
	}
	strbuf_release(&sb);
	strbuf_release(&res);
}

int
pages_finish(struct pages *pc, int allow_partial)
{
	const struct page_next *pn;
	struct listing *l;
	size_t i;
	int bad = 0;

	for (i = 0; i < pc->nnext; i++) {
		pn = &pc->next[i];
		if (strmap_get(&pc->selfs, pn->norm, strlen(pn->norm)) != NULL)
			continue;
		if (!allow_partial)
			data_error(pn->file, pn->line, "links.next %s was not "
			    "read: a page is missing; --allow-partial reports "
			    "what there is", pn->shown);
		data_warn(pn->file, pn->line, "links.next %s was not read: a "
		    "page is missing; --allow-partial reports what there is",
		    pn->shown);
		bad = 1;
	}
	for (i = 0; i < pc->n; i++) {
		l = &pc->ls[i];
		if (listing_finish(l) == 0)
			continue;
		if (!allow_partial)
			die("%s: %s; --allow-partial reports what there is",
			    l->files[l->total_file], listing_error(l));
		warnx("%s: %s; --allow-partial reports what there is",
		    l->files[l->total_file], listing_error(l));
		bad = 1;
	}
	return bad ? -1 : 0;
}

int
pages_verified_empty(const struct pages *pc)
{
	size_t i;

	for (i = 0; i < pc->n; i++)
		if (!pc->ls[i].has_total || pc->ls[i].total != 0)
			return 0;
	return pc->n > 0;
}

void
pages_release(struct pages *pc)
{
	size_t i;

	for (i = 0; i < pc->n; i++)
		listing_release(&pc->ls[i]);
	free(pc->ls);
	for (i = 0; i < pc->nnext; i++) {
		free(pc->next[i].norm);
		free(pc->next[i].shown);
		free(pc->next[i].file);
	}
	free(pc->next);
	strmap_release(&pc->keys);
	strmap_release(&pc->snaps);
	strmap_release(&pc->selfs);
}

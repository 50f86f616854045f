/*
 * fuzz_jsonapi.c: libFuzzer target for the JSON:API page reader: documents
 * streamed by "data", their envelopes (errors, meta totals, page links) and
 * resources (keys, linkage), and page URL parsing and normalization.
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/json.h"
#include "common/jsonapi.h"
#include "common/strbuf.h"

static void
url_checks(const char *url, size_t len, struct strbuf *sb)
{
	struct jsonapi_page pg;

	strbuf_reset(sb);
	jsonapi_url_normalize(url, len, sb);
	if (jsonapi_url_page(url, len, &pg) == 0) {
		strbuf_reset(sb);
		jsonapi_url_set_page(url, len, &pg, sb);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_opts o = JSON_OPTS_DEFAULT;
	struct arena a = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct json_value v;
	struct json_reader *r;
	unsigned long long total;
	const char *type, *id;
	size_t tlen, ilen;
	int rc;

	url_checks((const char *)data, size, &sb);
	o.max_depth = 64;
	r = json_reader_new_mem((const char *)data, size, &o);
	while ((rc = json_reader_next_in(r, "data", &a, &v)) > 0) {
		if (rc == JSON_READER_ITEM) {
			(void)jsonapi_resource_key(&v, &type, &tlen, &id,
			    &ilen);
			strbuf_reset(&sb);
			(void)jsonapi_key_append(&sb, &v);
			(void)jsonapi_linkage(&v, "Cars");
		} else {
			const struct json_value *l;

			strbuf_reset(&sb);
			(void)jsonapi_errors(&v, &sb);
			(void)jsonapi_meta_total(&v, &total);
			l = json_value_at(&v, "links.next");
			if (l != NULL && l->type == JSON_STRING)
				url_checks(l->u.str, l->len, &sb);
		}
		arena_reset(&a);
	}
	json_reader_free(r);
	arena_release(&a);
	strbuf_release(&sb);
	return 0;
}

/*
 * partners.c: --partners FILE, a saved "list of partners" response whose
 * codes -p and the links' partner codes are checked against.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/json.h"
#include "common/listing.h"
#include "common/source.h"
#include "tools/twin-join/partners.h"

/* The line of the byte at off in buf (1-based). */
static unsigned long
line_at(const char *buf, size_t off)
{
	unsigned long line = 1;
	const char *p = buf, *end = buf + off;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

void
partners_load(struct partners *p, const char *path)
{
	struct json_opts jo = JSON_OPTS_DEFAULT;
	struct read_error re;
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
	struct arena a = ARENA_INIT;
	struct json_value doc;
	const struct json_value *items, *it, *code;
	size_t i, skip = 0;

	memset(p, 0, sizeof(*p));
	p->from = path;
	if (source_slurp(path, NULL, &sb, &re) == -1)
		read_error_die(&re);
	while (skip < sb.len && strchr(" \t\r\n", sb.buf[skip]) != NULL)
		skip++;
	if (skip == sb.len)
		die("%s: empty file: not a list of partners", path);
	if (json_parse(sb.buf, sb.len, &jo, &a, &doc, &err) == -1)
		die("%s:%s", path, err.buf);
	strbuf_reset(&err);
	if (listing_api_error(&doc, &err))
		data_error(path, line_at(sb.buf, skip), "%s", err.buf);
	items = &doc;
	if (doc.type == JSON_OBJECT) {
		items = json_value_at(&doc, "result.items");
		if (items == NULL)
			items = json_object_get(&doc, "result");
		if (items == NULL)
			items = json_object_get(&doc, "items");
	}
	if (items == NULL || items->type != JSON_ARRAY)
		data_error(path, line_at(sb.buf, skip), "not a list of "
		    "partners (no result.items array)");
	p->codes = xcalloc(items->len + 1, sizeof(*p->codes));
	for (i = 0; i < items->len; i++) {
		it = &items->u.items[i];
		code = it->type == JSON_OBJECT ? json_object_get(it, "code") :
		    it;
		if (code == NULL || code->type != JSON_STRING || code->len == 0)
			data_error(path, line_at(sb.buf, skip), "partner %zu "
			    "of the list has no \"code\"", i + 1);
		p->codes[p->n++] = xstrndup(code->u.str, code->len);
	}
	arena_release(&a);
	strbuf_release(&sb);
	strbuf_release(&err);
}

int
partners_has(const struct partners *p, const char *code, size_t len)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strlen(p->codes[i]) == len &&
		    memcmp(p->codes[i], code, len) == 0)
			return 1;
	return 0;
}

void
partners_release(struct partners *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->codes[i]);
	free(p->codes);
	memset(p, 0, sizeof(*p));
}

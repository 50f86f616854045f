/*
 * jsonapi.c: JSON:API error envelopes, resource identity and page URLs,
 * shared by jsonapi-paginate and spectator-expire.
 */
#include "common/jsonapi.h"

int
jsonapi_errors(const struct json_value *doc, struct strbuf *msg)
{
	(void)doc;
	(void)msg;
	return 0;
}

int
jsonapi_is_document(const struct json_value *v)
{
	(void)v;
	return 0;
}

int
jsonapi_resource_key(const struct json_value *v, const char **type,
    size_t *type_len, const char **id, size_t *id_len)
{
	(void)v;
	(void)type;
	(void)type_len;
	(void)id;
	(void)id_len;
	return 0;
}

int
jsonapi_key_append(struct strbuf *sb, const struct json_value *v)
{
	(void)sb;
	(void)v;
	return 0;
}

const struct json_value *
jsonapi_linkage(const struct json_value *res, const char *name)
{
	(void)res;
	(void)name;
	return NULL;
}

int
jsonapi_meta_total(const struct json_value *doc, unsigned long long *total)
{
	(void)doc;
	(void)total;
	return 0;
}

void
jsonapi_url_normalize(const char *url, size_t len, struct strbuf *out)
{
	strbuf_add(out, url, len);
}

int
jsonapi_url_page(const char *url, size_t len, struct jsonapi_page *pg)
{
	(void)url;
	(void)len;
	memset(pg, 0, sizeof(*pg));
	return 0;
}

void
jsonapi_url_set_page(const char *url, size_t len,
    const struct jsonapi_page *pg, struct strbuf *out)
{
	(void)pg;
	strbuf_add(out, url, len);
}

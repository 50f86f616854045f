/*
 * jsonapi.h: helpers for JSON:API documents (https://jsonapi.org), shared by
 * jsonapi-paginate and spectator-expire: error envelopes, resource identity,
 * relationship linkage, and page URLs (normalizing for comparison, reading
 * and writing page[number]/page[size] and page[offset]/page[limit]).
 *
 * Values are borrowed: nothing here keeps a pointer into a json_value past
 * the call, and strings handed out point into the value given.
 */
#ifndef DUMPKIT_JSONAPI_H
#define DUMPKIT_JSONAPI_H

#include <stddef.h>

#include "common/record.h"
#include "common/strbuf.h"

/*
 * If doc (a JSON:API top-level object) has "errors", write one line
 * "jsonapi error: STATUS CODE: TITLE: DETAIL; ..." (parts present only)
 * into msg (appended; no newline) and return 1; else 0.  An "errors"
 * member that is not a non-empty array still counts as an error document
 * ("jsonapi error: (no details)").
 */
int	jsonapi_errors(const struct json_value *doc, struct strbuf *msg);

/*
 * The (type, id) of a resource object or resource identifier.  The id may
 * be a string or a number (its digits as written).  Returns 1 and sets the
 * borrowed pointers (NUL-terminated), or 0 when v is not an object with a
 * string "type" and a string/number "id" (an unsaved resource has no id).
 */
int	jsonapi_resource_key(const struct json_value *v, const char **type,
	    size_t *type_len, const char **id, size_t *id_len);

/*
 * Append the key "TYPE\0ID" (type, a NUL byte, id) of v to sb, for hash
 * sets keyed by identity.  Returns 1, or 0 (sb unchanged) as above.
 */
int	jsonapi_key_append(struct strbuf *sb, const struct json_value *v);

/*
 * The resource linkage of relationship name in resource res:
 * res.relationships.NAME.data (null, one identifier object, or an array of
 * them), or NULL when that relationship has no "data" member (links only).
 */
const struct json_value *jsonapi_linkage(const struct json_value *res,
	    const char *name);

/*
 * The total resource count a page claims: meta.found_rows or
 * meta.total_count (number or digit string).  Returns 1 with *total set,
 * 0 when absent, -1 when present but not a non-negative integer.
 */
int	jsonapi_meta_total(const struct json_value *doc,
	    unsigned long long *total);

/*
 * The URL of links member name of a links object: a string, or a link
 * object's "href" string (JSON:API 1.0 and 1.1 allow both).  Returns 1
 * with *url (borrowed, NUL-terminated) and *len set; 0 when the member is
 * absent or null (an absent or null "next" means no page after); -1 when
 * it is anything else (a number, an array, an object without a string
 * href), which is malformed, never "no link": the caller reports
 * JSONAPI_LINK_BAD with name.
 */
int	jsonapi_link(const struct json_value *links, const char *name,
	    const char **url, size_t *len);
#define JSONAPI_LINK_BAD	"links.%s is not a link: want null, a URL " \
	"string or an object with a string href"

/* ==== page URLs ==== */

/*
 * A canonical form of url for comparing two page links: the query
 * parameters are percent-decoded where that is harmless (%5B %5D -> [ ],
 * unreserved characters, upper/lower case hex alike), sorted by name
 * (stable: repeated names keep their order), and credentials (apikey,
 * api_key, key, token, access_token; any case) are dropped; the fragment
 * is dropped; a scheme and host are lower-cased, and http and https are
 * taken for one scheme (APIs behind a TLS proxy mix them in their own
 * links).  Written to out (appended).
 */
void	jsonapi_url_normalize(const char *url, size_t len, struct strbuf *out);

/*
 * The listing a page URL belongs to: its normalized form without any
 * page[...] parameter, so that every page of one listing, and its bare
 * URL, give the same text.  Written to out (appended).
 */
void	jsonapi_url_listing(const char *url, size_t len, struct strbuf *out);

/*
 * url as curl and wget fetch it without globbing: "[" and "]" after the
 * host percent-encoded (JSON:API 1.1 asks for it; curl reads raw brackets
 * as a range), everything else, the API's own escapes included, as it
 * is.  Written to out (appended).
 */
void	jsonapi_url_for_fetch(const char *url, size_t len, struct strbuf *out);

/*
 * A link resolved against base, the page's own links.self: JSON:API 1.1
 * links are URI-references, so "/x?page=2" or "?page=2" name a page of
 * base's host (RFC 3986 section 5.2, dot segments left as they are).  A
 * link with a scheme, or a base without "scheme://", is kept as it is.
 * Written to out (appended).
 */
void	jsonapi_url_resolve(const char *base, size_t blen, const char *ref,
	    size_t rlen, struct strbuf *out);

/*
 * s (a URL, or a message with URLs in it) with the value of every
 * credential parameter, the names jsonapi_url_normalize() drops, after
 * '?', '&', ';' or '#' and in any case or harmless %-encoding, replaced by
 * U+2026: "...?apikey=…&page[number]=2".  A value ends at '&', '#', ';',
 * white space, a quote, '<', '>', ')', ']', '}' or ',', so that the text
 * around a quoted link stays.  What a message may show of a link (stderr
 * goes to cron mail).  Appended to out.
 */
void	jsonapi_mask_credentials(const char *s, size_t len, struct strbuf *out);
/* 1 when jsonapi_mask_credentials() would mask something in s. */
int	jsonapi_has_credentials(const char *s, size_t len);

/* The pagination style of a page URL. */
enum jsonapi_page_style {
	JSONAPI_PAGE_NONE = 0,	/* no page[...] parameters */
	JSONAPI_PAGE_NUMBER,	/* page[number] / page[size] */
	JSONAPI_PAGE_OFFSET	/* page[offset] / page[limit] */
};

struct jsonapi_page {
	enum jsonapi_page_style	style;
	int			has_number, has_size, has_offset, has_limit;
	unsigned long long	number;	/* page[number], 1-based */
	unsigned long long	size;	/* page[size] */
	unsigned long long	offset;	/* page[offset], 0-based */
	unsigned long long	limit;	/* page[limit] */
};

/*
 * Read the page parameters of url (percent-encoded brackets too).  Returns
 * 0, or -1 when a page parameter is present but not an unsigned integer.
 * The style is NUMBER if page[number] or page[size] appears, else OFFSET if
 * page[offset] or page[limit] does, else NONE.
 */
int	jsonapi_url_page(const char *url, size_t len, struct jsonapi_page *pg);

/*
 * Append url to out with its page parameters set from pg (the ones pg
 * has_; others of the same style replaced, the rest of the query kept in
 * place; new parameters appended).  A replaced parameter keeps the URL's
 * spelling of its name; a new one is written percent-encoded
 * ("page%5Bnumber%5D"), as JSON:API 1.1 recommends.
 */
void	jsonapi_url_set_page(const char *url, size_t len,
	    const struct jsonapi_page *pg, struct strbuf *out);

#endif

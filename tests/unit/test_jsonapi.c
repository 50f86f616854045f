/* test_jsonapi.c: unit tests for common/jsonapi (errors, keys, page URLs). */
#include <string.h>

#include "common/arena.h"
#include "common/json.h"
#include "common/jsonapi.h"
#include "tap.h"

static struct arena A = ARENA_INIT;

static struct json_value
parse(const char *s)
{
	struct json_opts o = JSON_OPTS_DEFAULT;
	struct strbuf err = STRBUF_INIT;
	struct json_value v;

	v.type = JSON_NULL;
	if (json_parse(s, strlen(s), &o, &A, &v, &err) != 1 &&
	    v.type == JSON_NULL)
		printf("# parse failed: %s\n", err.buf);
	strbuf_release(&err);
	return v;
}

static void
check_errors(const char *doc, int want_rc, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_value v = parse(doc);
	int rc = jsonapi_errors(&v, &sb);

	is_int(rc, want_rc, "errors rc for %s", doc);
	is_str(sb.buf, want, "errors message for %s", doc);
	strbuf_release(&sb);
}

static void
check_norm(const char *url, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	jsonapi_url_normalize(url, strlen(url), &sb);
	is_str(sb.buf, want, "normalize %s", url);
	strbuf_release(&sb);
}

static void
check_set(const char *url, struct jsonapi_page pg, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	jsonapi_url_set_page(url, strlen(url), &pg, &sb);
	is_str(sb.buf, want, "set page on %s", url);
	strbuf_release(&sb);
}

/*
 * s[0..n) masked is want; jsonapi_has_credentials() said so beforehand
 * (it also finds a credential parameter with an empty value).
 */
static void
check_mask_n(const char *s, size_t n, const char *want, size_t wn)
{
	struct strbuf sb = STRBUF_INIT;

	jsonapi_mask_credentials(s, n, &sb);
	ok(sb.len == wn && memcmp(sb.buf, want, wn) == 0, "mask %s", s);
	ok(jsonapi_has_credentials(s, n) || (n == wn &&
	    memcmp(s, want, n) == 0), "has credentials: %s", s);
	strbuf_release(&sb);
}

static void
check_mask(const char *s, const char *want)
{
	check_mask_n(s, strlen(s), want, strlen(want));
}

int
main(void)
{
	struct json_value v;
	const struct json_value *l;
	const char *t, *id;
	size_t tl, il;
	unsigned long long total;
	struct jsonapi_page pg;
	struct strbuf sb = STRBUF_INIT;
	const char *u;

	/* ==== errors ==== */
	check_errors("{\"errors\":[{\"status\":\"404\",\"code\":\"not_found\","
	    "\"title\":\"Not Found\",\"detail\":\"no user 7\"}]}", 1,
	    "jsonapi error: 404 not_found: Not Found: no user 7");
	check_errors("{\"errors\":[{\"status\":\"401\","
	    "\"title\":\"Unauthorized\"},"
	    "{\"code\":\"rate\",\"detail\":\"slow down\"}]}", 1,
	    "jsonapi error: 401: Unauthorized; rate: slow down");
	check_errors("{\"errors\":[{\"detail\":\"only detail\"}]}", 1,
	    "jsonapi error: only detail");
	check_errors("{\"errors\":[{\"status\":422}]}", 1,
	    "jsonapi error: 422");
	check_errors("{\"errors\":[]}", 1, "jsonapi error: (no details)");
	check_errors("{\"errors\":[{}]}", 1, "jsonapi error: (no details)");
	check_errors("{\"data\":[]}", 0, "");
	check_errors("[1]", 0, "");

	/* ==== resources ==== */
	v = parse("{\"type\":\"car\",\"id\":70000001020530434}");
	ok(jsonapi_resource_key(&v, &t, &tl, &id, &il), "numeric id is a key");
	is_str(id, "70000001020530434", "17-digit id keeps every digit");
	is_str(t, "car", "type");
	ok(jsonapi_key_append(&sb, &v), "key_append");
	ok(sb.len == 21 && memcmp(sb.buf, "car\0" "70000001020530434", 21) == 0,
	    "key is TYPE NUL ID");
	strbuf_reset(&sb);
	v = parse("{\"type\":\"car\"}");
	ok(!jsonapi_resource_key(&v, &t, &tl, &id, &il), "no id, no key");
	ok(!jsonapi_key_append(&sb, &v) && sb.len == 0, "no key appended");
	v = parse("{\"type\":\"spectator\",\"id\":\"1\",\"relationships\":"
	    "{\"Cars\":{\"data\":[{\"type\":\"car\",\"id\":\"1\"}]},"
	    "\"user\":{\"links\":{\"related\":\"/u/1\"}}}}");
	l = jsonapi_linkage(&v, "Cars");
	ok(l != NULL && l->type == JSON_ARRAY && l->len == 1,
	    "to-many linkage");
	ok(jsonapi_linkage(&v, "user") == NULL, "links-only relationship");
	ok(jsonapi_linkage(&v, "nope") == NULL, "no such relationship");

	v = parse("{\"meta\":{\"found_rows\":2385,\"count\":100}}");
	is_int(jsonapi_meta_total(&v, &total), 1, "found_rows");
	is_int(total, 2385, "found_rows value");
	v = parse("{\"meta\":{\"total_count\":\"7\"}}");
	is_int(jsonapi_meta_total(&v, &total), 1, "total_count string");
	is_int(total, 7, "total_count value");
	v = parse("{\"meta\":{\"total_count\":-1}}");
	is_int(jsonapi_meta_total(&v, &total), -1, "negative total");
	v = parse("{\"meta\":{}}");
	is_int(jsonapi_meta_total(&v, &total), 0, "no total");

	/* ==== URLs ==== */
	check_norm("https://API.Example.com/v1/cars?page%5Bsize%5D=2&apikey=S3"
	    "&page%5bnumber%5d=3#top",
	    "http://api.example.com/v1/cars?page[number]=3&page[size]=2");
	/* http and https are one scheme (Citypoint's self and first). */
	check_norm("http://api.example.com/v1/cars"
	    "?page[number]=3&page[size]=2",
	    "http://api.example.com/v1/cars?page[number]=3&page[size]=2");
	/* Unreserved characters mean the same escaped or not. */
	check_norm("/a?q=%41%2d%7e%2F", "/a?q=A-~%2F");
	check_norm("/user/1/spectator?Token=x&page[offset]=20&page[limit]=10"
	    "&key=k",
	    "/user/1/spectator?page[limit]=10&page[offset]=20");
	check_norm("/a?b=2&a=%2f&b=1&",
	    "/a?a=%2F&b=2&b=1");
	check_norm("/Path/X", "/Path/X");
	check_norm("", "");
	check_norm("/x?#frag", "/x");
	check_norm("/x?apikey=1", "/x");
	check_norm("HTTP://H.EXAMPLE:8080/A?q=%5b",
	    "http://h.example:8080/A?q=[");

	u = "https://api.example.com/v1/cars?filter=x&page%5Bnumber%5D=3"
	    "&page[size]=25";
	is_int(jsonapi_url_page(u, strlen(u), &pg), 0, "url_page rc");
	is_int(pg.style, JSONAPI_PAGE_NUMBER, "number style");
	ok(pg.has_number && pg.number == 3 && pg.has_size && pg.size == 25 &&
	    !pg.has_offset, "number and size");
	u = "/user/1/spectator?page[offset]=20&page[limit]=10";
	is_int(jsonapi_url_page(u, strlen(u), &pg), 0, "url_page rc offset");
	is_int(pg.style, JSONAPI_PAGE_OFFSET, "offset style");
	ok(pg.offset == 20 && pg.limit == 10, "offset and limit");
	u = "/x?page[number]=abc";
	is_int(jsonapi_url_page(u, strlen(u), &pg), -1, "bad page number");
	u = "/x";
	is_int(jsonapi_url_page(u, strlen(u), &pg), 0, "no params");
	is_int(pg.style, JSONAPI_PAGE_NONE, "no style");

	memset(&pg, 0, sizeof(pg));
	pg.has_number = pg.has_size = 1;
	pg.number = 4;
	pg.size = 25;
	check_set("https://h/v1/cars?filter=x&page%5Bnumber%5D=3", pg,
	    "https://h/v1/cars?filter=x&page%5Bnumber%5D=4&page%5Bsize%5D=25");
	check_set("https://h/v1/cars", pg,
	    "https://h/v1/cars?page%5Bnumber%5D=4&page%5Bsize%5D=25");
	/* A name keeps the URL's own spelling. */
	check_set("https://h/v1/cars?page[number]=3&page%5bsize%5d=9", pg,
	    "https://h/v1/cars?page[number]=4&page%5bsize%5d=25");
	memset(&pg, 0, sizeof(pg));
	pg.has_offset = pg.has_limit = 1;
	pg.offset = 0;
	pg.limit = 10;
	check_set("/user/1/spectator?page[limit]=10&page[offset]=30#f", pg,
	    "/user/1/spectator?page[limit]=10&page[offset]=0");
	/* Keeps credentials and other parameters where they were. */
	check_set("/s?apikey=K&page%5Boffset%5D=30&page[limit]=10", pg,
	    "/s?apikey=K&page%5Boffset%5D=0&page[limit]=10");

	/* ==== links (string or link object), listings, fetchable URLs ==== */
	v = parse("{\"self\":\"/a?page[number]=1\",\"next\":{\"href\":"
	    "\"/a?page[number]=2\",\"meta\":{\"n\":2}},\"prev\":null,"
	    "\"last\":{\"meta\":{}},\"first\":{\"href\":7}}");
	ok(jsonapi_link(&v, "self", &u, &tl) == 1 && tl == 17 &&
	    strcmp(u, "/a?page[number]=1") == 0, "link: a string");
	ok(jsonapi_link(&v, "next", &u, &tl) == 1 &&
	    strcmp(u, "/a?page[number]=2") == 0,
	    "link: a link object's href");
	ok(jsonapi_link(&v, "prev", &u, &tl) == 0, "link: null is no link");
	ok(jsonapi_link(&v, "last", &u, &tl) == -1,
	    "link: object without href is malformed");
	ok(jsonapi_link(&v, "first", &u, &tl) == -1,
	    "link: href not a string is malformed");
	ok(jsonapi_link(&v, "related", &u, &tl) == 0, "link: absent");
	v = parse("{\"n\":5,\"t\":true,\"a\":[]}");
	ok(jsonapi_link(&v, "n", &u, &tl) == -1, "link: a number is malformed");
	ok(jsonapi_link(&v, "t", &u, &tl) == -1, "link: true is malformed");
	ok(jsonapi_link(&v, "a", &u, &tl) == -1, "link: an array is malformed");
	strbuf_reset(&sb);
	u = "HTTPS://h/a?sort=id&page%5Bnumber%5D=1&page[size]=25&token=x";
	jsonapi_url_listing(u, strlen(u), &sb);
	is_str(sb.buf, "http://h/a?sort=id", "listing: page parameters out");
	strbuf_reset(&sb);
	u = "http://[::1]:8080/a[1]?page[number]=2&x=%5b";
	jsonapi_url_for_fetch(u, strlen(u), &sb);
	is_str(sb.buf, "http://[::1]:8080/a%5B1%5D?page%5Bnumber%5D=2&x=%5b",
	    "for_fetch: brackets after the host encoded, escapes kept");
	strbuf_reset(&sb);
	u = "/rel?page[size]=2";
	jsonapi_url_for_fetch(u, strlen(u), &sb);
	is_str(sb.buf, "/rel?page%5Bsize%5D=2", "for_fetch: a relative URL");

	/* Links are URI-references (JSON:API 1.1): resolved against self. */
	{
		static const char *const r[][3] = {
			{ "https://a.example/v1/x?page=1#f", "/v1/x?page=2",
			    "https://a.example/v1/x?page=2" },
			{ "https://a.example/v1/x?page=1", "?page=2",
			    "https://a.example/v1/x?page=2" },
			{ "https://a.example/v1/x?page=1", "y?page=2",
			    "https://a.example/v1/y?page=2" },
			{ "https://a.example", "y", "https://a.example/y" },
			{ "https://a.example/v1/x", "//b.example/z",
			    "https://b.example/z" },
			{ "https://a.example/v1/x?q#f", "#g",
			    "https://a.example/v1/x?q#g" },
			{ "https://a.example/v1/x", "HTTP://c.example/z",
			    "HTTP://c.example/z" },
			{ "/v1/x?page=1", "?page=2", "?page=2" },
			{ "https://a.example:8080/x", "/y", "https://a.example:8080/y" },
		};
		size_t k;

		for (k = 0; k < sizeof(r) / sizeof(r[0]); k++) {
			strbuf_reset(&sb);
			jsonapi_url_resolve(r[k][0], strlen(r[k][0]), r[k][1],
			    strlen(r[k][1]), &sb);
			is_str(sb.buf, r[k][2], "resolve %s against %s",
			    r[k][1], r[k][0]);
		}
	}
	v = parse("[1,2]");
	ok(!jsonapi_resource_key(&v, &t, &tl, &id, &il), "an array has no key");
	ok(jsonapi_linkage(&v, "Cars") == NULL, "an array has no linkage");

	/* ==== credentials masked for messages ==== */
	check_mask("https://a.example/x?apikey=S3CR3T&page[number]=2",
	    "https://a.example/x?apikey=\xe2\x80\xa6&page[number]=2");
	check_mask("https://a.example/x?page[size]=5&API_KEY=s&Token=t#k",
	    "https://a.example/x?page[size]=5&API_KEY=\xe2\x80\xa6&"
	    "Token=\xe2\x80\xa6#k");
	check_mask("/x?%61pikey=s&monkey=m&key=k;access_token=a",
	    "/x?%61pikey=\xe2\x80\xa6&monkey=m&key=\xe2\x80\xa6;"
	    "access_token=\xe2\x80\xa6");
	check_mask("/cb#access_token=abc&state=1",
	    "/cb#access_token=\xe2\x80\xa6&state=1");
	check_mask("GET /x?token=t1 failed, retry /y?apikey=k2\"",
	    "GET /x?token=\xe2\x80\xa6 failed, retry /y?apikey=\xe2\x80\xa6\"");
	check_mask("/x?apikey=&a=1", "/x?apikey=&a=1");
	check_mask("no url, key=value", "no url, key=value");
	check_mask("/x?%6b%45y=v&%41pi-key=w", "/x?%6b%45y=\xe2\x80\xa6&"
	    "%41pi-key=\xe2\x80\xa6");
	check_mask("/x?%6b%00ey=v&ke%zzy=w", "/x?%6b%00ey=v&ke%zzy=w");
	check_mask("/x?tokens=t&_token=u&TOKEN=", "/x?tokens=t&_token=u&TOKEN=");
	/* A NUL byte (a string may hold one) starts a name like '&'. */
	check_mask_n("a\0token=t b", 11, "a\0token=\xe2\x80\xa6 b", 13);
	check_mask_n("/x?to\0ken=t", 11, "/x?to\0ken=t", 11);
	ok(!jsonapi_has_credentials("/x?to\0ken=t&tokens=1#_cpKey=2", 29),
	    "no credential parameter");
	ok(jsonapi_has_credentials("/x?apikey=&a=1", 14),
	    "an empty credential parameter is one");
	/* A URL's password (user:PASSWORD@host), the user name kept. */
	check_mask("https://bob:S3CR3T@a.example/x?page=2",
	    "https://bob:\xe2\x80\xa6@a.example/x?page=2");
	check_mask("missing https://u:p@h/x?key=k and ftp://w:q@g/",
	    "missing https://u:\xe2\x80\xa6@h/x?key=\xe2\x80\xa6 and "
	    "ftp://w:\xe2\x80\xa6@g/");
	check_mask("https://bob@a.example/x", "https://bob@a.example/x");
	check_mask("https://a.example:8080/x?u=a@b", "https://a.example:8080/x?u=a@b");
	check_mask("https://a:@h/ and ://x", "https://a:@h/ and ://x");

	strbuf_release(&sb);
	arena_release(&A);
	return tap_done();
}

/* test_listing.c: common/listing: totals, duplicates, API error bodies. */
#include <string.h>

#include "common/arena.h"
#include "common/json.h"
#include "common/listing.h"
#include "tap.h"

static struct arena A = ARENA_INIT;

static struct json_value
parse(const char *s)
{
	struct json_opts o = JSON_OPTS_DEFAULT;
	struct json_value v;

	v.type = JSON_NULL;
	if (json_parse(s, strlen(s), &o, &A, &v, NULL) == -1)
		printf("# parse failed: %s\n", s);
	return v;
}

static void
check_api(const char *doc, int want_rc, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_value v = parse(doc);

	is_int(listing_api_error(&v, &sb), want_rc, "api error rc: %s", doc);
	is_str(sb.buf, want, "api error message: %s", doc);
	strbuf_release(&sb);
}

static void
check_total(const char *doc, int want_rc, unsigned long long want)
{
	struct json_value v = parse(doc);
	unsigned long long t = 12345;

	is_int(listing_total(&v, &t), want_rc, "total rc: %s", doc);
	if (want_rc == 1)
		is_int(t, want, "total: %s", doc);
}

int
main(void)
{
	struct listing l;

	/* Two pages of one listing, in two files: complete. */
	listing_init(&l, "place");
	is_int(listing_page(&l, "p1.json", 1, 3), 0, "first page sets total");
	is_int(listing_item(&l, "p1.json", 1, "A", 1), 0, "item A");
	is_int(listing_item(&l, "p1.json", 1, "B", 1), 0, "item B");
	is_int(listing_page(&l, "p2.json", 1, 3), 0, "same total agrees");
	is_int(listing_item(&l, "p2.json", 1, "C", 1), 0, "item C");
	is_int(listing_finish(&l), 0, "3 of 3 is complete");
	listing_release(&l);

	/* A page missing. */
	listing_init(&l, "place");
	listing_page(&l, "p1.json", 1, 3);
	listing_item(&l, "p1.json", 1, "A", 1);
	is_int(listing_finish(&l), -1, "1 of 3 is incomplete");
	is_str(listing_error(&l), "the listing is incomplete: 1 of its 3 "
	    "places read in 1 page (a page is missing: download every page "
	    "up to the total)", "incomplete message");
	listing_release(&l);

	/* More than the total. */
	listing_init(&l, "record");
	listing_page(&l, "p1.json", 1, 1);
	listing_item(&l, "p1.json", 1, "A", 1);
	listing_item(&l, "p1.json", 2, "B", 1);
	is_int(listing_finish(&l), -1, "2 of total 1 is an error");
	is_str(listing_error(&l), "the listing has 2 records but its total "
	    "is 1", "too many message");
	listing_release(&l);

	/* Pages that disagree on the total. */
	listing_init(&l, "place");
	listing_page(&l, "p1.json", 4, 3);
	is_int(listing_page(&l, "p2.json", 7, 4), -1, "totals disagree");
	is_str(listing_error(&l), "total is 4 but p1.json:4 said 3: the "
	    "listing changed while its pages were downloaded (download them "
	    "again)", "disagreement names the first page");
	listing_release(&l);

	/* An id on two pages names the first place. */
	listing_init(&l, "place");
	listing_page(&l, "p1.json", 1, 2);
	listing_item(&l, "p1.json", 2, "77", 2);
	is_int(listing_item(&l, "p2.json", 5, "77", 2), -1, "id twice");
	is_str(listing_error(&l), "place id 77 listed twice (first at "
	    "p1.json:2): pages overlap, the listing changed while it was "
	    "downloaded", "duplicate message names the first place");
	listing_release(&l);

	/* Items counted without ids add up the same way. */
	listing_init(&l, "key");
	listing_page(&l, "p1.json", 1, 3);
	listing_add(&l, 2);
	listing_add(&l, 1);
	is_int(listing_finish(&l), 0, "listing_add: 3 of 3");
	listing_release(&l);

	/* No total at all: nothing to check. */
	listing_init(&l, "place");
	listing_item(&l, "x.ndjson", 1, "A", 1);
	is_int(listing_finish(&l), 0, "no total, no check");
	listing_release(&l);

	check_total("3", 1, 3);
	check_total("\"150\"", 1, 150);
	check_total("-1", -1, 0);
	check_total("1.5", -1, 0);
	check_total("null", -1, 0);
	is_int(listing_total(NULL, NULL), 0, "absent total");

	check_api("{\"result\":[],\"total\":0}", 0, "");
	check_api("{\"meta\":{\"code\":200},\"result\":{}}", 0, "");
	check_api("{\"meta\":{\"code\":400,\"message\":\"invalid params\"}}",
	    1, "the API answered 400 invalid params");
	check_api("{\"code\":\"unauthorized\",\"message\":\"bad key\"}", 1,
	    "the API answered unauthorized bad key");
	check_api("{\"status\":500,\"error\":\"Internal Server Error\"}", 1,
	    "the API answered 500 Internal Server Error");
	check_api("{\"error\":{\"code\":404,\"message\":\"no such account\"}}",
	    1, "the API answered 404 no such account");
	check_api("{\"meta\":{\"code\":400,\"error\":{\"type\":"
	    "\"paramIsInvalid\",\"message\":\"Parameter partner_id is "
	    "invalid\"}}}", 1, "the API answered 400 paramIsInvalid: "
	    "Parameter partner_id is invalid");
	check_api("{\"message\":\"\"}", 1,
	    "the API answered an error (no code or message)");
	check_api("{\"errors\":[{\"status\":\"403\",\"title\":\"Forbidden\"}]}",
	    1, "jsonapi error: 403: Forbidden");
	check_api("{\"id\":\"1\",\"title\":\"a place\"}", 0, "");
	check_api("[1]", 0, "");

	arena_release(&A);
	return tap_done();
}

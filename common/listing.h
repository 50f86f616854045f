/*
 * listing.h: is a paged listing complete?  A listing API (the HomeStretch
 * places listing, read with skip/limit) answers page by page, every page
 * carrying the listing's "total".  Read across all its pages (in any
 * number of files), the items must number exactly that total, every page
 * must agree on it, and no id may appear twice; a page that is an API
 * error body is an error, never an empty page.
 *
 * Owner: issue 12 (place-normalize --against); jsonapi-paginate's
 * skip/limit records mode reuses it.  Messages name no file of their own:
 * the caller prefixes the FILE:LINE it passed (data_error()).
 */
#ifndef DUMPKIT_LISTING_H
#define DUMPKIT_LISTING_H

#include <stddef.h>

#include "common/record.h"
#include "common/strbuf.h"
#include "common/strmap.h"

struct listing {
	const char		*noun;		/* "place": for messages */
	struct strmap		 ids;		/* id -> file << 40 | line */
	char			**files;	/* names seen, copied */
	size_t			 nfiles, afiles;
	int			 has_total;
	unsigned long long	 total;		/* what the first page said */
	size_t			 total_file;
	unsigned long		 total_line;
	unsigned long long	 items;		/* ids read */
	unsigned long long	 pages;
	struct strbuf		 err;
};

/*
 * Start checking a listing whose items are called noun (a static string,
 * singular: "place"; messages add an "s").  listing_release() frees it.
 */
void	listing_init(struct listing *l, const char *noun);
void	listing_release(struct listing *l);

/*
 * A page of file (its envelope ending at line) says the listing holds
 * total items.  Returns 0, or -1 when an earlier page said another total
 * (the listing changed while it was downloaded): listing_error() names
 * that page.  file is copied.
 */
int	listing_page(struct listing *l, const char *file, unsigned long line,
	    unsigned long long total);

/*
 * An item with id (len bytes, compared as text) at file:line.  Returns 0,
 * or -1 when the id was read before: listing_error() names the first
 * place ("FILE:LINE").  file is copied.
 */
int	listing_item(struct listing *l, const char *file, unsigned long line,
	    const char *id, size_t len);

/*
 * n items whose ids are checked elsewhere (or may repeat, as a later
 * copy of a key replaces an earlier one): counted toward the total only.
 */
void	listing_add(struct listing *l, unsigned long long n);

/*
 * At the end: 0 when no page gave a total or the items number exactly
 * the total; -1 otherwise (a page missing, or more items than the total).
 */
int	listing_finish(struct listing *l);

/* The last problem, one line without a location. */
const char *listing_error(const struct listing *l);

/*
 * Read a "total" member value: a JSON number or a digit string.  Returns
 * 1 with *total set, 0 when v is NULL, -1 when it is not a count.
 */
int	listing_total(const struct json_value *v, unsigned long long *total);

/*
 * If doc is an API error body rather than data, append "the API answered
 * CODE MESSAGE" (the parts present) to msg and return 1, else 0.
 * Recognized: a Twins envelope whose meta.code is not 200; a JSON:API
 * document with "errors"; a HomeStretch-style body, an object without
 * "result" holding "message" or "error" (code from "code", "status" or
 * "statusCode"; message from "message", "error" or "detail", a nested
 * {"error":{"code":..,"message":..}} too).
 */
int	listing_api_error(const struct json_value *doc, struct strbuf *msg);

#endif

/*
 * jp.h: what the parts of jsonapi-paginate share: its options, and a small
 * insertion-ordered string set used for page URLs, column names and the
 * included resources.
 */
#ifndef JP_H
#define JP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/strmap.h"
#include "common/cli.h"
#include "common/flatten.h"
#include "common/outenc.h"
#include "common/csvio.h"
#include "common/json.h"
#include "common/jsonapi.h"
#include "common/record.h"
#include "common/writer.h"

/* --fields TYPE=a,b */
struct jp_fieldset {
	char	 *type;
	char	**names;
	size_t	  n;
};

struct jp_opts {
	struct common_opts	 c;
	int			 flatten;	/* --flatten */
	int			 resolve;	/* --resolve */
	int			 allow_partial;	/* --allow-partial */
	int			 allow_empty;	/* --allow-empty */
	const char		*type;		/* --type T */
	struct jp_fieldset	*fields;	/* --fields */
	size_t			 nfields;
	/* pack and urls */
	unsigned long long	 size;		/* --size N */
	const char		*base;		/* --base URL */
	enum jsonapi_page_style	 style;		/* --style number|offset */
	int			 skip;		/* --style skip */
	size_t			 spill;		/* --page-buffer */
};

/* ==== strset.c ==== */

/*
 * Strings (any bytes) in insertion order, each with an index and a value:
 * a common/strmap index with an array view (s[] doubles as CSV columns).
 */
struct strset {
	char		**s;		/* keys, in the index's arena */
	size_t		 *len;
	void		**val;
	size_t		  n, alloc;
	struct strmap	  index;	/* key -> its position */
};

#define STRSET_INIT { NULL, NULL, NULL, 0, 0, STRMAP_INIT }

uint64_t jp_hash(const void *p, size_t n);
/* The index of s, or -1. */
long	strset_find(const struct strset *set, const char *s, size_t n);
/* Add s (copied) unless present; returns its index, *isnew set. */
size_t	strset_add(struct strset *set, const char *s, size_t n, int *isnew);
void	strset_release(struct strset *set);

/* A set of 64-bit hashes (of resource keys) for the duplicate check. */
struct hashset {
	uint64_t	*h;
	size_t		 n, mask;
};

#define HASHSET_INIT { NULL, 0, 0 }

/* Make room for need hashes in all (so the table does not move). */
void	hashset_reserve(struct hashset *hs, size_t need);
/* Start loading h's slot into the cache (a page's keys, before adding). */
void	hashset_prefetch(const struct hashset *hs, uint64_t h);
/* Add h; returns 1 when it was new, 0 when already present. */
int	hashset_add(struct hashset *hs, uint64_t h);
void	hashset_release(struct hashset *hs);

/* ==== shape.c: a resource's final form ==== */

struct shaper {
	const struct jp_opts	*o;
	struct strset		 included;	/* key -> struct json_value * */
	struct arena		 inc_arena;	/* the included resources */
	struct arena		 tmp;		/* final forms, until reset */
	struct strbuf		 key;
	unsigned long long	 unresolved;	/* linkage not in included */
};

void	shaper_init(struct shaper *sh, const struct jp_opts *o);
/* Remember a page's included resources (the first copy of a key wins). */
void	shaper_add_included(struct shaper *sh, const struct json_value *env);
/*
 * With --flatten, a field of res that would stand twice in the flat
 * object (an attribute or relationship named id or type, or one name both
 * an attribute and a relationship: JSON:API forbids both), or NULL.
 */
const char *shaper_flatten_clash(const struct json_value *res);
/*
 * res with --fields, --resolve and --flatten applied.  The result borrows
 * from res and from memory that lives until shaper_reset().
 */
struct json_value shaper_apply(struct shaper *sh,
	    const struct json_value *res);
void	shaper_reset(struct shaper *sh);
void	shaper_release(struct shaper *sh);

/* ==== csvrows.c: CSV/TSV output ==== */

struct csvrows {
	struct output		*out;
	struct csv_write_opts	 cw;
	int			 fixed;		/* --columns: rows stream */
	struct writer_opts	 wo;		/* (fixed) for the header */
	int			 header_done;
	struct flattener	 fl;		/* nested values, dotted */
	struct outenc		 enc;		/* --out-encoding */
	struct row_spool	*spool;		/* else rows wait here */
	struct strset		 columns;	/* output order */
	struct strbuf		 rows, cell;
	const struct json_value	**cells;
	size_t			 cells_alloc;
};

/*
 * With wo->columns, write the header now and stream the rows; without,
 * the columns are the union of all field names in first-seen order and
 * rows are spooled to a temporary file in TMPDIR until csvrows_finish().
 */
void	csvrows_init(struct csvrows *cr, struct output *out,
	    struct writer_opts *wo);
/* Add v as a row.  -1 (and *dup) when two of its fields share a name. */
int	csvrows_add(struct csvrows *cr, const struct json_value *v,
	    const char **dup);
/* Write the header and the spooled rows, or the rows still buffered. */
void	csvrows_finish(struct csvrows *cr, struct writer_opts *wo);
/* On a fatal error: let the whole rows out (--columns). */
void	csvrows_abort(struct csvrows *cr);
void	csvrows_release(struct csvrows *cr);

/* ==== skip.c: skip/limit listings ({"result":[...],"total":N}) ==== */

/*
 * The most a skip/limit listing (HomeStretch places) returns a page; it
 * answers a larger limit with this many, and URLs asking for more would
 * step over the rest.
 */
#define JP_SKIP_LIMIT_MAX	150

/* 1 when env is a skip/limit page: "result" an array, "total", no "data". */
int	jp_skip_shape(const struct json_value *env);
/*
 * The first option given that shapes JSON:API resources (--type, --fields,
 * --flatten, --resolve), or NULL.  A skip/limit listing's items are plain
 * objects: such an option is an error there, never silently a no-op.
 */
const char *jp_resource_opt(const struct jp_opts *o);
#define JP_SKIP_RESOURCE_OPT "%s is for JSON:API resources; the items of a " \
	"skip/limit page ({\"result\":[...]}) have no type, attributes or " \
	"relationships"
/*
 * Append url with its skip and limit parameters set: replaced where the
 * URL has them, appended where not; the rest of the query kept in place.
 */
void	jp_skip_url(const char *url, unsigned long long skip,
	    unsigned long long limit, struct strbuf *out);

/* ==== records.c, pack.c ==== */

int	jp_records(struct jp_opts *o, int argc, char **argv);
int	jp_pack(struct jp_opts *o, int argc, char **argv);

/*
 * Is env (a document read to its end, found: it had "data") an API error:
 * a JSON:API errors document, or without data a Twins or HomeStretch
 * error body (common/listing.h)?  1 with the message in msg.
 */
int	jp_api_error(const struct json_value *env, int found,
	    struct strbuf *msg);

/* A source on path with the common options, read as JSON. */
struct source *jp_open(const struct jp_opts *o, const char *path);

#endif

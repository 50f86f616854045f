/*
 * against.h: the existing places of --against, and how a normalized place
 * differs from them (the change set's create/update/unchanged/delete).
 */
#ifndef PLACE_NORMALIZE_AGAINST_H
#define PLACE_NORMALIZE_AGAINST_H

#include <stddef.h>

#include "common/cli.h"
#include "common/record.h"
#include "common/strbuf.h"
#include "tools/place-normalize/normalize.h"

enum pn_op {
	PN_OP_CREATE,
	PN_OP_UPDATE,
	PN_OP_UNCHANGED,
	PN_OP_DELETE,
	PN_NOPS
};

extern const char *const pn_op_names[PN_NOPS];

struct against;

/*
 * Load existing places from files: listing responses ({"result":[...],
 * "total":N}, many per file) or NDJSON places, gzip allowed.  Dies with
 * FILE:LINE on bad input (a place without an id, something that is
 * neither, an API error body, an empty file) and on an incomplete
 * listing (common/listing.h: pages that disagree on the total, fewer
 * places than it, an id twice).  Coordinates are compared at precision
 * decimals.
 */
struct against *against_load(char *const *files, size_t n,
	    const struct common_opts *co, int precision);

/*
 * Classify place (id may be NULL): create when its id is new, else update
 * or unchanged by comparing the fields the row gave (given: bit f for
 * field f, a pn_map's given); their paths are appended to changed as JSON
 * strings separated by ','.  A field not given is left as it is.  Marks
 * the existing place as seen.
 */
enum pn_op against_diff(struct against *ag, unsigned given,
	    const struct json_value *place, const char *id, size_t idlen,
	    struct strbuf *changed);

/*
 * A rejected input row holds id: the existing place of that id is kept
 * out of the deletes (marked seen).  Returns 1 when there is one.
 */
int	against_protect(struct against *ag, const char *id, size_t idlen);

/* Existing places never seen, in the order they were read; NULL at end. */
const struct json_value *against_next_unseen(struct against *ag,
	    size_t *iter, const char **id, size_t *idlen);

void	against_free(struct against *ag);

#endif

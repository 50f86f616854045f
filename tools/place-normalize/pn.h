/*
 * pn.h: what place-normalize.c (options, the streaming loop) and emit.c
 * (places and change set lines out) share.
 */
#ifndef PLACE_NORMALIZE_PN_H
#define PLACE_NORMALIZE_PN_H

#include "common/cli.h"
#include "common/record.h"
#include "common/stats.h"
#include "common/strbuf.h"
#include "tools/place-normalize/against.h"
#include "common/strmap.h"
#include "tools/place-normalize/normalize.h"

struct output;
struct record_writer;
struct rejects;

/* The command line. */
struct opts {
	struct common_opts	 co;
	struct pn_config	 cf;
	struct pn_mapspec	 spec;
	int			 print_map;
	int			 dedupe_last;
	int			 have_max_rejects;
	unsigned long long	 max_rejects;
	int			 envelope;
	char			**against;
	size_t			 nagainst;
	int			 ops[PN_NOPS];
	int			 have_ops;
	int			 allow_empty;	/* --allow-empty */
	int			 delete_despite;	/* --delete-despite-rejects */
};

/* A row kept for --dedupe last until the input ends. */
struct held {
	struct json_value	 place;
	struct json_value	 row;
	const char		*file;
	unsigned long		 line;
	const char		*id;
	size_t			 idlen;
	int			 dead;
	unsigned		 given;	/* its map's given */
};

/* One run: counters, the writers, the id set and what outlives rows. */
struct run {
	const struct opts	*o;
	struct stats		 st;
	struct output		*out;
	struct record_writer	*w;
	struct rejects		*rj;
	int			 in_delim;	/* CSV read with; 0 */
	struct against		*ag;
	struct strmap		 ids;
	struct record		 flat;		/* CSV/TSV output row */
	struct strbuf		 sb;
	struct strbuf		 changed;
	unsigned long long	 nout;		/* --envelope items */
	unsigned long long	 swaps;
	unsigned long long	 nops[PN_NOPS];
	char			**files;	/* names for messages */
	size_t			 nfiles;
	struct held		*held;
	size_t			 nheld, aheld;
	struct arena		 keep;		/* held rows, maps, names */
	struct pn_map		*maps;		/* one per input */
	struct arena		 jnames;	/* a JSON map's names */
	/* The row being written, for a writer error's file:line. */
	const char		*row_file;
	unsigned long		 row_line;
	/* The first rejected row without an id: deletes are unsafe. */
	const char		*noid_file;
	unsigned long		 noid_line;
	unsigned long long	 withheld;	/* deletes not written */
};

/*
 * Start the record writer for --to (CSV/TSV columns: the flattened place,
 * then extra.COLUMN for m's unmapped columns with --keep-extra).
 */
void	emit_start(struct run *r, const struct pn_map *m);
/*
 * Write a place, or with --against its change set line (counted in
 * r->st as written or filtered); given says which fields its row gave
 * (a pn_map's given).
 */
void	emit_place(struct run *r, unsigned given,
	    const struct json_value *place, const char *id, size_t idlen);
/*
 * Write a place from its parts, its value never made: for JSON output
 * without --against (see emit_direct()).
 */
void	emit_parts(struct run *r, const struct pn_place *p);
/* Whether places go out through emit_parts(). */
int	emit_direct(const struct run *r);
/* One change set line; changed is used for updates only. */
void	emit_change(struct run *r, enum pn_op op, const char *id,
	    size_t idlen, const struct json_value *place,
	    const struct strbuf *changed);

#endif

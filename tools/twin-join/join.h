/*
 * join.h: what the parts of twin-join(1) share: the options, the join
 * state, and the steps that the in-memory loop (twin-join.c) and the
 * --sorted merge (merge.c) both drive.
 */
#ifndef TWIN_JOIN_JOIN_H
#define TWIN_JOIN_JOIN_H

#include <stdint.h>

#include "common/arena.h"
#include "common/cli.h"
#include "common/csvio.h"
#include "common/format.h"
#include "common/record.h"
#include "common/stats.h"
#include "common/strbuf.h"
#include "tools/twin-join/links.h"

struct fieldpath;
struct output;
struct record_writer;
struct rejects;
struct source;
struct twin_index;

enum join_kind { KIND_INNER, KIND_LEFT, KIND_UNMATCHED, KIND_ORPHANS,
	KIND_FULL };
enum multi { MULTI_ROWS, MULTI_FIRST, MULTI_LIST, MULTI_ERROR };
enum expect { EXPECT_NONE, EXPECT_ONE_TO_ONE, EXPECT_ONE_TO_MANY,
	EXPECT_MANY_TO_ONE };

#define NORM_TRIM	0x1
#define NORM_LOWER	0x2
#define NORM_ZEROS	0x4

/* The split files, in this order. */
enum { SPLIT_MATCHED, SPLIT_UNMATCHED, SPLIT_ORPHANS, SPLIT_AMBIGUOUS,
	SPLIT_N };

/* Cardinalities of a key: records to twins. */
enum { CARD_1_1, CARD_1_N, CARD_N_1, CARD_N_M, CARD_N };

#define MAX_OFFENDERS	10

struct opts {
	struct common_opts	 common;
	char			**links;	/* -l files */
	size_t			 nlinks, lalloc;
	char			**codes;	/* -p codes */
	size_t			 ncodes, calloc_;
	struct links_opts	 lo;
	int			 by_dgis;
	const char		*key;		/* -k */
	enum join_kind		 kind;
	int			 kind_set;
	enum multi		 multi;
	const char		*split;
	int			 report;
	enum expect		 expect;
	int			 check;		/* --check: no data written */
	int			 monitor;	/* one status line on stdout */
	int			 norm;
	int			 sorted;
	int			 allow_empty;	/* --allow-empty */
	int			 allow_partial;	/* --allow-partial */
	struct partners		 partners;	/* --partners, n 0: none */
};

/*
 * What finds a record's compared key: the -k field (its fieldpath, which
 * may run a jq program and so is never shared between threads), the
 * normalization, and scratch memory.
 */
struct key_finder {
	struct fieldpath	*kp;
	const char		*name;		/* -k as given */
	int			 norm;
	struct arena		 ka;		/* key values from kp */
	struct strbuf		 key;		/* the compared key */
	struct strbuf		 why;		/* why a record has none */
	struct strbuf		 err;
};

/* The added fields and the link fields they come from. */
struct added {
	const char	*name;
	int		 field;
};

struct join {
	struct opts		*o;
	const struct added	*add;
	size_t			 nadd;
	int			 key_field;	/* link field records join on */
	struct key_finder	 kf;
	/* Output, created with the first records input. */
	int			 started;
	enum format		 in_fmt, out_fmt;
	int			 list_as_text;	/* --multi list in CSV/TSV */
	struct output		*out;
	struct record_writer	*w;
	struct output		*sout[SPLIT_N];
	struct record_writer	*sw[SPLIT_N];
	char			**cols;		/* joined CSV columns */
	size_t			 ncols;
	char			**incols;	/* input CSV header */
	size_t			 nincols;
	/* Later named inputs' header names (join_scan_headers()). */
	char			**later_cols;
	size_t			 nlater;
	struct rejects		*rj;
	struct stats		 st;
	/* Counts for --report. */
	unsigned long long	 matched, unmatched, rows, links, orphans;
	unsigned long long	 dups;
	unsigned long long	 card[CARD_N];
	char			*offenders[MAX_OFFENDERS];
	size_t			 noffenders;
	/* Scratch. */
	struct strbuf		 kbuf;		/* the compared key */
	struct strbuf		 tmp;
	int			 in_delim;	/* CSV read with; 0 */
	struct strbuf		 list[3];	/* --multi list cells */
	struct record		 orec;		/* orphan rows */
	struct link		*ls;		/* the current key's twins */
	size_t			 nls, lsalloc;
	/* In-memory mode. */
	struct twin_index	*ix;
	/* The links' own checks (linkcheck.c). */
	unsigned long long	 links_read, file_links, links_wanted;
	unsigned long long	 links_short;	/* responses short of total */
	struct strbuf		 code1;		/* the first partner code */
	char			*code1_file;
	unsigned long		 code1_line;
	int			 have_code1;
	/*
	 * The first rejected record without a readable key, which may be
	 * the record of any link: the orphans are withheld (see
	 * join_withholds()), and counted here instead.
	 */
	char			*keyless_file;
	unsigned long		 keyless_line;
	unsigned long long	 withheld;
};

/*
 * Read the next record of any input, opening them in turn.  An input is
 * closed as it ends: source_next() has emptied the record by then.
 */
struct records {
	char		**paths;
	int		  n, i;
	struct source	 *src;
	unsigned long long read0;	/* records read before src */
};

/*
 * ==== linkcheck.c: what the -l files and the records must hold ====
 * Every link read from lr, before -p picks: counted; without -p and with
 * --by partner, a link of a second partner code is an error (a partner
 * id means nothing without its partner).
 */
void	join_link_read(struct join *j, struct links_reader *lr,
	    const struct link *l);
/* lr is read: no link and no document in it is an error (--allow-empty). */
void	join_links_file_end(struct join *j, struct links_reader *lr);
/* Every -l file is read: no link at all is an error (--allow-empty). */
void	join_links_end(struct join *j);
void	join_links_release(struct join *j);
/*
 * The records input src (path as given), having started after read0
 * records, is read: a named file without a record (zero bytes, a header
 * only) is a failed export, an error unless --allow-empty.
 */
void	join_records_file_end(struct join *j, struct source *src,
	    const char *path, unsigned long long read0);
/* Every records input is read: no record at all is an error (the same). */
void	join_records_end(struct join *j);

/* Set up j for o (which it borrows); free with join_release(). */
void	join_init(struct join *j, struct opts *o);
void	join_release(struct join *j);

/*
 * Open -o FILE (its temporary) or standard output now, before any input
 * is read: a run killed while it waits for input leaves its temporary for
 * the next run to clear, like any other.  (--split files wait for the
 * input's format, which names them.)
 */
void	join_open_output(struct join *j);

/* The compared copy of key s[0..n): s as is, or normalized, into sb. */
void	key_normalize(int norm, const char *s, size_t n, struct strbuf *sb);
/* Byte order, shorter first: the order of LC_ALL=C sort. */
int	key_cmp(const char *a, size_t an, const char *b, size_t bn);

/*
 * A records input was just opened: set up the output with the first one,
 * and check that a CSV header has the key column.
 */
/*
 * Read the headers of the named inputs after the first (paths[1..n)), so
 * that CSV/TSV output has the union of all their columns.  Before the
 * first input is opened.
 */
void	join_scan_headers(struct join *j, char *const *paths, int n);
void	join_source_opened(struct join *j, struct source *src);
/* A record was read: count it (and tick --progress). */
void	join_count_read(struct join *j);
/* rec has no key: reject it with code and why (a reader's finding). */
void	join_reject(struct join *j, struct record *rec, const char *code,
	    const char *why);

/*
 * Compile -k for o (a bad one is a usage error); release.  join_init()
 * sets up the main thread's; a reading thread sets up its own.
 */
void	key_finder_init(struct key_finder *kf, const struct opts *o);
void	key_finder_release(struct key_finder *kf);
/*
 * The compared key of rec into kf->key: 0, or -1 with *code and kf->why
 * saying why there is none (no key field, an empty key, a key that is not
 * a string or a number).
 */
int	key_finder_find(struct key_finder *kf, struct record *rec,
	    const char **code);
/*
 * rec has a reader's problem (bad UTF-8 elsewhere, a ragged row): its
 * compared key into kf->key when it can still be read (the key's field
 * is there, valid UTF-8, not empty), 0; else -1.
 */
int	key_finder_rejected(struct key_finder *kf, struct record *rec);

/*
 * The same with the main thread's finder, into j->kbuf (the why into
 * j->tmp).  join_record_key() rejects rec instead.
 */
int	join_find_key(struct join *j, struct record *rec, const char **code);
int	join_record_key(struct join *j, struct record *rec);
/*
 * rec was rejected: its key into j->kbuf when it can be read, 0 (its
 * links are no orphans: the record exists).  Else -1, after
 * join_keyless().
 */
int	join_rejected_key(struct join *j, struct record *rec);
/*
 * rec was rejected without a readable key, so it may be the record of
 * any link: remember the first such record, whose orphans are withheld;
 * --sorted, which has written orphans already, dies instead.
 */
void	join_keyless(struct join *j, const struct record *rec);
/*
 * 1 when join_orphan() counts the orphans as withheld instead of writing
 * them: they would be written (not in a monitoring mode), and a record
 * without a readable key was rejected.
 */
int	join_withholds(const struct join *j);

/*
 * A record to join: a struct record, or on the CSV path (see
 * join_cells_ok()) a row's cells in column order, with room after the
 * input's nin cells for the added ones.
 */
struct jrow {
	struct record		*rec;		/* NULL: cells */
	struct csv_cell		*cells;
	size_t			 nin;
};

/*
 * The CSV path: 1 when the records of src, which was just opened, can be
 * joined as cells: CSV/TSV in and out, -k a plain column, a header like
 * the first input's, no added field already a column, and no --multi
 * error (which rejects whole records).  *kcol is the key's column.
 */
int	join_cells_ok(struct join *j, struct source *src, size_t *kcol);

/*
 * Whether join_matched() writes a record with its twins (else it only
 * counts them, and j->ls need not hold them: --unmatched, --check).
 */
int	join_writes_twins(const struct join *j);
/*
 * r (key in j->kbuf) has the twins j->ls[0..j->nls): write or filter it
 * as the join kind says.  *flags are the key's (see index.h): its record
 * count, and TLINK_FLAGGED once it is listed as an --expect offender.
 */
void	join_matched(struct join *j, struct jrow *r, uint8_t *flags);
void	join_unmatched(struct join *j, struct jrow *r);
/*
 * Whether join_orphan() writes the link (else it only counts it, and l may
 * be NULL: the other joins).
 */
int	join_writes_orphans(const struct join *j);
/* A link whose key no record had. */
void	join_orphan(struct join *j, const struct link *l);
/*
 * emit.c: set up the output (format, columns, --split files) from the
 * first records input; free a column list.
 */
void	join_start_output(struct join *j, struct source *src);
void	join_free_cols(char **cols, size_t n);

/* ==== report.c ==== */

/* A key's final counts (nrec: 0, 1 or 2 for more), for the cardinalities. */
void	join_count_key(struct join *j, unsigned nrec, size_t nlinks);
/* 1 when a key with nrec records and nlinks twins violates --expect. */
int	join_violates(const struct join *j, unsigned nrec, size_t nlinks);
/* List key k[0..n) as an --expect offender (the first few are kept). */
void	join_add_offender(struct join *j, const char *k, size_t n);

/* 1 when l is of a -p partner (or there is no -p). */
int	join_wanted(const struct opts *o, struct links_reader *lr,
	    const struct link *l);

/*
 * Commit the outputs, print --report and --stats; the exit status.  In a
 * monitoring mode (o->monitor) the named outputs are published and the
 * status line printed: 0 OK, 2 CRITICAL (--expect broken); a check that
 * read no record or no link dies (UNKNOWN).
 */
int	join_finish(struct join *j);

/* ==== the two joins ==== */

/* In memory: the links indexed, the records streamed past (hash.c). */
void	hash_run(struct join *j, struct records *rs);
/* --sorted: both sides merged in constant memory (merge.c). */
void	merge_run(struct join *j, struct records *rs);
/*
 * merge.c: the next record of the inputs into rec (read counted, output
 * set up with the first input).  1, or 0 at the end; a read error is fatal.
 */
int	records_next(struct join *j, struct records *rs, struct record *rec);

#endif

/*
 * spectator.h: the pieces of spectator-expire shared between its files:
 * key statuses, the key table (later duplicates win), masking of access
 * keys, and the --state file.
 */
#ifndef SPECTATOR_H
#define SPECTATOR_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/strmap.h"
#include "common/cli.h"
#include "common/listing.h"
#include "common/output.h"
#include "common/record.h"
#include "common/strbuf.h"
#include "common/stats.h"
#include "common/tparse.h"
#include "common/writer.h"

enum key_status {
	KEY_EXPIRED,		/* ValidTill <= now */
	KEY_EXPIRING,		/* now < ValidTill <= now + within */
	KEY_VALID,		/* ValidTill > now + within */
	KEY_NO_EXPIRY,		/* ValidTill null */
	KEY_INVALID,		/* ValidTill unreadable: rejected */
	KEY_NSTATUS
};

extern const char *const key_status_name[KEY_NSTATUS];

/* "expired" ... -> status, or -1. */
int	key_status_parse(const char *s);

/*
 * What the report prints for a key, for keys that may print: not kept in
 * memory but written to the spool as the key is read (a million keys'
 * details are hundreds of MB), and read back in key order to print.
 */
struct key_detail {
	struct json_value	 till_text;	/* ValidTill as written */
	struct json_value	 note;
	struct json_value	 maplink;	/* masked unless --show-keys */
	struct json_value	 cars;		/* array of id strings */
};

/*
 * A key as duplicate handling, counting and --state need it, and no more:
 * 32 bytes, so that a million keys stay well within 64 MiB.
 */
struct key {
	const char		*id;		/* in the table's arena */
	int64_t			 till_sec;	/* ValidTill (key_till()) */
	int32_t			 till_nsec;
	uint32_t		 id_len;
	uint32_t		 line;		/* where the resource starts */
	unsigned char		 status;	/* enum key_status */
	unsigned char		 dead;		/* superseded by a later one */
	unsigned char		 has_till;	/* till set (not null) */
	unsigned char		 has_detail;	/* its detail is in the spool */
};

static inline struct tstamp
key_till(const struct key *k)
{
	struct tstamp t;

	t.sec = k->till_sec;
	t.nsec = k->till_nsec;
	return t;
}

static inline void
key_set_till(struct key *k, struct tstamp t)
{
	k->till_sec = t.sec;
	k->till_nsec = t.nsec;
	k->has_till = 1;
}

/* A line number for struct key (which keeps 32 bits of it). */
static inline uint32_t
key_line(unsigned long line)
{
	return line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
}

/* ==== key table: id -> key, in input order ==== */

/*
 * The index is open addressing over 8-byte words (32 bits of the id's
 * hash, 32 bits of key number + 1; 0 is empty) pointing at live keys only;
 * ids live in the arena.  About 56 bytes a key in all, where a strmap
 * beside the key array took 120.
 */
struct keytab {
	struct key	*keys;		/* in the order they were added */
	size_t		 nkeys;
	size_t		 alloc;
	uint64_t	*index;
	size_t		 cap;		/* a power of two, or 0 */
	struct arena	 arena;		/* ids */
	char		*idp;		/* where the next id goes */
	size_t		 idleft;
	const char	**reported;	/* --state: when each was reported */
	size_t		 areported;
};

#define KEYTAB_INIT { NULL, 0, 0, NULL, 0, ARENA_INIT, NULL, 0, NULL, 0 }

/*
 * Add a key with this id (copied).  When the id is already present the old
 * key is marked dead and *prev set to it (borrowed; else NULL).  Returns the
 * new key, valid until the next keytab_add().
 */
struct key *keytab_add(struct keytab *t, const char *id, size_t id_len,
	    struct key **prev);
/* The hash keytab_add() files id under. */
uint32_t keytab_hash(const char *id, size_t id_len);
/*
 * Start loading the index slot of hash h: a million keys' index is far
 * bigger than the caches, and a resource has more to check before its
 * keytab_add_hashed().  Only a hint.
 */
void	keytab_prefetch(const struct keytab *t, uint32_t h);
/* keytab_add() with the id's keytab_hash() already known. */
struct key *keytab_add_hashed(struct keytab *t, const char *id,
	    size_t id_len, uint32_t h, struct key **prev);
/* The live key with this id, or NULL. */
struct key *keytab_find(const struct keytab *t, const char *id,
	    size_t id_len);
void	keytab_release(struct keytab *t);

/* ==== the spool: key details on disk, in key order (spool.c) ==== */

struct spool;

/* An unlinked temporary file in $TMPDIR (or /tmp); dies on failure. */
struct spool *spool_open(void);
/* Append d (its values are copied out at once). */
void	spool_put(struct spool *s, const struct key_detail *d);
/* Start reading from the first detail. */
void	spool_rewind(struct spool *s);
/* The next detail into d, valid until the next call; dies at the end. */
void	spool_next(struct spool *s, struct key_detail *d);
void	spool_close(struct spool *s);

/* ==== time arithmetic ==== */

/* t plus secs (>= 0), saturating instead of overflowing. */
struct tstamp tstamp_plus(struct tstamp t, int64_t secs);
/* The JSON number a - b in seconds, exact ("-0.5", "86400"); buf >= 48. */
char	*tstamp_diff_text(struct tstamp a, struct tstamp b, char *buf);

/* ==== --state ==== */

/*
 * The keys reported by an earlier run: the state file is NDJSON, one line
 * {"id":..,"status":..,"ValidTill":..,"reported":..} per key.  A missing
 * file is an empty state.  Dies on unreadable or malformed files.
 * Each key of st gets a detail with only reported set, and line.
 */
void	state_load(struct keytab *st, const char *path);
/*
 * Take the lock of the state file path for the rest of the process: an
 * exclusive flock(2) on "path.lock" (made if missing), waiting for another
 * run to finish, or with nowait dying at once (exit 2) when one holds it.
 * Returns the descriptor that holds the lock (close it after the run's
 * outputs are published, or let the exit drop it).  lock.c.
 */
int	state_lock(const char *path, int nowait);
/* 1 when prev holds k's id with the same status and ValidTill. */
int	state_same(const struct keytab *prev, const struct key *k,
	    const struct key **old);
/*
 * Write the new state to out (opened with output_open() on the state path
 * before the run, so that a path that can't be written stops the run
 * before it reports anything) and commit it: every live key of run whose
 * status bit is set in sel (1 << status), "reported" kept from prev when
 * unchanged, else now_text.  With partial (pages were missing), every key
 * of prev that run did not read is kept as it was: a key not downloaded
 * is not a key gone, and forgetting it would alert on it again.  Dies on
 * write failure, leaving the old file.
 */
void	state_save(struct output *out, const struct keytab *run, unsigned sel,
	    const struct keytab *prev, const char *now_text, int partial);

/* ==== the run: options, state of reading (spectator-expire.c) ==== */

#define BIT(s)		(1u << (s))
#define SEL_DEFAULT	(BIT(KEY_EXPIRED) | BIT(KEY_EXPIRING))
#define SEL_ALL		(BIT(KEY_EXPIRED) | BIT(KEY_EXPIRING) | \
			    BIT(KEY_VALID) | BIT(KEY_NO_EXPIRY))
#define MAX_DUP_WARNINGS 10

/* The options, as parsed. */
struct opts {
	struct common_opts	 co;
	unsigned		 sel;		/* statuses to print */
	int			 sel_given;
	int			 within_given;	/* -w: refused by --warn/--crit */
	int64_t			 within;
	struct tstamp		 now;
	int			 check;
	int			 allow_empty;	/* --allow-empty */
	int			 allow_partial;	/* --allow-partial */
	int			 show_keys;
	int			 summary;
	int			 by_car;
	int			 nagios;	/* --warn or --crit */
	int64_t			 warn, crit;
	const char		*warn_text, *crit_text;
	const char		*state;
	int			 no_wait;	/* --no-wait */
};

/* ==== pages.c: pages read directly must be whole listings ==== */

struct page_next {
	char		*norm, *shown;	/* normalized; masked, for messages */
	char		*file;
	unsigned long	 line;
};

struct pages {
	struct listing	*ls;		/* one per listing URL */
	size_t		 n, als;
	struct strmap	 keys;		/* listing URL#snapshot -> ls index */
	struct strmap	 snaps;		/* listing URL -> its snapshot */
	struct strmap	 selfs;		/* normalized links.self read */
	struct page_next *next;		/* every links.next seen */
	size_t		 nnext, anext;
};

/*
 * A page's envelope env (at file:line) whose data held items resources:
 * its meta total (found_rows or total_count) and links noted.  Dies when
 * the pages of one listing disagree on the total.
 */
void	pages_doc(struct pages *pc, const struct json_value *env,
	    const char *file, unsigned long line, unsigned long long items);
/*
 * At the end: a links.next no page read, or a listing whose keys do not
 * add up to its total, is an error (dies), or with allow_partial a
 * warning and -1.  0 when complete.
 */
int	pages_finish(struct pages *pc, int allow_partial);
/*
 * 1 when pages were read and every listing's own total is 0: "no key" is
 * then what the API said, not a failed download (a check says OK).
 */
int	pages_verified_empty(const struct pages *pc);
void	pages_release(struct pages *pc);

/* One run: the keys read so far and the counters. */
struct run {
	const struct opts	*o;
	struct keytab		 keys;
	struct spool		*spool;		/* details, when kept */
	size_t			*first_key;	/* per input: its first key */
	struct tstamp		 limit;		/* now + within */
	struct stats		 st;
	struct rejects		*rj;
	struct arena		 scratch;	/* masked copies for rejects */
	struct strbuf		 sb;
	char			**names;	/* input names, for messages */
	size_t			 nnames, anames;
	unsigned long long	 ndup;
	unsigned long long	 unchanged;	/* --state: already reported */
	int			 keep_detail;	/* report: keep print fields */
	struct pages		 pages;		/* listing completeness */
};

/* ==== output (report.c) ==== */

extern const char *const report_columns[7];

/* A record writer for the --to format, with fixed columns. */
struct record_writer *writer_for(struct output *out, const struct opts *o,
	    const char *const *columns, size_t ncolumns);
/* The keys of the selected statuses, less those unchanged in prev. */
void	report(struct run *run, struct record_writer *w,
	    const struct keytab *prev);
/* n[status]: live keys of each status; n[KEY_INVALID]: rejected. */
void	count_statuses(const struct run *run, unsigned long long *n);
void	summary(struct run *run, struct record_writer *w);
void	by_car(struct run *run, struct record_writer *w);
/* The Nagios status line; returns the exit status (0 OK, 1, 2). */
int	nagios(struct run *run, struct output *out);

#endif

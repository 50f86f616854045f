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

/* What the report prints for a key; kept only for keys that may print. */
struct key_detail {
	struct json_value	 till_text;	/* ValidTill as written */
	struct json_value	 note;
	struct json_value	 maplink;	/* masked unless --show-keys */
	struct json_value	 cars;		/* array of id strings */
	const char		*reported;	/* --state: first reported */
};

struct key {
	const char		*id;		/* in the table's arena */
	uint32_t		 id_len;
	unsigned char		 status;	/* enum key_status */
	unsigned char		 dead;		/* superseded by a later one */
	unsigned char		 has_till;	/* till set (not null) */
	uint32_t		 file;		/* index into the run's names */
	unsigned long		 line;		/* where the resource starts */
	struct tstamp		 till;
	struct key_detail	*detail;	/* NULL when not kept */
};

/* ==== key table: id -> key, in input order ==== */

struct keytab {
	struct key	*keys;		/* in the order they were added */
	size_t		 nkeys;
	size_t		 alloc;
	struct strmap	 ids;		/* id -> index of its live key */
	struct arena	 arena;		/* details */
};

#define KEYTAB_INIT { NULL, 0, 0, STRMAP_INIT, ARENA_INIT }

/*
 * Add a key with this id (copied).  When the id is already present the old
 * key is marked dead and *prev set to it (borrowed; else NULL).  Returns the
 * new key, valid until the next keytab_add().
 */
struct key *keytab_add(struct keytab *t, const char *id, size_t id_len,
	    struct key **prev);
/* The live key with this id, or NULL. */
struct key *keytab_find(const struct keytab *t, const char *id,
	    size_t id_len);
void	keytab_release(struct keytab *t);

/* ==== masking ==== */

/*
 * Append the masked form of a credential: its first and last 3 characters
 * around "…" when it has 9 characters or more, "…" alone when it has 1 to 8
 * (so a short key shows neither its text nor its length), "" when empty.
 * Characters are UTF-8 code points, never split.
 */
void	mask_key(struct strbuf *out, const char *s, size_t len);
/*
 * Append url with the value of every _cpKey= query parameter masked, and
 * every other occurrence of access_key (when it has 4 bytes or more).
 * access_key may be NULL.
 */
void	mask_url(struct strbuf *out, const char *url, size_t len,
	    const char *access_key, size_t key_len);

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
/* 1 when prev holds k's id with the same status and ValidTill. */
int	state_same(const struct keytab *prev, const struct key *k,
	    const struct key **old);
/*
 * Write the new state to out (opened with output_open() on the state path
 * before the run, so that a path that can't be written stops the run
 * before it reports anything) and commit it: every live key of run whose
 * status bit is set in sel (1 << status), "reported" kept from prev when
 * unchanged, else now_text.  Dies on write failure, leaving the old file.
 */
void	state_save(struct output *out, const struct keytab *run, unsigned sel,
	    const struct keytab *prev, const char *now_text);

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
	int64_t			 within;
	struct tstamp		 now;
	int			 check;
	int			 allow_empty;	/* --allow-empty */
	int			 show_keys;
	int			 summary;
	int			 by_car;
	int			 nagios;	/* --warn or --crit */
	int64_t			 warn, crit;
	const char		*warn_text, *crit_text;
	const char		*state;
};

/* One run: the keys read so far and the counters. */
struct run {
	const struct opts	*o;
	struct keytab		 keys;
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

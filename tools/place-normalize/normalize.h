/*
 * normalize.h: one partner row in, one place (or a reject reason) out.
 *
 * The per-row half of place-normalize, kept apart from I/O so that it can be
 * unit-tested and fuzzed on its own: text cleanup (NFC, whitespace, control
 * characters), coordinates, durations, lists and ids.  The column mapping
 * (which column feeds which place field) is built once per input header by
 * pn_map_build() in map.c, or for JSON input per record's member names by
 * pn_map_build_record().
 */
#ifndef PLACE_NORMALIZE_NORMALIZE_H
#define PLACE_NORMALIZE_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/record.h"
#include "common/strbuf.h"

/* The place fields a column can feed, in --map spelling. */
enum pn_field {
	PF_ID,
	PF_TITLE,
	PF_CONTRACTOR,
	PF_COMMENT,
	PF_TAGS,
	PF_LAT,
	PF_LNG,
	PF_COORDS,
	PF_ADDRESS,
	PF_LOCALE,
	PF_ARRIVAL,
	PF_DEPARTURE,
	PF_TRANSPORT,
	PF_NFIELDS
};

/* "title" -> PF_TITLE; -1 for an unknown name. */
int	pn_field_parse(const char *name, size_t len);

/*
 * Which column feeds each field.  Columns are named, and also indexed by
 * their position in the header so that CSV rows (whose fields come in
 * header order) are looked up without comparing names.
 */
struct pn_map {
	const char	*col[PF_NFIELDS];	/* column name, or NULL */
	long		 idx[PF_NFIELDS];	/* its header position, or -1 */
	const char	**idfrom;		/* --id-from columns */
	long		*idfrom_idx;
	size_t		 nidfrom;
	/* The header: names borrowed from the reader, used[] ours. */
	const char *const *cols;
	size_t		 ncols;
	unsigned char	*used;			/* column feeds a field */
	unsigned	 given;			/* bit f: col[f] is set */
};

/* How the user asked the map to be made (options -m, --map-file). */
struct pn_mapspec {
	const char	*col[PF_NFIELDS];	/* explicit field=COLUMN */
	unsigned char	 set[PF_NFIELDS];	/* given (col NULL: unmap) */
	char		**idfrom;		/* --id-from list, or NULL */
	size_t		 nidfrom;
};

/*
 * Build m for a header of n columns: explicit entries of spec first, then
 * English/Russian header recognition for the fields still unmapped.
 * Returns 0, or -1 with a message in err (a mapped column that does not
 * exist).  m borrows cols and spec's strings; pn_map_release() frees it.
 */
int	pn_map_build(struct pn_map *m, const char *const *cols, size_t n,
	    const struct pn_mapspec *spec, struct strbuf *err);
/*
 * pn_map_build() for one JSON record, whose member names are cols: a
 * column of spec the record lacks leaves its field unmapped (the record
 * does not give it), and an --id-from part it lacks is looked up by name
 * (an empty part).  Never fails.
 */
void	pn_map_build_record(struct pn_map *m, const char *const *cols,
	    size_t n, const struct pn_mapspec *spec);
/*
 * After the JSON records of one input, given_any their maps' given ORed:
 * -1 with a message in err when a -m column was a member of none (a typo
 * would otherwise mean "never given"), else 0.
 */
int	pn_map_never_given(const struct pn_mapspec *spec, unsigned given_any,
	    struct strbuf *err);
void	pn_map_release(struct pn_map *m);
/* The map as "field=COLUMN" lines, then "# unmapped: COLUMN" lines. */
void	pn_map_print(const struct pn_map *m, struct strbuf *sb);

/* Case-insensitive (Unicode case folding) header key: "Широта " -> "широта". */
char	*pn_header_key(const char *s, size_t len);

struct pn_config {
	int		 precision;	/* coordinate decimals, 0..15 */
	int		 fix_swap;	/* fix swapped lat/lng, else reject */
	int		 have_bbox;
	double		 bbox[4];	/* lat_min, lng_min, lat_max, lng_max */
	const char	*list_sep;	/* list separator characters */
	const char	*locale;	/* addresses[].locale, or NULL */
	int		 keep_extra;	/* unmapped columns under "extra" */
	int		 have_ns;	/* --id-uuid5 given */
	unsigned char	 ns[16];	/* its namespace */
	/*
	 * --against: a row without an id is rejected (missing_id), never a
	 * create: it may be an existing place, and a place created without
	 * one would be created again on every run.
	 */
	int		 id_required;
};

#define PN_CONFIG_DEFAULT { 7, 1, 0, { 0, 0, 0, 0 }, ";|,", NULL, 0, 0, \
	{ 0 }, 0 }

/*
 * A place as its parts, what the place object is made of: strings are
 * cleaned text (borrowed from the record or in the arena), a length of
 * 0 leaves that member out.
 */
struct pn_place {
	const char		*id;		/* NULL: no id */
	size_t			 id_len;
	const char		*title;
	size_t			 title_len;
	const char		*contractor;
	size_t			 contractor_len;
	const char		*comment;
	size_t			 comment_len;
	struct json_value	 tags;		/* array of strings */
	int			 have_coords;
	const char		*locale;	/* NULL: none */
	size_t			 locale_len;
	const char		*address;	/* with its locale: */
	size_t			 address_len;	/* addresses[0] */
	int			 have_arrival, have_departure;
	int64_t			 arrival, departure;	/* seconds */
	struct json_value	 transport;	/* array of strings */
	struct json_member	*extra;		/* --keep-extra columns */
	size_t			 nextra;
	/* Last: pn_normalize_parts() clears what comes before. */
	char			 lat[64], lng[64];	/* canonical decimals */
};

struct pn_result {
	struct json_value place;	/* the place object (in the arena) */
	const char	*id;		/* its id, or NULL when it has none */
	size_t		 id_len;
	int		 swapped;	/* lat/lng were swapped and fixed */
	const char	*code;		/* reject reason code, or NULL */
	/* pn_normalize_parts() clears the members up to parts.lat. */
	struct pn_place	 parts;		/* what it is made of */
	char		 detail[200];	/* human text for the reject */
};

/*
 * Normalize rec into r->place, allocating in a.  Returns 1 for a place, 0
 * for a reject (r->code and r->detail say why).  A record the reader
 * flagged (rec->problem_code: ragged_row, bad_utf8) is rejected as such.
 * Never fails otherwise: any bytes in, a place or a reason out.
 */
int	place_normalize(const struct pn_config *c, const struct pn_map *m,
	    const struct record *rec, struct arena *a, struct pn_result *r);

/*
 * place_normalize() without the place object: r->parts is set and
 * r->place left null, for a caller that writes the place straight out
 * (pn_place_write()) or makes the object later (pn_place_value()).
 */
int	pn_normalize_parts(const struct pn_config *c, const struct pn_map *m,
	    const struct record *rec, struct arena *a, struct pn_result *r);

/* The place object of p, in a (strings borrowed from p where they end). */
struct json_value pn_place_value(const struct pn_place *p, struct arena *a);

/*
 * Append p to sb as compact JSON: the bytes json_write_value() writes for
 * pn_place_value(p), without making that value first.
 */
void	pn_place_write(struct strbuf *sb, const struct pn_place *p);

/*
 * Text as a JSON string: s itself when it ends in a NUL (a record's string
 * or a copy of ours), else a copy in a.
 */
struct json_value pn_str_value(struct arena *a, const char *s, size_t len);

/*
 * The id of a row, as place_normalize() would make it, for a row it
 * rejected: 1 with *id (in a) and *len, or 0 when the row has no id that
 * can be read (empty, bad UTF-8, a ragged row, --id-from parts missing).
 */
int	pn_row_id(const struct pn_config *c, const struct pn_map *m,
	    const struct record *rec, struct arena *a, const char **id,
	    size_t *len);

/* ==== pieces, exposed for tests and --against ==== */

/*
 * Clean text: drop control characters, trim, collapse whitespace runs
 * (newlines included) to one space, NFC.  Returns 0 with *out and *outlen set
 * (possibly s itself when nothing changes), -1 for invalid UTF-8.
 */
int	pn_clean_text(const char *s, size_t len, struct arena *a,
	    const char **out, size_t *outlen);

/*
 * A decimal number ("55,692789", "-037.5", "+1.") rounded half away from
 * zero to prec decimals, as canonical text (no trailing zeros, no "-0")
 * in buf (64 bytes).  Returns 0 and sets *val, or -1 when s is not such a
 * number.  Exponents are accepted too ("5.5e1") for JSON numbers.
 */
int	pn_decimal(const char *s, size_t len, int prec, char *buf,
	    double *val);

/* "900", "15m", "1h30m", "00:15:00", "15 мин", "1,5 ч" -> seconds.  0/-1. */
int	pn_duration(const char *s, size_t len, int64_t *secs);

/*
 * Parse a UUID "6ba7b810-9dad-11d1-80b4-00c04fd430c8" or one of "dns",
 * "url", "oid", "x500" into 16 bytes.  0 or -1.
 */
int	pn_uuid_parse(const char *s, unsigned char out[16]);
/* The UUIDv5 of name in namespace ns, as 36 characters plus NUL. */
void	pn_uuid5(const unsigned char ns[16], const char *name, size_t len,
	    char out[37]);

#endif

/*
 * links.h: twins links read one at a time from any shape the Twins API
 * gives (CSV export, search-by-dgis and search-by-partner responses, NDJSON
 * link rows, many documents concatenated), detected automatically.
 */
#ifndef TWIN_JOIN_LINKS_H
#define TWIN_JOIN_LINKS_H

#include <stddef.h>

#include "common/decimal.h"
#include "common/errors.h"
#include "tools/twin-join/partners.h"

enum {
	LINK_DGIS_ID,
	LINK_DGIS_TYPE,
	LINK_PARTNER_ID,
	LINK_PARTNER_TYPE,
	LINK_PARTNER_CODE,
	LINK_NFIELDS
};

/* "dgis_id", "dgis_type", "partner_id", "partner_type", "partner_code". */
extern const char *const link_field_names[LINK_NFIELDS];

struct link_str {
	const char	*s;
	size_t		 len;
};

/* One link; the strings are borrowed until the next links_reader_next(). */
/* The digits of the longest ID the index keeps as a number (see index.h). */
#define LINK_NUMERIC_DIGITS	19

struct link {
	struct link_str	 f[LINK_NFIELDS];
	unsigned long	 line;		/* where its row or item starts */
	/*
	 * tlink_get() writes an ID that the index kept as a number here, as
	 * text (not NUL-terminated), and points its field at it: such a link
	 * lives no longer than this buffer, and does not move.
	 */
	char		 digits[DECIMAL_U64_MAX];
};

struct links_opts {
	/* Column/member names of each field (NULL: link_field_names). */
	const char	*cols[LINK_NFIELDS];
	/* Partner code for links whose input carries none (NULL: empty). */
	const char	*partner_code;
	int		 strict;	/* result.total mismatch is an error,
					   else a warning (--allow-partial) */
	int		 quiet;		/* no warnings on stderr (fuzzing) */
	int		 delim;		/* CSV delimiter, 0: sniff */
	size_t		 max_depth;	/* 0: default */
	size_t		 max_value;	/* 0: default */
	/*
	 * Warnings (an unknown partner code, a result.total mismatch) go
	 * to warn(warn_arg, line, message) when it is set, else to stderr.
	 */
	void		(*warn)(void *, unsigned long, const char *);
	void		*warn_arg;
	/* --partners: codes not in it are warned about (NULL: any code). */
	const struct partners *partners;
};

#define LINKS_OPTS_DEFAULT { { NULL, NULL, NULL, NULL, NULL }, NULL, 0, 0, \
	0, 0, 0, NULL, NULL, NULL }

struct links_reader;

/*
 * Open path ("-": standard input) through a source (gzip, BOM, format
 * sniffing).  Never fails: a file that cannot be opened makes the first
 * links_reader_next() return -1 with its error.
 */
struct links_reader *links_reader_open(const char *path,
	    const struct links_opts *o);
/*
 * Read links from memory (for fuzzing).  buf must outlive the reader.
 */
struct links_reader *links_reader_new_mem(const char *buf, size_t len,
	    const struct links_opts *o);

/*
 * The next link into *out.  Returns 1, 0 at the end, -1 on an error:
 * malformed input, an API error envelope ("the API answered 400 invalid
 * params"), a link without an ID, a result.total mismatch with strict.
 * A link whose ID is empty is an error; links with no twins give nothing.
 */
int	links_reader_next(struct links_reader *r, struct link *out);

/*
 * CSV: the bytes of the row the last link came from, which hold all its
 * fields but a partner code supplied by -p; NULL for JSON, whose links'
 * strings lie wherever their document put them.
 */
void	links_reader_row(const struct links_reader *r, const char **start,
	    const char **end);

/*
 * The JSON documents read so far (API responses, link rows): a file with
 * no link and no document is empty or a CSV header only.
 */
unsigned long long links_reader_documents(const struct links_reader *r);
/* Of them, responses holding fewer items than their total (--allow-partial). */
unsigned long long links_reader_short(const struct links_reader *r);

/* The input's name, the reader's until links_reader_free(). */
const char *links_reader_name(const struct links_reader *r);
/*
 * The error after -1 (file: the name; line, 0 when unknown; column of a
 * JSON syntax error), for read_error_die().
 */
const struct read_error *links_reader_err(const struct links_reader *r);

void	links_reader_free(struct links_reader *r);

#endif

/*
 * json_int.h: the JSON reader's insides, shared by json.c (buffer, value
 * parser, the reader's memory) and json_stream.c (next_item, next_in,
 * next_record).  Calls go one way only: json_stream.c uses json.c, never
 * the reverse.  Not for tools: they use json.h.
 */
#ifndef DUMPKIT_JSON_INT_H
#define DUMPKIT_JSON_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "common/json.h"

/* An open container while parsing one value. */
struct jframe {
	size_t		 base;	/* its first child on the value stack */
	unsigned long	 line;	/* where it opened, for "unclosed" */
	char		 kind;	/* '{' or '[' */
};

/* An object of next_in()'s path being streamed, member by member. */
struct jlevel {
	struct json_member	*m;	/* members read so far (envelope) */
	size_t			 n, alloc;
	unsigned long		 line;
	int			 need_comma;
};

enum jstate {
	ST_TOP,		/* between top-level values */
	ST_ARRAY,	/* inside an unwrapped top-level array */
	ST_MEMBERS,	/* next_in(): inside an object on the path */
	ST_ITEMS	/* next_in(): inside the array at the path */
};

struct json_reader {
	struct input		*in;
	char			*buf;	/* ours; NULL when reading memory */
	const char		*data;	/* buf, or the caller's memory */
	size_t			 cap;
	size_t			 pos;	/* bytes before pos are consumed */
	size_t			 len;	/* bytes valid in data */
	int			 eof;	/* nothing more to read after len */
	uint64_t		 base;	/* input offset of data[0] */
	unsigned long		 line;	/* line at pos */
	uint64_t		 line_start;	/* input offset of that line */
	unsigned long		 value_line;
	struct json_opts	 opts;
	size_t			 slab_size;

	/* The value stack: children of the open containers. */
	struct json_member	*vs;
	size_t			 valloc;
	struct jframe		*fs;
	size_t			 falloc;

	/* Streaming state of next_item() and next_in(). */
	enum jstate		 state;
	int			 need_comma;	/* in ST_ARRAY / ST_ITEMS */
	unsigned long		 array_line;	/* where that array opened */
	int			 last_doc_end;

	/* next_in(): the path split into components, and its levels. */
	char			*path;
	char			**comp;
	size_t			 ncomp;
	struct jlevel		*lv;
	size_t			 nlv;	/* levels open */
	int			 found;
	unsigned long		 doc_line;
	struct arena		 env;	/* the envelope of the last document */

	int			 failed;
	struct read_error	 err;	/* file: the input's name, or NULL */
};

/* What empty containers point at (never NULL). */
extern struct json_member jr_empty[1];

/* Set the error at input offset off; returns -1. */
int	jr_fail_at(struct json_reader *r, uint64_t off, unsigned long line,
	    uint64_t line_start, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* The error fmt (with one %s, what) at pos; returns -1. */
int	jr_fail_here(struct json_reader *r, const char *fmt, const char *what);
/* "unexpected X (expected ...)" for the byte at pos; returns -1. */
int	jr_unexpected(struct json_reader *r, const char *expected);
/* "nesting deeper than N" at pos; returns -1. */
int	jr_too_deep(struct json_reader *r);
/* Skip whitespace, reading on: 1 with a byte at pos, 0 at end, -1. */
int	jr_skip_ws(struct json_reader *r);
/*
 * Members m[0..n) with each repeated name kept once, at its first place,
 * with its last value (jq's rule); returns the new count.  json.c.
 */
size_t	jr_dedupe_members(struct json_member *m, size_t n);
/*
 * The value at pos into a, depth0 containers being open around it.
 * Returns 1 or -1.
 */
int	jr_read_value(struct json_reader *r, struct arena *a, size_t depth0,
	    struct json_value *out);
/* Free next_in()'s path and levels (json.c: the reader's memory). */
void	jr_free_path(struct json_reader *r);

#endif

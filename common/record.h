/*
 * record.h: the one record model every reader fills and every writer takes.
 *
 * A record is an ordered list of (name, value) fields.  Values are JSON
 * values: CSV cells are JSON_STRING; JSON input keeps its types, with nested
 * objects and arrays as trees.  Numbers keep the exact text they were read
 * with (never converted to double on the way through), so a 17-digit ID
 * comes out with every digit.
 *
 * All names and values of a record live in rec->arena (or, for CSV header
 * names, in the reader, which outlives its records); record_reset() frees
 * them at once.
 */
#ifndef DUMPKIT_RECORD_H
#define DUMPKIT_RECORD_H

#include <stddef.h>
#include <string.h>

#include "common/arena.h"

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,	/* str/len: original text ("1.50e3"), NUL-terminated */
	JSON_STRING,	/* str/len: decoded UTF-8 (may hold NUL), NUL-terminated */
	JSON_ARRAY,	/* items[0..len) */
	JSON_OBJECT	/* members[0..len), in input order */
};

struct json_member;

struct json_value {
	enum json_type	type;
	size_t		len;
	union {
		const char		*str;
		struct json_value	*items;
		struct json_member	*members;
	} u;
};

struct json_member {
	const char		*name;	/* decoded UTF-8, NUL-terminated */
	size_t			 name_len;
	struct json_value	 value;
};

struct record {
	struct json_member	*fields;
	size_t			 nfields;
	size_t			 alloc;
	struct arena		 arena;	/* owns this record's strings */
	const char		*file;	/* input name for messages */
	unsigned long		 line;	/* line where the record starts */
	/*
	 * A problem the reader found that a tool may reject the record for
	 * instead of stopping (a ragged CSV row, a JSON value that is not an
	 * object): a short reason text, else NULL.  problem_code is the
	 * machine-readable reason for --stats/--rejects ("ragged_row").
	 */
	const char		*problem;
	const char		*problem_code;
};

#define RECORD_INIT { NULL, 0, 0, ARENA_INIT, NULL, 0, NULL, NULL }

void	record_init(struct record *rec);
/* Drop all fields and free their memory for reuse; keeps the allocations. */
void	record_reset(struct record *rec);
void	record_release(struct record *rec);

/*
 * Append a field and return its value slot (type JSON_NULL) for the caller
 * to fill.  name is NOT copied: it must live as long as the record's
 * contents (arena memory, a reader's header, or a string literal).
 * The returned pointer is valid until the next record_add*().
 */
struct json_value *record_add(struct record *rec, const char *name,
	    size_t name_len);
/* Append a string field; name borrowed as above, value copied to the arena. */
void	record_add_str(struct record *rec, const char *name, const char *s,
	    size_t len);
/* Append a field whose value is v (v's memory must outlive the record). */
void	record_add_value(struct record *rec, const char *name,
	    const struct json_value *v);
/* Replace the value of the first field called name, or append it. */
void	record_set_value(struct record *rec, const char *name,
	    const struct json_value *v);

/* The value of the first field called name, or NULL. */
const struct json_value *record_get(const struct record *rec,
	    const char *name);
/* The record seen as a JSON object value (borrows rec's fields). */
struct json_value record_as_value(const struct record *rec);
/*
 * Make rec hold the members of object v (borrowed: v's memory must outlive
 * rec's use).  Returns -1 if v is not an object.
 */
int	record_from_value(struct record *rec, const struct json_value *v);

/* ==== JSON values ==== */

/*
 * The member called name (name_len bytes) of object v, or NULL (also when
 * v isn't one).  Inline: called with a literal name, the length is a
 * constant and the name comparison a few instructions (tools look up
 * members per record).
 */
static inline const struct json_value *
json_object_get_n(const struct json_value *v, const char *name, size_t n)
{
	size_t i;

	if (v == NULL || v->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < v->len; i++)
		if (v->u.members[i].name_len == n &&
		    memcmp(v->u.members[i].name, name, n) == 0)
			return &v->u.members[i].value;
	return NULL;
}

/* The same, name NUL-terminated. */
static inline const struct json_value *
json_object_get(const struct json_value *v, const char *name)
{
	return json_object_get_n(v, name, strlen(name));
}
/*
 * Follow a dotted path of member names ("attributes.AccessKey",
 * "result.items") from v.  NULL when any step is missing.
 */
const struct json_value *json_value_at(const struct json_value *v,
	    const char *path);
/*
 * The text of a scalar used as a key or a cell: a string's bytes, a number's
 * original digits, "true"/"false".  Returns 1 and sets *s and *len, or 0 for
 * null, arrays and objects.
 */
int	json_value_text(const struct json_value *v, const char **s,
	    size_t *len);

/* Constructors; strings are copied into a. */
struct json_value json_make_string(struct arena *a, const char *s, size_t len);
struct json_value json_make_number(struct arena *a, const char *text,
	    size_t len);
struct json_value json_make_null(void);
struct json_value json_make_bool(int b);
/* A deep copy of v into a (for values kept past their record). */
struct json_value json_value_copy(struct arena *a, const struct json_value *v);
/* 1 when a and b are the same JSON (numbers compared as written). */
int	json_value_equal(const struct json_value *a,
	    const struct json_value *b);

#endif

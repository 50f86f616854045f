/*
 * company.c: "place-normalize company": flat unit rows (id, name, parent_id,
 * ownerId, accountIds) to the nested tree that the company-structure
 * method takes, and --flatten back to rows with depth and path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/errors.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/listing.h"
#include "common/output.h"
#include "common/source.h"
#include "common/writer.h"
#include "tools/place-normalize/company.h"
#include "common/strmap.h"
#include "tools/place-normalize/normalize.h"

#define ID_MAX_CHARS	48
#define FLATTEN_DEPTH_MAX	10000

enum { COL_ID, COL_NAME, COL_PARENT, COL_OWNER, COL_ACCOUNTS, COL_DEPTH,
	COL_PATH, NCOLS };

static const char *const col_names[NCOLS] = {
	"id", "name", "parent_id", "ownerId", "accountIds", "depth", "path"
};

enum {
	OPT_FLATTEN = OPT_TOOL_BASE,
	OPT_ACCOUNT_SEP,
	OPT_ALLOW_EMPTY
};

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ "flatten",		no_argument,		NULL, OPT_FLATTEN },
	{ "account-sep",	required_argument,	NULL, OPT_ACCOUNT_SEP },
	{ "allow-empty",	no_argument,		NULL, OPT_ALLOW_EMPTY },
	{ NULL, 0, NULL, 0 }
};

struct unit {
	char		*id, *name, *parent, *owner;
	char		**acc;
	size_t		 nacc;
	const char	*file;
	unsigned long	 line;
	long		 up;		/* parent index, -1 for top level */
	long		 child, last, next;
};

struct company {
	struct unit	*u;
	size_t		 n, alloc;
	struct strmap	 ids;
	char		**root_acc;	/* the company's own accountIds */
	size_t		 nroot;
	char		*root_name, *root_owner;	/* and its name, owner */
	const char	*root_file;
	unsigned long	 root_line;
	int		 have_root;
	unsigned long	 errors;
	int		 sep;
	char		**files;
	size_t		 nfiles;
};

static void
problem(struct company *c, const char *file, unsigned long line,
    const char *fmt, const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a, b);
	data_warn(file, line, "%s", msg);
	c->errors++;
}

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Split an accountIds cell; each id must be 1..48 characters. */
static char **
split_accounts(struct company *c, const char *s, size_t *n, const char *file,
    unsigned long line)
{
	char **list;
	size_t i, k = 0;
	const char *p, *q;
	char *t;

	list = xcalloc(strlen(s) + 2, sizeof(*list));
	if (*s == '\0') {
		*n = 0;
		return list;
	}
	for (p = s;; p = q + 1) {
		if ((q = strchr(p, c->sep)) == NULL)
			q = p + strlen(p);
		while (p < q && *p == ' ')
			p++;
		i = (size_t)(q - p);
		while (i > 0 && p[i - 1] == ' ')
			i--;
		t = xstrndup(p, i);
		if (i == 0)
			problem(c, file, line, "empty account id in \"%s\"%s",
			    s, "");
		else if (utf8_chars(t) > ID_MAX_CHARS)
			problem(c, file, line, "account id longer than 48 "
			    "characters: %s%s", t, "");
		list[k++] = t;
		if (*q == '\0')
			break;
	}
	*n = k;
	return list;
}

static void
free_list(char **l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static const char *
json_type_name(const struct json_value *v)
{
	switch (v->type) {
	case JSON_ARRAY:
		return "array";
	case JSON_OBJECT:
		return "object";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "value";
	}
}

/*
 * The text of column name ("" when it is absent, null or not mapped).
 * JSON rows may hold anything there: an array, an object or a boolean is
 * a problem, never "", since an empty parent_id makes a unit top-level
 * and an empty id makes the row the company itself.  A number is its
 * digits (ids are text).
 */
static const char *
cell(struct company *c, const struct record *rec, const char *name,
    const char *file)
{
	const struct json_value *v;

	if (name == NULL || (v = record_get(rec, name)) == NULL ||
	    v->type == JSON_NULL)
		return "";
	if (v->type == JSON_STRING || v->type == JSON_NUMBER)
		return v->u.str;
	problem(c, file, rec->line, "column %s holds a JSON %s, not text",
	    name, json_type_name(v));
	return "";
}

/*
 * The account ids of column name: a cell split on --account-sep, or a
 * JSON array whose items (strings or numbers) are the ids as that cell's
 * pieces would be, trimmed and checked the same way.
 */
static char **
accounts(struct company *c, const struct record *rec, const char *name,
    size_t *n, const char *file)
{
	const struct json_value *v, *it;
	char **list;
	size_t i, k = 0, len;
	const char *s;
	char *t;

	v = name != NULL ? record_get(rec, name) : NULL;
	if (v != NULL && (v->type == JSON_OBJECT || v->type == JSON_TRUE ||
	    v->type == JSON_FALSE))
		problem(c, file, rec->line, "column %s holds a JSON %s, not "
		    "text or a list", name, json_type_name(v));
	if (v == NULL || v->type != JSON_ARRAY)
		return split_accounts(c, v != NULL && (v->type == JSON_STRING ||
		    v->type == JSON_NUMBER) ? v->u.str : "", n, file,
		    rec->line);
	list = xcalloc(v->len + 1, sizeof(*list));
	for (i = 0; i < v->len; i++) {
		it = &v->u.items[i];
		if (it->type != JSON_STRING && it->type != JSON_NUMBER) {
			problem(c, file, rec->line, "column %s holds a JSON %s "
			    "in its list, not an account id", name,
			    json_type_name(it));
			continue;
		}
		for (s = it->u.str, len = it->len; len > 0 && *s == ' '; s++)
			len--;
		while (len > 0 && s[len - 1] == ' ')
			len--;
		t = xstrndup(s, len);
		if (len == 0)
			problem(c, file, rec->line, "empty account id in column "
			    "%s%s", name, "");
		else if (utf8_chars(t) > ID_MAX_CHARS)
			problem(c, file, rec->line, "account id longer than 48 "
			    "characters: %s%s", t, "");
		list[k++] = t;
	}
	*n = k;
	return list;
}

/* ==== flat rows to a tree ==== */

/*
 * Which company column each of names (a CSV header, or a JSON row's
 * members) is, by header key: "parentId" is parent_id.  Returns 0 with
 * colname[] set, or -1 with msg set: a name that is no company column,
 * or a second name for one.
 */
static int
resolve_columns(const char *const *names, size_t n,
    const char *colname[NCOLS], char *msg, size_t msgsize)
{
	char *key, *want;
	size_t i, k;
	int found;

	for (k = 0; k < NCOLS; k++)
		colname[k] = NULL;
	for (i = 0; i < n; i++) {
		key = pn_header_key(names[i], strlen(names[i]));
		for (k = 0; k < NCOLS; k++) {
			want = pn_header_key(col_names[k],
			    strlen(col_names[k]));
			found = strcmp(key, want) == 0;
			free(want);
			if (found)
				break;
		}
		free(key);
		if (k == NCOLS) {
			snprintf(msg, msgsize, "unknown column %s (company "
			    "columns: id, name, parent_id, ownerId, "
			    "accountIds)", names[i]);
			return -1;
		}
		if (colname[k] != NULL) {
			snprintf(msg, msgsize, "columns %s and %s are both %s",
			    colname[k], names[i], col_names[k]);
			return -1;
		}
		colname[k] = names[i];
	}
	return 0;
}

static void
read_flat(struct company *c, const char *path, const struct common_opts *co,
    size_t fileno)
{
	struct source *src;
	struct record rec = RECORD_INIT;
	const char *const *names;
	const char *header[NCOLS], *row[NCOLS];
	const char **colname = header, **members = NULL;
	const char *file;
	struct unit *u;
	struct strmap_slot *slot;
	size_t n, i, amembers = 0;
	char line[32], msg[512];
	int rc, found;

	src = source_open(path, co);
	file = c->files[fileno] = xstrdup(source_name(src));
	source_header(src, &names, &n);
	if (resolve_columns(names, n, header, msg, sizeof(msg)) == -1)
		die("%s: %s", file, msg);
	if (n > 0 && (colname[COL_ID] == NULL || colname[COL_NAME] == NULL ||
	    colname[COL_PARENT] == NULL))
		die("%s: company rows need the columns id, name and "
		    "parent_id", file);
	while ((rc = source_next(src, &rec)) == 1) {
		const char *id, *parent;
		unsigned long errors = c->errors;

		/* A tree given where rows belong: say so, in one line. */
		if (n == 0 && record_get(&rec, "branches") != NULL)
			data_error(file, rec.line, "a company tree, not a flat "
			    "row (use company --flatten)");
		if (rec.problem != NULL) {
			problem(c, file, rec.line, "%s%s", rec.problem, "");
			continue;
		}
		/* JSON rows have no header: each row's members are one. */
		if (n == 0) {
			members = xgrow(members, &amembers, rec.nfields + 1,
			    sizeof(*members));
			for (i = 0; i < rec.nfields; i++)
				members[i] = rec.fields[i].name;
			if (resolve_columns(members, rec.nfields, row, msg,
			    sizeof(msg)) == -1) {
				problem(c, file, rec.line, "%s%s", msg, "");
				continue;
			}
			colname = row;
		}
		/* An id that is not text is no unit, nor the company. */
		id = cell(c, &rec, colname[COL_ID], file);
		if (c->errors > errors)
			continue;
		parent = cell(c, &rec, colname[COL_PARENT], file);
		if (*id == '\0') {
			/* The company itself: its own account ids. */
			if (c->have_root) {
				snprintf(line, sizeof(line), "%lu",
				    c->root_line);
				problem(c, file, rec.line, "second company row "
				    "(empty id), the first is at line %s%s",
				    line, "");
				continue;
			}
			if (*parent != '\0')
				problem(c, file, rec.line, "company row (empty "
				    "id) has a parent_id %s%s", parent, "");
			c->have_root = 1;
			c->root_file = file;
			c->root_line = rec.line;
			c->root_name = xstrdup(cell(c, &rec, colname[COL_NAME],
			    file));
			c->root_owner = xstrdup(cell(c, &rec,
			    colname[COL_OWNER], file));
			c->root_acc = accounts(c, &rec, colname[COL_ACCOUNTS],
			    &c->nroot, file);
			continue;
		}
		c->u = xgrow(c->u, &c->alloc, c->n + 1, sizeof(*c->u));
		u = &c->u[c->n];
		memset(u, 0, sizeof(*u));
		u->id = xstrdup(id);
		errors = c->errors;
		u->name = xstrdup(cell(c, &rec, colname[COL_NAME], file));
		/* A name that is not text was reported as such. */
		if (c->errors > errors)
			errors = ~0UL;
		u->parent = xstrdup(parent);
		u->owner = xstrdup(cell(c, &rec, colname[COL_OWNER], file));
		u->file = file;
		u->line = rec.line;
		u->up = u->child = u->last = u->next = -1;
		u->acc = accounts(c, &rec, colname[COL_ACCOUNTS], &u->nacc,
		    file);
		if (utf8_chars(u->id) > ID_MAX_CHARS)
			problem(c, file, rec.line, "unit id longer than 48 "
			    "characters: %s%s", u->id, "");
		if (*u->name == '\0' && errors != ~0UL)
			problem(c, file, rec.line, "unit %s has no name%s",
			    u->id, "");
		slot = strmap_put(&c->ids, u->id, strlen(u->id), c->n, &found);
		if (found) {
			snprintf(line, sizeof(line), "%lu",
			    c->u[slot->val].line);
			problem(c, file, rec.line, "duplicate unit id %s "
			    "(first at line %s)", u->id, line);
		}
		c->n++;
	}
	if (rc == -1)
		source_die(src);
	free(members);
	record_release(&rec);
	source_close(src);
}

/* Link parents and children; report unknown parents and cycles. */
static void
link_units(struct company *c)
{
	struct strmap_slot *slot;
	unsigned char *color;
	long *path, cur, j;
	size_t i, np, k;
	struct strbuf sb = STRBUF_INIT;

	for (i = 0; i < c->n; i++) {
		struct unit *u = &c->u[i];

		if (*u->parent == '\0')
			continue;
		slot = strmap_get(&c->ids, u->parent, strlen(u->parent));
		if (slot == NULL) {
			problem(c, u->file, u->line, "unknown parent %s of "
			    "unit %s", u->parent, u->id);
			continue;
		}
		u->up = (long)slot->val;
	}
	/* Walk up from every unit: reaching one on the walk is a cycle. */
	color = xcalloc(c->n + 1, 1);
	path = xcalloc(c->n + 1, sizeof(*path));
	for (i = 0; i < c->n; i++) {
		np = 0;
		for (cur = (long)i; cur >= 0 && color[cur] == 0;
		    cur = c->u[cur].up) {
			color[cur] = 1;
			path[np++] = cur;
		}
		if (cur >= 0 && color[cur] == 1) {
			for (k = 0; path[k] != cur; k++)
				;
			strbuf_reset(&sb);
			for (j = (long)k; j < (long)np; j++)
				strbuf_addf(&sb, "%s -> ", c->u[path[j]].id);
			strbuf_addstr(&sb, c->u[cur].id);
			problem(c, c->u[cur].file, c->u[cur].line,
			    "parent cycle: %s%s", sb.buf, "");
		}
		for (k = 0; k < np; k++)
			color[path[k]] = 2;
	}
	free(color);
	free(path);
	strbuf_release(&sb);
	if (c->errors > 0)
		return;
	for (i = 0; i < c->n; i++) {
		struct unit *p;

		if (c->u[i].up < 0)
			continue;
		p = &c->u[c->u[i].up];
		if (p->child < 0)
			p->child = (long)i;
		else
			c->u[p->last].next = (long)i;
		p->last = (long)i;
	}
}

static void
write_accounts(struct strbuf *sb, char **acc, size_t n)
{
	size_t i;

	strbuf_addch(sb, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_addch(sb, ',');
		json_write_string(sb, acc[i], strlen(acc[i]));
	}
	strbuf_addch(sb, ']');
}

/* The tree, depth first without recursion (chains may be long). */
static void
write_tree(struct company *c, struct output *out)
{
	struct strbuf sb = STRBUF_INIT;
	long *stack, cur;
	size_t top = 0, i;
	int first = 1;

	stack = xcalloc(c->n + 1, sizeof(*stack));
	/* The company's own name and owner, as the GET response has them. */
	strbuf_addch(&sb, '{');
	if (c->root_name != NULL && *c->root_name != '\0') {
		strbuf_addstr(&sb, "\"name\":");
		json_write_string(&sb, c->root_name, strlen(c->root_name));
		strbuf_addch(&sb, ',');
	}
	if (c->root_owner != NULL && *c->root_owner != '\0') {
		strbuf_addstr(&sb, "\"ownerId\":");
		json_write_string(&sb, c->root_owner, strlen(c->root_owner));
		strbuf_addch(&sb, ',');
	}
	strbuf_addstr(&sb, "\"accountIds\":");
	write_accounts(&sb, c->root_acc, c->nroot);
	strbuf_addstr(&sb, ",\"branches\":[");
	for (i = 0; i < c->n; i++) {
		if (c->u[i].up >= 0)
			continue;
		cur = (long)i;
		for (;;) {
			struct unit *u = &c->u[cur];

			if (!first)
				strbuf_addch(&sb, ',');
			first = 0;
			strbuf_addstr(&sb, "{\"id\":");
			json_write_string(&sb, u->id, strlen(u->id));
			strbuf_addstr(&sb, ",\"name\":");
			json_write_string(&sb, u->name, strlen(u->name));
			if (*u->owner != '\0') {
				strbuf_addstr(&sb, ",\"ownerId\":");
				json_write_string(&sb, u->owner,
				    strlen(u->owner));
			}
			strbuf_addstr(&sb, ",\"accountIds\":");
			write_accounts(&sb, u->acc, u->nacc);
			strbuf_addstr(&sb, ",\"branches\":[");
			if (u->child >= 0) {
				stack[top++] = cur;
				cur = u->child;
				first = 1;
				continue;
			}
			strbuf_addstr(&sb, "]}");
			/* Climb while there is no next sibling. */
			while (c->u[cur].next < 0 && top > 0) {
				cur = stack[--top];
				strbuf_addstr(&sb, "]}");
			}
			if (top == 0 && c->u[cur].up < 0)
				break;
			cur = c->u[cur].next;
		}
		if (sb.len >= 65536)
			output_write_sb(out, &sb);
	}
	strbuf_addstr(&sb, "]}\n");
	output_write_sb(out, &sb);
	strbuf_release(&sb);
	free(stack);
}

/* ==== a tree back to rows ==== */

struct flat {
	struct record_writer	*w;
	struct record		 row;
	struct strmap		 ids;
	struct strbuf		 path;
	struct strbuf		 where;
	const char		*file;
	unsigned long		 line;
	unsigned long		 errors;
	int			 sep;
	int			 emit;	/* second pass: write the rows */
};

/* Report once (in the checking pass); a deep path is shortened. */
static void
tree_problem(struct flat *f, const char *msg)
{
	const char *w = f->where.buf;

	if (f->emit)
		return;
	if (f->where.len > 120)
		data_warn(f->file, f->line, "...%s: %s", w + f->where.len - 100,
		    msg);
	else
		data_warn(f->file, f->line, "%s: %s", w, msg);
	f->errors++;
}

/* Account ids of v (an array of scalars) joined with sep, in sb. */
static void
join_accounts(struct flat *f, const struct json_value *v, struct strbuf *sb)
{
	const char *s;
	size_t i, len;

	strbuf_reset(sb);
	if (v == NULL || v->type == JSON_NULL)
		return;
	if (v->type != JSON_ARRAY) {
		tree_problem(f, "accountIds is not an array");
		return;
	}
	for (i = 0; i < v->len; i++) {
		if (!json_value_text(&v->u.items[i], &s, &len) || len == 0 ||
		    utf8_chars(s) > ID_MAX_CHARS) {
			tree_problem(f, "account ids must be 1..48 characters");
			return;
		}
		if (i > 0)
			strbuf_addch(sb, (char)f->sep);
		strbuf_add(sb, s, len);
	}
}

static void
add_cell(struct record *row, const char *name, const char *s, size_t len)
{
	record_add_str(row, name, s, len);
}

static void
flat_branches(struct flat *f, const struct json_value *branches,
    const char *parent, size_t depth)
{
	struct strbuf acc = STRBUF_INIT;
	const struct json_value *b, *v;
	const char *id, *name, *owner;
	size_t i, idlen, namelen, ownerlen, pathlen, wherelen;
	char dbuf[32];
	int found;

	if (branches == NULL || branches->type == JSON_NULL)
		return;
	/* Recursion is bounded by --max-depth, which may be raised: cap it. */
	if (depth > FLATTEN_DEPTH_MAX) {
		tree_problem(f, "tree deeper than 10000 levels");
		return;
	}
	if (branches->type != JSON_ARRAY) {
		tree_problem(f, "branches is not an array");
		return;
	}
	for (i = 0; i < branches->len; i++) {
		b = &branches->u.items[i];
		wherelen = f->where.len;
		strbuf_addf(&f->where, "%sbranches[%zu]", wherelen > 0 &&
		    f->where.buf[wherelen - 1] != '.' ? "." : "", i);
		if (b->type != JSON_OBJECT) {
			tree_problem(f, "not an object");
			strbuf_setlen(&f->where, wherelen);
			continue;
		}
		if ((v = json_object_get(b, "id")) == NULL ||
		    !json_value_text(v, &id, &idlen) || idlen == 0) {
			tree_problem(f, "missing id");
			strbuf_setlen(&f->where, wherelen);
			continue;
		}
		if (utf8_chars(id) > ID_MAX_CHARS)
			tree_problem(f, "unit id longer than 48 characters");
		if (!f->emit) {
			strmap_put(&f->ids, id, idlen, 0, &found);
			if (found)
				tree_problem(f, "duplicate unit id");
		}
		if ((v = json_object_get(b, "name")) == NULL ||
		    !json_value_text(v, &name, &namelen)) {
			name = "";
			namelen = 0;
		}
		if ((v = json_object_get(b, "ownerId")) == NULL ||
		    !json_value_text(v, &owner, &ownerlen)) {
			owner = "";
			ownerlen = 0;
		}
		join_accounts(f, json_object_get(b, "accountIds"), &acc);
		pathlen = f->path.len;
		if (pathlen > 0)
			strbuf_addch(&f->path, '/');
		strbuf_add(&f->path, id, idlen);

		record_reset(&f->row);
		add_cell(&f->row, "id", id, idlen);
		add_cell(&f->row, "name", name, namelen);
		add_cell(&f->row, "parent_id", parent, strlen(parent));
		add_cell(&f->row, "ownerId", owner, ownerlen);
		add_cell(&f->row, "accountIds", acc.buf, acc.len);
		snprintf(dbuf, sizeof(dbuf), "%zu", depth);
		add_cell(&f->row, "depth", dbuf, strlen(dbuf));
		add_cell(&f->row, "path", f->path.buf, f->path.len);
		if (f->emit && record_writer_write(f->w, &f->row) == -1)
			die("%s", record_writer_error(f->w));
		{
			char *pid = xstrndup(id, idlen);

			flat_branches(f, json_object_get(b, "branches"), pid,
			    depth + 1);
			free(pid);
		}
		strbuf_setlen(&f->path, pathlen);
		strbuf_setlen(&f->where, wherelen);
	}
	strbuf_release(&acc);
}

/* A member of the company itself as text ("" when absent). */
static void
root_text(const struct json_value *doc, const char *name, const char **s,
    size_t *len)
{
	const struct json_value *v = json_object_get(doc, name);

	if (v == NULL || v->type == JSON_OBJECT || v->type == JSON_ARRAY ||
	    !json_value_text(v, s, len)) {
		*s = "";
		*len = 0;
	}
}

/*
 * One tree document: the company row (when it has a name, an owner or
 * accounts), then the units.  A GET response may wrap the tree in
 * "result"; an API error body is an error, never an empty tree.
 */
static void
flatten_doc(struct flat *f, const struct json_value *doc, struct strbuf *acc)
{
	const struct json_value *res;
	const char *name, *owner;
	size_t namelen, ownerlen;

	strbuf_reset(acc);
	if (listing_api_error(doc, acc))
		data_error(f->file, f->line, "%s", acc->buf);
	if (json_object_get(doc, "branches") == NULL &&
	    (res = json_object_get(doc, "result")) != NULL &&
	    res->type == JSON_OBJECT)
		doc = res;
	root_text(doc, "name", &name, &namelen);
	root_text(doc, "ownerId", &owner, &ownerlen);
	join_accounts(f, json_object_get(doc, "accountIds"), acc);
	if ((acc->len > 0 || namelen > 0 || ownerlen > 0) && f->emit) {
		record_reset(&f->row);
		add_cell(&f->row, "id", "", 0);
		add_cell(&f->row, "name", name, namelen);
		add_cell(&f->row, "parent_id", "", 0);
		add_cell(&f->row, "ownerId", owner, ownerlen);
		add_cell(&f->row, "accountIds", acc->buf, acc->len);
		add_cell(&f->row, "depth", "0", 1);
		add_cell(&f->row, "path", "", 0);
		if (record_writer_write(f->w, &f->row) == -1)
			die("%s", record_writer_error(f->w));
	}
	flat_branches(f, json_object_get(doc, "branches"), "", 1);
}

static int
flatten(char **files, size_t nfiles, const struct common_opts *co, int sep,
    int allow_empty)
{
	static const char *const cols[NCOLS] = {
		"id", "name", "parent_id", "ownerId", "accountIds", "depth",
		"path"
	};
	struct writer_opts wo = WRITER_OPTS_DEFAULT;
	struct common_opts jco = *co;
	struct strbuf acc = STRBUF_INIT;
	struct output *out;
	struct source *src;
	struct record rec = RECORD_INIT;
	struct flat f;
	struct json_value doc;
	unsigned long long ndocs = 0;
	size_t i;
	int rc;

	memset(&f, 0, sizeof(f));
	record_init(&f.row);
	strbuf_init(&f.path, 0);
	strbuf_init(&f.where, 0);
	f.sep = sep;
	jco.from = FORMAT_JSON;
	out = output_open(co->output, co->gzip ? OUTPUT_GZIP : 0);
	wo.format = co->to == FORMAT_NONE ? FORMAT_CSV : co->to;
	wo.delim = wo.format == FORMAT_TSV ? '\t' : ',';
	wo.columns = cols;
	wo.ncolumns = NCOLS;
	cli_writer_opts(&wo, co);
	f.w = record_writer_new(out, &wo);
	for (i = 0; i < nfiles; i++) {
		src = source_open(files[i], &jco);
		f.file = source_name(src);
		while ((rc = source_next(src, &rec)) == 1) {
			f.line = rec.line;
			strbuf_reset(&f.where);
			if (rec.problem != NULL) {
				data_warn(f.file, f.line, "%s", rec.problem);
				f.errors++;
				continue;
			}
			ndocs++;
			doc = record_as_value(&rec);
			/*
			 * Check the whole tree first, then write it: rows of a
			 * bad tree never reach the output.
			 */
			for (f.emit = 0; f.emit < 2; f.emit++) {
				if (f.emit && f.errors > 0)
					break;
				strbuf_reset(&f.where);
				flatten_doc(&f, &doc, &acc);
			}
		}
		if (rc == -1)
			source_die(src);
		source_close(src);
	}
	if (f.errors > 0)
		die("company: %lu problem%s in the tree, nothing written",
		    f.errors, f.errors == 1 ? "" : "s");
	if (ndocs == 0 && !allow_empty)
		die("company: no tree read (pass --allow-empty if that is "
		    "meant)");
	record_writer_finish(f.w);
	output_commit(out);
	record_release(&rec);
	record_release(&f.row);
	strmap_release(&f.ids);
	strbuf_release(&f.path);
	strbuf_release(&f.where);
	strbuf_release(&acc);
	return 0;
}

int
company_main(int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	struct common_opts co = COMMON_OPTS_DEFAULT;
	struct company c;
	struct output *out;
	char **files;
	size_t nfiles, i;
	int ch, flat = 0, allow_empty = 0;

	memset(&c, 0, sizeof(c));
	c.sep = ';';
	while ((ch = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_FLATTEN:
			flat = 1;
			break;
		case OPT_ALLOW_EMPTY:
			allow_empty = 1;
			break;
		case OPT_ACCOUNT_SEP:
			if (optarg[0] == '\0' || optarg[1] != '\0')
				usage_error("bad --account-sep (one "
				    "character): %s", optarg);
			c.sep = (unsigned char)optarg[0];
			break;
		case OPT_STATS:
		case OPT_REJECTS:
			usage_error("company: --stats and --rejects are not "
			    "supported (every problem is an error)");
		default:
			if (!common_opt(&co, ch, optarg))
				usage(stderr, EXIT_TROUBLE);
		}
	}
	files = optind < argc ? argv + optind : stdin_only;
	nfiles = optind < argc ? (size_t)(argc - optind) : 1;
	if (flat)
		return flatten(files, nfiles, &co, c.sep, allow_empty);
	if (co.to != FORMAT_NONE && !format_is_json(co.to))
		usage_error("company writes a JSON tree: not with --to %s",
		    format_name(co.to));

	c.files = xcalloc(nfiles, sizeof(*c.files));
	c.nfiles = nfiles;
	for (i = 0; i < nfiles; i++)
		read_flat(&c, files[i], &co, i);
	link_units(&c);
	if (c.errors > 0)
		die("company: %lu problem%s in the rows, nothing written",
		    c.errors, c.errors == 1 ? "" : "s");
	/* An empty tree would clear the company's whole structure. */
	if (c.n == 0 && c.nroot == 0 && !allow_empty)
		die("company: no unit and no account read: the tree would be "
		    "empty (pass --allow-empty if that is meant)");
	out = output_open(co.output, co.gzip ? OUTPUT_GZIP : 0);
	write_tree(&c, out);
	output_commit(out);

	for (i = 0; i < c.n; i++) {
		free(c.u[i].id);
		free(c.u[i].name);
		free(c.u[i].parent);
		free(c.u[i].owner);
		free_list(c.u[i].acc, c.u[i].nacc);
	}
	free(c.u);
	free_list(c.root_acc, c.nroot);
	free(c.root_name);
	free(c.root_owner);
	strmap_release(&c.ids);
	for (i = 0; i < nfiles; i++)
		free(c.files[i]);
	free(c.files);
	return 0;
}

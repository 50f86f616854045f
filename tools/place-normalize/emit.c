/*
 * emit.c: places out as NDJSON, a JSON array, an envelope or flattened
 * CSV/TSV rows; with --against, change set lines instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/output.h"
#include "common/writer.h"
#include "tools/place-normalize/pn.h"

static const char *const flat_columns[] = {
	"id", "title", "contractorId", "comment", "tags",
	"location.coordinates.lat", "location.coordinates.lng",
	"location.addresses.0.locale", "location.addresses.0.address",
	"location.arrivalDuration", "location.departureDuration",
	"location.transportRestrictions"
};
#define NFLAT (sizeof(flat_columns) / sizeof(flat_columns[0]))

/* The place as one CSV/TSV row: lists joined with ';'. */
static void
flatten_place(struct record *flat, const struct json_value *place)
{
	const struct json_value *v, *ex;
	struct strbuf sb = STRBUF_INIT;
	struct json_value cell;
	size_t i, j;
	char *name;

	record_reset(flat);
	for (i = 0; i < NFLAT; i++) {
		v = json_value_at(place, flat_columns[i]);
		if (v == NULL && strncmp(flat_columns[i],
		    "location.addresses.0.", 21) == 0) {
			v = json_value_at(place, "location.addresses");
			v = v != NULL && v->len > 0 ? json_object_get(
			    &v->u.items[0], flat_columns[i] + 21) : NULL;
		}
		if (v == NULL)
			continue;
		if (v->type == JSON_ARRAY) {
			strbuf_reset(&sb);
			for (j = 0; j < v->len; j++) {
				if (j > 0)
					strbuf_addch(&sb, ';');
				strbuf_add(&sb, v->u.items[j].u.str,
				    v->u.items[j].len);
			}
			cell = json_make_string(&flat->arena, sb.buf, sb.len);
			record_add_value(flat, flat_columns[i], &cell);
		} else
			record_add_value(flat, flat_columns[i], v);
	}
	if ((ex = json_object_get(place, "extra")) != NULL) {
		for (j = 0; j < ex->len; j++) {
			name = arena_alloc(&flat->arena,
			    ex->u.members[j].name_len + 7);
			memcpy(name, "extra.", 6);
			memcpy(name + 6, ex->u.members[j].name,
			    ex->u.members[j].name_len + 1);
			record_add_value(flat, name, &ex->u.members[j].value);
		}
	}
	strbuf_release(&sb);
}

void
emit_start(struct run *r, const struct pn_map *m)
{
	struct writer_opts wo = WRITER_OPTS_DEFAULT;
	const char **cols;
	size_t n = 0, i;

	wo.format = r->o->co.to;
	/* CSV in, CSV out: the delimiter read (a ';' file stays ';'). */
	wo.delim = wo.format == FORMAT_TSV ? '\t' : r->in_delim != 0 ?
	    r->in_delim : ',';
	cols = xcalloc(NFLAT + m->ncols + 1, sizeof(*cols));
	for (i = 0; i < NFLAT; i++)
		cols[n++] = flat_columns[i];
	/* The extra column names, built in r->keep (the writer copies). */
	if (r->o->cf.keep_extra)
		for (i = 0; i < m->ncols; i++) {
			struct strbuf sb = STRBUF_INIT;

			if (m->used[i])
				continue;
			strbuf_addf(&sb, "extra.%s", m->cols[i]);
			cols[n++] = arena_strndup(&r->keep, sb.buf, sb.len);
			strbuf_release(&sb);
		}
	wo.columns = cols;
	wo.ncolumns = n;
	if (format_is_json(wo.format))
		wo.columns = NULL, wo.ncolumns = 0;
	cli_writer_opts(&wo, &r->o->co);
	r->w = record_writer_new(r->out, &wo);
	free(cols);
}

/* --envelope: the text before an item, and the flush after one. */
static void
envelope_item(struct run *r)
{
	strbuf_addstr(&r->sb, r->nout++ == 0 ? "{\"result\":[" : ",");
}

static void
envelope_flush(struct run *r)
{
	if (r->sb.len >= 65536)
		output_write_sb(r->out, &r->sb);
}

static void
write_value(struct run *r, const struct json_value *v)
{
	if (r->o->envelope) {
		envelope_item(r);
		json_write_value(&r->sb, v);
		envelope_flush(r);
		return;
	}
	if (r->o->co.to == FORMAT_CSV || r->o->co.to == FORMAT_TSV) {
		flatten_place(&r->flat, v);
		if (record_writer_write(r->w, &r->flat) == -1)
			data_error(r->row_file, r->row_line, "%s",
			    record_writer_error(r->w));
		return;
	}
	if (record_writer_write_value(r->w, v) == -1)
		data_error(r->row_file, r->row_line, "%s",
		    record_writer_error(r->w));
}

/* One change set line {"op","id","place","changed"}. */
void
emit_change(struct run *r, enum pn_op op, const char *id, size_t idlen,
    const struct json_value *place, const struct strbuf *changed)
{
	struct json_member m[4];
	struct json_value line, opv, idv, ch;
	struct arena a = ARENA_INIT;
	size_t n = 0;

	opv = json_make_string(&a, pn_op_names[op], strlen(pn_op_names[op]));
	m[n].name = "op";
	m[n].name_len = 2;
	m[n++].value = opv;
	if (id != NULL) {
		idv = json_make_string(&a, id, idlen);
		m[n].name = "id";
		m[n].name_len = 2;
		m[n++].value = idv;
	}
	m[n].name = "place";
	m[n].name_len = 5;
	m[n++].value = *place;
	if (op == PN_OP_UPDATE) {
		struct strbuf sb = STRBUF_INIT;
		struct strbuf err = STRBUF_INIT;

		strbuf_addch(&sb, '[');
		strbuf_add(&sb, changed->buf, changed->len);
		strbuf_addch(&sb, ']');
		if (json_parse(sb.buf, sb.len, NULL, &a, &ch, &err) == -1)
			die("internal error: change list: %s", err.buf);
		m[n].name = "changed";
		m[n].name_len = 7;
		m[n++].value = ch;
		strbuf_release(&sb);
		strbuf_release(&err);
	}
	line.type = JSON_OBJECT;
	line.len = n;
	line.u.members = m;
	if (record_writer_write_value(r->w, &line) == -1)
		die("%s", record_writer_error(r->w));
	arena_release(&a);
}

int
emit_direct(const struct run *r)
{
	/* --dedupe last holds values; CSV flattens one; --against diffs one. */
	return r->ag == NULL && !r->o->dedupe_last &&
	    format_is_json(r->o->co.to);
}

void
emit_parts(struct run *r, const struct pn_place *p)
{
	struct strbuf *sb;

	if (r->o->envelope) {
		envelope_item(r);
		pn_place_write(&r->sb, p);
		envelope_flush(r);
	} else {
		sb = record_writer_json_begin(r->w);
		pn_place_write(sb, p);
		record_writer_json_end(r->w);
	}
	r->st.written++;
}

/* A place leaves: into the output, or through --against's comparison. */
void
emit_place(struct run *r, unsigned given, const struct json_value *place,
    const char *id, size_t idlen)
{
	enum pn_op op;

	if (r->ag == NULL) {
		write_value(r, place);
		r->st.written++;
		return;
	}
	strbuf_reset(&r->changed);
	op = against_diff(r->ag, given, place, id, idlen, &r->changed);
	r->nops[op]++;
	if (!r->o->ops[op]) {
		r->st.filtered++;
		return;
	}
	emit_change(r, op, id, idlen, place, &r->changed);
	r->st.written++;
}

/*
 * report.c: what spectator-expire prints once every key is read: the
 * report, the summaries, and the monitoring line.
 */
#include <stdio.h>
#include <string.h>

#include "common/errors.h"
#include "common/json_writer.h"
#include "common/record.h"
#include "tools/spectator-expire/spectator.h"

const char *const report_columns[7] = {
	"id", "status", "ValidTill", "seconds_left", "Note", "MapLink", "cars"
};

struct record_writer *
writer_for(struct output *out, const struct opts *o,
    const char *const *columns, size_t ncolumns)
{
	struct writer_opts wo = WRITER_OPTS_DEFAULT;
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	wo.format = o->co.to != FORMAT_NONE ? o->co.to : FORMAT_NDJSON;
	if (wo.format == FORMAT_TSV)
		wo.delim = '\t';
	/* Fixed columns: an empty report is a header with --header-always. */
	wo.columns = columns;
	wo.ncolumns = ncolumns;
	cli_writer_opts(&wo, &o->co);
	/* --columns picks among fixed fields: a typo is no empty column. */
	for (i = 0; wo.columns != columns && i < wo.ncolumns; i++) {
		for (j = 0; j < ncolumns; j++)
			if (strcmp(wo.columns[i], columns[j]) == 0)
				break;
		if (j < ncolumns)
			continue;
		for (j = 0; j < ncolumns; j++)
			strbuf_addf(&sb, "%s%s", j ? ", " : "", columns[j]);
		usage_error("--columns: no column \"%s\" in this output (%s)",
		    wo.columns[i], sb.buf);
	}
	return record_writer_new(out, &wo);
}

static int
is_table(const struct opts *o)
{
	return o->co.to == FORMAT_CSV || o->co.to == FORMAT_TSV;
}

static void
write_rec(struct record_writer *w, const struct record *rec)
{
	if (record_writer_write(w, rec) == -1)
		die("%s", record_writer_error(w));
}

/*
 * A key's report line as JSON text, the bytes record_writer_write() makes
 * of its record (fields in report_columns order), without making one.
 */
static void
report_json(struct strbuf *sb, const struct key *k,
    const struct key_detail *d, const char *seconds_left)
{
	strbuf_add(sb, "{\"id\":", 6);
	json_write_string(sb, k->id, k->id_len);
	strbuf_add(sb, ",\"status\":", 10);
	json_write_string(sb, key_status_name[k->status],
	    strlen(key_status_name[k->status]));
	strbuf_add(sb, ",\"ValidTill\":", 13);
	json_write_value(sb, &d->till_text);
	strbuf_add(sb, ",\"seconds_left\":", 16);
	strbuf_addstr(sb, seconds_left != NULL ? seconds_left : "null");
	strbuf_add(sb, ",\"Note\":", 8);
	json_write_value(sb, &d->note);
	strbuf_add(sb, ",\"MapLink\":", 11);
	json_write_value(sb, &d->maplink);
	strbuf_add(sb, ",\"cars\":", 8);
	json_write_value(sb, &d->cars);
	strbuf_addch(sb, '}');
}

void
report(struct run *run, struct record_writer *w, const struct keytab *prev)
{
	struct record rec = RECORD_INIT;
	struct strbuf cars = STRBUF_INIT;
	struct json_value v;
	const struct key *k, *old;
	struct key_detail dd, *d = &dd;
	const char *s;
	char num[48];
	size_t i, j, len;

	spool_rewind(run->spool);
	for (i = 0; i < run->keys.nkeys; i++) {
		k = &run->keys.keys[i];
		/* Every detail is read, printed or not, to stay in step. */
		if (k->has_detail)
			spool_next(run->spool, d);
		/* Replaced by a later duplicate, or not a --status asked for. */
		if (k->dead || !(run->o->sel & BIT(k->status))) {
			run->st.filtered++;
			continue;
		}
		if (prev != NULL && state_same(prev, k, &old)) {
			run->unchanged++;
			run->st.filtered++;
			continue;
		}
		if (!is_table(run->o)) {
			/* JSON, NDJSON: the text straight into the output. */
			report_json(record_writer_json_begin(w), k, d,
			    k->has_till ? tstamp_diff_text(key_till(k),
			    run->o->now, num) : NULL);
			record_writer_json_end(w);
			run->st.written++;
			continue;
		}
		record_reset(&rec);
		v = json_make_string(&rec.arena, k->id, k->id_len);
		record_add_value(&rec, "id", &v);
		s = key_status_name[k->status];
		v = json_make_string(&rec.arena, s, strlen(s));
		record_add_value(&rec, "status", &v);
		record_add_value(&rec, "ValidTill", &d->till_text);
		v = json_make_null();
		if (k->has_till) {
			tstamp_diff_text(key_till(k), run->o->now, num);
			v = json_make_number(&rec.arena, num, strlen(num));
		}
		record_add_value(&rec, "seconds_left", &v);
		record_add_value(&rec, "Note", &d->note);
		record_add_value(&rec, "MapLink", &d->maplink);
		/* A table's cell: the car ids joined by ';'. */
		strbuf_reset(&cars);
		for (j = 0; j < d->cars.len; j++) {
			if (j > 0)
				strbuf_addch(&cars, ';');
			json_value_text(&d->cars.u.items[j], &s, &len);
			strbuf_add(&cars, s, len);
		}
		v = json_make_string(&rec.arena, cars.buf, cars.len);
		record_add_value(&rec, "cars", &v);
		write_rec(w, &rec);
		run->st.written++;
	}
	record_release(&rec);
	strbuf_release(&cars);
}

void
count_statuses(const struct run *run, unsigned long long *n)
{
	size_t i;

	memset(n, 0, KEY_NSTATUS * sizeof(*n));
	for (i = 0; i < run->keys.nkeys; i++)
		if (!run->keys.keys[i].dead)
			n[run->keys.keys[i].status]++;
	n[KEY_INVALID] = run->st.rejected;
}

void
summary(struct run *run, struct record_writer *w)
{
	struct record rec = RECORD_INIT;
	unsigned long long n[KEY_NSTATUS];
	struct json_value v;
	char num[32];
	int s;

	count_statuses(run, n);
	for (s = 0; s < KEY_NSTATUS; s++) {
		record_reset(&rec);
		v = json_make_string(&rec.arena, key_status_name[s],
		    strlen(key_status_name[s]));
		record_add_value(&rec, "status", &v);
		snprintf(num, sizeof(num), "%llu", n[s]);
		v = json_make_number(&rec.arena, num, strlen(num));
		record_add_value(&rec, "keys", &v);
		write_rec(w, &rec);
	}
	record_release(&rec);
}

/*
 * Cars whose every key has expired.  A table of cars in order of first
 * appearance, reusing struct key: status stays KEY_EXPIRED while every key
 * seen is, line counts the keys and till is the latest ValidTill.
 */
/* Whether cars[0..j) already holds the car s[0..len). */
static int
listed_before(const struct json_value *cars, size_t j, const char *s,
    size_t len)
{
	const char *t;
	size_t i, tlen;

	for (i = 0; i < j; i++) {
		json_value_text(&cars->u.items[i], &t, &tlen);
		if (tlen == len && memcmp(t, s, len) == 0)
			return 1;
	}
	return 0;
}

void
by_car(struct run *run, struct record_writer *w)
{
	struct keytab cars = KEYTAB_INIT;
	struct record rec = RECORD_INIT;
	struct json_value v;
	const struct key *k;
	struct key *c, *prev;
	struct key_detail d;
	const char *s;
	char buf[48];
	size_t i, j, len;

	spool_rewind(run->spool);
	for (i = 0; i < run->keys.nkeys; i++) {
		k = &run->keys.keys[i];
		if (!k->has_detail)
			continue;
		spool_next(run->spool, &d);
		if (k->dead)
			continue;
		for (j = 0; j < d.cars.len; j++) {
			json_value_text(&d.cars.u.items[j], &s, &len);
			if (listed_before(&d.cars, j, s, len))
				continue;	/* one key, counted once */
			if ((c = keytab_find(&cars, s, len)) == NULL) {
				c = keytab_add(&cars, s, len, &prev);
				c->status = KEY_EXPIRED;
				c->till_sec = k->till_sec;
				c->till_nsec = k->till_nsec;
			}
			c->line++;
			if (k->status != KEY_EXPIRED)
				c->status = k->status;
			else if (tstamp_cmp(key_till(k), key_till(c)) > 0)
				key_set_till(c, key_till(k));
		}
	}
	for (i = 0; i < cars.nkeys; i++) {
		c = &cars.keys[i];
		if (c->status != KEY_EXPIRED)
			continue;
		record_reset(&rec);
		v = json_make_string(&rec.arena, c->id, c->id_len);
		record_add_value(&rec, "car", &v);
		snprintf(buf, sizeof(buf), "%lu", (unsigned long)c->line);
		v = json_make_number(&rec.arena, buf, strlen(buf));
		record_add_value(&rec, "keys", &v);
		tstamp_format(key_till(c), buf);
		v = json_make_string(&rec.arena, buf, strlen(buf));
		record_add_value(&rec, "expired_since", &v);
		write_rec(w, &rec);
	}
	record_release(&rec);
	keytab_release(&cars);
}

int
nagios(struct run *run, struct output *out)
{
	static const char *const word[] = { "OK", "WARNING", "CRITICAL" };
	const struct opts *o = run->o;
	unsigned long long expired = 0, crit = 0, warn = 0, ok = 0, none = 0;
	unsigned long long total;
	struct tstamp tc = tstamp_plus(o->now, o->crit);
	struct tstamp tw = tstamp_plus(o->now, o->warn);
	const struct key *k;
	size_t i;
	int status;

	for (i = 0; i < run->keys.nkeys; i++) {
		k = &run->keys.keys[i];
		if (k->dead)
			continue;
		if (!k->has_till)
			none++;
		else if (k->status == KEY_EXPIRED)
			expired++;
		else if (tstamp_cmp(key_till(k), tc) <= 0)
			crit++;
		else if (tstamp_cmp(key_till(k), tw) <= 0)
			warn++;
		else
			ok++;
	}
	/* total > 0: main() made no key read UNKNOWN already. */
	total = expired + crit + warn + ok + none;
	status = expired + crit > 0 ? 2 : warn > 0 ? 1 : 0;
	strbuf_reset(&run->sb);
	strbuf_addf(&run->sb, "SPECTATOR %s - %llu expired, ", word[status],
	    expired);
	if (o->crit > 0)
		strbuf_addf(&run->sb, "%llu expiring within %s, ", crit,
		    o->crit_text);
	if (o->warn > o->crit)
		strbuf_addf(&run->sb, "%llu expiring within %s, ", warn,
		    o->warn_text);
	strbuf_addf(&run->sb, "%llu key%s | expired=%llu critical=%llu "
	    "warning=%llu ok=%llu no_expiry=%llu\n", total,
	    total == 1 ? "" : "s", expired, crit, warn, ok, none);
	output_write_sb(out, &run->sb);
	return status;
}

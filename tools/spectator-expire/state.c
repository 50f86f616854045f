/*
 * state.c: the --state file of spectator-expire, which remembers the status
 * and ValidTill each key was last reported with, so cron alerts once.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "common/errors.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/output.h"
#include "common/source.h"
#include "tools/spectator-expire/spectator.h"

/* A string member of a state line, or die naming the line. */
static const struct json_value *
member(const struct json_value *v, const char *name, int nullable,
    const char *path, unsigned long line)
{
	const struct json_value *m = json_object_get(v, name);

	if (m == NULL)
		data_error(path, line, "state: missing \"%s\"", name);
	if (m->type != JSON_STRING && !(nullable && m->type == JSON_NULL))
		data_error(path, line, "state: \"%s\" is not a string", name);
	return m;
}

void
state_load(struct keytab *st, const char *path)
{
	struct common_opts co = COMMON_OPTS_DEFAULT;
	struct arena a = ARENA_INIT;
	struct json_value v;
	const struct json_value *id, *status, *till, *rep;
	struct source *src;
	struct key *k, *prev;
	struct tstamp t;
	struct stat sb;
	unsigned long line;
	int rc, s;

	/* The first run has no state yet; any other trouble is an error. */
	if (stat(path, &sb) == -1 && errno == ENOENT)
		return;
	/* Our own JSON lines: no --encoding, the default limits. */
	co.from = FORMAT_JSON;
	src = source_open(path, &co);
	while ((rc = source_next_value(src, &a, &v)) == 1) {
		line = source_line(src);
		if (v.type != JSON_OBJECT)
			data_error(path, line, "state: not a JSON object");
		id = member(&v, "id", 0, path, line);
		status = member(&v, "status", 0, path, line);
		till = member(&v, "ValidTill", 1, path, line);
		rep = member(&v, "reported", 0, path, line);
		if ((s = key_status_parse(status->u.str)) == -1 ||
		    s == KEY_INVALID)
			data_error(path, line, "state: unknown status \"%s\"",
			    status->u.str);
		k = keytab_add(st, id->u.str, id->len, &prev);
		if (prev != NULL)
			data_error(path, line, "state: key id %s twice",
			    id->u.str);
		k->status = (unsigned char)s;
		if (till->type == JSON_STRING) {
			if (tparse_rfc3339(till->u.str, till->len, &t) == -1)
				data_error(path, line, "state: bad ValidTill "
				    "\"%s\"", till->u.str);
			key_set_till(k, t);
		}
		/* When it was reported, beside the key (by key number). */
		st->reported = xgrow(st->reported, &st->areported, st->nkeys,
		    sizeof(*st->reported));
		st->reported[st->nkeys - 1] = arena_strndup(&st->arena,
		    rep->u.str, rep->len);
		k->line = key_line(line);
		arena_reset(&a);
	}
	if (rc == -1)
		source_die(src);
	source_close(src);
	arena_release(&a);
}

int
state_same(const struct keytab *prev, const struct key *k,
    const struct key **old)
{
	const struct key *p = keytab_find(prev, k->id, k->id_len);

	*old = p;
	if (p == NULL || p->status != k->status || p->has_till != k->has_till)
		return 0;
	return !k->has_till || tstamp_cmp(key_till(p), key_till(k)) == 0;
}

/* One state line. */
static void
state_line(struct strbuf *sb, const struct key *k, const char *rep)
{
	char buf[40];

	strbuf_addstr(sb, "{\"id\":");
	json_write_string(sb, k->id, k->id_len);
	strbuf_addf(sb, ",\"status\":\"%s\",\"ValidTill\":",
	    key_status_name[k->status]);
	if (k->has_till)
		strbuf_addf(sb, "\"%s\"", tstamp_format(key_till(k), buf));
	else
		strbuf_addstr(sb, "null");
	strbuf_addstr(sb, ",\"reported\":");
	json_write_string(sb, rep, strlen(rep));
	strbuf_addstr(sb, "}\n");
}

void
state_save(struct output *out, const struct keytab *run, unsigned sel,
    const struct keytab *prev, const char *now_text, int partial)
{
	struct strbuf sb = STRBUF_INIT;
	const struct key *k, *old;
	const char *rep;
	size_t i;

	for (i = 0; i < run->nkeys; i++) {
		k = &run->keys[i];
		if (k->dead || !(sel & (1u << k->status)))
			continue;
		rep = state_same(prev, k, &old) ?
		    prev->reported[old - prev->keys] : now_text;
		state_line(&sb, k, rep);
		output_write_sb(out, &sb);
	}
	for (i = 0; partial && i < prev->nkeys; i++) {
		k = &prev->keys[i];
		if (keytab_find(run, k->id, k->id_len) != NULL)
			continue;
		state_line(&sb, k, prev->reported[i]);
		output_write_sb(out, &sb);
	}
	output_commit(out);
	strbuf_release(&sb);
}

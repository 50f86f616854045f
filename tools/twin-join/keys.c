/*
 * keys.c: twin-join's keys: a record's key field found and normalized,
 * and compared in LC_ALL=C sort order.
 */
#include <string.h>

#include "common/arena.h"
#include "common/cli.h"
#include "common/fieldpath.h"
#include "common/record.h"
#include "common/strbuf.h"
#include "common/utf8.h"
#include "tools/twin-join/join.h"

/* The compared copy of a key: s itself, or normalized into sb. */
void
key_normalize(int norm, const char *s, size_t n, struct strbuf *sb)
{
	size_t i;

	strbuf_reset(sb);
	if (norm & NORM_TRIM) {
		while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' ||
		    *s == '\n')) {
			s++;
			n--;
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
	}
	if (norm & NORM_ZEROS) {
		/* Leading zeros go, but "000" is still the number zero. */
		while (n > 1 && *s == '0') {
			s++;
			n--;
		}
	}
	strbuf_add(sb, s, n);
	if (norm & NORM_LOWER)
		for (i = 0; i < sb->len; i++)
			if (sb->buf[i] >= 'A' && sb->buf[i] <= 'Z')
				sb->buf[i] = (char)(sb->buf[i] - 'A' + 'a');
}

int
key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

void
key_finder_init(struct key_finder *kf, const struct opts *o)
{
	memset(kf, 0, sizeof(*kf));
	kf->name = o->key;
	kf->norm = o->norm;
	strbuf_init(&kf->key, 0);
	strbuf_init(&kf->why, 0);
	strbuf_init(&kf->err, 0);
	kf->kp = fieldpath_compile(o->key, &kf->err);
	if (kf->kp == NULL)
		usage_error("bad -k %s: %s", o->key, kf->err.buf);
}

void
key_finder_release(struct key_finder *kf)
{
	fieldpath_free(kf->kp);
	arena_release(&kf->ka);
	strbuf_release(&kf->key);
	strbuf_release(&kf->why);
	strbuf_release(&kf->err);
}

int
key_finder_find(struct key_finder *kf, struct record *rec, const char **code)
{
	struct json_value v;
	const char *s;
	size_t n;
	int rc;

	arena_reset(&kf->ka);
	strbuf_reset(&kf->err);
	strbuf_reset(&kf->why);
	rc = fieldpath_get(kf->kp, rec, &kf->ka, &v, &kf->err);
	if (rc == -1) {
		strbuf_addf(&kf->why, "key %s: %s", kf->name, kf->err.buf);
		*code = "bad_key";
		return -1;
	}
	if (rc == 0) {
		strbuf_addf(&kf->why, "no key field %s", kf->name);
		*code = "missing_key";
		return -1;
	}
	if (!json_value_text(&v, &s, &n)) {
		strbuf_addf(&kf->why, "key %s is not a string or a number",
		    kf->name);
		*code = "bad_key";
		return -1;
	}
	key_normalize(kf->norm, s, n, &kf->key);
	if (kf->key.len == 0) {
		strbuf_addf(&kf->why, "empty key %s", kf->name);
		*code = "empty_key";
		return -1;
	}
	return 0;
}

int
key_finder_rejected(struct key_finder *kf, struct record *rec)
{
	const char *code;

	/*
	 * A ragged row's cells may be shifted (an unquoted delimiter before
	 * the key), so its key is never trusted, as place-normalize never
	 * trusts its id.  Bad UTF-8 may be in the key itself.
	 */
	if (rec->problem_code != NULL &&
	    strcmp(rec->problem_code, "ragged_row") == 0)
		return -1;
	if (key_finder_find(kf, rec, &code) == -1)
		return -1;
	if (utf8_check(kf->key.buf, kf->key.len) != kf->key.len)
		return -1;
	return 0;
}

int
join_find_key(struct join *j, struct record *rec, const char **code)
{
	int rc = key_finder_find(&j->kf, rec, code);
	struct strbuf swap;

	/* The finder's buffer becomes j's: no copy per record. */
	if (rc == 0) {
		swap = j->kbuf;
		j->kbuf = j->kf.key;
		j->kf.key = swap;
	} else {
		swap = j->tmp;
		j->tmp = j->kf.why;
		j->kf.why = swap;
	}
	return rc;
}

/* The key of rec into j->kbuf, or -1 after rejecting rec for having none. */
int
join_record_key(struct join *j, struct record *rec)
{
	const char *code;

	if (rec->problem != NULL) {
		join_reject(j, rec, rec->problem_code, rec->problem);
		return -1;
	}
	if (join_find_key(j, rec, &code) == -1) {
		join_reject(j, rec, code, j->tmp.buf);
		return -1;
	}
	return 0;
}

int
join_rejected_key(struct join *j, struct record *rec)
{
	struct strbuf swap;

	/* Without a problem, the key was looked for already: there is none. */
	if (rec->problem == NULL || key_finder_rejected(&j->kf, rec) == -1) {
		join_keyless(j, rec);
		return -1;
	}
	swap = j->kbuf;
	j->kbuf = j->kf.key;
	j->kf.key = swap;
	return 0;
}

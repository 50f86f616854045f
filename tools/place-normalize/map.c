/*
 * map.c: which column feeds which place field: explicit -m/--map-file
 * entries, then English and Russian header names recognized whatever
 * their case, spacing or underscores.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "common/errors.h"
#include "tools/place-normalize/normalize.h"

static const char *const field_names[PF_NFIELDS] = {
	"id", "title", "contractorId", "comment", "tags", "lat", "lng",
	"coordinates", "address", "locale", "arrivalDuration",
	"departureDuration", "transportRestrictions"
};

/*
 * Header names per field, as pn_header_key() makes them: case folded,
 * without spaces, '_', '-' and '.'.
 */
static const char *const synonyms[PF_NFIELDS][16] = {
	[PF_ID] = { "id", "externalid", "extid", "placeid", "pointid", "code",
	    "partnerid", "partnerplaceid", "guid", "код", "ид",
	    "идентификатор", "внешнийid", "внешнийкод", "кодточки", NULL },
	[PF_TITLE] = { "title", "name", "placename", "название",
	    "наименование", "имя", "названиеточки", NULL },
	[PF_CONTRACTOR] = { "contractorid", "contractor", "подрядчик",
	    "контрагент", "idподрядчика", NULL },
	[PF_COMMENT] = { "comment", "comments", "note", "notes", "remark",
	    "комментарий", "комментарии", "примечание", "примечания", NULL },
	[PF_TAGS] = { "tags", "tag", "category", "categories", "теги", "тег",
	    "категория", "категории", "метки", NULL },
	[PF_LAT] = { "lat", "latitude", "широта", NULL },
	[PF_LNG] = { "lng", "lon", "long", "longitude", "долгота", NULL },
	[PF_COORDS] = { "coordinates", "coords", "coord", "latlng", "latlon",
	    "координаты", NULL },
	[PF_ADDRESS] = { "address", "addr", "fulladdress", "адрес",
	    "полныйадрес", NULL },
	[PF_LOCALE] = { "locale", "lang", "language", "язык", "локаль",
	    NULL },
	[PF_ARRIVAL] = { "arrivalduration", "arrival", "времяприбытия",
	    "прибытие", "времяподъезда", NULL },
	[PF_DEPARTURE] = { "departureduration", "departure", "времяотъезда",
	    "отъезд", NULL },
	[PF_TRANSPORT] = { "transportrestrictions", "restrictions",
	    "transport", "ограничения", "ограничениятранспорта", "транспорт",
	    NULL },
};

int
pn_field_parse(const char *name, size_t len)
{
	int f;

	for (f = 0; f < PF_NFIELDS; f++)
		if (strlen(field_names[f]) == len &&
		    memcmp(field_names[f], name, len) == 0)
			return f;
	return -1;
}

char *
pn_header_key(const char *s, size_t len)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n;
	char *key, *p;
	size_t i;

	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	    &folded, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (n < 0) {
		/* Not UTF-8: compare the bytes as they are. */
		key = xstrndup(s, len);
		n = (utf8proc_ssize_t)len;
	} else {
		key = xstrndup((const char *)folded, (size_t)n);
		free(folded);
	}
	for (p = key, i = 0; i < (size_t)n; i++)
		if (strchr(" _-.\t", key[i]) == NULL)
			*p++ = key[i];
	*p = '\0';
	return key;
}

/* The header column named name: exactly, else by header key. */
static long
find_column(const char *const *cols, size_t n, const char *name)
{
	char *want, *k;
	size_t i;
	long found = -1;

	for (i = 0; i < n; i++)
		if (strcmp(cols[i], name) == 0)
			return (long)i;
	want = pn_header_key(name, strlen(name));
	for (i = 0; i < n && found < 0; i++) {
		k = pn_header_key(cols[i], strlen(cols[i]));
		if (strcmp(k, want) == 0)
			found = (long)i;
		free(k);
	}
	free(want);
	return found;
}

/*
 * pn_map_build(), or with lenient (a JSON record's members) a column of
 * spec that is not there leaves its field unmapped instead of failing.
 */
static int
map_build(struct pn_map *m, const char *const *cols, size_t n,
    const struct pn_mapspec *spec, struct strbuf *err, int lenient)
{
	char *key;
	long idx;
	size_t i, j;
	int f;

	memset(m, 0, sizeof(*m));
	m->cols = cols;
	m->ncols = n;
	m->used = xcalloc(n ? n : 1, 1);
	for (f = 0; f < PF_NFIELDS; f++)
		m->idx[f] = -1;

	for (f = 0; f < PF_NFIELDS; f++) {
		if (!spec->set[f] || spec->col[f] == NULL)
			continue;
		if ((idx = find_column(cols, n, spec->col[f])) < 0) {
			if (lenient)
				continue;
			strbuf_addf(err, "no column \"%s\" (mapped to %s)",
			    spec->col[f], field_names[f]);
			return -1;
		}
		m->col[f] = cols[idx];
		m->idx[f] = idx;
		m->used[idx] = 1;
	}
	if (spec->nidfrom > 0) {
		m->idfrom = xcalloc(spec->nidfrom, sizeof(*m->idfrom));
		m->idfrom_idx = xcalloc(spec->nidfrom, sizeof(*m->idfrom_idx));
		m->nidfrom = spec->nidfrom;
		for (i = 0; i < spec->nidfrom; i++) {
			idx = find_column(cols, n, spec->idfrom[i]);
			if (idx < 0 && lenient) {
				/* Looked up by name: an empty part. */
				m->idfrom[i] = spec->idfrom[i];
				m->idfrom_idx[i] = -1;
				continue;
			}
			if (idx < 0) {
				strbuf_addf(err, "no column \"%s\" (in "
				    "--id-from)", spec->idfrom[i]);
				return -1;
			}
			m->idfrom[i] = cols[idx];
			m->idfrom_idx[i] = idx;
			m->used[idx] = 1;
		}
	}

	/* Recognize the rest; the first column that fits a field wins. */
	for (i = 0; i < n; i++) {
		if (m->used[i])
			continue;
		key = pn_header_key(cols[i], strlen(cols[i]));
		for (f = 0; f < PF_NFIELDS; f++) {
			if (spec->set[f] || m->col[f] != NULL)
				continue;
			if (f == PF_ID && spec->nidfrom > 0)
				continue;
			for (j = 0; synonyms[f][j] != NULL; j++)
				if (strcmp(synonyms[f][j], key) == 0)
					break;
			if (synonyms[f][j] != NULL) {
				m->col[f] = cols[i];
				m->idx[f] = (long)i;
				m->used[i] = 1;
				break;
			}
		}
		free(key);
	}
	for (f = 0; f < PF_NFIELDS; f++)
		if (m->col[f] != NULL)
			m->given |= 1U << f;
	return 0;
}

int
pn_map_build(struct pn_map *m, const char *const *cols, size_t n,
    const struct pn_mapspec *spec, struct strbuf *err)
{
	return map_build(m, cols, n, spec, err, 0);
}

void
pn_map_build_record(struct pn_map *m, const char *const *cols, size_t n,
    const struct pn_mapspec *spec)
{
	map_build(m, cols, n, spec, NULL, 1);
}

int
pn_map_never_given(const struct pn_mapspec *spec, unsigned given_any,
    struct strbuf *err)
{
	int f;

	for (f = 0; f < PF_NFIELDS; f++)
		if (spec->set[f] && spec->col[f] != NULL &&
		    !(given_any & 1U << f)) {
			strbuf_addf(err, "no record has a member \"%s\" "
			    "(mapped to %s)", spec->col[f], field_names[f]);
			return -1;
		}
	return 0;
}

void
pn_map_release(struct pn_map *m)
{
	free(m->used);
	free(m->idfrom);
	free(m->idfrom_idx);
	memset(m, 0, sizeof(*m));
}

void
pn_map_print(const struct pn_map *m, struct strbuf *sb)
{
	size_t i;
	int f;

	for (f = 0; f < PF_NFIELDS; f++)
		if (m->col[f] != NULL)
			strbuf_addf(sb, "%s=%s\n", field_names[f], m->col[f]);
	for (i = 0; i < m->nidfrom; i++)
		strbuf_addf(sb, "# id from: %s\n", m->idfrom[i]);
	for (i = 0; i < m->ncols; i++)
		if (!m->used[i])
			strbuf_addf(sb, "# unmapped: %s\n", m->cols[i]);
}

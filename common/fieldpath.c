/* fieldpath.c: field names, dotted paths and jq expressions (stub). */
#include <stddef.h>

#include "common/fieldpath.h"

struct fieldpath *
fieldpath_compile(const char *spec, struct strbuf *err)
{
	(void)spec;
	strbuf_addstr(err, "not implemented");
	return NULL;
}

int
fieldpath_get(struct fieldpath *fp, const struct record *rec,
    struct arena *a, struct json_value *out, struct strbuf *err)
{
	(void)fp;
	(void)rec;
	(void)a;
	(void)out;
	(void)err;
	return -1;
}

int
fieldpath_is_plain(const struct fieldpath *fp)
{
	(void)fp;
	return 0;
}

const char *
fieldpath_spec(const struct fieldpath *fp)
{
	(void)fp;
	return "";
}

void
fieldpath_free(struct fieldpath *fp)
{
	(void)fp;
}

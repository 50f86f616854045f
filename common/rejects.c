/* rejects.c: where rejected records go (stub). */
#include <stddef.h>

#include "common/rejects.h"

struct rejects *
rejects_open(const char *path, enum format format)
{
	(void)path;
	(void)format;
	return NULL;
}

void
rejects_add(struct rejects *rj, struct stats *st, const struct record *rec,
    const char *code, const char *detail)
{
	(void)rj;
	(void)st;
	(void)rec;
	(void)code;
	(void)detail;
}

void
rejects_close(struct rejects *rj)
{
	(void)rj;
}

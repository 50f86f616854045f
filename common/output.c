/* output.c: buffered, atomic, optionally gzipped output (stub). */
#include <stdlib.h>

#include "common/errors.h"
#include "common/output.h"

struct output *
output_open(const char *path, int flags)
{
	(void)path;
	(void)flags;
	die("output: not implemented");
}

struct output *
output_stdout(void)
{
	die("output: not implemented");
}

void
output_write(struct output *o, const void *p, size_t n)
{
	(void)o;
	(void)p;
	(void)n;
}

void
output_write_sb(struct output *o, struct strbuf *sb)
{
	output_write(o, sb->buf, sb->len);
	strbuf_reset(sb);
}

void
output_commit(struct output *o)
{
	(void)o;
}

void
output_abort(struct output *o)
{
	(void)o;
}

void
output_finish(void)
{
}

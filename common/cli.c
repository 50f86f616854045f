/* cli.c: shared options, usage and version output (stub). */
#include <stdlib.h>

#include "common/cli.h"
#include "common/errors.h"

const char cli_common_help[] = "";

void
cli_init(const char *synopsis, const char *help)
{
	(void)synopsis;
	(void)help;
}

int
common_opt(struct common_opts *o, int ch, const char *arg)
{
	(void)o;
	(void)ch;
	(void)arg;
	return 0;
}

void
usage(FILE *fp, int status)
{
	(void)fp;
	exit(status);
}

void
usage_error(const char *fmt, ...)
{
	(void)fmt;
	exit(EXIT_TROUBLE);
}

void
version(void)
{
	exit(0);
}

int
opt_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	(void)s;
	(void)max;
	(void)out;
	return -1;
}

int
opt_size(const char *s, size_t *out)
{
	(void)s;
	(void)out;
	return -1;
}

char **
opt_list(const char *s, int sep, size_t *n)
{
	(void)s;
	(void)sep;
	(void)n;
	return NULL;
}

void
opt_list_free(char **list)
{
	(void)list;
}

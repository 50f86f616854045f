/*
 * monitor.c: the UNKNOWN line a monitoring mode prints for any fatal error,
 * and status-line text that cannot break the line.
 */
#include <stdio.h>
#include <string.h>

#include "common/errors.h"
#include "common/monitor.h"

static const char *service;

/* 1 for a byte that would break the line or start the perfdata. */
static int
breaks_line(unsigned char c)
{
	return c == '|' || c < 0x20 || c == 0x7f;
}

static char
mended(unsigned char c)
{
	return c == '|' ? '/' : ' ';
}

/*
 * The fatal hook: no allocation here (out of memory is fatal too), so the
 * line is built in a fixed buffer; a very long message is cut short.
 */
static void
unknown_line(const char *msg)
{
	char line[1100];
	size_t i;

	snprintf(line, sizeof(line), "%s UNKNOWN - %s", service, msg);
	for (i = 0; line[i] != '\0'; i++)
		if (breaks_line((unsigned char)line[i]))
			line[i] = mended((unsigned char)line[i]);
	fputs(line, stdout);
	putc('\n', stdout);
	fflush(stdout);
}

void
monitor_start(const char *name)
{
	service = name;
	errors_on_fatal(name != NULL ? unknown_line : NULL, EXIT_UNKNOWN);
}

void
monitor_text(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addch(sb, breaks_line((unsigned char)s[i]) ?
		    mended((unsigned char)s[i]) : s[i]);
}

/*
 * monitor.h: the status line of a monitoring mode (spectator-expire
 * --warn/--crit and --check, twin-join --check and --expect with its data in
 * files), per the Monitoring Plugins guidelines: exactly one line on
 * standard output, "SERVICE STATE - summary | perfdata", exit 0 OK,
 * 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 */
#ifndef DUMPKIT_MONITOR_H
#define DUMPKIT_MONITOR_H

#include <stddef.h>

#include "common/strbuf.h"

/*
 * From now on every fatal error (die(), data_error(), usage_error(), ...)
 * also prints "SERVICE UNKNOWN - message" on standard output and exits 3
 * (EXIT_UNKNOWN) instead of 2; the message still goes to standard error.
 * service is borrowed for the life of the process ("TWINJOIN"); NULL when
 * standard output carries data (spectator-expire --check's report): exit 3
 * then, but no line among the data.  A later call replaces an earlier one.
 */
void	monitor_start(const char *service);

/*
 * Append s[0..n) to sb as status-line text: a '|' (which would start the
 * performance data) becomes '/', a control character (a line break in a
 * quoted CSV key) a space, so the line stays one line.
 */
void	monitor_text(struct strbuf *sb, const char *s, size_t n);

#endif

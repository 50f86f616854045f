/* test_stats.c: the --stats counters, their JSON line and the sum check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/stats.h"
#include "tests/unit/tap.h"

/* stats_print() into a string (the caller frees it). */
static char *
printed(const struct stats *st, const char *extra)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	stats_print(st, fp, extra);
	fclose(fp);
	return buf;
}

/* Run stats_print() with stderr going to a file; return what stderr got. */
static char *
stderr_of(const struct stats *st)
{
	char path[] = "/tmp/test_stats.XXXXXX";
	char *out, *buf;
	int fd, saved;
	FILE *fp;
	long n;

	fd = mkstemp(path);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	out = printed(st, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	free(out);
	fp = fdopen(fd, "r");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		buf[0] = '\0';
	fclose(fp);
	unlink(path);
	return buf;
}

int
main(void)
{
	struct stats st = STATS_INIT;
	char *s;

	errors_init("stats-test");
	s = printed(&st, NULL);
	is_str(s, "{\"read\":0,\"written\":0,\"filtered\":0,\"rejected\":0,"
	    "\"reasons\":{}}\n", "empty stats: zeros and no reasons");
	free(s);

	st.read = 10;
	st.written = 5;
	st.filtered = 1;
	stats_reject(&st, "missing_title");
	stats_reject(&st, "bad_lat");
	stats_reject(&st, "missing_title");
	stats_reject(&st, "say \"hi\"");
	is_int(st.rejected, 4, "each reject counted");
	is_int(st.nreasons, 3, "one entry per reason code");
	s = printed(&st, NULL);
	is_str(s, "{\"read\":10,\"written\":5,\"filtered\":1,\"rejected\":4,"
	    "\"reasons\":{\"missing_title\":2,\"bad_lat\":1,"
	    "\"say \\\"hi\\\"\":1}}\n",
	    "reasons in first-seen order, codes JSON-escaped");
	free(s);
	s = printed(&st, "\"links\":10,\"orphans\":2");
	is_str(s, "{\"read\":10,\"written\":5,\"filtered\":1,\"rejected\":4,"
	    "\"links\":10,\"orphans\":2,\"reasons\":{\"missing_title\":2,"
	    "\"bad_lat\":1,\"say \\\"hi\\\"\":1}}\n",
	    "extra goes before reasons");
	free(s);
	s = printed(&st, "");
	ok(strstr(s, "\"rejected\":4,\"reasons\"") != NULL,
	    "empty extra adds nothing");
	free(s);

	s = stderr_of(&st);
	is_str(s, "", "no warning when the counts add up");
	free(s);
	st.read = 11;
	s = stderr_of(&st);
	is_str(s, "stats-test: stats do not add up: read 11 != written 5 + "
	    "filtered 1 + rejected 4 (a bug: please report it)\n",
	    "warning when they do not");
	free(s);

	stats_reject(&st, NULL);
	is_str(st.reasons[st.nreasons - 1].code, "unknown",
	    "a NULL code counts as unknown");
	stats_release(&st);
	ok(st.reasons == NULL && st.nreasons == 0, "release frees the reasons");
	return tap_done();
}

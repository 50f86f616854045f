/*
 * stats.c: the --stats counters and their one-line JSON report, which also
 * checks that every record read was accounted for.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/stats.h"
#include "common/strbuf.h"

void
stats_reject(struct stats *st, const char *code)
{
	size_t i;

	st->rejected++;
	if (code == NULL)
		code = "unknown";
	/* A handful of codes per tool: a linear search is the fast one. */
	for (i = 0; i < st->nreasons; i++) {
		if (strcmp(st->reasons[i].code, code) == 0) {
			st->reasons[i].count++;
			return;
		}
	}
	st->reasons = xgrow(st->reasons, &st->alloc, st->nreasons + 1,
	    sizeof(*st->reasons));
	st->reasons[st->nreasons].code = xstrdup(code);
	st->reasons[st->nreasons].count = 1;
	st->nreasons++;
}

void
stats_print(const struct stats *st, FILE *fp, const char *extra)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addf(&sb, "{\"read\":%llu,\"written\":%llu,\"filtered\":%llu,"
	    "\"rejected\":%llu,", st->read, st->written, st->filtered,
	    st->rejected);
	if (extra != NULL && *extra != '\0') {
		strbuf_addstr(&sb, extra);
		strbuf_addch(&sb, ',');
	}
	strbuf_addstr(&sb, "\"reasons\":{");
	for (i = 0; i < st->nreasons; i++) {
		if (i > 0)
			strbuf_addch(&sb, ',');
		json_write_string(&sb, st->reasons[i].code,
		    strlen(st->reasons[i].code));
		strbuf_addf(&sb, ":%llu", st->reasons[i].count);
	}
	strbuf_addstr(&sb, "}}\n");
	fflush(stdout);
	fwrite(sb.buf, 1, sb.len, fp);
	fflush(fp);
	strbuf_release(&sb);
	/* A tool that loses count has a bug; say so rather than hide it. */
	if (st->read != st->written + st->filtered + st->rejected)
		warnx("stats do not add up: read %llu != written %llu + "
		    "filtered %llu + rejected %llu (a bug: please report it)",
		    st->read, st->written, st->filtered, st->rejected);
}

void
stats_release(struct stats *st)
{
	size_t i;

	for (i = 0; i < st->nreasons; i++)
		free(st->reasons[i].code);
	free(st->reasons);
	st->reasons = NULL;
	st->nreasons = 0;
	st->alloc = 0;
}

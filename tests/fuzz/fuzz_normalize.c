/*
 * fuzz_normalize.c: libFuzzer target for place-normalize's row normalizer.
 * The input is split into cells (on TAB) that fill one row under a header
 * the recognizer maps to every place field; the pieces (decimals,
 * durations, text cleanup) are fuzzed on the raw bytes too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/record.h"
#include "common/strbuf.h"
#include "tools/place-normalize/normalize.h"

static const char *const header[] = {
	"id", "title", "contractorId", "comment", "tags", "lat", "lng",
	"address", "arrivalDuration", "departureDuration",
	"transportRestrictions"
};
#define NCOLS (sizeof(header) / sizeof(header[0]))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pn_map map;
	static int mapped;
	struct pn_config c = PN_CONFIG_DEFAULT;
	struct pn_mapspec spec;
	struct record rec = RECORD_INIT;
	struct arena a = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	struct pn_result res;
	const char *s = (const char *)data, *end = s + size, *tab, *out;
	char buf[64];
	double val;
	int64_t secs;
	size_t i, outlen;

	if (!mapped) {
		memset(&spec, 0, sizeof(spec));
		if (pn_map_build(&map, header, NCOLS, &spec, &err) != 0)
			abort();
		mapped = 1;
	}
	(void)pn_decimal(s, size, 7, buf, &val);
	(void)pn_duration(s, size, &secs);
	(void)pn_clean_text(s, size, &a, &out, &outlen);

	if (size > 0 && (data[0] & 1))
		c.fix_swap = 0;
	for (i = 0; i < NCOLS; i++) {
		tab = memchr(s, '\t', (size_t)(end - s));
		if (tab == NULL)
			tab = end;
		record_add_str(&rec, header[i], s, (size_t)(tab - s));
		s = tab < end ? tab + 1 : end;
	}
	rec.file = "fuzz";
	rec.line = 2;
	(void)place_normalize(&c, &map, &rec, &a, &res);

	record_release(&rec);
	arena_release(&a);
	strbuf_release(&err);
	return 0;
}

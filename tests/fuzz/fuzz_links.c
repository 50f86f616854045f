/*
 * fuzz_links.c: libFuzzer target for twin-join's links loader (CSV export,
 * both Twins API response shapes, NDJSON rows, concatenated documents).
 */
#include <stdint.h>
#include <stdlib.h>

#include "tools/twin-join/links.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct links_opts o = LINKS_OPTS_DEFAULT;
	struct links_reader *r;
	struct link l;
	size_t i;

	o.quiet = 1;
	o.max_depth = 64;
	if (size > 0 && data[0] == 'S')
		o.strict = 1;
	r = links_reader_new_mem((const char *)data, size, &o);
	while (links_reader_next(r, &l) == 1)
		for (i = 0; i < LINK_NFIELDS; i++)
			if (l.f[i].len > 0 && l.f[i].s == NULL)
				abort();
	(void)links_reader_err(r);
	links_reader_free(r);
	return 0;
}

/*
 * fuzz_tparse.c: libFuzzer target for time and duration parsing.  A time
 * that parses must format and parse back to the same instant.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/tparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tstamp t, back;
	int64_t secs;
	char buf[40];

	(void)tparse_duration((const char *)data, size, &secs);
	if (tparse_time((const char *)data, size, &t) == 0 &&
	    t.sec > -62135596800LL && t.sec < 253402300800LL) {
		tstamp_format(t, buf);
		if (tparse_rfc3339(buf, strlen(buf), &back) != 0 ||
		    tstamp_cmp(t, back) != 0)
			abort();
	}
	return 0;
}

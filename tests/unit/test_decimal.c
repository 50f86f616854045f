/*
 * test_decimal.c: decimal_u64() against snprintf("%" PRIu64) at every
 * length, the edges of each pair of digits, and random values.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/decimal.h"
#include "tests/unit/tap.h"

static int
same_as_printf(uint64_t u)
{
	char got[DECIMAL_U64_MAX + 8], want[32];
	char *end;

	memset(got, 'x', sizeof(got));
	end = decimal_u64(got, u);
	snprintf(want, sizeof(want), "%" PRIu64, u);
	return (size_t)(end - got) == strlen(want) &&
	    memcmp(got, want, strlen(want)) == 0 && *end == 'x';
}

int
main(void)
{
	uint64_t p10 = 1, seed = 88172645463325252ULL;
	size_t bad = 0, i;

	ok(same_as_printf(0), "0");
	ok(same_as_printf(UINT64_MAX), "UINT64_MAX, 20 digits");
	for (i = 0; i < 20; i++) {	/* 10^k - 1, 10^k, 10^k + 1 */
		bad += !same_as_printf(p10 - 1) + !same_as_printf(p10) +
		    !same_as_printf(p10 + 1);
		if (i < 19)
			p10 *= 10;
	}
	is_int(bad, 0, "every power of ten and its neighbours");
	for (i = bad = 0; i < 100000; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		bad += !same_as_printf(seed >> (i % 64));
	}
	is_int(bad, 0, "100000 random values of every size");
	return tap_done();
}

/*
 * decimal.c: integers as decimal text, two digits a division (IDs and
 * counts are written once for every record of some jobs).
 */
#include <string.h>

#include "common/decimal.h"

static const char pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930"
    "31323334353637383940414243444546474849505152535455565758596061"
    "62636465666768697071727374757677787980818283848586878889909192"
    "93949596979899";

char *
decimal_u64(char *p, uint64_t u)
{
	char tmp[DECIMAL_U64_MAX];
	size_t at = sizeof(tmp), n;

	while (u >= 100) {
		at -= 2;
		memcpy(tmp + at, pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		at -= 2;
		memcpy(tmp + at, pairs + 2 * u, 2);
	} else {
		tmp[--at] = (char)('0' + u);
	}
	n = sizeof(tmp) - at;
	memcpy(p, tmp + at, n);
	return p + n;
}

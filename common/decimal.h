/*
 * decimal.h: the decimal text of an unsigned integer, written into the
 * caller's buffer (nothing is allocated or kept).
 */
#ifndef DUMPKIT_DECIMAL_H
#define DUMPKIT_DECIMAL_H

#include <stdint.h>

/* The most digits decimal_u64() writes (UINT64_MAX has 20). */
#define DECIMAL_U64_MAX	20

/*
 * Write the digits of u at p (no sign, no NUL; "0" for 0), which has room
 * for DECIMAL_U64_MAX bytes; returns the end of what was written.
 */
char	*decimal_u64(char *p, uint64_t u);

#endif

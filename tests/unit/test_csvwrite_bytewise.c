/*
 * test_csvwrite_bytewise.c: test_csvwrite.c against csvio built with
 * -DCSVIO_BYTEWISE (the byte loops of big-endian machines), compiled in
 * here in place of libcommon.a's copy.
 */
#define CSVIO_BYTEWISE 1
#include "common/csvio.c"
#include "tests/unit/test_csvwrite.c"

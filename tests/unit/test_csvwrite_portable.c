/*
 * test_csvwrite_portable.c: test_csvwrite.c against csvio built with
 * -DCSVIO_PORTABLE (the eight-byte SWAR scans, no SSE2), compiled in here
 * in place of libcommon.a's copy.
 */
#define CSVIO_PORTABLE 1
#include "common/csvio.c"
#include "tests/unit/test_csvwrite.c"

/*
 * test_utf8_portable.c: test_utf8.c against utf8.c built with
 * -DUTF8_PORTABLE (no SSE2: the eight-byte loop that other machines run),
 * compiled in here in place of libcommon.a's copy.
 */
#define UTF8_PORTABLE 1
#include "common/utf8.c"
#include "tests/unit/test_utf8.c"

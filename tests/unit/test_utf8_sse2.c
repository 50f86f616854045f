/*
 * test_utf8_sse2.c: test_utf8.c against utf8.c built with -DUTF8_NO_AVX2
 * (the sixteen-byte SSE2 loop alone, as x86-64 machines without AVX2 run
 * it), compiled in here in place of libcommon.a's copy.  test_utf8 runs
 * the AVX2 loop where the CPU has it, test_utf8_portable the eight-byte one.
 */
#define UTF8_NO_AVX2 1
#include "common/utf8.c"
#include "tests/unit/test_utf8.c"

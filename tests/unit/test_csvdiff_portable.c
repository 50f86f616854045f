/*
 * test_csvdiff_portable.c: test_csvdiff.c against csvio built with
 * -DCSVIO_PORTABLE, the eight-byte (SWAR) scans that machines without SSE2
 * take instead of the sixteen-byte ones: compiled in here, so this
 * binary's csvio is that one (the libcommon.a copy is not linked in).
 */
#define CSVIO_PORTABLE 1
#include "common/csvio.c"
#include "tests/unit/test_csvdiff.c"

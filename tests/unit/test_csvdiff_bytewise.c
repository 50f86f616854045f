/*
 * test_csvdiff_bytewise.c: test_csvdiff.c against csvio built with
 * -DCSVIO_BYTEWISE, the byte loops a big-endian machine takes instead of
 * the eight-byte scans: compiled in here, so this binary's csvio is that
 * one (the libcommon.a copy is not linked in).
 */
#define CSVIO_BYTEWISE 1
#include "common/csvio.c"
#include "tests/unit/test_csvdiff.c"

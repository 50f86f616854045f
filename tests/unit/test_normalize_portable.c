/*
 * test_normalize_portable.c: test_normalize.c against values.c built with
 * -DPN_PORTABLE (no SSE2: the eight-byte words that other machines run),
 * compiled in here in place of the tool's copy.
 */
#define PN_PORTABLE 1
#include "tools/place-normalize/values.c"
#include "tests/unit/test_normalize.c"

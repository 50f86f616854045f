/*
 * test_json_escape_portable.c: test_json_escape.c against json_writer.c
 * built with -DJSON_WRITER_PORTABLE (no SSE2: the eight-byte loop that
 * other machines run), compiled in here in place of libcommon.a's copy.
 */
#define JSON_WRITER_PORTABLE 1
#include "common/json_writer.c"
#include "tests/unit/test_json_escape.c"

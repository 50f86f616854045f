/*
 * fuzz_json.c: libFuzzer target for the JSON reader.  Beyond "no crash", it
 * checks that whatever the reader accepts, the writer prints as JSON that
 * reads back and prints as the same bytes (exact numbers, duplicate keys and
 * key order included).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/strbuf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_opts o = JSON_OPTS_DEFAULT;
	struct json_reader *r;
	struct arena a = ARENA_INIT, b = ARENA_INIT;
	struct json_value v, back;
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;
	struct strbuf err = STRBUF_INIT;
	int rc;

	o.max_depth = 64;
	r = json_reader_new_mem((const char *)data, size, &o);
	while ((rc = json_reader_next_item(r, &a, &v)) == 1) {
		strbuf_reset(&out);
		json_write_value(&out, &v);
		if (json_parse(out.buf, out.len, &o, &b, &back, &err) != 0)
			abort();	/* the writer printed invalid JSON */
		strbuf_reset(&again);
		json_write_value(&again, &back);
		if (again.len != out.len ||
		    memcmp(again.buf, out.buf, out.len) != 0)
			abort();	/* the writer printed something else */
		arena_reset(&a);
		arena_reset(&b);
	}
	json_reader_free(r);

	/* The streaming-member path, as jsonapi-paginate and twin-join use it. */
	r = json_reader_new_mem((const char *)data, size, &o);
	while ((rc = json_reader_next_in(r, "data", &a, &v)) > 0)
		arena_reset(&a);
	json_reader_free(r);

	arena_release(&a);
	arena_release(&b);
	strbuf_release(&out);
	strbuf_release(&again);
	strbuf_release(&err);
	return 0;
}

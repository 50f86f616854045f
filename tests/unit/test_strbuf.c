/* test_strbuf.c: strbuf and arena, the memory every other module uses. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/strbuf.h"
#include "tests/unit/tap.h"

static void
test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT;
	char *p;
	size_t len;
	int i;

	is_str(sb.buf, "", "empty strbuf is \"\"");
	strbuf_addstr(&sb, "abc");
	strbuf_addch(&sb, 'd');
	strbuf_addf(&sb, "-%d-%s", 42, "x");
	is_str(sb.buf, "abcd-42-x", "add, addch and addf append");
	is_int(sb.len, 9, "len counts the bytes");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%04d", i);
	is_int(sb.len, 9 + 4000, "grows past its first allocation");
	ok(memcmp(sb.buf + sb.len - 4, "0999", 4) == 0, "keeps the tail");
	strbuf_reset(&sb);
	is_str(sb.buf, "", "reset empties it");
	strbuf_add(&sb, "a\0b", 3);
	is_int(sb.len, 3, "holds NUL bytes");
	p = strbuf_detach(&sb, &len);
	is_int(len, 3, "detach returns the length");
	ok(sb.alloc == 0 && sb.len == 0, "detach leaves STRBUF_INIT");
	free(p);
	strbuf_release(&sb);
}

static void
test_arena(void)
{
	struct arena a = ARENA_INIT;
	char *s, *big;
	void *p;
	int i, aligned = 1;

	s = arena_strndup(&a, "hello world", 5);
	is_str(s, "hello", "strndup copies n bytes and terminates");
	for (i = 0; i < 10000; i++) {
		p = arena_alloc(&a, (size_t)(i % 37) + 1);
		if ((size_t)p % _Alignof(max_align_t))
			aligned = 0;
	}
	ok(aligned, "every allocation is aligned");
	big = arena_alloc(&a, 1 << 20);
	memset(big, 'x', 1 << 20);
	ok(a.used >= (1 << 20), "large allocation counted");
	arena_reset(&a);
	is_int(a.used, 0, "reset forgets everything");
	s = arena_strndup(&a, "again", 5);
	is_str(s, "again", "usable after reset");
	arena_release(&a);
	ok(a.head == NULL, "release frees all blocks");
}

int
main(void)
{
	test_strbuf();
	test_arena();
	return tap_done();
}

/* test_strmap.c: the id map every tool keys its sets and tables on. */
#include <stdio.h>
#include <string.h>

#include "common/strmap.h"
#include "tests/unit/tap.h"

int
main(void)
{
	struct strmap m = STRMAP_INIT;
	struct strmap_slot *s;
	char key[32];
	int found, i, all = 1, order = 1;

	s = strmap_put(&m, "70000001020530434", 17, 7, &found);
	ok(!found && s->val == 7, "a new key gets its value");
	is_str(s->key, "70000001020530434", "the key is copied, NUL-terminated");
	s = strmap_put(&m, "70000001020530434", 17, 9, &found);
	ok(found && s->val == 7, "a second put finds the first value");
	s = strmap_put(&m, "a\0b", 3, 1, &found);
	ok(!found, "keys may hold NUL bytes");
	ok(strmap_get(&m, "a\0c", 3) == NULL, "and compare all their bytes");
	ok(strmap_get(&m, "7000000102053043", 16) == NULL,
	    "a prefix is another key");
	for (i = 0; i < 200000; i++) {
		snprintf(key, sizeof(key), "%d", i);
		strmap_put(&m, key, strlen(key), (size_t)i, &found);
	}
	for (i = 0; i < 200000; i++) {
		snprintf(key, sizeof(key), "%d", i);
		s = strmap_get(&m, key, strlen(key));
		if (s == NULL || s->val != (size_t)i)
			all = 0;
	}
	ok(all, "200000 counting ids survive growth with their values");
	is_int(m.n, 200002, "n counts distinct keys");
	for (i = 0; i < 200000; i++)
		if (m.slots[i + 2].val != (size_t)i)
			order = 0;
	ok(order, "slots stay in insertion order");
	strmap_release(&m);
	ok(m.n == 0 && m.slots == NULL, "release empties the map");
	return tap_done();
}

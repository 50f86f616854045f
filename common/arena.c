/*
 * arena.c: bump allocation in growing blocks.  Records are short-lived and
 * freed together, so one pointer bump beats a malloc per string.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/errors.h"

struct arena_block {
	struct arena_block	*next;
	size_t			 size;	/* usable bytes in data */
	size_t			 pos;
	max_align_t		 data[];
};

#define ARENA_MIN_BLOCK (64 * 1024)
#define ALIGN (_Alignof(max_align_t))

static struct arena_block *
block_new(size_t want, struct arena_block *next)
{
	struct arena_block *b;
	size_t size = ARENA_MIN_BLOCK;

	while (size < want) {
		if (size > SIZE_MAX / 2)
			die("out of memory");
		size *= 2;
	}
	b = xmalloc(sizeof(*b) + size);
	b->next = next;
	b->size = size;
	b->pos = 0;
	return b;
}

/* Note in the head block how much of it the inline bumps have taken. */
static void
sync_head(struct arena *a)
{
	if (a->head != NULL && a->cur != NULL)
		a->head->pos = (size_t)(a->cur - (char *)a->head->data);
}

void *
arena_alloc_block(struct arena *a, size_t n)
{
	struct arena_block *b;
	size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
	void *p;

	if (need < n)
		die("out of memory");
	sync_head(a);
	b = a->head;
	if (b == NULL || b->size - b->pos < need) {
		/* Grow geometrically so big records need few blocks. */
		size_t want = need;

		if (b != NULL && b->size * 2 > want)
			want = b->size * 2;
		b = block_new(want, b);
		a->head = b;
	}
	p = (char *)b->data + b->pos;
	b->pos += need;
	a->used += need;
	a->cur = (char *)b->data + b->pos;
	a->lim = (char *)b->data + b->size;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *b, *next, *keep = NULL;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (keep == NULL || b->size > keep->size) {
			free(keep);
			keep = b;
		} else {
			free(b);
		}
	}
	if (keep != NULL) {
		keep->next = NULL;
		keep->pos = 0;
	}
	a->head = keep;
	a->used = 0;
	a->cur = keep != NULL ? (char *)keep->data : NULL;
	a->lim = keep != NULL ? (char *)keep->data + keep->size : NULL;
}

void
arena_release(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->used = 0;
	a->cur = a->lim = NULL;
}

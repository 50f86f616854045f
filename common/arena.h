/*
 * arena.h: a bump allocator for per-record memory.
 *
 * A reader fills a record's names and values from an arena; arena_reset()
 * frees them all at once and keeps the largest block, so a steady stream of
 * records allocates nothing after the first few.
 */
#ifndef DUMPKIT_ARENA_H
#define DUMPKIT_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block	*head;	/* block being filled; older ones follow */
	size_t			 used;	/* bytes in all blocks, for limits */
	char			*cur;	/* free bytes of head: cur..lim */
	char			*lim;
};

#define ARENA_INIT { NULL, 0, NULL, NULL }

/* What arena_alloc() does when the head block is full (arena.c). */
void	*arena_alloc_block(struct arena *a, size_t n);

/*
 * n bytes aligned for any scalar type; never NULL (xmalloc on failure).
 * Inline: the pointer bump, once per string or container read, costs
 * less than the call.
 */
static inline void *
arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + _Alignof(max_align_t) - 1) &
	    ~(_Alignof(max_align_t) - 1);
	char *p = a->cur;

	if (p != NULL && need >= n && (size_t)(a->lim - p) >= need) {
		a->cur = p + need;
		a->used += need;
		return p;
	}
	return arena_alloc_block(a, n);
}
/* A NUL-terminated copy of s[0..n). */
char	*arena_strndup(struct arena *a, const char *s, size_t n);
/* Forget everything allocated; keep the largest block for reuse. */
void	 arena_reset(struct arena *a);
/* Free all memory; a is ARENA_INIT again. */
void	 arena_release(struct arena *a);

#endif

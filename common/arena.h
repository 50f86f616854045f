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
};

#define ARENA_INIT { NULL, 0 }

/* n bytes aligned for any scalar type; never NULL (xmalloc on failure). */
void	*arena_alloc(struct arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char	*arena_strndup(struct arena *a, const char *s, size_t n);
/* Forget everything allocated; keep the largest block for reuse. */
void	 arena_reset(struct arena *a);
/* Free all memory; a is ARENA_INIT again. */
void	 arena_release(struct arena *a);

#endif

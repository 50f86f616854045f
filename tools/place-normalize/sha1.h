/*
 * sha1.h: SHA-1 (FIPS 180-4), only for deterministic UUIDv5 ids
 * (RFC 4122 section 4.3).  Not for anything that needs collision resistance.
 */
#ifndef PLACE_NORMALIZE_SHA1_H
#define PLACE_NORMALIZE_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct sha1 {
	uint32_t	h[5];
	uint64_t	len;		/* bytes hashed so far */
	unsigned char	block[64];
	size_t		nblock;		/* bytes waiting in block */
};

void	sha1_init(struct sha1 *s);
void	sha1_update(struct sha1 *s, const void *data, size_t len);
void	sha1_final(struct sha1 *s, unsigned char digest[20]);

#endif

/*
 * utf8.h: UTF-8 validation after RFC 3629 (no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
#ifndef DUMPKIT_UTF8_H
#define DUMPKIT_UTF8_H

#include <stddef.h>

/*
 * Returns n when s[0..n) is valid UTF-8, else the offset of the first bad
 * byte: the start of the first invalid sequence, or of one cut off by the
 * end of s (so a reader holding a partial buffer can keep that tail).
 */
size_t	utf8_check(const char *s, size_t n);

/* The number of code points in valid UTF-8 s[0..n) (bytes that start one). */
size_t	utf8_length(const char *s, size_t n);

/*
 * Append code point cp (at most U+10FFFF) as UTF-8 to out, which has room
 * for 4 bytes; returns the bytes written (1-4).
 */
size_t	utf8_encode(unsigned long cp, char *out);

#endif

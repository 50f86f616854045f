/* utf8.h: UTF-8 validation (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
#ifndef DUMPKIT_UTF8_H
#define DUMPKIT_UTF8_H

#include <stddef.h>

/* Returns n when s[0..n) is valid UTF-8, else the offset of the first bad byte. */
size_t	utf8_check(const char *s, size_t n);

/* Append code point cp as UTF-8 to out (room for 4 bytes); returns bytes written. */
size_t	utf8_encode(unsigned long cp, char *out);

#endif

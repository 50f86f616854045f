/*
 * partners.h: the partner codes of a saved Twins "list of partners"
 * response (--partners FILE), the only list partner codes are checked
 * against: the API adds partners, so no list is built in.
 */
#ifndef TWIN_JOIN_PARTNERS_H
#define TWIN_JOIN_PARTNERS_H

#include <stddef.h>

struct partners {
	char		**codes;	/* ours */
	size_t		 n;
	const char	*from;		/* the file, borrowed: for messages */
};

/*
 * Read path: {"meta":..,"result":{"items":[...]}}, {"result":[...]},
 * {"items":[...]} or a bare array, whose items are {"code":"..",...}
 * objects or code strings.  Dies with FILE:LINE on anything else (an API
 * error body quotes its code and message).
 */
void	partners_load(struct partners *p, const char *path);
/* 1 when code (len bytes) is in the list. */
int	partners_has(const struct partners *p, const char *code, size_t len);
void	partners_release(struct partners *p);

#endif

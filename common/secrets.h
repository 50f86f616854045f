/*
 * secrets.h: access keys and credential URL parameters masked in what a
 * tool writes besides its data: rejects files, reports, messages (DESIGN
 * §4: a secret never reaches stderr, a rejects file or a state file unless
 * the user asks to see it).  Owner: issue 13; spectator-expire (report,
 * rejects) and jsonapi-paginate (rejects) use it, and errors.c masks every
 * message with it.  Credential parameters alone:
 * jsonapi_mask_credentials() in common/jsonapi.h.
 */
#ifndef DUMPKIT_SECRETS_H
#define DUMPKIT_SECRETS_H

#include <stddef.h>

#include "common/arena.h"
#include "common/record.h"
#include "common/strbuf.h"

/*
 * Append the masked form of a credential: its first and last 3 characters
 * around "…" when it has 9 characters or more, "…" alone when it has 1 to 8
 * (so a short key shows neither its text nor its length), "" when empty.
 * Characters are UTF-8 code points, never split.  A key masked already
 * (up to 3 code points, "…", up to 3) is appended as it is, so that
 * masking twice changes nothing.
 */
void	secrets_mask_key(struct strbuf *out, const char *s, size_t len);

/*
 * Append url with the value of every _cpKey= query parameter masked as
 * above, every other occurrence of access_key (when it has 4 bytes or
 * more) too, and the value of every credential parameter (apikey=,
 * token=...: jsonapi_mask_credentials()) replaced by "…".  A value ends
 * where jsonapi_mask_credentials() ends one (at '&', '#', ';', white
 * space, a quote, '<', '>', ')', ']', '}' or ','), so url may also be a
 * message or a note that quotes links.  access_key may be NULL.
 */
void	secrets_mask_url(struct strbuf *out, const char *url, size_t len,
	    const char *access_key, size_t key_len);

/*
 * 1 when secrets_mask_url() with no access_key would mask something in s
 * (a _cpKey= or credential parameter).  What a message is looked at for
 * before it is masked: almost none has one.
 */
int	secrets_has_credentials(const char *s, size_t len);

/*
 * A copy of resource v, in arena a, with every AccessKey and _cpKey member
 * (any type) masked and every other string member (MapLink) masked as a
 * URL (secrets_mask_url()): those of the
 * resource itself (a flattened one) and those of its attributes object.
 * What a rejects file gets: it must not leak what the report hides.
 */
struct json_value secrets_masked_copy(struct arena *a,
	    const struct json_value *v);

#endif

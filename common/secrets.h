/*
 * secrets.h: access keys and credential URL parameters masked in what a
 * tool writes besides its data: rejects files, reports, messages (DESIGN
 * §4: a secret never reaches stderr, a rejects file or a state file unless
 * the user asks to see it).  Owner: issue 13.  spectator-expire's report
 * uses it, rejects.c masks every value of every tool's rejects file with
 * it, and errors.c every message (die(), data_error(), warnx()...).
 * Credential parameters alone: jsonapi_mask_credentials() in jsonapi.h.
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
 * The AccessKey of resource v, that of its attributes when it has one,
 * else its own (a flattened resource): 1 with its text in *key and
 * *key_len (borrowed from v), else 0 (none, or not a string or number).
 */
int	secrets_access_key(const struct json_value *v, const char **key,
	    size_t *key_len);

/*
 * Mask every secret in *v, the value of a member named name (NULL for an
 * array item or a value of its own), at any depth: the value of every
 * AccessKey and _cpKey member (any type: a string or number as
 * secrets_mask_key() masks it, an array or object as a lone "…"), and
 * every other string as secrets_mask_url() masks a URL, with key (the
 * resource's AccessKey, secrets_access_key(); NULL for none) as its
 * access_key.  What a rejects file gets: it must not leak what the report
 * hides.  Returns 1 when *v was replaced by a masked copy, built in arena a
 * (the value *v was a copy of is left alone), and 0 when it holds no
 * secret: *v is then untouched, written byte for byte as read.
 */
int	secrets_mask_value(struct arena *a, const char *name,
	    struct json_value *v, const char *key, size_t key_len);

#endif

/*
 * outenc.h: CSV/TSV output in another encoding (--out-encoding): UTF-8
 * converted with iconv, or UTF-8 after a BOM ("utf-8-bom", for Excel).
 * The encoding must keep ASCII as it is (cli.c checks), so quoting and
 * padding done in UTF-8 stay right.  Owner: the writer and
 * jsonapi-paginate's CSV rows.
 */
#ifndef DUMPKIT_OUTENC_H
#define DUMPKIT_OUTENC_H

#include <iconv.h>

#include "common/strbuf.h"

struct output;

struct outenc {
	const char	*name;		/* NULL: UTF-8 as it is */
	iconv_t		 cd;
	struct strbuf	 conv;
	int		 bom;		/* a BOM is still to be written */
};

/* name NULL or "utf-8" changes nothing; an unknown name is fatal. */
void	outenc_init(struct outenc *e, const char *name);
/*
 * sb's bytes (whole rows) in the encoding, in place.  A character the
 * encoding cannot hold is fatal.
 */
void	outenc_convert(struct outenc *e, struct strbuf *sb);
/* Convert sb and hand it to out (after the BOM, the first time). */
void	outenc_write(struct outenc *e, struct output *out, struct strbuf *sb);
void	outenc_release(struct outenc *e);

#endif

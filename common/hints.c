/*
 * hints.c: the one place that words the fix for common input mistakes, so
 * all four tools give the same hint.
 */
#include <stdio.h>
#include <string.h>

#include "common/errors.h"
#include "common/hints.h"

static int encoding_given;

void
hint_encoding_given(void)
{
	encoding_given = 1;
}

const char *
hint_encoding(const char *msg)
{
	if (encoding_given || msg == NULL || strstr(msg, "UTF-8") == NULL ||
	    strstr(msg, "--encoding") != NULL)
		return "";
	return " (try --encoding cp1251)";
}

static const struct {
	const char	*magic;
	size_t		 len;
	const char	*what;
	const char	*unpack;
} packed[] = {
	{ "\xfd" "7zXZ\0", 6, "xz", "xz -dc" },
	{ "BZh", 3, "bzip2", "bzip2 -dc" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd", "zstd -dc" },
	{ "PK\x03\x04", 4, "zip", "unzip -p" },
	{ "7z\xbc\xaf\x27\x1c", 6, "7z", "7z x -so" },
};

const char *
hint_raw(const unsigned char *p, size_t n, const char *name, int encoded,
    char *buf, size_t size)
{
	const char *file = strcmp(name, "-") == 0 ? "FILE" : name;
	size_t i;

	for (i = 0; i < sizeof(packed) / sizeof(packed[0]); i++) {
		if (n < packed[i].len ||
		    memcmp(p, packed[i].magic, packed[i].len) != 0)
			continue;
		/* "BZh" starts text too: a bzip2 block size digit follows. */
		if (i == 1 && (n < 4 || p[3] < '1' || p[3] > '9'))
			continue;
		snprintf(buf, size, "%s-compressed, and only gzip is read: "
		    "unpack it first (%s %s | %s ...)", packed[i].what,
		    packed[i].unpack, file, progname);
		return buf;
	}
	if (encoded || n < 2)
		return NULL;
	/* A UTF-16 BOM, or ASCII with a NUL beside it. */
	if ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff) ||
	    (p[0] != 0 && p[1] == 0) || (p[0] == 0 && p[1] != 0)) {
		snprintf(buf, size, "UTF-16 text, which is not read as it is "
		    "(try --encoding utf-16)");
		return buf;
	}
	return NULL;
}

void
hint_header(struct strbuf *sb, const char *const *names, size_t n, int delim)
{
	size_t i;

	strbuf_addf(sb, "found %zu column%s ", n, n == 1 ? "" : "s");
	for (i = 0; i < n && i < 8; i++)
		strbuf_addf(sb, "%s\"%s\"", i > 0 ? ", " : "", names[i]);
	if (n > 8)
		strbuf_addstr(sb, ", ...");
	if (delim == '\t')
		strbuf_addstr(sb, " with delimiter TAB");
	else if (delim != 0)
		strbuf_addf(sb, " with delimiter '%c'", delim);
}

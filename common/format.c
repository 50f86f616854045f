/* format.c: format names and detection by name, extension or first byte. */
#include <string.h>

#include "common/format.h"

enum format
format_parse(const char *name)
{
	if (name == NULL)
		return FORMAT_NONE;
	if (strcmp(name, "csv") == 0)
		return FORMAT_CSV;
	if (strcmp(name, "tsv") == 0)
		return FORMAT_TSV;
	if (strcmp(name, "json") == 0)
		return FORMAT_JSON;
	if (strcmp(name, "ndjson") == 0 || strcmp(name, "jsonl") == 0)
		return FORMAT_NDJSON;
	return FORMAT_NONE;
}

const char *
format_name(enum format f)
{
	switch (f) {
	case FORMAT_CSV:
		return "csv";
	case FORMAT_TSV:
		return "tsv";
	case FORMAT_JSON:
		return "json";
	case FORMAT_NDJSON:
		return "ndjson";
	case FORMAT_NONE:
		break;
	}
	return "none";
}

static int
has_suffix(const char *s, size_t len, const char *suf)
{
	size_t n = strlen(suf);

	return len >= n && strncmp(s + len - n, suf, n) == 0;
}

enum format
format_from_path(const char *path)
{
	size_t len;

	if (path == NULL)
		return FORMAT_NONE;
	len = strlen(path);
	if (has_suffix(path, len, ".gz"))
		len -= 3;
	/* Extensions are matched exactly: "x.CSV" is as likely a mistake. */
	if (has_suffix(path, len, ".csv"))
		return FORMAT_CSV;
	if (has_suffix(path, len, ".tsv"))
		return FORMAT_TSV;
	if (has_suffix(path, len, ".json"))
		return FORMAT_JSON;
	if (has_suffix(path, len, ".ndjson") || has_suffix(path, len, ".jsonl"))
		return FORMAT_NDJSON;
	return FORMAT_NONE;
}

enum format
format_sniff(const char *buf, size_t n)
{
	size_t i = 0;

	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
	    buf[i] == '\r'))
		i++;
	if (i < n && (buf[i] == '{' || buf[i] == '['))
		return FORMAT_JSON;
	return FORMAT_CSV;
}

int
format_is_json(enum format f)
{
	return f == FORMAT_JSON || f == FORMAT_NDJSON;
}

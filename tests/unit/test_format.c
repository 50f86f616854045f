/* test_format.c: format names, detection by extension and by first byte. */
#include <string.h>

#include "common/format.h"
#include "tests/unit/tap.h"

#define SNIFF(s) format_sniff((s), sizeof(s) - 1)

int
main(void)
{
	is_int(format_parse("csv"), FORMAT_CSV, "parse csv");
	is_int(format_parse("tsv"), FORMAT_TSV, "parse tsv");
	is_int(format_parse("json"), FORMAT_JSON, "parse json");
	is_int(format_parse("ndjson"), FORMAT_NDJSON, "parse ndjson");
	is_int(format_parse("jsonl"), FORMAT_NDJSON, "parse jsonl");
	is_int(format_parse("CSV"), FORMAT_NONE, "names are lower case");
	is_int(format_parse("xml"), FORMAT_NONE, "unknown name");
	is_int(format_parse(""), FORMAT_NONE, "empty name");
	is_int(format_parse(NULL), FORMAT_NONE, "NULL name");

	is_str(format_name(FORMAT_CSV), "csv", "name csv");
	is_str(format_name(FORMAT_TSV), "tsv", "name tsv");
	is_str(format_name(FORMAT_JSON), "json", "name json");
	is_str(format_name(FORMAT_NDJSON), "ndjson", "name ndjson");
	is_str(format_name(FORMAT_NONE), "none", "name none");
	is_int(format_parse(format_name(FORMAT_NDJSON)), FORMAT_NDJSON,
	    "name and parse round trip");

	is_int(format_from_path("a.csv"), FORMAT_CSV, ".csv");
	is_int(format_from_path("dir.json/a.tsv"), FORMAT_TSV, ".tsv");
	is_int(format_from_path("/x/a.json"), FORMAT_JSON, ".json");
	is_int(format_from_path("a.ndjson"), FORMAT_NDJSON, ".ndjson");
	is_int(format_from_path("a.jsonl"), FORMAT_NDJSON, ".jsonl");
	is_int(format_from_path("a.csv.gz"), FORMAT_CSV, ".csv.gz");
	is_int(format_from_path("a.ndjson.gz"), FORMAT_NDJSON, ".ndjson.gz");
	is_int(format_from_path("a.gz"), FORMAT_NONE, ".gz alone");
	is_int(format_from_path("a.txt"), FORMAT_NONE, ".txt");
	is_int(format_from_path("csv"), FORMAT_NONE, "no dot");
	is_int(format_from_path(".csv"), FORMAT_CSV, "dot file .csv");
	is_int(format_from_path("a.csvx"), FORMAT_NONE, ".csvx");
	is_int(format_from_path("a.gz.csv"), FORMAT_CSV, ".gz.csv");
	is_int(format_from_path("-"), FORMAT_NONE, "stdin");
	is_int(format_from_path(""), FORMAT_NONE, "empty path");
	is_int(format_from_path(NULL), FORMAT_NONE, "NULL path");

	is_int(SNIFF("{\"a\":1}"), FORMAT_JSON, "sniff object");
	is_int(SNIFF("[1]"), FORMAT_JSON, "sniff array");
	is_int(SNIFF(" \t\r\n {"), FORMAT_JSON, "sniff skips blanks");
	is_int(SNIFF("\xef\xbb\xbf{}"), FORMAT_JSON, "sniff skips a BOM");
	is_int(SNIFF("\xef\xbb\xbf  [1]"), FORMAT_JSON, "BOM then blanks");
	is_int(SNIFF("a,b\n1,2\n"), FORMAT_CSV, "sniff csv");
	is_int(SNIFF("\xef\xbb\xbf" "a;b"), FORMAT_CSV, "BOM then csv");
	is_int(SNIFF("\"{\",b"), FORMAT_CSV, "quoted brace is csv");
	is_int(SNIFF("  x{"), FORMAT_CSV, "brace after text is csv");
	is_int(SNIFF(""), FORMAT_CSV, "empty input is csv");
	is_int(SNIFF("  \n"), FORMAT_CSV, "blank input is csv");
	is_int(format_sniff("{", 0), FORMAT_CSV, "n bounds the look");
	is_int(format_sniff("\xef\xbb", 2), FORMAT_CSV, "half a BOM");

	ok(format_is_json(FORMAT_JSON), "json is json");
	ok(format_is_json(FORMAT_NDJSON), "ndjson is json");
	ok(!format_is_json(FORMAT_CSV), "csv is not");
	ok(!format_is_json(FORMAT_TSV), "tsv is not");
	ok(!format_is_json(FORMAT_NONE), "none is not");
	return tap_done();
}

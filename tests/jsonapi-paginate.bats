#!/usr/bin/env bats
# tests/jsonapi-paginate.bats: jsonapi-paginate(1) turns saved JSON:API
# pages into one verified stream of resources, and back.  Fixtures follow
# the two APIs of the issue: num-* (page[number]/page[size], found_rows,
# first/prev/self/next/last, included) and off-* (page[offset]/page[limit],
# total_count, next omitted on the last page, resource linkage).

bats_require_minimum_version 1.5.0
TOOL=jsonapi-paginate
load helpers

OUT() { echo "$BATS_TEST_TMPDIR/out"; }

# ==== records: order and verification ====

@test "jsonapi-paginate: pages in order become one NDJSON stream" {
	jsonapi-paginate "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" \
	    "$FIX/num-p3.page.json" >"$(OUT)"
	assert_golden num.out
}

@test "jsonapi-paginate: records is the default subcommand" {
	jsonapi-paginate records "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" \
	    "$FIX/num-p3.page.json" >"$(OUT)"
	assert_golden num.out
}

@test "jsonapi-paginate: shuffled page files come out in page order" {
	jsonapi-paginate "$FIX/num-p3.page.json" "$FIX/num-p1.page.json" \
	    "$FIX/num-p2.page.json" >"$(OUT)"
	assert_golden num.out
}

@test "jsonapi-paginate: pages appended to one file, out of order, from stdin" {
	cat "$FIX/num-p2.page.json" "$FIX/num-p3.page.json" \
	    "$FIX/num-p1.page.json" >"$BATS_TEST_TMPDIR/all.json"
	jsonapi-paginate <"$BATS_TEST_TMPDIR/all.json" >"$(OUT)"
	assert_golden num.out
}

@test "jsonapi-paginate: gzip pages on files and stdin" {
	gzip -c "$FIX/num-p2.page.json" >"$BATS_TEST_TMPDIR/p2.json.gz"
	gzip -c "$FIX/num-p3.page.json" >"$BATS_TEST_TMPDIR/p3.json.gz"
	jsonapi-paginate "$FIX/num-p1.page.json" - "$BATS_TEST_TMPDIR/p3.json.gz" \
	    <"$BATS_TEST_TMPDIR/p2.json.gz" >"$(OUT)"
	assert_golden num.out
}

@test "jsonapi-paginate: offset/limit pages, next omitted on the last page" {
	jsonapi-paginate "$FIX/off-p2.page.json" "$FIX/off-p1.page.json" \
	    >"$(OUT)"
	assert_golden off.out
}

@test "jsonapi-paginate: a missing middle page is an error naming its URL" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" \
	    "$FIX/num-p1.page.json" "$FIX/num-p3.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/num-p1.page.json:1: missing page https://api.example.com/v1/vehicles?page%5Bnumber%5D=2&page%5Bsize%5D=2"
	[ ! -e "$(OUT)" ]
}

@test "jsonapi-paginate: a missing first page is named by the next page's prev link" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" \
	    "$FIX/num-p3.page.json" "$FIX/num-p2.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/num-p2.page.json:1: missing page https://api.example.com/v1/vehicles?page[number]=1&page[size]=2"
	[ ! -e "$(OUT)" ]
}

@test "jsonapi-paginate: --allow-partial writes what there is and exits 1" {
	run -1 --separate-stderr jsonapi-paginate --allow-partial -o "$(OUT)" \
	    "$FIX/num-p3.page.json" "$FIX/num-p1.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/num-p1.page.json:1: missing page https://api.example.com/v1/vehicles?page%5Bnumber%5D=2&page%5Bsize%5D=2"
	assert_golden partial.out
}

@test "jsonapi-paginate: a duplicated page is dropped once with a warning" {
	run -0 --separate-stderr jsonapi-paginate -o "$(OUT)" \
	    "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" \
	    "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" "$FIX/num-p3.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/num-p1.page.json:1: duplicate page https://api.example.com/v1/vehicles?page[number]=1&page[size]=2 dropped
jsonapi-paginate: $FIX/num-p2.page.json:1: duplicate page https://api.example.com/v1/vehicles?page[number]=2&page[size]=2&apikey=… dropped"
	assert_golden num.out
}

@test "jsonapi-paginate: the same page twice with different content is an error naming both files" {
	sed 's/Truck 7/Truck 8/' "$FIX/num-p1.page.json" >"$BATS_TEST_TMPDIR/p1-again.json"
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" \
	    "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" "$FIX/num-p3.page.json" "$BATS_TEST_TMPDIR/p1-again.json"
	[ -z "$output" ]
	[ ! -e "$(OUT)" ]
	assert_equal "$stderr" "jsonapi-paginate: $BATS_TEST_TMPDIR/p1-again.json:1: page https://api.example.com/v1/vehicles?page[number]=1&page[size]=2 read twice with different content (first at $FIX/num-p1.page.json:1): download it again"
}

@test "jsonapi-paginate: --allow-partial keeps the first of two differing copies, exit 1" {
	sed 's/Truck 7/Truck 8/' "$FIX/num-p1.page.json" >"$BATS_TEST_TMPDIR/p1-again.json"
	run -1 --separate-stderr jsonapi-paginate --allow-partial --stats -o "$(OUT)" \
	    "$FIX/num-p1.page.json" "$BATS_TEST_TMPDIR/p1-again.json" "$FIX/num-p2.page.json" "$FIX/num-p3.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $BATS_TEST_TMPDIR/p1-again.json:1: page https://api.example.com/v1/vehicles?page[number]=1&page[size]=2 read twice with different content (first at $FIX/num-p1.page.json:1): download it again
{\"read\":7,\"written\":5,\"filtered\":2,\"rejected\":0,\"pages\":3,\"duplicate_pages\":1,\"missing_pages\":0,\"duplicate_resources\":0,\"reasons\":{}}"
	assert_golden num.out
}

@test "jsonapi-paginate: a resource on two pages is reported, both copies kept" {
	run -0 --separate-stderr jsonapi-paginate -o "$(OUT)" \
	    "$FIX/moved-p1.page.json" "$FIX/moved-p2.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/moved-p2.page.json:1: resource (spectator, 2) already seen on an earlier page"
	assert_golden moved.out
}

@test "jsonapi-paginate: duplicate resources past ten are counted, not all shown" {
	run -0 --separate-stderr jsonapi-paginate --stats -o "$(OUT)" "$FIX/dups.page.json"
	[ -z "$output" ]
	want=
	for i in 1 2 3 4 5 6 7 8 9 10; do
		want+="jsonapi-paginate: $FIX/dups.page.json:2: resource (spectator, $i) already seen on an earlier page"$'\n'
	done
	want+="jsonapi-paginate: $FIX/dups.page.json:2: more duplicate resources: not shown (see --stats)"$'\n'
	want+='{"read":24,"written":24,"filtered":0,"rejected":0,"pages":2,"duplicate_pages":0,"missing_pages":0,"duplicate_resources":12,"reasons":{}}'
	assert_equal "$stderr" "$want"
	[ "$(wc -l <"$(OUT)")" -eq 24 ]
}

@test "jsonapi-paginate: a total that does not match the pages is an error" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" \
	    "$FIX/short-p1.page.json" "$FIX/short-p2.page.json" "$FIX/short-p3.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/short-p1.page.json:1: meta.found_rows says 6 resources but the pages hold 5"
}

@test "jsonapi-paginate: meta.count that does not match its page is an error" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" \
	    "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" "$FIX/badcount.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/badcount.page.json:1: meta.count says 2 resources but the page holds 1"
}

@test "jsonapi-paginate: an errors document quotes status, code, title and detail" {
	run -2 --separate-stderr jsonapi-paginate "$FIX/errors.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/errors.page.json:1: jsonapi error: 401 unauthorized: Unauthorized: The API key is not valid"
}

@test "jsonapi-paginate: --allow-partial turns an errors document into a warning, exit 1" {
	run -1 --separate-stderr jsonapi-paginate --allow-partial -o "$(OUT)" \
	    "$FIX/num-p1.page.json" "$FIX/errors.page.json" \
	    "$FIX/num-p2.page.json" "$FIX/num-p3.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/errors.page.json:1: jsonapi error: 401 unauthorized: Unauthorized: The API key is not valid"
	assert_golden num.out
}

@test "jsonapi-paginate: -o FILE.gz writes gzip" {
	jsonapi-paginate -o "$BATS_TEST_TMPDIR/out.ndjson.gz" "$FIX/off-p1.page.json" \
	    "$FIX/off-p2.page.json"
	gzip -dc "$BATS_TEST_TMPDIR/out.ndjson.gz" >"$(OUT)"
	assert_golden off.out
}

@test "jsonapi-paginate: single-object data is one resource" {
	jsonapi-paginate "$FIX/single.page.json" >"$(OUT)"
	assert_golden single.out
}

@test "jsonapi-paginate: empty data writes nothing, exit 0" {
	jsonapi-paginate "$FIX/empty.page.json" >"$(OUT)"
	[ ! -s "$(OUT)" ]
}

@test "jsonapi-paginate: a document of only empty data is an empty page" {
	jsonapi-paginate "$FIX/bare-empty.page.json" >"$(OUT)"
	[ ! -s "$(OUT)" ]
}

@test "jsonapi-paginate: concatenated and pretty-printed unlinked documents, in input order" {
	jsonapi-paginate "$FIX/concat.page.json" >"$(OUT)"
	assert_golden concat.out
}

@test "jsonapi-paginate: no page read is an error unless --allow-empty" {
	run -2 --separate-stderr jsonapi-paginate </dev/null
	[ -z "$output" ]
	[ "$stderr" = "jsonapi-paginate: no page read: the input is empty (pass --allow-empty if that is meant)" ]
	jsonapi-paginate --allow-empty </dev/null >"$(OUT)"
	[ ! -s "$(OUT)" ]
}

@test "jsonapi-paginate: a named empty file is not a page, exit 2" {
	: >"$BATS_TEST_TMPDIR/p2.json"
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" "$FIX/num-p1.page.json" "$BATS_TEST_TMPDIR/p2.json"
	[ -z "$output" ]
	[ ! -e "$(OUT)" ]
	[ "$stderr" = "jsonapi-paginate: $BATS_TEST_TMPDIR/p2.json: empty file: not a page" ]
	run -2 --separate-stderr jsonapi-paginate --allow-empty "$BATS_TEST_TMPDIR/p2.json"
	[ "$stderr" = "jsonapi-paginate: $BATS_TEST_TMPDIR/p2.json: empty file: not a page" ]
}

@test "jsonapi-paginate: a Twins error envelope quotes its code and message, exit 2" {
	printf '{"meta":{"code":400,"message":"invalid params"}}\n' >"$BATS_TEST_TMPDIR/e.json"
	run -2 --separate-stderr jsonapi-paginate "$BATS_TEST_TMPDIR/e.json"
	[ -z "$output" ]
	[ "$stderr" = "jsonapi-paginate: $BATS_TEST_TMPDIR/e.json:1: the API answered 400 invalid params" ]
}

@test "jsonapi-paginate: a HomeStretch error body quotes its code and message, exit 2" {
	printf '{"code":"unauthorized","message":"bad api key"}\n' >"$BATS_TEST_TMPDIR/e.json"
	run -2 --separate-stderr jsonapi-paginate "$BATS_TEST_TMPDIR/e.json"
	[ -z "$output" ]
	[ "$stderr" = "jsonapi-paginate: $BATS_TEST_TMPDIR/e.json:1: the API answered unauthorized bad api key" ]
}

@test "jsonapi-paginate: a 17-digit numeric attribute keeps every digit" {
	jsonapi-paginate --flatten --columns id,odometer_km --to csv \
	    "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" "$FIX/num-p3.page.json" >"$(OUT)"
	assert_golden odometer.csv.out
}

# ==== records: shaping ====

@test "jsonapi-paginate: --flatten gives attributes and linkage ids" {
	jsonapi-paginate --flatten "$FIX/off-p1.page.json" "$FIX/off-p2.page.json" \
	    "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" "$FIX/num-p3.page.json" >"$(OUT)"
	assert_golden flatten.out
}

@test "jsonapi-paginate: --flatten --to csv has the union of field names as columns" {
	jsonapi-paginate --flatten --to csv "$FIX/num-p1.page.json" \
	    "$FIX/num-p2.page.json" "$FIX/num-p3.page.json" \
	    "$FIX/off-p1.page.json" "$FIX/off-p2.page.json" >"$(OUT)"
	assert_golden flatten.csv.out
}

@test "jsonapi-paginate: csv rows written before new columns appear are padded (CRLF, quoted newline)" {
	jsonapi-paginate --flatten --to csv --crlf "$FIX/multiline.page.json" \
	    "$FIX/num-p3.page.json" "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" >"$(OUT)"
	assert_golden multiline.csv.out
}

@test "jsonapi-paginate: csv columns follow page order, not file order" {
	jsonapi-paginate --flatten --to csv "$FIX/off-p2.page.json" \
	    "$FIX/num-p3.page.json" "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" \
	    "$FIX/off-p1.page.json" >"$(OUT)"
	assert_golden flatten.csv.out
}

@test "jsonapi-paginate: union columns over many spooled rows equal --columns (CRLF, quoted newlines)" {
	awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "{\"type\":\"t\",\"id\":\"%d\",\"attributes\":{\"a\":\"x%d\\n\\\"q\\\"\",\"b\":%d}}\n", i, i, i
	    print "{\"type\":\"t\",\"id\":\"z\",\"attributes\":{\"a\":\"last\",\"c\":true}}" }' \
	    >"$BATS_TEST_TMPDIR/res.ndjson"
	jsonapi-paginate pack -n 1000 -b /t "$BATS_TEST_TMPDIR/res.ndjson" >"$BATS_TEST_TMPDIR/pages"
	jsonapi-paginate --flatten --to csv --crlf --columns id,type,a,b,c \
	    "$BATS_TEST_TMPDIR/pages" >"$BATS_TEST_TMPDIR/want"
	jsonapi-paginate --flatten --to csv --crlf "$BATS_TEST_TMPDIR/pages" >"$(OUT)"
	cmp "$BATS_TEST_TMPDIR/want" "$(OUT)"
	[ "$(tail -c 16 "$(OUT)")" = $'z,t,last,,true\r' ]
}

@test "jsonapi-paginate: --to tsv with fixed --columns" {
	jsonapi-paginate --flatten --to tsv --columns id,Note,Cars \
	    "$FIX/off-p1.page.json" "$FIX/off-p2.page.json" >"$(OUT)"
	assert_golden columns.tsv.out
}

@test "jsonapi-paginate: --to json writes one array" {
	jsonapi-paginate --flatten --to json "$FIX/off-p2.page.json" \
	    "$FIX/off-p1.page.json" >"$(OUT)"
	assert_golden flatten.json.out
}

@test "jsonapi-paginate: --resolve replaces linkage with included resources" {
	jsonapi-paginate --resolve "$FIX/num-p2.page.json" "$FIX/num-p1.page.json" \
	    "$FIX/num-p3.page.json" >"$(OUT)"
	assert_golden resolve.out
}

@test "jsonapi-paginate: --resolve --flatten --fields, unresolved counted in --stats" {
	run -0 --separate-stderr jsonapi-paginate --resolve --flatten --stats \
	    --fields vehicle=plate,driver --fields driver=name -o "$(OUT)" \
	    "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" "$FIX/num-p3.page.json" \
	    "$FIX/off-p1.page.json" "$FIX/off-p2.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" '{"read":8,"written":8,"filtered":0,"rejected":0,"pages":5,"duplicate_pages":0,"missing_pages":0,"duplicate_resources":0,"unresolved":3,"reasons":{}}'
	assert_golden resolve-fields.out
}

@test "jsonapi-paginate: --type keeps one resource type; --stats adds up" {
	run -0 --separate-stderr jsonapi-paginate --type spectator --stats \
	    -o "$(OUT)" "$FIX/num-p1.page.json" "$FIX/off-p1.page.json" \
	    "$FIX/num-p2.page.json" "$FIX/off-p2.page.json" "$FIX/num-p3.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" '{"read":8,"written":3,"filtered":5,"rejected":0,"pages":5,"duplicate_pages":0,"missing_pages":0,"duplicate_resources":0,"reasons":{}}'
	assert_golden off.out
}

@test "jsonapi-paginate: a data element without type is rejected with file and line" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" "$FIX/notres.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/notres.page.json:1: data element is not a JSON:API resource (no \"type\")"
}

@test "jsonapi-paginate: relative links (JSON:API 1.1 URI-references) are resolved against self" {
	cd "$BATS_TEST_TMPDIR"
	printf '{"data":[{"type":"car","id":"1"}],"links":{"self":"https://a/x?page[number]=1&page[size]=1","next":"/x?page[number]=2&page[size]=1"},"meta":{"found_rows":2,"count":1}}\n{"data":[{"type":"car","id":"2"}],"links":{"self":"https://a/x?page[number]=2&page[size]=1","prev":"?page[number]=1&page[size]=1"},"meta":{"found_rows":2,"count":1}}\n' >rel.json
	run -0 --separate-stderr jsonapi-paginate rel.json
	assert_equal "$output" '{"type":"car","id":"1"}
{"type":"car","id":"2"}'
	head -1 rel.json >p1.json
	run -0 jsonapi-paginate next p1.json
	assert_equal "$output" "https://a/x?page%5Bnumber%5D=2&page%5Bsize%5D=1"
}

@test "jsonapi-paginate: a data element that is not an object is rejected as read, its value kept" {
	cd "$BATS_TEST_TMPDIR"
	printf '{"data":[1,"x",{"type":"t","id":"1"},[2]]}' >p.json
	run -0 --separate-stderr jsonapi-paginate --rejects rej.ndjson -o "$(OUT)" p.json
	assert_equal "$(cat "$(OUT)")" '{"type":"t","id":"1"}'
	assert_equal "$(cat rej.ndjson)" '{"value":1,"_file":"p.json","_line":1,"_reason":"not_resource"}
{"value":"x","_file":"p.json","_line":1,"_reason":"not_resource"}
{"value":[2],"_file":"p.json","_line":1,"_reason":"not_resource"}'
}

@test "jsonapi-paginate: --rejects takes data elements without type" {
	# Relative to $FIX, so the _file in the golden holds no checkout path.
	cd "$FIX"
	run -0 --separate-stderr jsonapi-paginate --stats --rejects "$BATS_TEST_TMPDIR/rej" \
	    -o "$(OUT)" notres.page.json
	[ -z "$output" ]
	assert_equal "$stderr" '{"read":2,"written":1,"filtered":0,"rejected":1,"pages":1,"duplicate_pages":0,"missing_pages":0,"duplicate_resources":0,"reasons":{"not_resource":1}}'
	assert_golden notres.rejects.out "$BATS_TEST_TMPDIR/rej"
}

@test "jsonapi-paginate: a huge in-order page streams; out of order it is an error" {
	jsonapi-paginate --page-buffer 100 "$FIX/num-p1.page.json" \
	    "$FIX/num-p2.page.json" "$FIX/num-p3.page.json" >"$(OUT)"
	assert_golden num.out
	run -2 --separate-stderr jsonapi-paginate --page-buffer 100 -o "$(OUT)" \
	    "$FIX/num-p2.page.json" "$FIX/num-p1.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/num-p2.page.json:1: page https://api.example.com/v1/vehicles?page[number]=2&page[size]=2&apikey=… is out of order and too large to hold (over 100 bytes, --page-buffer): give the pages in order"
}

@test "jsonapi-paginate: huge in-order pages stream as CSV rows too" {
	jsonapi-paginate --page-buffer 100 --flatten --to csv "$FIX/num-p1.page.json" \
	    "$FIX/num-p2.page.json" "$FIX/num-p3.page.json" \
	    "$FIX/off-p1.page.json" "$FIX/off-p2.page.json" >"$(OUT)"
	assert_golden flatten.csv.out
}

@test "jsonapi-paginate: a bare resource is not a JSON:API document" {
	run -2 --separate-stderr jsonapi-paginate "$FIX/resource.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/resource.page.json:1: not a JSON:API document (no data, errors or meta)"
}

@test "jsonapi-paginate: a truncated document names file and line" {
	run -2 --separate-stderr jsonapi-paginate "$FIX/truncated.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/truncated.page.json:3:1: truncated document (unclosed '{' from line 2)"
}

# ==== JSON:API as the specification and the real APIs write it ====

@test "jsonapi-paginate: a first page whose self is the bare URL, prev null, is the first page" {
	jsonapi-paginate "$FIX/bare-p2.page.json" "$FIX/bare-p1.page.json" >"$(OUT)"
	assert_golden bare.out
}

@test "jsonapi-paginate: self http:// and first https:// (Citypoint), no prev member, is the first page" {
	jsonapi-paginate "$FIX/citypoint-p2.page.json" "$FIX/citypoint-p1.page.json" >"$(OUT)"
	assert_golden citypoint.out
}

@test "jsonapi-paginate: a page whose self is a later position than first is not taken for the first" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" "$FIX/citypoint-p2.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/citypoint-p2.page.json:1: missing page https://citypoint.example.ru/api/v2/points?page%5Bnumber%5D=1&page%5Bsize%5D=2"
}

@test "jsonapi-paginate: link objects {href, meta} order the pages (JSON:API 1.1)" {
	jsonapi-paginate "$FIX/linkobj-p3.page.json" "$FIX/linkobj-p1.page.json" \
	    "$FIX/linkobj-p2.page.json" >"$(OUT)"
	assert_golden linkobj.out
}

@test "jsonapi-paginate: link objects: a missing page is found" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" \
	    "$FIX/linkobj-p3.page.json" "$FIX/linkobj-p1.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/linkobj-p1.page.json:1: missing page https://api.example.com/v1/stores?page%5Bnumber%5D=2&page%5Bsize%5D=2"
}

@test "jsonapi-paginate: next and urls read link objects" {
	jsonapi-paginate next "$FIX/linkobj-p1.page.json" >"$(OUT)"
	assert_golden next-linkobj.out
	jsonapi-paginate urls "$FIX/linkobj-p1.page.json" >"$(OUT)"
	assert_golden urls-linkobj.out
	run -1 --separate-stderr jsonapi-paginate next "$FIX/linkobj-p3.page.json"
	[ -z "$output" ]
}

@test "jsonapi-paginate: next and urls percent-encode brackets so curl needs no -g" {
	jsonapi-paginate next "$FIX/num-p2.page.json" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "https://api.example.com/v1/vehicles?page%5Bnumber%5D=3&page%5Bsize%5D=2"
	jsonapi-paginate urls "$FIX/off-p1.page.json" >"$(OUT)"
	assert_golden urls-off.out
}

@test "jsonapi-paginate: brackets of an IPv6 host stay as they are" {
	printf '%s\n' '{"data":[{"type":"t","id":"1"}],"links":{"self":"http://[::1]:8080/t?page[number]=1&page[size]=1","next":"http://[::1]:8080/t?page[number]=2&page[size]=1"},"meta":{"total_count":2}}' >"$BATS_TEST_TMPDIR/p1.json"
	jsonapi-paginate next "$BATS_TEST_TMPDIR/p1.json" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "http://[::1]:8080/t?page%5Bnumber%5D=2&page%5Bsize%5D=1"
	jsonapi-paginate urls "$BATS_TEST_TMPDIR/p1.json" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "http://[::1]:8080/t?page%5Bnumber%5D=2&page%5Bsize%5D=1"
}

@test "jsonapi-paginate: --fields keeping no relationship (attribute) drops the relationships (attributes) member" {
	printf '%s\n' '{"data":[{"type":"article","id":"1","attributes":{"title":"T","body":"B"},"relationships":{"author":{"data":{"type":"people","id":"9"}}}}]}' >"$BATS_TEST_TMPDIR/in.json"
	jsonapi-paginate -f article=title "$BATS_TEST_TMPDIR/in.json" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" '{"type":"article","id":"1","attributes":{"title":"T"}}'
	jsonapi-paginate -f article=author "$BATS_TEST_TMPDIR/in.json" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" '{"type":"article","id":"1","relationships":{"author":{"data":{"type":"people","id":"9"}}}}'
}

@test "jsonapi-paginate: a meta-only document is valid: zero resources, its meta.count is no page count" {
	printf '%s\n' '{"meta":{"anything":"valid","count":3}}' >"$BATS_TEST_TMPDIR/meta.json"
	run -0 --separate-stderr jsonapi-paginate -o "$(OUT)" "$BATS_TEST_TMPDIR/meta.json"
	[ -z "$stderr" ]
	[ ! -s "$(OUT)" ]
}

@test "jsonapi-paginate: a document with only jsonapi and links is not JSON:API (no data, errors or meta)" {
	printf '%s\n' '{"jsonapi":{"version":"1.0"},"links":{"self":"http://www.example.com"}}' >"$BATS_TEST_TMPDIR/links.json"
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" "$BATS_TEST_TMPDIR/links.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $BATS_TEST_TMPDIR/links.json:1: not a JSON:API document (no data, errors or meta)"
}

# ==== the JSON:API 1.0 schema's test documents (../shared, never copied) ====

# Sets JSONAPI_DIR, or skips (visibly) when ../shared is not beside the tree.
jsonapi_suite() {
	JSONAPI_DIR="${SHARED:-$BATS_TEST_DIRNAME/../../shared}/conformance/jsonapi"
	[ -d "$JSONAPI_DIR/valid" ] || skip "no JSON:API test documents at $JSONAPI_DIR"
}

@test "jsonapi-paginate: conformance: every valid/with_success document gives its resources, exit 0" {
	jsonapi_suite
	local f n want bad=
	while IFS= read -r f; do
		n=0
		jsonapi-paginate -o "$(OUT)" "$f" 2>"$BATS_TEST_TMPDIR/err" || { bad+="$f: exit $?: $(cat "$BATS_TEST_TMPDIR/err")"$'\n'; continue; }
		want=$(jq '(.data // []) | if type == "array" then length else 1 end' "$f")
		n=$(wc -l <"$(OUT)")
		[ "$n" -eq "$want" ] || bad+="$f: $n resources written, $want in data"$'\n'
	done < <(find "$JSONAPI_DIR/valid/with_success" -name '*.json' | sort)
	[ -z "$bad" ] || { printf '%s' "$bad" >&2; return 1; }
}

@test "jsonapi-paginate: conformance: every valid/with_failure document is an error quoting the API, exit 2" {
	jsonapi_suite
	local f title bad= rc
	while IFS= read -r f; do
		rc=0
		jsonapi-paginate -o "$(OUT)" "$f" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
		title=$(jq -r '.errors[0].title' "$f")
		[ "$rc" -eq 2 ] || bad+="$f: exit $rc"$'\n'
		[ "$(wc -l <"$BATS_TEST_TMPDIR/err")" -eq 1 ] &&
		    grep -qF "jsonapi-paginate: $f:1: jsonapi error: " "$BATS_TEST_TMPDIR/err" &&
		    grep -qF "$title" "$BATS_TEST_TMPDIR/err" ||
		    bad+="$f: $(cat "$BATS_TEST_TMPDIR/err")"$'\n'
		[ ! -e "$(OUT)" ] || bad+="$f: output written"$'\n'
	done < <(find "$JSONAPI_DIR/valid/with_failure" -name '*.json' | sort)
	[ -z "$bad" ] || { printf '%s' "$bad" >&2; return 1; }
}

@test "jsonapi-paginate: conformance: every invalid document is rejected with one message or read leniently, never a crash" {
	jsonapi_suite
	local f rc bad= n=0
	while IFS= read -r f; do
		rc=0
		jsonapi-paginate -o "$(OUT)" "$f" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
		case $rc in
		0) ;;
		2)	[ "$(grep -c '' "$BATS_TEST_TMPDIR/err")" -eq 1 ] &&
			    grep -q "^jsonapi-paginate: $f:[0-9]*: " "$BATS_TEST_TMPDIR/err" ||
			    bad+="$f: $(cat "$BATS_TEST_TMPDIR/err")"$'\n'
			n=$((n + 1)) ;;
		*)	bad+="$f: exit $rc"$'\n' ;;
		esac
		rm -f "$(OUT)"
	done < <(find "$JSONAPI_DIR/invalid" -name '*.json' | sort)
	[ -z "$bad" ] || { printf '%s' "$bad" >&2; return 1; }
	[ "$n" -gt 0 ]
}

# ==== skip/limit listings (HomeStretch: {"result":[...],"total":N}, no links) ====

@test "jsonapi-paginate: urls --style skip prints every other page's URL from the first page's total" {
	jsonapi-paginate urls --style skip -b 'https://api.homestretch.ch/v1/places?key=K' \
	    "$FIX/hs-p1.page.json" >"$(OUT)"
	assert_golden urls-skip.out
	jsonapi-paginate urls --style skip -n 3 -b 'https://h.example/places?skip=0&limit=25&q=a[b]' \
	    "$FIX/hs-p1.page.json" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "https://h.example/places?skip=3&limit=3&q=a%5Bb%5D
https://h.example/places?skip=6&limit=3&q=a%5Bb%5D"
	jsonapi-paginate urls --style skip -b /places "$FIX/hs-p3.page.json" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "/places?skip=1&limit=1
/places?skip=2&limit=1
/places?skip=3&limit=1
/places?skip=4&limit=1
/places?skip=5&limit=1
/places?skip=6&limit=1"
}

@test "jsonapi-paginate: urls --style skip: everything on the first page is nothing to fetch; usage errors" {
	printf '{"result":[{"id":"a"}],"total":1}\n' >"$BATS_TEST_TMPDIR/one.json"
	jsonapi-paginate urls --style skip -b /places "$BATS_TEST_TMPDIR/one.json" >"$(OUT)"
	[ ! -s "$(OUT)" ]
	run -2 --separate-stderr jsonapi-paginate urls --style skip "$FIX/hs-p1.page.json"
	assert_equal "${stderr_lines[0]}" "jsonapi-paginate: urls --style skip needs -b URL: a skip/limit listing has no links"
	run -2 --separate-stderr jsonapi-paginate next --style skip "$FIX/hs-p1.page.json"
	assert_equal "${stderr_lines[0]}" "jsonapi-paginate: --style skip is for urls and records: a skip/limit listing has no links to follow or write"
	run -2 --separate-stderr jsonapi-paginate urls --style skip -b /p "$FIX/num-p1.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/num-p1.page.json:1: not a skip/limit page: want {\"result\":[...],\"total\":N}"
}

@test "jsonapi-paginate: skip/limit pages are detected and read as one stream, checked against total" {
	jsonapi-paginate "$FIX/hs-p1.page.json" "$FIX/hs-p2.page.json" "$FIX/hs-p3.page.json" >"$(OUT)"
	assert_golden hs.out
	jsonapi-paginate records --style skip --stats "$FIX/hs-p1.page.json" "$FIX/hs-p2.page.json" \
	    "$FIX/hs-p3.page.json" >"$(OUT)" 2>"$BATS_TEST_TMPDIR/stats"
	assert_golden hs.out
	grep -q '"read":7,"written":7,"filtered":0,"rejected":0' "$BATS_TEST_TMPDIR/stats"
	grep -q '"pages":3,' "$BATS_TEST_TMPDIR/stats"
}

@test "jsonapi-paginate: skip/limit: a missing page is an error; --allow-partial writes the rest, exit 1" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" "$FIX/hs-p1.page.json" "$FIX/hs-p3.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/hs-p1.page.json:1: the listing is incomplete: 4 of its 7 items read in 2 pages (a page is missing: download every page up to the total)"
	[ ! -e "$(OUT)" ]
	run -1 --separate-stderr jsonapi-paginate --allow-partial -o "$(OUT)" "$FIX/hs-p1.page.json" "$FIX/hs-p3.page.json"
	[ "$(wc -l <"$(OUT)")" -eq 4 ]
}

@test "jsonapi-paginate: skip/limit: pages that disagree on total, or an id twice, are errors" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" "$FIX/hs-p1.page.json" "$FIX/hs-total.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/hs-total.page.json:1: total is 8 but $FIX/hs-p1.page.json:1 said 7: the listing changed while its pages were downloaded (download them again)"
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" "$FIX/hs-p1.page.json" "$FIX/hs-dup.page.json"
	assert_equal "$stderr" "jsonapi-paginate: $FIX/hs-dup.page.json:1: item id p3 listed twice (first at $FIX/hs-p1.page.json:1): pages overlap, the listing changed while it was downloaded"
	[ ! -e "$(OUT)" ]
}

@test "jsonapi-paginate: skip/limit: --type, --fields, --flatten and --resolve are errors, never ignored" {
	# Their items are plain objects: a filter that does nothing would pass
	# every item on as if it had been filtered.
	local opt name
	for opt in "-t place" "--type=place" "-f place=name" --flatten --resolve; do
		name=${opt%% *}
		name=${name%%=*}
		[ "$name" = -t ] && name=--type
		[ "$name" = -f ] && name=--fields
		run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" $opt "$FIX/hs-p1.page.json" \
		    "$FIX/hs-p2.page.json" "$FIX/hs-p3.page.json"
		[ -z "$output" ]
		assert_equal "$stderr" "jsonapi-paginate: $FIX/hs-p1.page.json:1: $name is for JSON:API resources; the items of a skip/limit page ({\"result\":[...]}) have no type, attributes or relationships"
		[ ! -e "$(OUT)" ]
		run -2 --separate-stderr jsonapi-paginate records --style skip $opt "$FIX/hs-p1.page.json"
		[ -z "$output" ]
		assert_equal "${stderr_lines[0]}" "jsonapi-paginate: $name is for JSON:API resources; the items of a skip/limit page ({\"result\":[...]}) have no type, attributes or relationships"
	done
}

@test "jsonapi-paginate: skip/limit: an item without an id is rejected, never a crash" {
	printf '%s\n' '{"result":[{"id":"a"},{"name":"no id"},7,{"id":null}],"total":4}' >"$BATS_TEST_TMPDIR/p.json"
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" "$BATS_TEST_TMPDIR/p.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $BATS_TEST_TMPDIR/p.json:1: item of result has no id"
	run -0 --separate-stderr jsonapi-paginate --rejects "$BATS_TEST_TMPDIR/rj" -o "$(OUT)" "$BATS_TEST_TMPDIR/p.json"
	assert_equal "$(cat "$(OUT)")" '{"id":"a"}'
	[ "$(wc -l <"$BATS_TEST_TMPDIR/rj")" -eq 3 ]
}

@test "jsonapi-paginate: a HomeStretch error body is an error quoting the API, with or without --style skip" {
	run -2 --separate-stderr jsonapi-paginate -o "$(OUT)" "$FIX/hs-p1.page.json" "$FIX/hs-error.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/hs-error.page.json:1: the API answered 400 limit must be <= 150"
	run -2 --separate-stderr jsonapi-paginate urls --style skip -b /p "$FIX/hs-error.page.json"
	assert_equal "$stderr" "jsonapi-paginate: $FIX/hs-error.page.json:1: the API answered 400 limit must be <= 150"
}

@test "jsonapi-paginate: skip/limit round trip: first page -> urls --style skip -> curl --parallel -> records" {
	start_api --total 17
	curl -fsS --max-time 20 "$API/homestretch/places?limit=5" >"$BATS_TEST_TMPDIR/p1.json"
	jsonapi-paginate urls --style skip -b "$API/homestretch/places?limit=5" "$BATS_TEST_TMPDIR/p1.json" \
	    >"$BATS_TEST_TMPDIR/urls"
	awk '{ printf "url = \"%s\"\noutput = \"p%d.json\"\n", $0, NR + 1 }' "$BATS_TEST_TMPDIR/urls" >"$BATS_TEST_TMPDIR/curl.conf"
	(cd "$BATS_TEST_TMPDIR" && curl -fsS --max-time 20 --parallel --config curl.conf)
	jsonapi-paginate "$BATS_TEST_TMPDIR"/p*.json >"$(OUT)"
	[ "$(wc -l <"$(OUT)")" -eq 17 ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/requests")" -eq 4 ]
}

# ==== next and urls ====

@test "jsonapi-paginate: next prints the next page's URL" {
	jsonapi-paginate next "$FIX/num-p1.page.json" >"$(OUT)"
	assert_golden next.out
}

@test "jsonapi-paginate: next of pages appended to one file is the page after the last" {
	cat "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" >"$BATS_TEST_TMPDIR/all.json"
	jsonapi-paginate next "$BATS_TEST_TMPDIR/all.json" >"$(OUT)"
	assert_golden next-p2.out
	cat "$FIX/num-p3.page.json" >>"$BATS_TEST_TMPDIR/all.json"
	run -1 --separate-stderr jsonapi-paginate next "$BATS_TEST_TMPDIR/all.json"
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "jsonapi-paginate: next exits 1 on the last page" {
	run -1 --separate-stderr jsonapi-paginate next "$FIX/off-p2.page.json"
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "jsonapi-paginate: next on an errors document is an error" {
	run -2 --separate-stderr jsonapi-paginate next "$FIX/errors.page.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/errors.page.json:1: jsonapi error: 401 unauthorized: Unauthorized: The API key is not valid"
}

@test "jsonapi-paginate: next pointing at the page itself is an error, exit 2" {
	printf '{"links":{"self":"https://h.example/v?page[number]=2","next":"https://h.example/v?page%%5Bnumber%%5D=2"},"data":[]}\n' >"$BATS_TEST_TMPDIR/p.json"
	run -2 --separate-stderr jsonapi-paginate next "$BATS_TEST_TMPDIR/p.json"
	[ -z "$output" ]
	[ "$stderr" = "jsonapi-paginate: $BATS_TEST_TMPDIR/p.json:1: links.next is this page's own links.self (https://h.example/v?page%5Bnumber%5D=2): a download loop would never end" ]
}

@test "jsonapi-paginate: next on a Twins error envelope is an error, not the last page" {
	printf '{"meta":{"code":400,"message":"invalid params"}}\n' >"$BATS_TEST_TMPDIR/e.json"
	run -2 --separate-stderr jsonapi-paginate next "$BATS_TEST_TMPDIR/e.json"
	[ -z "$output" ]
	[ "$stderr" = "jsonapi-paginate: $BATS_TEST_TMPDIR/e.json:1: the API answered 400 invalid params" ]
}

@test "jsonapi-paginate: next on an empty file is an error" {
	: >"$BATS_TEST_TMPDIR/e.json"
	run -2 --separate-stderr jsonapi-paginate next "$BATS_TEST_TMPDIR/e.json"
	[ -z "$output" ]
	[ "$stderr" = "jsonapi-paginate: $BATS_TEST_TMPDIR/e.json: empty file: not a page" ]
}

@test "jsonapi-paginate: urls lists the other pages, number/size style" {
	jsonapi-paginate urls "$FIX/num-p1.page.json" >"$(OUT)"
	assert_golden urls-num.out
}

@test "jsonapi-paginate: urls lists the other pages, offset/limit style" {
	jsonapi-paginate urls "$FIX/off-p1.page.json" >"$(OUT)"
	assert_golden urls-off.out
}

@test "jsonapi-paginate: urls of a single resource is nothing to fetch" {
	jsonapi-paginate urls "$FIX/single.page.json" >"$(OUT)"
	[ ! -s "$(OUT)" ]
}

@test "jsonapi-paginate: urls and next round trip: fetching the URLs gives every page" {
	jsonapi-paginate urls "$FIX/num-p2.page.json" >"$(OUT)"
	assert_golden urls-num-p2.out
	jsonapi-paginate next "$FIX/num-p2.page.json" >"$BATS_TEST_TMPDIR/next"
	assert_golden next-p2.out "$BATS_TEST_TMPDIR/next"
}

@test "jsonapi-paginate: urls of a packed first page are the other pages' self links" {
	for style in number offset; do
		jsonapi-paginate pack -n 2 -b 'https://h.example/v1/cars?sort=id' \
		    --style "$style" "$FIX/flatten.out" >"$BATS_TEST_TMPDIR/pages"
		head -n 1 "$BATS_TEST_TMPDIR/pages" >"$BATS_TEST_TMPDIR/first"
		jsonapi-paginate urls "$BATS_TEST_TMPDIR/first" >"$(OUT)"
		tail -n +2 "$BATS_TEST_TMPDIR/pages" >"$BATS_TEST_TMPDIR/rest"
		jq -r .links.self "$BATS_TEST_TMPDIR/rest" >"$BATS_TEST_TMPDIR/want"
		[ "$(wc -l <"$(OUT)")" -eq 3 ]
		cmp "$BATS_TEST_TMPDIR/want" "$(OUT)"
	done
}

# ==== pack ====

@test "jsonapi-paginate: pack writes pages with links and meta, number style" {
	jsonapi-paginate pack --size 2 --base https://api.example.com/v1/vehicles \
	    "$FIX/num.out" >"$(OUT)"
	assert_golden pack-num.out
}

@test "jsonapi-paginate: pack then records gives back exactly the input (number)" {
	jsonapi-paginate pack --size 2 --base https://api.example.com/v1/vehicles \
	    "$FIX/flatten.out" "$FIX/num.out" >"$BATS_TEST_TMPDIR/pages"
	jsonapi-paginate "$BATS_TEST_TMPDIR/pages" >"$(OUT)"
	cat "$FIX/flatten.out" "$FIX/num.out" >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$(OUT)"
}

@test "jsonapi-paginate: pack then records gives back exactly the input (offset)" {
	jsonapi-paginate pack -n 2 -b 'https://fleet.example.net/api/user/42/spectator' \
	    --style offset "$FIX/off.out" >"$BATS_TEST_TMPDIR/pages"
	assert_golden pack-off.out "$BATS_TEST_TMPDIR/pages"
	jsonapi-paginate "$BATS_TEST_TMPDIR/pages" >"$(OUT)"
	assert_golden off.out
}

@test "jsonapi-paginate: pack of nothing is one empty page" {
	jsonapi-paginate pack -n 100 -b 'https://h.example/x?filter=a' </dev/null >"$(OUT)"
	assert_golden pack-empty.out
}

@test "jsonapi-paginate: pack --type keeps one type" {
	jsonapi-paginate pack -n 5 -b /v1/things -t spectator \
	    "$FIX/num.out" "$FIX/off.out" >"$(OUT)"
	assert_golden pack-type.out
}

@test "jsonapi-paginate: pack refuses a line that is not a resource" {
	run -2 --separate-stderr jsonapi-paginate pack -n 2 -b /x "$FIX/plain.in.ndjson"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/plain.in.ndjson:1: not a JSON:API resource (no \"type\")"
}

# ==== usage ====

@test "jsonapi-paginate: --help and --version" {
	jsonapi-paginate --help >"$(OUT)"
	grep -q '^usage: jsonapi-paginate \[records\] \[--style skip\] \[OPTIONS\] \[FILE...\]$' "$(OUT)"
	run -0 jsonapi-paginate --version
	assert_equal "$output" "jsonapi-paginate (dumpkit) $DUMPKIT_VERSION"
}

@test "jsonapi-paginate: pack without --size is a usage error" {
	run -2 --separate-stderr jsonapi-paginate pack -b /x
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "jsonapi-paginate: pack needs --size N and --base URL" ]
}

@test "jsonapi-paginate: a records option on another subcommand is a usage error" {
	run -2 --separate-stderr jsonapi-paginate next --flatten "$FIX/num-p1.page.json"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "jsonapi-paginate: --flatten is an option of records" ]
}

@test "jsonapi-paginate: --columns without CSV output is a usage error" {
	run -2 --separate-stderr jsonapi-paginate --columns id "$FIX/num-p1.page.json"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "jsonapi-paginate: --columns needs --to csv or --to tsv" ]
}

@test "jsonapi-paginate: CSV input options are refused" {
	run -2 --separate-stderr jsonapi-paginate --from csv "$FIX/num-p1.page.json"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "jsonapi-paginate: --from csv: the input is JSON:API (json)" ]
}

@test "jsonapi-paginate: a missing file is an error" {
	run -2 --separate-stderr jsonapi-paginate "$FIX/nope.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $FIX/nope.json: No such file or directory"
}

@test "jsonapi-paginate: write failure is an error, exit 2" {
	run -2 --separate-stderr bash -c 'jsonapi-paginate "$@" >/dev/full' _ \
	    "$FIX/num-p1.page.json" "$FIX/num-p2.page.json" "$FIX/num-p3.page.json"
	[ -n "$stderr" ]
}

@test "jsonapi-paginate: urls and next refuse the option given, by its name only" {
	run --separate-stderr jsonapi-paginate urls --stats "$BATS_TEST_DIRNAME/../samples/jsonapi/vehicles-p1.json"
	[ "$status" -eq 2 ]
	[[ ${stderr%%$'\n'*} == "jsonapi-paginate: --stats is not an option of urls" ]]
	run --separate-stderr jsonapi-paginate next -t car "$BATS_TEST_DIRNAME/../samples/jsonapi/vehicles-p1.json"
	[ "$status" -eq 2 ]
	[[ ${stderr%%$'\n'*} == "jsonapi-paginate: --type is not an option of next" ]]
}

@test "jsonapi-paginate: --flatten rejects a resource whose attribute or relationship would stand twice" {
	cd "$BATS_TEST_TMPDIR"
	printf '%s\n' '{"data":[{"type":"vehicle","id":"1","attributes":{"type":"truck","name":"T"}},{"type":"vehicle","id":"2","attributes":{"name":"U"},"relationships":{"name":{"data":{"type":"n","id":"5"}}}},{"type":"vehicle","id":"3","attributes":{"name":"V"}}]}' >clash.json
	run --separate-stderr jsonapi-paginate --flatten clash.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "jsonapi-paginate: clash.json:1: field 'type' stands twice when flattened (JSON:API forbids attributes and relationships named id or type, or sharing a name)" ]
	run --separate-stderr jsonapi-paginate --flatten --rejects r.ndjson --stats clash.json
	[ "$status" -eq 0 ]
	[ "$output" = '{"id":"3","type":"vehicle","name":"V"}' ]
	[ "$(cut -c1-200 r.ndjson | sed 's/.*"_reason":"\([a-z_]*\)".*/\1/')" = "$(printf 'field_clash\nfield_clash')" ]
	[[ $stderr == *'"read":3,"written":1,"filtered":0,"rejected":2'* ]]
	run -0 jsonapi-paginate clash.json
	[ "${#lines[@]}" -eq 3 ]
}

# ==== secrets (DESIGN §4: none reaches a rejects file or stderr) ====

@test "jsonapi-paginate: --rejects masks secrets in nested arrays, objects and links" {
	cd "$BATS_TEST_TMPDIR"
	printf '%s' '{"data":[{"id":"1","attributes":{"L":["https://q/?token=SEKRET6",7],"O":{"u":"https://q/?apikey=SEKRET7","v":"https://q/?page=2"}},"relationships":{"x":{"links":{"related":"https://q/?token=SEKRET2"}}}},{"type":"t","id":"2"}]}' >p.json
	run -0 --separate-stderr jsonapi-paginate --rejects rej.ndjson p.json
	assert_equal "$output" '{"type":"t","id":"2"}'
	assert_equal "$(cat rej.ndjson)" '{"id":"1","attributes":{"L":["https://q/?token=…",7],"O":{"u":"https://q/?apikey=…","v":"https://q/?page=2"}},"relationships":{"x":{"links":{"related":"https://q/?token=…"}}},"_file":"p.json","_line":1,"_reason":"not_resource"}'
}

@test "jsonapi-paginate: next masks key= in the download loop message" {
	cd "$BATS_TEST_TMPDIR"
	printf '%s' '{"links":{"self":"https://a/x?page=2&key=SEKRET1","next":"https://a/x?page=2&key=SEKRET1"},"data":[]}' >loop.json
	run -2 --separate-stderr jsonapi-paginate next loop.json
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: loop.json:1: links.next is this page's own links.self (https://a/x?page=2&key=…): a download loop would never end"
}

@test "jsonapi-paginate: a missing page's message masks its _cpKey= as well as apikey=" {
	cd "$BATS_TEST_TMPDIR"
	printf '%s' '{"links":{"self":"https://a/s?page[offset]=0&apikey=K&_cpKey=SEKRET2SEKRET2","next":"https://a/s?page[offset]=1&apikey=K&_cpKey=SEKRET2SEKRET2"},"meta":{"total_count":2},"data":[{"type":"spectator","id":"1","attributes":{"ValidTill":null}}]}' >sp1.json
	run -2 --separate-stderr jsonapi-paginate -o out sp1.json
	assert_equal "$stderr" "jsonapi-paginate: sp1.json:1: missing page https://a/s?page[offset]=1&apikey=…&_cpKey=SEK…ET2"
}

# ==== malformed links ====

# A page whose links.next is $1 (JSON text), for the malformed-link tests.
bad_next_page() {
	printf '{"data":[{"type":"car","id":"1"}],"links":{"self":"https://a/x?page[number]=1","next":%s}}\n' "$1" >"$BATS_TEST_TMPDIR/nx.json"
}

@test "jsonapi-paginate: a links.next that is no link is an error naming file:line, never the last page" {
	local nx="$BATS_TEST_TMPDIR/nx.json" v
	for v in '{"meta":{"a":1}}' 5 true '[]' '{"href":7}'; do
		bad_next_page "$v"
		run -2 --separate-stderr jsonapi-paginate next -o "$(OUT)" "$nx"
		[ -z "$output" ]
		[ ! -e "$(OUT)" ]
		assert_equal "$stderr" "jsonapi-paginate: $nx:1: links.next is not a link: want null, a URL string or an object with a string href"
		run -2 --separate-stderr jsonapi-paginate --stats -o "$(OUT)" "$nx"
		[ -z "$output" ]
		[ ! -e "$(OUT)" ]
		assert_equal "$stderr" "jsonapi-paginate: $nx:1: links.next is not a link: want null, a URL string or an object with a string href"
		run -2 --separate-stderr jsonapi-paginate urls -o "$(OUT)" "$nx"
		[ -z "$output" ]
		[ ! -e "$(OUT)" ]
		assert_equal "$stderr" "jsonapi-paginate: $nx:1: links.next is not a link: want null, a URL string or an object with a string href"
	done
}

@test "jsonapi-paginate: a links.self, prev, first or last that is no link is an error too" {
	local f="$BATS_TEST_TMPDIR/bad.json"
	printf '{"data":[],"meta":{"found_rows":0},"links":{"self":5}}\n' >"$f"
	run -2 --separate-stderr jsonapi-paginate "$f"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $f:1: links.self is not a link: want null, a URL string or an object with a string href"
	run -2 --separate-stderr jsonapi-paginate next "$f"
	assert_equal "$stderr" "jsonapi-paginate: $f:1: links.self is not a link: want null, a URL string or an object with a string href"
	printf '{"data":[],"meta":{"found_rows":0},"links":{"self":"https://a/x?page[number]=2","prev":{"meta":{}}}}\n' >"$f"
	run -2 --separate-stderr jsonapi-paginate "$f"
	assert_equal "$stderr" "jsonapi-paginate: $f:1: links.prev is not a link: want null, a URL string or an object with a string href"
	printf '{"data":[],"meta":{"found_rows":0},"links":{"self":"https://a/x?page[number]=1","first":[]}}\n' >"$f"
	run -2 --separate-stderr jsonapi-paginate "$f"
	assert_equal "$stderr" "jsonapi-paginate: $f:1: links.first is not a link: want null, a URL string or an object with a string href"
	printf '{"data":[],"links":{"self":"https://a/x?page[number]=1","last":true}}\n' >"$f"
	run -2 --separate-stderr jsonapi-paginate urls "$f"
	assert_equal "$stderr" "jsonapi-paginate: $f:1: links.last is not a link: want null, a URL string or an object with a string href"
}

@test "jsonapi-paginate: null links and link objects with href still work" {
	bad_next_page null
	run -1 --separate-stderr jsonapi-paginate next "$BATS_TEST_TMPDIR/nx.json"
	[ -z "$output" ]
	[ -z "$stderr" ]
	bad_next_page '{"href":"https://a/x?page[number]=2","meta":{"a":1}}'
	jsonapi-paginate next "$BATS_TEST_TMPDIR/nx.json" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "https://a/x?page%5Bnumber%5D=2"
}

# ==== skip limits, operands, records-only options ====

@test "jsonapi-paginate: urls --style skip: a first page shorter than the limit and total is an error" {
	local s1="$BATS_TEST_TMPDIR/s1.json"
	printf '{"result":[{"id":1},{"id":2}],"total":5}' >"$s1"
	run -2 --separate-stderr jsonapi-paginate urls --style skip -b https://h/places -n 3 -o "$(OUT)" "$s1"
	[ -z "$output" ]
	[ ! -e "$(OUT)" ]
	assert_equal "$stderr" "jsonapi-paginate: $s1:1: the first page holds 2 items, fewer than the limit 3 and the total 5: it was fetched with another limit, or the listing shifted"
	# A limit that covers the rest, and a page as long as it, are fine.
	jsonapi-paginate urls --style skip -b https://h/places -n 2 "$s1" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "https://h/places?skip=2&limit=2
https://h/places?skip=4&limit=2"
	printf '{"result":[{"id":1},{"id":2}],"total":2}' >"$s1"
	jsonapi-paginate urls --style skip -b https://h/places -n 3 "$s1" >"$(OUT)"
	[ ! -s "$(OUT)" ]
	# An empty first page: the limit cannot come from it.
	printf '{"result":[],"total":5}' >"$s1"
	run -2 --separate-stderr jsonapi-paginate urls --style skip -b https://h/places "$s1"
	assert_equal "$stderr" "jsonapi-paginate: $s1:1: the first page is empty but total is 5: give the page size with -n"
	run -2 --separate-stderr jsonapi-paginate urls --style skip -b https://h/places -n 3 "$s1"
	assert_equal "$stderr" "jsonapi-paginate: $s1:1: the first page holds 0 items, fewer than the limit 3 and the total 5: it was fetched with another limit, or the listing shifted"
}

@test "jsonapi-paginate: urls --style skip: -n above the HomeStretch limit of 150 is a usage error" {
	run -2 --separate-stderr jsonapi-paginate urls --style skip -b https://h/places -n 151 -o "$(OUT)" "$FIX/hs-p1.page.json"
	[ -z "$output" ]
	[ ! -e "$(OUT)" ]
	assert_equal "${stderr_lines[0]}" "jsonapi-paginate: --size 151: a skip/limit listing (HomeStretch places) takes a limit of at most 150"
	printf '{"result":[{"id":"a"}],"total":1}\n' >"$BATS_TEST_TMPDIR/one.json"
	jsonapi-paginate urls --style skip -b /places -n 150 "$BATS_TEST_TMPDIR/one.json" >"$(OUT)"
	[ ! -s "$(OUT)" ]
}

@test "jsonapi-paginate: standard input (-) given twice is a usage error" {
	run -2 --separate-stderr bash -c 'printf "{\"data\":[],\"meta\":{\"x\":1}}" | jsonapi-paginate - -'
	[ -z "$output" ]
	assert_equal "${stderr_lines[0]}" "jsonapi-paginate: standard input (-) given twice"
	run -2 --separate-stderr bash -c 'printf "{\"data\":[],\"meta\":{\"x\":1}}" | jsonapi-paginate records --stats - "$1" -' _ "$FIX/num-p1.page.json"
	assert_equal "${stderr_lines[0]}" "jsonapi-paginate: standard input (-) given twice"
}

@test "jsonapi-paginate: --page-buffer is an option of records only" {
	local c
	for c in next urls; do
		run -2 --separate-stderr jsonapi-paginate $c --page-buffer 1M -o "$(OUT)" "$FIX/num-p1.page.json"
		[ -z "$output" ]
		[ ! -e "$(OUT)" ]
		assert_equal "${stderr_lines[0]}" "jsonapi-paginate: --page-buffer is an option of records"
	done
	run -2 --separate-stderr jsonapi-paginate pack -n 2 -b https://a/x --page-buffer 1M -o "$(OUT)" "$FIX/num.out"
	[ -z "$output" ]
	[ ! -e "$(OUT)" ]
	assert_equal "${stderr_lines[0]}" "jsonapi-paginate: --page-buffer is an option of records"
}

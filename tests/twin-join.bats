#!/usr/bin/env bats
# tests/twin-join.bats: twin-join(1) attaches 2GIS ids to partner records.

bats_require_minimum_version 1.5.0
TOOL=twin-join
load helpers

OUT() { echo "$BATS_TEST_TMPDIR/out"; }

# ==== join kinds ====

@test "twin-join: inner join adds dgis_id and dgis_type, one row per twin" {
	twin-join -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden basic.out
}

@test "twin-join: --left keeps records without a twin, new fields empty" {
	twin-join --left -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden left.out
}

@test "twin-join: --unmatched writes only the records without a twin, as read" {
	twin-join --unmatched -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden unmatched.out
}

@test "twin-join: --orphans writes the links no record has, as link rows" {
	twin-join --orphans -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden orphans.out
}

@test "twin-join: --full writes records, then orphan links under their key" {
	twin-join --full -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden full.out
}

@test "twin-join: --multi first keeps the first twin only" {
	twin-join --multi first -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden multi-first.out
}

@test "twin-join: --multi list joins the twins with ; in CSV" {
	twin-join --multi list -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden multi-list.out
}

@test "twin-join: --multi list gives arrays in JSON, 17-digit numbers keep every digit" {
	twin-join --by dgis --multi list -l "$FIX/basic.links.csv" --rejects "$BATS_TEST_TMPDIR/rj" \
	    "$FIX/dgis.partner.ndjson" >"$(OUT)"
	assert_golden multi-list-json.out
}

@test "twin-join: --multi error rejects a key with several twins" {
	run -2 --separate-stderr twin-join --multi error -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/basic.partner.csv:5: key 23990 has 2 twins" ]
}

@test "twin-join: --report adds up with --multi error: a rejected record is not also matched" {
	printf 'dgis_id,dgis_type,partner_id,partner_type,partner_code\n1,branch,10,branch,sf\n2,branch,10,branch,sf\n3,branch,11,branch,sf\n' >"$BATS_TEST_TMPDIR/l.csv"
	printf 'partner_id,name\n10,a\n11,b\n12,c\n11,d\n' >"$BATS_TEST_TMPDIR/r.csv"
	run -0 --separate-stderr twin-join --multi error --rejects "$BATS_TEST_TMPDIR/rj.csv" --report \
	    -o "$(OUT)" -l "$BATS_TEST_TMPDIR/l.csv" "$BATS_TEST_TMPDIR/r.csv"
	assert_equal "$stderr" '{"records":4,"matched":2,"unmatched":1,"rejected":1,"links":3,"duplicate_links":0,"orphans":0,"keys":{"1:1":0,"1:N":1,"N:1":1,"N:M":0}}'
}

@test "twin-join: --multi error with --rejects writes the others" {
	cd "$FIX"
	twin-join --multi error --rejects "$BATS_TEST_TMPDIR/rj.csv" -l basic.links.csv \
	    basic.partner.csv >"$(OUT)"
	assert_golden multi-error.out
	assert_golden multi-error.rejects.out "$BATS_TEST_TMPDIR/rj.csv"
}

@test "twin-join: --by dgis adds partner_code, partner_id, partner_type; NDJSON out" {
	cd "$FIX"
	twin-join --by dgis --left --rejects "$BATS_TEST_TMPDIR/rj.ndjson" \
	    -l basic.links.csv dgis.partner.ndjson >"$(OUT)"
	assert_golden by-dgis.out
	assert_golden by-dgis.rejects.out "$BATS_TEST_TMPDIR/rj.ndjson"
}

@test "twin-join: --to ndjson writes CSV records as JSON objects" {
	twin-join --to ndjson --left -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden left.ndjson.out
}

@test "twin-join: -k names the key column" {
	twin-join -k pid -l "$FIX/basic.links.csv" "$FIX/pid.partner.csv" >"$(OUT)"
	assert_golden pid.out
}

@test "twin-join: several record files are one stream, empty ones included with --allow-empty" {
	twin-join --left --allow-empty -l "$FIX/basic.links.csv" "$FIX/header.partner.csv" "$FIX/basic.partner.csv" \
	    "$FIX/header.partner.csv" "$FIX/oneone.partner.csv" >"$(OUT)"
	assert_golden several.out
}

# CSV records going to CSV or TSV are joined as rows of cells, without a
# record each (join_cells_ok()); everything else as records.  Both must
# give the same bytes.

@test "twin-join: a dgis_id column in the records is overwritten, not doubled" {
	printf 'partner_id,dgis_id,name\n21934,old,Coffee\n50001,,New\n' >"$BATS_TEST_TMPDIR/r.csv"
	run -0 twin-join --left -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.csv"
	[ "$output" = "partner_id,dgis_id,name,dgis_type
21934,1267165676509882,Coffee,branch
50001,,New," ]
}

@test "twin-join: a second input with its columns reordered is joined by name" {
	printf 'name,partner_id\n"Two, words",22842\nNone,1\n' >"$BATS_TEST_TMPDIR/r.csv"
	run -0 twin-join --left -l "$FIX/basic.links.csv" "$FIX/oneone.partner.csv" "$BATS_TEST_TMPDIR/r.csv"
	[ "${lines[0]}" = "$(head -1 "$FIX/oneone.partner.csv"),dgis_id,dgis_type" ]
	[ "${lines[-2]}" = '22842,"Two, words",2674540563776880,branch' ]
	[ "${lines[-1]}" = "1,None,," ]
}

@test "twin-join: ; input, --out-delimiter , output: cells quoted for the comma, --csv-safe" {
	printf 'partner_id;name\n23990;Burgers, grill\n21939;=cmd\n' >"$BATS_TEST_TMPDIR/r.csv"
	run -0 twin-join --csv-safe --out-delimiter , -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.csv"
	[ "$output" = "partner_id,name,dgis_id,dgis_type
23990,\"Burgers, grill\",70000001020530434,branch
23990,\"Burgers, grill\",70000001020530435,building
21939,'=cmd,1267165676509882,branch" ]
}

@test "twin-join: 5000 records as rows and as records give the same bytes" {
	awk 'BEGIN { print "partner_id,name,note"
		split("21934 21939 22842 23990 50001 ", k, " ")
		for (i = 0; i < 5000; i++)
			printf "%s,name %d,\"q \"\"%d\"\", x\"\n", k[i % 5 + 1], i, i }' \
	    >"$BATS_TEST_TMPDIR/r.csv"
	for kind in "" --left --unmatched "--multi list" --orphans; do
		# shellcheck disable=SC2086
		twin-join $kind -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.csv" >"$BATS_TEST_TMPDIR/rows"
		# A jq -k takes the record path.
		# shellcheck disable=SC2086
		twin-join $kind -k .partner_id -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.csv" \
		    >"$BATS_TEST_TMPDIR/recs"
		cmp "$BATS_TEST_TMPDIR/rows" "$BATS_TEST_TMPDIR/recs"
	done
	twin-join --split "$BATS_TEST_TMPDIR/s1" -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.csv"
	twin-join --split "$BATS_TEST_TMPDIR/s2" -k .partner_id -l "$FIX/basic.links.csv" \
	    "$BATS_TEST_TMPDIR/r.csv"
	diff -r "$BATS_TEST_TMPDIR/s1" "$BATS_TEST_TMPDIR/s2"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/s1/ambiguous.csv")" -eq 2001 ]
	[ "$(twin-join -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.csv" | wc -l)" -eq 5001 ]
	[ "$(twin-join --unmatched -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.csv" | wc -l)" -eq 1001 ]
}

@test "twin-join: errors deep in a large input come in input order, with their line" {
	awk 'BEGIN { print "partner_id,name"
		for (i = 2; i <= 6000; i++)
			if (i == 4500) print "21934,too,many"
			else if (i == 5900) print "21934,\"open"
			else printf "21934,n%d\n", i }' >"$BATS_TEST_TMPDIR/r.csv"
	run -2 --separate-stderr twin-join -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.csv"
	[ "$stderr" = "twin-join: $BATS_TEST_TMPDIR/r.csv:4500: expected 2 fields, found 3" ]
	run -2 --separate-stderr twin-join --rejects "$BATS_TEST_TMPDIR/rj.csv" \
	    -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.csv"
	[ "$stderr" = "twin-join: $BATS_TEST_TMPDIR/r.csv:5900: unterminated quote" ]
}

@test "twin-join: -k takes a dotted path into JSON records" {
	twin-join -k ids.partner --left -l "$FIX/basic.links.csv" "$FIX/nested.partner.ndjson" >"$(OUT)"
	assert_golden nested.out
}

@test "twin-join: TSV in, TSV out" {
	twin-join --left -l "$FIX/basic.links.csv" "$FIX/tab.partner.tsv" >"$(OUT)"
	assert_golden tab.out
}

@test "twin-join: -z compresses the output" {
	twin-join -z -o "$BATS_TEST_TMPDIR/out.csv.gz" -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	gzip -dc "$BATS_TEST_TMPDIR/out.csv.gz" >"$(OUT)"
	assert_golden basic.out
}

@test "twin-join: --stats with --orphans counts every record as filtered" {
	twin-join --stats --orphans -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" \
	    >"$(OUT)" 2>"$BATS_TEST_TMPDIR/stats"
	assert_golden orphans.out
	assert_golden orphans.stats.out "$BATS_TEST_TMPDIR/stats"
}

@test "twin-join: a CSV header without the key column is an error up front" {
	run -2 --separate-stderr twin-join -l "$FIX/basic.links.csv" "$FIX/pid.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/pid.partner.csv:1: no partner_id column in the header (found 3 columns \"pid\", \"name\", \"city\" with delimiter ','; see -k and -d)" ]
}

# ==== the shapes of links ====

@test "twin-join: links from a search-by-dgis response (API example), -p filters" {
	twin-join -p sber-food -l "$FIX/dgis.links.json" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden dgis-shape.out
}

@test "twin-join: search-by-dgis links --by dgis, every partner code" {
	twin-join --by dgis --multi list -l "$FIX/dgis.links.json" "$FIX/dgis.partner.ndjson" \
	    --rejects "$BATS_TEST_TMPDIR/rj" >"$(OUT)"
	assert_golden dgis-shape-by-dgis.out
}

@test "twin-join: concatenated search-by-partner responses, numeric and string ids" {
	twin-join -p sber-food --orphans --allow-empty -l "$FIX/partner.links.json" "$FIX/header.partner.csv" >"$(OUT)"
	assert_golden partner-shape.out
}

@test "twin-join: search-by-partner links joined, 17-digit number id intact" {
	twin-join -p sber-food -l "$FIX/partner.links.json" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden partner-shape-join.out
}

@test "twin-join: NDJSON link rows" {
	twin-join -l "$FIX/rows.links.ndjson" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden rows-shape.out
}

@test "twin-join: several -l files are one set of links; duplicates count once" {
	twin-join --report -l "$FIX/rows.links.ndjson" -l "$FIX/basic.links.csv" \
	    "$FIX/basic.partner.csv" >"$(OUT)" 2>"$BATS_TEST_TMPDIR/report"
	assert_golden basic.out
	assert_golden dup-report.out "$BATS_TEST_TMPDIR/report"
}

@test "twin-join: a top-level items response and an array of link rows" {
	twin-join --orphans --allow-empty -p sber-food -l "$FIX/items.links.json" "$FIX/header.partner.csv" >"$(OUT)"
	assert_golden items-shape.out
}

@test "twin-join: links without a code and several -p codes are an error" {
	run -2 --separate-stderr twin-join --by dgis -p sber-food -p sber-ryadom -l "$FIX/partner.links.json" \
	    "$FIX/dgis.partner.ndjson"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/partner.links.json:1: the link names no partner code: give a single -p CODE for it" ]
}

@test "twin-join: links without a code and no -p keep an empty code" {
	twin-join --orphans --allow-empty -l "$FIX/partner.links.json" "$FIX/header.partner.csv" >"$(OUT)"
	assert_golden no-code.out
}

@test "twin-join: --links-cols maps other column names, -p supplies the code" {
	twin-join --links-cols dgis=id2gis,partner=pid,dgis_type=object_type,partner_type=kind \
	    -p sber-food --by dgis -l "$FIX/custom.links.csv" --rejects "$BATS_TEST_TMPDIR/rj" \
	    "$FIX/dgis.partner.ndjson" >"$(OUT)"
	assert_golden links-cols.out
}

@test "twin-join: any partner code is accepted without a warning (the API adds partners)" {
	twin-join -l "$FIX/unknown.links.ndjson" "$FIX/basic.partner.csv" >"$(OUT)" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden unknown.out
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
	twin-join -p sber-pizza -l "$FIX/unknown.links.ndjson" "$FIX/basic.partner.csv" >"$(OUT)" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden unknown.out
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
}

@test "twin-join: --partners validates codes against a saved list of partners" {
	printf '{"meta":{"code":200},"result":{"items":[{"code":"sber-food","name":"Food"},{"code":"afisha"}],"total":2}}\n' >"$BATS_TEST_TMPDIR/partners.json"
	run -2 --separate-stderr twin-join --partners "$BATS_TEST_TMPDIR/partners.json" -p sber-pizza \
	    -l "$FIX/unknown.links.ndjson" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "twin-join: unknown partner code \"sber-pizza\": not in $BATS_TEST_TMPDIR/partners.json" ]
	twin-join --partners "$BATS_TEST_TMPDIR/partners.json" -l "$FIX/unknown.links.ndjson" \
	    "$FIX/basic.partner.csv" >"$(OUT)" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden unknown.out
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "twin-join: $FIX/unknown.links.ndjson:1: unknown partner code \"sber-pizza\" (not in $BATS_TEST_TMPDIR/partners.json)" ]
}

@test "twin-join: a --partners file that is an API error is an error" {
	run -2 --separate-stderr twin-join --partners "$FIX/error.links.json" -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/error.links.json:1: the API answered 400 invalid params" ]
}

@test "twin-join: links of several partner codes without -p are an error" {
	printf 'dgis_id,partner_id,partner_code\n70,1,sber-food\n71,1,afisha\n' >"$BATS_TEST_TMPDIR/l.csv"
	run -2 --separate-stderr twin-join -l "$BATS_TEST_TMPDIR/l.csv" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $BATS_TEST_TMPDIR/l.csv:3: links of partner codes \"afisha\" and \"sber-food\" (line 2): a partner id means nothing without its partner, give -p CODE" ]
	twin-join -p afisha -l "$BATS_TEST_TMPDIR/l.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	twin-join --by dgis --rejects "$BATS_TEST_TMPDIR/rj" -l "$BATS_TEST_TMPDIR/l.csv" "$FIX/dgis.partner.ndjson" >"$(OUT)"
}

@test "twin-join: --by partner with several -p codes is an error: the same id of two partners" {
	# Record 1 would get the twins of both partners' id 1 (70 and 71).
	printf 'dgis_id,partner_id,partner_code\n70,1,sber-food\n71,1,afisha\n' >"$BATS_TEST_TMPDIR/l.csv"
	printf 'partner_id,name\n1,a\n' >"$BATS_TEST_TMPDIR/r.csv"
	run -2 --separate-stderr twin-join -p sber-food -p afisha -o "$(OUT)" -l "$BATS_TEST_TMPDIR/l.csv" "$BATS_TEST_TMPDIR/r.csv"
	[ -z "$output" ]
	assert_equal "${stderr_lines[0]}" "twin-join: --by partner takes one -p CODE, not 2: a partner id means nothing without its partner (join each partner's records on their own)"
	[ ! -e "$(OUT)" ]
	run -3 --separate-stderr twin-join --check -p sber-food -p afisha -l "$BATS_TEST_TMPDIR/l.csv" "$BATS_TEST_TMPDIR/r.csv"
	assert_equal "$output" "TWINJOIN UNKNOWN - --by partner takes one -p CODE, not 2: a partner id means nothing without its partner (join each partner's records on their own)"
	# One -p, or --by dgis with several, is fine.
	twin-join -p afisha -l "$BATS_TEST_TMPDIR/l.csv" "$BATS_TEST_TMPDIR/r.csv" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "partner_id,name,dgis_id,dgis_type
1,a,71,"
	printf 'dgis_id,name\n70,x\n71,y\n' >"$BATS_TEST_TMPDIR/d.csv"
	twin-join --by dgis -p sber-food -p afisha -l "$BATS_TEST_TMPDIR/l.csv" "$BATS_TEST_TMPDIR/d.csv" >"$(OUT)"
	[ "$(wc -l <"$(OUT)")" -eq 3 ]
}

@test "twin-join: a links file with no links is an error unless --allow-empty" {
	: >"$BATS_TEST_TMPDIR/l.csv"
	run -2 --separate-stderr twin-join -l "$BATS_TEST_TMPDIR/l.csv" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $BATS_TEST_TMPDIR/l.csv: no links: an empty file or a header only (pass --allow-empty if that is meant)" ]
	printf 'dgis_id,partner_id,partner_code\n' >"$BATS_TEST_TMPDIR/l.csv"
	run -2 --separate-stderr twin-join -l "$FIX/basic.links.csv" -l "$BATS_TEST_TMPDIR/l.csv" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $BATS_TEST_TMPDIR/l.csv: no links: an empty file or a header only (pass --allow-empty if that is meant)" ]
	twin-join --left --allow-empty -l "$BATS_TEST_TMPDIR/l.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	[ "$(wc -l <"$(OUT)")" -eq "$(wc -l <"$FIX/basic.partner.csv")" ]
}

@test "twin-join: responses that hold no link at all are an error unless --allow-empty" {
	printf '{"meta":{"code":200},"result":{"items":[{"partner_id":"1","twins":[]}],"total":1}}\n' >"$BATS_TEST_TMPDIR/l.json"
	run -2 --separate-stderr twin-join -l "$BATS_TEST_TMPDIR/l.json" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: no links in any -l file (pass --allow-empty if that is meant)" ]
	run -2 --separate-stderr twin-join --sorted -l "$BATS_TEST_TMPDIR/l.json" "$FIX/basic.partner.csv"
	[ "$stderr" = "twin-join: no links in any -l file (pass --allow-empty if that is meant)" ]
	twin-join --allow-empty -l "$BATS_TEST_TMPDIR/l.json" "$FIX/basic.partner.csv" >"$(OUT)"
	[ ! -s "$(OUT)" ]
}

@test "twin-join: result.total mismatch is a warning with --allow-partial, and exit 1" {
	# Exit 1, not 0: a cron job's && must not take a partial join for a whole one.
	run -1 --separate-stderr twin-join --allow-partial -o "$(OUT)" -l "$FIX/total.links.json" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	assert_golden total.out
	assert_equal "$stderr" "twin-join: $FIX/total.links.json:1: result.total is 3 but the response has 1 item"
	# A whole response with --allow-partial is exit 0.
	twin-join --allow-partial -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	assert_golden basic.out
	# A check never passes on links it did not get.
	run -3 --separate-stderr twin-join --check --allow-partial -l "$FIX/total.links.json" "$FIX/basic.partner.csv"
	assert_equal "$output" "TWINJOIN UNKNOWN - --allow-partial: a check never passes on links it did not read"
}

@test "twin-join: result.total mismatch is an error by default (--strict kept, the default)" {
	run -2 --separate-stderr twin-join -l "$FIX/total.links.json" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/total.links.json:1: result.total is 3 but the response has 1 item (pass --allow-partial to join what there is)" ]
	run -2 --separate-stderr twin-join --strict -l "$FIX/total.links.json" "$FIX/basic.partner.csv"
	[ "$stderr" = "twin-join: $FIX/total.links.json:1: result.total is 3 but the response has 1 item (pass --allow-partial to join what there is)" ]
}

@test "twin-join: a 2GIS-style error (meta.error.type, message) is quoted whole" {
	printf '{"meta":{"code":400,"error":{"type":"paramIsInvalid","message":"Parameter partner_id is invalid"}}}\n' >"$BATS_TEST_TMPDIR/e.json"
	run -2 --separate-stderr twin-join -l "$BATS_TEST_TMPDIR/e.json" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $BATS_TEST_TMPDIR/e.json:1: the API answered 400 paramIsInvalid: Parameter partner_id is invalid" ]
}

@test "twin-join: a -p code no link carries (a typo) is an error, not every record without a twin" {
	printf 'dgis_id,partner_id,partner_code\n111,1,sber-food\n' >"$BATS_TEST_TMPDIR/l.csv"
	run -2 --separate-stderr twin-join --unmatched -p sber_food -l "$BATS_TEST_TMPDIR/l.csv" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: no link of partner code sber_food among the 1 link read (a typo in -p? pass --allow-empty if that is meant)" ]
	twin-join --unmatched --allow-empty -p sber_food -l "$BATS_TEST_TMPDIR/l.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	[ -s "$(OUT)" ]
}

@test "twin-join: an API error envelope is an error quoting code and message" {
	run -2 --separate-stderr twin-join -l "$FIX/error.links.json" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/error.links.json:1: the API answered 400 invalid params" ]
}

@test "twin-join: a 403 envelope with an empty result is an error, not zero links" {
	run -2 --separate-stderr twin-join -l "$FIX/forbidden.links.json" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/forbidden.links.json:1: the API answered 403 Forbidden: no access to partner sber-food" ]
}

@test "twin-join: a truncated links response names file and line" {
	run -2 --separate-stderr twin-join -l "$FIX/bad.links.json" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/bad.links.json:2:1: truncated document (unclosed '[' from line 1)" ]
}

@test "twin-join: a links CSV without a dgis_id column is an error" {
	run -2 --separate-stderr twin-join -l "$FIX/nocol.links.csv" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/nocol.links.csv:1: no dgis_id column in the links header (see --links-cols)" ]
}

@test "twin-join: a missing links file is an error" {
	run -2 --separate-stderr twin-join -l "$FIX/nonexistent.csv" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/nonexistent.csv: No such file or directory" ]
}

# ==== input edge cases ====

@test "twin-join: CRLF records give the same output" {
	twin-join -l "$FIX/basic.links.csv" "$FIX/crlf.partner.csv" >"$(OUT)"
	assert_golden basic.out
}

@test "twin-join: a BOM on the records and CRLF links are handled" {
	twin-join -l "$FIX/crlf.links.csv" "$FIX/bom.partner.csv" >"$(OUT)"
	assert_golden crlf-bom.out
}

@test "twin-join: gzip links and gzip records on stdin" {
	twin-join -l "$FIX/basic.links.csv.gz" - <"$FIX/basic.partner.csv.gz" >"$(OUT)"
	assert_golden basic.out
}

@test "twin-join: empty records input is an error; --allow-empty gives empty output" {
	run -2 --separate-stderr twin-join --left -o "$(OUT)" -l "$FIX/basic.links.csv" </dev/null
	[ -z "$output" ]
	assert_equal "$stderr" "twin-join: no records: the input is empty (pass --allow-empty if that is meant)"
	[ ! -e "$(OUT)" ]
	twin-join --left --allow-empty -l "$FIX/basic.links.csv" </dev/null >"$(OUT)"
	assert_golden empty.out
}

@test "twin-join: a records file without rows is an error: every link would be an orphan" {
	# A failed export must not turn into "every link is stale".
	: >"$BATS_TEST_TMPDIR/empty.csv"
	local mode
	for mode in --orphans --full "--orphans --sorted"; do
		run -2 --separate-stderr twin-join $mode -o "$(OUT)" -l "$FIX/basic.links.csv" "$FIX/header.partner.csv"
		[ -z "$output" ]
		assert_equal "$stderr" "twin-join: $FIX/header.partner.csv: no records: an empty file or a header only (pass --allow-empty if that is meant)"
		[ ! -e "$(OUT)" ]
	done
	# One empty file among others is an error too.
	run -2 --separate-stderr twin-join -o "$(OUT)" -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" "$BATS_TEST_TMPDIR/empty.csv"
	assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/empty.csv: no records: an empty file or a header only (pass --allow-empty if that is meant)"
	[ ! -e "$(OUT)" ]
	run -2 --separate-stderr twin-join --split "$BATS_TEST_TMPDIR/split" -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/empty.csv"
	assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/empty.csv: no records: an empty file or a header only (pass --allow-empty if that is meant)"
	[ -z "$(ls "$BATS_TEST_TMPDIR/split")" ]
}

# ==== rejected records and orphans ====

@test "twin-join: a rejected record whose key can be read keeps its links from the orphans" {
	# Partner 10's record is rejected (bad UTF-8 in name), but it exists:
	# its link is live.  Partner 12 has no record at all.
	local recs mode
	for recs in rejected-utf8; do
		for mode in --orphans "--orphans --sorted"; do
			run -0 --separate-stderr twin-join $mode -o "$(OUT)" --rejects "$BATS_TEST_TMPDIR/rj" \
			    -l "$FIX/rejected.links.csv" "$FIX/$recs.partner.csv"
			[ -z "$output" ]
			[ -z "$stderr" ]
			assert_golden rejected-orphans.out
			[ "$(wc -l <"$BATS_TEST_TMPDIR/rj")" -eq 2 ]
		done
	done
}

@test "twin-join: --full and --split leave out the links of a rejected record's key" {
	local mode
	for mode in --full "--full --sorted"; do
		twin-join $mode --rejects "$BATS_TEST_TMPDIR/rj" -l "$FIX/rejected.links.csv" \
		    "$FIX/rejected-utf8.partner.csv" >"$(OUT)"
		assert_golden rejected-full.out
	done
	twin-join --split "$BATS_TEST_TMPDIR/split" --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/rejected.links.csv" "$FIX/rejected-utf8.partner.csv"
	assert_golden rejected-orphans.out "$BATS_TEST_TMPDIR/split/orphans.csv"
}

@test "twin-join: a ragged row's key is never trusted: the orphans are withheld" {
	# "10,a,x": an unquoted comma may have shifted the cells, so the key
	# read may not be the record's (as place-normalize never trusts an id).
	run -1 --separate-stderr twin-join --orphans -o "$(OUT)" --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/rejected.links.csv" "$FIX/rejected-ragged.partner.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "twin-join: $FIX/rejected-ragged.partner.csv:2: 2 orphan links withheld: a rejected record without a readable key may hold any of them"
}

@test "twin-join: --stats does not count a rejected record's links as orphans" {
	run -0 --separate-stderr twin-join --stats --orphans -o "$(OUT)" --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/rejected.links.csv" "$FIX/rejected-utf8.partner.csv"
	assert_equal "$stderr" '{"read":2,"written":0,"filtered":1,"rejected":1,"links":3,"orphans":1,"rows":1,"reasons":{"bad_utf8":1}}'
}

@test "twin-join: a rejected record without a readable key withholds every orphan, exit 1" {
	# Line 3 is cut before its key: it may be the record of 11 or 12.
	local mode
	for mode in --orphans --full; do
		run -1 --separate-stderr twin-join $mode --rejects "$BATS_TEST_TMPDIR/rj" \
		    -l "$FIX/rejected.links.csv" "$FIX/rejected-nokey.partner.csv"
		assert_equal "$stderr" "twin-join: $FIX/rejected-nokey.partner.csv:3: 2 orphan links withheld: a rejected record without a readable key may hold any of them"
	done
	run -1 --separate-stderr twin-join --orphans --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/rejected.links.csv" "$FIX/rejected-nokey.partner.csv"
	[ -z "$output" ]
	# --full still writes the records.
	run -1 --separate-stderr twin-join --full -o "$(OUT)" --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/rejected.links.csv" "$FIX/rejected-nokey.partner.csv"
	assert_golden rejected-nokey-full.out
	run -1 --separate-stderr twin-join --split "$BATS_TEST_TMPDIR/split" --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/rejected.links.csv" "$FIX/rejected-nokey.partner.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "twin-join: $FIX/rejected-nokey.partner.csv:3: 2 orphan links withheld: a rejected record without a readable key may hold any of them"
	[ ! -s "$BATS_TEST_TMPDIR/split/orphans.csv" ]
	diff -u - "$BATS_TEST_TMPDIR/split/matched.csv" <<-'END'
	name,partner_id,dgis_id,dgis_type
	a,10,70000000000000001,branch
	END
}

@test "twin-join: bad UTF-8 in the key or an empty key withholds the orphans too" {
	printf 'partner_id,name\n10,a\n1\377,b\n' >"$BATS_TEST_TMPDIR/utf8key.csv"
	printf 'partner_id,name\n10,a\n,b\n' >"$BATS_TEST_TMPDIR/emptykey.csv"
	local f
	for f in utf8key emptykey; do
		run -1 --separate-stderr twin-join --orphans --rejects "$BATS_TEST_TMPDIR/rj" \
		    -l "$FIX/rejected.links.csv" "$BATS_TEST_TMPDIR/$f.csv"
		[ -z "$output" ]
		assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/$f.csv:3: 2 orphan links withheld: a rejected record without a readable key may hold any of them"
	done
}

@test "twin-join: --stats counts withheld orphans apart" {
	run -1 --separate-stderr twin-join --stats --orphans --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/rejected.links.csv" "$FIX/rejected-nokey.partner.csv"
	assert_equal "$stderr" "twin-join: $FIX/rejected-nokey.partner.csv:3: 2 orphan links withheld: a rejected record without a readable key may hold any of them
{\"read\":2,\"written\":0,\"filtered\":1,\"rejected\":1,\"links\":3,\"orphans\":0,\"rows\":0,\"withheld_orphans\":2,\"reasons\":{\"ragged_row\":1}}"
}

@test "twin-join: --sorted can't withhold the orphans it writes as it goes: exit 2" {
	run -2 --separate-stderr twin-join --sorted --orphans -o "$(OUT)" --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/rejected.links.csv" "$FIX/rejected-nokey.partner.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "twin-join: $FIX/rejected-nokey.partner.csv:3: a rejected record without a readable key may hold any orphan link, and --sorted writes them as it goes"
	[ ! -e "$(OUT)" ]
}

@test "twin-join: a plain join with a keyless rejected record is unchanged, exit 0" {
	twin-join --rejects "$BATS_TEST_TMPDIR/rj" -l "$FIX/rejected.links.csv" \
	    "$FIX/rejected-nokey.partner.csv" >"$(OUT)"
	diff -u - "$(OUT)" <<-'END'
	name,partner_id,dgis_id,dgis_type
	a,10,70000000000000001,branch
	END
}

@test "twin-join: a JSON record that is not an object is rejected as read, its value kept" {
	printf '[1,"x",{"partner_id":"1267165676509882"},[2]]' >"$BATS_TEST_TMPDIR/r.json"
	run -0 --separate-stderr twin-join --by dgis -k partner_id -l "$FIX/basic.links.csv" --rejects "$BATS_TEST_TMPDIR/rj.ndjson" "$BATS_TEST_TMPDIR/r.json"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rj.ndjson")" '{"value":1,"_file":"'"$BATS_TEST_TMPDIR"'/r.json","_line":1,"_reason":"not_object"}
{"value":"x","_file":"'"$BATS_TEST_TMPDIR"'/r.json","_line":1,"_reason":"not_object"}
{"value":[2],"_file":"'"$BATS_TEST_TMPDIR"'/r.json","_line":1,"_reason":"not_object"}'
}

@test "twin-join: a header without rows gives nothing with --allow-empty, the header with --header-always" {
	twin-join --allow-empty -l "$FIX/basic.links.csv" "$FIX/header.partner.csv" >"$(OUT)"
	[ ! -s "$(OUT)" ]
	twin-join --allow-empty --header-always -l "$FIX/basic.links.csv" "$FIX/header.partner.csv" >"$(OUT)"
	assert_golden header.out
}

@test "twin-join: an empty key is a data error naming file and line" {
	run -2 --separate-stderr twin-join -l "$FIX/basic.links.csv" "$FIX/empty.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/empty.partner.csv:2: empty key partner_id" ]
}

@test "twin-join: --rejects takes the empty key under its own reason; --stats adds up" {
	cd "$FIX"
	twin-join --stats --rejects "$BATS_TEST_TMPDIR/rj.csv" -l basic.links.csv \
	    empty.partner.csv >"$(OUT)" 2>"$BATS_TEST_TMPDIR/stats"
	assert_golden empty-key.out
	assert_golden empty-key.rejects.out "$BATS_TEST_TMPDIR/rj.csv"
	assert_golden empty-key.stats.out "$BATS_TEST_TMPDIR/stats"
}

@test "twin-join: a ragged row is a data error" {
	run -2 --separate-stderr twin-join -l "$FIX/basic.links.csv" "$FIX/ragged.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/ragged.partner.csv:2: expected 3 fields, found 2" ]
}

@test "twin-join: --key-normalize compares trimmed, zero-stripped keys, output unchanged" {
	twin-join --key-normalize trim,strip-zeros -l "$FIX/basic.links.csv" "$FIX/norm.partner.csv" >"$(OUT)"
	assert_golden norm.out
}

@test "twin-join: --key-normalize lower folds ASCII case on both sides" {
	twin-join --key-normalize lower -l "$FIX/lower.links.csv" "$FIX/lower.partner.csv" >"$(OUT)"
	assert_golden lower.out
}

@test "twin-join: a bad --key-normalize item is a usage error" {
	run -2 --separate-stderr twin-join --key-normalize trim,upper -l "$FIX/basic.links.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "twin-join: bad --key-normalize item: upper (want trim, lower or strip-zeros)" ]
}

@test "twin-join: without --key-normalize padded keys do not match" {
	twin-join --unmatched -l "$FIX/basic.links.csv" "$FIX/norm.partner.csv" >"$(OUT)"
	assert_golden norm-off.out
}

# ==== --sorted ====

@test "twin-join: --sorted merges sorted inputs like the in-memory join" {
	twin-join --sorted --full -l "$FIX/basic.links.csv" "$FIX/sorted.partner.csv" >"$(OUT)"
	assert_golden sorted-full.out
}

@test "twin-join: --sorted with unsorted records names file and line" {
	run -2 --separate-stderr twin-join --sorted -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/basic.partner.csv:7: key 22842 is out of order after 50001 (--sorted needs input sorted by key)" ]
}

@test "twin-join: --sorted with unsorted links names file and line" {
	run -2 --separate-stderr twin-join --sorted -l "$FIX/unsorted.links.csv" "$FIX/sorted.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/unsorted.links.csv:3: key 21934 is out of order after 21939 (--sorted needs input sorted by key)" ]
}

@test "twin-join: --sorted --report counts the same cardinalities" {
	twin-join --sorted --report -l "$FIX/basic.links.csv" "$FIX/sorted.partner.csv" \
	    >"$(OUT)" 2>"$BATS_TEST_TMPDIR/report"
	assert_golden report.out "$BATS_TEST_TMPDIR/report"
}

# ==== --report, --expect ====

@test "twin-join: --report summarises records, links and cardinalities" {
	twin-join --report -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" \
	    >"$(OUT)" 2>"$BATS_TEST_TMPDIR/report"
	assert_golden basic.out
	assert_golden report.out "$BATS_TEST_TMPDIR/report"
}

@test "twin-join: --report counts N:M keys, in memory and --sorted alike" {
	twin-join --report -l "$FIX/basic.links.csv" "$FIX/nm.partner.csv" \
	    >"$(OUT)" 2>"$BATS_TEST_TMPDIR/report"
	assert_golden nm-report.out "$BATS_TEST_TMPDIR/report"
	twin-join --sorted --report -l "$FIX/basic.links.csv" "$FIX/nm.partner.csv" \
	    >"$(OUT)" 2>"$BATS_TEST_TMPDIR/report"
	assert_golden nm-report.out "$BATS_TEST_TMPDIR/report"
}

# --expect with data on standard output is a filter: exit 1 after the data.
@test "twin-join: --expect violated with data on stdout exits 1 after writing it" {
	run -1 --separate-stderr twin-join --expect one-to-one \
	    -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	[ "$stderr" = "twin-join: expected one-to-one, but 2 keys are not: 23990, 22842" ]
	printf '%s\n' "$output" >"$(OUT)"
	assert_golden basic.out
}

@test "twin-join: --expect met exits 0" {
	twin-join --expect one-to-one -l "$FIX/rows.links.ndjson" "$FIX/oneone.partner.csv" >"$(OUT)"
	assert_golden expect-ok.out
}

# ==== monitoring: --expect with -o or --split, and --check ====

BASIC_PERF='records=6 matched=5 unmatched=1 rejected=0 links=7 orphans=2'

# status WANT_EXIT WANT_LINE: the run printed exactly WANT_LINE on stdout
# and exited WANT_EXIT.
status_line() {
	[ "$status" -eq "$1" ] || { echo "status $status, want $1: $output" >&2; false; }
	[ "${#lines[@]}" -eq 1 ] || { echo "${#lines[@]} lines: $output" >&2; false; }
	assert_equal "$output" "$2"
}

@test "twin-join: --expect with -o is a plugin: CRITICAL line, exit 2, output written" {
	run --separate-stderr twin-join --expect one-to-one -o "$(OUT)" \
	    -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	status_line 2 "TWINJOIN CRITICAL - expected one-to-one, but 2 keys are not: 23990, 22842 | $BASIC_PERF violations=2"
	[ -z "$stderr" ]
	assert_golden basic.out
}

@test "twin-join: --expect one-to-many with -o lists the keys with several records" {
	run --separate-stderr twin-join --expect one-to-many -o "$(OUT)" \
	    -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	status_line 2 "TWINJOIN CRITICAL - expected one-to-many, but 1 key is not: 22842 | $BASIC_PERF violations=1"
}

@test "twin-join: --expect many-to-one with -o lists the keys with several twins" {
	run --separate-stderr twin-join --expect many-to-one -o "$(OUT)" \
	    -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	status_line 2 "TWINJOIN CRITICAL - expected many-to-one, but 1 key is not: 23990 | $BASIC_PERF violations=1"
}

@test "twin-join: --expect met with -o is OK, exit 0" {
	run --separate-stderr twin-join --expect one-to-one -o "$(OUT)" \
	    -l "$FIX/rows.links.ndjson" "$FIX/oneone.partner.csv"
	status_line 0 "TWINJOIN OK - one-to-one holds: 3 records, 2 matched, 1 unmatched, 1 orphan link | records=3 matched=2 unmatched=1 rejected=0 links=3 orphans=1 violations=0"
	assert_golden expect-ok.out
}

@test "twin-join: --expect with --split is a plugin, the four files written" {
	run --separate-stderr twin-join --expect one-to-one --split "$BATS_TEST_TMPDIR/split" \
	    -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	status_line 2 "TWINJOIN CRITICAL - expected one-to-one, but 2 keys are not: 23990, 22842 | $BASIC_PERF violations=2"
	assert_golden split-matched.out "$BATS_TEST_TMPDIR/split/matched.csv"
	assert_golden split-ambiguous.out "$BATS_TEST_TMPDIR/split/ambiguous.csv"
}

@test "twin-join: --check --expect writes no data, only the status line" {
	mkdir "$BATS_TEST_TMPDIR/cwd" && cd "$BATS_TEST_TMPDIR/cwd"
	run --separate-stderr twin-join --check --expect one-to-one \
	    -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	status_line 2 "TWINJOIN CRITICAL - expected one-to-one, but 2 keys are not: 23990, 22842 | $BASIC_PERF violations=2"
	[ -z "$stderr" ] && [ -z "$(ls -A)" ]
	run --separate-stderr twin-join --check --expect one-to-one \
	    -l "$FIX/rows.links.ndjson" "$FIX/oneone.partner.csv"
	status_line 0 "TWINJOIN OK - one-to-one holds: 3 records, 2 matched, 1 unmatched, 1 orphan link | records=3 matched=2 unmatched=1 rejected=0 links=3 orphans=1 violations=0"
}

@test "twin-join: --check alone is OK with the counts as perfdata" {
	run --separate-stderr twin-join --check -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	status_line 0 "TWINJOIN OK - 6 records, 5 matched, 1 unmatched, 2 orphan links | $BASIC_PERF"
}

@test "twin-join: --check --sorted counts alike" {
	run --separate-stderr twin-join --check --sorted --expect one-to-one \
	    -l "$FIX/basic.links.csv" "$FIX/sorted.partner.csv"
	status_line 2 "TWINJOIN CRITICAL - expected one-to-one, but 2 keys are not: 22842, 23990 | $BASIC_PERF violations=2"
}

@test "twin-join: --expect with --report keeps the report on stderr" {
	run --separate-stderr twin-join --report --expect one-to-one -o "$(OUT)" \
	    -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	[ "$status" -eq 2 ] && [ "${#lines[@]}" -eq 1 ]
	[ "$stderr" = '{"records":6,"matched":5,"unmatched":1,"rejected":0,"links":7,"duplicate_links":0,"orphans":2,"keys":{"1:1":2,"1:N":1,"N:1":1,"N:M":0},"expect":"one-to-one","violations":2,"offending":["23990","22842"]}' ]
}

@test "twin-join: a missing links file is UNKNOWN, exit 3, one line" {
	run --separate-stderr twin-join --check --expect one-to-one \
	    -l "$BATS_TEST_TMPDIR/nope.csv" "$FIX/basic.partner.csv"
	status_line 3 "TWINJOIN UNKNOWN - $BATS_TEST_TMPDIR/nope.csv: No such file or directory"
	[ "$stderr" = "twin-join: $BATS_TEST_TMPDIR/nope.csv: No such file or directory" ]
	run --separate-stderr twin-join --expect one-to-one -o "$(OUT)" \
	    -l "$BATS_TEST_TMPDIR/nope.csv" "$FIX/basic.partner.csv"
	status_line 3 "TWINJOIN UNKNOWN - $BATS_TEST_TMPDIR/nope.csv: No such file or directory"
	[ ! -e "$(OUT)" ]
}

@test "twin-join: a missing records file is UNKNOWN with --split" {
	run --separate-stderr twin-join --expect one-to-one --split "$BATS_TEST_TMPDIR/split" \
	    -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/nope.csv"
	status_line 3 "TWINJOIN UNKNOWN - $BATS_TEST_TMPDIR/nope.csv: No such file or directory"
}

@test "twin-join: malformed records or links are UNKNOWN, exit 3" {
	run --separate-stderr twin-join --check -l "$FIX/basic.links.csv" "$FIX/ragged.partner.csv"
	status_line 3 "TWINJOIN UNKNOWN - $FIX/ragged.partner.csv:2: expected 3 fields, found 2"
	run --separate-stderr twin-join --check -l "$FIX/bad.links.json" "$FIX/basic.partner.csv"
	status_line 3 "TWINJOIN UNKNOWN - ${stderr#twin-join: }"
	[[ $stderr == "twin-join: $FIX/bad.links.json:"* ]]
	# A record without a key and no --rejects: a data error, UNKNOWN too.
	run --separate-stderr twin-join --check -l "$FIX/basic.links.csv" "$FIX/empty.partner.csv"
	status_line 3 "TWINJOIN UNKNOWN - ${stderr#twin-join: }"
}

@test "twin-join: a check over no records or no links is UNKNOWN, never OK" {
	printf 'partner_id,name\n' >"$BATS_TEST_TMPDIR/none.csv"
	run --separate-stderr twin-join --check -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/none.csv"
	status_line 3 "TWINJOIN UNKNOWN - no record read (0 rejected)"
	printf 'partner_id,name\n,No id\n' >"$BATS_TEST_TMPDIR/nokey.csv"
	run --separate-stderr twin-join --check --rejects "$BATS_TEST_TMPDIR/rj.csv" \
	    -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/nokey.csv"
	status_line 3 "TWINJOIN UNKNOWN - no record read (1 rejected)"
	run --separate-stderr twin-join --check -p nobody -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	status_line 3 "TWINJOIN UNKNOWN - no link read for partner code nobody"
	# No hint to pass --allow-empty: a check never passes on no links.
	: >"$BATS_TEST_TMPDIR/nolinks.csv"
	run --separate-stderr twin-join --expect one-to-one -o "$(OUT)" \
	    -l "$BATS_TEST_TMPDIR/nolinks.csv" "$FIX/basic.partner.csv"
	status_line 3 "TWINJOIN UNKNOWN - $BATS_TEST_TMPDIR/nolinks.csv: no links: an empty file or a header only"
	run --separate-stderr twin-join --check --allow-empty \
	    -l "$BATS_TEST_TMPDIR/nolinks.csv" "$FIX/basic.partner.csv"
	status_line 3 "TWINJOIN UNKNOWN - no links in any -l file"
}

@test "twin-join: a usage error in monitoring mode is UNKNOWN" {
	run --separate-stderr twin-join --check -o "$(OUT)" -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	status_line 3 "TWINJOIN UNKNOWN - --check writes no data: drop -o, -z, --split, --to and --left, --unmatched, --orphans or --full"
	run --separate-stderr twin-join --expect sideways -o "$(OUT)" -l "$FIX/basic.links.csv"
	status_line 3 "TWINJOIN UNKNOWN - bad --expect: sideways (want one-to-one, one-to-many or many-to-one)"
	run --separate-stderr twin-join --check --bogus -l "$FIX/basic.links.csv"
	status_line 3 "TWINJOIN UNKNOWN - usage error (see --help)"
	# Without a monitoring mode a usage error stays exit 2, stdout empty.
	run --separate-stderr twin-join --expect sideways -l "$FIX/basic.links.csv"
	[ "$status" -eq 2 ] && [ -z "$output" ]
}

@test "twin-join: a | or a newline in a key cannot break the status line" {
	printf 'dgis_id,partner_id\n1,a|b\n2,a|b\n3,"x\ny"\n4,"x\ny"\n' >"$BATS_TEST_TMPDIR/l.csv"
	printf 'partner_id,name\na|b,One\n"x\ny",Two\n' >"$BATS_TEST_TMPDIR/p.csv"
	run --separate-stderr twin-join --check --expect one-to-one \
	    -l "$BATS_TEST_TMPDIR/l.csv" "$BATS_TEST_TMPDIR/p.csv"
	status_line 2 "TWINJOIN CRITICAL - expected one-to-one, but 2 keys are not: a/b, x y | records=2 matched=2 unmatched=0 rejected=0 links=4 orphans=0 violations=2"
}

# ==== --split and output ====

@test "twin-join: --split writes matched, unmatched, orphans and ambiguous files" {
	twin-join --split "$BATS_TEST_TMPDIR/split" -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv" >"$(OUT)"
	[ ! -s "$(OUT)" ]
	assert_golden split-matched.out "$BATS_TEST_TMPDIR/split/matched.csv"
	assert_golden split-unmatched.out "$BATS_TEST_TMPDIR/split/unmatched.csv"
	assert_golden split-orphans.out "$BATS_TEST_TMPDIR/split/orphans.csv"
	assert_golden split-ambiguous.out "$BATS_TEST_TMPDIR/split/ambiguous.csv"
}

@test "twin-join: --split of JSON records writes NDJSON files" {
	# Without the records that have no dgis_id: they would withhold the
	# orphans (see below).
	head -n 3 "$FIX/dgis.partner.ndjson" >"$BATS_TEST_TMPDIR/keyed.ndjson"
	twin-join --by dgis --split "$BATS_TEST_TMPDIR/split" --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/basic.links.csv" "$BATS_TEST_TMPDIR/keyed.ndjson"
	assert_golden split-json-matched.out "$BATS_TEST_TMPDIR/split/matched.ndjson"
	assert_golden split-json-ambiguous.out "$BATS_TEST_TMPDIR/split/ambiguous.ndjson"
	assert_golden split-json-orphans.out "$BATS_TEST_TMPDIR/split/orphans.ndjson"
	[ ! -s "$BATS_TEST_TMPDIR/split/unmatched.ndjson" ]
	# A record with an empty dgis_id may be any link's: no orphan is
	# written, the other files are.
	rm -r "$BATS_TEST_TMPDIR/split"
	run -1 --separate-stderr twin-join --by dgis --split "$BATS_TEST_TMPDIR/split" --rejects "$BATS_TEST_TMPDIR/rj" \
	    -l "$FIX/basic.links.csv" "$FIX/dgis.partner.ndjson"
	assert_equal "$stderr" "twin-join: $FIX/dgis.partner.ndjson:4: 2 orphan links withheld: a rejected record without a readable key may hold any of them"
	assert_golden split-json-matched.out "$BATS_TEST_TMPDIR/split/matched.ndjson"
	assert_golden split-json-ambiguous.out "$BATS_TEST_TMPDIR/split/ambiguous.ndjson"
	[ ! -s "$BATS_TEST_TMPDIR/split/orphans.ndjson" ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/rj")" -eq 2 ]
}

@test "twin-join: --split refuses a join kind" {
	run -2 --separate-stderr twin-join --split "$BATS_TEST_TMPDIR/s" --left -l "$FIX/basic.links.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "twin-join: --split writes every kind: drop --left, --unmatched, --orphans and --full" ]
}

@test "twin-join: -o replaces the file atomically" {
	echo old >"$(OUT)"
	twin-join -o "$(OUT)" -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	assert_golden basic.out
}

@test "twin-join: -o keeps the previous file on error" {
	mkdir "$BATS_TEST_TMPDIR/d"
	echo old >"$BATS_TEST_TMPDIR/d/keep"
	run -2 --separate-stderr twin-join -o "$BATS_TEST_TMPDIR/d/keep" -l "$FIX/basic.links.csv" \
	    "$FIX/basic.partner.csv" "$FIX/ragged.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $FIX/ragged.partner.csv:2: expected 3 fields, found 2" ]
	[ "$(cat "$BATS_TEST_TMPDIR/d/keep")" = old ]
	[ "$(ls -A "$BATS_TEST_TMPDIR/d")" = keep ]
}

@test "twin-join: write failure is an error, exit 2" {
	run -2 --separate-stderr bash -c 'twin-join "$@" >/dev/full' _ \
	    -l "$FIX/basic.links.csv" "$FIX/basic.partner.csv"
	[ -n "$stderr" ]
}

# ==== usage ====

@test "twin-join: no -l is a usage error" {
	run -2 --separate-stderr twin-join "$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "twin-join: no links: give -l FILE" ]
}

@test "twin-join: a bad --multi is a usage error" {
	run -2 --separate-stderr twin-join --multi bogus -l "$FIX/basic.links.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "twin-join: bad --multi: bogus (want rows, first, list or error)" ]
}

@test "twin-join: two join kinds are a usage error" {
	run -2 --separate-stderr twin-join --left --full -l "$FIX/basic.links.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "twin-join: --left, --unmatched, --orphans and --full exclude each other" ]
}

@test "twin-join: links and records cannot both come from stdin" {
	run -2 --separate-stderr twin-join -l - <"$FIX/basic.partner.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "twin-join: standard input can hold the links or the records, not both" ]
}

@test "twin-join: standard input given twice as records is a usage error" {
	# The second - would read nothing: never a silent empty input.
	run -2 --separate-stderr twin-join -l "$FIX/basic.links.csv" - "$FIX/basic.partner.csv" - <"$FIX/basic.partner.csv"
	[ -z "$output" ]
	assert_equal "${stderr_lines[0]}" "twin-join: standard input (-) given twice"
}

@test "twin-join: links on stdin, records from a file" {
	twin-join -l - "$FIX/basic.partner.csv" <"$FIX/basic.links.csv" >"$(OUT)"
	assert_golden basic.out
}

@test "twin-join: --help prints the synopsis on stdout" {
	run -0 --separate-stderr twin-join --help
	[ "${lines[0]}" = "usage: twin-join [OPTIONS] -l LINKS [FILE...]" ]
	[ -z "$stderr" ]
}

@test "twin-join: --version" {
	run -0 twin-join --version
	[ "$output" = "twin-join (dumpkit) $DUMPKIT_VERSION" ]
}

# ==== urls: Twins API lookups in batches ====

@test "twin-join: urls batches the distinct partner ids, 50 a request, one partner_code" {
	{ echo partner_id,name; for i in $(seq 1 120); do echo "$i,shop $i"; done; echo "7,again"; } >"$BATS_TEST_TMPDIR/p.csv"
	twin-join urls -b 'https://twins.api.2gis.com/v1/twins/search/partner?key=K' -p sber-food \
	    "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)"
	run cat "$(OUT)"
	[ "${#lines[@]}" -eq 3 ]
	want="https://twins.api.2gis.com/v1/twins/search/partner?key=K&partner_code=sber-food"
	for i in $(seq 1 50); do want+="&partner_id=$i"; done
	assert_equal "${lines[0]}" "$want"
	want="https://twins.api.2gis.com/v1/twins/search/partner?key=K&partner_code=sber-food"
	for i in $(seq 101 120); do want+="&partner_id=$i"; done
	assert_equal "${lines[2]}" "$want"
}

@test "twin-join: urls --by dgis repeats dgis_id and each partner_code, keys percent-encoded" {
	printf '%s\n' '{"dgis_id":"1267165676509882"}' '{"dgis_id":70000001020530434}' \
	    '{"dgis_id":"a b&c=d/é"}' '{"dgis_id":"1267165676509882"}' >"$BATS_TEST_TMPDIR/d.ndjson"
	twin-join urls --by dgis -b 'https://twins.api.2gis.com/v1/twins/search/dgis' \
	    -p sber-food -p sber-ryadom "$BATS_TEST_TMPDIR/d.ndjson" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "https://twins.api.2gis.com/v1/twins/search/dgis?dgis_id=1267165676509882&dgis_id=70000001020530434&dgis_id=a%20b%26c%3Dd%2F%C3%A9&partner_code=sber-food&partner_code=sber-ryadom"
}

@test "twin-join: urls -k names the key field; no records, no URLs" {
	printf 'shop;id\nx;0042\n' >"$BATS_TEST_TMPDIR/p.csv"
	twin-join urls -b /s -p sber-food -k id "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)"
	assert_equal "$(cat "$(OUT)")" "/s?partner_code=sber-food&partner_id=0042"
	printf 'id\n' >"$BATS_TEST_TMPDIR/h.csv"
	twin-join urls --allow-empty -b /s -p sber-food -k id "$BATS_TEST_TMPDIR/h.csv" >"$(OUT)"
	[ ! -s "$(OUT)" ]
}

@test "twin-join: urls: a named empty or header-only records file is an error unless --allow-empty" {
	printf 'id\n' >"$BATS_TEST_TMPDIR/h.csv"
	run -2 --separate-stderr twin-join urls -b /s -p sber-food -k id "$BATS_TEST_TMPDIR/h.csv"
	[ -z "$output" ]
	[ "$stderr" = "twin-join: $BATS_TEST_TMPDIR/h.csv: no records: an empty file or a header only (pass --allow-empty if that is meant)" ]
	run -2 --separate-stderr twin-join urls -b /s -p sber-food </dev/null
	[ "$stderr" = "twin-join: no records: the input is empty (pass --allow-empty if that is meant)" ]
}

@test "twin-join: urls: a record without the key is an error naming it, exit 2" {
	printf 'partner_id,name\n1,a\n,b\n' >"$BATS_TEST_TMPDIR/p.csv"
	run -2 --separate-stderr twin-join urls -b /s -p sber-food -o "$(OUT)" "$BATS_TEST_TMPDIR/p.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/p.csv:3: empty key partner_id"
	[ ! -e "$(OUT)" ]
}

@test "twin-join: urls usage errors: no -b, no -p, two codes by partner, six by dgis" {
	run -2 --separate-stderr twin-join urls -p sber-food /dev/null
	assert_equal "${stderr_lines[0]}" "twin-join: urls needs -b URL, the search endpoint"
	run -2 --separate-stderr twin-join urls -b /s /dev/null
	assert_equal "${stderr_lines[0]}" "twin-join: urls needs -p CODE, the partner code"
	run -2 --separate-stderr twin-join urls -b /s -p sber-food -p sber-ryadom /dev/null
	assert_equal "${stderr_lines[0]}" "twin-join: search by partner IDs takes one partner code, not 2: run urls once per code"
	run -2 --separate-stderr twin-join urls --by dgis -b /s -p afisha -p delivery-club -p sber-atms \
	    -p sber-offices -p sber-terminals -p sber-food /dev/null
	assert_equal "${stderr_lines[0]}" "twin-join: search by 2GIS IDs takes at most 5 partner codes, not 6"
}

# The Twins API stand-in knows these links (tests/apiserver.py --links).
twins_links() {
	local i
	for i in $(seq 1 130); do
		[ $((i % 3)) -eq 0 ] && continue	# a third have no twin
		printf '{"dgis_id":"70000001%09d","dgis_type":"branch","partner_id":"%d","partner_type":"branch","partner_code":"sber-food"}\n' "$i" "$i"
	done
	printf '{"dgis_id":"70000001000000001","dgis_type":"branch","partner_id":"r1","partner_type":"branch","partner_code":"sber-ryadom"}\n'
}

@test "twin-join: urls -> curl --parallel --config -> twin-join -l: the lookups round trip" {
	twins_links >"$BATS_TEST_TMPDIR/links.ndjson"
	start_api --links "$BATS_TEST_TMPDIR/links.ndjson"
	{ echo partner_id,name; for i in $(seq 1 120) 5 9; do echo "$i,shop $i"; done; } >"$BATS_TEST_TMPDIR/p.csv"
	twin-join urls -b "$API/twins/search/partner?key=K" -p sber-food "$BATS_TEST_TMPDIR/p.csv" \
	    >"$BATS_TEST_TMPDIR/urls"
	awk '{ printf "url = \"%s\"\noutput = \"r%d.json\"\n", $0, NR }' "$BATS_TEST_TMPDIR/urls" >"$BATS_TEST_TMPDIR/curl.conf"
	(cd "$BATS_TEST_TMPDIR" && curl -fsS --max-time 20 --parallel --config curl.conf)
	[ "$(wc -l <"$BATS_TEST_TMPDIR/requests")" -eq 3 ]
	twin-join -p sber-food -l "$BATS_TEST_TMPDIR/r1.json" -l "$BATS_TEST_TMPDIR/r2.json" \
	    -l "$BATS_TEST_TMPDIR/r3.json" "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)"
	# The same join from the links themselves: nothing lost on the way.
	twin-join -p sber-food -l "$BATS_TEST_TMPDIR/links.ndjson" "$BATS_TEST_TMPDIR/p.csv" \
	    >"$BATS_TEST_TMPDIR/want"
	diff -u "$BATS_TEST_TMPDIR/want" "$(OUT)"
	[ "$(wc -l <"$(OUT)")" -eq 82 ]
}

@test "twin-join: urls --by dgis round trip with two partner codes" {
	twins_links >"$BATS_TEST_TMPDIR/links.ndjson"
	start_api --links "$BATS_TEST_TMPDIR/links.ndjson"
	{ echo dgis_id; for i in $(seq 1 60); do printf '70000001%09d\n' "$i"; done; } >"$BATS_TEST_TMPDIR/d.csv"
	twin-join urls --by dgis -b "$API/twins/search/dgis" -p sber-food -p sber-ryadom \
	    "$BATS_TEST_TMPDIR/d.csv" >"$BATS_TEST_TMPDIR/urls"
	awk '{ printf "url = \"%s\"\noutput = \"r%d.json\"\n", $0, NR }' "$BATS_TEST_TMPDIR/urls" >"$BATS_TEST_TMPDIR/curl.conf"
	(cd "$BATS_TEST_TMPDIR" && curl -fsS --max-time 20 --parallel --config curl.conf)
	twin-join --by dgis -l "$BATS_TEST_TMPDIR/r1.json" -l "$BATS_TEST_TMPDIR/r2.json" \
	    "$BATS_TEST_TMPDIR/d.csv" >"$(OUT)"
	twin-join --by dgis -p sber-food -p sber-ryadom -l "$BATS_TEST_TMPDIR/links.ndjson" \
	    "$BATS_TEST_TMPDIR/d.csv" >"$BATS_TEST_TMPDIR/want"
	diff -u "$BATS_TEST_TMPDIR/want" "$(OUT)"
	[ "$(wc -l <"$(OUT)")" -eq 42 ]
}

# big_join DIR: links and records spanning many reading batches, with a
# partner code not in DIR/partners.json (a warning with --partners),
# rejected rows and unmatched ones.
big_join() {
	awk 'BEGIN { print "dgis_id,dgis_type,partner_id,partner_type,partner_code"
		for (i = 1; i <= 9000; i++)
			printf "70000001%09d,branch,%d,branch,%s\n", i, i * 7 % 12001,
			    i % 4000 == 0 ? "sber-fod" : "sber-food" }' >"$1/links.csv"
	printf '{"result":{"items":[{"code":"sber-food"}]}}\n' >"$1/partners.json"
	awk 'BEGIN { print "partner_id,name"
		for (i = 1; i <= 5000; i++)
			printf "%s,shop \"%d\"\n", i % 1000 == 0 ? "" : i, i }' >"$1/p.csv"
}

@test "twin-join: links with IDs of 600 bytes come back whole, in order" {
	# A link spread over more than 512 bytes is copied into its batch
	# field by field; the batch text grows while such links are added.
	local d=$BATS_TEST_TMPDIR
	awk 'BEGIN { pad = sprintf("%600s", ""); gsub(/ /, "9", pad)
		print "dgis_id,dgis_type,partner_id,partner_type,partner_code"
		for (i = 1; i <= 3000; i++)
			printf "7000000%010d,branch,%s%d,branch,sber-food\n", i, pad, i }' >"$d/links.csv"
	printf 'partner_id,name\nq1,x\n' >"$d/p.csv"
	twin-join --orphans -l "$d/links.csv" "$d/p.csv" >"$(OUT)"
	cmp "$(OUT)" "$d/links.csv"
}

@test "twin-join: DUMPKIT_THREADS=1 gives the same bytes in one thread" {
	local d=$BATS_TEST_TMPDIR args
	big_join "$d"
	for args in "" "--left" "--unmatched" "--to ndjson" "--sorted"; do
		if [ "$args" = --sorted ]; then
			{ head -1 "$d/links.csv"; tail -n +2 "$d/links.csv" | LC_ALL=C sort -t, -k3,3; } >"$d/l"
			{ head -1 "$d/p.csv"; tail -n +2 "$d/p.csv" | LC_ALL=C sort -t, -k1,1; } >"$d/r"
		else
			cp "$d/links.csv" "$d/l"; cp "$d/p.csv" "$d/r"
		fi
		twin-join $args -p sber-food --partners "$d/partners.json" --stats \
		    --rejects "$d/rj1" -l "$d/l" "$d/r" >"$d/out1" 2>"$d/err1"
		DUMPKIT_THREADS=1 twin-join $args -p sber-food --partners "$d/partners.json" \
		    --stats --rejects "$d/rj2" -l "$d/l" "$d/r" >"$d/out2" 2>"$d/err2"
		cmp "$d/out1" "$d/out2"
		cmp "$d/rj1" "$d/rj2"
		cmp "$d/err1" "$d/err2"
		[ -s "$d/out1" ] && [ -s "$d/rj1" ]
	done
	grep -q 'unknown partner code "sber-fod"' "$d/err1"
}

@test "twin-join: named CSV inputs with different headers are one stream: the union of their columns" {
	cd "$BATS_TEST_TMPDIR"
	printf 'dgis_id,partner_id\n111,1\n113,2\n' >L.csv
	printf 'partner_id,name\n1,a\n' >h1.csv
	printf 'name,partner_id,city\nb,2,Omsk\n' >h2.csv
	run --separate-stderr twin-join -l L.csv h1.csv h2.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'partner_id,name,city,dgis_id,dgis_type' '1,a,,111,' '2,b,Omsk,113,')" ]
	printf 'partner_id,name\n3,c\n' >h3.csv
	run --separate-stderr twin-join --unmatched -l L.csv h1.csv h2.csv h3.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'partner_id,name,city' '3,c,')" ]
}

@test "twin-join: --out-encoding cp1251 names a character it cannot hold in one line" {
	cd "$BATS_TEST_TMPDIR"
	printf 'partner_id,name\n1,x\n3,Кафе 😀\n' >R6.csv
	printf 'dgis_id,partner_id\n111,1\n' >L.csv
	run --separate-stderr twin-join -l L.csv --left --out-encoding cp1251 -o out.csv R6.csv
	[ "$status" -eq 2 ]
	[ "$stderr" = "twin-join: --out-encoding cp1251: the output has U+1F600, which cp1251 cannot hold (use UTF-8, or --out-encoding utf-8-bom for Excel)" ]
	[ ! -e out.csv ]
}

@test "twin-join: --full writes orphans after the records; with --sorted at their place in key order, as the page says" {
	cd "$BATS_TEST_TMPDIR"
	printf 'dgis_id,partner_id\n900,1\n901,2\n' >ls.csv
	printf 'partner_id,name\n1,a\n3,c\n' >rs.csv
	run -0 twin-join --full -l ls.csv rs.csv
	[ "$output" = "$(printf '%s\n' 'partner_id,name,dgis_id,dgis_type' '1,a,900,' '3,c,,' '2,,901,')" ]
	run -0 twin-join --sorted --full -l ls.csv rs.csv
	[ "$output" = "$(printf '%s\n' 'partner_id,name,dgis_id,dgis_type' '1,a,900,' '2,,901,' '3,c,,')" ]
	run -0 grep -c 'at its' "$BATS_TEST_DIRNAME/../docs/twin-join.1"
}

# ==== secrets (DESIGN §4: none reaches a rejects file or stderr) ====

@test "twin-join: --rejects masks an apikey= value in a CSV cell, other cells as read" {
	cd "$BATS_TEST_TMPDIR"
	printf 'dgis_id,dgis_type,partner_id,partner_type,partner_code\n70000001020530434,branch,21934,branch,sber-food\n' >l.csv
	printf 'partner_id,url,note\n,https://x/?apikey=SEKRET1&page=2,"a=b&c?d, e"\n21934,a,b\n' >p.csv
	run -0 --separate-stderr twin-join -l l.csv --rejects rj.csv p.csv
	assert_equal "$(cat rj.csv)" "$(printf '%s\n' 'partner_id,url,note,_file,_line,_reason' ',https://x/?apikey=…&page=2,"a=b&c?d, e",p.csv,2,empty_key')"
	assert_equal "$stderr" ""
}

@test "twin-join: --rejects masks AccessKey and secrets nested in JSON arrays and objects" {
	cd "$BATS_TEST_TMPDIR"
	printf 'dgis_id,dgis_type,partner_id,partner_type,partner_code\n70000001020530434,branch,21934,branch,sber-food\n' >l.csv
	printf '%s\n' '{"partner_id":"","AccessKey":"ABCDEFGHIJKL","x":{"u":["https://q/?token=T1","https://m/ABCDEFGHIJKL/"],"n":12,"_cpKey":"CPKEYVALUE77"},"k":"https://q/?x=1"}' '{"partner_id":"21934"}' >p.ndjson
	run -0 --separate-stderr twin-join -l l.csv --rejects rj.ndjson p.ndjson
	assert_equal "$(cat rj.ndjson)" '{"partner_id":"","AccessKey":"ABC…JKL","x":{"u":["https://q/?token=…","https://m/ABC…JKL/"],"n":12,"_cpKey":"CPK…E77"},"k":"https://q/?x=1","_file":"p.ndjson","_line":1,"_reason":"empty_key"}'
}

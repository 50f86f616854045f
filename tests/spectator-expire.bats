#!/usr/bin/env bats
# tests/spectator-expire.bats: spectator-expire(1) reports expired and
# soon-expiring spectator keys.  Fixtures follow the API's documented
# example resource; "now" is its ValidTill, 2017-10-09T16:04:19Z, unless a
# test says otherwise, so every boundary is exact.

bats_require_minimum_version 1.5.0

TOOL=spectator-expire
load helpers

NOW=2017-10-09T16:04:19Z
OUT="$BATS_TEST_TMPDIR/out"

# ==== classification and output ====

@test "spectator-expire: default report prints expired and expiring keys in input order" {
	spectator-expire --now "$NOW" "$FIX/page.input.json" >"$OUT"
	assert_golden page.out
}

@test "spectator-expire: --all --to csv prints every status with cars joined by ;" {
	spectator-expire --now "$NOW" --all --to csv "$FIX/page.input.json" >"$OUT"
	assert_golden page-all.csv
}

@test "spectator-expire: --status valid,no-expiry --to tsv" {
	spectator-expire --now "$NOW" --status valid,no-expiry --to tsv "$FIX/page.input.json" >"$OUT"
	assert_golden page-valid.tsv
}

@test "spectator-expire: --to json writes one array" {
	spectator-expire -N "$NOW" -s expired --to json "$FIX/page.input.json" >"$OUT"
	assert_golden page-expired.json
}

@test "spectator-expire: Note and MapLink of any JSON type come back from the spool as read" {
	# NUL bytes, numbers as written, nested values, cars of numeric ids.
	spectator-expire --now 2022-01-01T00:00:00Z "$FIX/types.input.ndjson" >"$OUT"
	assert_golden types.out
}

@test "spectator-expire: --within 1h leaves only keys expiring within the hour" {
	spectator-expire --now "$NOW" --within 1h "$FIX/page.input.json" >"$OUT"
	assert_golden within-1h.out
}

@test "spectator-expire: --within 12h55m41s includes a key expiring exactly then" {
	spectator-expire --now "$NOW" -w 12h55m41s -s expiring "$FIX/page.input.json" >"$OUT"
	assert_golden within-exact.out
}

@test "spectator-expire: a --within beyond any date makes every dated key expiring or expired" {
	spectator-expire --now "$NOW" -w 9223372036854775807 -S "$FIX/page.input.json" >"$OUT"
	assert_golden within-huge.out
}

@test "spectator-expire: --now @EPOCH equals the RFC 3339 time" {
	spectator-expire --now @1507565059 "$FIX/page.input.json" >"$OUT"
	assert_golden page.out
}

@test "spectator-expire: --now DATE alone is midnight UTC of that day" {
	spectator-expire --now 2017-10-09T00:00:00Z --all "$FIX/page.input.json" >"$BATS_TEST_TMPDIR/want"
	spectator-expire --now 2017-10-09 --all "$FIX/page.input.json" >"$OUT"
	diff -u "$BATS_TEST_TMPDIR/want" "$OUT"
	spectator-expire --help >"$OUT"
	grep -q 'a date alone is midnight UTC' "$OUT"
}

@test "spectator-expire: with the clock as now, seconds_left is whole unless ValidTill has a fraction" {
	printf '%s\n' \
	    '{"type":"spectator","id":"w","attributes":{"ValidTill":"2999-01-01T00:00:00Z"}}' \
	    '{"type":"spectator","id":"f","attributes":{"ValidTill":"2999-01-01T00:00:00.25Z"}}' \
	    >"$BATS_TEST_TMPDIR/in.ndjson"
	spectator-expire -s valid "$BATS_TEST_TMPDIR/in.ndjson" >"$OUT"
	run cat "$OUT"
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" =~ ^\{\"id\":\"w\",.*\"seconds_left\":[0-9]+,\"Note\" ]]
	[[ "${lines[1]}" =~ ^\{\"id\":\"f\",.*\"seconds_left\":[0-9]+\.25,\"Note\" ]]
}

@test "spectator-expire: a fractional --now moves the boundary by the fraction" {
	spectator-expire --now 2017-10-09T16:04:19.000000001Z -s expired "$FIX/page.input.json" >"$OUT"
	assert_golden now-fraction.out
}

# ==== input shapes ====

@test "spectator-expire: single-object data document" {
	spectator-expire --now "$NOW" "$FIX/single.input.json" >"$OUT"
	assert_golden single.out
}

@test "spectator-expire: NDJSON resources as jsonapi-paginate writes them" {
	spectator-expire --now "$NOW" "$FIX/paginate.input.ndjson" >"$OUT"
	assert_golden page.out
}

@test "spectator-expire: flattened resources (jsonapi-paginate --flatten)" {
	spectator-expire --now "$NOW" "$FIX/flat.input.ndjson" >"$OUT"
	assert_golden page.out
}

@test "spectator-expire: pipeline: jsonapi-paginate records, then spectator-expire" {
	jsonapi-paginate "$FIX/page.input.json" >"$BATS_TEST_TMPDIR/resources.ndjson"
	spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/resources.ndjson" >"$OUT"
	assert_golden page.out
}

@test "spectator-expire: pipeline: jsonapi-paginate --flatten, then spectator-expire" {
	jsonapi-paginate --flatten "$FIX/page.input.json" >"$BATS_TEST_TMPDIR/flat.ndjson"
	spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/flat.ndjson" >"$OUT"
	assert_golden page.out
}

@test "spectator-expire: gzip on stdin" {
	gzip -c "$FIX/page.input.json" >"$BATS_TEST_TMPDIR/page.json.gz"
	spectator-expire --now "$NOW" <"$BATS_TEST_TMPDIR/page.json.gz" >"$OUT"
	assert_golden page.out
}

@test "spectator-expire: gzip file and plain file are one stream" {
	gzip -c "$FIX/page.input.json" >"$BATS_TEST_TMPDIR/page.json.gz"
	spectator-expire --now "$NOW" --all "$BATS_TEST_TMPDIR/page.json.gz" "$FIX/single.input.json" \
	    >"$OUT" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden page-then-single.out
}

@test "spectator-expire: 17-digit numeric ids stay text; a top-level array; to-one Cars" {
	spectator-expire --now "$NOW" "$FIX/numeric.input.json" >"$OUT"
	assert_golden numeric.out
}

@test "spectator-expire: empty input is an error, exit 2; --allow-empty makes it no output" {
	run -2 --separate-stderr spectator-expire --now "$NOW" </dev/null
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: no spectator key read (0 rejected): the input holds none (pass --allow-empty if that is meant)" ]
	spectator-expire --now "$NOW" --allow-empty </dev/null >"$OUT"
	[ ! -s "$OUT" ]
}

@test "spectator-expire: empty input with --to csv is nothing, the header alone with --header-always" {
	spectator-expire --now "$NOW" --allow-empty --to csv </dev/null >"$OUT"
	[ ! -s "$OUT" ]
	spectator-expire --now "$NOW" --allow-empty --to csv --header-always </dev/null >"$OUT"
	assert_golden empty.csv
}

@test "spectator-expire: a page with empty data is an error unless --allow-empty" {
	printf '{"links":{"next":null},"data":[]}\n' >"$BATS_TEST_TMPDIR/in.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" --all "$BATS_TEST_TMPDIR/in.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: no spectator key read (0 rejected): the input holds none (pass --allow-empty if that is meant)" ]
	spectator-expire --now "$NOW" --all --allow-empty "$BATS_TEST_TMPDIR/in.json" >"$OUT"
	[ ! -s "$OUT" ]
}

@test "spectator-expire: a zero-byte file is an error, even with --allow-empty" {
	: >"$BATS_TEST_TMPDIR/in.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" --allow-empty "$FIX/page.input.json" "$BATS_TEST_TMPDIR/in.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/in.json: empty file: not a dump (a failed download?)" ]
}

@test "spectator-expire: --warn on an empty page is UNKNOWN, never OK, exit 3" {
	printf '{"data":[]}\n' >"$BATS_TEST_TMPDIR/in.json"
	run -3 --separate-stderr spectator-expire --now "$NOW" --warn 7d "$BATS_TEST_TMPDIR/in.json"
	[ "$output" = "SPECTATOR UNKNOWN - no spectator key read (0 rejected)" ]
	: >"$BATS_TEST_TMPDIR/in.json"
	run -3 --separate-stderr spectator-expire --now "$NOW" --crit 1d "$BATS_TEST_TMPDIR/in.json"
	[ "$output" = "SPECTATOR UNKNOWN - $BATS_TEST_TMPDIR/in.json: empty file: not a dump (a failed download?)" ]
}

@test "spectator-expire: --check with no key read is UNKNOWN, exit 3; the status line only where the report is not" {
	run -3 --separate-stderr spectator-expire --now "$NOW" --check </dev/null
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: no spectator key read (0 rejected)" ]
	run -3 --separate-stderr spectator-expire --now "$NOW" --check -o "$BATS_TEST_TMPDIR/report.ndjson" </dev/null
	[ "$output" = "SPECTATOR UNKNOWN - no spectator key read (0 rejected)" ]
	[ "$stderr" = "spectator-expire: no spectator key read (0 rejected)" ]
	[ ! -e "$BATS_TEST_TMPDIR/report.ndjson" ]
}

@test "spectator-expire: --check's trouble never puts a status line among the report's rows" {
	run -3 --separate-stderr spectator-expire --check --now "$NOW" --to csv "$FIX/page.input.json" "$BATS_TEST_TMPDIR/missing.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/missing.json: No such file or directory" ]
}

@test "spectator-expire: every key rejected is no key read, an error" {
	cd "$FIX"
	run -2 --separate-stderr spectator-expire --now "$NOW" --rejects "$BATS_TEST_TMPDIR/rejects.ndjson" \
	    reject-mask.input.ndjson
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: no spectator key read (2 rejected): the input holds none (pass --allow-empty if that is meant)" ]
}

@test "spectator-expire: --allow-empty with --check or --warn is a usage error (UNKNOWN)" {
	run -3 --separate-stderr spectator-expire --now "$NOW" --check --allow-empty </dev/null
	[ "$output" = "SPECTATOR UNKNOWN - --allow-empty: a check never passes on keys it did not read (not with --check, --warn or --crit)" ]
	[ "${stderr%%$'\n'*}" = "spectator-expire: --allow-empty: a check never passes on keys it did not read (not with --check, --warn or --crit)" ]
}

# One key of a listing of 5 on page 1 of 5; page 2 was never downloaded.
partial_page() {
	printf '{"data":[{"type":"spectator","id":"1","attributes":{"ValidTill":"2030-01-01T00:00:00Z"}}],"meta":{"total_count":5},"links":{"self":"https://api/x?page[offset]=0&page[limit]=1","next":"https://api/x?page[offset]=1&page[limit]=1"}}\n' >"$1"
}

@test "spectator-expire: pages holding fewer keys than their total are an error, never OK" {
	partial_page "$BATS_TEST_TMPDIR/p1.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/p1.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/p1.json:1: links.next https://api/x?page[offset]=1&page[limit]=1 was not read: a page is missing; --allow-partial reports what there is" ]
	run -3 --separate-stderr spectator-expire --now "$NOW" --warn 7d "$BATS_TEST_TMPDIR/p1.json"
	[ "$output" = "SPECTATOR UNKNOWN - $BATS_TEST_TMPDIR/p1.json:1: links.next https://api/x?page[offset]=1&page[limit]=1 was not read: a page is missing; --allow-partial reports what there is" ]
	run -3 --separate-stderr spectator-expire --now "$NOW" --check "$BATS_TEST_TMPDIR/p1.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/p1.json:1: links.next https://api/x?page[offset]=1&page[limit]=1 was not read: a page is missing; --allow-partial reports what there is" ]
}

@test "spectator-expire: a total without next links is checked too; --allow-partial reports what there is" {
	printf '{"data":[{"type":"spectator","id":"1","attributes":{"ValidTill":"2030-01-01T00:00:00Z"}}],"meta":{"found_rows":5,"count":1}}\n' >"$BATS_TEST_TMPDIR/p1.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" --all "$BATS_TEST_TMPDIR/p1.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/p1.json: the listing is incomplete: 1 of its 5 keys read in 1 page (a page is missing: download every page up to the total); --allow-partial reports what there is" ]
	run -1 --separate-stderr spectator-expire --now "$NOW" --all --allow-partial "$BATS_TEST_TMPDIR/p1.json"
	[ "${output%%,\"seconds_left\"*}" = '{"id":"1","status":"valid","ValidTill":"2030-01-01T00:00:00Z"' ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/p1.json: the listing is incomplete: 1 of its 5 keys read in 1 page (a page is missing: download every page up to the total); --allow-partial reports what there is" ]
}

@test "spectator-expire: --allow-partial exits 1, keeps the state of keys it did not read, and is refused by checks" {
	local st=$BATS_TEST_TMPDIR/state
	printf '{"links":{"self":"https://a/s?page[offset]=0","next":"https://a/s?page[offset]=1"},"meta":{"total_count":2},"data":[{"type":"spectator","id":"1","attributes":{"ValidTill":"2017-01-01T00:00:00Z"}}]}\n' >"$BATS_TEST_TMPDIR/pg1.json"
	printf '{"links":{"self":"https://a/s?page[offset]=1","next":null},"meta":{"total_count":2},"data":[{"type":"spectator","id":"2","attributes":{"ValidTill":"2017-01-01T00:00:00Z"}}]}\n' >"$BATS_TEST_TMPDIR/pg2.json"
	spectator-expire --now "$NOW" --state "$st" "$BATS_TEST_TMPDIR/pg1.json" "$BATS_TEST_TMPDIR/pg2.json" >"$OUT"
	[ "$(wc -l <"$OUT")" -eq 2 ]
	cp "$st" "$BATS_TEST_TMPDIR/state.full"
	# Page 2 missing: key 1 is reported (unchanged, so not again), key 2's
	# state is kept as it was, and the exit is 1.
	run -1 --separate-stderr spectator-expire --now "$NOW" --allow-partial --state "$st" "$BATS_TEST_TMPDIR/pg1.json"
	[ -z "$output" ]
	assert_equal "$stderr" "spectator-expire: $BATS_TEST_TMPDIR/pg1.json:1: links.next https://a/s?page[offset]=1 was not read: a page is missing; --allow-partial reports what there is
spectator-expire: $BATS_TEST_TMPDIR/pg1.json: the listing is incomplete: 1 of its 2 keys read in 1 page (a page is missing: download every page up to the total); --allow-partial reports what there is"
	assert_equal "$(sort "$st")" "$(sort "$BATS_TEST_TMPDIR/state.full")"
	# The next whole run alerts on nothing: key 2 was not forgotten.
	spectator-expire --now "$NOW" --state "$st" "$BATS_TEST_TMPDIR/pg1.json" "$BATS_TEST_TMPDIR/pg2.json" >"$OUT"
	[ ! -s "$OUT" ]
	run -3 --separate-stderr spectator-expire --now "$NOW" --warn 7d --allow-partial "$BATS_TEST_TMPDIR/pg1.json"
	assert_equal "$output" "SPECTATOR UNKNOWN - --allow-partial: a check never passes on keys it did not read (not with --check, --warn or --crit)"
}

@test "spectator-expire: a relative links.next (a URI-reference) is resolved against self" {
	printf '{"links":{"self":"https://a/s?page[offset]=0","next":"/s?page[offset]=1"},"meta":{"total_count":2},"data":[{"type":"spectator","id":"1","attributes":{"ValidTill":"2017-01-01T00:00:00Z"}}]}\n{"links":{"self":"https://a/s?page[offset]=1","next":null},"meta":{"total_count":2},"data":[{"type":"spectator","id":"2","attributes":{"ValidTill":"2017-01-01T00:00:00Z"}}]}\n' >"$BATS_TEST_TMPDIR/rel.json"
	run -0 --separate-stderr spectator-expire --now "$NOW" --summary --to csv "$BATS_TEST_TMPDIR/rel.json"
	[ -z "$stderr" ]
	assert_equal "${lines[1]}" "expired,2"
}

@test "spectator-expire: a listing whose own total is 0 is a verified empty account: OK, exit 0" {
	printf '{"data":[],"meta":{"total_count":0},"links":{"self":"https://f/api/user/1/spectator?page[offset]=0&page[limit]=100"}}\n' >"$BATS_TEST_TMPDIR/zero.json"
	run -0 --separate-stderr spectator-expire --now "$NOW" --warn 7d "$BATS_TEST_TMPDIR/zero.json"
	[ "$output" = "SPECTATOR OK - 0 expired, 0 expiring within 7d, 0 keys | expired=0 critical=0 warning=0 ok=0 no_expiry=0" ]
	run -0 --separate-stderr spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/zero.json"
	[ -z "$output" ]
	printf '{"data":[]}\n' >"$BATS_TEST_TMPDIR/bare.json"
	run -3 --separate-stderr spectator-expire --now "$NOW" --check "$BATS_TEST_TMPDIR/bare.json"
	[ "$stderr" = "spectator-expire: no spectator key read (0 rejected)" ]
}

@test "spectator-expire: every page of a listing read: no complaint" {
	spectator-expire --now "$NOW" --all "$SAMPLES/spectators/spectators-page1.json" "$SAMPLES/spectators/spectators-page2.json" >"$OUT"
	[ -s "$OUT" ]
}

@test "spectator-expire: a Twins error envelope quotes its code and message, never 0 keys" {
	printf '{"meta":{"code":403,"message":"access denied"}}\n' >"$BATS_TEST_TMPDIR/in.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" --allow-empty "$BATS_TEST_TMPDIR/in.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/in.json:1: the API answered 403 access denied" ]
	run -3 --separate-stderr spectator-expire --now "$NOW" --warn 7d "$BATS_TEST_TMPDIR/in.json"
	[ "$output" = "SPECTATOR UNKNOWN - $BATS_TEST_TMPDIR/in.json:1: the API answered 403 access denied" ]
}

# ==== duplicates ====

@test "spectator-expire: duplicate key ids across inputs: warned, the later one wins" {
	spectator-expire --now "$NOW" "$FIX/page.input.json" "$FIX/page2.input.json" \
	    >"$OUT" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden dup.out
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" \
	    "spectator-expire: $FIX/page2.input.json:2: duplicate key id 3 (also at $FIX/page.input.json:12): the later one wins"
}

@test "spectator-expire: a duplicate after an input without keys names the input of the first" {
	printf '{"data":[{"type":"spectator","id":"7","attributes":{"ValidTill":null}}]}\n' >"$BATS_TEST_TMPDIR/a.json"
	printf '{"data":[]}\n' >"$BATS_TEST_TMPDIR/b.json"
	printf '\n{"data":[{"type":"spectator","id":"7","attributes":{"ValidTill":"2000-01-01T00:00:00Z","Note":"later"}}]}\n' >"$BATS_TEST_TMPDIR/c.json"
	spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json" \
	    "$BATS_TEST_TMPDIR/c.json" >"$OUT" 2>"$BATS_TEST_TMPDIR/err"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" \
	    "spectator-expire: $BATS_TEST_TMPDIR/c.json:2: duplicate key id 7 (also at $BATS_TEST_TMPDIR/a.json:1): the later one wins"
	assert_equal "$(cat "$OUT")" \
	    '{"id":"7","status":"expired","ValidTill":"2000-01-01T00:00:00Z","seconds_left":'"$(( $(date -u -d 2000-01-01 +%s) - $(date -u -d "$NOW" +%s) ))"',"Note":"later","MapLink":null,"cars":[]}'
}

@test "spectator-expire: 30000 keys with duplicates: each reported once, with the later details" {
	awk 'BEGIN {
		for (p = 0; p < 3; p++) {
			printf "{\"data\":["
			for (i = 1; i <= 10000; i++)
				printf "%s{\"type\":\"spectator\",\"id\":\"%d\",\"attributes\":{\"ValidTill\":\"2001-01-01T00:00:00Z\",\"Note\":\"p%d\"},\"relationships\":{\"Cars\":{\"data\":[{\"type\":\"car\",\"id\":\"c%d\"}]}}}", (i > 1 ? "," : ""), (p == 2 ? i * 2 : i + 10000 * p), p, i
			print "]}"
		}
	}' >"$BATS_TEST_TMPDIR/many.json"
	spectator-expire -q --now "$NOW" "$BATS_TEST_TMPDIR/many.json" >"$OUT"
	# Ids 1..20000 of the first two pages; the third repeats the even
	# ones up to 20000, which win and come last, with Note p2.
	assert_equal "$(wc -l <"$OUT")" 20000
	assert_equal "$(grep -c '"Note":"p2"' "$OUT")" 10000
	assert_equal "$(head -1 "$OUT" | cut -c1-40)" '{"id":"1","status":"expired","ValidTill"'
	assert_equal "$(tail -1 "$OUT" | grep -o '"id":"[0-9]*".*"Note":"p[0-9]"')" '"id":"20000","status":"expired","ValidTill":"2001-01-01T00:00:00Z","seconds_left":'"$(( $(date -u -d 2001-01-01 +%s) - $(date -u -d "$NOW" +%s) ))"',"Note":"p2"'
	assert_equal "$(grep -c '"id":"19999".*"Note":"p1"' "$OUT")" 1
}

@test "spectator-expire: no writable temporary directory for the details is an error" {
	TMPDIR=/nonexistent/dir run spectator-expire --now "$NOW" "$FIX/page.input.json"
	assert_equal "$status" 2
	assert_equal "$output" "spectator-expire: cannot make a temporary file in /nonexistent/dir: No such file or directory (set TMPDIR)"
}

# ==== secrets ====

@test "spectator-expire: masking keeps 3 characters at each end of keys of 9 or more" {
	spectator-expire --now "$NOW" "$FIX/mask.input.ndjson" >"$OUT"
	assert_golden mask.out
}

@test "spectator-expire: --show-keys prints MapLink as it is" {
	spectator-expire --now "$NOW" --show-keys "$FIX/mask.input.ndjson" >"$OUT"
	assert_golden mask-shown.out
}

# ==== summaries ====

@test "spectator-expire: --summary counts keys per status" {
	spectator-expire --now "$NOW" --summary "$FIX/page.input.json" >"$OUT"
	assert_golden summary.out
}

@test "spectator-expire: --summary --to csv" {
	spectator-expire --now "$NOW" -S --to csv "$FIX/page.input.json" >"$OUT"
	assert_golden summary.csv
}

@test "spectator-expire: --summary --by-car lists cars whose every key expired" {
	spectator-expire --now "$NOW" --summary --by-car "$FIX/page.input.json" >"$OUT"
	assert_golden by-car.out
}

@test "spectator-expire: --by-car after a later page gives car 3 a new key" {
	spectator-expire --now "$NOW" --by-car "$FIX/page.input.json" "$FIX/page2.input.json" \
	    >"$OUT" 2>/dev/null
	assert_golden by-car-dup.out
}

# ==== --check, --warn, --crit ====

@test "spectator-expire: --check exits 1 when a key is expired or expiring, and still reports" {
	run -1 --separate-stderr spectator-expire --now "$NOW" --check -o "$OUT" "$FIX/page.input.json"
	[ -z "$output" ]
	[ -z "$stderr" ]
	assert_golden page.out
}

@test "spectator-expire: --check exits 0 when nothing expires within --within" {
	run -0 --separate-stderr spectator-expire --now 2017-01-01T00:00:00Z --check "$FIX/page.input.json"
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "spectator-expire: --check exits 0 when the only key near expiry is beyond a shorter --within" {
	run -0 --separate-stderr spectator-expire --now 2017-10-02T16:04:19Z -w 6d --check "$FIX/single.input.json"
	[ -z "$output" ]
}

@test "spectator-expire: --warn/--crit OK, exit 0" {
	run -0 --separate-stderr spectator-expire --now 2017-01-01T00:00:00Z --warn 7d --crit 1d "$FIX/page.input.json"
	[ "$output" = "SPECTATOR OK - 0 expired, 0 expiring within 1d, 0 expiring within 7d, 8 keys | expired=0 critical=0 warning=0 ok=7 no_expiry=1" ]
	[ -z "$stderr" ]
}

@test "spectator-expire: --warn/--crit WARNING, exit 1" {
	run -1 --separate-stderr spectator-expire --now 2017-10-02T16:04:19Z --warn 7d --crit 1d "$FIX/page.input.json"
	[ "$output" = "SPECTATOR WARNING - 0 expired, 0 expiring within 1d, 3 expiring within 7d, 8 keys | expired=0 critical=0 warning=3 ok=4 no_expiry=1" ]
	[ -z "$stderr" ]
}

@test "spectator-expire: --warn/--crit CRITICAL, exit 2" {
	run -2 --separate-stderr spectator-expire --now "$NOW" --warn 7d --crit 1d "$FIX/page.input.json"
	[ "$output" = "SPECTATOR CRITICAL - 3 expired, 2 expiring within 1d, 1 expiring within 7d, 8 keys | expired=3 critical=2 warning=1 ok=1 no_expiry=1" ]
	[ -z "$stderr" ]
}

@test "spectator-expire: --warn alone: expired keys are critical" {
	run -2 --separate-stderr spectator-expire --now "$NOW" --warn 2d "$FIX/single.input.json"
	[ "$output" = "SPECTATOR CRITICAL - 1 expired, 0 expiring within 2d, 1 key | expired=1 critical=0 warning=0 ok=0 no_expiry=0" ]
}

# ==== --state ====

@test "spectator-expire: --state alerts once on expiring, once on expired, again after an extension lapses" {
	local st="$BATS_TEST_TMPDIR/alerts.state"
	# Run 1: key 1 is 6 days away: expiring, reported.
	spectator-expire --now 2017-10-03T00:00:00Z --state "$st" "$FIX/state.input.json" >"$OUT"
	assert_golden state-run1.out
	# Run 2: key 1 is still expiring (quiet); key 2 starts expiring.
	spectator-expire --now 2017-10-09T00:00:00Z --state "$st" "$FIX/state.input.json" >"$OUT"
	assert_golden state-run2.out
	# Run 3: key 1 has expired: reported once more.
	spectator-expire --now 2017-10-10T00:00:00Z --state "$st" "$FIX/state.input.json" >"$OUT"
	assert_golden state-run3.out
	assert_golden state-run3.state "$st"
	# Same time again: nothing new.
	spectator-expire --now 2017-10-10T00:00:00Z --state "$st" "$FIX/state.input.json" >"$OUT"
	[ ! -s "$OUT" ]
	# Key 1 extended to November: expiring again, then expired again.
	spectator-expire --now 2017-11-05T00:00:00Z --state "$st" "$FIX/state-extended.input.json" >"$OUT"
	assert_golden state-run4.out
	spectator-expire --now 2017-11-10T00:00:00Z --state "$st" "$FIX/state-extended.input.json" >"$OUT"
	assert_golden state-run5.out
}

@test "spectator-expire: --state is not updated when the report cannot be written" {
	local st="$BATS_TEST_TMPDIR/alerts.state"
	run -2 --separate-stderr spectator-expire --now 2017-10-03T00:00:00Z --state "$st" -o /dev/full "$FIX/state.input.json"
	[ ! -e "$st" ]
	[ "$stderr" = "spectator-expire: write error: /dev/full: No space left on device" ]
}

@test "spectator-expire: a --state path that can't be written stops the run before any report" {
	run -2 --separate-stderr spectator-expire --now "$NOW" --state "$BATS_TEST_TMPDIR/no/such/dir/st" "$FIX/page.input.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: cannot create $BATS_TEST_TMPDIR/no/such/dir/st: No such file or directory" ]
}

@test "spectator-expire: a malformed --state file names its line, exit 2" {
	printf '{"id":"1","status":"expired","ValidTill":null,"reported":"2017-10-01T00:00:00Z"}\n{"id":"2"}\n' \
	    >"$BATS_TEST_TMPDIR/bad.state"
	run -2 --separate-stderr spectator-expire --now "$NOW" --state "$BATS_TEST_TMPDIR/bad.state" "$FIX/page.input.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/bad.state:2: state: missing \"status\"" ]
}

# ==== errors and rejects ====

@test "spectator-expire: an errors document quotes status, code, title and detail, exit 2" {
	run -2 --separate-stderr spectator-expire --now "$NOW" "$FIX/errors.input.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $FIX/errors.input.json:1: jsonapi error: 401 unauthorized: Unauthorized: apikey is not valid" ]
}

@test "spectator-expire: an unparseable ValidTill is an error naming file and line, exit 2" {
	run -2 --separate-stderr spectator-expire --now "$NOW" "$FIX/bad-till.input.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $FIX/bad-till.input.json:3: key 10: ValidTill \"09.10.2017 16:04\" is not an RFC 3339 time" ]
}

@test "spectator-expire: --rejects takes bad ValidTill keys, masked, with _file, _line, _reason" {
	cd "$FIX"
	spectator-expire --now "$NOW" --rejects "$BATS_TEST_TMPDIR/rejects.ndjson" --stats \
	    bad-till.input.json >"$OUT" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden bad-till.out
	assert_golden bad-till.rejects.ndjson "$BATS_TEST_TMPDIR/rejects.ndjson"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" \
	    '{"read":3,"written":1,"filtered":0,"rejected":2,"expired":1,"expiring":0,"valid":0,"no-expiry":0,"duplicates":0,"unchanged":0,"reasons":{"bad_valid_till":2}}'
}

@test "spectator-expire: rejects of any reason keep access keys masked" {
	cd "$FIX"
	# Every key is rejected: no key read, allowed here.
	spectator-expire --now "$NOW" --allow-empty --rejects "$BATS_TEST_TMPDIR/rejects.ndjson" \
	    reject-mask.input.ndjson >"$OUT"
	[ ! -s "$OUT" ]
	assert_golden reject-mask.rejects.ndjson "$BATS_TEST_TMPDIR/rejects.ndjson"
}

@test "spectator-expire: --summary counts rejected keys as invalid" {
	spectator-expire --now "$NOW" --rejects "$BATS_TEST_TMPDIR/rejects.ndjson" -S \
	    "$FIX/bad-till.input.json" >"$OUT"
	assert_golden bad-till-summary.out
}

@test "spectator-expire: --stats adds up over a duplicate" {
	spectator-expire --now "$NOW" --stats "$FIX/page.input.json" "$FIX/page2.input.json" \
	    >"$OUT" 2>"$BATS_TEST_TMPDIR/err"
	assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/err")" \
	    '{"read":10,"written":6,"filtered":4,"rejected":0,"expired":3,"expiring":3,"valid":2,"no-expiry":1,"duplicates":1,"unchanged":0,"reasons":{}}'
}

@test "spectator-expire: a resource of another type is rejected, exit 2" {
	printf '{"data":[{"type":"car","id":"1","attributes":{"ValidTill":null}}]}\n' >"$BATS_TEST_TMPDIR/in.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/in.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/in.json:1: resource type is not \"spectator\"" ]
}

@test "spectator-expire: a key without ValidTill is rejected, exit 2" {
	printf '{"type":"spectator","id":"1","attributes":{"Note":"x"}}\n' >"$BATS_TEST_TMPDIR/in.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/in.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/in.json:1: key 1 has no ValidTill" ]
}

@test "spectator-expire: an empty id is no id, exit 2" {
	printf '{"type":"spectator","id":"","attributes":{"ValidTill":null}}\n' >"$BATS_TEST_TMPDIR/in.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/in.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/in.json:1: resource has no id" ]
}

@test "spectator-expire: a document that is not JSON:API is an error, exit 2" {
	printf '{"result":{"items":[]}}\n' >"$BATS_TEST_TMPDIR/in.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/in.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/in.json:1: not a JSON:API document or resource (member \"result\")" ]
}

@test "spectator-expire: truncated JSON names the file, exit 2" {
	head -c 300 "$FIX/page.input.json" >"$BATS_TEST_TMPDIR/cut.json"
	run -2 --separate-stderr spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/cut.json"
	[ -z "$output" ]
	[[ "$stderr" == "spectator-expire: $BATS_TEST_TMPDIR/cut.json:"* ]]
}

@test "spectator-expire: a missing file is an error, exit 2" {
	run -2 --separate-stderr spectator-expire --now "$NOW" "$BATS_TEST_TMPDIR/nosuch.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: $BATS_TEST_TMPDIR/nosuch.json: No such file or directory" ]
}

# ==== output files ====

@test "spectator-expire: -o writes the file; bad input later leaves it intact" {
	local dir="$BATS_TEST_TMPDIR/o"
	mkdir "$dir"
	spectator-expire --now "$NOW" -o "$dir/report.ndjson" "$FIX/page.input.json"
	assert_golden page.out "$dir/report.ndjson"
	run -2 --separate-stderr spectator-expire --now "$NOW" -o "$dir/report.ndjson" \
	    "$FIX/page.input.json" "$FIX/errors.input.json"
	[ -z "$output" ]
	assert_golden page.out "$dir/report.ndjson"
	[ "$(ls -A "$dir")" = "report.ndjson" ]
}

@test "spectator-expire: -z -o FILE writes gzip" {
	spectator-expire --now "$NOW" -z -o "$BATS_TEST_TMPDIR/report.ndjson.gz" "$FIX/page.input.json"
	gzip -dc "$BATS_TEST_TMPDIR/report.ndjson.gz" >"$OUT"
	assert_golden page.out
}

@test "spectator-expire: write failure is an error, exit 2" {
	run -2 --separate-stderr bash -c 'spectator-expire "$@" >/dev/full' _ --now "$NOW" "$FIX/page.input.json"
	[ -z "$output" ]
	[ "$stderr" = "spectator-expire: write error: stdout: No space left on device" ]
}

# ==== usage ====

@test "spectator-expire: --help prints the synopsis on stdout, exit 0" {
	spectator-expire --help >"$OUT"
	[ "$(head -n 1 "$OUT")" = "usage: spectator-expire [-ac] [-N TIME] [-s LIST] [-w DUR] [--state FILE]" ]
}

@test "spectator-expire: unknown --status is a usage error, exit 2" {
	run -2 --separate-stderr spectator-expire --status expired,stale "$FIX/page.input.json"
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "spectator-expire: unknown status in --status: stale" ]
}

@test "spectator-expire: a bad --now is a usage error, exit 2" {
	run -2 --separate-stderr spectator-expire --now 2017-10-32 "$FIX/page.input.json"
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "spectator-expire: bad --now time: 2017-10-32" ]
}

@test "spectator-expire: --warn with --summary is a usage error, UNKNOWN (exit 3)" {
	run -3 --separate-stderr spectator-expire --warn 7d --summary "$FIX/page.input.json"
	[ "$output" = "SPECTATOR UNKNOWN - --warn/--crit print one status line: no --summary, --check, --state, --status or --all" ]
	[ "${stderr_lines[0]}" = "spectator-expire: --warn/--crit print one status line: no --summary, --check, --state, --status or --all" ]
}

@test "spectator-expire: --warn with -o, -z or -w is a usage error: the status line is stdout's, the window --warn's" {
	local opt
	for opt in "-o $BATS_TEST_TMPDIR/status" -z "-w 30d" "--within=30d"; do
		run -3 --separate-stderr spectator-expire --now "$NOW" --warn 7d $opt "$FIX/page.input.json"
		assert_equal "$output" "SPECTATOR UNKNOWN - --warn/--crit print one status line on standard output, over their own window: no -o, -z or --within"
		[ ! -e "$BATS_TEST_TMPDIR/status" ]
	done
}

@test "spectator-expire: --columns naming no column of the output is a usage error" {
	# The output's fields are fixed: a typo would be an empty column.
	run -2 --separate-stderr spectator-expire --now "$NOW" --to csv --columns id,Statuss "$FIX/page.input.json"
	[ -z "$output" ]
	assert_equal "${stderr_lines[0]}" "spectator-expire: --columns: no column \"Statuss\" in this output (id, status, ValidTill, seconds_left, Note, MapLink, cars)"
	run -2 --separate-stderr spectator-expire --now "$NOW" --summary --to csv --columns keys,state "$FIX/page.input.json"
	assert_equal "${stderr_lines[0]}" "spectator-expire: --columns: no column \"state\" in this output (status, keys)"
	run -0 spectator-expire --now "$NOW" --to csv --columns status,id "$FIX/page.input.json"
	assert_equal "${lines[0]}" "status,id"
}

@test "spectator-expire: --warn shorter than --crit is a usage error, UNKNOWN (exit 3)" {
	run -3 --separate-stderr spectator-expire --warn 1d --crit 7d "$FIX/page.input.json"
	[ "$output" = "SPECTATOR UNKNOWN - --warn must be at least --crit" ]
	[ "${stderr_lines[0]}" = "spectator-expire: --warn must be at least --crit" ]
}

@test "spectator-expire: CSV input options are refused, exit 2" {
	run -2 --separate-stderr spectator-expire --from csv "$FIX/page.input.json"
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "spectator-expire: --from csv: input is JSON only" ]
}

@test "spectator-expire: --to csv with an object Note: its JSON text in the Note cell, not an error" {
	printf '%s\n' '{"data":[{"type":"spectator","id":"7","attributes":{"ValidTill":"2020-01-01T00:00:00Z","Note":{"a":1,"b":[1,2]}}}]}' >"$BATS_TEST_TMPDIR/note.json"
	run -0 --separate-stderr spectator-expire --now 2024-03-01T09:00:00Z --to csv "$BATS_TEST_TMPDIR/note.json"
	assert_equal "$output" 'id,status,ValidTill,seconds_left,Note,MapLink,cars
7,expired,2020-01-01T00:00:00Z,-131446800,"{""a"":1,""b"":[1,2]}",,'
}

@test "spectator-expire: --by-car counts a car listed twice in one key's Cars once" {
	printf '%s\n' '{"type":"spectator","id":"5","attributes":{"ValidTill":"2020-06-01T00:00:00Z"},"relationships":{"Cars":{"data":[{"type":"car","id":"9"},{"type":"car","id":"9"}]}}}' '{"id":"6","type":"spectator","ValidTill":"2020-07-01T00:00:00Z","Cars":["9"]}' >"$BATS_TEST_TMPDIR/cars.ndjson"
	run -0 --separate-stderr spectator-expire --now 2024-01-01T00:00:00Z --summary --by-car "$BATS_TEST_TMPDIR/cars.ndjson"
	[[ $output == *'{"car":"9","keys":2,'* ]]
}

# ==== secrets (DESIGN §4: none reaches a rejects file or stderr) ====

@test "spectator-expire: --rejects masks secrets in nested arrays, objects and links" {
	printf '%s\n' '{"type":"spectator","id":"2","attributes":{"ValidTill":null}}' '{"type":"spectator","id":"3","attributes":{"ValidTill":"x","L":["https://q/?token=SEKRET6",{"AccessKey":"ABCDEFGHIJKL"}]},"links":{"self":"https://q/?apikey=SEKRET8&page=1"}}' >"$BATS_TEST_TMPDIR/s.ndjson"
	run -0 --separate-stderr spectator-expire -N 2026-12-01 --rejects "$BATS_TEST_TMPDIR/rj" "$BATS_TEST_TMPDIR/s.ndjson"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rj")" '{"type":"spectator","id":"3","attributes":{"ValidTill":"x","L":["https://q/?token=…",{"AccessKey":"ABC…JKL"}]},"links":{"self":"https://q/?apikey=…&page=1"},"_file":"'"$BATS_TEST_TMPDIR/s.ndjson"'","_line":2,"_reason":"bad_valid_till"}'
}

@test "spectator-expire: --show-keys keeps a rejected resource as it was read" {
	local r='{"type":"spectator","id":"3","attributes":{"AccessKey":"ABCDEFGHIJKL","ValidTill":"x","L":["https://q/?token=SEKRET6&_cpKey=SEKRET7SEKRET7"]},"links":{"self":"https://q/?apikey=SEKRET8"}}'
	printf '%s\n' '{"type":"spectator","id":"2","attributes":{"ValidTill":null}}' "$r" >"$BATS_TEST_TMPDIR/s.ndjson"
	run -0 --separate-stderr spectator-expire -N 2026-12-01 --show-keys --rejects "$BATS_TEST_TMPDIR/rj" "$BATS_TEST_TMPDIR/s.ndjson"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rj")" "${r%\}}"',"_file":"'"$BATS_TEST_TMPDIR/s.ndjson"'","_line":2,"_reason":"bad_valid_till"}'
}

@test "spectator-expire: a missing page's message masks its _cpKey= as well as apikey=" {
	printf '%s' '{"links":{"self":"https://a/s?page[offset]=0&apikey=K&_cpKey=SEKRET2","next":"https://a/s?page[offset]=1&apikey=K&_cpKey=SEKRET2"},"meta":{"total_count":2},"data":[{"type":"spectator","id":"1","attributes":{"ValidTill":null}}]}' >"$BATS_TEST_TMPDIR/sp1.json"
	run -2 --separate-stderr spectator-expire "$BATS_TEST_TMPDIR/sp1.json"
	[ -z "$output" ]
	assert_equal "$stderr" "spectator-expire: $BATS_TEST_TMPDIR/sp1.json:1: links.next https://a/s?page[offset]=1&apikey=…&_cpKey=… was not read: a page is missing; --allow-partial reports what there is"
}

@test "spectator-expire: a links.next that is no link is an error naming file:line, not the last page" {
	local f="$BATS_TEST_TMPDIR/nx.json" v
	for v in '{"meta":{"a":1}}' 5 true '[]'; do
		printf '{"data":[{"type":"spectator","id":"1","attributes":{"ValidTill":"2030-01-01T00:00:00Z"}}],"links":{"self":"https://a/s?page[offset]=0","next":%s}}\n' "$v" >"$f"
		run -2 --separate-stderr spectator-expire --now "$NOW" --all "$f"
		[ -z "$output" ]
		[ "$stderr" = "spectator-expire: $f:1: links.next is not a link: want null, a URL string or an object with a string href" ]
	done
}

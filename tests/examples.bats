#!/usr/bin/env bats
# tests/examples.bats: every EXAMPLES entry of every man page runs as
# written.  Each .Bd -literal (or .Dl) block of a page's EXAMPLES section
# becomes a bash -e -o pipefail script, run in a fresh folder holding the
# files the example names (made from samples/), with the built tools first
# on PATH, $API pointing at tests/apiserver.py on 127.0.0.1, and stand-ins
# for ifne(1) and mail(1).  Only absolute paths change: /srv/ and /var/lib/
# are moved under the folder.  One @test per example; a page with more or
# fewer examples than listed here fails the count test.

bats_require_minimum_version 1.5.0
TOOL=examples
load helpers

DOCS="$BATS_TEST_DIRNAME/../docs"
S="$BATS_TEST_DIRNAME/../samples"

# examples_of PAGE DIR: write each example of PAGE to DIR/ex.N, unescaped
# from roff; print how many there are.
examples_of() {
	awk -v dir="$2" '
	function out(s) {
		gsub(/\\e/, "\\", s); gsub(/\\-/, "-", s)
		gsub(/\\\(dq/, "\"", s); gsub(/\\&/, "", s)
		print s > f
	}
	/^\.Sh / { inex = ($0 == ".Sh EXAMPLES"); next }
	!inex { next }
	/^\.Bd -literal/ { f = dir "/ex." ++n; printf "" > f; inbd = 1; next }
	/^\.Ed/ { inbd = 0; close(f); next }
	/^\.Dl / { f = dir "/ex." ++n; out(substr($0, 5)); close(f); next }
	inbd { out($0) }
	END { print n + 0 }' "$1"
}

# The stand-ins a cron example pipes into.
stubs() {
	mkdir -p "$W/stubs"
	cat >"$W/stubs/ifne" <<'SH'
#!/bin/sh
# ifne COMMAND...: run COMMAND with standard input only if it is not empty.
t=$(mktemp) && cat >"$t" && if [ -s "$t" ]; then "$@" <"$t"; s=$?; else s=0; fi
rm -f "$t"; exit $s
SH
	cat >"$W/stubs/mail" <<'SH'
#!/bin/sh
# mail -s SUBJECT TO: the message goes to ./mail.out.
{ echo "mail $*"; cat; } >>mail.out
SH
	chmod +x "$W/stubs/ifne" "$W/stubs/mail"
}

# fixtures TOOL: the files TOOL's examples name, in $W.
fixtures() {
	case $1 in
	twin-join)
		cp "$S/twins/links.csv" "$S/twins/shops.csv" "$W/"
		cp "$S/twins/search-by-partner.json" "$W/responses.json"
		gzip -c "$S/twins/links.csv" >"$W/links.csv.gz"
		# Sorted by key in byte order, headers first.
		{ head -1 "$S/twins/links.csv"; tail -n +2 "$S/twins/links.csv" | LC_ALL=C sort -t, -k3,3; } >"$W/links-by-partner.csv"
		{ head -1 "$S/twins/shops.csv"; tail -n +2 "$S/twins/shops.csv" | LC_ALL=C sort -t, -k1,1; } >"$W/shops-by-id.csv"
		;;
	jsonapi-paginate)
		mkdir -p "$W/pages"
		for f in "$S"/jsonapi/vehicles-p*.json; do gzip -c "$f" >"$W/pages/${f##*/}.gz"; done
		awk 'BEGIN { for (i = 1; i <= 1234; i++)
		    printf "{\"type\":\"car\",\"id\":\"%d\",\"attributes\":{\"plate\":\"A%03dBC\",\"odometer\":7000000102053%04d}}\n", i, i % 1000, i }' >"$W/cars.ndjson"
		;;
	place-normalize)
		cp "$S/places/partner.csv" "$W/"
		cp "$S/places/company.csv" "$W/units.csv"
		gzip -c "$S/places/existing.json" >"$W/listing.json.gz"
		;;
	spectator-expire)
		mkdir -p "$W/pages" "$W/srv/dumps" "$W/var/lib/fleet"
		for f in "$S"/spectators/spectators-page*.json; do
			cp "$f" "$W/pages/"
			gzip -c "$f" >"$W/pages/${f##*/}.gz"
		done
		cat "$S"/spectators/spectators-page*.json | gzip >"$W/srv/dumps/spectators.json.gz"
		# Every page: a dump of page 1 alone is an incomplete listing.
		cat "$S"/spectators/spectators-page*.json >"$W/dump.json"
		;;
	esac
}

# example PAGE N WANT: run example N of docs/PAGE as written; it must exit
# WANT.  Leaves $W (its folder), $output and $stderr for further checks.
example() {
	local page=$1 n=$2 want=$3 tool=${1%.*} script
	W="$BATS_TEST_TMPDIR/w"
	mkdir -p "$W"
	examples_of "$DOCS/$page" "$BATS_TEST_TMPDIR" >/dev/null
	script="$BATS_TEST_TMPDIR/ex.$n"
	[ -f "$script" ] || { echo "$page has no example $n"; return 1; }
	sed -i "s|/srv/|$W/srv/|g; s|/var/lib/|$W/var/lib/|g" "$script"
	stubs
	fixtures "$tool"
	echo "# $page example $n:" >&3
	sed 's/^/#   /' "$script" >&3
	run --separate-stderr env -C "$W" PATH="$W/stubs:$PATH" API="${API:-}" \
	    bash -e -o pipefail "$script"
	if [ "$status" -ne "$want" ]; then
		printf 'exit %s, want %s\nstdout: %s\nstderr: %s\n' "$status" "$want" "$output" "$stderr"
		return 1
	fi
}

@test "every page has the examples this suite runs" {
	assert_equal "$(examples_of "$DOCS/twin-join.1" "$BATS_TEST_TMPDIR")" 7
	assert_equal "$(examples_of "$DOCS/jsonapi-paginate.1" "$BATS_TEST_TMPDIR")" 5
	assert_equal "$(examples_of "$DOCS/place-normalize.1" "$BATS_TEST_TMPDIR")" 4
	assert_equal "$(examples_of "$DOCS/spectator-expire.1" "$BATS_TEST_TMPDIR")" 5
	assert_equal "$(examples_of "$DOCS/dumpkit.7" "$BATS_TEST_TMPDIR")" 1
}

# ==== twin-join.1 ====

@test "twin-join.1 example 1: --left with a links export" {
	example twin-join.1 1 0
	grep -q '^21934,Coffee House Lenina,.*,1267165676509882,branch$' "$W/shops-2gis.csv"
}
@test "twin-join.1 example 2: saved search-by-partner responses" {
	example twin-join.1 2 0
	assert_equal "${lines[1]}" "24102,Tea & Cake,Krasny Ave 15,Novosibirsk,70000001044400017,branch"
}
@test "twin-join.1 example 3: stale links, and --expect with -o (CRITICAL: a sample shop has two twins)" {
	example twin-join.1 3 2
	[ -s "$W/stale.csv" ] && [ -s "$W/out.csv" ]
	assert_equal "$output" "TWINJOIN CRITICAL - expected many-to-one, but 1 key is not: 23990 | records=8 matched=6 unmatched=2 rejected=0 links=8 orphans=1 violations=1"
	[[ $stderr == '{"records":8,'*'"offending":["23990"]}' ]]
}
@test "twin-join.1 example 4: --split into four files" {
	example twin-join.1 4 0
	assert_equal "$(ls "$W/out")" "$(printf '%s\n' ambiguous.csv matched.csv orphans.csv unmatched.csv)"
}
@test "twin-join.1 example 5: --sorted merge of sorted exports" {
	example twin-join.1 5 0
	[ "${#lines[@]}" -gt 1 ]
}
@test "twin-join.1 example 6: Twins API lookups, 50 a request, then the join" {
	# The stand-in answers from the sample links, as NDJSON rows.
	awk -F, 'NR > 1 { printf "{\"dgis_id\":\"%s\",\"dgis_type\":\"%s\",\"partner_id\":\"%s\",\"partner_type\":\"%s\",\"partner_code\":\"%s\"}\n", $1, $2, $3, $4, $5 }' \
	    "$S/twins/links.csv" >"$BATS_TEST_TMPDIR/links.ndjson"
	start_api --links "$BATS_TEST_TMPDIR/links.ndjson"
	example twin-join.1 6 0
	grep -q '^/v1/twins/search/partner?key=&partner_code=sber-food&partner_id=' "$BATS_TEST_TMPDIR/requests"
	# What the lookups gave joins like the links themselves.
	twin-join --left -p sber-food -l "$W/links.csv" "$W/shops.csv" >"$BATS_TEST_TMPDIR/want"
	diff -u "$BATS_TEST_TMPDIR/want" "$W/shops-2gis.csv"
}
@test "twin-join.1 example 7: --check as a monitoring plugin, no data written" {
	example twin-join.1 7 0
	assert_equal "$output" "TWINJOIN OK - one-to-many holds: 8 records, 6 matched, 2 unmatched, 1 orphan link | records=8 matched=6 unmatched=2 rejected=0 links=8 orphans=1 violations=0"
	[ -z "$stderr" ]
}

# ==== jsonapi-paginate.1 ====

@test "jsonapi-paginate.1 example 1: download in parallel, then one verified stream" {
	start_api --total 2345
	example jsonapi-paginate.1 1 0
	assert_equal "$(wc -l <"$W/vehicles.ndjson")" 2345
	[[ $stderr == *'"read":2345,"written":2345'* ]]
}
@test "jsonapi-paginate.1 example 2: --resolve --flatten to CSV" {
	example jsonapi-paginate.1 2 0
	[ "$(wc -l <"$W/vehicles.csv")" -gt 1 ]
}
@test "jsonapi-paginate.1 example 3: pack, and the round trip" {
	example jsonapi-paginate.1 3 0
	assert_equal "$(wc -l <"$W/pages.ndjson")" 3
}
@test "jsonapi-paginate.1 example 4: page by page into one file with next" {
	start_api --total 10
	example jsonapi-paginate.1 4 0
	assert_equal "$(wc -l <"$W/all.ndjson")" 10
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/requests")" 4
}
@test "jsonapi-paginate.1 example 5: a skip/limit listing in parallel" {
	start_api --total 345
	example jsonapi-paginate.1 5 0
	assert_equal "$(wc -l <"$W/places.ndjson")" 345
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/requests")" 3
}

# ==== place-normalize.1 ====

@test "place-normalize.1 example 1: a CP1251 export, bad rows aside" {
	example place-normalize.1 1 0
	[ -s "$W/places.ndjson" ] && [ -s "$W/bad.csv" ]
}
@test "place-normalize.1 example 2: --print-map, then --map-file" {
	example place-normalize.1 2 0
	grep -q '^title=' "$W/map.txt"
}
@test "place-normalize.1 example 3: a change set against the listing" {
	example place-normalize.1 3 0
	grep -q '"op":"delete"' <<<"$output"
}
@test "place-normalize.1 example 4: a company tree, and back" {
	example place-normalize.1 4 0
	assert_equal "${lines[0]}" "id,name,parent_id,ownerId,accountIds,depth,path"
}

# ==== spectator-expire.1 ====

@test "spectator-expire.1 example 1: a saved listing" {
	example spectator-expire.1 1 0
}
@test "spectator-expire.1 example 2: through jsonapi-paginate to CSV" {
	example spectator-expire.1 2 0
	head -1 "$W/soon.csv" | grep -q '^id,status,'
}
@test "spectator-expire.1 example 3: the cron job mails changes once" {
	example spectator-expire.1 3 0
	grep -q '^mail -s spectator keys ops$' "$W/mail.out"
	[ -s "$W/var/lib/fleet/spectators.state" ]
	# The second run has nothing new: no second mail.
	rm "$W/mail.out"
	run --separate-stderr env -C "$W" PATH="$W/stubs:$PATH" bash -e -o pipefail "$BATS_TEST_TMPDIR/ex.3"
	[ "$status" -eq 0 ] && [ ! -e "$W/mail.out" ]
}
@test "spectator-expire.1 example 4: a monitoring check (CRITICAL, exit 2: the samples hold expired keys)" {
	example spectator-expire.1 4 2
	[[ ${lines[0]} == "SPECTATOR CRITICAL - "* ]]
}
@test "spectator-expire.1 example 5: counts, and the cars nobody can watch" {
	example spectator-expire.1 5 0
	[[ ${lines[0]} == '{"status":"expired","keys":'* ]]
}

# ==== dumpkit.7 ====

@test "dumpkit.7 example 1: a cron pipeline" {
	mkdir -p "$BATS_TEST_TMPDIR/w/dumps"
	for f in "$S"/spectators/spectators-page*.json; do
		gzip -c "$f" >"$BATS_TEST_TMPDIR/w/dumps/spectator-${f##*page}.gz"
	done
	example dumpkit.7 1 0
	[ -s "$W/keys.ndjson" ] && [ -s "$W/spectators.state" ] && [ -s "$W/report.ndjson" ]
}

@test "dumpkit.7 example 1 with a page missing: stops before the state, which stays as it was" {
	mkdir -p "$BATS_TEST_TMPDIR/w/dumps"
	# Only the first of two pages: jsonapi-paginate names the missing one.
	gzip -c "$S/spectators/spectators-page1.json" >"$BATS_TEST_TMPDIR/w/dumps/spectator-1.json.gz"
	mkdir -p "$BATS_TEST_TMPDIR/w"
	echo '{"id":"old"}' >"$BATS_TEST_TMPDIR/w/spectators.state"
	example dumpkit.7 1 2
	[[ $stderr == *"missing page"* ]]
	[ ! -e "$W/keys.ndjson" ] && [ ! -e "$W/report.ndjson" ]
	assert_equal "$(cat "$W/spectators.state")" '{"id":"old"}'
}

#!/usr/bin/env bats
# tests/reading.bats: every tool reads through common/source and reports a
# reader's error through the one reporter, "tool: FILE:LINE[:COL]: problem"
# (exit 2, nothing on stdout), whichever of its inputs the error is in.

bats_require_minimum_version 1.5.0
TOOL=reading
load helpers

# fails STATUS WANT TOOL ARGS...: TOOL ARGS exits STATUS, prints nothing on
# stdout and exactly WANT on stderr.
fails() {
	local status=$1 want=$2
	shift 2
	run "-$status" --separate-stderr "$@"
	[ -z "$output" ]
	assert_equal "$stderr" "$want"
}

# ==== twin-join: records and links ====

@test "twin-join: malformed JSON records: FILE:LINE:COL" {
	fails 2 "twin-join: $FIX/bad.json:1:39: unexpected '}' (expected a member name)" \
	    twin-join -l "$FIX/links.csv" "$FIX/bad.json"
}

@test "twin-join: malformed CSV records: FILE:LINE" {
	fails 2 "twin-join: $FIX/bad.csv:3: unterminated quote" \
	    twin-join -l "$FIX/links.csv" "$FIX/bad.csv"
}

@test "twin-join: truncated gzip records: FILE:LINE" {
	fails 2 "twin-join: $FIX/trunc.csv.gz:62: truncated gzip data" \
	    twin-join -l "$FIX/links.csv" "$FIX/trunc.csv.gz"
}

@test "twin-join: malformed JSON links: FILE:LINE:COL" {
	fails 2 "twin-join: $FIX/bad.json:1:39: unexpected '}' (expected a member name)" \
	    twin-join -l "$FIX/bad.json" "$FIX/bad.csv"
}

@test "twin-join: truncated gzip links: FILE:LINE" {
	fails 2 "twin-join: $FIX/trunc-links.csv.gz:64: truncated gzip data" \
	    twin-join -l "$FIX/trunc-links.csv.gz" "$FIX/bad.csv"
}

@test "twin-join: --sorted reports reader errors alike" {
	fails 2 "twin-join: $FIX/bad.json:1:39: unexpected '}' (expected a member name)" \
	    twin-join --sorted -l "$FIX/bad.json" "$FIX/links.csv"
	fails 2 "twin-join: $FIX/bad.csv:3: unterminated quote" \
	    twin-join --sorted -l "$FIX/links.csv" "$FIX/bad.csv"
}

@test "twin-join: a missing links or records file" {
	fails 2 "twin-join: $FIX/nope.csv: No such file or directory" \
	    twin-join -l "$FIX/nope.csv" "$FIX/bad.csv"
	fails 2 "twin-join: $FIX/nope.csv: No such file or directory" \
	    twin-join -l "$FIX/links.csv" "$FIX/nope.csv"
}

# ==== jsonapi-paginate (JSON only) ====

@test "jsonapi-paginate: malformed JSON: FILE:LINE:COL" {
	fails 2 "jsonapi-paginate: $FIX/bad.json:1:39: unexpected '}' (expected a member name)" \
	    jsonapi-paginate "$FIX/bad.json"
}

@test "jsonapi-paginate: a CSV input is malformed JSON" {
	fails 2 "jsonapi-paginate: $FIX/bad.csv:1:1: unexpected 'p' (expected a value)" \
	    jsonapi-paginate "$FIX/bad.csv"
}

@test "jsonapi-paginate: truncated gzip: FILE:LINE:COL" {
	fails 2 "jsonapi-paginate: $FIX/trunc.json.gz:69:37: truncated gzip data" \
	    jsonapi-paginate -o "$BATS_TEST_TMPDIR/out" "$FIX/trunc.json.gz"
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
}

@test "jsonapi-paginate: next and pack report reader errors alike" {
	fails 2 "jsonapi-paginate: $FIX/bad.json:1:39: unexpected '}' (expected a member name)" \
	    jsonapi-paginate next "$FIX/bad.json"
	fails 2 "jsonapi-paginate: $FIX/bad.json:1:39: unexpected '}' (expected a member name)" \
	    jsonapi-paginate pack --size 2 --base http://x/ "$FIX/bad.json"
}

# ==== place-normalize: data, --against listings, --map-file ====

@test "place-normalize: malformed JSON: FILE:LINE:COL" {
	fails 2 "place-normalize: $FIX/bad.json:1:39: unexpected '}' (expected a member name)" \
	    place-normalize "$FIX/bad.json"
}

@test "place-normalize: malformed CSV: FILE:LINE" {
	fails 2 "place-normalize: $FIX/bad.csv:3: unterminated quote" \
	    place-normalize "$FIX/bad.csv"
}

@test "place-normalize: truncated gzip: FILE:LINE" {
	fails 2 "place-normalize: $FIX/trunc.csv.gz:62: truncated gzip data" \
	    place-normalize "$FIX/trunc.csv.gz"
}

@test "place-normalize: malformed --against listing: FILE:LINE:COL" {
	fails 2 "place-normalize: $FIX/bad.json:1:39: unexpected '}' (expected a member name)" \
	    place-normalize --against "$FIX/bad.json" "$FIX/bad.csv"
}

@test "place-normalize: --print-map on a malformed header is an error, not an empty map" {
	printf '"id,title\n1,x\n' >"$BATS_TEST_TMPDIR/h.csv"
	fails 2 "place-normalize: $BATS_TEST_TMPDIR/h.csv:1: unterminated quote" \
	    place-normalize --print-map "$BATS_TEST_TMPDIR/h.csv"
}

# ==== spectator-expire (JSON only): exports and --state ====

@test "spectator-expire: malformed JSON: FILE:LINE:COL" {
	fails 2 "spectator-expire: $FIX/bad.json:1:39: unexpected '}' (expected a member name)" \
	    spectator-expire --now @0 "$FIX/bad.json"
}

@test "spectator-expire: a CSV input is malformed JSON" {
	fails 2 "spectator-expire: $FIX/bad.csv:1:1: unexpected 'p' (expected a value)" \
	    spectator-expire --now @0 "$FIX/bad.csv"
}

@test "spectator-expire: truncated gzip: FILE:LINE:COL" {
	fails 2 "spectator-expire: $FIX/trunc.json.gz:69:37: truncated gzip data" \
	    spectator-expire --now @0 "$FIX/trunc.json.gz"
}

@test "spectator-expire: malformed --state: FILE:LINE:COL" {
	cp "$FIX/bad.json" "$BATS_TEST_TMPDIR/st.json"
	fails 2 "spectator-expire: $BATS_TEST_TMPDIR/st.json:1:39: unexpected '}' (expected a member name)" \
	    spectator-expire --now @0 --state "$BATS_TEST_TMPDIR/st.json" "$FIX/trunc.json.gz"
}

# ==== a close error on an input is reported like a read error ====

# close_fails N WANT TOOL ARGS...: the Nth close() of a descriptor above 2
# fails with EIO; TOOL must say WANT and exit 2.
close_fails() {
	[ -n "${FAULTINJECT:-}" ] && [ -f "$FAULTINJECT" ] || skip "no faultinject.so"
	[ -z "${SANITIZED:-}" ] || skip "fault injection needs a build without ASan"
	local n=$1 want=$2
	shift 2
	fails 2 "$want" env LD_PRELOAD="$FAULTINJECT" DUMPKIT_FAULT="close:$n" "$@"
}

@test "twin-join: a close error on the links or the records is an error" {
	close_fails 1 "twin-join: $FIX/links.csv: Input/output error" \
	    twin-join -l "$FIX/links.csv" "$FIX/links.csv"
	close_fails 2 "twin-join: $FIX/links.csv: Input/output error" \
	    twin-join -o "$BATS_TEST_TMPDIR/o" -l "$FIX/links.csv" "$FIX/links.csv"
	close_fails 2 "twin-join: $FIX/links.csv: Input/output error" \
	    twin-join --sorted -o "$BATS_TEST_TMPDIR/o" -l "$FIX/links.csv" "$FIX/links.csv"
}

@test "jsonapi-paginate: a close error on an input is an error" {
	close_fails 1 "jsonapi-paginate: $SAMPLES/spectators/spectators-page1.json: Input/output error" \
	    jsonapi-paginate -o "$BATS_TEST_TMPDIR/o" "$SAMPLES/spectators/spectators-page1.json"
}

@test "place-normalize: a close error on an input is an error" {
	close_fails 1 "place-normalize: $BATS_TEST_DIRNAME/fixtures/hardening/places.csv: Input/output error" \
	    place-normalize -o "$BATS_TEST_TMPDIR/o" "$BATS_TEST_DIRNAME/fixtures/hardening/places.csv"
}

@test "spectator-expire: a close error on an input is an error" {
	close_fails 1 "spectator-expire: $SAMPLES/spectators/spectators-page1.json: Input/output error" \
	    spectator-expire --now @0 "$SAMPLES/spectators/spectators-page1.json"
}

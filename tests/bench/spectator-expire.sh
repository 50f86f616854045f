# tests/bench/spectator-expire.sh: spectator-expire against a jq program
# doing the same classification and masking, on BENCH_ROWS generated keys
# in JSON:API pages of 1000 (bench_data_pages), with the same --now.
# Sourced by tests/bench/run, which calls bench_spectator_expire.

# The jq twin of the default report: status by ValidTill <= now and
# <= now + 7d, expired and expiring keys only, MapLink's _cpKey masked the
# same way.  The generated links end in the key, so a split on "_cpKey="
# stands in for a regular expression (cheaper for jq, so the comparison
# errs in jq's favour).
SPECTATOR_JQ='
def mask: if length == 0 then "" elif length < 9 then "…"
	else .[0:3] + "…" + .[-3:] end;
.data[]
| .attributes as $a
| (if $a.ValidTill == null then null
   else ($a.ValidTill | fromdateiso8601) - $now end) as $left
| (if $left == null then "no-expiry" elif $left <= 0 then "expired"
   elif $left <= $within then "expiring" else "valid" end) as $status
| select($status == "expired" or $status == "expiring")
| {id, status: $status, ValidTill: $a.ValidTill, seconds_left: $left,
   Note: $a.Note,
   MapLink: ($a.MapLink | split("_cpKey=") | .[0] + "_cpKey=" + (.[1] | mask)),
   cars: [.relationships.Cars.data[]?.id]}'

# The jq twin of --summary: counts per status.
SPECTATOR_JQ_SUMMARY='
reduce (.data[] | .attributes.ValidTill
	| if . == null then "no-expiry"
	  else (fromdateiso8601 - $now) as $l
	  | if $l <= 0 then "expired" elif $l <= $within then "expiring"
	    else "valid" end end) as $s
	({}; .[$s] += 1)'

bench_spectator_expire() {
	local pages now=2022-01-01T00:00:00Z epoch=1640995200 within=604800
	local se="$BIN/spectator-expire" ours theirs
	pages=$(bench_data_pages) || return 0

	# Same bytes out, or the speed comparison means nothing.
	ours=$BENCH_DIR/spectator-ours.ndjson theirs=$BENCH_DIR/spectator-jq.ndjson
	# 20 pages of a listing of 1000: --allow-partial, or the missing
	# pages are (rightly) an error and nothing is compared; -q: no warning
	# about them either.
	head -n 20 "$pages" | "$se" -q --allow-partial --now "$now" >"$ours"
	head -n 20 "$pages" | jq -c --argjson now "$epoch" \
	    --argjson within "$within" "$SPECTATOR_JQ" >"$theirs"
	if cmp -s "$ours" "$theirs"; then
		echo "spectator-expire and the jq program agree on the first 20000 keys ($(wc -l <"$ours") reported)"
	else
		echo "spectator-expire and the jq program DISAGREE on the first 20000 keys"
		BENCH_SUMMARY+=("spectator-expire: output differs from the jq program")
	fi
	rm -f "$ours" "$theirs"

	bench_header "spectator-expire: $BENCH_ROWS keys ($(( $(bench_size "$pages") / 1000000 )) MB of pages), --now $now"
	bench_cmd "spectator-expire (report)" "$pages" \
	    "'$se' --now $now '$pages'"
	bench_cmd "jq report program" "$pages" \
	    "jq -c --argjson now $epoch --argjson within $within '$SPECTATOR_JQ' '$pages'"
	bench_ratio "spectator-expire (report)" "jq report program"
	bench_target "spectator-expire report speedup vs jq" \
	    "$(bench_speedup "spectator-expire (report)" "jq report program")" ge 8
	bench_cmd "spectator-expire --summary" "$pages" \
	    "'$se' --now $now --summary '$pages'"
	bench_cmd "jq summary program" "$pages" \
	    "jq -c --argjson now $epoch --argjson within $within '$SPECTATOR_JQ_SUMMARY' '$pages'"
	bench_ratio "spectator-expire --summary" "jq summary program"
	bench_target "spectator-expire summary speedup vs jq" \
	    "$(bench_speedup "spectator-expire --summary" "jq summary program")" ge 8
}

#!/usr/bin/env bats
# tests/hardening.bats: every tool under failing machines and hostile input.
# Faults come from tests/faultinject.c (LD_PRELOAD, $FAULTINJECT): a failing
# write, fsync, rename, read or malloc must end in exit 2 with one line, and
# -o FILE must be byte-identical afterwards with no temporary left behind.
# The allocation sweep and the 1 GB inputs run only with EXPENSIVE=1 (CI).

bats_require_minimum_version 1.5.0
TOOL=hardening
load helpers

TJ="$BATS_TEST_DIRNAME/fixtures/twin-join"
JP="$BATS_TEST_DIRNAME/fixtures/jsonapi-paginate"
SP="$BATS_TEST_DIRNAME/../samples/spectators"

# args TOOL: a small run of TOOL that writes a few records.
args() {
	case $1 in
	twin-join) echo "-l $TJ/basic.links.csv $TJ/basic.partner.csv" ;;
	jsonapi-paginate) echo "$JP/num-p1.page.json $JP/num-p2.page.json $JP/num-p3.page.json" ;;
	place-normalize) echo "$FIX/places.csv" ;;
	spectator-expire) echo "--now 2024-03-01T09:00:00Z $SP/spectators-page1.json $SP/spectators-page2.json" ;;
	esac
}

# The input each tool streams after opening its output (killed() feeds it
# through a FIFO that never ends).
streamed_input() {
	case $1 in
	twin-join) echo "$TJ/basic.partner.csv" ;;
	*) first_input "$1" ;;
	esac
}

# The first input each tool reads (what a failing read() names).
first_input() {
	case $1 in
	twin-join) echo "$TJ/basic.links.csv" ;;
	jsonapi-paginate) echo "$JP/num-p1.page.json" ;;
	place-normalize) echo "$FIX/places.csv" ;;
	spectator-expire) echo "$SP/spectators-page1.json" ;;
	esac
}

skip_if_sanitized() {
	# ASan must be the first library loaded; it can't share LD_PRELOAD.
	[ -z "${SANITIZED:-}" ] || skip "fault injection needs a build without ASan"
	[ -n "${FAULTINJECT:-}" ] && [ -f "$FAULTINJECT" ] || skip "no faultinject.so"
}

# fault TOOL FAULT WANT: run TOOL -o FILE with FAULT injected; it must exit 2
# with exactly the message WANT (where $OUT stands for FILE), leave FILE
# byte-identical and leave no temporary in its directory.
fault() {
	local tool=$1 spec=$2 want=$3 dir="$BATS_TEST_TMPDIR/d"
	skip_if_sanitized
	mkdir -p "$dir"
	printf 'the previous report\n' >"$dir/report"
	run -2 --separate-stderr env LD_PRELOAD="$FAULTINJECT" \
	    DUMPKIT_FAULT="$spec" "$tool" $(args "$tool") -o "$dir/report"
	[ -z "$output" ]
	assert_equal "$stderr" "${want//\$OUT/$dir/report}"
	assert_equal "$(cat "$dir/report")" "the previous report"
	assert_equal "$(ls -A "$dir")" "report"
}

# ==== a failing write, fsync, rename or read ====

@test "twin-join: failing write(2) to -o FILE: exit 2, FILE intact" {
	fault twin-join write:1 'twin-join: write error: $OUT: No space left on device'
}
@test "jsonapi-paginate: failing write(2) to -o FILE: exit 2, FILE intact" {
	fault jsonapi-paginate write:1 'jsonapi-paginate: write error: $OUT: No space left on device'
}
@test "place-normalize: failing write(2) to -o FILE: exit 2, FILE intact" {
	fault place-normalize write:1 'place-normalize: write error: $OUT: No space left on device'
}
@test "spectator-expire: failing write(2) to -o FILE: exit 2, FILE intact" {
	fault spectator-expire write:1 'spectator-expire: write error: $OUT: No space left on device'
}

@test "twin-join: failing fsync(2) of -o FILE: exit 2, FILE intact" {
	fault twin-join fsync:1 'twin-join: write error: $OUT: Input/output error'
}
@test "jsonapi-paginate: failing fsync(2) of -o FILE: exit 2, FILE intact" {
	fault jsonapi-paginate fsync:1 'jsonapi-paginate: write error: $OUT: Input/output error'
}
@test "place-normalize: failing fsync(2) of -o FILE: exit 2, FILE intact" {
	fault place-normalize fsync:1 'place-normalize: write error: $OUT: Input/output error'
}
@test "spectator-expire: failing fsync(2) of -o FILE: exit 2, FILE intact" {
	fault spectator-expire fsync:1 'spectator-expire: write error: $OUT: Input/output error'
}

@test "twin-join: failing rename(2) over -o FILE: exit 2, FILE intact" {
	fault twin-join rename:1 'twin-join: cannot replace $OUT: Invalid cross-device link'
}
@test "jsonapi-paginate: failing rename(2) over -o FILE: exit 2, FILE intact" {
	fault jsonapi-paginate rename:1 'jsonapi-paginate: cannot replace $OUT: Invalid cross-device link'
}
@test "place-normalize: failing rename(2) over -o FILE: exit 2, FILE intact" {
	fault place-normalize rename:1 'place-normalize: cannot replace $OUT: Invalid cross-device link'
}
@test "spectator-expire: failing rename(2) over -o FILE: exit 2, FILE intact" {
	fault spectator-expire rename:1 'spectator-expire: cannot replace $OUT: Invalid cross-device link'
}

@test "twin-join: failing read(2) of the input: exit 2 naming it, FILE intact" {
	fault twin-join read:1 "twin-join: $(first_input twin-join): Input/output error"
}
@test "jsonapi-paginate: failing read(2) of the input: exit 2 naming it, FILE intact" {
	fault jsonapi-paginate read:1 "jsonapi-paginate: $(first_input jsonapi-paginate): Input/output error"
}
@test "place-normalize: failing read(2) of the input: exit 2 naming it, FILE intact" {
	fault place-normalize read:1 "place-normalize: $(first_input place-normalize): Input/output error"
}
@test "spectator-expire: failing read(2) of the input: exit 2 naming it, FILE intact" {
	fault spectator-expire read:1 "spectator-expire: $(first_input spectator-expire): Input/output error"
}

# ==== out of memory at every allocation (EXPENSIVE=1) ====

# malloc_sweep TOOL: fail the Nth allocation, for every N up to 40 and every
# 15th after that up to 400 (SWEEP=all: every N up to 400); each run must
# succeed with the right output or exit 2 with one line, FILE intact.
# The sweep starts at the 2nd allocation: the 1st is libjq's own constructor
# (jv_mem_uninit_setup), which crashes on NULL before main() runs.
malloc_sweep() {
	local tool=$1 dir="$BATS_TEST_TMPDIR/d" n ns
	expensive
	skip_if_sanitized
	mkdir -p "$dir"
	"$tool" $(args "$tool") >"$dir/want"
	if [ "${SWEEP:-}" = all ]; then
		ns=$(seq 2 400)
	else
		ns="$(seq 2 40) $(seq 45 15 400)"
	fi
	for n in $ns; do
		printf 'old\n' >"$dir/report"
		run --separate-stderr env LD_PRELOAD="$FAULTINJECT" \
		    DUMPKIT_FAULT="malloc:$n" "$tool" $(args "$tool") -o "$dir/report"
		case $status in
		0)	cmp -s "$dir/want" "$dir/report" ||
			    { echo "malloc:$n: exit 0 with other output"; return 1; } ;;
		2)	[ "${#stderr_lines[@]}" -eq 1 ] && [[ $stderr == "$tool: "* ]] ||
			    { echo "malloc:$n: stderr: $stderr"; return 1; }
			assert_equal "$(cat "$dir/report")" "old" ;;
		*)	echo "malloc:$n: exit $status: $stderr"; return 1 ;;
		esac
		[ -z "$output" ]
		assert_equal "$(ls -A "$dir")" "$(printf 'report\nwant')"
	done
}

@test "twin-join: out of memory at any allocation: exit 2 with one line or a right result" {
	malloc_sweep twin-join
}
@test "jsonapi-paginate: out of memory at any allocation: exit 2 with one line or a right result" {
	malloc_sweep jsonapi-paginate
}
@test "place-normalize: out of memory at any allocation: exit 2 with one line or a right result" {
	malloc_sweep place-normalize
}
@test "spectator-expire: out of memory at any allocation: exit 2 with one line or a right result" {
	malloc_sweep spectator-expire
}

# ==== a full disk on stdout ====

full_disk() {
	local tool=$1
	run -2 --separate-stderr bash -c '"$@" >/dev/full' _ "$tool" $(args "$tool")
	[ -z "$output" ]
	assert_equal "$stderr" "$tool: write error: stdout: No space left on device"
}

@test "twin-join: stdout on a full disk: exit 2, one line" { full_disk twin-join; }
@test "jsonapi-paginate: stdout on a full disk: exit 2, one line" { full_disk jsonapi-paginate; }
@test "place-normalize: stdout on a full disk: exit 2, one line" { full_disk place-normalize; }
@test "spectator-expire: stdout on a full disk: exit 2, one line" { full_disk spectator-expire; }

# ==== killed halfway through -o FILE ====

# killed TOOL: the tool reads half its input from a FIFO that stays open,
# is killed with SIGKILL, and must have left FILE as it was; the next
# successful run replaces FILE and removes the dead run's temporary.
# on_fifo TOOL [PREFIX...]: in $dir, put "the previous report" in report and
# start PREFIX TOOL -o report in the background, its streamed input a FIFO
# that never ends; sets the caller's pid and feeder.
on_fifo() {
	local tool=$1 in
	shift
	mkdir -p "$dir"
	in=$(streamed_input "$tool")
	printf 'the previous report\n' >"$dir/report"
	mkfifo "$dir/fifo"
	# The FIFO stands in for the first input; it never reaches EOF.  exec:
	# killing the feeder kills its sleep, which would otherwise hold bats'
	# output open and keep the suite waiting 30 s after its last test.
	(cat "$in"; exec sleep 30) >"$dir/fifo" 3>&- &
	feeder=$!
	"$@" "$tool" $(args "$tool" | sed "s|$in|$dir/fifo|") -o "$dir/report" &
	pid=$!
}

killed() {
	local tool=$1 dir="$BATS_TEST_TMPDIR/d" pid feeder
	on_fifo "$tool"
	sleep 0.3
	kill -9 "$pid"
	wait "$pid" || true
	kill "$feeder" 2>/dev/null || true
	wait "$feeder" 2>/dev/null || true
	assert_equal "$(cat "$dir/report")" "the previous report"
	[ "$(ls -A "$dir" | grep -c '^\.report\.')" -eq 1 ]
	rm "$dir/fifo"
	"$tool" $(args "$tool") -o "$dir/report"
	"$tool" $(args "$tool") >"$dir/want"
	cmp "$dir/want" "$dir/report"
	assert_equal "$(ls -A "$dir")" "$(printf 'report\nwant')"
}

@test "twin-join: SIGKILL halfway through -o FILE leaves FILE intact; next run cleans up" { killed twin-join; }
@test "jsonapi-paginate: SIGKILL halfway through -o FILE leaves FILE intact; next run cleans up" { killed jsonapi-paginate; }
@test "place-normalize: SIGKILL halfway through -o FILE leaves FILE intact; next run cleans up" { killed place-normalize; }
@test "spectator-expire: SIGKILL halfway through -o FILE leaves FILE intact; next run cleans up" { killed spectator-expire; }

# ==== a closed output pipe ends the filter quietly ====

# closed_pipe TOOL ARGS...: TOOL writes far more than a pipe holds to a
# reader that leaves after one byte; it must end by SIGPIPE (141) or exit 0,
# and print nothing on stderr.
closed_pipe() {
	run --separate-stderr bash -c '"$@" | head -c 1 >/dev/null; exit ${PIPESTATUS[0]}' _ "$@"
	[ "$status" -eq 141 ] || [ "$status" -eq 0 ]
	assert_equal "$stderr" ""
}

@test "twin-join: a closed output pipe ends it quietly" {
	awk 'BEGIN { print "partner_id,dgis_id"; for (i = 0; i < 200000; i++) print i "," 70000000000 + i }' >"$BATS_TEST_TMPDIR/links.csv"
	awk 'BEGIN { print "partner_id,name"; for (i = 0; i < 200000; i++) print i ",shop " i }' >"$BATS_TEST_TMPDIR/p.csv"
	closed_pipe twin-join -l "$BATS_TEST_TMPDIR/links.csv" "$BATS_TEST_TMPDIR/p.csv"
}
@test "jsonapi-paginate: a closed output pipe ends it quietly" {
	awk 'BEGIN { printf "{\"data\":["; for (i = 0; i < 100000; i++) printf "%s{\"type\":\"t\",\"id\":\"%d\",\"attributes\":{\"n\":%d}}", (i ? "," : ""), i, i; print "]}" }' >"$BATS_TEST_TMPDIR/page.json"
	closed_pipe jsonapi-paginate "$BATS_TEST_TMPDIR/page.json"
}
@test "place-normalize: a closed output pipe ends it quietly" {
	awk 'BEGIN { print "id,title,lat,lng"; for (i = 0; i < 100000; i++) print i ",shop " i ",55.1,37.2" }' >"$BATS_TEST_TMPDIR/p.csv"
	closed_pipe place-normalize "$BATS_TEST_TMPDIR/p.csv"
}
@test "spectator-expire: a closed output pipe ends it quietly" {
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\"type\":\"spectator\",\"id\":\"%d\",\"attributes\":{\"AccessKey\":\"KEY%dSECRET\",\"ValidTill\":\"2020-01-01T00:00:00Z\"}}\n", i, i }' >"$BATS_TEST_TMPDIR/k.ndjson"
	closed_pipe spectator-expire --now 2024-01-01T00:00:00Z "$BATS_TEST_TMPDIR/k.ndjson"
}

# ==== hostile input (the 1 GB ones with EXPENSIVE=1) ====

@test "jsonapi-paginate: a million nested brackets are a depth error, not a crash" {
	awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "["; print "" }' >"$BATS_TEST_TMPDIR/deep.json"
	run -2 --separate-stderr jsonapi-paginate "$BATS_TEST_TMPDIR/deep.json"
	[ -z "$output" ]
	assert_equal "$stderr" "jsonapi-paginate: $BATS_TEST_TMPDIR/deep.json:1:513: nesting deeper than 512"
}

@test "spectator-expire: a million nested braces are a depth error, not a crash" {
	awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "{\"a\":"; print "" }' >"$BATS_TEST_TMPDIR/deep.json"
	run -2 --separate-stderr spectator-expire --now @0 "$BATS_TEST_TMPDIR/deep.json"
	[ -z "$output" ]
	assert_equal "$stderr" "spectator-expire: $BATS_TEST_TMPDIR/deep.json:1:2561: nesting deeper than 512"
}

# nest LEVEL OPEN CLOSE LEAF: one line nested LEVEL times (OPEN/CLOSE once per level).
nest() {
	awk -v n="$1" -v o="$2" -v c="$3" -v l="$4" \
	    'BEGIN { for (i = 0; i < n; i++) printf "%s", o; printf "%s", l; for (i = 0; i < n; i++) printf "%s", c; }'
}

# Nesting the reader accepts (--max-depth raised) is walked without
# recursion by every writer, flattener and hash: 150,000 levels deep.
@test "jsonapi-paginate: 150,000 nested objects under --max-depth: written, not a crash" {
	{ printf '{"data":[{"type":"x","id":"1","attributes":{"a":'; nest 150000 '{"b":' '}' 1; printf '}}]}\n'; } >"$BATS_TEST_TMPDIR/d.json"
	{ printf '{"type":"x","id":"1","attributes":{"a":'; nest 150000 '{"b":' '}' 1; printf '}}\n'; } >"$BATS_TEST_TMPDIR/want.ndjson"
	run -0 --separate-stderr jsonapi-paginate --max-depth 1000000 -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/d.json"
	assert_equal "$stderr" ""
	cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want.ndjson"
	{ echo '['; cat "$BATS_TEST_TMPDIR/want.ndjson"; echo ']'; } >"$BATS_TEST_TMPDIR/want.json"
	run -0 jsonapi-paginate --max-depth 1000000 --to json -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/d.json"
	cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want.json"
	{ printf 'type,id,attributes.a'; nest 150000 .b '' ''; printf '\nx,1,1\n'; } >"$BATS_TEST_TMPDIR/want.csv"
	run -0 jsonapi-paginate --max-depth 1000000 --to csv -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/d.json"
	cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want.csv"
	run -0 jsonapi-paginate --max-depth 1000000 --resolve -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/d.json"
	cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want.ndjson"
}

@test "twin-join: 150,000 nested arrays under --max-depth, every format: written, not a crash" {
	printf 'dgis_id,partner_id\n111,1\n' >"$BATS_TEST_TMPDIR/L.csv"
	{ printf '{"partner_id":"1","x":'; nest 150000 '[' ']' '"q"'; printf '}\n'; } >"$BATS_TEST_TMPDIR/d.json"
	{ printf 'partner_id,x'; nest 149999 .0 '' ''; printf ',dgis_id,dgis_type\n1,q,111,\n'; } >"$BATS_TEST_TMPDIR/want.csv"
	run -0 --separate-stderr twin-join --max-depth 1000000 -l "$BATS_TEST_TMPDIR/L.csv" --to csv -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/d.json"
	assert_equal "$stderr" ""
	cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want.csv"
	tr , '\t' <"$BATS_TEST_TMPDIR/want.csv" >"$BATS_TEST_TMPDIR/want.tsv"
	run -0 twin-join --max-depth 1000000 -l "$BATS_TEST_TMPDIR/L.csv" --to tsv -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/d.json"
	cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want.tsv"
	{ printf '{"partner_id":"1","x":'; nest 150000 '[' ']' '"q"'; printf ',"dgis_id":"111","dgis_type":""}\n'; } >"$BATS_TEST_TMPDIR/want.ndjson"
	run -0 twin-join --max-depth 1000000 -l "$BATS_TEST_TMPDIR/L.csv" -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/d.json"
	cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want.ndjson"
}

@test "spectator-expire: a Note 150,000 objects deep under --max-depth: every format, not a crash" {
	{ printf '{"type":"spectator","id":"12","attributes":{"ValidTill":"2020-01-01T00:00:00Z","Note":'; nest 150000 '{"a":' '}' 1; printf '}}\n'; } >"$BATS_TEST_TMPDIR/d.json"
	for to in ndjson json; do
		run -0 --separate-stderr spectator-expire --max-depth 1000000 --now 2024-01-01T00:00:00Z --to $to -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/d.json"
		assert_equal "$stderr" ""
		run -0 grep -c '"id":"12"' "$BATS_TEST_TMPDIR/out"
		assert_equal "$output" 1
	done
	for to in csv tsv; do
		sep=,; [ $to = tsv ] && sep=$'\t'
		run -0 --separate-stderr spectator-expire --max-depth 1000000 --now 2024-01-01T00:00:00Z --to $to -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/d.json"
		assert_equal "$stderr" ""
		assert_equal "$(sed -n 2p "$BATS_TEST_TMPDIR/out" | cut -c1-43)" "12${sep}expired${sep}2020-01-01T00:00:00Z${sep}-126230400${sep}"
	done
}

@test "twin-join: a 100 MB CSV field is a row-size error with bounded memory" {
	{ printf 'partner_id,name\n1,"'; head -c 100000000 /dev/zero | tr '\0' x; printf '"\n'; } >"$BATS_TEST_TMPDIR/big.csv"
	run -2 --separate-stderr twin-join -l "$TJ/basic.links.csv" "$BATS_TEST_TMPDIR/big.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/big.csv:2: row longer than 64 MiB"
}

@test "place-normalize: a 1 GB line without a newline stops at the row limit" {
	expensive
	run -2 --separate-stderr bash -c 'head -c 1073741824 /dev/zero | tr "\0" a | place-normalize -'
	[ -z "$output" ]
	assert_equal "$stderr" "place-normalize: -:1: row longer than 64 MiB"
}

@test "twin-join: a gzip bomb (1 GB of zeros) stops at the row limit" {
	expensive
	run -2 --separate-stderr twin-join -l "$TJ/basic.links.csv" "$FIX/zeros-1g.gz"
	[ -z "$output" ]
	assert_equal "$stderr" "twin-join: $FIX/zeros-1g.gz:1: row longer than 64 MiB"
}

@test "spectator-expire: a gzip bomb of NUL bytes is a JSON syntax error" {
	expensive
	run -2 --separate-stderr spectator-expire --now @0 "$FIX/zeros-1g.gz"
	[ -z "$output" ]
	assert_equal "$stderr" "spectator-expire: $FIX/zeros-1g.gz:1:1: unexpected byte 0x00 (expected a value)"
}

@test "twin-join: NUL bytes inside a CSV field pass through unchanged" {
	printf 'partner_id,name\n21934,a\0b\n' >"$BATS_TEST_TMPDIR/nul.csv"
	twin-join -l "$TJ/basic.links.csv" "$BATS_TEST_TMPDIR/nul.csv" >"$BATS_TEST_TMPDIR/out"
	printf 'partner_id,name,dgis_id,dgis_type\n21934,a\0b,1267165676509882,branch\n' >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/out"
}

@test "twin-join: overlong UTF-8 is a data error naming the field" {
	run -2 --separate-stderr twin-join -l "$TJ/basic.links.csv" "$FIX/overlong.partner.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "twin-join: $FIX/overlong.partner.csv:2: invalid UTF-8 in field 2 (column 'name') (try --encoding cp1251)"
}

@test "spectator-expire: a lone surrogate in a \\u escape is a data error" {
	run -2 --separate-stderr spectator-expire --now @0 --all "$FIX/surrogate.ndjson"
	[ -z "$output" ]
	assert_equal "$stderr" "spectator-expire: $FIX/surrogate.ndjson:1:58: lone surrogate \\ud800"
}

@test "place-normalize: a CSV with 100,000 columns is read and mapped" {
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%sc%d", (i ? "," : ""), i; print "";
	    for (i = 0; i < 100000; i++) printf "%s%d", (i ? "," : ""), i; print "" }' >"$BATS_TEST_TMPDIR/wide.csv"
	place-normalize -m id=c7,title=c99999 "$BATS_TEST_TMPDIR/wide.csv" >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" '{"id":"7","title":"99999"}'
}

@test "twin-join: a CSV with 100,000 columns is joined" {
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%sc%d", (i ? "," : ""), i; print "";
	    for (i = 0; i < 100000; i++) printf "%s%d", (i ? "," : ""), i; print "" }' >"$BATS_TEST_TMPDIR/wide.csv"
	printf 'partner_id,dgis_id\n5,70000001020530434\n' >"$BATS_TEST_TMPDIR/links.csv"
	twin-join -k c5 -l "$BATS_TEST_TMPDIR/links.csv" "$BATS_TEST_TMPDIR/wide.csv" >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(tail -c 40 "$BATS_TEST_TMPDIR/out")" "96,99997,99998,99999,70000001020530434,"
}

# ==== usage errors read like every other message ====

unknown_option() {
	local tool=$1
	run -2 --separate-stderr "$BIN/$tool" --no-such-option
	[ -z "$output" ]
	assert_equal "${stderr_lines[0]}" "$tool: unrecognized option '--no-such-option'"
	[[ ${stderr_lines[1]} == "usage: $tool "* ]]
}

@test "twin-join: an unknown option is a usage error prefixed with the tool's name" { unknown_option twin-join; }
@test "jsonapi-paginate: an unknown option is a usage error prefixed with the tool's name" { unknown_option jsonapi-paginate; }
@test "place-normalize: an unknown option is a usage error prefixed with the tool's name" { unknown_option place-normalize; }
@test "spectator-expire: an unknown option is a usage error prefixed with the tool's name" { unknown_option spectator-expire; }

# ==== process safety: descriptors, signals, outputs written together ====

# signalled TOOL SIG: TOOL, halfway through -o FILE (its input a FIFO that
# stays open), gets SIG: it must end with status 128+SIG, leave FILE as it
# was and leave no temporary.  env --default-signal undoes the SIGINT that
# a shell ignores for background jobs.
signalled() {
	local tool=$1 sig=$2 dir="$BATS_TEST_TMPDIR/d" pid feeder i status=0
	on_fifo "$tool" env --default-signal="$sig"
	for i in $(seq 100); do
		ls -A "$dir" | grep -q '^\.report\.' && break
		sleep 0.1
	done
	sleep 0.2
	kill -s "$sig" "$pid"
	wait "$pid" || status=$?
	kill "$feeder" 2>/dev/null || true
	wait "$feeder" 2>/dev/null || true
	assert_equal "$status" "$((128 + $(kill -l "$sig")))"
	assert_equal "$(cat "$dir/report")" "the previous report"
	assert_equal "$(ls -A "$dir")" "$(printf 'fifo\nreport')"
}

@test "twin-join: SIGTERM halfway through -o FILE: exit 143, FILE intact, no temporary" { signalled twin-join TERM; }
@test "jsonapi-paginate: SIGTERM halfway through -o FILE: exit 143, FILE intact, no temporary" { signalled jsonapi-paginate TERM; }
@test "place-normalize: SIGINT halfway through -o FILE: exit 130, FILE intact, no temporary" { signalled place-normalize INT; }
@test "spectator-expire: SIGHUP halfway through -o FILE: exit 129, FILE intact, no temporary" { signalled spectator-expire HUP; }

@test "spectator-expire: with stdout closed the report never lands in the --state file" {
	spectator-expire $(args spectator-expire) --state "$BATS_TEST_TMPDIR/want.json" >/dev/null
	spectator-expire $(args spectator-expire) --state "$BATS_TEST_TMPDIR/st.json" >&-
	cmp "$BATS_TEST_TMPDIR/want.json" "$BATS_TEST_TMPDIR/st.json"
}

@test "spectator-expire: with stderr closed warnings never land in the -o file" {
	printf '{"type":"spectator","id":"1","attributes":{"AccessKey":"K1","ValidTill":"2020-01-01T00:00:00Z"}}\n' >"$BATS_TEST_TMPDIR/dup.ndjson"
	cat "$BATS_TEST_TMPDIR/dup.ndjson" "$BATS_TEST_TMPDIR/dup.ndjson" >"$BATS_TEST_TMPDIR/in.ndjson"
	spectator-expire --now 2024-01-01T00:00:00Z -o "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/in.ndjson" 2>/dev/null
	spectator-expire --now 2024-01-01T00:00:00Z -o "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/in.ndjson" 2>&-
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

# Not through run: a command substitution would hand the closed fd 0 to
# its own pipe.
@test "place-normalize: with stdin closed it reads nothing, as from /dev/null" {
	local d="$BATS_TEST_TMPDIR" ws=0 gs=0
	printf 'keep\n' >"$d/want"
	printf 'keep\n' >"$d/got"
	place-normalize -o "$d/want" </dev/null 2>"$d/want.err" || ws=$?
	place-normalize -o "$d/got" <&- 2>"$d/got.err" || gs=$?
	assert_equal "$gs" "$ws"
	assert_equal "$(sed 's/got/want/g' "$d/got.err")" "$(cat "$d/want.err")"
	cmp "$d/want" "$d/got"
}

@test "spectator-expire: -o and --state naming one file is a usage error" {
	cd "$BATS_TEST_TMPDIR"
	run -2 --separate-stderr spectator-expire $(args spectator-expire) --state st.json -o ./st.json
	[ -z "$output" ]
	assert_equal "${stderr_lines[0]}" "spectator-expire: -o and --state name the same file st.json: give each its own"
	[ ! -e st.json ]
}

@test "spectator-expire: -o and --rejects naming one existing file (by a link) is a usage error" {
	printf 'old\n' >"$BATS_TEST_TMPDIR/r.json"
	ln -s r.json "$BATS_TEST_TMPDIR/link.json"
	run -2 --separate-stderr spectator-expire $(args spectator-expire) --rejects "$BATS_TEST_TMPDIR/r.json" -o "$BATS_TEST_TMPDIR/link.json"
	assert_equal "${stderr_lines[0]}" "spectator-expire: -o and --rejects name the same file $BATS_TEST_TMPDIR/r.json: give each its own"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/r.json")" "old"
}

@test "twin-join: --rejects naming a --split file is a usage error" {
	run -2 --separate-stderr twin-join --split "$BATS_TEST_TMPDIR/s" --rejects "$BATS_TEST_TMPDIR/s/matched.csv" $(args twin-join)
	assert_equal "${stderr_lines[0]}" "twin-join: --split and --rejects name the same file $BATS_TEST_TMPDIR/s/matched.csv: give each its own"
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/s")" ""
}

@test "twin-join: two outputs on /dev/null are fine" {
	twin-join -o /dev/null --rejects /dev/null $(args twin-join)
}

@test "place-normalize: --rejects FILE stays as it was when stdout fails (>/dev/full)" {
	local d="$BATS_TEST_TMPDIR/d"
	mkdir "$d"
	printf 'id,title,lat,lng\nP-1,Bakery,55.69,37.55\nP-2,,nope,37.6\n' >"$d/in.csv"
	printf 'old rejects\n' >"$d/r.csv"
	run -2 --separate-stderr bash -c 'place-normalize --rejects "$1" "$2" >/dev/full' _ "$d/r.csv" "$d/in.csv"
	assert_equal "$stderr" "place-normalize: write error: stdout: No space left on device"
	assert_equal "$(cat "$d/r.csv")" "old rejects"
	assert_equal "$(ls -A "$d")" "$(printf 'in.csv\nr.csv')"
}

@test "spectator-expire: -o, --state and --rejects: a failure at the last leaves all three as they were" {
	local d="$BATS_TEST_TMPDIR/d"
	skip_if_sanitized
	mkdir "$d"
	# One page of two: --allow-partial reports it and exits 1.
	run -1 spectator-expire --allow-partial --now 2024-02-01T00:00:00Z "$SP/spectators-page1.json" --state "$d/st.json"
	cp "$d/st.json" "$BATS_TEST_TMPDIR/st.want"
	for f in out r.json; do printf 'old %s\n' "$f" >"$d/$f"; done
	run -2 --separate-stderr env LD_PRELOAD="$FAULTINJECT" DUMPKIT_FAULT=fsync:3 \
	    spectator-expire $(args spectator-expire) -o "$d/out" --state "$d/st.json" --rejects "$d/r.json"
	assert_equal "$stderr" "spectator-expire: write error: $d/r.json: Input/output error"
	for f in out r.json; do assert_equal "$(cat "$d/$f")" "old $f"; done
	cmp "$BATS_TEST_TMPDIR/st.want" "$d/st.json"
	assert_equal "$(ls -A "$d")" "$(printf 'out\nr.json\nst.json\nst.json.lock')"
}

@test "twin-join: --split DIR: a failure at the third file leaves all four as they were" {
	local d="$BATS_TEST_TMPDIR/s" f
	skip_if_sanitized
	mkdir "$d"
	for f in matched unmatched orphans ambiguous; do printf 'old %s\n' "$f" >"$d/$f.csv"; done
	run -2 --separate-stderr env LD_PRELOAD="$FAULTINJECT" DUMPKIT_FAULT=fsync:3 \
	    twin-join --split "$d" $(args twin-join)
	assert_equal "$stderr" "twin-join: write error: $d/orphans.csv: Input/output error"
	for f in matched unmatched orphans ambiguous; do assert_equal "$(cat "$d/$f.csv")" "old $f"; done
	assert_equal "$(ls -A "$d" | wc -l)" 4
}

@test "spectator-expire: root replacing a nobody:nogroup 0640 --state keeps owner, group and mode" {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	spectator-expire $(args spectator-expire) --state "$BATS_TEST_TMPDIR/st.json" >/dev/null
	chown nobody:nogroup "$BATS_TEST_TMPDIR/st.json"
	chmod 0640 "$BATS_TEST_TMPDIR/st.json"
	# One page of two: --allow-partial reports it and exits 1.
	run -1 spectator-expire --allow-partial --now 2024-03-09T09:00:00Z "$SP/spectators-page1.json" --state "$BATS_TEST_TMPDIR/st.json"
	assert_equal "$(stat -c '%U:%G %a' "$BATS_TEST_TMPDIR/st.json")" "nobody:nogroup 640"
}

@test "spectator-expire: a second --state run waits for the first (no double alert); --no-wait exits 2" {
	local d="$BATS_TEST_TMPDIR" first second i rc
	mkfifo "$d/fifo"
	# One page of two: every --allow-partial run below exits 1.
	# The first run holds the lock while it waits for its input.
	spectator-expire --allow-partial --now 2024-03-01T09:00:00Z --state "$d/st.json" "$d/fifo" >"$d/first" &
	first=$!
	for i in $(seq 100); do
		[ -e "$d/st.json.lock" ] && ! flock -n "$d/st.json.lock" true && break
		sleep 0.1
	done
	run -2 --separate-stderr spectator-expire --allow-partial --now 2024-03-01T09:00:00Z --state "$d/st.json" --no-wait "$SP/spectators-page1.json"
	[ -z "$output" ]
	assert_equal "$stderr" "spectator-expire: --state $d/st.json: another run holds its lock $d/st.json.lock (without --no-wait, wait for it)"
	spectator-expire --allow-partial --now 2024-03-01T09:00:00Z --state "$d/st.json" "$SP/spectators-page1.json" >"$d/second" &
	second=$!
	sleep 0.3
	cat "$SP/spectators-page1.json" >"$d/fifo"
	rc=0; wait "$first" || rc=$?
	[ "$rc" -eq 1 ]
	rc=0; wait "$second" || rc=$?
	[ "$rc" -eq 1 ]
	rc=0; spectator-expire --allow-partial --now 2024-03-01T09:00:00Z "$SP/spectators-page1.json" >"$d/want" || rc=$?
	[ "$rc" -eq 1 ]
	cmp "$d/want" "$d/first"
	assert_equal "$(cat "$d/second")" ""
}

@test "spectator-expire: --no-wait without --state is a usage error" {
	run -2 --separate-stderr spectator-expire --no-wait "$SP/spectators-page1.json"
	assert_equal "${stderr_lines[0]}" "spectator-expire: --no-wait is for the --state lock: give --state"
}

@test "spectator-expire: a repeated member name: the last wins, as in jq" {
	printf '{"type":"spectator","id":"7","attributes":{"AccessKey":"K","ValidTill":"2020-01-01T00:00:00Z","ValidTill":null}}\n' >"$BATS_TEST_TMPDIR/in.ndjson"
	spectator-expire --now 2024-01-01T00:00:00Z --all "$BATS_TEST_TMPDIR/in.ndjson" >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" '{"id":"7","status":"no-expiry","ValidTill":null,"seconds_left":null,"Note":null,"MapLink":null,"cars":[]}'
}

# deep VALUE N: a JSON value nested N arrays deep.
deep() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "["; for (i = 0; i < n; i++) printf "]" }'
}

@test "spectator-expire: a Note nested 100,000 deep with --max-depth raised is copied, not a crash" {
	printf '{"type":"spectator","id":"1","attributes":{"AccessKey":"K","ValidTill":"2020-01-01T00:00:00Z","Note":%s}}\n' "$(deep 100000)" >"$BATS_TEST_TMPDIR/in.ndjson"
	spectator-expire --now 2024-01-01T00:00:00Z --max-depth 200000 "$BATS_TEST_TMPDIR/in.ndjson" >"$BATS_TEST_TMPDIR/out"
	# the Note's brackets and those of "cars":[]
	assert_equal "$(tr -cd '[' <"$BATS_TEST_TMPDIR/out" | wc -c)" 100001
}

@test "place-normalize: an --against place nested 100,000 deep with --max-depth raised is read, not a crash" {
	printf '{"result":[{"id":"1","title":"Same","comment":%s,"location":{"coordinates":{"lat":55.7,"lng":37.6}}}],"total":1}\n' "$(deep 100000)" >"$BATS_TEST_TMPDIR/existing.json"
	printf 'id,title,lat,lng,comment\n1,Same,55.7,37.6,x\n' >"$BATS_TEST_TMPDIR/in.csv"
	place-normalize --max-depth 200000 --against "$BATS_TEST_TMPDIR/existing.json" "$BATS_TEST_TMPDIR/in.csv" >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" '{"op":"update","id":"1","place":{"id":"1","title":"Same","comment":"x","location":{"coordinates":{"lat":55.7,"lng":37.6}}},"changed":["comment"]}'
}

@test "twin-join: a jq key on a record nested 200,000 deep is a data error, not a crash" {
	printf '{"partner_id":"1","deep":%s}\n' "$(deep 200000)" >"$BATS_TEST_TMPDIR/in.ndjson"
	printf 'partner_id,dgis_id\n1,70000001020530434\n' >"$BATS_TEST_TMPDIR/links.csv"
	run -2 --separate-stderr twin-join --max-depth 1000000 -k .partner_id -l "$BATS_TEST_TMPDIR/links.csv" "$BATS_TEST_TMPDIR/in.ndjson"
	[ -z "$output" ]
	assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/in.ndjson:1: key .partner_id: nested deeper than 10000 levels: too deep for a jq expression"
}

@test "spectator-expire: every AccessKey and _cpKey is masked: encoded, numeric, repeated, any type" {
	local in="$FIX/secrets.ndjson"
	spectator-expire --now 2024-01-01T00:00:00Z --all --rejects "$BATS_TEST_TMPDIR/rj" "$in" >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" '{"id":"1","status":"expired","ValidTill":"2020-01-01T00:00:00Z","seconds_left":-126230400,"Note":null,"MapLink":"https://map.example.com/?lang=ru&%5FcpKey=SEC…E99&x=1","cars":[]}'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rj")" "$(cat <<-EOF2
	{"type":"spectator","id":"2","attributes":{"AccessKey":"123…012","ValidTill":"not a time","MapLink":"https://m/?_cp%4Bey=SEC…ET2"},"_file":"$in","_line":2,"_reason":"bad_valid_till"}
	{"type":"spectator","id":"3","attributes":{"AccessKey":"SEC…222","ValidTill":"bad","_cpKey":"CPK…E77"},"_file":"$in","_line":3,"_reason":"bad_valid_till"}
	{"type":"spectator","id":"4","AccessKey":"…","ValidTill":"bad","_file":"$in","_line":4,"_reason":"bad_valid_till"}
	EOF2
	)"
}

# secret_page NAME ID LINKS: write page NAME: resource ID, links {LINKS}.
secret_page() {
	local name=$1 id=$2 links=$3
	printf '{"data":[{"type":"t","id":"%s"}],"links":{%s},"meta":{"total":3}}\n' "$id" "$links" >"$BATS_TEST_TMPDIR/$name"
}

@test "jsonapi-paginate: apikey= and token= values are masked in every message" {
	local u='https://api.example.com/v1/items?apikey=SECRET123&page[number]' m='https://api.example.com/v1/items?apikey=…&page[number]' d="$BATS_TEST_TMPDIR"
	secret_page p1.json 1 "\"self\":\"$u=1\",\"next\":\"$u=2\""
	secret_page p3.json 3 "\"self\":\"$u=3\",\"prev\":\"$u=2\""
	secret_page p2.json 2 "\"self\":\"$u=2\",\"next\":\"$u=1\""
	run -2 --separate-stderr jsonapi-paginate "$d/p1.json" "$d/p3.json"
	assert_equal "$stderr" "jsonapi-paginate: $d/p1.json:1: missing page $m=2"
	run -2 --separate-stderr jsonapi-paginate "$d/p1.json" "$d/p1.json"
	assert_equal "${stderr_lines[0]}" "jsonapi-paginate: $d/p1.json:1: duplicate page $m=1 dropped"
	run -2 --separate-stderr jsonapi-paginate "$d/p1.json" "$d/p2.json"
	assert_equal "$stderr" "jsonapi-paginate: $d/p2.json:1: links.next points back to page $m=1 (a loop)"
	printf '{"errors":[{"status":"401","title":"bad key","detail":"GET /v1/items?Token=TOKSECRET&x=1 refused"}]}\n' >"$d/err.json"
	run -2 --separate-stderr jsonapi-paginate "$d/err.json"
	assert_equal "$stderr" "jsonapi-paginate: $d/err.json:1: jsonapi error: 401: bad key: GET /v1/items?Token=…&x=1 refused"
	[[ "$(cat "$d"/*)" == *SECRET123* ]]
}

@test "jsonapi-paginate: next prints the URL as it is, key and all" {
	local u='https://api.example.com/v1/items?apikey=SECRET123&page[number]'
	secret_page p1.json 1 "\"self\":\"$u=1\",\"next\":\"$u=2\""
	run -0 --separate-stderr jsonapi-paginate next "$BATS_TEST_TMPDIR/p1.json"
	assert_equal "$output" "https://api.example.com/v1/items?apikey=SECRET123&page%5Bnumber%5D=2"
}

@test "place-normalize company: NDJSON rows (no header) are read like CSV rows, not a crash" {
	printf 'id,name,parent_id\n1,x,\n2,y,1\n' >"$BATS_TEST_TMPDIR/rows.csv"
	printf '{"id":"1","name":"x","parent_id":""}\n{"id":"2","name":"y","parent_id":"1"}\n' >"$BATS_TEST_TMPDIR/rows.ndjson"
	place-normalize company "$BATS_TEST_TMPDIR/rows.csv" >"$BATS_TEST_TMPDIR/want"
	place-normalize company "$BATS_TEST_TMPDIR/rows.ndjson" >"$BATS_TEST_TMPDIR/got"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

@test "spectator-expire: SIGTERM erases a --progress line before the tool ends" {
	local d="$BATS_TEST_TMPDIR" pid feeder i status=0
	mkfifo "$d/fifo"
	# Bursts of keys: the line is drawn every so many records, 4 times a
	# second at most.
	(for i in $(seq 40); do
		awk -v b="$i" 'BEGIN { for (k = 0; k < 5000; k++) printf "{\"type\":\"spectator\",\"id\":\"%d-%d\",\"attributes\":{\"AccessKey\":\"K\",\"ValidTill\":null}}\n", b, k }'
		sleep 0.1
	done; sleep 30) >"$d/fifo" &
	feeder=$!
	spectator-expire --progress --now @0 "$d/fifo" >/dev/null 2>"$d/err" &
	pid=$!
	for i in $(seq 100); do
		[ -s "$d/err" ] && break
		sleep 0.1
	done
	kill -TERM "$pid"
	wait "$pid" || status=$?
	kill "$feeder" 2>/dev/null || true
	wait "$feeder" 2>/dev/null || true
	assert_equal "$status" 143
	[ -s "$d/err" ]
	assert_equal "$(tail -c 4 "$d/err" | od -An -c | tr -s ' ')" " \r 033 [ K"
}

# ==== secrets in API error bodies, links and rejects (DESIGN §4) ====

# An API error body quoting the request URL: its key is masked in the
# message of every tool (listing_api_error()/jsonapi_errors() mask).
@test "every tool: an API error body quoting the request URL keeps its key off stderr" {
	local twins='{"meta":{"code":400,"message":"invalid request https://catalog.api.2gis.com/twins?key=SECRET9&partner_code=x"}}'
	local masked='the API answered 400 invalid request https://catalog.api.2gis.com/twins?key=…&partner_code=x'
	printf 'partner_id\n1\n' >"$BATS_TEST_TMPDIR/in.csv"
	run -2 --separate-stderr twin-join -l - "$BATS_TEST_TMPDIR/in.csv" <<<"$twins"
	assert_equal "$stderr" "twin-join: -:1: $masked"
	run -2 --separate-stderr spectator-expire <<<"$twins"
	assert_equal "$stderr" "spectator-expire: -:1: $masked"
	run -2 --separate-stderr jsonapi-paginate <<<"$twins"
	assert_equal "$stderr" "jsonapi-paginate: -:1: $masked"
	printf '%s\n' "$twins" >"$BATS_TEST_TMPDIR/err.json"
	printf 'id,title,lat,lng\nA,B,55,37\n' >"$BATS_TEST_TMPDIR/one.csv"
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/err.json" "$BATS_TEST_TMPDIR/one.csv"
	assert_equal "$stderr" "place-normalize: $BATS_TEST_TMPDIR/err.json:1: not a listing: $masked"
	run -2 --separate-stderr spectator-expire <<<'{"errors":[{"status":"401","detail":"https://api.x.com/v1/user/42/spectator?apikey=SECRET7"}]}'
	assert_equal "$stderr" "spectator-expire: -:1: jsonapi error: 401: https://api.x.com/v1/user/42/spectator?apikey=…"
}

@test "spectator-expire: apikey= and token= in MapLink are masked in the report and --rejects" {
	local link='https://map.example.com/?_cpKey=abcdefghijklmnop&apikey=SECRETAPIKEY42&token=TOK123456789'
	printf '{"type":"spectator","id":"12","attributes":{"AccessKey":"abcdefghijklmnop","ValidTill":"2020-01-01T00:00:00Z","MapLink":"%s"}}\n{"type":"spectator","id":"13","attributes":{"AccessKey":"abcdefghijklmnop","ValidTill":"bad","MapLink":"%s"}}\n' "$link" "$link" >"$BATS_TEST_TMPDIR/in.ndjson"
	run -0 --separate-stderr spectator-expire --now 2024-01-01T00:00:00Z --rejects "$BATS_TEST_TMPDIR/rj" "$BATS_TEST_TMPDIR/in.ndjson"
	assert_equal "$output" '{"id":"12","status":"expired","ValidTill":"2020-01-01T00:00:00Z","seconds_left":-126230400,"Note":null,"MapLink":"https://map.example.com/?_cpKey=abc…nop&apikey=…&token=…","cars":[]}'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rj")" '{"type":"spectator","id":"13","attributes":{"AccessKey":"abc…nop","ValidTill":"bad","MapLink":"https://map.example.com/?_cpKey=abc…nop&apikey=…&token=…"},"_file":"'"$BATS_TEST_TMPDIR/in.ndjson"'","_line":2,"_reason":"bad_valid_till"}'
	head -1 "$BATS_TEST_TMPDIR/in.ndjson" >"$BATS_TEST_TMPDIR/one.ndjson"
	run -0 spectator-expire --show-keys --now 2024-01-01T00:00:00Z "$BATS_TEST_TMPDIR/one.ndjson"
	assert_equal "$output" '{"id":"12","status":"expired","ValidTill":"2020-01-01T00:00:00Z","seconds_left":-126230400,"Note":null,"MapLink":"'"$link"'","cars":[]}'
}

@test "jsonapi-paginate: --rejects masks AccessKey, _cpKey and apikey= (stdout keeps the data)" {
	run -0 --separate-stderr jsonapi-paginate --rejects "$BATS_TEST_TMPDIR/rj" <<<'{"data":[{"id":"2","attributes":{"AccessKey":"c41d0e7b9a2f46e8b3d5a17c60e9f2b4","MapLink":"https://m/?_cpKey=c41d0e7b9a2f46e8b3d5a17c60e9f2b4&apikey=SECRET1"}},{"type":"spectator","id":"3","attributes":{"AccessKey":"K3"}}]}'
	assert_equal "$output" '{"type":"spectator","id":"3","attributes":{"AccessKey":"K3"}}'
	assert_equal "$stderr" ""
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rj")" '{"id":"2","attributes":{"AccessKey":"c41…2b4","MapLink":"https://m/?_cpKey=c41…2b4&apikey=…"},"_file":"-","_line":1,"_reason":"not_resource"}'
}

# ==== a repeated streamed member (DESIGN §3 last-wins) ====

# Items of a streamed member are handed out as they are read, so a second
# copy cannot win any more: refused, as malformed, naming file:line.
@test "jsonapi-paginate: a repeated data member is refused, not read twice" {
	printf '{"data":[{"type":"x","id":"1"}],\n"data":[{"type":"x","id":"2"}]}\n' >"$BATS_TEST_TMPDIR/two.json"
	run -2 --separate-stderr jsonapi-paginate -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/two.json"
	assert_equal "$stderr" "jsonapi-paginate: $BATS_TEST_TMPDIR/two.json:2:8: member \"data\" appears twice: its items stream, so it must appear once"
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
}

@test "spectator-expire: a repeated data member is refused, not read twice" {
	run -2 --separate-stderr spectator-expire --now 2024-01-01T00:00:00Z <<<'{"data":[{"type":"spectator","id":"1","attributes":{"ValidTill":"2020-01-01T00:00:00Z"}}],"data":[{"type":"spectator","id":"2","attributes":{"ValidTill":"2020-01-01T00:00:00Z"}}]}'
	assert_equal "$output" ""
	assert_equal "$stderr" "spectator-expire: -:1:98: member \"data\" appears twice: its items stream, so it must appear once"
}

@test "place-normalize: a repeated result member in an --against listing is refused" {
	printf '{"result":[{"id":"A","title":"B"}],"result":[{"id":"C","title":"D"}],"total":1}\n' >"$BATS_TEST_TMPDIR/ex.json"
	printf 'id,title,lat,lng\nA,B,55,37\n' >"$BATS_TEST_TMPDIR/one.csv"
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/ex.json" "$BATS_TEST_TMPDIR/one.csv"
	assert_equal "$stderr" "place-normalize: $BATS_TEST_TMPDIR/ex.json:1:45: member \"result\" appears twice: its items stream, so it must appear once"
}

@test "jsonapi-paginate: a repeated member outside the stream still folds, the last wins" {
	run -0 jsonapi-paginate <<<'{"meta":{"n":1},"data":[{"type":"x","id":"1","attributes":{"a":1,"a":2}}],"meta":{"n":2}}'
	assert_equal "$output" '{"type":"x","id":"1","attributes":{"a":2}}'
}

@test "spectator-expire: a Note that pastes a keyed link is masked in the report unless --show-keys" {
	printf '{"type":"spectator","id":"12","attributes":{"AccessKey":"abcdefghijklmnop","ValidTill":"2020-01-01T00:00:00Z","Note":"link https://map.example.com/?_cpKey=abcdefghijklmnop&apikey=SECRETAPIKEY42 for Bob","MapLink":"https://m/abcdefghijklmnop/?token=T1"}}\n' >"$BATS_TEST_TMPDIR/in.ndjson"
	run -0 spectator-expire --now 2024-01-01T00:00:00Z "$BATS_TEST_TMPDIR/in.ndjson"
	assert_equal "$output" '{"id":"12","status":"expired","ValidTill":"2020-01-01T00:00:00Z","seconds_left":-126230400,"Note":"link https://map.example.com/?_cpKey=abc…nop&apikey=… for Bob","MapLink":"https://m/abc…nop/?token=…","cars":[]}'
	run -0 spectator-expire --show-keys --now 2024-01-01T00:00:00Z "$BATS_TEST_TMPDIR/in.ndjson"
	assert_equal "$output" '{"id":"12","status":"expired","ValidTill":"2020-01-01T00:00:00Z","seconds_left":-126230400,"Note":"link https://map.example.com/?_cpKey=abcdefghijklmnop&apikey=SECRETAPIKEY42 for Bob","MapLink":"https://m/abcdefghijklmnop/?token=T1","cars":[]}'
}

@test "twin-join: a repeated result or items member in -l responses is refused" {
	printf 'partner_id\n1\n2\n' >"$BATS_TEST_TMPDIR/p.csv"
	local i1='{"partner_id":"1","twins":[{"dgis_id":"111","dgis_type":"branch"}]}' i2='{"partner_id":"2","twins":[{"dgis_id":"222","dgis_type":"branch"}]}'
	run -2 --separate-stderr twin-join -l - "$BATS_TEST_TMPDIR/p.csv" <<<"{\"meta\":{\"code\":200},\"result\":{\"items\":[$i1],\"items\":[$i2],\"total\":2}}"
	assert_equal "$stderr" 'twin-join: -:1:118: member "items" appears twice: its items stream, so it must appear once'
	run -2 --separate-stderr twin-join -l - "$BATS_TEST_TMPDIR/p.csv" <<<"{\"meta\":{\"code\":200},\"result\":{\"items\":[$i1],\"total\":1},\"result\":{\"items\":[$i2],\"total\":1}}"
	assert_equal "$stderr" 'twin-join: -:1:130: member "result" appears twice: its items stream, so it must appear once'
}

#!/usr/bin/env bats
# tests/ux.bats: what all four tools share as a user sees it (issue 15):
# one meaning per option letter, help texts, monitoring status lines, quiet
# cron runs, the progress line on a terminal, messages on common mistakes.

bats_require_minimum_version 1.5.0

TOOL=ux
load helpers

TOOLS="twin-join jsonapi-paginate place-normalize spectator-expire"
JPFIX="$BATS_TEST_DIRNAME/fixtures/jsonapi-paginate"
SEFIX="$BATS_TEST_DIRNAME/fixtures/spectator-expire"
TJFIX="$BATS_TEST_DIRNAME/fixtures/twin-join"
PNFIX="$BATS_TEST_DIRNAME/fixtures/place-normalize"

# short_opts TOOL: "-x --long" for every short option the --help lists.
short_opts() {
	"$1" --help | sed -n 's/^ *\(-[A-Za-z]\), \(--[a-z-]*\).*/\1 \2/p'
}

# ==== item 5: one letter means one thing ====

@test "ux: a short option letter means one long option in every tool" {
	local all
	all=$(for t in $TOOLS; do short_opts "$t"; done | sort -u)
	# Each letter appears with exactly one long name.
	run -0 bash -c "printf '%s\n' \"\$1\" | cut -d' ' -f1 | uniq -d" _ "$all"
	assert_equal "$output" ""
	# Sanity: the table is not empty and has the shared ones.
	[[ $all == *"-o --output"* ]]
	[[ $all == *"-q --quiet"* ]]
}

@test "ux: --show-keys (unmasks credentials) has no short form" {
	! spectator-expire --help | grep -q -- '-k, --show-keys'
	spectator-expire --help | grep -q -- '^  --show-keys'
	run -2 --separate-stderr spectator-expire -k --now 2017-10-09T16:04:19Z "$SEFIX/page.input.json"
	assert_equal "${stderr_lines[0]}" "spectator-expire: invalid option -- 'k'"
}

@test "ux: twin-join -p is --partner-code; --partner-code still works" {
	twin-join -p sber-food -l "$TJFIX/dgis.links.json" "$TJFIX/basic.partner.csv" >"$BATS_TEST_TMPDIR/a"
	twin-join --partner-code sber-food -l "$TJFIX/dgis.links.json" "$TJFIX/basic.partner.csv" >"$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	[ -s "$BATS_TEST_TMPDIR/a" ]
}

@test "ux: jsonapi-paginate pack -n is --size" {
	printf '{"id":"1","type":"t"}\n{"id":"2","type":"t"}\n' >"$BATS_TEST_TMPDIR/r.ndjson"
	jsonapi-paginate pack -n 1 -b /t "$BATS_TEST_TMPDIR/r.ndjson" >"$BATS_TEST_TMPDIR/a"
	jsonapi-paginate pack --size 1 -b /t "$BATS_TEST_TMPDIR/r.ndjson" >"$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/a")" -eq 2 ]
}

# ==== item 6: help shows what the tool takes, defaults, examples ====

@test "ux: JSON-only tools' help does not list -d, --no-header or --from" {
	local t
	for t in jsonapi-paginate spectator-expire; do
		run -0 "$t" --help
		[[ $output != *"--delimiter"* ]]
		[[ $output != *"--no-header"* ]]
		[[ $output != *"--from"* ]]
	done
	run -0 twin-join --help
	[[ $output == *"-d, --delimiter C"* ]]
	[[ $output == *"--from FMT"* ]]
}

@test "ux: --help gives each tool's real --to default" {
	run -0 jsonapi-paginate --help
	[[ $output == *"(default: ndjson)"* ]]
	[[ $output != *"follows the input"* ]]
	run -0 spectator-expire --help
	[[ $output == *"(default: ndjson)"* ]]
	[[ $output != *"follows the input"* ]]
	run -0 place-normalize --help
	[[ $output == *"(default: ndjson)"* ]]
	[[ $output != *"follows the input"* ]]
	run -0 twin-join --help
	[[ $output == *"follows the input"* ]]
}

@test "ux: every --help ends with two or three examples" {
	local t n
	for t in $TOOLS; do
		run -0 "$t" --help
		# The last block starts "Examples:"; its commands start "  $ ".
		n=$(printf '%s\n' "$output" | sed -n '/^Examples:$/,$p' | grep -c '^  \$ ')
		[ "$n" -ge 2 ] && [ "$n" -le 3 ] || { echo "$t: $n examples" >&2; false; }
		printf '%s\n' "$output" | sed -n '/^Examples:$/,$p' | grep '^  \$ ' | grep -q "$t"
	done
}

@test "ux: jsonapi-paginate help is --help" {
	run -0 jsonapi-paginate help
	local a=$output
	run -0 jsonapi-paginate --help
	assert_equal "$a" "$output"
}

@test "ux: jsonapi-paginate takes options before the subcommand" {
	jsonapi-paginate urls -o "$BATS_TEST_TMPDIR/a" "$JPFIX/num-p1.page.json"
	jsonapi-paginate -o "$BATS_TEST_TMPDIR/b" urls "$JPFIX/num-p1.page.json"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	[ -s "$BATS_TEST_TMPDIR/b" ]
}

# ==== item 1: monitoring plugin conventions (--warn/--crit) ====

NOW=2017-10-09T16:04:19Z

# unknown OUTPUT: exit 3 and exactly one "SPECTATOR UNKNOWN - " line.
assert_unknown() {
	[ "$status" -eq 3 ] || { echo "status $status" >&2; false; }
	[ "${#lines[@]}" -eq 1 ] || { echo "${#lines[@]} lines: $output" >&2; false; }
	assert_equal "$output" "$1"
}

@test "ux: --warn on a missing file is UNKNOWN, exit 3, one status line" {
	run --separate-stderr spectator-expire --now "$NOW" --warn 7d "$BATS_TEST_TMPDIR/nope.json"
	assert_unknown "SPECTATOR UNKNOWN - $BATS_TEST_TMPDIR/nope.json: No such file or directory"
	[[ $stderr == "spectator-expire: $BATS_TEST_TMPDIR/nope.json: No such file or directory" ]]
}

@test "ux: --crit on an unreadable input (a directory) is UNKNOWN" {
	run --separate-stderr spectator-expire --now "$NOW" --crit 1d "$BATS_TEST_TMPDIR"
	[ "$status" -eq 3 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} == "SPECTATOR UNKNOWN - "* ]]
}

@test "ux: --warn on malformed JSON is UNKNOWN, the message on both" {
	printf '{"data":[{"id":"1",' >"$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr spectator-expire --now "$NOW" --warn 7d "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 3 ]
	[ "${#lines[@]}" -eq 1 ]
	assert_equal "${lines[0]}" "SPECTATOR UNKNOWN - ${stderr#spectator-expire: }"
}

@test "ux: --warn with no key read is UNKNOWN" {
	printf '{"data":[],"meta":{}}\n' >"$BATS_TEST_TMPDIR/empty.json"
	run --separate-stderr spectator-expire --now "$NOW" --warn 7d "$BATS_TEST_TMPDIR/empty.json"
	[ "$status" -eq 3 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} == "SPECTATOR UNKNOWN - "*"no "*"key"* ]]
}

@test "ux: --warn with every key rejected (--rejects) is UNKNOWN" {
	printf '{"data":[{"id":"1","type":"spectator","attributes":{"ValidTill":"soon"}}]}\n' >"$BATS_TEST_TMPDIR/rj.json"
	run --separate-stderr spectator-expire --now "$NOW" --warn 7d --rejects "$BATS_TEST_TMPDIR/rj.out" "$BATS_TEST_TMPDIR/rj.json"
	[ "$status" -eq 3 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} == "SPECTATOR UNKNOWN - "*"key"* ]]
}

@test "ux: a usage error in monitoring mode is UNKNOWN" {
	run --separate-stderr spectator-expire --warn 1d --crit 7d "$SEFIX/page.input.json"
	assert_unknown "SPECTATOR UNKNOWN - --warn must be at least --crit"
	run --separate-stderr spectator-expire --warn 7d --bogus "$SEFIX/page.input.json"
	[ "$status" -eq 3 ]
	[[ ${lines[0]} == "SPECTATOR UNKNOWN - "* ]]
}

@test "ux: OK, WARNING and CRITICAL are one line with perfdata after |" {
	run --separate-stderr spectator-expire --now 2017-01-01T00:00:00Z --warn 7d "$SEFIX/page.input.json"
	[ "$status" -eq 0 ] && [ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} =~ ^SPECTATOR\ OK\ -\ [^|]*\ \|\ expired=0\  ]]
	run --separate-stderr spectator-expire --now "$NOW" --warn 7d --crit 1d "$SEFIX/page.input.json"
	[ "$status" -eq 2 ] && [ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} == "SPECTATOR CRITICAL - "*" | expired=3 "* ]]
}

# ==== item 3: warnings capped per kind; -q ====

# swapped N: a CSV of N rows whose coordinates are swapped for --bbox.
swapped() {
	echo 'id,title,lat,lng,address'
	local i
	for ((i = 1; i <= $1; i++)); do echo "$i,Shop $i,37.6,55.7,Moscow"; done
}

@test "ux: a flood of one warning prints the first 10 and one count" {
	swapped 25 >"$BATS_TEST_TMPDIR/s.csv"
	run -0 --separate-stderr place-normalize --bbox 55,37,56,38 "$BATS_TEST_TMPDIR/s.csv"
	[ "${#stderr_lines[@]}" -eq 11 ]
	assert_equal "${stderr_lines[9]}" "place-normalize: $BATS_TEST_TMPDIR/s.csv:11: latitude and longitude swapped, fixed to 55.7, 37.6"
	assert_equal "${stderr_lines[10]}" 'place-normalize: 15 more warnings like "latitude and longitude swapped, fixed to 55.7, 37.6" not shown (-q silences them)'
	[ "${#lines[@]}" -eq 25 ]
}

@test "ux: ten warnings of a kind print no count line" {
	swapped 10 >"$BATS_TEST_TMPDIR/s.csv"
	run -0 --separate-stderr place-normalize --bbox 55,37,56,38 "$BATS_TEST_TMPDIR/s.csv"
	[ "${#stderr_lines[@]}" -eq 10 ]
}

@test "ux: -q and --quiet silence warnings in every tool, errors still print" {
	swapped 3 >"$BATS_TEST_TMPDIR/s.csv"
	run -0 --separate-stderr place-normalize -q --bbox 55,37,56,38 "$BATS_TEST_TMPDIR/s.csv"
	assert_equal "$stderr" ""
	# A links' partner code not in --partners is a warning (any -p code
	# no link carries is an error now).
	printf '{"result":{"items":[{"code":"afisha"}]}}\n' >"$BATS_TEST_TMPDIR/partners.json"
	run -0 --separate-stderr twin-join --quiet --partners "$BATS_TEST_TMPDIR/partners.json" -l "$TJFIX/basic.links.csv" "$TJFIX/basic.partner.csv"
	assert_equal "$stderr" ""
	cat "$SEFIX/page.input.json" "$SEFIX/page.input.json" >"$BATS_TEST_TMPDIR/dup.json"
	run -0 --separate-stderr spectator-expire -q --now 2017-01-01T00:00:00Z "$BATS_TEST_TMPDIR/dup.json"
	assert_equal "$stderr" ""
	run -2 --separate-stderr place-normalize -q "$BATS_TEST_TMPDIR/missing.csv"
	[[ $stderr == "place-normalize: $BATS_TEST_TMPDIR/missing.csv: No such file or directory"* ]]
}

# ==== item 4: the progress line and other output ====

# slow_csv N M: a place CSV of N rows, a pause, then M rows, so that the
# progress line (at most 4 redraws a second, every 4096 records) is drawn.
slow_csv() {
	echo 'id,title,lat,lng,address'
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "%d,Shop %d,55.7,37.6,Moscow\n", i, i }'
	sleep 0.5
	awk -v n="$1" -v m="$2" 'BEGIN { for (i = n + 1; i <= n + m; i++) printf "%d,Shop %d,55.7,37.6,Moscow\n", i, i }'
}

# on_terminal CMD: run CMD (bash, may call exported functions) with stdout
# and stderr on a pseudo-terminal. script(1) runs $SHELL, or /bin/sh when
# SHELL is unset (as under cron and on a fresh CI machine), where an
# exported bash function does not exist.
on_terminal() {
	SHELL="$BASH" script -qec "$1" /dev/null
}

@test "ux: a warning after the progress line is drawn erases it first" {
	{ slow_csv 5000 9000; echo '14001,Far,95.5,37.6,Moscow'; } |
	    place-normalize --progress - 2>"$BATS_TEST_TMPDIR/err" >/dev/null
	local err
	err=$(cat -v "$BATS_TEST_TMPDIR/err")
	# The line was drawn, then erased ("\r ESC[K") before the message.
	[[ $err == *"records, "*'^[[K^M^[[Kplace-normalize: -:14002: latitude and longitude swapped'* ]]
}

@test "ux: data on a terminal stdout never shares a line with the progress line" {
	export -f slow_csv
	on_terminal 'slow_csv 5000 9000 | place-normalize --progress -' >"$BATS_TEST_TMPDIR/ts"
	grep -aq 'records, ' "$BATS_TEST_TMPDIR/ts"
	# A redraw ("\r" and a digit) only at the start of a line ...
	run -1 grep -acP '[^\r\n]\r[0-9]' "$BATS_TEST_TMPDIR/ts"
	# ... and erased before the next row is written.
	run -1 grep -acP '\d+s\e\[K\{' "$BATS_TEST_TMPDIR/ts"
	[ "$(grep -ac '"title":"Shop' "$BATS_TEST_TMPDIR/ts")" -eq 14000 ]
}

@test "ux: --no-progress shows no line even on a terminal" {
	export -f slow_csv
	on_terminal 'slow_csv 5000 9000 | place-normalize --no-progress - 2>&1 >/dev/null' >"$BATS_TEST_TMPDIR/ts"
	run -1 grep -ac 'records, ' "$BATS_TEST_TMPDIR/ts"
	on_terminal 'slow_csv 5000 9000 | place-normalize - 2>&1 >/dev/null' >"$BATS_TEST_TMPDIR/ts"
	grep -aq 'records, ' "$BATS_TEST_TMPDIR/ts"
}

@test "ux: twin-join names the phase, and the share is of the file being read" {
	{ echo dgis_id,dgis_type,partner_id,partner_type,partner_code
	  awk 'BEGIN { for (i = 1; i <= 5000; i++) printf "7%d,branch,%d,branch,sber-food\n", i, i }'
	  sleep 0.5
	  awk 'BEGIN { for (i = 5001; i <= 14000; i++) printf "7%d,branch,%d,branch,sber-food\n", i, i }'
	} >"$BATS_TEST_TMPDIR/links.fifo.in"
	mkfifo "$BATS_TEST_TMPDIR/links.fifo"
	{ head -n 5001 "$BATS_TEST_TMPDIR/links.fifo.in"; sleep 0.5; tail -n +5002 "$BATS_TEST_TMPDIR/links.fifo.in"; } >"$BATS_TEST_TMPDIR/links.fifo" &
	printf 'partner_id,name\n1,a\n' >"$BATS_TEST_TMPDIR/p.csv"
	twin-join --progress -l "$BATS_TEST_TMPDIR/links.fifo" "$BATS_TEST_TMPDIR/p.csv" 2>"$BATS_TEST_TMPDIR/err" >/dev/null
	wait
	grep -aq $'\rlinks: [0-9.]* MB, 8192 records' "$BATS_TEST_TMPDIR/err"
}

# ==== item 2: no rows, no output ====

@test "ux: --state with nothing new and --to csv prints nothing (cron mails nothing)" {
	local st=$BATS_TEST_TMPDIR/state.json
	spectator-expire --now 2017-10-09T16:04:19Z --state "$st" --to csv "$SEFIX/page.input.json" >"$BATS_TEST_TMPDIR/first"
	[ -s "$BATS_TEST_TMPDIR/first" ]
	spectator-expire --now 2017-10-09T16:04:19Z --state "$st" --to csv "$SEFIX/page.input.json" >"$BATS_TEST_TMPDIR/second"
	[ ! -s "$BATS_TEST_TMPDIR/second" ]
	spectator-expire --now 2017-10-09T16:04:19Z --state "$st" --to tsv --header-always "$SEFIX/page.input.json" >"$BATS_TEST_TMPDIR/third"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/third")" "$(printf 'id\tstatus\tValidTill\tseconds_left\tNote\tMapLink\tcars')"
}

@test "ux: no rows is no CSV output in every tool; --header-always keeps the header" {
	printf 'id,title,lat,lng,address\n' >"$BATS_TEST_TMPDIR/h.csv"
	run -0 place-normalize --allow-empty --to csv "$BATS_TEST_TMPDIR/h.csv"
	assert_equal "$output" ""
	run -0 place-normalize --allow-empty --to csv --header-always "$BATS_TEST_TMPDIR/h.csv"
	[[ ${lines[0]} == id,* ]]
	printf '{"data":[],"meta":{"total":0}}\n' >"$BATS_TEST_TMPDIR/p.json"
	run -0 jsonapi-paginate --to csv --columns id,type "$BATS_TEST_TMPDIR/p.json"
	assert_equal "$output" ""
	run -0 jsonapi-paginate --to csv --columns id,type --header-always "$BATS_TEST_TMPDIR/p.json"
	assert_equal "$output" "id,type"
}

# ==== item 7: --columns everywhere, the union of the fields by default ====

@test "ux: CSV output of records with different fields has the union of them, first seen first" {
	printf '{"partner_id":"21934","name":"a"}\n{"partner_id":"21939","phone":"+7 1"}\n{"partner_id":"x","name":"c","email":"e@x"}\n' >"$BATS_TEST_TMPDIR/r.ndjson"
	run -0 --separate-stderr twin-join --left --to csv -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.ndjson"
	assert_equal "$output" "partner_id,name,dgis_id,dgis_type,phone,email
21934,a,1267165676509882,branch,,
21939,,1267165676509882,branch,+7 1,
x,c,,,,e@x"
	run -0 --separate-stderr twin-join --left --to tsv --crlf -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/r.ndjson"
	assert_equal "${lines[1]}" $'21934\ta\t1267165676509882\tbranch\t\t\r'
}

@test "ux: --columns in every tool picks and orders the CSV columns" {
	run -0 twin-join --columns partner_id,dgis_id -l "$TJFIX/basic.links.csv" "$TJFIX/basic.partner.csv"
	assert_equal "${lines[0]}" "partner_id,dgis_id"
	assert_equal "${lines[1]}" "21934,1267165676509882"
	run -0 spectator-expire --now 2017-10-09T16:04:19Z --to csv --columns status,id "$SEFIX/page.input.json"
	assert_equal "${lines[0]}" "status,id"
	[[ ${lines[1]} == expired,* ]]
	swapped 2 >"$BATS_TEST_TMPDIR/s.csv"
	run -0 --separate-stderr place-normalize --to csv --columns title,id "$BATS_TEST_TMPDIR/s.csv"
	assert_equal "$output" $'title,id\nShop 1,1\nShop 2,2'
	run -2 --separate-stderr place-normalize --columns title,id "$BATS_TEST_TMPDIR/s.csv"
	assert_equal "${stderr_lines[0]}" "place-normalize: --columns needs --to csv or --to tsv"
}

# ==== item 10: messages on common mistakes name the fix ====

@test "ux: a missing key column lists the columns found and the delimiter" {
	printf 'partner_id;name\n1;a\n' >"$BATS_TEST_TMPDIR/semi.csv"
	run -2 --separate-stderr twin-join -d , -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/semi.csv"
	assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/semi.csv:1: no partner_id column in the header (found 1 column \"partner_id;name\" with delimiter ','; see -k and -d)"
}

@test "ux: CP1251 in twin-join hints --encoding cp1251, as place-normalize does" {
	printf 'partner_id,name\n21934,\xcf\xf0\xe8\n' >"$BATS_TEST_TMPDIR/cp.csv"
	run -2 --separate-stderr twin-join -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/cp.csv"
	assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/cp.csv:2: invalid UTF-8 in field 2 (column 'name') (try --encoding cp1251)"
	run -0 twin-join --left --encoding cp1251 -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/cp.csv"
}

@test "ux: UTF-16 input without a BOM, and JSON in UTF-16, suggest --encoding utf-16" {
	printf 'partner_id,name\n21934,a\n' | iconv -t UTF-16LE >"$BATS_TEST_TMPDIR/u.csv"
	run -2 --separate-stderr twin-join -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/u.csv"
	assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/u.csv: UTF-16 text, which is not read as it is (try --encoding utf-16)"
	printf '{"data":[]}\n' | iconv -t UTF-16 >"$BATS_TEST_TMPDIR/u.json"
	run -2 --separate-stderr spectator-expire "$BATS_TEST_TMPDIR/u.json"
	assert_equal "$stderr" "spectator-expire: $BATS_TEST_TMPDIR/u.json: UTF-16 text, which is not read as it is (try --encoding utf-16)"
	run -0 twin-join --left --encoding utf-16 -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/u.csv"
	assert_equal "${lines[1]}" "21934,a,1267165676509882,branch"
}

@test "ux: xz, bzip2, zstd and zip input name the format and the command that unpacks it" {
	printf 'partner_id,name\n1,a\n' | xz >"$BATS_TEST_TMPDIR/p.csv.xz"
	run -2 --separate-stderr twin-join -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/p.csv.xz"
	assert_equal "$stderr" "twin-join: $BATS_TEST_TMPDIR/p.csv.xz: xz-compressed, and only gzip is read: unpack it first (xz -dc $BATS_TEST_TMPDIR/p.csv.xz | twin-join ...)"
	run -2 --separate-stderr bash -c 'printf "a,b\n" | bzip2 | place-normalize'
	assert_equal "$stderr" "place-normalize: -: bzip2-compressed, and only gzip is read: unpack it first (bzip2 -dc FILE | place-normalize ...)"
	printf '\x28\xb5\x2f\xfd\x00\x00\x00\x00\x00\x00' >"$BATS_TEST_TMPDIR/z.json"
	run -2 --separate-stderr jsonapi-paginate "$BATS_TEST_TMPDIR/z.json"
	[[ $stderr == *"zstd-compressed, and only gzip is read: unpack it first (zstd -dc $BATS_TEST_TMPDIR/z.json | jsonapi-paginate ...)" ]]
	printf 'PK\x03\x04\x14\x00\x00\x00\x08\x00' >"$BATS_TEST_TMPDIR/s.zip"
	run -2 --separate-stderr spectator-expire "$BATS_TEST_TMPDIR/s.zip"
	[[ $stderr == *"zip-compressed, and only gzip is read: unpack it first (unzip -p $BATS_TEST_TMPDIR/s.zip | spectator-expire ...)" ]]
}

@test "ux: --from and --to with a bad format list the valid ones" {
	run -2 --separate-stderr twin-join --from partner.csv -l "$TJFIX/basic.links.csv"
	assert_equal "${stderr_lines[0]}" "twin-join: unknown --from format: partner.csv (csv, tsv or json)"
	run -2 --separate-stderr place-normalize --to xlsx
	assert_equal "${stderr_lines[0]}" "place-normalize: unknown --to format: xlsx (ndjson, json, csv or tsv)"
}

# ==== item 8: --out-delimiter, --out-encoding, rejects as read ====

@test "ux: a ; CSV in is a ; CSV out; --out-delimiter chooses" {
	printf 'partner_id;name\n21934;a\n' >"$BATS_TEST_TMPDIR/semi.csv"
	run -0 twin-join -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/semi.csv"
	assert_equal "$output" $'partner_id;name;dgis_id;dgis_type\n21934;a;1267165676509882;branch'
	run -0 twin-join --out-delimiter '|' -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/semi.csv"
	assert_equal "${lines[1]}" "21934|a|1267165676509882|branch"
	run -2 --separate-stderr twin-join --to tsv --out-delimiter , -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/semi.csv"
	assert_equal "${stderr_lines[0]}" "twin-join: --out-delimiter needs CSV output (--to csv)"
}

@test "ux: --out-encoding cp1251 writes CP1251; utf-8-bom a BOM; UTF-16 and JSON are refused" {
	printf 'partner_id,name\n21934,Привет\n' >"$BATS_TEST_TMPDIR/u8.csv"
	twin-join --out-encoding cp1251 -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/u8.csv" >"$BATS_TEST_TMPDIR/o.csv"
	assert_equal "$(iconv -f cp1251 -t utf-8 "$BATS_TEST_TMPDIR/o.csv" | tail -1)" "21934,Привет,1267165676509882,branch"
	run -0 bash -c 'twin-join --out-encoding utf-8-bom -l "$1" "$2" | head -c 3 | od -An -tx1' _ "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/u8.csv"
	assert_equal "$output" " ef bb bf"
	printf '{"partner_id":"21934","name":"😀"}\n' >"$BATS_TEST_TMPDIR/e.ndjson"
	run -2 --separate-stderr twin-join --to csv --out-encoding cp1251 -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/e.ndjson"
	assert_equal "$stderr" "twin-join: --out-encoding cp1251: the output has U+1F600, which cp1251 cannot hold (use UTF-8, or --out-encoding utf-8-bom for Excel)"
	run -2 --separate-stderr twin-join --out-encoding utf-16 -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/u8.csv"
	assert_equal "${stderr_lines[0]}" "twin-join: --out-encoding utf-16: not an encoding that keeps ASCII as it is (e.g. cp1251, utf-8-bom)"
	run -2 --separate-stderr spectator-expire --out-encoding cp1251 "$SEFIX/page.input.json"
	assert_equal "${stderr_lines[0]}" "spectator-expire: --out-encoding needs --to csv or --to tsv (JSON is UTF-8)"
}

@test "ux: --crlf, --csv-safe and --header-always with JSON output are usage errors, never ignored" {
	local opt
	for opt in --crlf --csv-safe --header-always; do
		run -2 --separate-stderr twin-join $opt --to ndjson -l "$TJFIX/basic.links.csv" "$TJFIX/basic.partner.csv"
		[ -z "$output" ]
		assert_equal "${stderr_lines[0]}" "twin-join: $opt needs --to csv or --to tsv"
		run -2 --separate-stderr jsonapi-paginate $opt "$JPFIX/num-p1.page.json"
		assert_equal "${stderr_lines[0]}" "jsonapi-paginate: $opt needs --to csv or --to tsv"
		run -2 --separate-stderr spectator-expire $opt "$SEFIX/page.input.json"
		assert_equal "${stderr_lines[0]}" "spectator-expire: $opt needs --to csv or --to tsv"
	done
	# Where the output is CSV, they work as before.
	run -0 twin-join --crlf -l "$TJFIX/basic.links.csv" "$TJFIX/basic.partner.csv"
	[[ "${lines[0]}" == *$'\r' ]]
}

@test "ux: a UTF-8 BOM under --encoding cp1251 is an error, not garbled text and a lost id" {
	printf '\xef\xbb\xbfid;title;lat;lng\nA1;\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0;55.1;37.5\n' >"$BATS_TEST_TMPDIR/bom.csv"
	run -2 --separate-stderr place-normalize --encoding cp1251 -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/bom.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "place-normalize: $BATS_TEST_TMPDIR/bom.csv:1: starts with a UTF-8 byte order mark, but --encoding cp1251 says it is not UTF-8 (drop --encoding)"
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
	# Without --encoding the BOM is dropped and the file read as UTF-8.
	run -0 place-normalize "$BATS_TEST_TMPDIR/bom.csv"
	assert_equal "$output" '{"id":"A1","title":"Ёлка","location":{"coordinates":{"lat":55.1,"lng":37.5}}}'
}

@test "ux: the rejects of a CP1251 ; file are CP1251 with ; (as read)" {
	printf 'id;title;lat;lng\n1;\xcc\xee\xf1\xea\xe2\xe0;north;37\n2;\xce\xea;55.7;37.6\n' >"$BATS_TEST_TMPDIR/cp.csv"
	place-normalize --encoding cp1251 --rejects "$BATS_TEST_TMPDIR/rj.csv" "$BATS_TEST_TMPDIR/cp.csv" >/dev/null
	assert_equal "$(iconv -f cp1251 -t utf-8 "$BATS_TEST_TMPDIR/rj.csv")" "id;title;lat;lng;_file;_line;_reason
1;Москва;north;37;$BATS_TEST_TMPDIR/cp.csv;2;bad_lat"
}

# ==== item 9: nested values as dotted columns ====

@test "ux: --resolve --flatten --to csv flattens nested values to dotted columns" {
	printf '%s\n' '{"data":[{"id":"1","type":"car","attributes":{"name":"A","tags":["x","y"],"geo":{"lat":1,"lng":2}},"relationships":{"driver":{"data":{"id":"7","type":"driver"}}}}],"included":[{"id":"7","type":"driver","attributes":{"name":"Bob","phones":[{"n":"1"},{"n":"2"}],"extra":{}}}]}' >"$BATS_TEST_TMPDIR/r.json"
	run -0 jsonapi-paginate --resolve --flatten --to csv "$BATS_TEST_TMPDIR/r.json"
	assert_equal "$output" "id,type,name,tags,geo.lat,geo.lng,driver.id,driver.type,driver.name,driver.phones.0.n,driver.phones.1.n,driver.extra
1,car,A,x;y,1,2,7,driver,Bob,1,2,"
	run -0 jsonapi-paginate --resolve --flatten --to csv --columns id,driver.name "$BATS_TEST_TMPDIR/r.json"
	assert_equal "$output" $'id,driver.name\n1,Bob'
}

@test "ux: nested JSON records to CSV in twin-join are dotted columns too" {
	printf '{"partner_id":"21934","addr":{"city":"Omsk","zip":"644"}}\n' >"$BATS_TEST_TMPDIR/n.ndjson"
	run -0 twin-join --to csv -l "$TJFIX/basic.links.csv" "$BATS_TEST_TMPDIR/n.ndjson"
	assert_equal "$output" $'partner_id,addr.city,addr.zip,dgis_id,dgis_type\n21934,Omsk,644,1267165676509882,branch'
}

@test "ux: --check's trouble is UNKNOWN too, never the exit 1 or 2 of an answer" {
	run --separate-stderr spectator-expire --now "$NOW" --check -o "$BATS_TEST_TMPDIR/r.ndjson" "$BATS_TEST_TMPDIR/nope.json"
	assert_unknown "SPECTATOR UNKNOWN - $BATS_TEST_TMPDIR/nope.json: No such file or directory"
	printf '{"data":[{"id":"1",' >"$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr spectator-expire --now "$NOW" -ac "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ $stderr == "spectator-expire: "* ]]
	run -1 --separate-stderr spectator-expire --now "$NOW" --check "$SEFIX/page.input.json"
	[[ $output != *UNKNOWN* ]]
}

@test "ux: twin-join urls' help leaves out the output options it refuses" {
	run -0 twin-join urls --help
	[[ $output != *"--to FMT"* && $output != *"--rejects"* && $output != *"--columns"* && $output != *"--stats"* ]]
	[[ $output == *"-o, --output FILE"* ]]
	printf 'partner_id\n1\n' >"$BATS_TEST_TMPDIR/p.csv"
	run -2 --separate-stderr twin-join urls -b /s -p sber-food --columns a "$BATS_TEST_TMPDIR/p.csv"
	assert_equal "${stderr_lines[0]}" "twin-join: --columns is not an option of urls: it prints URLs"
	run -2 --separate-stderr twin-join urls -b /s -p sber-food --stats "$BATS_TEST_TMPDIR/p.csv"
	assert_equal "${stderr_lines[0]}" "twin-join: --stats is not an option of urls: it prints URLs"
	run -2 --separate-stderr jsonapi-paginate urls --out-encoding cp1251 "$JPFIX/num-p1.page.json"
	assert_equal "${stderr_lines[0]}" "jsonapi-paginate: --out-encoding is an option of records"
}

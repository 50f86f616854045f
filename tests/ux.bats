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

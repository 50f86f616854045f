#!/usr/bin/env bats
# tests/manpages.bats: the man pages in docs/ are lint-clean mdoc, point at
# each other, and hold only ASCII (groff warns on raw UTF-8; \[uXXXX] it
# renders everywhere).

bats_require_minimum_version 1.5.0
TOOL=manpages
load helpers

DOCS="$BATS_TEST_DIRNAME/../docs"
TOOLS="jsonapi-paginate place-normalize spectator-expire twin-join"

@test "every man page is mandoc -T lint clean (and groff -ww clean)" {
	run "$BATS_TEST_DIRNAME/manlint" "$DOCS"/*.1 "$DOCS"/*.7
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[ -z "$output" ]
}

@test "every page is mdoc: .Dd, .Dt, .Os, no man(7) .TH" {
	for page in "$DOCS"/*.1 "$DOCS"/*.7; do
		head -3 "$page" | cut -c1-3 | tr '\n' ' ' | grep -qx '.Dd .Dt .Os ' ||
		    { echo "$page: does not start with .Dd/.Dt/.Os"; return 1; }
		! grep -n '^\.TH' "$page" || { echo "$page: man(7) .TH"; return 1; }
	done
}

@test "every tool has a page, and each page's SEE ALSO names its siblings and dumpkit(7)" {
	local t s see
	for t in $TOOLS; do
		[ -f "$DOCS/$t.1" ] || { echo "no docs/$t.1"; return 1; }
		see=$(sed -n '/^\.Sh SEE ALSO/,/^\.Sh/p' "$DOCS/$t.1")
		for s in $TOOLS; do
			[ "$s" = "$t" ] || grep -qx "\.Xr $s 1 *,\{0,1\}" <<<"$see" ||
			    { echo "$t.1: SEE ALSO lacks $s(1)"; return 1; }
		done
		grep -qx '\.Xr dumpkit 7' <<<"$see" || { echo "$t.1: SEE ALSO lacks dumpkit(7)"; return 1; }
	done
}

@test "man pages hold no raw UTF-8 (escape it as \\[uXXXX])" {
	run grep -nP '[^\x00-\x7f]' "$DOCS"/*.1 "$DOCS"/*.7
	[ "$status" -eq 1 ] || { echo "$output"; return 1; }
}

#!/usr/bin/env bats
# tests/packaging.bats: what a packager and an installed system see: one
# version everywhere.

bats_require_minimum_version 1.5.0
TOOL=packaging
load helpers

TOP="$BATS_TEST_DIRNAME/.."
TOOLS="jsonapi-paginate place-normalize spectator-expire twin-join"

# make_version DIR: the VERSION the Makefile computes when run in DIR.
make_version() {
	make -s -C "$1" -f "$TOP/Makefile" --eval 'print-version: ; @echo $(VERSION)' print-version
}

@test "every tool's --version prints the one version" {
	local t
	for t in $TOOLS; do
		run -0 --separate-stderr "$t" --version
		assert_equal "$output" "$t (dumpkit) $DUMPKIT_VERSION"
	done
}

@test "the built man pages carry the version in their footer" {
	local page
	for page in "$TOP"/docs/*.1 "$TOP"/docs/*.7; do
		assert_equal "$(grep '^\.Os' "$MAN_OUT/${page##*/}")" ".Os dumpkit $DUMPKIT_VERSION"
	done
}

@test "the version is the VERSION file outside a git checkout (a tarball)" {
	local d="$BATS_TEST_TMPDIR/tarball"
	mkdir "$d"
	echo 4.5.6 >"$d/VERSION"
	assert_equal "$(make_version "$d")" "4.5.6"
}

@test "the version is git describe in a checkout with a v* tag" {
	local d="$BATS_TEST_TMPDIR/checkout"
	mkdir "$d"
	echo 4.5.6 >"$d/VERSION"
	git -C "$d" init -q
	git -C "$d" -c user.name=t -c user.email=t@t add VERSION
	git -C "$d" -c user.name=t -c user.email=t@t commit -qm one
	assert_equal "$(make_version "$d")" "4.5.6"	# no tag yet: the file
	git -C "$d" tag v4.6.0
	assert_equal "$(make_version "$d")" "4.6.0"
	git -C "$d" -c user.name=t -c user.email=t@t commit -q --allow-empty -m two
	[[ $(make_version "$d") == 4.6.0-1-g* ]]
}

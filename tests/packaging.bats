#!/usr/bin/env bats
# tests/packaging.bats: what a packager and an installed system see: one
# version everywhere, make install/uninstall/install-strip, and the bash
# completions generated from each tool's --help.

bats_require_minimum_version 1.5.0
TOOL=packaging
load helpers

TOP="$BATS_TEST_DIRNAME/.."
TOOLS="jsonapi-paginate place-normalize spectator-expire twin-join"

# make_version DIR: the VERSION the Makefile computes when run in DIR, by
# itself (not told VERSION= by an outer make, as in the .deb build).
make_version() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$1" \
	    -f "$TOP/Makefile" --eval 'print-version: ; @echo $(VERSION)' print-version
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

# ==== make install / uninstall ====

# installed_files DIR: every file under DIR, relative, sorted.
installed_files() { (cd "$1" && find . -type f | sort); }

@test "make install puts binaries, man pages, completions and docs; uninstall removes exactly those" {
	local d="$BATS_TEST_TMPDIR/root" p=/usr
	mkdir -p "$d$p/bin" "$d$p/share/doc"
	echo mine >"$d$p/bin/other-tool"	# not dumpkit's: must survive
	make -s -C "$TOP" B="$BUILD" DESTDIR="$d" PREFIX="$p" install >/dev/null
	assert_equal "$(installed_files "$d")" "$(printf '%s\n' \
	    ./usr/bin/jsonapi-paginate ./usr/bin/other-tool ./usr/bin/place-normalize \
	    ./usr/bin/spectator-expire ./usr/bin/twin-join \
	    ./usr/share/bash-completion/completions/jsonapi-paginate \
	    ./usr/share/bash-completion/completions/place-normalize \
	    ./usr/share/bash-completion/completions/spectator-expire \
	    ./usr/share/bash-completion/completions/twin-join \
	    ./usr/share/doc/dumpkit/ARCHITECTURE.md ./usr/share/doc/dumpkit/README.md \
	    ./usr/share/man/man1/jsonapi-paginate.1 ./usr/share/man/man1/place-normalize.1 \
	    ./usr/share/man/man1/spectator-expire.1 ./usr/share/man/man1/twin-join.1 \
	    ./usr/share/man/man7/dumpkit.7 \
	    ./usr/share/zsh/vendor-completions/_jsonapi-paginate \
	    ./usr/share/zsh/vendor-completions/_place-normalize \
	    ./usr/share/zsh/vendor-completions/_spectator-expire \
	    ./usr/share/zsh/vendor-completions/_twin-join)"
	[ -x "$d$p/bin/twin-join" ]
	assert_equal "$("$d$p/bin/twin-join" --version)" "twin-join (dumpkit) $DUMPKIT_VERSION"
	make -s -C "$TOP" B="$BUILD" DESTDIR="$d" PREFIX="$p" uninstall >/dev/null
	assert_equal "$(installed_files "$d")" "./usr/bin/other-tool"
	[ ! -e "$d$p/share/doc/dumpkit" ]
	[ -d "$d$p/share/doc" ]
}

@test "make install-strip installs stripped binaries" {
	local d="$BATS_TEST_TMPDIR/root"
	make -s -C "$TOP" B="$BUILD" DESTDIR="$d" PREFIX=/usr install-strip >/dev/null
	run readelf -S "$d/usr/bin/twin-join"
	[ "$status" -eq 0 ] && [[ $output != *.symtab* ]] || { echo "$output"; return 1; }
	"$d/usr/bin/twin-join" --version >/dev/null
}

# ==== bash completion ====

# complete_words TOOL WORD...: what bash completion offers for the command
# line "TOOL WORD...", the cursor at the end of the last WORD, one per line.
complete_words() {
	local fn
	fn=$(complete -p "$1" | awk '{ print $(NF - 1) }')
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	"$fn"
	printf '%s\n' "${COMPREPLY[@]}"
}

load_completion() {
	# shellcheck source=/dev/null
	source "$BUILD/completion/bash/$1"
}

@test "bash completion is registered for every tool (complete -p)" {
	local t
	for t in $TOOLS; do
		load_completion "$t"
		run complete -p "$t"
		assert_equal "$output" "complete -o filenames -F _dumpkit_${t//-/_} $t"
	done
}

@test "bash completion: options, from each tool's --help" {
	local t o
	for t in $TOOLS; do
		load_completion "$t"
		# Every long option --help lists is offered after "--".
		for o in $("$t" --help | grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z0-9-]+$'); do
			complete_words "$t" -- | grep -qx -- "$o" || { echo "$t: $o not offered"; return 1; }
		done
	done
	load_completion twin-join
	assert_equal "$(complete_words twin-join --mu)" "--multi"
	assert_equal "$(complete_words twin-join --ke)" "$(printf '%s\n' --key --key-normalize)"
	load_completion spectator-expire
	assert_equal "$(complete_words spectator-expire --by)" "--by-car"
}

@test "bash completion: subcommands in first place, with file names" {
	cd "$BATS_TEST_TMPDIR"
	touch notes.json
	load_completion jsonapi-paginate
	assert_equal "$(complete_words jsonapi-paginate '')" "$(printf '%s\n' next pack records urls notes.json)"
	assert_equal "$(complete_words jsonapi-paginate p)" "pack"
	assert_equal "$(complete_words jsonapi-paginate pages.json n)" "notes.json"
	load_completion place-normalize
	assert_equal "$(complete_words place-normalize co)" "company"
	load_completion twin-join
	assert_equal "$(complete_words twin-join u)" "urls"
}

@test "bash completion: fixed value sets (formats, --multi, statuses, styles)" {
	load_completion twin-join
	assert_equal "$(complete_words twin-join --multi '')" "$(printf '%s\n' rows first list error)"
	assert_equal "$(complete_words twin-join --multi l)" "list"
	assert_equal "$(complete_words twin-join --to c)" "csv"
	assert_equal "$(complete_words twin-join --to = t)" "tsv"	# --to=t
	assert_equal "$(complete_words twin-join --by '')" "$(printf '%s\n' partner dgis)"
	assert_equal "$(complete_words twin-join --expect one-to-m)" "one-to-many"
	load_completion spectator-expire
	assert_equal "$(complete_words spectator-expire --status exp)" "$(printf '%s\n' expired expiring)"
	assert_equal "$(complete_words spectator-expire --status expired,v)" "expired,valid"
	load_completion jsonapi-paginate
	assert_equal "$(complete_words jsonapi-paginate urls --style o)" "offset"
	assert_equal "$(complete_words jsonapi-paginate --out-encoding utf-8-)" "utf-8-bom"
	load_completion place-normalize
	assert_equal "$(complete_words place-normalize --dedupe l)" "last"
	assert_equal "$(complete_words place-normalize --ops create,d)" "create,delete"
}

@test "bash completion: file and folder arguments complete names, free text nothing" {
	cd "$BATS_TEST_TMPDIR"
	mkdir outdir
	touch links.csv
	load_completion twin-join
	assert_equal "$(complete_words twin-join --links li)" "links.csv"
	assert_equal "$(complete_words twin-join --split o)" "outdir"
	assert_equal "$(complete_words twin-join --output l)" "links.csv"
	assert_equal "$(complete_words twin-join --key l)" ""
	run compgen -W "$(complete_words twin-join '')" -- l
	assert_equal "$output" "links.csv"
}

@test "completion/gen follows what --help says (a tool that changes its options)" {
	local fake="$BATS_TEST_TMPDIR/fake-tool"
	cat >"$fake" <<'SH'
#!/bin/sh
case "$1 $2" in
"sub --help") printf 'usage: fake-tool sub [--sub-only X]\n\nOptions:\n  --deep FILE   a file\n' ;;
*) printf '%s\n' 'usage: fake-tool [OPTIONS] [FILE...]' '       fake-tool sub [--kind a|b] [FILE...]' '' \
    'Options:' '  -x, --xyz DIR       a folder' '  --mode fast|slow    how' '  -q                  quiet' ;;
esac
SH
	chmod +x "$fake"
	"$TOP/completion/gen" "$fake" bash >"$BATS_TEST_TMPDIR/c.bash"
	source "$BATS_TEST_TMPDIR/c.bash"
	assert_equal "$(complete -p fake-tool)" "complete -o filenames -F _dumpkit_fake_tool fake-tool"
	assert_equal "$(complete_words fake-tool - | sort | tr '\n' ' ')" "--deep --kind --mode --sub-only --xyz -q -x "
	assert_equal "$(complete_words fake-tool --mode '')" "$(printf '%s\n' fast slow)"
	assert_equal "$(complete_words fake-tool --kind '')" "$(printf '%s\n' a b)"
	cd "$BATS_TEST_TMPDIR" && mkdir -p dd
	assert_equal "$(complete_words fake-tool -x d)" "dd"
	"$TOP/completion/gen" "$fake" zsh >"$BATS_TEST_TMPDIR/_fake-tool"
	grep -qxF "  '*--mode=[how]:value:(fast slow)' \\" "$BATS_TEST_TMPDIR/_fake-tool"
	grep -qxF "  '*-x+[a folder]:directory:_files -/' \\" "$BATS_TEST_TMPDIR/_fake-tool"
	grep -qxF "  '1: : _alternative \"subcommands:subcommand:(sub)\" \"files:file:_files\"' \\" "$BATS_TEST_TMPDIR/_fake-tool"
}

# ==== the Debian package ====

@test "debian/changelog's version is the VERSION file's (debian/rules refuses a mismatch)" {
	assert_equal "$(sed -n '1s/^dumpkit (\([^)]*\)).*/\1/p' "$TOP/debian/changelog")" "$(cat "$TOP/VERSION")"
}

@test "make deb builds dumpkit_VERSION_amd64.deb that lintian passes and that holds everything (EXPENSIVE)" {
	expensive
	# Not inside the package build's own make check.
	[ -z "${DEB_RULES_REQUIRES_ROOT:-}" ] || skip "inside dpkg-buildpackage"
	command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null && command -v lintian >/dev/null ||
	    skip "needs dpkg-dev, debhelper and lintian"
	local b="$BATS_TEST_TMPDIR/b" v deb
	v=$(cat "$TOP/VERSION")
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL DEB_BUILD_OPTIONS=nocheck \
	    make -s -C "$TOP" B="$b" deb >"$BATS_TEST_TMPDIR/log" 2>&1 || { tail -20 "$BATS_TEST_TMPDIR/log"; return 1; }
	deb="$b/dumpkit_${v}_$(dpkg --print-architecture).deb"
	[ -f "$deb" ]
	make -s -C "$TOP" B="$b" deb-lint
	run dpkg-deb -c "$deb"
	local f
	for f in usr/bin/twin-join usr/share/man/man7/dumpkit.7.gz \
	    usr/share/bash-completion/completions/place-normalize \
	    usr/share/zsh/vendor-completions/_spectator-expire \
	    usr/share/doc/dumpkit/README.md.gz usr/share/doc/dumpkit/copyright; do
		[[ $output == *" ./$f"* ]] || { echo "no $f in the .deb"; return 1; }
	done
	run dpkg-deb -f "$deb" Depends
	[[ $output == *libjq1* && $output == *zlib1g* && $output != *libcsv* ]]
	mkdir "$BATS_TEST_TMPDIR/x"
	dpkg-deb -x "$deb" "$BATS_TEST_TMPDIR/x"
	assert_equal "$("$BATS_TEST_TMPDIR/x/usr/bin/spectator-expire" --version)" "spectator-expire (dumpkit) $v"
	zcat "$BATS_TEST_TMPDIR/x/usr/share/man/man1/twin-join.1.gz" | grep -qx ".Os dumpkit $v"
}

# ==== zsh completion, in a real interactive zsh ====

# zsh_tab CMDLINE: what zsh shows after CMDLINE and TAB.
zsh_tab() {
	command -v zsh >/dev/null || skip "zsh is not installed (make deps installs it)"
	timeout 20 "$TOP/tests/zsh-complete" "$BUILD/completion/zsh" "$1"
}

@test "zsh completion: options, value sets, comma lists, subcommands" {
	run zsh_tab 'twin-join --mu'
	[[ $output == *'twin-join --multi='* ]] || { echo "$output"; return 1; }
	run zsh_tab 'twin-join --multi '
	grep -qxE 'error +first +list +rows' <<<"$output" || { echo "$output"; return 1; }
	run zsh_tab 'twin-join --to='
	grep -qxE 'csv +json +ndjson +tsv' <<<"$output" || { echo "$output"; return 1; }
	run zsh_tab 'spectator-expire --status expired,'
	grep -qxE 'expiring +no-expiry +valid' <<<"$output" || { echo "$output"; return 1; }
	run zsh_tab 'place-normalize --dedupe '
	grep -qxE 'first +last' <<<"$output" || { echo "$output"; return 1; }
	cd "$BATS_TEST_TMPDIR"
	touch zz.json
	run zsh_tab 'jsonapi-paginate '
	grep -qxE "next +pack +records +urls +zz.json" <<<"$output" || { echo "status $status: $output"; return 1; }
}

# tests/helpers.bash: loaded by every bats suite (load helpers).
# Sets a fixed locale and time zone, puts the built tools first on PATH, and
# gives $FIX (this tool's fixtures) and assert_golden.

export LC_ALL=C TZ=UTC
: "${BIN:=$BATS_TEST_DIRNAME/../build/bin}"
export PATH="$BIN:$PATH"
FIX="$BATS_TEST_DIRNAME/fixtures/${TOOL:?set TOOL before load helpers}"
SAMPLES="$BATS_TEST_DIRNAME/../samples"
# The version the tools were built with (make check passes the one it used:
# git describe or the VERSION file).
: "${DUMPKIT_VERSION:=$(cat "$BATS_TEST_DIRNAME/../VERSION")}"
: "${BUILD:=$BIN/..}"	# the build folder (make check passes it)
: "${MAN_OUT:=$BUILD/man}"

# assert_golden NAME [FILE]: FILE (default $BATS_TEST_TMPDIR/out) must equal
# $FIX/NAME byte for byte.  UPDATE_GOLDEN=1 rewrites the golden file instead.
assert_golden() {
	local want="$FIX/$1" got="${2:-$BATS_TEST_TMPDIR/out}"
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$got" "$want"
		return 0
	fi
	diff -u "$want" "$got"
}

# expensive: skip this test unless EXPENSIVE=1 (CI sets it), as git's
# test suite does for its slow tests, so the everyday make check stays quick.
expensive() {
	[ "${EXPENSIVE:-}" = 1 ] || skip "expensive: run with EXPENSIVE=1 (CI does)"
}

# assert_equal GOT WANT: string equality with both shown on failure.
assert_equal() {
	if [ "$1" != "$2" ]; then
		printf 'got:  %s\nwant: %s\n' "$1" "$2" >&2
		return 1
	fi
}

# start_api [ARGS]: start tests/apiserver.py (the APIs' stand-in) on
# 127.0.0.1 and set API to its URL; every request target goes to
# $BATS_TEST_TMPDIR/requests.  It exits by itself after 60 s; teardown()
# stops it with stop_api.
start_api() {
	local i
	python3 "$BATS_TEST_DIRNAME/apiserver.py" "$BATS_TEST_TMPDIR/port" \
	    "$BATS_TEST_TMPDIR/requests" --lifetime 60 "$@" 3>&- &
	API_PID=$!
	for i in $(seq 100); do
		[ -s "$BATS_TEST_TMPDIR/port" ] && break
		sleep 0.1
	done
	[ -s "$BATS_TEST_TMPDIR/port" ] || { echo "apiserver did not start" >&2; return 1; }
	API="http://127.0.0.1:$(cat "$BATS_TEST_TMPDIR/port")"
	: >>"$BATS_TEST_TMPDIR/requests"
}

stop_api() {
	if [ -n "${API_PID:-}" ]; then
		kill "$API_PID" 2>/dev/null
		wait "$API_PID" 2>/dev/null
		API_PID=
	fi
	return 0
}

teardown() {
	stop_api
}
